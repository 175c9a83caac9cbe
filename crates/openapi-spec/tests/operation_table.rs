//! The normalized table of openapi.yaml: what clients and servers depend
//! on. A spec change that alters the contract shows up here as a diff.

use openapi_spec::normalize::table;
use openapi_spec::Spec;

#[test]
fn operation_table() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.yaml")).unwrap();
    let spec = Spec::parse("openapi.yaml", &text).unwrap();
    insta::assert_yaml_snapshot!(table(&spec.json));
}

#[test]
fn openapi_31_nullability_reads_like_30() {
    let v30 = serde_json::json!({"components": {"schemas": {"A": {"type": "object", "required": ["x", "y", "z"], "properties": {
        "x": {"type": "string", "nullable": true},
        "y": {"anyOf": [{"$ref": "#/components/schemas/B"}, {"enum": [null], "nullable": true}]},
        "z": {"type": "object", "nullable": true, "allOf": [{"$ref": "#/components/schemas/B"}]},
    }}}}});
    let v31 = serde_json::json!({"components": {"schemas": {"A": {"type": "object", "required": ["z", "y", "x"], "properties": {
        "x": {"type": ["string", "null"]},
        "y": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/B"}]},
        "z": {"anyOf": [{"$ref": "#/components/schemas/B"}, {"type": "null"}]},
    }}}}});
    assert_eq!(table(&v30), table(&v31));
    assert_eq!(table(&v30).schemas["A"].properties["y"], "ref B | null");
    assert_eq!(table(&v30).schemas["A"].properties["z"], "ref B | null");
}
