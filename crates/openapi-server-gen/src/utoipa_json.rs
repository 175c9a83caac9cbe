//! OpenAPI 3.1 schemas as utoipa's document model can hold them. utoipa
//! reads a schema only when it says its `type` (or is a `$ref` or a
//! composition): an untyped schema gets the types its `enum` values have,
//! else every type (what "any value" means). What utoipa still cannot
//! hold (`not`) is refused at generation, with its pointer, so that the
//! generated `openapi()` never fails at run time.

use openapi_spec::normalize::json_type;
use serde_json::{Map, Value, json};

const COMPOSITIONS: [&str; 3] = ["allOf", "anyOf", "oneOf"];

/// `schema` (OpenAPI 3.1) with every untyped schema typed.
pub(crate) fn for_utoipa(schema: &Value) -> Value {
    let Value::Object(map) = schema else { return schema.clone() };
    let mut out = Map::new();
    for (key, value) in map {
        let converted = match key.as_str() {
            "properties" => Value::Object(value.as_object().into_iter().flatten().map(|(k, v)| (k.clone(), for_utoipa(v))).collect()),
            "items" | "additionalProperties" | "not" if value.is_object() => for_utoipa(value),
            k if COMPOSITIONS.contains(&k) => Value::Array(value.as_array().into_iter().flatten().map(for_utoipa).collect()),
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    // utoipa holds a composition or an object, not both: `{type, properties,
    // oneOf}` is the same set of values as `allOf: [{type, properties}, {oneOf}]`.
    let composed: Vec<&str> = ["oneOf", "anyOf"].into_iter().filter(|k| out.contains_key(*k)).collect();
    let constrained = out.keys().any(|k| !COMPOSITIONS.contains(&k.as_str()) && !DOCUMENTATION.contains(&k.as_str()) && !k.starts_with("x-") && k != "default");
    if !composed.is_empty() && constrained {
        let mut outer = Map::new();
        let mut members = Vec::new();
        let mut rest = Map::new();
        for (key, value) in std::mem::take(&mut out) {
            if DOCUMENTATION.contains(&key.as_str()) || key == "default" || key.starts_with("x-") {
                outer.insert(key, value);
            } else if key == "allOf" {
                members.extend(value.as_array().cloned().unwrap_or_default());
            } else if composed.contains(&key.as_str()) {
                members.push(json!({ key: value }));
            } else {
                rest.insert(key, value);
            }
        }
        members.insert(0, Value::Object(rest));
        outer.insert("allOf".into(), Value::Array(members));
        return Value::Object(outer);
    }
    let typed = out.contains_key("type") || out.contains_key("$ref") || COMPOSITIONS.iter().any(|k| out.contains_key(*k));
    if !typed {
        let types = match out.get("enum").and_then(Value::as_array) {
            Some(values) => {
                let mut types: Vec<&str> = values.iter().map(json_type).collect();
                types.sort_unstable();
                types.dedup();
                types
            }
            None => vec!["object", "string", "integer", "number", "boolean", "array", "null"],
        };
        out.insert("type".into(), if types.len() == 1 { json!(types[0]) } else { json!(types) });
    }
    Value::Object(out)
}

/// Keywords utoipa may drop without changing what the schema accepts.
const DOCUMENTATION: [&str; 9] = ["title", "description", "example", "examples", "externalDocs", "xml", "deprecated", "readOnly", "writeOnly"];

/// Why utoipa's model cannot hold `schema`, if it cannot: it does not
/// read, or reading it drops a keyword that constrains values.
pub(crate) fn unreadable(schema: &Value) -> Option<String> {
    let read = match serde_json::from_value::<utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>>(schema.clone()) {
        Ok(read) => read,
        Err(e) => return Some(e.to_string()),
    };
    let written = serde_json::to_value(read).unwrap_or_default();
    dropped(schema, &written, "").map(|at| format!("it would drop `{at}`"))
}

/// The first keyword of `before` (not documentation nor an extension)
/// missing from `after`, as a path.
fn dropped(before: &Value, after: &Value, at: &str) -> Option<String> {
    match (before, after) {
        (Value::Object(before), Value::Object(after)) => before.iter().find_map(|(key, value)| {
            let here = format!("{at}/{key}");
            match after.get(key) {
                None if DOCUMENTATION.contains(&key.as_str()) || key.starts_with("x-") => None,
                None => Some(here),
                Some(kept) => dropped(value, kept, &here),
            }
        }),
        (Value::Array(before), Value::Array(after)) => before.iter().zip(after).enumerate().find_map(|(i, (b, a))| dropped(b, a, &format!("{at}/{i}"))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untyped_schemas_get_their_types() {
        assert_eq!(for_utoipa(&json!({"enum": ["a", "b"]})), json!({"enum": ["a", "b"], "type": "string"}));
        assert_eq!(for_utoipa(&json!({})), json!({"type": ["object", "string", "integer", "number", "boolean", "array", "null"]}));
        let nested = for_utoipa(&json!({"type": "object", "properties": {"any": {"description": "d"}}}));
        assert!(unreadable(&nested).is_none(), "{nested}");
        assert!(unreadable(&json!({"properties": {"a": {}}})).is_some(), "utoipa alone refuses it");
    }

    #[test]
    fn an_object_with_alternatives_is_an_all_of() {
        let schema = json!({"type": "object", "description": "d", "properties": {"a": {"type": "string"}}, "oneOf": [{"required": ["a"]}, {"type": "object"}]});
        let converted = for_utoipa(&schema);
        assert_eq!(converted["allOf"][0], json!({"type": "object", "properties": {"a": {"type": "string"}}}));
        assert_eq!(converted["allOf"][1]["oneOf"][1], json!({"type": "object"}));
        assert_eq!(converted["description"], "d");
        assert!(unreadable(&converted).is_none(), "{converted}");
    }

    #[test]
    fn what_utoipa_cannot_hold_is_named() {
        assert!(unreadable(&for_utoipa(&json!({"not": {"type": "string"}}))).is_some());
    }
}
