//! The generated client with its builder, against a raw HTTP stub
//! (wiremock): what goes on the wire (auth, brand, Laravel query
//! spellings), what comes back, and what `build()` refuses.

use popsell_client::types::{ChatroomSort, ChatroomTypeFilter, CommentedFilter};
use popsell_client::{Client, Error};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PAGE: &str = include_str!("../../popsell-types/tests/fixtures/realistic_page.json");
const ROUTE: &str = "/api/v2/chat/ambassadors/42/chatrooms";

async fn server_answering(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ROUTE))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder(format!("{}/api/v2", server.uri())).bearer("s3cret").brand(7).build().unwrap()
}

fn only_request(requests: Vec<Request>) -> Request {
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.into_iter().next().unwrap()
}

#[tokio::test]
async fn sends_credentials_and_laravel_query_spellings() {
    let server = server_answering(200, PAGE).await;
    let page = client(&server)
        .get_ambassador_chatrooms()
        .ambassador(42)
        .filter_archived(true)
        .filter_commented(CommentedFilter::NotCommented)
        .filter_type_chatroom(ChatroomTypeFilter::OneToMany)
        .filter_flag(2)
        .sort(ChatroomSort::LastActionDateAsc)
        .page(3)
        .per_page(25)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.data.len(), 2);

    let request = only_request(server.received_requests().await.unwrap());
    assert_eq!(request.headers["authorization"], "Bearer s3cret");
    assert_eq!(request.headers["x-popsell-brand"], "7");
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    let expected = [
        ("filter[archived]", "1"),
        ("filter[commented]", "not_commented"),
        ("filter[flag]", "2"),
        ("filter[type_chatroom]", "7"),
        ("page", "3"),
        ("per_page", "25"),
        ("sort", "last_action_date"),
    ];
    for (key, value) in expected {
        assert!(query.contains(&(key.to_owned(), value.to_owned())), "{key}={value} missing from {query:?}");
    }
    assert_eq!(query.len(), expected.len(), "{query:?}");
}

