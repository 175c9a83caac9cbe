//! A mock server of this API for tests of code that uses the client
//! (feature `mock`). It is the generated server (`popsell-server`: the
//! spec's parameters, bounds, defaults and error bodies, 401 without a
//! bearer token, 422 for `per_page=500`) over the chatrooms a test gives
//! it, answered with the API's semantics (`popsell_types::listing`: every
//! filter, the sort, Laravel's pagination and links). A test in the
//! reference server checks that the mock and the reference answer the same
//! queries with the same pages.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use futures_util::TryStreamExt;
//! use popsell_client::mock::{MockPopsell, chatroom};
//!
//! let mock = MockPopsell::start().await;
//! mock.chatrooms(7, [chatroom(1, 7), chatroom(2, 7).archived(), chatroom(3, 7).rated(5, "Great")]).await;
//!
//! let client = mock.client();
//! let archived: Vec<_> = client.get_ambassador_chatrooms().ambassador(7).filter_archived(true).chatrooms().try_collect().await.unwrap();
//! assert_eq!(archived.iter().map(|r| r.id_chatroom).collect::<Vec<_>>(), [2]);
//! # }
//! ```

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};
use popsell_server::{Api, GetAmbassadorChatroomsRequest, GetAmbassadorChatroomsResponse as Response};
use openapi_server_runtime::reexports::axum::{self, Router, body::Body, extract::State, middleware::Next};
use openapi_server_runtime::request_url::{self, RequestUrl};
use popsell_types::listing;
use popsell_types::{Chatroom, ChatroomMember, ChatroomPage, ChatroomPivot, Message, PageRequest, Rating, Summary, Timestamp};

use crate::Client;

/// The bearer token of [`MockPopsell::client`] (the mock accepts any).
pub const MOCK_TOKEN: &str = "mock-token";
/// The brand of [`MockPopsell::client`] (the mock accepts any).
pub const MOCK_BRAND: i64 = 1;

/// A request the mock received.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// `GET`, …
    pub method: http::Method,
    /// The full URL, query included.
    pub url: reqwest::Url,
    /// The headers as sent.
    pub headers: http::HeaderMap,
}

#[derive(Default)]
struct Mocked {
    /// The chatrooms served for each ambassador.
    listings: BTreeMap<i64, Vec<Chatroom>>,
    /// The guest accounts of each ambassador (their pivot rows count for `filter[archived]`).
    guests: BTreeMap<i64, Vec<i64>>,
    /// Answers given as is, by ambassador.
    failures: BTreeMap<i64, (u16, String)>,
    requests: Vec<RecordedRequest>,
}

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Mocked>>);

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Mocked> {
        // A test that panicked while holding the lock left consistent data.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A running mock of the API at `{base_url}` (`http://127.0.0.1:…/api/v2`),
/// stopped when dropped.
pub struct MockPopsell {
    base_url: String,
    shared: Shared,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl MockPopsell {
    /// Starts a mock on a free loopback port (inside a tokio runtime).
    pub async fn start() -> MockPopsell {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.expect("a loopback port for the mock");
        let address = listener.local_addr().expect("the mock's address");
        let shared = Shared::default();
        let app = Router::new()
            .nest(popsell_server::BASE_PATH, popsell_server::router(MockApi(shared.clone())))
            .fallback(popsell_server::not_found)
            .layer(axum::middleware::from_fn_with_state(shared.clone(), failures))
            .layer(axum::middleware::from_fn_with_state(std::sync::Arc::new(request_url::PublicUrl::of_bind(address)), request_url::capture))
            .layer(axum::middleware::from_fn_with_state((shared.clone(), format!("http://{address}")), record));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).with_graceful_shutdown(async move { drop(stopped.await) }).await;
        });
        MockPopsell { base_url: format!("http://{address}/api/v2"), shared, stop: Some(stop) }
    }

    /// The base URL to give a [`Client`].
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// A client of the mock, with [`MOCK_TOKEN`] and [`MOCK_BRAND`].
    pub fn client(&self) -> Client {
        Client::builder(self.base_url()).bearer(MOCK_TOKEN).brand(MOCK_BRAND).build().expect("a mock client builds")
    }

    /// Serves `rooms` as the chatrooms of `ambassador` (replacing any served
    /// before), filtered, sorted and paginated as the API does. Build rooms
    /// with [`chatroom`].
    pub async fn chatrooms(&self, ambassador: i64, rooms: impl IntoIterator<Item = impl Into<Chatroom>>) {
        self.shared.lock().listings.insert(ambassador, rooms.into_iter().map(Into::into).collect());
    }

    /// `guests` are guest accounts of `ambassador`: their pivot rows in his
    /// rooms count for `filter[archived]`, as in the API.
    pub async fn guest_accounts(&self, ambassador: i64, guests: impl IntoIterator<Item = i64>) {
        self.shared.lock().guests.insert(ambassador, guests.into_iter().collect());
    }

    /// Answers every request for `ambassador`'s chatrooms with `status` and
    /// `body`, sent as is (`content-type: application/json` when not empty):
    /// an error a proxy could send, say.
    pub async fn fail(&self, ambassador: i64, status: u16, body: &str) {
        self.shared.lock().failures.insert(ambassador, (status, body.to_owned()));
    }

    /// The requests received so far, in order.
    pub async fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }
}

