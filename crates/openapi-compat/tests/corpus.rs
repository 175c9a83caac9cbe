//! The rules on a corpus of spec pairs, one change each
//! (`tests/corpus/<case>/{old,new}.yaml`). The first line of `new.yaml`
//! says what changed, the second the verdict a strict generated client
//! would give it (`# expect: breaking|compatible|unclassified`, or `no
//! change` for an equivalent spelling), written before the case was run:
//! the verdict is asserted, the changes are snapshotted for review.

use std::path::{Path, PathBuf};

use openapi_compat::{self as compat, Change, RULES, Verdict};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");

/// Every case directory, by name.
fn cases() -> Vec<(String, PathBuf)> {
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(CORPUS)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .map(|path| (path.file_name().unwrap().to_str().unwrap().to_owned(), path))
        .collect();
    cases.sort();
    cases
}

fn changes_of(dir: &Path) -> Vec<Change> {
    let load = |file: &str| {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        compat::load(file, &text).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
    };
    compat::diff(&load("old.yaml"), &load("new.yaml"))
}

/// The two comment lines of `new.yaml`: what changed, and the expected verdict.
fn header(dir: &Path) -> (String, String) {
    let text = std::fs::read_to_string(dir.join("new.yaml")).unwrap();
    let mut lines = text.lines();
    let what = lines.next().and_then(|l| l.strip_prefix("# ")).unwrap_or_else(|| panic!("{}: no description line", dir.display()));
    let expect = lines.next().and_then(|l| l.strip_prefix("# expect: ")).unwrap_or_else(|| panic!("{}: no `# expect:` line", dir.display()));
    (what.to_owned(), expect.trim().to_owned())
}

/// The verdict of a whole change, as a gate sees it.
fn verdict(changes: &[Change]) -> &'static str {
    if changes.iter().any(|c| c.verdict == Verdict::Breaking) {
        "breaking"
    } else if changes.iter().any(|c| c.verdict == Verdict::Unclassified) {
        "unclassified"
    } else {
        "compatible"
    }
}

#[test]
fn every_case_gets_its_expected_verdict() {
    let cases = cases();
    assert!(cases.len() >= 100, "only {} cases", cases.len());
    let mut wrong = Vec::new();
    for (name, dir) in &cases {
        let changes = changes_of(dir);
        let (what, expected) = header(dir);
        if changes.is_empty() != (expected == "no change") {
            wrong.push(format!("{name}: expected {expected}, found {} change(s) ({what})", changes.len()));
        } else if !changes.is_empty() && verdict(&changes) != expected {
            let found: Vec<String> = changes.iter().map(|c| format!("{} ({:?})", c.rule, c.verdict)).collect();
            wrong.push(format!("{name}: expected {expected}, got {} from {}", verdict(&changes), found.join(", ")));
        }
    }
    assert!(wrong.is_empty(), "{} of {} cases:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

#[test]
fn snapshots() {
    for (name, dir) in &cases() {
        let changes = changes_of(dir);
        insta::with_settings!({ description => header(dir).0, omit_expression => true, snapshot_path => "corpus-snapshots" }, {
            insta::assert_yaml_snapshot!(name.as_str(), changes);
        });
    }
}

#[test]
fn every_rule_is_exercised_by_the_corpus() {
    let seen: Vec<Change> = cases().iter().flat_map(|(_, dir)| changes_of(dir)).collect();
    let missing: Vec<&str> = RULES.iter().map(|r| r.id).filter(|id| !seen.iter().any(|c| c.rule == *id)).collect();
    assert!(missing.is_empty(), "no case produces {missing:?}");
    for change in &seen {
        let rule = compat::rule(change.rule).unwrap_or_else(|| panic!("unknown rule {}", change.rule));
        assert_eq!(rule.verdict, change.verdict, "{change:?}");
    }
}

#[test]
fn every_change_is_located_in_its_document() {
    for (name, dir) in &cases() {
        for change in changes_of(dir) {
            assert!(change.position.is_some(), "{name}: {change:?} has no position");
        }
    }
}
