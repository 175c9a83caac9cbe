//! The reference server through the generated client over TCP: filters,
//! sorts, pages and their links, guest accounts, and every error; on each
//! backend (see `support::backend`).

mod support;

use std::sync::{Arc, OnceLock};

use futures_util::TryStreamExt;
use popsell_client::{ApiError, Client};
use popsell_reference::seed::{Dataset, generate};
use popsell_reference::store::ChatroomQuery;
use popsell_types::listing::ChatroomFilter;
use popsell_types::{ChatroomPage, ChatroomSort, ChatroomTypeFilter, CommentedFilter, FlagFilter};
use support::backend::{Backend, TestStore};
use support::client::fetch;
use support::{naive, query};

const SEED: u64 = 11;
const ROOMS: usize = 3_000;

fn dataset() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| generate(ROOMS, SEED))
}

/// A server on a free port over `backend` with the test dataset: its base
/// URL, and its store (to keep alive); `None` when the backend cannot run here.
async fn serve(backend: Backend) -> Option<(String, TestStore)> {
    let store = backend.seeded(dataset()).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = popsell_reference::app(Arc::new(store.store.clone()), openapi_server_runtime::request_url::PublicUrl::of_bind(address));
    tokio::spawn(async move { openapi_server_runtime::reexports::axum::serve(listener, app).await.unwrap() });
    Some((format!("http://{address}/api/v2"), store))
}

fn client(base: &str, token: &str, brand: i64) -> Client {
    Client::builder(base).bearer(token).brand(brand).build().unwrap()
}

fn ids(page: &ChatroomPage) -> Vec<i64> {
    page.data.iter().map(|r| r.id_chatroom).collect()
}

async fn each_filter_alone_and_combined_matches_the_model(backend: Backend) {
    let Some((base, _store)) = serve(backend).await else { return };
    let alice = client(&base, "demo-alice", 1);
    let before = chrono::DateTime::parse_from_rfc3339("2024-06-01T00:00:00Z").unwrap().to_utc();
    let mut cases: Vec<(&str, ChatroomQuery)> = Vec::new();
    let base_query = query(1, 1);
    cases.push(("none", base_query.clone()));
    cases.push(("archived", ChatroomQuery { filter: ChatroomFilter { archived: Some(true), ..ChatroomFilter::default() }, ..base_query.clone() }));
    cases.push(("not archived", ChatroomQuery { filter: ChatroomFilter { archived: Some(false), ..ChatroomFilter::default() }, ..base_query.clone() }));
    cases.push(("commented", ChatroomQuery { filter: ChatroomFilter { commented: Some(CommentedFilter::Commented), ..ChatroomFilter::default() }, ..base_query.clone() }));
    cases.push(("not commented", ChatroomQuery { filter: ChatroomFilter { commented: Some(CommentedFilter::NotCommented), ..ChatroomFilter::default() }, ..base_query.clone() }));
    cases.push(("flag 2", ChatroomQuery { filter: ChatroomFilter { flag: Some(FlagFilter::Two), ..ChatroomFilter::default() }, ..base_query.clone() }));
    cases.push(("one to many", ChatroomQuery { filter: ChatroomFilter { type_chatroom: Some(ChatroomTypeFilter::OneToMany), ..ChatroomFilter::default() }, ..base_query.clone() }));
    cases.push(("before", ChatroomQuery { filter: ChatroomFilter { last_action_before: Some(before), ..ChatroomFilter::default() }, ..base_query.clone() }));
    cases.push((
        "combined",
        ChatroomQuery {
            filter: ChatroomFilter {
                archived: Some(false),
                commented: Some(CommentedFilter::NotCommented),
                type_chatroom: Some(ChatroomTypeFilter::OneToOne),
                last_action_before: Some(before),
                flag: None,
            },
            sort: ChatroomSort::LastActionDateAsc,
            ..base_query.clone()
        },
    ));
    for (name, q) in &cases {
        let page = fetch(&alice, q).await.unwrap();
        let (expected, total) = naive(dataset(), q);
        assert_eq!((ids(&page), page.total), (expected, total), "{name}");
        assert!(page.total > 0, "{name}: the dataset should exercise this filter");
    }
}

async fn both_sorts_order_by_last_action_then_id(backend: Backend) {
    let Some((base, _store)) = serve(backend).await else { return };
    let alice = client(&base, "demo-alice", 1);
    for sort in [ChatroomSort::LastActionDateAsc, ChatroomSort::LastActionDateDesc] {
        let q = ChatroomQuery { sort, per_page: 50, ..query(1, 1) };
        let page = fetch(&alice, &q).await.unwrap();
        assert_eq!(ids(&page), naive(dataset(), &q).0, "{sort}");
        let dates: Vec<_> = page.data.iter().map(|r| r.last_message_date.as_ref().unwrap_or(&r.date_insert).to_utc()).collect();
        let mut sorted = dates.clone();
        sorted.sort();
        if sort == ChatroomSort::LastActionDateDesc {
            sorted.reverse();
        }
        assert_eq!(dates, sorted, "{sort}");
    }
}

