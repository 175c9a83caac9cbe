//! What the generator refuses, with the pointer and the reason.

use openapi_server_gen::{Settings, server};
use quote::quote;
use serde_json::{Value, json};

fn settings() -> Settings {
    Settings { types: quote!(crate::types), runtime: quote!(::rt) }
}

fn spec_with_parameter(parameter: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {
            "operationId": "get_x",
            "parameters": [parameter],
            "responses": {"204": {"description": "done"}, "422": {"description": "invalid"}}
        }}}
    })
}

fn error(doc: &Value) -> String {
    server(doc, &settings()).map(|_| ()).unwrap_err().to_string()
}

#[test]
fn inline_enums_need_a_component() {
    let doc = spec_with_parameter(json!({"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}}));
    let message = error(&doc);
    assert!(message.starts_with("at /paths/~1x/get/parameters/0/schema:"), "{message}");
    assert!(message.contains("a $ref to a component schema (for enums)"), "{message}");
}

#[test]
fn cookie_parameters_are_not_supported() {
    let doc = spec_with_parameter(json!({"name": "session", "in": "cookie", "schema": {"type": "string"}}));
    assert_eq!(error(&doc), "at /paths/~1x/get/parameters/0: parameters in Some(\"cookie\") are not supported (path, query and header are)");
}

#[test]
fn non_numeric_statuses_and_non_json_bodies_are_refused() {
    let mut doc = spec_with_parameter(json!({"name": "q", "in": "query", "schema": {"type": "string"}}));
    doc["paths"]["/x"]["get"]["responses"] = json!({"default": {"description": "anything"}});
    assert!(error(&doc).starts_with("at /paths/~1x/get/responses/default: only numeric status codes"));
    doc["paths"]["/x"]["get"]["responses"] = json!({"200": {"description": "csv", "content": {"text/csv": {"schema": {"type": "string"}}}}});
    assert!(error(&doc).contains("only application/json bodies are supported"));
}

#[test]
fn a_valid_document_generates_a_route_per_operation() {
    let doc = spec_with_parameter(json!({"name": "q", "in": "query", "schema": {"type": "string"}}));
    let code = server(&doc, &settings()).unwrap().to_string();
    assert!(code.contains("fn get_x"), "{code}");
    assert!(code.contains(". route (\"/x\""), "{code}");
    assert!(code.contains("NoContent"), "{code}");
}

#[test]
fn an_operation_parameter_overrides_the_path_items() {
    let mut doc = spec_with_parameter(json!({"name": "q", "in": "query", "schema": {"type": "integer"}}));
    doc["paths"]["/x"]["parameters"] = json!([{"name": "q", "in": "query", "schema": {"type": "string"}}]);
    let code = server(&doc, &settings()).unwrap().to_string();
    assert_eq!(code.matches("pub q :").count(), 1, "{code}");
    assert!(code.contains("pub q : :: std :: option :: Option < i64 >"), "{code}");
}

#[test]
fn clashing_field_names_unenforced_keywords_and_alternatives_are_refused() {
    let mut doc = spec_with_parameter(json!({"name": "a-b", "in": "query", "schema": {"type": "string"}}));
    doc["paths"]["/x"]["get"]["parameters"].as_array_mut().unwrap().push(json!({"name": "a_b", "in": "query", "schema": {"type": "string"}}));
    assert!(error(&doc).contains("would both be the Rust field `a_b`"), "{}", error(&doc));

    let doc = spec_with_parameter(json!({"name": "q", "in": "query", "schema": {"type": "string", "pattern": "^a"}}));
    assert_eq!(error(&doc), "at /paths/~1x/get/parameters/0/schema: `pattern` on a parameter is not enforced by the server generator");

    let mut doc = spec_with_parameter(json!({"name": "q", "in": "query", "schema": {"type": "string"}}));
    doc["components"] = json!({"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}});
    doc["paths"]["/x"]["get"]["security"] = json!([{}, {"bearer": []}]);
    assert!(error(&doc).starts_with("at /paths/~1x/get/security: the server generator supports no security or one bearer scheme"));
    doc["paths"]["/x"]["get"]["security"] = json!([{"bearer": []}]);
    doc["paths"]["/x"]["get"]["responses"]["401"] = json!({"description": "no token"});
    assert!(server(&doc, &settings()).is_ok());
}

#[test]
fn the_statuses_the_runtime_answers_must_be_documented() {
    let mut doc = spec_with_parameter(json!({"name": "q", "in": "query", "schema": {"type": "string"}}));
    doc["paths"]["/x"]["get"]["responses"] = json!({"200": {"description": "ok"}});
    assert!(error(&doc).contains("must document 422"), "{}", error(&doc));
    doc["paths"]["/x"]["get"]["responses"]["422"] = json!({"description": "invalid"});
    doc["components"] = json!({"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}});
    doc["paths"]["/x"]["get"]["security"] = json!([{"bearer": []}]);
    assert!(error(&doc).contains("must document 401"), "{}", error(&doc));
}
