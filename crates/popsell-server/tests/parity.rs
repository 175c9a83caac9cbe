//! The drift guard: the document utoipa builds from the generated
//! annotations means the same as openapi.yaml. utoipa writes OpenAPI 3.1,
//! the source is 3.0, so both are compared through the normalized table
//! (operations, parameters with location/required/schema, status codes to
//! schemas, component schemas' properties with required and nullable).
//! The table itself is snapshotted in popsell-codegen (`operation_table`).

use openapi_spec::Spec;
use openapi_spec::normalize::{ApiTable, table};

fn source_table() -> ApiTable {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.yaml")).unwrap();
    table(&Spec::parse("openapi.yaml", &text).unwrap().json)
}

fn server_document() -> serde_json::Value {
    serde_json::to_value(popsell_server::openapi()).unwrap()
}

#[test]
fn the_server_document_means_the_same_as_the_spec() {
    let server = table(&server_document());
    let source = source_table();
    if server != source {
        let render = |t: &ApiTable| serde_json::to_string_pretty(t).unwrap();
        let (source, server) = (render(&source), render(&server));
        let diff = similar::TextDiff::from_lines(&source, &server).unified_diff().header("openapi.yaml", "server").to_string();
        panic!("the server's utoipa document differs from openapi.yaml; regenerate with `cargo xtask codegen`:\n{diff}");
    }
}

#[test]
fn the_server_document_is_openapi_31_with_the_spec_identity() {
    let document = server_document();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(document["info"]["title"], "Popsell REST API");
    assert_eq!(document["servers"][0]["url"], "https://domain.tld/api/v2");
    assert_eq!(document["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
}

