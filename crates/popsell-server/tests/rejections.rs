//! Every request the generated server must refuse, through the router
//! (`tower::ServiceExt::oneshot`): the status and the exact JSON body, in
//! the spec's error shape. Never a 500, never axum's plain text.

mod support;

use http_body_util::BodyExt;
use serde_json::{Value, json};
use support::axum_router::body::Body;
use support::axum_router::http::{Request, StatusCode};
use support::{SeedApi, app};
use tower::ServiceExt;

const ROUTE: &str = "/api/v2/chat/ambassadors/42/chatrooms";

struct Case {
    name: &'static str,
    uri: String,
    headers: Vec<(&'static str, &'static str)>,
    status: StatusCode,
    body: Value,
}

fn good_headers() -> Vec<(&'static str, &'static str)> {
    vec![("authorization", "Bearer token"), ("x-popsell-brand", "7")]
}

fn case(name: &'static str, query: &str, status: StatusCode, body: Value) -> Case {
    let uri = if query.is_empty() { ROUTE.to_owned() } else { format!("{ROUTE}?{query}") };
    Case { name, uri, headers: good_headers(), status, body }
}

fn unprocessable(field: &str, message: &str) -> Value {
    json!({"message": message, "errors": {field: [message]}})
}

async fn send(uri: &str, headers: &[(&str, &str)]) -> (StatusCode, String, Value) {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app(SeedApi::default()).oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| panic!("{uri}: not JSON: {}", String::from_utf8_lossy(&bytes)));
    (status, content_type, body)
}

