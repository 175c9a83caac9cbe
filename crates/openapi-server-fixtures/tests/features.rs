//! The features fixture through its generated router: each security kind
//! and alternative, optional auth, 400 in the API's own problem+json, 415,
//! `4XX`/`default`/`5XX`, response headers, several representations chosen
//! by `Accept`, JSON and form bodies of one schema, raw and optional
//! bodies, arrays in three styles, `deepObject`, cookies, inline enums,
//! patterns and exclusive bounds; and its utoipa document means what its
//! spec says.

use http_body_util::BodyExt;
use openapi_server_fixtures::features::server::*;
use openapi_server_fixtures::features::types::{Echo, Note, Problem, Report};
use openapi_server_runtime::reexports::axum::Router;
use openapi_server_runtime::reexports::axum::body::Body;
use openapi_server_runtime::reexports::axum::http::{Request, StatusCode};
use openapi_server_runtime::{Member, RawBody, Reason, Rejection};
use serde_json::{Value, json};
use tower::ServiceExt;

struct Service;

/// RFC 9457 problem details: the rule of each problem, as this API words it.
fn problem(status: StatusCode, title: &str, errors: Vec<String>) -> Problem {
    Problem { detail: None, errors, status: i32::from(status.as_u16()), title: title.into(), type_: None }
}

impl Api for Service {
    async fn authenticate(&self, credential: &Credential) -> bool {
        match credential {
            Credential::BasicAuth(basic) => basic.username == "ada" && basic.password == "secret",
            Credential::KeyHeader(key) | Credential::KeyQuery(key) | Credential::SessionCookie(key) => key.as_str() == "k1",
            Credential::Oauth(token) => token.as_str() == "t1",
        }
    }

    fn rejection_body(&self, rejection: &Rejection) -> Problem {
        let errors = match &rejection.reason {
            Reason::Invalid(problems) => problems
                .iter()
                .map(|p| {
                    let at = match &p.member {
                        Some(Member::Index(i)) => format!("{}[{i}]", p.name),
                        Some(Member::Property(name)) => format!("{}.{name}", p.name),
                        None => p.name.clone(),
                    };
                    format!("{at}: {:?}", p.rule)
                })
                .collect(),
            Reason::UnsupportedMediaType { content_type, accepted } => vec![format!("{content_type:?} is not one of {accepted:?}")],
            _ => Vec::new(),
        };
        let title = match &rejection.reason {
            Reason::Unauthenticated => "unauthenticated",
            Reason::Invalid(_) => "invalid request",
            Reason::UnsupportedMediaType { .. } => "unsupported media type",
            _ => "refused",
        };
        problem(rejection.status, title, errors)
    }

    async fn get_report(&self, request: GetReportRequest) -> GetReportResponse {
        let GetReportRequest { credentials, path, headers, accept } = request;
        if path.id == 404 {
            return GetReportResponse::ClientError { status: StatusCode::NOT_FOUND, body: problem(StatusCode::NOT_FOUND, "no such report", vec![]) };
        }
        if path.id == 999 {
            return GetReportResponse::Default { status: StatusCode::SERVICE_UNAVAILABLE };
        }
        let report = Report { id: path.id, title: format!("page {} for {credentials:?}", headers.x_page) };
        let body = match accept.preferred(&["application/json", "text/csv"]) {
            Some("text/csv") => GetReportOkBody::Other(RawBody::new("text/csv", format!("id,title\n{},{}\n", report.id, report.title))),
            _ => GetReportOkBody::Json(report),
        };
        GetReportResponse::Ok { body, x_rate_limit: 10, x_next: (path.id == 1).then(|| "/reports/2".to_owned()) }
    }

    async fn search(&self, request: SearchRequest) -> SearchResponse {
        let SearchRequest { credentials, query, cookies } = request;
        let echo = json!({
            "credentials": credentials.len(),
            "tag": query.tag, "ids": query.ids, "sizes": query.sizes, "filter": query.filter,
            "code": query.code, "sort": query.sort, "theme": cookies.theme,
        });
        SearchResponse::Ok(Echo(echo.as_object().unwrap().clone()))
    }

    async fn create_item(&self, request: CreateItemRequest) -> CreateItemResponse {
        assert_eq!(request.session_cookie.as_str(), "k1");
        let location = format!("/items/{}", request.body.name);
        CreateItemResponse::Created { body: request.body, location }
    }

    async fn put_blob(&self, request: PutBlobRequest) -> PutBlobResponse {
        if request.body.content_type.starts_with("image/") || request.body.bytes.len() < 4 {
            PutBlobResponse::NoContent
        } else {
            let title = format!("{} bytes of {} for {}", request.body.bytes.len(), request.body.content_type, request.path.id);
            PutBlobResponse::ClientError { status: StatusCode::PAYLOAD_TOO_LARGE, body: problem(StatusCode::PAYLOAD_TOO_LARGE, &title, vec![]) }
        }
    }