impl Drop for MockPopsell {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn route(ambassador: i64) -> String {
    format!("{}/chat/ambassadors/{ambassador}/chatrooms", popsell_server::BASE_PATH)
}

async fn record(State((shared, origin)): State<(Shared, String)>, request: axum::extract::Request, next: Next) -> axum::response::Response {
    let url = format!("{origin}{}", request.uri());
    if let Ok(url) = reqwest::Url::parse(&url) {
        let recorded = RecordedRequest { method: request.method().clone(), url, headers: request.headers().clone() };
        shared.lock().requests.push(recorded);
    }
    next.run(request).await
}

async fn failures(State(shared): State<Shared>, request: axum::extract::Request, next: Next) -> axum::response::Response {
    let failure = shared.lock().failures.iter().find(|(ambassador, _)| request.uri().path() == route(**ambassador)).map(|(_, f)| f.clone());
    let Some((status, body)) = failure else { return next.run(request).await };
    let mut response = axum::response::Response::new(Body::from(body.clone()));
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    if !body.is_empty() {
        response.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
    }
    response
}

struct MockApi(Shared);

impl Api for MockApi {
    async fn get_ambassador_chatrooms(&self, request: GetAmbassadorChatroomsRequest) -> Response {
        let url = RequestUrl::current();
        let (ambassador, query) = (request.path.ambassador, request.query);
        let mocked = self.0.lock();
        let members: Vec<i64> = std::iter::once(ambassador).chain(mocked.guests.get(&ambassador).into_iter().flatten().copied()).collect();
        let filter = query.filter();
        let mut rooms: Vec<Chatroom> = mocked.listings.get(&ambassador).into_iter().flatten().filter(|r| filter.keeps(r, &members)).cloned().collect();
        drop(mocked);
        listing::sort(&mut rooms, query.sort);
        let (page, per_page) = (i64::from(query.page), i64::from(query.per_page));
        let total = rooms.len() as i64;
        let skip = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
        let data = rooms.into_iter().skip(skip).take(per_page as usize).collect();
        let request = PageRequest { path: &url.path, query: &url.query, page, per_page };
        Response::Ok(ChatroomPage::laravel(data, total, &request))
    }
}

/// A test chatroom `id` with `ambassador` as its one member: created on a
/// fixed date (later for larger ids), no message, rating or summary yet,
/// not archived. One line per room: `chatroom(3, 7).archived().rated(4, "ok")`.
pub fn chatroom(id: i64, ambassador: i64) -> ChatroomFixture {
    let created = DateTime::from_timestamp(1_700_000_000 + id * 60, 0).unwrap_or_default();
    ChatroomFixture { id, created, members: vec![(ambassador, false)], type_chatroom: 0, message: None, rating: None, flag: None }
}

/// A chatroom being described for a test (see [`chatroom`]); becomes a
/// [`Chatroom`] with [`ChatroomFixture::build`] or where one is expected.
#[derive(Clone, Debug)]
#[must_use]
pub struct ChatroomFixture {
    id: i64,
    created: DateTime<Utc>,
    /// (ambassador, archived)
    members: Vec<(i64, bool)>,
    type_chatroom: i32,
    message: Option<(DateTime<Utc>, String)>,
    rating: Option<(i32, Option<String>)>,
    flag: Option<i32>,
}

impl ChatroomFixture {
    /// The first member's pivot row is archived.
    pub fn archived(mut self) -> Self {
        self.members[0].1 = true;
        self
    }

