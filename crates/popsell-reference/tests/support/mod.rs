//! The naive model: the same query answered by filtering the generated rows
//! in memory, to compare with each store; and the backends the stores are
//! tested on ([`backend`]).

#![allow(dead_code)]

pub mod backend;
pub mod client;

use chrono::{DateTime, Utc};
use popsell_reference::seed::{ChatroomRow, Dataset, MemberRow, MessageRow};
use popsell_reference::store::ChatroomQuery;
use popsell_types::{ChatroomSort, CommentedFilter};

/// Ids of the matching rooms in order, and the total.
pub fn naive(data: &Dataset, query: &ChatroomQuery) -> (Vec<i64>, i64) {
    let guests: Vec<i64> = data.ambassadors.iter().filter(|a| a.host == Some(query.ambassador)).map(|a| a.profile.id_ambassador).collect();
    let involved = |id: i64| id == query.ambassador || guests.contains(&id);
    let mut rooms: Vec<&ChatroomRow> = data
        .chatrooms
        .iter()
        .filter(|r| r.brand == query.brand)
        .filter(|r| r.members.iter().any(|m| involved(m.ambassador) && query.filter.archived.is_none_or(|a| m.archived == a)))
        .filter(|r| {
            let commented = r.rating.as_ref().and_then(|x| x.comment.as_deref()).is_some_and(|c| !c.is_empty());
            match query.filter.commented {
                Some(CommentedFilter::Commented) => commented,
                Some(CommentedFilter::NotCommented) => !commented,
                None => true,
            }
        })
        .filter(|r| query.filter.flag.is_none_or(|f| r.summary.as_ref().is_some_and(|s| s.anomaly == f.code())))
        .filter(|r| query.filter.type_chatroom.is_none_or(|t| r.type_chatroom == t.code()))
        .filter(|r| query.filter.last_action_before.is_none_or(|t| r.last_action_at() < t))
        .collect();
    rooms.sort_by_key(|r| (r.last_action_at(), r.id));
    if query.sort == ChatroomSort::LastActionDateDesc {
        rooms.reverse();
    }
    let total = rooms.len() as i64;
    let start = ((query.page - 1) * query.per_page) as usize;
    let page = rooms.iter().skip(start).take(query.per_page as usize).map(|r| r.id).collect();
    (page, total)
}

pub fn query(ambassador: i64, brand: i64) -> ChatroomQuery {
    ChatroomQuery::new(brand, ambassador)
}

/// A room of brand 1 with `members`, created at `at`, with `last_message`
/// when given, every other field empty.
pub fn plain_room(id: i64, members: Vec<MemberRow>, at: DateTime<Utc>, last_message: Option<MessageRow>) -> ChatroomRow {
    ChatroomRow {
        id,
        brand: 1,
        date_insert: at,
        type_chatroom: 0,
        type_discussion: 0,
        source: 0,
        established_dialogue: None,
        rating: None,
        summary: None,
        last_message,
        members,
    }
}
