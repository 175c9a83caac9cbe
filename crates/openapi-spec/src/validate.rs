//! Validation beyond "it parses": the official OpenAPI 3.0 JSON Schema,
//! local `$ref`s, and every `example` against its schema.

use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, Error};
use crate::pointer::child;
use crate::spec::Spec;

/// The official OpenAPI 3.0 schema (2021-09-28), vendored: see `schemas/README.md`.
const OPENAPI_30_SCHEMA: &str = include_str!("../schemas/openapi-3.0.schema.json");

/// Runs every check and returns all problems found, not only the first.
pub fn validate(spec: &Spec) -> Result<(), Error> {
    // Examples are checked once every `$ref` resolves.
    let mut problems = unresolved_refs(spec);
    if problems.is_empty() {
        problems.extend(invalid_examples(spec));
    }
    if problems.is_empty() { Ok(()) } else { Err(Error::Invalid(problems)) }
}

/// Problems of a document against the official OpenAPI 3.0 JSON Schema:
/// (pointer, message).
pub(crate) fn against_openapi_schema(doc: &Value) -> Vec<(String, String)> {
    // Compiled once per process: every spec (and every corpus case) reuses it.
    static VALIDATOR: std::sync::LazyLock<jsonschema::Validator> = std::sync::LazyLock::new(|| {
        let schema: Value = serde_json::from_str(OPENAPI_30_SCHEMA).expect("the vendored OpenAPI schema is JSON");
        jsonschema::options().with_draft(jsonschema::Draft::Draft4).build(&schema).expect("the vendored OpenAPI schema compiles")
    });
    VALIDATOR
        .iter_errors(doc)
        .map(|e| {
            let e = closest(&e);
            (e.instance_path().as_str().to_owned(), format!("does not match the OpenAPI 3.0 schema: {}", e.masked()))
        })
        .collect()
}

/// For "no alternative of a `oneOf`/`anyOf` matched", the problem of the
/// alternative the value came closest to: the one whose first problem lies
/// deepest in the value (a schema with a misspelt key is a Schema Object
/// with one unknown key, not a Reference Object without `$ref`).
fn closest<'a, 'b>(error: &'a jsonschema::ValidationError<'b>) -> &'a jsonschema::ValidationError<'b> {
    use jsonschema::error::ValidationErrorKind;
    let context = match error.kind() {
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => context,
        _ => return error,
    };
    let depth = |e: &jsonschema::ValidationError<'_>| e.instance_path().as_str().matches('/').count();
    // A value without `$ref` was not meant as a Reference Object.
    let meant = |e: &jsonschema::ValidationError<'_>| !matches!(e.kind(), ValidationErrorKind::Required { property } if property == "$ref");
    // How close a branch came: where its deepest problem is, whether the
    // value was meant as that branch, how few problems it has.
    type Closeness = (usize, bool, std::cmp::Reverse<usize>);
    let mut branches: Vec<(&jsonschema::ValidationError<'b>, Closeness)> = context
        .iter()
        .filter_map(|branch| branch.iter().max_by_key(|e| (depth(e), meant(e))).map(|deepest| (deepest, (depth(deepest), meant(deepest), std::cmp::Reverse(branch.len())))))
        .collect();
    branches.sort_by_key(|branch| std::cmp::Reverse(branch.1));
    match branches.as_slice() {
        // Several alternatives equally close (`in: body` is no location of
        // any): the value matched none, as the error says.
        [first, second, ..] if first.1 == second.1 => error,
        [first, ..] => closest(first.0),
        [] => error,
    }
}

/// Every `$ref` that is not local or does not resolve.
pub fn unresolved_refs(spec: &crate::spec::Document) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    visit(&spec.json, "", &mut |value, pointer| {
        let Some(Value::String(target)) = value.get("$ref") else { return };
        let here = child(pointer, "$ref");
        match target.strip_prefix('#') {
            None => problems.push(spec.diagnostic(here, format!("external $ref `{target}` is not supported: keep the spec in one file"))),
            Some(local) if spec.json.pointer(local).is_none() => {
                problems.push(spec.diagnostic(here, format!("$ref `{target}` does not resolve")));
            }
            Some(_) => {}
        }
    });
    problems
}

/// Calls `f` on every object of the document with its pointer.
fn visit(value: &Value, pointer: &str, f: &mut impl FnMut(&Map<String, Value>, &str)) {
    match value {
        Value::Object(map) => {
            f(map, pointer);
            for (key, v) in map {
                visit(v, &child(pointer, key), f);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                visit(v, &child(pointer, i.to_string()), f);
            }
        }
        _ => {}
    }
}

/// Checks `example` / `examples` of schemas, parameters and media types.
fn invalid_examples(spec: &Spec) -> Vec<Diagnostic> {
    let definitions = spec
        .json
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas.iter().map(|(name, schema)| (name.clone(), to_json_schema(schema))).collect::<Map<_, _>>()
        })
        .unwrap_or_default();
    let mut problems = Vec::new();
    for (pointer, schema, example) in examples(&spec.json) {
        let mut root = to_json_schema(schema);
        if let Value::Object(root) = &mut root {
            root.insert("definitions".into(), Value::Object(definitions.clone()));
        }
        let validator = match jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .build(&root)
        {
            Ok(validator) => validator,
            Err(e) => {
                problems.push(spec.diagnostic(pointer, format!("the schema of this example does not compile: {}", e.masked())));
                continue;
            }
        };
        for error in validator.iter_errors(example) {
            let inner = error.instance_path().as_str();
            problems.push(spec.diagnostic(
                format!("{pointer}{inner}"),
                format!("example does not match its schema: {}", error.masked()),
            ));
        }
    }
    problems
}

