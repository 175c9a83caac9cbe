//! The rules on real release histories: consecutive versions of two
//! public APIs' documents (`tests/history/<api>/`, sources and licences in
//! each `SOURCE.md`), each pair reduced by `cargo xtask openapi reduce` to
//! what its change touches. Every pair is labelled in `labels.yaml` with
//! the rules it should raise at `warning` and above, written before the
//! comparison was run on it, with the maintainers' changelog beside the
//! label. `AGREEMENT.md` is the agreement per rule, rendered by this test
//! (`UPDATE_EXPECT=1` rewrites it): a change of the rules shows there as
//! a reviewed diff.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use openapi_compat::{self as compat, Level};
use serde_json::Value;

const HISTORY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/history");
const APIS: [&str; 2] = ["box-platform", "xero-accounting"];

struct Pair {
    api: &'static str,
    name: String,
    dir: PathBuf,
    expect: BTreeSet<String>,
}

fn pairs() -> Vec<Pair> {
    let mut pairs = Vec::new();
    for api in APIS {
        let dir = Path::new(HISTORY).join(api);
        let text = std::fs::read_to_string(dir.join("labels.yaml")).unwrap();
        let (labels, _) = openapi_spec::source::parse(&text).unwrap();
        for label in labels.as_array().unwrap() {
            let name = label["pair"].as_str().unwrap().to_owned();
            let reason = label["reason"].as_str().unwrap_or_default();
            assert!(!reason.is_empty() && label["changelog"].is_string(), "{api} {name}: a label has a reason and the changelog's word");
            let expect = label["expect"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_owned()).collect::<BTreeSet<_>>();
            for rule in &expect {
                assert!(compat::rule(rule).is_some_and(|r| r.level > Level::Info), "{api} {name}: `{rule}` is no rule at warning or above");
            }
            pairs.push(Pair { api, dir: dir.join(&name), name, expect });
        }
    }
    pairs
}

fn load(dir: &Path, file: &str) -> openapi_spec::Document {
    let text = std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    compat::load(file, &text).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// The rules a pair raises at `warning` and above.
fn found(pair: &Pair) -> BTreeSet<String> {
    let changes = compat::diff(&load(&pair.dir, "old.json"), &load(&pair.dir, "new.json"));
    changes.iter().filter(|c| c.level > Level::Info).map(|c| c.rule.to_owned()).collect()
}

/// Agreement per rule: pairs labelled with it, pairs raising it, both.
fn agreement(results: &[(&Pair, BTreeSet<String>)]) -> String {
    let mut per_rule: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for (pair, found) in results {
        for rule in pair.expect.union(found) {
            let counts = per_rule.entry(compat::rule(rule).unwrap().id).or_default();
            counts.0 += usize::from(pair.expect.contains(rule));
            counts.1 += usize::from(found.contains(rule));
            counts.2 += usize::from(pair.expect.contains(rule) && found.contains(rule));
        }
    }
    let agreeing = results.iter().filter(|(pair, found)| pair.expect == *found).count();
    let mut text = format!(
        "# Agreement with the labels of real histories\n\nRendered by `tests/history.rs` (`UPDATE_EXPECT=1 cargo test -p openapi-compat --test history` rewrites it).\n\n{agreeing} of {} pairs get exactly the rules their label names at `warning` and above.\n\n| rule | level | labelled | raised | both |\n|---|---|---|---|---|\n",
        results.len()
    );
    for (rule, (labelled, raised, both)) in per_rule {
        text.push_str(&format!("| `{rule}` | {} | {labelled} | {raised} | {both} |\n", compat::rule(rule).unwrap().level));
    }
    text.push_str("\nPairs where the gate and the label differ:\n\n");
    for (pair, found) in results.iter().filter(|(pair, found)| pair.expect != *found) {
        let missed: Vec<&String> = pair.expect.difference(found).collect();
        let extra: Vec<&String> = found.difference(&pair.expect).collect();
        text.push_str(&format!("- {} {}: labelled only {missed:?}; raised only {extra:?}\n", pair.api, pair.name));
    }
    text
}

#[test]
fn the_gate_agrees_with_the_labels_of_real_histories() {
    let pairs = pairs();
    assert!(pairs.len() >= 150, "only {} pairs", pairs.len());
    let results: Vec<(&Pair, BTreeSet<String>)> = pairs.iter().map(|pair| (pair, found(pair))).collect();
    let table = agreement(&results);
    let path = Path::new(HISTORY).join("AGREEMENT.md");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &table).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), table, "run `UPDATE_EXPECT=1 cargo test -p openapi-compat --test history`");
}

/// What the gate reports at `warning` and above, as `reduce` keeps it.
fn verdict(old: &Value, new: &Value) -> Vec<String> {
    compat::diff_values(old, new).into_iter().filter(|c| c.level > Level::Info).map(|c| format!("{} {:?} {} {:?}", c.rule, c.document, c.pointer, c.operation)).collect()
}

#[test]
fn reducing_a_pair_keeps_its_verdict() {
    // The one-change corpus: whole pairs, reduced.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut cases = 0;
    for entry in std::fs::read_dir(corpus).unwrap() {
        let dir = entry.unwrap().path();
        let (old, new) = (load(&dir, "old.yaml").json, load(&dir, "new.yaml").json);
        let (reduced_old, reduced_new) = compat::reduce::reduce(&old, &new);
        assert_eq!(verdict(&reduced_old, &reduced_new), verdict(&old, &new), "{}", dir.display());
        cases += 1;
    }
    assert!(cases >= 270);
    // The stored pairs: reduced already, so reducing again changes nothing.
    for pair in pairs() {
        let (old, new) = (load(&pair.dir, "old.json").json, load(&pair.dir, "new.json").json);
        assert_eq!(compat::reduce::reduce(&old, &new), (old, new), "{} {}", pair.api, pair.name);
    }
}
