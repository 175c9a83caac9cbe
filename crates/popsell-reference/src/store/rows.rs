//! The payload built from a result row, the same for every backend: each
//! backend reads its driver's row through [`Columns`] and selects the
//! columns in the order written here.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use popsell_types::{Ambassador, Chatroom, ChatroomMember, ChatroomPivot, Message, Rating, Summary, Timestamp};

use super::StoreError;

/// One result row, by column index, whatever the driver.
pub trait Columns {
    fn int(&self, i: usize) -> Result<i64, StoreError>;
    fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError>;
    fn code(&self, i: usize) -> Result<i32, StoreError>;
    fn opt_code(&self, i: usize) -> Result<Option<i32>, StoreError>;
    fn flag(&self, i: usize) -> Result<bool, StoreError>;
    fn text(&self, i: usize) -> Result<String, StoreError>;
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError>;
    fn instant(&self, i: usize) -> Result<DateTime<Utc>, StoreError>;
    fn opt_instant(&self, i: usize) -> Result<Option<DateTime<Utc>>, StoreError>;
}

/// [`Columns`] for a driver's row type `$row`, whose method `$get(i)` reads
/// a column as any of the payload's types, with errors made `StoreError`s
/// by `$error`; an instant is stored as `$stored` and read by `$instant`.
macro_rules! impl_columns {
    ($row:ty, $get:ident, $error:expr, $stored:ty => $instant:expr) => {
        impl $crate::store::rows::Columns for $row {
            fn int(&self, i: usize) -> Result<i64, StoreError> {
                self.$get(i).map_err($error)
            }
            fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
                self.$get(i).map_err($error)
            }
            fn code(&self, i: usize) -> Result<i32, StoreError> {
                self.$get(i).map_err($error)
            }
            fn opt_code(&self, i: usize) -> Result<Option<i32>, StoreError> {
                self.$get(i).map_err($error)
            }
            fn flag(&self, i: usize) -> Result<bool, StoreError> {
                self.$get(i).map_err($error)
            }
            fn text(&self, i: usize) -> Result<String, StoreError> {
                self.$get(i).map_err($error)
            }
            fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
                self.$get(i).map_err($error)
            }
            fn instant(&self, i: usize) -> Result<DateTime<Utc>, StoreError> {
                let stored: $stored = self.$get(i).map_err($error)?;
                Ok($instant(stored))
            }
            fn opt_instant(&self, i: usize) -> Result<Option<DateTime<Utc>>, StoreError> {
                let stored: Option<$stored> = self.$get(i).map_err($error)?;
                Ok(stored.map($instant))
            }
        }
    };
}
pub(crate) use impl_columns;

/// An ambassador from the columns at `at`: id, image, firstname, lastname,
/// username, email, email_tmp, active, status, online, last_action_date,
/// customer_id, anonymized.
pub fn ambassador(row: &impl Columns, at: usize) -> Result<Ambassador, StoreError> {
    Ok(Ambassador::builder()
        .id_ambassador(row.int(at)?)
        .maybe_image(row.opt_text(at + 1)?)
        .firstname(row.text(at + 2)?)
        .lastname(row.text(at + 3)?)
        .username(row.text(at + 4)?)
        .maybe_email(row.opt_text(at + 5)?)
        .maybe_email_tmp(row.opt_text(at + 6)?)
        .active(row.code(at + 7)?)
        .status(row.code(at + 8)?)
        .online(row.flag(at + 9)?)
        // The spellings of the real API: `+00:00` here, microseconds and `Z` for rooms and messages.
        .maybe_last_action_date(row.opt_instant(at + 10)?.map(Timestamp::with_offset))
        .maybe_customer_id(row.opt_text(at + 11)?)
        .anonymized(row.flag(at + 12)?)
        .build())
}

/// Columns [`chatroom`] reads (its author's last): PostgreSQL reads a
/// page's members from the same rows, after them.
#[cfg(feature = "postgres")]
pub const CHATROOM_WIDTH: usize = 18 + 13;

