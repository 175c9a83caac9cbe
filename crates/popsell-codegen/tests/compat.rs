//! The compatibility rules on a corpus of spec pairs, one change each
//! (`tests/compat/<case>/{old,new}.yaml`; the first line of `new.yaml` says
//! what changed), and on the real spec changed in memory.

use std::path::{Path, PathBuf};

use popsell_codegen::Spec;
use popsell_codegen::compat::{self, Change, RULES, Verdict};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/compat");

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

fn load(dir: &Path, file: &str) -> Spec {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    compat::load(file, &text).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn changes_of(dir: &Path) -> Vec<Change> {
    compat::diff(&load(dir, "old.yaml").json, &load(dir, "new.yaml").json)
}

/// What the case says it changes: the comment on the first line of `new.yaml`.
fn description(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("new.yaml")).unwrap();
    text.lines().next().and_then(|line| line.strip_prefix("# ")).unwrap_or_else(|| panic!("{}: no comment line", dir.display())).to_owned()
}

#[test]
fn corpus() {
    let cases = cases();
    assert!(cases.len() >= 20, "only {} cases", cases.len());
    for (name, dir) in &cases {
        let changes = changes_of(dir);
        insta::with_settings!({ description => description(dir), omit_expression => true }, {
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
        assert_eq!((rule.verdict, rule.document), (change.verdict, change.document), "{change:?}");
    }
}

fn real_spec() -> Spec {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.yaml")).unwrap();
    compat::load("openapi.yaml", &text).unwrap()
}

const OPERATION: &str = "/paths/~1chat~1ambassadors~1{ambassador}~1chatrooms/get";

#[test]
fn the_real_spec_against_itself_has_no_change() {
    let spec = real_spec();
    assert_eq!(compat::diff(&spec.json, &spec.json), []);
}

#[test]
fn removing_the_flag_filter_of_the_real_spec_is_breaking() {
    let old = real_spec().json;
    let mut new = old.clone();
    let parameters = new.pointer_mut(&format!("{OPERATION}/parameters")).unwrap().as_array_mut().unwrap();
    let index = parameters.iter().position(|p| p["name"] == "filter[flag]").expect("the spec has filter[flag]");
    parameters.remove(index);

    let changes = compat::diff(&old, &new);
    assert_eq!(
        changes,
        [Change {
            rule: "parameter-removed",
            verdict: Verdict::Breaking,
            document: compat::Document::Old,
            pointer: format!("{OPERATION}/parameters/{index}"),
            operation: Some("GET /chat/ambassadors/{ambassador}/chatrooms (get_ambassador_chatrooms)".into()),
            reason: "query parameter `filter[flag]` was removed".into(),
        }]
    );
}

#[test]
fn an_optional_chatroom_property_is_compatible() {
    let old = real_spec().json;
    let mut new = old.clone();
    let properties = new.pointer_mut("/components/schemas/Chatroom/properties").unwrap().as_object_mut().unwrap();
    properties.insert("nickname".into(), serde_json::json!({ "type": "string" }));

    let changes = compat::diff(&old, &new);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].rule, "response-property-added");
    assert_eq!(changes[0].verdict, Verdict::Compatible);
    assert_eq!(changes[0].pointer, "/components/schemas/Chatroom/properties/nickname");
    assert_eq!(changes[0].operation.as_deref(), Some("GET /chat/ambassadors/{ambassador}/chatrooms (get_ambassador_chatrooms)"));
}

#[test]
fn load_rejects_an_unresolved_ref_with_its_pointer() {
    let text = std::fs::read_to_string(Path::new(CORPUS).join("operation_removed/old.yaml")).unwrap();
    let text = text.replacen("schemas/Color'", "schemas/Colour'", 1);
    let error = compat::load("old.yaml", &text).unwrap_err().to_string();
    assert!(
        error.contains("old.yaml: at /paths/~1items~1{id}/get/parameters/1/schema/$ref: $ref `#/components/schemas/Colour` does not resolve"),
        "{error}"
    );
}
