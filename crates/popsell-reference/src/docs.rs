//! `/docs`: Swagger UI, embedded in the binary at build time (no network at
//! build or run time), over this server's own document, so that its "try
//! it" sends requests to this server with the bearer token and the brand
//! header typed into the page.

use popsell_server::BASE_PATH;
use openapi_server_runtime::reexports::axum::Router;
use utoipa::openapi::OpenApi;
use utoipa::openapi::server::ServerBuilder;
use utoipa_swagger_ui::{Config, SwaggerUi};

/// Where the page lives.
pub const DOCS_PATH: &str = "/docs";

/// The document this server serves at `{BASE_PATH}/openapi.json`: the
/// spec's, with this server listed first in `servers` (relative, so it is
/// right on any address), the API's own servers after it.
pub fn document() -> OpenApi {
    let mut document = popsell_server::openapi();
    let this = ServerBuilder::new().url(BASE_PATH).description(Some("This reference server (demo tokens: see its start-up output)")).build();
    document.servers.get_or_insert_with(Vec::new).insert(0, this);
    document
}

/// The docs page's routes.
pub fn routes() -> Router {
    let config = Config::new([format!("{BASE_PATH}/openapi.json")])
        // Every operation, its parameters and schemas shown without clicks,
        // and the request form open: the page is for trying requests.
        .doc_expansion("full")
        .try_it_out_enabled(true)
        .persist_authorization(true)
        .display_request_duration(true)
        // Swagger UI would otherwise send the document to validator.swagger.io.
        .validator_url("none");
    SwaggerUi::new(DOCS_PATH).config(config).into()
}

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt;
    use openapi_server_runtime::reexports::axum::body::Body;
    use openapi_server_runtime::reexports::axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    use super::*;

    async fn get(path: &str) -> (StatusCode, String) {
        let response = routes().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[test]
    fn the_served_document_lists_this_server_first_then_the_apis() {
        let servers = document().servers.unwrap();
        assert_eq!(servers[0].url, BASE_PATH);
        let spec: Vec<String> = popsell_server::openapi().servers.unwrap().into_iter().map(|s| s.url).collect();
        assert_eq!(servers[1..].iter().map(|s| s.url.clone()).collect::<Vec<_>>(), spec);
    }

    #[tokio::test]
    async fn the_page_and_its_assets_come_from_the_binary() {
        let (status, page) = get("/docs/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("./swagger-ui-bundle.js"), "{page}");
        let (status, bundle) = get("/docs/swagger-ui-bundle.js").await;
        assert_eq!(status, StatusCode::OK);
        assert!(bundle.len() > 100_000, "the embedded Swagger UI bundle: {} bytes", bundle.len());
    }

    #[tokio::test]
    async fn the_page_reads_this_servers_document_with_try_it_open_and_no_outside_validator() {
        let (status, script) = get("/docs/swagger-initializer.js").await;
        assert_eq!(status, StatusCode::OK);
        for setting in [r#""url": "/api/v2/openapi.json""#, r#""tryItOutEnabled": true"#, r#""validatorUrl": "none""#, r#""docExpansion": "full""#] {
            assert!(script.contains(setting), "{setting} missing from:\n{script}");
        }
    }
}
