//! The two-operation fixture: its generated router answers every route,
//! with two path parameters, a JSON body, a 204, and an operation without
//! security; its utoipa document means the same as its spec.

use std::collections::BTreeMap;
use std::sync::Mutex;

use http_body_util::BodyExt;
use openapi_server_fixtures::two_operations::server::*;
use openapi_server_fixtures::two_operations::types::{Item, Mode, Problem};
use openapi_server_runtime::{Reason, Rejection, Rule};
use openapi_server_runtime::reexports::axum::body::Body;
use openapi_server_runtime::reexports::axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;

#[derive(Default)]
struct Shop {
    items: Mutex<BTreeMap<(i64, String), Item>>,
    seen: std::sync::Arc<Mutex<Vec<String>>>,
}

/// This API's own error format: a short message, and each parameter's
/// broken rules by name (not Laravel's sentences: the runtime only says
/// what failed).
fn problem(message: &str) -> Problem {
    Problem { message: message.into(), errors: BTreeMap::new() }
}

impl Api for Shop {
    fn rejection_body(&self, rejection: &Rejection) -> Problem {
        match &rejection.reason {
            Reason::Invalid(problems) => {
                let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for p in problems {
                    let rule = match &p.rule {
                        Rule::Required => "required".to_owned(),
                        Rule::Type(expected) => format!("not {expected:?}").to_lowercase(),
                        Rule::Minimum(min) => format!("below {min}"),
                        Rule::Body(error) => format!("body: {error}"),
                        other => format!("{other:?}"),
                    };
                    errors.entry(p.name.clone()).or_default().push(rule);
                }
                Problem { message: "invalid input".into(), errors }
            }
            Reason::Unauthenticated => problem("who are you?"),
            other => problem(&format!("{other:?}")),
        }
    }

    async fn get_item(&self, request: GetItemRequest) -> GetItemResponse {
        let GetItemRequest { path, query, headers, .. } = request;
        self.seen.lock().unwrap().push(format!("{:?} {:?}", query.include_deleted, headers.x_request_id));
        match self.items.lock().unwrap().get(&(path.shop_id, path.sku)) {
            Some(item) => GetItemResponse::Ok(item.clone()),
            None => GetItemResponse::NotFound(problem("No such item.")),
        }
    }

    async fn delete_item(&self, request: DeleteItemRequest) -> DeleteItemResponse {
        match self.items.lock().unwrap().remove(&(request.path.shop_id, request.path.sku)) {
            Some(_) => DeleteItemResponse::NoContent,
            None => DeleteItemResponse::NotFound(problem("No such item.")),
        }
    }

    async fn create_item(&self, request: CreateItemRequest) -> CreateItemResponse {
        let CreateItemRequest { path, query, body } = request;
        let item = Item { label: body.label, price_cents: body.price_cents, shop_id: path.shop_id, sku: body.sku };
        if query.dry_run == Mode::Apply {
            self.items.lock().unwrap().insert((item.shop_id, item.sku.clone()), item.clone());
        }
        CreateItemResponse::Created(item)
    }
}

async fn call(app: &openapi_server_runtime::reexports::axum::Router, request: Request<Body>) -> (StatusCode, Option<Value>) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, (!bytes.is_empty()).then(|| serde_json::from_slice(&bytes).unwrap()))
}

fn json_post(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri).header("content-type", "application/json").body(Body::from(body.to_owned())).unwrap()
}

