//! The rules on the workspace's own spec, changed in memory.

use openapi_compat::{self as compat, Change, Document, Verdict};

fn real_spec() -> openapi_spec::Document {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.yaml")).unwrap();
    compat::load("openapi.yaml", &text).unwrap()
}

const OPERATION: &str = "/paths/~1chat~1ambassadors~1{ambassador}~1chatrooms/get";
const LABEL: &str = "GET /chat/ambassadors/{ambassador}/chatrooms (get_ambassador_chatrooms)";

#[test]
fn the_real_spec_against_itself_has_no_change() {
    let spec = real_spec();
    assert_eq!(compat::diff(&spec, &spec), []);
}

#[test]
fn removing_the_flag_filter_is_breaking_and_located_in_the_old_document() {
    let old = real_spec();
    let mut new = old.json.clone();
    let parameters = new.pointer_mut(&format!("{OPERATION}/parameters")).unwrap().as_array_mut().unwrap();
    let index = parameters.iter().position(|p| p["name"] == "filter[flag]").expect("the spec has filter[flag]");
    parameters.remove(index);

    let changes = compat::diff_values(&old.json, &new);
    assert_eq!(
        changes,
        [Change {
            rule: "parameter-removed",
            verdict: Verdict::Breaking,
            level: openapi_compat::Level::Error,
            document: Document::Old,
            pointer: format!("{OPERATION}/parameters/{index}"),
            position: None,
            operation: Some(LABEL.into()),
            reason: "query parameter `filter[flag]` was removed".into(),
        }]
    );
    let line = old.source.position(&changes[0].pointer).unwrap().line;
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.yaml")).unwrap();
    assert_eq!(text.lines().nth(line - 1).unwrap().trim(), "- name: filter[flag]");
}

#[test]
fn lowering_per_page_maximum_is_breaking() {
    let old = real_spec();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.yaml")).unwrap();
    let edited = text.replacen("            maximum: 100\n", "            maximum: 50\n", 1);
    assert_ne!(edited, text, "the spec no longer bounds per_page at 100");
    let new = compat::load("openapi.yaml", &edited).unwrap();
    let changes = compat::diff(&old, &new);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].rule, "request-range-narrowed");
    assert_eq!(changes[0].reason, "parameter `per_page`: `maximum` 100 became 50");
    let line = changes[0].position.unwrap().line;
    assert_eq!(edited.lines().nth(line - 1).unwrap().trim(), "maximum: 50");
}

#[test]
fn an_optional_chatroom_property_is_compatible() {
    let old = real_spec().json;
    let mut new = old.clone();
    let properties = new.pointer_mut("/components/schemas/Chatroom/properties").unwrap().as_object_mut().unwrap();
    assert!(!properties.contains_key("compat_probe"));
    properties.insert("compat_probe".into(), serde_json::json!({ "type": "string" }));

    let changes = compat::diff_values(&old, &new);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].rule, "response-property-added");
    assert_eq!(changes[0].verdict, Verdict::Compatible);
    assert_eq!(changes[0].pointer, "/components/schemas/Chatroom/properties/compat_probe");
    assert_eq!(changes[0].operation.as_deref(), Some(LABEL));
}

#[test]
fn load_rejects_an_unresolved_ref_with_its_pointer_and_line() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.yaml")).unwrap();
    let text = text.replacen("$ref: '#/components/schemas/Rating'", "$ref: '#/components/schemas/Ratings'", 1);
    let error = compat::load("openapi.yaml", &text).unwrap_err();
    let problem = &error.diagnostics()[0];
    assert_eq!(problem.message, "$ref `#/components/schemas/Ratings` does not resolve");
    let line = problem.position.unwrap().line;
    assert!(text.lines().nth(line - 1).unwrap().contains("#/components/schemas/Ratings"), "line {line}");
}