#[tokio::test]
async fn false_is_sent_as_zero_and_unset_filters_are_omitted() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ROUTE))
        .and(query_param("filter[archived]", "0"))
        .and(header("x-popsell-brand", "7"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(PAGE, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).get_ambassador_chatrooms().ambassador(42).filter_archived(false).send().await.unwrap();
    let request = only_request(server.received_requests().await.unwrap());
    assert_eq!(request.url.query(), Some("filter%5Barchived%5D=0"));
}

#[tokio::test]
async fn a_custom_reqwest_client_still_carries_the_credentials() {
    let server = server_answering(200, PAGE).await;
    let http = reqwest::Client::builder().user_agent("consumer/1.0").build().unwrap();
    let client = Client::builder(format!("{}/api/v2", server.uri())).bearer("t").brand(9).reqwest_client(http).build().unwrap();
    client.get_ambassador_chatrooms().ambassador(42).send().await.unwrap();
    let request = only_request(server.received_requests().await.unwrap());
    assert_eq!(request.headers["authorization"], "Bearer t");
    assert_eq!(request.headers["x-popsell-brand"], "9");
    assert_eq!(request.headers["user-agent"], "consumer/1.0");
}

#[tokio::test]
async fn documented_errors_decode_into_the_error_body() {
    let server = server_answering(422, r#"{"message":"The per page field must not be greater than 100.","errors":{"per_page":["The per page field must not be greater than 100."]}}"#).await;
    let error = client(&server).get_ambassador_chatrooms().ambassador(42).per_page(100).send().await.unwrap_err();
    let Error::ErrorResponse(body) = error else { panic!("expected a documented error, got {error:?}") };
    assert_eq!(body.status(), 422);
    assert_eq!(body.errors["per_page"], ["The per page field must not be greater than 100."]);
}

#[tokio::test]
async fn a_missing_path_parameter_fails_before_any_request() {
    let server = server_answering(200, PAGE).await;
    let error = client(&server).get_ambassador_chatrooms().send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(ref m) if m.contains("ambassador")), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn the_token_is_not_printed_by_debug() {
    let builder = Client::builder("http://localhost").bearer("s3cret").brand(1);
    let builder_text = format!("{builder:?}");
    assert!(!builder_text.contains("s3cret") && builder_text.contains("<redacted>"), "{builder_text}");
    let client = builder.build().unwrap();
    let client_text = format!("{client:?}");
    assert!(!client_text.contains("s3cret") && client_text.contains("localhost"), "{client_text}");
}

#[test]
fn build_refuses_what_would_fail_later() {
    let refused = |builder: popsell_client::ClientBuilder| builder.build().unwrap_err().to_string();
    assert_eq!(refused(Client::builder("http://localhost").bearer("line\nbreak").brand(1)), "the bearer token contains characters not allowed in a header");
    assert_eq!(
        refused(Client::builder("http://localhost").bearer("t")),
        "no brand: call .brand(id) (every request needs X-Popsell-Brand), or .without_brand()"
    );
    assert_eq!(refused(Client::builder("localhost:8080").brand(1)), "`localhost:8080` is not an absolute http(s) URL");
    assert_eq!(refused(Client::builder("ftp://domain.tld").brand(1)), "`ftp://domain.tld` is not an absolute http(s) URL");
    assert!(Client::builder("http://localhost").without_brand().build().is_ok());
    // The workspace's tests build without the TLS backend.
    if cfg!(not(feature = "rustls")) {
        assert!(refused(Client::builder("https://domain.tld/api/v2").brand(1)).contains("enable popsell-client's `rustls` feature"));
        assert!(Client::builder("https://domain.tld/api/v2").brand(1).reqwest_client(reqwest::Client::new()).build().is_ok());
    }
}

#[tokio::test]
async fn a_trailing_slash_of_the_base_url_is_ignored() {
    let server = server_answering(200, PAGE).await;
    let client = Client::builder(format!("{}/api/v2/", server.uri())).bearer("t").brand(1).build().unwrap();
    assert_eq!(client.base_url(), format!("{}/api/v2", server.uri()));
    client.get_ambassador_chatrooms().ambassador(42).send().await.unwrap();
    assert_eq!(only_request(server.received_requests().await.unwrap()).url.path(), ROUTE);
}

#[tokio::test]
async fn parameters_outside_the_spec_fail_before_any_request_in_words() {
    let server = server_answering(200, PAGE).await;
    let client = client(&server);
    let message = |error: Error<popsell_client::types::ErrorBody>| match error {
        Error::InvalidRequest(message) => message,
        other => panic!("expected an invalid request, got {other:?}"),
    };
    let request = || client.get_ambassador_chatrooms().ambassador(42);
    assert_eq!(message(request().per_page(500).send().await.unwrap_err()), "per_page must be between 1 and 100, got 500");
    assert_eq!(message(request().per_page(0).send().await.unwrap_err()), "per_page must be an integer from 1 to 100");
    assert_eq!(message(request().filter_flag(99).send().await.unwrap_err()), "filter[flag] must be one of 1, 2");
    assert_eq!(message(request().sort("bogus").send().await.unwrap_err()), "sort must be one of last_action_date, -last_action_date");
    assert_eq!(message(client.get_ambassador_chatrooms().send().await.unwrap_err()), "ambassador is required (an integer)");
    assert!(server.received_requests().await.unwrap().is_empty(), "no request may reach the server");
}

#[tokio::test]
async fn an_error_carries_the_request_id_of_the_response() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ROUTE))
        .respond_with(ResponseTemplate::new(401).insert_header("x-request-id", "req-77").set_body_raw(r#"{"message":"Unauthorized."}"#, "application/json"))
        .mount(&server)
        .await;
    let error = client(&server).get_ambassador_chatrooms().ambassador(42).fetch().await.unwrap_err();
    assert!(matches!(error, popsell_client::ApiError::Unauthorized { .. }), "{error:?}");
    assert_eq!(error.request_id(), Some("req-77"));
    assert_eq!(error.to_string(), "401 Unauthorized: Unauthorized. (request id req-77)");
}