async fn first_middle_last_and_past_end_pages(backend: Backend) {
    let Some((base, _store)) = serve(backend).await else { return };
    let alice = client(&base, "demo-alice", 1);
    let total = naive(dataset(), &query(1, 1)).1;
    let per_page = 5;
    let last = (total + per_page - 1) / per_page;
    assert!(last >= 16, "need a long page range, got {last}");

    let first = fetch(&alice, &ChatroomQuery { per_page, ..query(1, 1) }).await.unwrap();
    assert_eq!((first.current_page, first.from, first.to, first.last_page), (1, Some(1), Some(5), last));
    assert_eq!(first.prev_page_url, None);
    let next = first.next_page_url.as_deref().unwrap();
    assert!(next.ends_with("?per_page=5&sort=-last_action_date&page=2"), "the query as sent, page last: {next}");
    assert_eq!(first.links.len(), 15);
    assert_eq!(first.links[0].url, None);
    assert!(first.links[1].active && first.links[1].label == "1");
    assert_eq!(first.links[11].label, "...");

    let middle = 8;
    let page = fetch(&alice, &ChatroomQuery { per_page, page: middle, ..query(1, 1) }).await.unwrap();
    let labels: Vec<&str> = page.links.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels[1..4], ["1", "2", "..."]);
    assert_eq!(labels[4..11], ["5", "6", "7", "8", "9", "10", "11"]);
    assert!(page.links.iter().find(|l| l.active).is_some_and(|l| l.label == "8"));

    let end = fetch(&alice, &ChatroomQuery { per_page, page: last, ..query(1, 1) }).await.unwrap();
    assert_eq!(end.next_page_url, None);
    assert_eq!(end.to, Some(total));
    assert_eq!(end.links.last().unwrap().url, None);

    let past = fetch(&alice, &ChatroomQuery { per_page, page: last + 5, ..query(1, 1) }).await.unwrap();
    assert!(past.data.is_empty());
    assert_eq!((past.from, past.to, past.total), (None, None, total));
    assert!(past.prev_page_url.as_deref().unwrap().ends_with(&format!("page={}", last + 4)));
}

async fn page_urls_keep_the_query_as_it_came(backend: Backend) {
    let Some((base, _store)) = serve(backend).await else { return };
    let alice = client(&base, "demo-alice", 1);
    let page = alice.get_ambassador_chatrooms().ambassador(1).filter_archived(false).per_page(3).fetch().await.unwrap();
    let next = page.next_page_url.unwrap();
    assert!(next.ends_with("/api/v2/chat/ambassadors/1/chatrooms?filter%5Barchived%5D=0&per_page=3&page=2"), "{next}");
}

async fn guest_account_rooms_are_included_and_streams_cover_everything(backend: Backend) {
    let Some((base, _store)) = serve(backend).await else { return };
    let alice = client(&base, "demo-alice", 1);
    let all: Vec<i64> = alice.get_ambassador_chatrooms().ambassador(1).per_page(100).chatrooms().map_ok(|r| r.id_chatroom).try_collect().await.unwrap();
    let guest_only = dataset()
        .chatrooms
        .iter()
        .filter(|r| r.brand == 1 && r.members.iter().all(|m| m.ambassador != 1) && r.members.iter().any(|m| m.ambassador == 2 || m.ambassador == 3))
        .map(|r| r.id)
        .collect::<Vec<_>>();
    assert!(!guest_only.is_empty());
    assert!(guest_only.iter().all(|id| all.contains(id)), "every room of a guest account is listed");
    assert_eq!(all.len() as i64, naive(dataset(), &query(1, 1)).1);
}

async fn errors(backend: Backend) {
    let Some((base, _store)) = serve(backend).await else { return };
    let unknown = client(&base, "no-such-token", 1);
    assert!(matches!(unknown.get_ambassador_chatrooms().ambassador(1).fetch().await, Err(ApiError::Unauthorized { .. })));

    let no_token = Client::builder(&base).brand(1).build().unwrap();
    let Err(ApiError::Unauthorized { body, .. }) = no_token.get_ambassador_chatrooms().ambassador(1).fetch().await else { panic!("401") };
    assert_eq!(body.message, "Unauthorized.");

    // A brand the token may not act in.
    let wrong_brand = client(&base, "demo-alice", 2);
    assert!(matches!(wrong_brand.get_ambassador_chatrooms().ambassador(1).fetch().await, Err(ApiError::Forbidden { .. })));
    // An ambassador the token may not see (another member of the brand).
    let alice = client(&base, "demo-alice", 1);
    assert!(matches!(alice.get_ambassador_chatrooms().ambassador(6).fetch().await, Err(ApiError::Forbidden { .. })));
    // Her guest accounts she may see; an administrator sees anyone of his brand, no one of another.
    assert!(alice.get_ambassador_chatrooms().ambassador(2).fetch().await.is_ok());
    let admin = client(&base, "demo-admin", 1);
    assert!(admin.get_ambassador_chatrooms().ambassador(6).fetch().await.is_ok());
    assert!(matches!(admin.get_ambassador_chatrooms().ambassador(5).fetch().await, Err(ApiError::Forbidden { .. })));

    // The client refuses what the spec does not allow, before sending…
    let error = alice.get_ambassador_chatrooms().ambassador(1).per_page(500).fetch().await.unwrap_err();
    assert!(matches!(&error, ApiError::InvalidRequest(m) if m == "per_page must be between 1 and 100, got 500"), "{error:?}");
    // …and the server answers a client that sends it anyway.
    let response = popsell_client::reqwest::Client::new()
        .get(format!("{base}/chat/ambassadors/1/chatrooms?per_page=500"))
        .bearer_auth("demo-alice")
        .header("X-Popsell-Brand", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["errors"]["per_page"], serde_json::json!(["The per page field must not be greater than 100."]));
}