/// Every (pointer of the example, schema, example value) of the document.
fn examples(doc: &Value) -> Vec<(String, &Value, &Value)> {
    let mut found = Examples(Vec::new());
    for (name, schema) in entries(doc, "/components/schemas") {
        found.schema(schema, &child("/components/schemas", name));
    }
    for (name, parameter) in entries(doc, "/components/parameters") {
        found.holder(parameter, &child("/components/parameters", name));
    }
    for (name, response) in entries(doc, "/components/responses") {
        found.content(response, &child("/components/responses", name));
    }
    for (name, body) in entries(doc, "/components/requestBodies") {
        found.content(body, &child("/components/requestBodies", name));
    }
    for (path, item) in entries(doc, "/paths") {
        let item_pointer = child("/paths", path);
        found.parameters(item, &item_pointer);
        for method in crate::document::METHODS {
            let Some(operation) = item.get(method) else { continue };
            let op_pointer = child(&item_pointer, method);
            found.parameters(operation, &op_pointer);
            if let Some(body) = operation.get("requestBody") {
                found.content(body, &child(&op_pointer, "requestBody"));
            }
            for (status, response) in operation.get("responses").and_then(Value::as_object).into_iter().flatten() {
                found.content(response, &child(&child(&op_pointer, "responses"), status));
            }
        }
    }
    found.0
}

struct Examples<'a>(Vec<(String, &'a Value, &'a Value)>);

impl<'a> Examples<'a> {
    /// `example` of a schema and of the schemas nested in it.
    fn schema(&mut self, schema: &'a Value, pointer: &str) {
        walk_schemas(schema, pointer, &mut |s, p| {
            if let Some(example) = s.get("example") {
                self.0.push((child(p, "example"), s, example));
            }
        });
    }

    /// A parameter or a media type: `schema` with `example` or `examples`.
    fn holder(&mut self, holder: &'a Value, pointer: &str) {
        let Some(schema) = holder.get("schema") else { return };
        self.schema(schema, &child(pointer, "schema"));
        if let Some(example) = holder.get("example") {
            self.0.push((child(pointer, "example"), schema, example));
        }
        for (name, example) in holder.get("examples").and_then(Value::as_object).into_iter().flatten() {
            if let Some(value) = example.get("value") {
                self.0.push((child(&child(&child(pointer, "examples"), name), "value"), schema, value));
            }
        }
    }

    /// The media types of a response or request body.
    fn content(&mut self, owner: &'a Value, pointer: &str) {
        for (media, m) in owner.get("content").and_then(Value::as_object).into_iter().flatten() {
            self.holder(m, &child(&child(pointer, "content"), media));
        }
    }

    /// The parameters of a path item or an operation.
    fn parameters(&mut self, owner: &'a Value, pointer: &str) {
        for (i, p) in owner.get("parameters").and_then(Value::as_array).into_iter().flatten().enumerate() {
            self.holder(p, &child(&child(pointer, "parameters"), i.to_string()));
        }
    }
}

fn entries<'a>(doc: &'a Value, pointer: &str) -> impl Iterator<Item = (&'a String, &'a Value)> {
    doc.pointer(pointer).and_then(Value::as_object).into_iter().flatten()
}

/// Calls `f` on a schema and each schema nested in it.
fn walk_schemas<'a>(schema: &'a Value, pointer: &str, f: &mut impl FnMut(&'a Value, &str)) {
    f(schema, pointer);
    for key in ["items", "not", "additionalProperties"] {
        if let Some(s @ Value::Object(_)) = schema.get(key) {
            walk_schemas(s, &child(pointer, key), f);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for (i, s) in schema.get(key).and_then(Value::as_array).into_iter().flatten().enumerate() {
            walk_schemas(s, &child(&child(pointer, key), i.to_string()), f);
        }
    }
    for (name, s) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        walk_schemas(s, &child(&child(pointer, "properties"), name), f);
    }
}

/// An OpenAPI 3.0 schema object as a JSON Schema: converted to 3.1 (whose
/// schemas are JSON Schema: `nullable` becomes a `null` type), with
/// component `$ref`s pointing at `definitions`.
pub fn to_json_schema(schema: &Value) -> Value {
    fn rewrite_refs(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    match (key.as_str(), v) {
                        ("$ref", Value::String(target)) => *target = target.replace("#/components/schemas/", "#/definitions/"),
                        (_, v) => rewrite_refs(v),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(rewrite_refs),
            _ => {}
        }
    }
    let mut converted = crate::to_openapi_31(schema);
    rewrite_refs(&mut converted);
    converted
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seen in a published document: `descrption` in a Schema Object. The
    /// schema says a Schema or a Reference Object is wanted; the message
    /// names the key of the one it nearly is.
    #[test]
    fn a_misspelt_key_is_named_not_the_alternatives() {
        let doc = serde_json::json!({
            "openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"C": {"properties": {"kind": {"descrption": "d", "type": "string"}}}}},
        });
        let problems = against_openapi_schema(&doc);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].0, "/components/schemas/C/properties/kind");
        assert!(problems[0].1.contains("'descrption' was unexpected"), "{problems:?}");
    }
}
