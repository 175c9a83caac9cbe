//! Writes keep the derived listings true, on each backend: after rooms,
//! members and messages are written, every page is the naive model's page
//! of the data as written, at every depth (with buckets of a few rows, so
//! that the writes split them); and through the client, a new room, member
//! or message moves a room to its place on the next page.

mod support;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use popsell_client::Client;
use popsell_reference::seed::{ChatroomRow, Dataset, MemberRow, MessageRow, generate};
use popsell_reference::store::{ChatroomQuery, RoomMember, RoomMessage, Store, StoreWriter};
use popsell_types::listing::ChatroomFilter;
use popsell_types::{ChatroomSort, CommentedFilter};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use support::backend::{Backend, TestStore};
use support::client::fetch;
use support::{naive, query};

fn base() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2023-01-01T00:00:00Z").unwrap().to_utc()
}

/// Message ids from past the seed's: every message written is some room's
/// last when written, so the seed's largest id is the largest.
fn message_ids(data: &Dataset) -> std::ops::RangeFrom<i64> {
    data.chatrooms.iter().filter_map(|r| r.last_message.as_ref().map(|m| m.id)).max().unwrap_or(0) + 1..
}

fn message(id: i64, author: i64, at: DateTime<Utc>) -> MessageRow {
    MessageRow { id, author, date_insert: at, content: "new".into(), type_message: 0, status_moderation: 0 }
}

fn member(ambassador: i64, archived: bool) -> MemberRow {
    MemberRow { ambassador, last_read_message: None, is_blocked: false, archived }
}

/// A room of brand 1 with `members`, created at `at`, with a message (id
/// from `ids`) at `message_at` when given.
fn room(ids: &mut impl Iterator<Item = i64>, id: i64, members: Vec<MemberRow>, at: DateTime<Utc>, message_at: Option<DateTime<Utc>>) -> ChatroomRow {
    let author = members[0].ambassador;
    let last_message = message_at.map(|m| message(ids.next().unwrap_or_default(), author, m));
    support::plain_room(id, members, at, last_message)
}

/// The model's side of a posted message: it is the room's last when it is the latest.
fn post(data: &mut Dataset, posted: &RoomMessage) {
    let room = &mut data.chatrooms[(posted.chatroom - 1) as usize];
    let later = room.last_message.as_ref().is_none_or(|m| (m.date_insert, m.id) < (posted.message.date_insert, posted.message.id));
    if later {
        room.last_message = Some(posted.message.clone());
    }
}

/// One random batch of writes, applied to the store and to the model.
async fn random_writes(store: &TestStore, data: &mut Dataset, ids: &mut impl Iterator<Item = i64>, rng: &mut ChaCha8Rng) {
    let brand_one: Vec<i64> = data.ambassadors.iter().filter(|a| a.brand == 1).map(|a| a.profile.id_ambassador).take(12).collect();
    let pick = |rng: &mut ChaCha8Rng| brand_one[rng.random_range(0..brand_one.len())];
    let at = |rng: &mut ChaCha8Rng| base() + Duration::milliseconds(rng.random_range(0..63_000_000_000));
    match rng.random_range(0..3) {
        0 => {
            let mut rooms = Vec::new();
            for _ in 0..rng.random_range(1..=4) {
                let id = data.chatrooms.len() as i64 + 1;
                let first = pick(rng);
                let mut members = vec![member(first, rng.random_bool(0.3))];
                let other = pick(rng);
                if other != first {
                    members.push(member(other, rng.random_bool(0.3)));
                }
                let created = at(rng);
                let talked = rng.random_bool(0.7).then(|| created + Duration::minutes(rng.random_range(1..100_000)));
                let new = room(ids, id, members, created, talked);
                data.chatrooms.push(new.clone());
                rooms.push(new);
            }
            store.add_rooms(rooms).await.unwrap();
        }
        1 => {
            let mut joined = Vec::new();
            for _ in 0..rng.random_range(1..=3) {
                let chatroom = rng.random_range(1..=data.chatrooms.len() as i64);
                let room = &mut data.chatrooms[(chatroom - 1) as usize];
                let ambassador = pick(rng);
                if room.brand != 1 || room.members.iter().any(|m| m.ambassador == ambassador) || joined.iter().any(|j: &RoomMember| j.chatroom == chatroom) {
                    continue;
                }
                let new = member(ambassador, rng.random_bool(0.5));
                room.members.push(new.clone());
                joined.push(RoomMember { chatroom, member: new });
            }
            store.add_members(joined).await.unwrap();
        }
        _ => {
            let mut posted = Vec::new();
            for _ in 0..rng.random_range(1..=3) {
                // Sometimes the same room twice in one batch: the later message wins.
                let chatroom = posted.last().filter(|_| rng.random_bool(0.3)).map_or_else(
                    || rng.random_range(1..=data.chatrooms.len() as i64),
                    |p: &RoomMessage| p.chatroom,
                );
                let author = data.chatrooms[(chatroom - 1) as usize].members[0].ambassador;
                let new = RoomMessage { chatroom, message: message(ids.next().unwrap_or_default(), author, at(rng)) };
                post(data, &new);
                posted.push(new);
            }
            store.add_messages(posted).await.unwrap();
        }
    }
}

