//! OpenAPI 3.0 schemas as 3.1 (JSON Schema): what utoipa models and what
//! JSON Schema validators read.

use serde_json::{Map, Value};

/// An OpenAPI 3.0 schema as 3.1: `nullable` becomes a `null` type (or a
/// `{"type": "null"}` member), `example` becomes `examples`.
pub fn to_openapi_31(schema: &Value) -> Value {
    let Value::Object(map) = schema else { return schema.clone() };
    let nullable = map.get("nullable") == Some(&Value::Bool(true));
    if nullable && map.get("enum") == Some(&Value::Array(vec![Value::Null])) {
        return serde_json::json!({"type": "null"});
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