#[tokio::test]
async fn every_rejection_has_its_status_and_exact_body() {
    let unauthorized = json!({"message": "Unauthorized."});
    let mut cases = vec![
        Case { name: "no authorization", headers: vec![("x-popsell-brand", "7")], ..case("", "", StatusCode::UNAUTHORIZED, unauthorized.clone()) },
        Case {
            name: "basic authorization",
            headers: vec![("authorization", "Basic dXNlcjpwYXNz"), ("x-popsell-brand", "7")],
            ..case("", "", StatusCode::UNAUTHORIZED, unauthorized.clone())
        },
        Case {
            name: "empty bearer",
            headers: vec![("authorization", "Bearer "), ("x-popsell-brand", "7")],
            ..case("", "", StatusCode::UNAUTHORIZED, unauthorized.clone())
        },
        Case {
            name: "401 before 422",
            headers: vec![("x-popsell-brand", "seven")],
            ..case("", "per_page=0", StatusCode::UNAUTHORIZED, unauthorized)
        },
        Case {
            name: "an unknown token is 401 before any parameter",
            headers: vec![("authorization", "Bearer revoked")],
            ..case("", "per_page=0", StatusCode::UNAUTHORIZED, json!({"message": "Unauthorized."}))
        },
        Case {
            name: "missing brand",
            headers: vec![("authorization", "Bearer token")],
            ..case("", "", StatusCode::UNPROCESSABLE_ENTITY, unprocessable("X-Popsell-Brand", "The X-Popsell-Brand field is required."))
        },
        Case {
            name: "non-integer brand",
            headers: vec![("authorization", "Bearer token"), ("x-popsell-brand", "seven")],
            ..case(
                "",
                "",
                StatusCode::UNPROCESSABLE_ENTITY,
                unprocessable("X-Popsell-Brand", "The X-Popsell-Brand field must be an integer."),
            )
        },
        Case {
            name: "brand below its minimum",
            headers: vec![("authorization", "Bearer token"), ("x-popsell-brand", "0")],
            ..case(
                "",
                "",
                StatusCode::UNPROCESSABLE_ENTITY,
                unprocessable("X-Popsell-Brand", "The X-Popsell-Brand field must be at least 1."),
            )
        },
        Case {
            uri: "/api/v2/chat/ambassadors/alice/chatrooms".into(),
            ..case("non-integer path", "", StatusCode::UNPROCESSABLE_ENTITY, unprocessable("ambassador", "The ambassador field must be an integer."))
        },
        Case {
            uri: "/api/v2/chat/ambassadors/%FF/chatrooms".into(),
            ..case("path not UTF-8", "", StatusCode::UNPROCESSABLE_ENTITY, unprocessable("ambassador", "The ambassador field must be an integer."))
        },
        case("unknown sort", "sort=newest", StatusCode::UNPROCESSABLE_ENTITY, unprocessable("sort", "The selected sort is invalid.")),
        case(
            "unknown type_chatroom",
            "filter%5Btype_chatroom%5D=3",
            StatusCode::UNPROCESSABLE_ENTITY,
            unprocessable("filter[type_chatroom]", "The selected filter.type chatroom is invalid."),
        ),
        case("unknown flag", "filter[flag]=3", StatusCode::UNPROCESSABLE_ENTITY, unprocessable("filter[flag]", "The selected filter.flag is invalid.")),
        case(
            "unknown commented",
            "filter[commented]=maybe",
            StatusCode::UNPROCESSABLE_ENTITY,
            unprocessable("filter[commented]", "The selected filter.commented is invalid."),
        ),
        case(
            "bad boolean",
            "filter[archived]=yes",
            StatusCode::UNPROCESSABLE_ENTITY,
            unprocessable("filter[archived]", "The filter.archived field must be true or false."),
        ),
        case(
            "bad date",
            "filter[last_action_date_before]=yesterday",
            StatusCode::UNPROCESSABLE_ENTITY,
            unprocessable("filter[last_action_date_before]", "The filter.last action date before field must be a valid date."),
        ),
        case("page 0", "page=0", StatusCode::UNPROCESSABLE_ENTITY, unprocessable("page", "The page field must be at least 1.")),
        case("page not a number", "page=two", StatusCode::UNPROCESSABLE_ENTITY, unprocessable("page", "The page field must be an integer.")),
        case(
            "page past i32",
            "page=99999999999",
            StatusCode::UNPROCESSABLE_ENTITY,
            unprocessable("page", "The page field must not be greater than 2147483647."),
        ),
        case("per_page 0", "per_page=0", StatusCode::UNPROCESSABLE_ENTITY, unprocessable("per_page", "The per page field must be at least 1.")),
        case("per_page negative", "per_page=-5", StatusCode::UNPROCESSABLE_ENTITY, unprocessable("per_page", "The per page field must be at least 1.")),
        case(
            "per_page too large",
            "per_page=1000000000",
            StatusCode::UNPROCESSABLE_ENTITY,
            unprocessable("per_page", "The per page field must not be greater than 100."),
        ),
        case(
            "several problems at once",
            "per_page=0&sort=newest",
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({
                "message": "The per page field must be at least 1. (and 1 more error)",
                "errors": {"per_page": ["The per page field must be at least 1."], "sort": ["The selected sort is invalid."]}
            }),
        ),
        Case {
            uri: "/api/v2/chat/ambassadors/42".into(),
            ..case("unknown path", "", StatusCode::NOT_FOUND, json!({"message": "Not Found."}))
        },
    ];
    for case in cases.iter_mut().filter(|c| c.name.is_empty()) {
        case.name = "authorization";
    }
    let mut failures = Vec::new();
    for case in &cases {
        let (status, content_type, body) = send(&case.uri, &case.headers).await;
        if status != case.status || body != case.body || content_type != "application/json" {
            failures.push(format!("{}: got {status} {content_type} {body}, want {} {}", case.name, case.status, case.body));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn a_401_says_how_to_authenticate_and_two_authorization_headers_are_none() {
    for authorization in [vec![], vec![("authorization", "Bearer token"), ("authorization", "Bearer token")]] {
        let mut request = Request::get(ROUTE).header("x-popsell-brand", "7");
        for (name, value) in &authorization {
            request = request.header(*name, *value);
        }
        let response = app(SeedApi::default()).oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{authorization:?}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
    }
    let (status, _, body) = send(ROUTE, &[("authorization", "Bearer token"), ("x-popsell-brand", "7"), ("x-popsell-brand", "7")]).await;
    assert_eq!((status, &body["errors"]["X-Popsell-Brand"]), (StatusCode::UNPROCESSABLE_ENTITY, &json!(["The X-Popsell-Brand field must be an integer."])));
}

#[tokio::test]
async fn another_method_is_405_in_the_error_shape() {
    let request = Request::post(ROUTE).header("authorization", "Bearer t").body(Body::empty()).unwrap();
    let response = app(SeedApi::default()).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body, json!({"message": "The POST method is not supported for this route."}));
}

#[tokio::test]
async fn valid_requests_reach_the_implementation_with_typed_inputs_and_defaults() {
    use popsell_types::{ChatroomSort, ChatroomTypeFilter, QueryBoolean};
    let api = SeedApi::default();
    let uri = format!("{ROUTE}?filter%5Barchived%5D=true&filter[type_chatroom]=7&filter[flag]=2&filter[last_action_date_before]=2024-05-04T09:42:00%2B00:00&page=3&unknown=ignored");
    let mut request = Request::get(uri);
    for (name, value) in good_headers() {
        request = request.header(name, value);
    }
    let response = app(api.clone()).oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let received = api.received.lock().unwrap();
    let request = &received[0];
    assert_eq!(request.bearer_auth.as_str(), "token");
    assert_eq!(request.headers.x_popsell_brand, 7);
    assert_eq!(request.path.ambassador, 42);
    let query = &request.query;
    assert_eq!(query.filter_archived, Some(QueryBoolean(true)));
    assert_eq!(query.filter_type_chatroom, Some(ChatroomTypeFilter::OneToMany));
    assert_eq!(query.filter_flag.map(|f| f.code()), Some(2));
    assert_eq!(query.filter_last_action_date_before.unwrap().to_rfc3339(), "2024-05-04T09:42:00+00:00");
    assert_eq!(query.filter_commented, None);
    // Defaults from the spec.
    assert_eq!((query.page, query.per_page, query.sort), (3, 15, ChatroomSort::LastActionDateDesc));
}

/// The generated server reads a request as PHP does ([`popsell_server::LARAVEL_REQUESTS`]):
/// the last of a repeated key counts, a header sent twice is the values
/// joined. The runtime's neutral settings refuse both (the fixtures' tests).
#[tokio::test]
async fn a_request_is_read_as_php_reads_it() {
    let api = SeedApi::default();
    let request = Request::get(format!("{ROUTE}?page=2&page=3&filter[flag]=1&filter[flag]=2"))
        .header("authorization", "Bearer token")
        .header("x-popsell-brand", "7")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app(api.clone()).oneshot(request).await.unwrap().status(), StatusCode::OK);
    let query = api.received.lock().unwrap()[0].query.clone();
    assert_eq!((query.page, query.filter_flag.map(|f| f.code())), (3, Some(2)));

    let request = Request::get(ROUTE)
        .header("authorization", "Bearer token")
        .header("x-popsell-brand", "7")
        .header("x-popsell-brand", "7")
        .body(Body::empty())
        .unwrap();
    let response = app(api).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(body["errors"]["X-Popsell-Brand"], json!(["The X-Popsell-Brand field must be an integer."]), "`7, 7`: {body}");
}

#[tokio::test]
async fn the_server_serves_its_own_document() {
    let response = app(SeedApi::default()).oneshot(Request::get("/api/v2/openapi.json").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let document: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(document["paths"]["/chat/ambassadors/{ambassador}/chatrooms"]["get"]["operationId"], "get_ambassador_chatrooms");
}
