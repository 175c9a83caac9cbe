//! Property test: for random data and random filter combinations, each
//! store (every backend of `support::backend`) returns exactly what a naive
//! in-memory filter of the same rows returns, and never a room of another
//! brand or ambassador.

mod support;

use popsell_reference::seed::generate;
use popsell_reference::store::Store;
use popsell_types::{ChatroomSort, ChatroomTypeFilter, CommentedFilter, FlagFilter};
use proptest::prelude::*;
use support::backend::{Backend, block_on};
use support::{naive, query};

fn commented() -> impl Strategy<Value = Option<CommentedFilter>> {
    prop_oneof![Just(None), Just(Some(CommentedFilter::Commented)), Just(Some(CommentedFilter::NotCommented))]
}

fn type_chatroom() -> impl Strategy<Value = Option<ChatroomTypeFilter>> {
    prop_oneof![Just(None), Just(Some(ChatroomTypeFilter::OneToOne)), Just(Some(ChatroomTypeFilter::OneToMany))]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn the_store_matches_the_naive_model(
        seed in 0u64..1_000,
        ambassador in prop_oneof![Just(1i64), Just(2), Just(5), 6i64..40],
        brand in 1i64..=3,
        archived in proptest::option::of(any::<bool>()),
        commented in commented(),
        flag in proptest::option::of(1i32..=2),
        type_chatroom in type_chatroom(),
        before_days in proptest::option::of(0i64..800),
        ascending in any::<bool>(),
        page in 1i64..6,
        per_page in 1i64..40,
    ) {
        let data = generate(400, seed);
        let mut q = query(ambassador, brand);
        q.filter.archived = archived;
        q.filter.commented = commented;
        q.filter.flag = flag.map(|f| if f == 1 { FlagFilter::One } else { FlagFilter::Two });
        q.filter.type_chatroom = type_chatroom;
        q.filter.last_action_before = before_days.map(|d| chrono::DateTime::parse_from_rfc3339("2023-01-01T00:00:00Z").unwrap().to_utc() + chrono::Duration::days(d));
        q.sort = if ascending { ChatroomSort::LastActionDateAsc } else { ChatroomSort::LastActionDateDesc };
        q.page = page;
        q.per_page = per_page;

        for backend in Backend::ALL {
            let Some(store) = block_on(backend.seeded(&data)) else { continue };
            let (rooms, total) = block_on(store.chatrooms(&q)).unwrap();
            let (expected, expected_total) = naive(&data, &q);
            let ids: Vec<i64> = rooms.iter().map(|r| r.id_chatroom).collect();
            prop_assert_eq!(&ids, &expected, "{:?}", backend);
            prop_assert_eq!(total, expected_total, "{:?}", backend);

            let guests: Vec<i64> = data.ambassadors.iter().filter(|a| a.host == Some(ambassador)).map(|a| a.profile.id_ambassador).collect();
            for room in &rooms {
                let row = &data.chatrooms[(room.id_chatroom - 1) as usize];
                prop_assert_eq!(row.brand, brand, "{:?}: a room of another brand leaked", backend);
                prop_assert!(room.ambassadors.iter().any(|m| m.id_ambassador == ambassador || guests.contains(&m.id_ambassador)),
                    "{:?}: a room of another ambassador leaked", backend);
            }
        }
    }
}