#[tokio::test]
async fn every_route_answers() {
    let app = router(Shop::default());

    // POST has `security: []`: no token needed; the body arrives typed and
    // the query default (`apply`) is applied.
    let (status, body) = call(&app, json_post("/shops/3/items", r#"{"sku":"A-1","price_cents":250}"#)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body, Some(json!({"sku": "A-1", "price_cents": 250, "shop_id": 3})));

    // GET needs the bearer token; two path parameters, a default, a header.
    let get = |auth: bool| {
        let request = Request::get("/shops/3/items/A-1?include_deleted=true").header("x-request-id", "r-9");
        let request = if auth { request.header("authorization", "Bearer t") } else { request };
        request.body(Body::empty()).unwrap()
    };
    assert_eq!(call(&app, get(false)).await, (StatusCode::UNAUTHORIZED, Some(json!({"message": "who are you?"}))));
    let (status, body) = call(&app, get(true)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.unwrap()["sku"], "A-1");

    let delete = || Request::delete("/shops/3/items/A-1").header("authorization", "Bearer t").body(Body::empty()).unwrap();
    assert_eq!(call(&app, delete()).await, (StatusCode::NO_CONTENT, None));
    let (status, body) = call(&app, delete()).await;
    assert_eq!((status, body.unwrap()["message"].clone()), (StatusCode::NOT_FOUND, json!("No such item.")));
}

/// The runtime's neutral settings (this spec's generator chose no other):
/// a boolean is `true` or `false`, and a key or header sent twice is
/// refused, whichever repeat would have been the valid one. The Popsell
/// server's Laravel settings read the same requests PHP's way (its
/// `tests/rejections.rs`).
#[tokio::test]
async fn neutral_settings_refuse_digit_booleans_and_repeated_keys() {
    let app = router(Shop::default());
    let get = |uri: &str, request_ids: &[&str]| {
        let mut request = Request::get(uri).header("authorization", "Bearer t");
        for id in request_ids {
            request = request.header("x-request-id", *id);
        }
        request.body(Body::empty()).unwrap()
    };
    for (uri, ids, error) in [
        ("/shops/3/items/none?include_deleted=1", &["r"][..], ("include_deleted", "not boolean")),
        ("/shops/3/items/none?include_deleted=true&include_deleted=false", &["r"], ("include_deleted", "Repeated")),
        ("/shops/3/items/none?include_deleted=true", &["r-1", "r-2"], ("X-Request-Id", "Repeated")),
    ] {
        let (status, body) = call(&app, get(uri, ids)).await;
        assert_eq!((status, body.unwrap()["errors"][error.0][0].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!(error.1)), "{uri} {ids:?}");
    }
    assert_eq!(call(&app, get("/shops/3/items/none?include_deleted=true", &["r"])).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn typed_inputs_have_their_defaults() {
    let shop = Shop::default();
    let seen = shop.seen.clone();
    let app = router(shop);
    let request = Request::get("/shops/3/items/none").header("authorization", "Bearer t").body(Body::empty()).unwrap();
    assert_eq!(call(&app, request).await.0, StatusCode::NOT_FOUND);
    assert_eq!(seen.lock().unwrap().as_slice(), ["false None"]);
}

#[tokio::test]
async fn bad_bodies_and_parameters_are_422_in_the_apis_own_error_format() {
    let app = router(Shop::default());
    let (status, body) = call(&app, json_post("/shops/3/items", r#"{"sku":"A-1"}"#)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = body.unwrap();
    assert!(body["errors"]["body"][0].as_str().unwrap().contains("body: missing field `price_cents`"), "{body}");

    let (status, body) = call(&app, json_post("/shops/x/items?dry_run=maybe", "")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = &body.unwrap()["errors"];
    assert_eq!(errors["shop_id"], json!(["not integer"]));
    assert_eq!(errors["dry_run"], json!(["not enum"]));
    assert_eq!(errors["body"], json!(["required"]));

    let request = Request::get("/shops/0/items/A-1").header("authorization", "Bearer t").body(Body::empty()).unwrap();
    let (status, body) = call(&app, request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body.unwrap()["errors"]["shop_id"], json!(["below 1"]));
}

#[test]
fn the_utoipa_document_means_the_same_as_the_fixture_spec() {
    let server = serde_json::to_value(openapi()).unwrap();
    let spec = openapi_server_fixtures::fixture_spec("two_operations");
    assert_eq!(openapi_spec::normalize::table(&server), openapi_spec::normalize::table(&spec));
}
