//! The normalized view of an API: what a client or server depends on
//! (operations, parameters, status codes, schemas), independent of the
//! OpenAPI version (3.0 `nullable` or 3.1 `type: [.., "null"]`), of key
//! order and of documentation text. Snapshotted, and compared across
//! documents that must agree.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::document;
use crate::model::{self, ParameterIn};

/// The normalized API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiTable {
    /// Operations, keyed `METHOD /path`.
    pub operations: BTreeMap<String, OperationRow>,
    /// Component schemas by name.
    pub schemas: BTreeMap<String, SchemaRow>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationRow {
    /// The `operationId`.
    pub operation_id: Option<String>,
    /// Parameters, keyed `location name`.
    pub parameters: BTreeMap<String, ParameterRow>,
    /// Security alternatives, each its scheme names joined by ` + ` (`{}`:
    /// anonymous), sorted (empty: none declared).
    pub security: Vec<String>,
    /// The request body: `required` or `optional`, then `media type: schema`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub request_body: Vec<String>,
    /// Status code to `media type: schema` and `header name: schema`.
    pub responses: BTreeMap<String, Vec<String>>,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParameterRow {
    /// Whether the parameter is required.
    pub required: bool,
    /// The parameter's type (see [`type_of`]).
    pub schema: String,
    /// How it is written: the style, with `explode` when it is set (the
    /// defaults of its location spelled out).
    pub style: String,
}

/// One component schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaRow {
    /// The type of a non-object schema, or `object`.
    pub kind: String,
    /// Properties of an object schema: name to `type` with `?` when
    /// optional (`allOf` members merged).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
}

/// Builds the table of an OpenAPI 3.0 or 3.1 document given as JSON, from
/// the document's one model of its operations.
pub fn table(doc: &Value) -> ApiTable {
    let schema_at = |pointer: &Option<String>| pointer.as_deref().and_then(|p| doc.pointer(p)).map(|s| type_of(doc, s)).unwrap_or_else(|| "?".into());
    let media_rows = |media: &[model::MediaModel]| -> Vec<String> { media.iter().map(|m| format!("{}: {}", m.media_type, schema_at(&m.schema))).collect() };
    let mut operations = BTreeMap::new();
    for operation in model::operations(doc) {
        let mut parameters = BTreeMap::new();
        for parameter in operation.parameters {
            let key = match parameter.location {
                // Header names are case-insensitive.
                ParameterIn::Header => format!("header {}", parameter.name.to_ascii_lowercase()),
                ref location => format!("{} {}", location.as_str(), parameter.name),
            };
            let written = doc.pointer(&parameter.pointer).and_then(|p| p.get("schema"));
            let row = ParameterRow {
                required: parameter.required,
                schema: written.map(|s| type_of(doc, s)).unwrap_or_else(|| "?".into()),
                style: if parameter.explode { format!("{} explode", parameter.style) } else { parameter.style },
            };
            parameters.insert(key, row);
        }
        let mut responses = BTreeMap::new();
        for response in &operation.responses {
            let mut rows = media_rows(&response.media);
            for header in &response.headers {
                rows.push(format!("header {}: {}", header.name.to_ascii_lowercase(), schema_at(&header.schema)));
            }
            // Key order carries no meaning (and utoipa sorts headers).
            rows.sort();
            responses.insert(response.status.clone(), rows);
        }
        let request_body = match &operation.request_body {
            Some(body) => {
                let mut media = media_rows(&body.media);
                media.sort();
                let mut rows = vec![if body.required { "required".to_owned() } else { "optional".to_owned() }];
                rows.extend(media);
                rows
            }
            None => Vec::new(),
        };
        let security = security_names(operation.security.as_deref());
        let key = format!("{} {}", operation.method.to_ascii_uppercase(), operation.path);
        operations.insert(key, OperationRow { operation_id: operation.operation_id, parameters, security, request_body, responses });
    }
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, schema)| (name.clone(), schema_row(doc, schema)))
        .collect();
    ApiTable { operations, schemas }
}

fn security_names(security: Option<&[Vec<String>]>) -> Vec<String> {
    let mut alternatives: Vec<String> = security
        .into_iter()
        .flatten()
        .map(|requirement| {
            let mut names: Vec<&str> = requirement.iter().map(String::as_str).collect();
            names.sort();
            if names.is_empty() { "{}".to_owned() } else { names.join(" + ") }
        })
        .collect();
    alternatives.sort();
    alternatives
}

fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    document::resolve(doc, document::Loc::new(value, "")).value
}

fn schema_row(doc: &Value, schema: &Value) -> SchemaRow {
    let mut properties = BTreeMap::new();
    collect_properties(doc, schema, &mut properties);
    let kind = if properties.is_empty() { type_of_inline(doc, schema) } else { "object".into() };
    SchemaRow { kind, properties }
}

