//! OpenAPI 3.0 schemas as 3.1 (JSON Schema): what utoipa models and what
//! JSON Schema validators read.

use serde_json::{Map, Value};

/// Annotations that stay on the outside when a nullable composition is
/// wrapped.
const ANNOTATIONS: [&str; 6] = ["description", "title", "example", "deprecated", "readOnly", "writeOnly"];

/// An OpenAPI 3.0 schema as 3.1: `nullable` becomes a `null` type (or a
/// `{"type": "null"}` member), `example` becomes `examples`.
///
/// A nullable composition (`type: object, nullable: true, allOf: [$ref]`,
/// the 3.0 form of a nullable reference) becomes `anyOf: [$ref, {type:
/// null}]`: in JSON Schema, `null` would fail the `allOf` member however
/// the outer `type` is spelled.
pub fn to_openapi_31(schema: &Value) -> Value {
    let Value::Object(map) = schema else { return schema.clone() };
    let nullable = map.get("nullable") == Some(&Value::Bool(true));
    // `{enum: [null]}` (with or without `nullable`): the null member of a
    // nullable reference, `anyOf: [$ref, {enum: [null]}]`.
    if map.get("enum") == Some(&Value::Array(vec![Value::Null])) {
        return serde_json::json!({"type": "null"});
    }
    if nullable && ["allOf", "anyOf", "oneOf"].iter().any(|key| map.contains_key(*key)) {
        let mut inner: Map<String, Value> =
            map.iter().filter(|(k, _)| k.as_str() != "nullable" && !ANNOTATIONS.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
        // `type` + a single `allOf` member: the member says it all.
        if let Some(Value::Array(members)) = inner.get("allOf")
            && members.len() == 1
            && inner.keys().all(|k| k == "allOf" || k == "type")
        {
            inner = members[0].as_object().cloned().unwrap_or_default();
        }
        let mut out: Map<String, Value> = map.iter().filter(|(k, _)| ANNOTATIONS.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
        if let Some(example) = out.remove("example") {
            out.insert("examples".into(), Value::Array(vec![example]));
        }
        out.insert("anyOf".into(), Value::Array(vec![to_openapi_31(&Value::Object(inner)), serde_json::json!({"type": "null"})]));
        return Value::Object(out);
    }
    let mut out = Map::new();
    for (key, value) in map {
        let converted = match key.as_str() {
            "nullable" => continue,
            "example" => {
                out.insert("examples".into(), Value::Array(vec![value.clone()]));
                continue;
            }
            "properties" => Value::Object(value.as_object().into_iter().flatten().map(|(k, v)| (k.clone(), to_openapi_31(v))).collect()),
            "items" | "not" | "additionalProperties" if value.is_object() => to_openapi_31(value),
            "allOf" | "anyOf" | "oneOf" => Value::Array(value.as_array().into_iter().flatten().map(to_openapi_31).collect()),
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    // 3.0's `exclusiveMinimum: true` qualifies `minimum`; 3.1's is the bound.
    for (bound, exclusive) in [("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")] {
        match out.get(exclusive) {
            Some(Value::Bool(true)) => {
                if let Some(value) = out.remove(bound) {
                    out.insert(exclusive.into(), value);
                }
            }
            Some(Value::Bool(false)) => {
                out.remove(exclusive);
            }
            _ => {}
        }
    }
    if nullable {
        if let Some(Value::String(t)) = out.get("type").cloned() {
            out.insert("type".into(), serde_json::json!([t, "null"]));
        }
        if let Some(Value::Array(values)) = out.get_mut("enum")
            && !values.contains(&Value::Null)
        {
            values.push(Value::Null);
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_nullable_reference_becomes_an_any_of_with_null() {
        let schema = json!({"type": "object", "nullable": true, "allOf": [{"$ref": "#/components/schemas/Rating"}], "description": "d"});
        assert_eq!(to_openapi_31(&schema), json!({"description": "d", "anyOf": [{"$ref": "#/components/schemas/Rating"}, {"type": "null"}]}));
    }

    #[test]
    fn exclusive_bounds_become_the_bound() {
        assert_eq!(to_openapi_31(&json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})), json!({"type": "integer", "exclusiveMinimum": 0}));
        assert_eq!(to_openapi_31(&json!({"type": "integer", "maximum": 9, "exclusiveMaximum": false})), json!({"type": "integer", "maximum": 9}));
    }

    #[test]
    fn a_nullable_scalar_gets_a_null_type() {
        assert_eq!(to_openapi_31(&json!({"type": "string", "nullable": true})), json!({"type": ["string", "null"]}));
    }
}
