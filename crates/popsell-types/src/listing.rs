//! The operation's semantics on the wire values: which chatrooms a listing
//! keeps for a set of filters, and in which order. The API answers them
//! from its database; `popsell_client::mock` answers them from the rooms a
//! test gives it, through this module, and a test in the reference server
//! checks that both agree.

use chrono::{DateTime, Utc};

use crate::{Chatroom, ChatroomSort, ChatroomTypeFilter, CommentedFilter, FlagFilter, Timestamp};

impl Chatroom {
    /// The instant the listing sorts and filters by: the last message's,
    /// else the room's creation.
    pub fn last_action(&self) -> &Timestamp {
        self.last_message_date.as_ref().unwrap_or(&self.date_insert)
    }

    /// Whether the last rating carries a (non-empty) comment.
    pub fn is_commented(&self) -> bool {
        self.last_rating.as_ref().and_then(|r| r.comment.as_deref()).is_some_and(|c| !c.is_empty())
    }
}

/// The filters of a listing (`filter[...]`), all optional: the one type
/// of them from the generated server's query (`popsell_server`'s
/// `GetAmbassadorChatroomsQuery::filter`) to the reference store, the
/// client's mock and the tests' oracle.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChatroomFilter {
    /// `filter[archived]`: the pivot row of a listed member.
    pub archived: Option<bool>,
    /// `filter[commented]`.
    pub commented: Option<CommentedFilter>,
    /// `filter[flag]`: the last summary's `anomaly`.
    pub flag: Option<FlagFilter>,
    /// `filter[type_chatroom]`.
    pub type_chatroom: Option<ChatroomTypeFilter>,
    /// `filter[last_action_date_before]`, exclusive.
    pub last_action_before: Option<DateTime<Utc>>,
}

impl ChatroomFilter {
    /// Whether `room` is kept, listed for `members` (the ambassador and his
    /// guest accounts): `archived` holds when the pivot row of one of them
    /// in the room has that value (so a room where two of them disagree
    /// passes both values).
    pub fn keeps(&self, room: &Chatroom, members: &[i64]) -> bool {
        let archived = self.archived.is_none_or(|wanted| {
            room.ambassadors
                .iter()
                .filter(|m| members.contains(&m.id_ambassador))
                .any(|m| m.chatroom_pivot_data.iter().any(|p| p.archived == wanted))
        });
        let commented = match self.commented {
            Some(CommentedFilter::Commented) => room.is_commented(),
            Some(CommentedFilter::NotCommented) => !room.is_commented(),
            None => true,
        };
        let flag = self.flag.is_none_or(|f| room.last_summary.as_ref().is_some_and(|s| s.anomaly == f.code()));
        let type_chatroom = self.type_chatroom.is_none_or(|t| room.type_chatroom == t.code());
        let before = self.last_action_before.is_none_or(|t| **room.last_action() < t);
        archived && commented && flag && type_chatroom && before
    }
}

/// Sorts rooms by last action, ties broken by `id_chatroom` in the same
/// direction.
pub fn sort(rooms: &mut [Chatroom], sort: ChatroomSort) {
    rooms.sort_by_key(|room| (**room.last_action(), room.id_chatroom));
    if sort == ChatroomSort::LastActionDateDesc {
        rooms.reverse();
    }
}
