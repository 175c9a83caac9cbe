//! How a page is read from a listing, the same for every backend (each
//! renders it in its own SQL).
//!
//! A listing is one ambassador's rooms in one brand, ordered by (last
//! action, room id): an index range. Its total is kept per archived filter
//! (`listing_counts`), and it is cut into **buckets**: consecutive key
//! ranges that know how many rows they hold (`listing_buckets`). The writes
//! keep both true, splitting a bucket that grows past twice
//! [`BUCKET_ROWS`]. A deep page then starts from the bucket holding its
//! first row, found by summing the buckets' counts, instead of stepping
//! over every row before it with `OFFSET`.

use chrono::{DateTime, Utc};
use popsell_types::{ChatroomSort, ChatroomTypeFilter, CommentedFilter, FlagFilter};

use super::ChatroomQuery;

/// Rows per bucket after a split; a bucket is split when it holds more than
/// twice as many, so a deep page skips fewer than `2 × BUCKET_ROWS` rows.
pub const BUCKET_ROWS: i64 = 256;

/// Which of a listing's counts a query reads (the archived filter).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    All,
    Archived,
    Unarchived,
}

impl Selection {
    /// The column of `listing_counts` and `listing_buckets` (the same in
    /// every backend's schema) that counts the selected rows.
    pub fn count_column(self) -> &'static str {
        match self {
            Selection::All => "total",
            Selection::Archived => "archived",
            Selection::Unarchived => "unarchived",
        }
    }
}

/// The SQL of a scan's or a sort's direction.
pub fn direction(ascending: bool) -> &'static str {
    if ascending { "ASC" } else { "DESC" }
}

/// The query's filter as the values a listing row's columns are compared
/// with in SQL (the one filter type is `ChatroomFilter`; this is its
/// rendering for the listing tables).
#[derive(Clone, Debug)]
pub struct Filters {
    pub selection: Selection,
    pub commented: Option<bool>,
    pub anomaly: Option<i32>,
    pub type_chatroom: Option<i32>,
    /// Rooms whose last action is strictly before this instant.
    pub before: Option<DateTime<Utc>>,
}

impl Filters {
    pub fn of(query: &ChatroomQuery) -> Filters {
        let filter = &query.filter;
        Filters {
            selection: match filter.archived {
                None => Selection::All,
                Some(true) => Selection::Archived,
                Some(false) => Selection::Unarchived,
            },
            commented: filter.commented.map(|c| c == CommentedFilter::Commented),
            anomaly: filter.flag.map(FlagFilter::code),
            type_chatroom: filter.type_chatroom.map(ChatroomTypeFilter::code),
            before: filter.last_action_before.map(round_up_to_micros),
        }
    }

    /// No filter on the room itself: the total is a kept count and the
    /// buckets count the rows.
    pub fn counted(&self) -> bool {
        self.commented.is_none() && self.anomaly.is_none() && self.type_chatroom.is_none() && self.before.is_none()
    }
}

/// Stored instants are whole microseconds: `< before` is `< before rounded
/// up`, so an instant just past a microsecond keeps the rows of that microsecond.
fn round_up_to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    let sub_micro = !at.timestamp_subsec_nanos().is_multiple_of(1_000);
    DateTime::from_timestamp_micros(at.timestamp_micros() + i64::from(sub_micro)).unwrap_or(at)
}

/// Where a page's first row is found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// Skip this many rows from the end of the listing the scan starts at.
    Skip(i64),
    /// In the bucket holding this ascending position (0-based); the rows
    /// before it in that bucket are skipped.
    Bucket(i64),
}

/// How to read one page's rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reading {
    /// The direction of the scan (the page is sorted back into the query's).
    pub ascending: bool,
    pub start: Start,
    pub limit: i64,
}

/// The reading of `query`'s page in a listing of `total` rows, or `None`
/// past the end. OFFSET steps over rows one by one, so the page is read
/// from the nearer end of the listing (the total is exact and the order is
/// total), and from its bucket when that skips fewer rows: only without a
/// filter on the room, where the buckets' counts are the listing's.
pub fn reading(query: &ChatroomQuery, total: i64, counted: bool, bucket_rows: i64) -> Option<Reading> {
    let offset = (query.page - 1).saturating_mul(query.per_page);
    if offset >= total {
        return None;
    }
    let limit = query.per_page.min(total - offset);
    let from_end = total - offset - limit;
    let ascending = query.sort == ChatroomSort::LastActionDateAsc;
    let (scan_ascending, skip) = if offset <= from_end { (ascending, offset) } else { (!ascending, from_end) };
    if counted && skip > 2 * bucket_rows {
        let first = if ascending { offset } else { from_end };
        return Some(Reading { ascending: true, start: Start::Bucket(first), limit });
    }
    Some(Reading { ascending: scan_ascending, start: Start::Skip(skip), limit })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(page: i64, per_page: i64, sort: ChatroomSort) -> ChatroomQuery {
        ChatroomQuery { page, per_page, sort, ..ChatroomQuery::new(1, 1) }
    }

    #[test]
    fn pages_are_read_from_the_nearer_end_or_their_bucket() {
        let desc = ChatroomSort::LastActionDateDesc;
        let asc = ChatroomSort::LastActionDateAsc;
        // Page 1 of the newest first: the scan starts at the newest row.
        assert_eq!(reading(&query(1, 25, desc), 10_000, true, 256), Some(Reading { ascending: false, start: Start::Skip(0), limit: 25 }));
        // The last page of 10,000 rows newest first is the oldest: ascending from the start.
        assert_eq!(reading(&query(400, 25, desc), 10_000, true, 256), Some(Reading { ascending: true, start: Start::Skip(0), limit: 25 }));
        // A middle page: from its bucket, at its ascending position.
        assert_eq!(reading(&query(200, 25, desc), 10_000, true, 256), Some(Reading { ascending: true, start: Start::Bucket(5_000), limit: 25 }));
        assert_eq!(reading(&query(200, 25, asc), 10_000, true, 256), Some(Reading { ascending: true, start: Start::Bucket(4_975), limit: 25 }));
        // With a filter on the room there are no buckets to count with.
        assert_eq!(reading(&query(200, 25, asc), 10_000, false, 256), Some(Reading { ascending: true, start: Start::Skip(4_975), limit: 25 }));
        // A short last page and a page past the end.
        assert_eq!(reading(&query(3, 4, asc), 10, true, 256), Some(Reading { ascending: false, start: Start::Skip(0), limit: 2 }));
        assert_eq!(reading(&query(4, 4, asc), 10, true, 256), None);
    }

    #[test]
    fn cutoffs_round_up_to_the_microsecond() {
        let at = DateTime::parse_from_rfc3339("2024-01-01T00:00:00.000001500Z").unwrap().to_utc();
        assert_eq!(round_up_to_micros(at).timestamp_micros(), at.timestamp_micros() + 1);
        let whole = DateTime::parse_from_rfc3339("2024-01-01T00:00:00.000001Z").unwrap().to_utc();
        assert_eq!(round_up_to_micros(whole), whole);
    }
}