/// Every page of the listings read here, both sorts, each archived filter
/// (and one room filter), against the model.
async fn every_page_matches_the_model(store: &TestStore, data: &Dataset, context: &str) {
    for ambassador in [1, 2, 6] {
        for sort in [ChatroomSort::LastActionDateDesc, ChatroomSort::LastActionDateAsc] {
            for archived in [None, Some(true), Some(false)] {
                let first = ChatroomQuery { sort, filter: ChatroomFilter { archived, ..ChatroomFilter::default() }, per_page: 4, ..query(ambassador, 1) };
                let total = naive(data, &first).1;
                for page in 1..=(total + 3) / 4 + 1 {
                    let q = ChatroomQuery { page, ..first.clone() };
                    let (rooms, got_total) = store.chatrooms(&q).await.unwrap();
                    let ids: Vec<i64> = rooms.iter().map(|r| r.id_chatroom).collect();
                    assert_eq!((ids, got_total), naive(data, &q), "{context}: {q:?}");
                }
            }
        }
    }
    let commented = ChatroomQuery { filter: ChatroomFilter { commented: Some(CommentedFilter::NotCommented), ..ChatroomFilter::default() }, per_page: 100, ..query(1, 1) };
    let (rooms, total) = store.chatrooms(&commented).await.unwrap();
    assert_eq!((rooms.iter().map(|r| r.id_chatroom).collect::<Vec<_>>(), total), naive(data, &commented), "{context}: {commented:?}");
}

async fn random_writes_keep_every_page_true(backend: Backend) {
    // Buckets of 3 rows: a listing of a few dozen rooms has many, and writes split them.
    let Some(store) = backend.empty_store(3).await else { return };
    let mut data = generate(300, 5);
    store.seed(data.clone()).await.unwrap();
    every_page_matches_the_model(&store, &data, "seeded").await;
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    let mut ids = message_ids(&data);
    for round in 1..=15 {
        random_writes(&store, &mut data, &mut ids, &mut rng).await;
        every_page_matches_the_model(&store, &data, &format!("after write {round}")).await;
    }
}

async fn a_new_room_shows_in_its_place_through_the_client(backend: Backend) {
    let mut data = generate(3_000, 11);
    let Some(store) = backend.seeded(&data).await else { return };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = popsell_reference::app(Arc::new(store.store.clone()), openapi_server_runtime::request_url::PublicUrl::of_bind(address));
    tokio::spawn(async move { openapi_server_runtime::reexports::axum::serve(listener, app).await.unwrap() });
    let alice = Client::builder(format!("http://{address}/api/v2")).bearer("demo-alice").brand(1).build().unwrap();
    let page = |q: ChatroomQuery| {
        let alice = alice.clone();
        async move {
            let page = fetch(&alice, &q).await.unwrap();
            (page.data.iter().map(|r| r.id_chatroom).collect::<Vec<i64>>(), page.total)
        }
    };
    let newest = ChatroomQuery { per_page: 10, ..query(1, 1) };
    let (before, total) = page(newest.clone()).await;
    let mut new_ids = message_ids(&data);

    // A room of her guest account, talked in after everything: first on page 1.
    let latest = data.chatrooms.iter().map(|r| r.last_action_at()).max().unwrap();
    let id = data.chatrooms.len() as i64 + 1;
    let new = room(&mut new_ids, id, vec![member(2, false)], latest, Some(latest + Duration::seconds(1)));
    data.chatrooms.push(new.clone());
    store.add_rooms(vec![new]).await.unwrap();
    let (after, after_total) = page(newest.clone()).await;
    assert_eq!((after[0], after_total), (id, total + 1));
    assert_eq!(after[1..], before[..9]);

    // A room created in the middle of her listing, without a message: on the page the model says.
    let middle = ChatroomQuery { page: 12, ..newest.clone() };
    let (ids, _) = naive(&data, &middle);
    let at = data.chatrooms[(ids[4] - 1) as usize].last_action_at() - Duration::microseconds(1);
    let id = data.chatrooms.len() as i64 + 1;
    let new = room(&mut new_ids, id, vec![member(1, false)], at, None);
    data.chatrooms.push(new.clone());
    store.add_rooms(vec![new]).await.unwrap();
    let (ids, total) = page(middle.clone()).await;
    assert_eq!(ids[5], id, "just after the room it was created after");
    assert_eq!((ids, total), naive(&data, &middle));

    // A message in her oldest room moves it to the front.
    let oldest = ChatroomQuery { sort: ChatroomSort::LastActionDateAsc, per_page: 1, ..query(1, 1) };
    let chatroom = page(oldest).await.0[0];
    let posted = RoomMessage { chatroom, message: message(new_ids.next().unwrap_or_default(), 1, latest + Duration::seconds(2)) };
    post(&mut data, &posted);
    store.add_messages(vec![posted]).await.unwrap();
    assert_eq!(page(newest.clone()).await.0[0], chatroom);

    // She joins a room of another ambassador: it is listed for her, in its place.
    let joined = data.chatrooms.iter().find(|r| r.brand == 1 && r.members.iter().all(|m| ![1, 2, 3].contains(&m.ambassador))).unwrap().id;
    let new = RoomMember { chatroom: joined, member: member(1, true) };
    data.chatrooms[(joined - 1) as usize].members.push(new.member.clone());
    store.add_members(vec![new]).await.unwrap();
    let archived = ChatroomQuery { filter: ChatroomFilter { archived: Some(true), ..ChatroomFilter::default() }, per_page: 100, ..query(1, 1) };
    let mut listed = Vec::new();
    for page_number in 1..=(naive(&data, &archived).1 + 99) / 100 {
        listed.extend(page(ChatroomQuery { page: page_number, ..archived.clone() }).await.0);
    }
    assert!(listed.contains(&joined));
    assert_eq!(page(newest.clone()).await, naive(&data, &newest));
}

backend_tests!(random_writes_keep_every_page_true, a_new_room_shows_in_its_place_through_the_client);