    /// Another member (a guest account, a customer), not archived.
    pub fn member(mut self, ambassador: i64) -> Self {
        self.members.push((ambassador, false));
        self
    }

    /// A one-to-many room (`type_chatroom` 7).
    pub fn one_to_many(mut self) -> Self {
        self.type_chatroom = 7;
        self
    }

    /// Created at `at` instead of the default date.
    pub fn created(mut self, at: DateTime<Utc>) -> Self {
        self.created = at;
        self
    }

    /// A last message `text`, `minutes` after the room's creation (its last action).
    pub fn message(mut self, minutes: i64, text: &str) -> Self {
        self.message = Some((self.created + Duration::minutes(minutes), text.to_owned()));
        self
    }

    /// A last rating of `value`, with `comment` (empty for none).
    pub fn rated(mut self, value: i32, comment: &str) -> Self {
        self.rating = Some((value, (!comment.is_empty()).then(|| comment.to_owned())));
        self
    }

    /// A last summary whose `anomaly` is `flag` (what `filter[flag]` reads).
    pub fn flagged(mut self, flag: i32) -> Self {
        self.flag = Some(flag);
        self
    }

    /// The chatroom.
    pub fn build(self) -> Chatroom {
        let members = self.members.iter().map(|&(ambassador, archived)| member(self.id, ambassador, archived)).collect();
        let message = self.message.as_ref().map(|(at, text)| {
            Message::builder()
                .id_message(self.id * 1000)
                .date_insert(Timestamp::from(*at))
                .content(text.as_str())
                .type_message(0)
                .status_moderation(0)
                .author(profile(self.members[0].0))
                .build()
        });
        Chatroom::builder()
            .id_chatroom(self.id)
            .ambassadors(members)
            .date_insert(Timestamp::from(self.created))
            .maybe_last_message_date(self.message.as_ref().map(|(at, _)| Timestamp::from(*at)))
            .maybe_last_message(message)
            .maybe_last_rating(self.rating.map(|(value, comment)| Rating::builder().value(value).maybe_comment(comment).build()))
            .maybe_last_summary(self.flag.map(|anomaly| {
                Summary::builder().date_insert(self.created.format("%Y-%m-%d %H:%M:%S").to_string()).summary("").anomaly(anomaly).topic(0).build()
            }))
            .source(2)
            .type_chatroom(self.type_chatroom)
            .type_discussion(0)
            .build()
    }
}

impl From<ChatroomFixture> for Chatroom {
    fn from(fixture: ChatroomFixture) -> Chatroom {
        fixture.build()
    }
}

fn profile(ambassador: i64) -> popsell_types::Ambassador {
    popsell_types::Ambassador::builder()
        .id_ambassador(ambassador)
        .firstname("Test")
        .lastname(format!("Ambassador {ambassador}"))
        .username(format!("ambassador.{ambassador}"))
        .active(1)
        .status(0)
        .online(false)
        .anonymized(false)
        .build()
}

fn member(room: i64, ambassador: i64, archived: bool) -> ChatroomMember {
    let pivot = ChatroomPivot::builder().id_chatroom(room).id_ambassador(ambassador).is_blocked(false).archived(archived).build();
    let profile = profile(ambassador);
    ChatroomMember::builder()
        .id_ambassador(ambassador)
        .firstname(profile.firstname)
        .lastname(profile.lastname)
        .username(profile.username)
        .active(1)
        .status(0)
        .online(false)
        .anonymized(false)
        .chatroom_pivot_data(vec![pivot])
        .build()
}