fn collect_properties(doc: &Value, schema: &Value, out: &mut BTreeMap<String, String>) {
    let schema = resolve(doc, schema);
    for member in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        collect_properties(doc, member, out);
    }
    let required: Vec<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        let optional = if required.contains(&name.as_str()) { "" } else { "?" };
        out.insert(name.clone(), format!("{}{optional}", type_of(doc, property)));
    }
}

/// A schema as a short type expression: `ref Name`, `integer(int64) min 1`,
/// `string enum["a", "b"] default "a"`, `array<...>`, `map<...>`, with
/// ` | null` when null is allowed (3.0 `nullable`, 3.1 `null` type, or a
/// null `anyOf`/`oneOf` member).
pub fn type_of(doc: &Value, schema: &Value) -> String {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        return format!("ref {}", target.rsplit('/').next().unwrap_or(target));
    }
    // The 3.0 nullable reference: `type` + `nullable` + a single `allOf` member.
    if let Some([member]) = schema.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
        const BESIDE: [&str; 6] = ["allOf", "type", "nullable", "description", "title", "example"];
        if schema.as_object().is_some_and(|map| map.keys().all(|k| BESIDE.contains(&k.as_str()))) {
            let nullable = schema.get("nullable") == Some(&Value::Bool(true));
            return format!("{}{}", type_of(doc, member), if nullable { " | null" } else { "" });
        }
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(members) = schema.get(key).and_then(Value::as_array) {
            let (nulls, others): (Vec<&Value>, Vec<&Value>) = members.iter().partition(|m| is_null_schema(m));
            let mut alternatives: Vec<String> = others.iter().map(|m| type_of(doc, m)).collect();
            if !nulls.is_empty() {
                alternatives.push("null".into());
            }
            return alternatives.join(" | ");
        }
    }
    type_of_inline(doc, schema)
}

fn type_of_inline(doc: &Value, schema: &Value) -> String {
    let (types, mut nullable) = match schema.get("type") {
        Some(Value::String(t)) => (vec![t.clone()], false),
        Some(Value::Array(ts)) => {
            let names: Vec<String> = ts.iter().filter_map(Value::as_str).map(str::to_owned).collect();
            let nullable = names.iter().any(|t| t == "null");
            (names.into_iter().filter(|t| t != "null").collect(), nullable)
        }
        _ => (vec![], false),
    };
    nullable |= schema.get("nullable") == Some(&Value::Bool(true));
    // An untyped enum has the types of its values; every type is no type.
    let mut types = types;
    if types.is_empty()
        && let Some(values) = schema.get("enum").and_then(Value::as_array)
    {
        types = values.iter().filter(|v| !v.is_null()).map(|v| json_type(v).to_owned()).collect();
        types.sort();
        types.dedup();
    }
    const EVERY: [&str; 6] = ["array", "boolean", "integer", "number", "object", "string"];
    if EVERY.iter().all(|t| types.iter().any(|u| u == t)) {
        types.clear();
        nullable = false;
    }
    if types.len() > 1 {
        types.sort();
        types = vec![types.join(" | ")];
    }
    let mut text = match types.first().map(String::as_str) {
        Some("array") => format!("array<{}>", schema.get("items").map(|i| type_of(doc, i)).unwrap_or_else(|| "?".into())),
        Some("object") if schema.get("properties").is_none() => match schema.get("additionalProperties") {
            Some(v @ Value::Object(_)) => format!("map<{}>", type_of(doc, v)),
            _ => "object".into(),
        },
        Some(t) => t.to_owned(),
        None if schema.get("allOf").is_some() => "allOf".into(),
        None => "any".into(),
    };
    if let Some(format) = schema.get("format").and_then(Value::as_str) {
        text.push_str(&format!("({format})"));
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let values: Vec<String> = values.iter().filter(|v| !v.is_null()).map(Value::to_string).collect();
        text.push_str(&format!(" enum[{}]", values.join(", ")));
    }
    // Exclusive bounds: a flag on `minimum` in 3.0, the bound itself in 3.1.
    for (bound, exclusive, label) in [("minimum", "exclusiveMinimum", "min"), ("maximum", "exclusiveMaximum", "max")] {
        match (schema.get(bound), schema.get(exclusive)) {
            (Some(value), Some(Value::Bool(true))) | (_, Some(value @ Value::Number(_))) => text.push_str(&format!(" exclusive {label} {value}")),
            (Some(value), _) => text.push_str(&format!(" {label} {value}")),
            (None, _) => {}
        }
    }
    for (keyword, label) in [
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("minItems", "min items"),
        ("maxItems", "max items"),
        ("pattern", "pattern"),
        ("default", "default"),
    ] {
        if let Some(value) = schema.get(keyword) {
            text.push_str(&format!(" {label} {value}"));
        }
    }
    if nullable {
        text.push_str(" | null");
    }
    text
}

/// The JSON Schema type of a value (`integer` for whole numbers).
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    }
}

fn is_null_schema(schema: &Value) -> bool {
    schema.get("type") == Some(&Value::String("null".into()))
        || schema.get("enum").and_then(Value::as_array).is_some_and(|e| e.iter().all(Value::is_null))
}
