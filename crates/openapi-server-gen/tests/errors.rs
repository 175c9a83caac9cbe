//! What the generator refuses, each refusal with its pointer and reason,
//! and what it takes that it once refused.

use openapi_server_gen::{ErrorFormat, Settings, server};
use quote::quote;
use serde_json::{Value, json};

fn settings() -> Settings {
    Settings::new(quote!(crate::types), quote!(::rt))
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

/// Every refusal, as `pointer: message`.
fn errors_with(doc: &Value, settings: &Settings) -> Vec<String> {
    server(doc, settings).map(|_| Vec::new()).unwrap_or_else(|errors| errors.iter().map(|e| format!("{}: {}", e.pointer, e.message)).collect())
}

fn errors(doc: &Value) -> Vec<String> {
    errors_with(doc, &settings())
}

fn code_of(doc: &Value) -> String {
    code(doc)
}

fn code(doc: &Value) -> String {
    match server(doc, &settings()) {
        Ok(code) => code.to_string(),
        Err(errors) => panic!("refused: {errors:?}"),
    }
}

#[test]
fn a_valid_document_generates_a_route_per_operation() {
    let doc = spec_with_parameter(json!({"name": "q", "in": "query", "schema": {"type": "string"}}));
    let code = code(&doc);
    assert!(code.contains("fn get_x"), "{code}");
    assert!(code.contains(". route (\"/x\""), "{code}");
    assert!(code.contains("NoContent"), "{code}");
}

#[test]
fn an_operation_parameter_overrides_the_path_items() {
    let mut doc = spec_with_parameter(json!({"name": "q", "in": "query", "schema": {"type": "integer"}}));
    doc["paths"]["/x"]["parameters"] = json!([{"name": "q", "in": "query", "schema": {"type": "string"}}]);
    let code = code(&doc);
    assert_eq!(code.matches("pub q :").count(), 1, "{code}");
    assert!(code.contains("pub q : :: std :: option :: Option < i64 >"), "{code}");
}

#[test]
fn inline_string_enums_cookies_arrays_and_deep_objects_are_parameters() {
    for parameter in [
        json!({"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}}),
        json!({"name": "session", "in": "cookie", "schema": {"type": "string"}}),
        json!({"name": "id", "in": "query", "style": "form", "explode": false, "schema": {"type": "array", "items": {"type": "integer"}}}),
        json!({"name": "filter", "in": "query", "style": "deepObject", "schema": {"type": "object", "properties": {"a": {"type": "boolean"}}}}),
        json!({"name": "q", "in": "query", "schema": {"type": "string", "pattern": "^a"}}),
    ] {
        assert!(errors(&spec_with_parameter(parameter.clone())).is_empty(), "{parameter}");
    }
    let code = code(&spec_with_parameter(json!({"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}})));
    assert!(code.contains("rt :: Kind :: OneOf (& [\"a\" , \"b\"])"), "{code}");
}

#[test]
fn parameters_it_cannot_check_are_refused_with_their_pointer() {
    let cases = [
        (json!({"name": "n", "in": "query", "schema": {"type": "integer", "enum": [1, 2]}}), "/paths/~1x/get/parameters/0/schema: an inline enum of non-strings"),
        (json!({"name": "n", "in": "query", "schema": {"type": "integer", "multipleOf": 5}}), "/paths/~1x/get/parameters/0/schema: `multipleOf` on a parameter is not enforced"),
        (json!({"name": "n", "in": "path", "required": true, "style": "label", "schema": {"type": "string"}}), "/paths/~1x/get/parameters/0/schema: the `label` style"),
        (json!({"name": "o", "in": "query", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}), "/paths/~1x/get/parameters/0/schema: object parameters are supported in the query with `style: deepObject` only"),
        (json!({"name": "c", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}}), "/paths/~1x/get/parameters/0/content: parameters described by `content`"),
    ];
    for (parameter, expected) in cases {
        let found = errors(&spec_with_parameter(parameter));
        assert!(found.iter().any(|e| e.starts_with(expected)), "{expected}\n{found:?}");
    }
}

#[test]
fn clashing_field_names_are_refused() {
    let mut doc = spec_with_parameter(json!({"name": "a-b", "in": "query", "schema": {"type": "string"}}));
    doc["paths"]["/x"]["get"]["parameters"].as_array_mut().unwrap().push(json!({"name": "a_b", "in": "query", "schema": {"type": "string"}}));
    assert!(errors(&doc)[0].contains("would both be the Rust field `a_b`"), "{:?}", errors(&doc));
}

#[test]
fn ranges_default_and_responses_without_content_are_variants() {
    let mut doc = spec_with_parameter(json!({"name": "q", "in": "query", "schema": {"type": "string"}}));
    doc["paths"]["/x"]["get"]["responses"] = json!({
        "204": {"description": "done"},
        "4XX": {"description": "client error", "content": {"application/problem+json": {"schema": {"type": "object"}}}},
        "default": {"description": "anything", "headers": {"X-Trace": {"schema": {"type": "string"}}}},
    });
    let code = code(&doc);
    assert!(code.contains("status : StatusCode , body : rt :: reexports :: serde_json :: Value }"), "{code}");
    assert!(code.contains("x_trace : :: std :: option :: Option < :: std :: string :: String > }"), "{code}");
    assert!(code.contains("\"application/problem+json\""), "{code}");
}

#[test]
fn several_representations_are_the_services_choice_not_dropped() {
    let mut doc = spec_with_parameter(json!({"name": "q", "in": "query", "schema": {"type": "string"}}));
    doc["paths"]["/x"]["get"]["responses"]["200"] = json!({"description": "both", "content": {
        "application/json": {"schema": {"type": "string"}}, "application/xml": {"schema": {"type": "string"}}}});
    let code = code(&doc);
    assert!(code.contains("pub enum GetXOkBody { # [doc = \"As application/json.\"] Json (rt :: reexports :: serde_json :: Value) , # [doc = \"As application/xml: bytes with their media type.\"] Other (rt :: RawBody) , }"), "{code}");
    assert!(code.contains("pub accept : rt :: Accept"), "{code}");
    doc["paths"]["/x"]["get"]["responses"]["200"] = json!({"description": "csv", "content": {"text/csv": {"schema": {"type": "string"}}}});
    assert!(code_of(&doc).contains("Ok (rt :: RawBody)"), "a response in one other media type is raw bytes");
    doc["paths"]["/x"]["get"]["responses"]["200"] = json!({"description": "json", "content": {
        "application/json": {"schema": {"type": "string"}}, "application/problem+json": {"schema": {"type": "integer"}}}});
    assert_eq!(errors(&doc), ["/paths/~1x/get/responses/200/content: its media types have different schemas; the server generator decodes one type per body"]);
}

#[test]
fn security_alternatives_and_optional_auth_are_credentials() {
    let mut doc = spec_with_parameter(json!({"name": "q", "in": "query", "schema": {"type": "string"}}));
    doc["components"] = json!({"securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer"},
        "key": {"type": "apiKey", "in": "cookie", "name": "session"},
        "digest": {"type": "http", "scheme": "digest"},
    }});
    doc["paths"]["/x"]["get"]["security"] = json!([{"bearer": []}, {"key": []}, {}]);
    doc["paths"]["/x"]["get"]["responses"]["401"] = json!({"description": "no token"});
    let found = errors(&doc);
    assert_eq!(found, ["/components/securitySchemes/digest: the HTTP `digest` scheme is not supported (bearer and basic are)"]);
    doc["components"]["securitySchemes"].as_object_mut().unwrap().remove("digest");
    let code = code(&doc);
    assert!(code.contains("pub credentials : :: std :: vec :: Vec < Credential >"), "{code}");
    assert!(code.contains("rt :: api_key (& parts , rt :: KeyIn :: Cookie , \"session\")"), "{code}");
}

#[test]
fn the_statuses_the_runtime_answers_must_be_documented() {
    let mut doc = spec_with_parameter(json!({"name": "q", "in": "query", "schema": {"type": "integer"}}));
    doc["paths"]["/x"]["get"]["responses"] = json!({"200": {"description": "ok"}});
    assert_eq!(
        errors(&doc),
        ["/paths/~1x/get/responses: an operation with parameters or a body must document 400 or 422 (or 4XX, or default): the server answers invalid input with it"]
    );
    doc["paths"]["/x"]["get"]["responses"]["400"] = json!({"description": "invalid"});
    doc["components"] = json!({"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}});
    doc["paths"]["/x"]["get"]["security"] = json!([{"bearer": []}]);
    assert!(errors(&doc)[0].contains("must document 401"), "{:?}", errors(&doc));
    doc["paths"]["/x"]["get"]["responses"]["4XX"] = json!({"description": "any client error"});
    assert!(errors(&doc).is_empty());
}

#[test]
fn parameters_that_cannot_be_wrong_need_no_documented_refusal() {
    let mut doc = spec_with_parameter(json!({"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}));
    doc["paths"]["/x/{name}"] = doc["paths"]["/x"].take();
    doc["paths"].as_object_mut().unwrap().remove("/x");
    doc["paths"]["/x/{name}"]["get"]["responses"] = json!({"200": {"description": "ok"}});
    assert!(errors(&doc).is_empty(), "{:?}", errors(&doc));
}

/// A spec whose 422 is not the body the error format writes is refused
/// where it says so.
#[test]
fn a_refusal_body_other_than_the_error_formats_is_refused_with_its_pointer() {
    let mut doc = spec_with_parameter(json!({"name": "q", "in": "query", "schema": {"type": "integer"}}));
    doc["components"] = json!({"schemas": {"ErrorBody": {"type": "object"}, "Other": {"type": "object"}}});
    doc["paths"]["/x"]["get"]["responses"]["422"] =
        json!({"description": "invalid", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Other"}}}});
    let mut laravel = settings();
    laravel.error_format = Some(ErrorFormat { path: quote!(crate::Laravel), schema: "ErrorBody".into() });
    assert_eq!(
        errors_with(&doc, &laravel),
        ["/paths/~1x/get/responses/422/content/application~1json/schema: the server answers 422 itself with this response, with the error format's body (`#/components/schemas/ErrorBody`); this response declares `#/components/schemas/Other`"]
    );
    doc["paths"]["/x"]["get"]["responses"]["422"]["content"]["application/json"]["schema"]["$ref"] = json!("#/components/schemas/ErrorBody");
    assert!(errors_with(&doc, &laravel).is_empty());
}

#[test]
fn the_runtimes_answers_share_one_body_across_the_document() {
    let mut doc = spec_with_parameter(json!({"name": "q", "in": "query", "schema": {"type": "integer"}}));
    doc["components"] = json!({"schemas": {"A": {"type": "object"}, "B": {"type": "object"}}});
    let with = |name: &str| json!({"description": "invalid", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}});
    doc["paths"]["/x"]["get"]["responses"]["422"] = with("A");
    doc["paths"]["/y"] = doc["paths"]["/x"].clone();
    doc["paths"]["/y"]["get"]["operationId"] = json!("get_y");
    doc["paths"]["/y"]["get"]["responses"]["422"] = with("B");
    let found = errors(&doc);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("/paths/~1y/get/responses/422/content/application~1json/schema: the server's own answers"), "{found:?}");
}

#[test]
fn every_refusal_is_reported_not_only_the_first() {
    let mut doc = spec_with_parameter(json!({"name": "n", "in": "query", "schema": {"type": "integer", "multipleOf": 5}}));
    doc["paths"]["/x"]["get"]["responses"]["200"] = json!({"description": "both", "content": {
        "application/json": {"schema": {"type": "string"}}, "application/vnd.x+json": {"schema": {"type": "integer"}}}});
    assert_eq!(errors(&doc).len(), 2, "{:?}", errors(&doc));
}
