//! Shared by the tests of this crate: the spec as JSON.

use serde_json::Value;

/// `openapi.yaml` at the workspace root, as JSON.
pub fn spec() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// The component schemas of the spec, by name.
#[allow(dead_code)] // not every test binary uses it
pub fn component_schemas() -> serde_json::Map<String, Value> {
    spec()["components"]["schemas"].as_object().unwrap().clone()
}
