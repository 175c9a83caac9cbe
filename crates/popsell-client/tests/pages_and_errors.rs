//! The hand-written layer against the mock: pagination streams, typed
//! errors, lenient decoding.

use futures_util::{StreamExt, TryStreamExt};
use popsell_client::mock::{MOCK_TOKEN, MockPopsell, RecordedRequest, chatroom};
use popsell_client::{ApiError, Client, Paged};
use popsell_types::{Chatroom, ChatroomSort, ChatroomType, QueryBoolean};

fn page_numbers(requests: &[RecordedRequest]) -> Vec<String> {
    requests
        .iter()
        .map(|r| r.url.query_pairs().find(|(k, _)| k == "page").map(|(_, v)| v.into_owned()).unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn the_stream_yields_every_room_once_in_order_over_three_pages() {
    let mock = MockPopsell::start().await;
    mock.chatrooms(42, (1..=7).map(|id| chatroom(id, 42))).await;
    let client = mock.client();
    let rooms: Vec<i64> = client
        .get_ambassador_chatrooms()
        .ambassador(42)
        .filter_archived(false)
        .sort(ChatroomSort::LastActionDateAsc)
        .per_page(3)
        .chatrooms()
        .map_ok(|room| room.id_chatroom)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rooms, [1, 2, 3, 4, 5, 6, 7]);

    let requests = mock.requests().await;
    assert_eq!(page_numbers(&requests), ["1", "2", "3"], "each page once, in order");
    for request in &requests {
        assert_eq!(request.headers["authorization"], format!("Bearer {MOCK_TOKEN}"));
        assert_eq!(request.headers["x-popsell-brand"], "1");
        let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        assert!(query.contains(&("filter[archived]".into(), "0".into())), "{query:?}");
        assert!(query.contains(&("per_page".into(), "3".into())), "{query:?}");
    }
}

#[tokio::test]
async fn stopping_early_fetches_no_further_page() {
    let mock = MockPopsell::start().await;
    mock.chatrooms(42, (1..=7).map(|id| chatroom(id, 42))).await;
    let client = mock.client();
    let first: Vec<_> = client.get_ambassador_chatrooms().ambassador(42).per_page(3).chatrooms().take(4).collect().await;
    assert_eq!(first.len(), 4);
    assert_eq!(page_numbers(&mock.requests().await), ["1", "2"]);
}

#[tokio::test]
async fn whole_pages_and_an_empty_result() {
    let mock = MockPopsell::start().await;
    mock.chatrooms(42, (1..=5).map(|id| chatroom(id, 42))).await;
    mock.chatrooms(7, Vec::<Chatroom>::new()).await;
    let client = mock.client();
    let pages: Vec<_> = client.get_ambassador_chatrooms().ambassador(42).per_page(2).pages().try_collect().await.unwrap();
    let shape: Vec<(i64, usize, Option<i64>)> = pages.iter().map(|p| (p.current_page, p.data.len(), p.from)).collect();
    assert_eq!(shape, [(1, 2, Some(1)), (2, 2, Some(3)), (3, 1, Some(5))]);

    let empty: Vec<_> = client.get_ambassador_chatrooms().ambassador(7).pages().try_collect().await.unwrap();
    assert_eq!(empty.len(), 1);
    assert!(empty[0].data.is_empty() && empty[0].from.is_none());
}

#[tokio::test]
async fn a_page_of_nulls_and_unknown_codes_decodes() {
    let mock = MockPopsell::start().await;
    let mut room = chatroom(1, 42).build();
    room.type_chatroom = 99;
    mock.chatrooms(42, [room]).await;
    let page = mock.client().get_ambassador_chatrooms().ambassador(42).fetch().await.unwrap();
    let room = &page.data[0];
    assert_eq!(room.chatroom_type(), ChatroomType::Other(99));
    assert!(room.last_message.is_none() && room.last_rating.is_none() && room.established_dialogue.is_none());
    assert!(room.ambassadors[0].email.is_none() && room.ambassadors[0].chatroom_pivot_data[0].last_read_message.is_none());
}

async fn error_for(status: u16, body: &str) -> ApiError {
    let mock = MockPopsell::start().await;
    mock.fail(42, status, body).await;
    mock.client().get_ambassador_chatrooms().ambassador(42).fetch().await.unwrap_err()
}

#[tokio::test]
async fn every_error_is_typed() {
    let ApiError::Unauthorized { body, .. } = error_for(401, r#"{"message":"Unauthenticated."}"#).await else { panic!("401") };
    assert_eq!(body.message, "Unauthenticated.");

    let ApiError::Forbidden { body, .. } = error_for(403, r#"{"message":"This action is unauthorized."}"#).await else { panic!("403") };
    assert_eq!(body.message, "This action is unauthorized.");

    let error = error_for(422, r#"{"message":"The selected sort is invalid.","errors":{"sort":["The selected sort is invalid."]}}"#).await;
    assert!(matches!(error, ApiError::Validation { .. }));
    assert_eq!(error.field_errors()["sort"], ["The selected sort is invalid."]);
    assert_eq!(error.to_string(), "422 Unprocessable Entity: The selected sort is invalid.; sort: The selected sort is invalid.");

    let ApiError::Status { status, body, .. } = error_for(404, r#"{"message":"Not Found."}"#).await else { panic!("404") };
    assert_eq!((status.as_u16(), body.message.as_str()), (404, "Not Found."));
}

#[tokio::test]
async fn error_bodies_that_are_not_json_keep_their_status() {
    let error = error_for(403, "").await;
    let ApiError::Forbidden { body, .. } = &error else { panic!("expected Forbidden, got {error:?}") };
    assert_eq!(body.message, "HTTP 403 Forbidden with an empty body");
    assert_eq!(error.to_string(), "403 Forbidden: HTTP 403 Forbidden with an empty body");

    let error = error_for(502, "<html><body>Bad gateway</body></html>").await;
    let ApiError::Status { status, body, .. } = error else { panic!("502") };
    assert_eq!((status.as_u16(), body.message.as_str()), (502, "<html><body>Bad gateway</body></html>"));
}

#[tokio::test]
async fn transport_decode_and_request_errors_are_typed() {
    // Nothing listens on a port just released.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder(format!("http://127.0.0.1:{port}/api/v2")).bearer("t").brand(1).build().unwrap();
    let error = client.get_ambassador_chatrooms().ambassador(42).fetch().await.unwrap_err();
    assert!(matches!(error, ApiError::Transport(_)), "{error:?}");
    assert_eq!(error.status(), None);

    let error = error_for(200, r#"{"current_page":"one"}"#).await;
    assert!(matches!(error, ApiError::Decode { .. }), "{error:?}");

    let mock = MockPopsell::start().await;
    let error = mock.client().get_ambassador_chatrooms().fetch().await.unwrap_err();
    assert!(matches!(&error, ApiError::InvalidRequest(m) if m.contains("ambassador")), "{error:?}");
    assert!(mock.requests().await.is_empty());
}

#[tokio::test]
async fn an_error_ends_the_stream() {
    let mock = MockPopsell::start().await;
    mock.fail(42, 403, "").await;
    let results: Vec<_> = mock.client().get_ambassador_chatrooms().ambassador(42).filter_archived(QueryBoolean(true)).chatrooms().collect().await;
    assert_eq!(results.len(), 1);
    assert!(matches!(results[0], Err(ApiError::Forbidden { .. })));
}

/// Built in a function that drops its client: the stream owns a clone.
fn rooms_of(base_url: String, ambassador: i64) -> Paged<Chatroom> {
    let client = Client::builder(base_url).bearer("t").brand(1).build().unwrap();
    client.get_ambassador_chatrooms().ambassador(ambassador).per_page(2).chatrooms()
}

#[tokio::test]
async fn streams_outlive_their_client_and_read_in_a_while_let() {
    let mock = MockPopsell::start().await;
    mock.chatrooms(42, (1..=5).map(|id| chatroom(id, 42))).await;
    let mut rooms = rooms_of(mock.base_url(), 42);
    let mut ids = Vec::new();
    while let Some(room) = rooms.try_next().await.unwrap() {
        ids.push(room.id_chatroom);
    }
    assert_eq!(ids, [5, 4, 3, 2, 1], "most recent first, the default sort");
    // Send + 'static: a stream can run on another task.
    let spawned = tokio::spawn(rooms_of(mock.base_url(), 42).try_collect::<Vec<_>>()).await.unwrap().unwrap();
    assert_eq!(spawned.len(), 5);
}

#[tokio::test]
async fn the_mock_filters_sorts_and_bounds_like_the_api() {
    let mock = MockPopsell::start().await;
    mock.chatrooms(7, [
        chatroom(1, 7),
        chatroom(2, 7).archived(),
        chatroom(3, 7).rated(5, "Great"),
        chatroom(4, 7).rated(2, "").flagged(1),
        chatroom(5, 7).one_to_many().message(30, "hello"),
        chatroom(6, 7).member(8).flagged(2),
    ])
    .await;
    let client = mock.client();
    let ids = |request: popsell_client::builder::GetAmbassadorChatrooms<'_>| {
        let request = request.into_owned();
        async move { request.sort(ChatroomSort::LastActionDateAsc).chatrooms().map_ok(|r| r.id_chatroom).try_collect::<Vec<_>>().await.unwrap() }
    };
    let request = || client.get_ambassador_chatrooms().ambassador(7);
    assert_eq!(ids(request()).await, [1, 2, 3, 4, 6, 5], "room 5's last message is its last action");
    assert_eq!(ids(request().filter_archived(true)).await, [2]);
    assert_eq!(ids(request().filter_commented(popsell_types::CommentedFilter::Commented)).await, [3]);
    assert_eq!(ids(request().filter_flag(1)).await, [4]);
    assert_eq!(ids(request().filter_type_chatroom(popsell_types::ChatroomTypeFilter::OneToMany)).await, [5]);
    // Another ambassador's rooms are not his.
    assert_eq!(ids(client.get_ambassador_chatrooms().ambassador(8)).await, Vec::<i64>::new());
    // The spec's bounds, in the API's error shape, from a raw request.
    let response = reqwest::Client::new()
        .get(format!("{}/chat/ambassadors/7/chatrooms?per_page=500", mock.base_url()))
        .header("authorization", "Bearer t")
        .header("x-popsell-brand", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["errors"]["per_page"][0], "The per page field must not be greater than 100.");
}