/// A page without what depends on where it was served from (its URLs).
fn without_urls(page: &ChatroomPage) -> serde_json::Value {
    let mut value = serde_json::to_value(page).unwrap();
    let object = value.as_object_mut().unwrap();
    for key in ["first_page_url", "last_page_url", "next_page_url", "prev_page_url", "path"] {
        object.remove(key);
    }
    for link in object["links"].as_array_mut().unwrap() {
        link.as_object_mut().unwrap().remove("url");
    }
    value
}

/// The client's mock, given the rooms the reference lists for alice (and
/// her guest accounts), answers every query with the reference's page.
async fn the_client_mock_answers_like_the_reference(backend: Backend) {
    use popsell_client::mock::MockPopsell;

    let Some((base, _store)) = serve(backend).await else { return };
    let alice = client(&base, "demo-alice", 1);
    let rooms: Vec<popsell_types::Chatroom> = alice.get_ambassador_chatrooms().ambassador(1).per_page(100).chatrooms().try_collect().await.unwrap();
    let mock = MockPopsell::start().await;
    mock.chatrooms(1, rooms).await;
    let guests = dataset().ambassadors.iter().filter(|a| a.host == Some(1)).map(|a| a.profile.id_ambassador);
    mock.guest_accounts(1, guests).await;
    let imitation = mock.client();

    let before = chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").unwrap().to_utc();
    let mut queries = Vec::new();
    for archived in [None, Some(true), Some(false)] {
        for commented in [None, Some(CommentedFilter::Commented), Some(CommentedFilter::NotCommented)] {
            let mut q = query(1, 1);
            q.filter.archived = archived;
            q.filter.commented = commented;
            q.per_page = 25;
            queries.push(q);
        }
    }
    for (flag, kind, last_action_before, sort, page) in [
        (Some(FlagFilter::One), None, None, ChatroomSort::LastActionDateDesc, 1),
        (Some(FlagFilter::Two), Some(ChatroomTypeFilter::OneToMany), None, ChatroomSort::LastActionDateAsc, 1),
        (None, Some(ChatroomTypeFilter::OneToOne), Some(before), ChatroomSort::LastActionDateDesc, 2),
        (None, None, Some(before), ChatroomSort::LastActionDateAsc, 3),
        (None, None, None, ChatroomSort::LastActionDateDesc, 9_999),
    ] {
        let mut q = query(1, 1);
        (q.filter.flag, q.filter.type_chatroom, q.filter.last_action_before, q.sort, q.page, q.per_page) = (flag, kind, last_action_before, sort, page, 10);
        queries.push(q);
    }
    for q in &queries {
        let (reference, imitated) = (fetch(&alice, q).await.unwrap(), fetch(&imitation, q).await.unwrap());
        assert!(reference.total > 0 || q.page > 1 || q.filter.flag.is_some(), "a query that selects nothing proves little: {q:?}");
        assert_eq!(without_urls(&imitated), without_urls(&reference), "{q:?}");
    }
}

/// As a consumer writes it: the stream comes back from a function that
/// built (and dropped) its client.
fn every_room_of(base: &str, ambassador: i64) -> popsell_client::Paged<popsell_types::Chatroom> {
    client(base, "demo-alice", 1).get_ambassador_chatrooms().ambassador(ambassador).per_page(100).chatrooms()
}

async fn a_returned_stream_lists_every_room_once_in_a_while_let(backend: Backend) {
    let Some((base, _store)) = serve(backend).await else { return };
    let total = client(&base, "demo-alice", 1).get_ambassador_chatrooms().ambassador(1).per_page(1).fetch().await.unwrap().total;
    let mut rooms = every_room_of(&base, 1);
    let mut seen = std::collections::BTreeSet::new();
    while let Some(room) = rooms.try_next().await.unwrap() {
        assert!(seen.insert(room.id_chatroom), "room {} listed twice", room.id_chatroom);
    }
    assert_eq!(seen.len() as i64, total);
    assert!(total > 100, "more than one page: {total}");
}

backend_tests!(
    each_filter_alone_and_combined_matches_the_model,
    both_sorts_order_by_last_action_then_id,
    first_middle_last_and_past_end_pages,
    page_urls_keep_the_query_as_it_came,
    guest_account_rooms_are_included_and_streams_cover_everything,
    errors,
    the_client_mock_answers_like_the_reference,
    a_returned_stream_lists_every_room_once_in_a_while_let,
);