    async fn add_note(&self, request: AddNoteRequest) -> AddNoteResponse {
        let text = match request.body {
            None => "(none)".to_owned(),
            Some(AddNoteBody::Decoded(note)) => note.text,
            Some(AddNoteBody::Other(raw)) => format!("{} bytes of {}", raw.bytes.len(), raw.content_type),
        };
        AddNoteResponse::Ok(Note { text })
    }

    async fn health(&self, _: HealthRequest) -> HealthResponse {
        HealthResponse::Ok(RawBody::new("text/plain", "ok"))
    }
}

fn app() -> Router {
    router(Service)
}

struct Answer {
    status: StatusCode,
    content_type: String,
    headers: openapi_server_runtime::reexports::axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn send(request: Request<Body>) -> Answer {
    let response = app().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let content_type = headers.get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let body = String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    Answer { status, content_type, headers, body }
}

async fn get(uri: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(request.body(Body::empty()).unwrap()).await
}

fn body_request(method: &str, uri: &str, headers: &[(&str, &str)], body: &'static str) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::from(body)).unwrap()
}

const BASIC: (&str, &str) = ("authorization", "Basic YWRhOnNlY3JldA=="); // ada:secret

#[tokio::test]
async fn security_alternatives_each_credential_kind_and_401() {
    let basic = get("/reports/1", &[BASIC]).await;
    assert_eq!(basic.status, StatusCode::OK, "{}", basic.body);
    assert!(basic.json()["title"].as_str().unwrap().contains("BasicAuth(BasicCredentials { username: \"ada\""), "{}", basic.body);
    assert!(!basic.body.contains("secret"), "the password never reaches Debug output");
    let key = get("/reports/1", &[("x-api-key", "k1")]).await;
    assert!(key.json()["title"].as_str().unwrap().contains("KeyHeader"), "{}", key.body);

    for headers in [vec![], vec![("authorization", "Basic YWRhOndyb25n")], vec![("x-api-key", "nope")]] {
        let refused = get("/reports/1", &headers).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{headers:?}");
        assert_eq!(refused.content_type, "application/problem+json");
        assert_eq!(refused.json(), json!({"title": "unauthenticated", "status": 401}));
        assert_eq!(refused.headers["www-authenticate"], "Basic realm=\"api\", charset=\"UTF-8\"");
    }
    // Optional auth: a known key, or none at all; an unknown one is 401.
    assert_eq!(get("/search?api_key=k1", &[]).await.json()["credentials"], 1);
    assert_eq!(get("/search", &[]).await.json()["credentials"], 0);
    assert_eq!(get("/search?api_key=k2", &[]).await.status, StatusCode::UNAUTHORIZED);
    // OAuth 2 tokens are bearer tokens; a session cookie is an API key.
    let blob = body_request("PUT", "/items/a/blob", &[("authorization", "Bearer t1"), ("content-type", "image/png")], "PNG...");
    assert_eq!(send(blob).await.status, StatusCode::NO_CONTENT);
    let item = body_request("POST", "/items", &[("cookie", "theme=dark; session=k1"), ("content-type", "application/json")], r#"{"name":"a","quantity":1}"#);
    assert_eq!(send(item).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn responses_with_headers_ranges_default_and_representations() {
    let first = get("/reports/1", &[BASIC, ("x-page", "3")]).await;
    assert_eq!((first.status, first.content_type.as_str()), (StatusCode::OK, "application/json"));
    assert_eq!(first.headers["x-rate-limit"], "10");
    assert_eq!(first.headers["x-next"], "/reports/2");
    assert!(first.json()["title"].as_str().unwrap().starts_with("page 3"));
    let second = get("/reports/2", &[BASIC]).await;
    assert!(second.headers.get("x-next").is_none(), "an optional header the service leaves out");
    assert!(second.json()["title"].as_str().unwrap().starts_with("page 1"), "the header's default");

    let csv = get("/reports/7", &[BASIC, ("accept", "text/csv")]).await;
    assert_eq!((csv.content_type.as_str(), csv.body.lines().next()), ("text/csv", Some("id,title")));

    let missing = get("/reports/404", &[BASIC]).await;
    assert_eq!((missing.status, missing.content_type.as_str()), (StatusCode::NOT_FOUND, "application/problem+json"));
    let unavailable = get("/reports/999", &[BASIC]).await;
    assert_eq!((unavailable.status, unavailable.body.as_str()), (StatusCode::SERVICE_UNAVAILABLE, ""));

    let health = get("/health", &[]).await;
    assert_eq!((health.content_type.as_str(), health.body.as_str()), ("text/plain", "ok"));
}

#[tokio::test]
async fn invalid_parameters_are_the_apis_400_or_4xx_with_every_problem() {
    // `id` has an exclusive minimum 0; `4XX` answers it, as 400.
    let zero = get("/reports/0", &[BASIC]).await;
    assert_eq!((zero.status, zero.content_type.as_str()), (StatusCode::BAD_REQUEST, "application/problem+json"));
    assert_eq!(zero.json()["errors"], json!(["id: ExclusiveMinimum(0.0)"]));

    let uri = "/search?tag=a&tag=bb&ids=1,x&sizes=1|2&filter[limit]=51&code=ab&sort=up";
    let bad = get(uri, &[("cookie", "theme=blue")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.json()["errors"],
        json!([
            "tag[0]: MinLength(2)",
            "ids[1]: Type(Integer)",
            "filter.limit: Maximum(50.0)",
            "code: Pattern(\"^[A-Z]{3}$\")",
            "sort: OneOf([\"name\", \"-name\"])",
            "theme: OneOf([\"dark\", \"light\"])",
        ])
    );
    let too_many = get("/search?tag=aa&tag=bb&tag=cc&tag=dd", &[]).await;
    assert_eq!(too_many.json()["errors"], json!(["tag: MaxItems(3)"]));

    let good = get("/search?tag=aa&tag=bb&ids=1,2&sizes=3|4&filter[archived]=true&filter[limit]=5&code=ABC&sort=-name", &[("cookie", "theme=light")]).await;
    assert_eq!(
        good.json(),
        json!({"credentials": 0, "tag": ["aa", "bb"], "ids": [1, 2], "sizes": [3, 4], "filter": {"archived": true, "limit": 5},
               "code": "ABC", "sort": "-name", "theme": "light"})
    );
}

#[tokio::test]
async fn bodies_by_media_type_json_form_raw_and_415() {
    let session = ("cookie", "session=k1");
    let json = send(body_request("POST", "/items", &[session, ("content-type", "application/json; charset=utf-8")], r#"{"name":"a","quantity":2}"#)).await;
    assert_eq!((json.status, &json.headers["location"]), (StatusCode::CREATED, &"/items/a".parse().unwrap()));
    let form = send(body_request("POST", "/items", &[session, ("content-type", "application/x-www-form-urlencoded")], "name=b&quantity=3")).await;
    assert_eq!(form.json(), json!({"name": "b", "quantity": 3}));

    let xml = send(body_request("POST", "/items", &[session, ("content-type", "application/xml")], "<item/>")).await;
    assert_eq!((xml.status, xml.content_type.as_str()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "application/problem+json"));
    assert_eq!(xml.json()["title"], "unsupported media type");
    let untyped = send(body_request("POST", "/items", &[session], "name=b")).await;
    assert_eq!(untyped.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "a body without Content-Type");
    let invalid = send(body_request("POST", "/items", &[session, ("content-type", "application/json")], r#"{"name":"a"}"#)).await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert!(invalid.json()["errors"][0].as_str().unwrap().starts_with("body: Body(\"missing field `quantity`"), "{}", invalid.body);
    let empty = send(body_request("POST", "/items", &[session, ("content-type", "application/json")], "")).await;
    assert_eq!(empty.json()["errors"], json!(["body: Required"]));

    // Raw bodies keep their bytes and type; an undeclared type is refused
    // through `4XX`.
    let blob = send(body_request("PUT", "/items/b/blob", &[("authorization", "Bearer t1"), ("content-type", "application/octet-stream")], "12345678")).await;
    assert_eq!(blob.json()["title"], "8 bytes of application/octet-stream for b");
    let text = send(body_request("PUT", "/items/b/blob", &[("authorization", "Bearer t1"), ("content-type", "text/plain")], "1234")).await;
    assert_eq!(text.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // An optional body decoded as JSON, or passed as XML, or absent.
    let note = |content_type: &'static str, body: &'static str| body_request("POST", "/notes", &[("content-type", content_type)], body);
    assert_eq!(send(note("application/json", r#"{"text":"hi"}"#)).await.json()["text"], "hi");
    assert_eq!(send(note("application/xml", "<note>hi</note>")).await.json()["text"], "15 bytes of application/xml");
    assert_eq!(send(body_request("POST", "/notes", &[], "")).await.json()["text"], "(none)");
}

#[tokio::test]
async fn unknown_paths_and_methods_are_the_apis_problem() {
    let missing = get("/nope", &[]).await;
    assert_eq!((missing.status, missing.content_type.as_str()), (StatusCode::NOT_FOUND, "application/problem+json"));
    assert_eq!(missing.json(), json!({"title": "refused", "status": 404}));
    let method = send(body_request("DELETE", "/health", &[], "")).await;
    assert_eq!(method.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[test]
fn the_utoipa_document_means_the_same_as_the_fixture_spec() {
    let server = serde_json::to_value(openapi()).unwrap();
    let spec = openapi_server_fixtures::fixture_spec("features");
    assert_eq!(openapi_spec::normalize::table(&server), openapi_spec::normalize::table(&spec));
}