/// A room of a page without its members. Columns: 0 id, 1 date_insert,
/// 2 last_message_date, 3 type_chatroom, 4 type_discussion, 5 source,
/// 6 established_dialogue, 7 rating value, 8 rating comment, 9 summary
/// date, 10 summary text, 11 summary anomaly, 12 summary topic, 13 last
/// message id, 14 its date, 15 content, 16 type_message, 17
/// status_moderation, then its author's [`ambassador`] columns from 18.
pub fn chatroom(row: &impl Columns) -> Result<Chatroom, StoreError> {
    // The last message, when it and its author exist.
    let last_message = match (row.opt_int(13)?, row.opt_int(18)?) {
        (Some(id_message), Some(_)) => Some(
            Message::builder()
                .id_message(id_message)
                .date_insert(row.instant(14)?.into())
                .content(row.text(15)?)
                .type_message(row.code(16)?)
                .status_moderation(row.code(17)?)
                .author(ambassador(row, 18)?)
                .build(),
        ),
        _ => None,
    };
    let last_rating = match row.opt_code(7)? {
        Some(value) => Some(Rating::builder().value(value).maybe_comment(row.opt_text(8)?).build()),
        None => None,
    };
    let last_summary = match row.opt_text(10)? {
        Some(summary) => Some(
            Summary::builder()
                .date_insert(row.opt_text(9)?.unwrap_or_default())
                .summary(summary)
                .anomaly(row.opt_code(11)?.unwrap_or_default())
                .topic(row.opt_code(12)?.unwrap_or_default())
                .build(),
        ),
        None => None,
    };
    Ok(Chatroom::builder()
        .id_chatroom(row.int(0)?)
        .ambassadors(Vec::new())
        .date_insert(row.instant(1)?.into())
        .maybe_last_message_date(row.opt_instant(2)?.map(Into::into))
        .type_chatroom(row.code(3)?)
        .type_discussion(row.code(4)?)
        .source(row.code(5)?)
        .maybe_established_dialogue(row.opt_text(6)?.and_then(|text| text.parse().ok()))
        .maybe_last_rating(last_rating)
        .maybe_last_summary(last_summary)
        .maybe_last_message(last_message)
        .build())
}

/// A member of a page's room and the room's id, from the columns at `at`:
/// chatroom id, last_read_message, is_blocked, archived, then the member's
/// [`ambassador`] columns.
pub fn member(row: &impl Columns, at: usize) -> Result<(i64, ChatroomMember), StoreError> {
    let room = row.int(at)?;
    let a = ambassador(row, at + 4)?;
    let pivot = ChatroomPivot::builder()
        .id_chatroom(room)
        .id_ambassador(a.id_ambassador)
        .maybe_last_read_message(row.opt_int(at + 1)?)
        .is_blocked(row.flag(at + 2)?)
        .archived(row.flag(at + 3)?)
        .build();
    let member = ChatroomMember::builder()
        .active(a.active)
        .anonymized(a.anonymized)
        .chatroom_pivot_data(vec![pivot])
        .maybe_customer_id(a.customer_id)
        .maybe_email(a.email)
        .maybe_email_tmp(a.email_tmp)
        .firstname(a.firstname)
        .id_ambassador(a.id_ambassador)
        .maybe_image(a.image)
        .maybe_last_action_date(a.last_action_date)
        .lastname(a.lastname)
        .online(a.online)
        .status(a.status)
        .username(a.username)
        .build();
    Ok((room, member))
}

/// Puts each member into his room, in the order given (members of other
/// rooms are ignored).
pub fn attach(rooms: &mut [Chatroom], members: Vec<(i64, ChatroomMember)>) {
    let index: HashMap<i64, usize> = rooms.iter().enumerate().map(|(i, r)| (r.id_chatroom, i)).collect();
    for (room, member) in members {
        if let Some(&i) = index.get(&room) {
            rooms[i].ambassadors.push(member);
        }
    }
}
