//! A mock server of this API, for tests of code that uses the client
//! (feature `mock`, built on wiremock).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use futures_util::TryStreamExt;
//! use popsell_client::mock::{MockPopsell, new_chatroom};
//!
//! let mock = MockPopsell::start().await;
//! mock.chatrooms(42, (1..=5).map(new_chatroom).collect()).await;
//!
//! let client = mock.client();
//! let rooms: Vec<_> = client.get_ambassador_chatrooms().ambassador(42).per_page(2).chatrooms().try_collect().await.unwrap();
//! assert_eq!(rooms.len(), 5);
//! assert_eq!(mock.requests().await.len(), 3); // pages 1, 2 and 3
//! # }
//! ```

use popsell_types::{Chatroom, ChatroomMember, ChatroomPage, ChatroomPivot, PageRequest};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::Client;

/// The bearer token of [`MockPopsell::client`].
pub const MOCK_TOKEN: &str = "mock-token";
/// The brand of [`MockPopsell::client`].
pub const MOCK_BRAND: i64 = 1;

/// A running mock of the API, at `{uri}/api/v2`.
pub struct MockPopsell {
    server: MockServer,
}

impl MockPopsell {
    /// Starts a mock on a free local port.
    pub async fn start() -> MockPopsell {
        MockPopsell { server: MockServer::start().await }
    }

    /// The base URL to give a [`Client`] (`http://127.0.0.1:…/api/v2`).
    pub fn base_url(&self) -> String {
        format!("{}/api/v2", self.server.uri())
    }

    /// A client of the mock, with [`MOCK_TOKEN`] and [`MOCK_BRAND`].
    pub fn client(&self) -> Client {
        Client::builder(self.base_url()).bearer(MOCK_TOKEN).brand(MOCK_BRAND).build().expect("a mock client builds")
    }

    /// Serves `rooms` as the chatrooms of `ambassador`, paginated as the API
    /// paginates (`page`, `per_page` with default 15, Laravel's fields and
    /// links). A stub: it ignores credentials, filters and sort, and brings
    /// out-of-range paging into range instead of answering 422.
    pub async fn chatrooms(&self, ambassador: i64, rooms: Vec<Chatroom>) {
        Mock::given(method("GET")).and(path(route(ambassador))).respond_with(Pages { rooms }).mount(&self.server).await;
    }

    /// Answers every request for `ambassador`'s chatrooms with `status` and
    /// `body` (sent as is, with `content-type: application/json` when it
    /// is not empty).
    pub async fn fail(&self, ambassador: i64, status: u16, body: &str) {
        let mut response = ResponseTemplate::new(status);
        if !body.is_empty() {
            response = response.set_body_raw(body.to_owned(), "application/json");
        }
        Mock::given(method("GET")).and(path(route(ambassador))).respond_with(response).mount(&self.server).await;
    }

    /// The requests received so far, in order.
    pub async fn requests(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The underlying wiremock server, for custom expectations.
    pub fn server(&self) -> &MockServer {
        &self.server
    }
}

fn route(ambassador: i64) -> String {
    format!("/api/v2/chat/ambassadors/{ambassador}/chatrooms")
}

struct Pages {
    rooms: Vec<Chatroom>,
}

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        let number = |key: &str, default: i64| {
            query.iter().rev().find(|(k, _)| k == key).and_then(|(_, v)| v.parse::<i64>().ok()).unwrap_or(default)
        };
        let (page, per_page) = (number("page", 1).max(1), number("per_page", 15).clamp(1, 100));
        let mut url = request.url.clone();
        url.set_query(None);
        let page_request = PageRequest { path: url.as_str(), query: &query, page, per_page };
        let start = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
        let data = self.rooms.iter().skip(start).take(per_page as usize).cloned().collect();
        let body = ChatroomPage::laravel(data, self.rooms.len() as i64, &page_request);
        ResponseTemplate::new(200).set_body_json(body)
    }
}

/// A brand-new chatroom `id` of ambassador 42: one member, no message,
/// rating or summary yet (every nullable field null).
pub fn new_chatroom(id: i64) -> Chatroom {
    let pivot = ChatroomPivot::builder().archived(false).id_ambassador(42).id_chatroom(id).is_blocked(false).build();
    let member = ChatroomMember::builder()
        .active(1)
        .anonymized(false)
        .chatroom_pivot_data(vec![pivot])
        .firstname("Alice")
        .id_ambassador(42)
        .lastname("Martin")
        .online(false)
        .status(0)
        .username("alice.martin")
        .build();
    Chatroom::builder()
        .ambassadors(vec![member])
        .date_insert(chrono::DateTime::from_timestamp(1_700_000_000 + id, 0).unwrap_or_default().into())
        .id_chatroom(id)
        .source(2)
        .type_chatroom(0)
        .type_discussion(0)
        .build()
}
