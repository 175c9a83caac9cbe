//! Deterministic demo data: the same seed and size give the same rows.
//! Several brands, ambassadors with guest accounts, realistic nulls (new
//! rooms without message, rating or summary), and fixed demo identities.

use chrono::{DateTime, Duration, Utc};
use popsell_types::{Ambassador, LaravelDateTime, Rating, Summary, Timestamp};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A demo identity printed at start-up.
pub struct DemoToken {
    pub token: &'static str,
    pub ambassador: i64,
    pub brand: i64,
    pub who: &'static str,
}

/// The fixed identities: alice (1, brand 1) has guest accounts 2 and 3;
/// 4 is an administrator of brand 1; bob (5) is in brand 2.
pub const DEMO_TOKENS: [DemoToken; 3] = [
    DemoToken { token: "demo-alice", ambassador: 1, brand: 1, who: "alice, ambassador 1 of brand 1 (guest accounts 2 and 3)" },
    DemoToken { token: "demo-admin", ambassador: 4, brand: 1, who: "an administrator of brand 1 (may list any ambassador of brand 1)" },
    DemoToken { token: "demo-bob", ambassador: 5, brand: 2, who: "bob, ambassador 5 of brand 2" },
];

pub const BRANDS: [i64; 3] = [1, 2, 3];

#[derive(Clone, Debug)]
pub struct AmbassadorRow {
    pub brand: i64,
    pub host: Option<i64>,
    pub profile: Ambassador,
}

#[derive(Clone, Debug)]
pub struct TokenRow {
    pub token: String,
    pub ambassador: i64,
    pub brands: Vec<i64>,
}

#[derive(Clone, Debug)]
pub struct MemberRow {
    pub ambassador: i64,
    pub last_read_message: Option<i64>,
    pub is_blocked: bool,
    pub archived: bool,
}

#[derive(Clone, Debug)]
pub struct MessageRow {
    pub id: i64,
    pub author: i64,
    pub date_insert: DateTime<Utc>,
    pub content: String,
    pub type_message: i32,
    pub status_moderation: i32,
}

#[derive(Clone, Debug)]
pub struct ChatroomRow {
    pub id: i64,
    pub brand: i64,
    pub date_insert: DateTime<Utc>,
    pub type_chatroom: i32,
    pub type_discussion: i32,
    pub source: i32,
    pub established_dialogue: Option<LaravelDateTime>,
    pub rating: Option<Rating>,
    pub summary: Option<Summary>,
    pub last_message: Option<MessageRow>,
    pub members: Vec<MemberRow>,
}

impl ChatroomRow {
    /// The sort key: the last message's date, or the creation date.
    pub fn last_action_at(&self) -> DateTime<Utc> {
        self.last_message.as_ref().map_or(self.date_insert, |m| m.date_insert)
    }
}

#[derive(Clone, Debug)]
pub struct Dataset {
    pub ambassadors: Vec<AmbassadorRow>,
    pub tokens: Vec<TokenRow>,
    pub chatrooms: Vec<ChatroomRow>,
}

const FIRST_NAMES: [&str; 8] = ["Alice", "Bob", "Chloé", "David", "Emma", "Farid", "Gaëlle", "Hugo"];
const LAST_NAMES: [&str; 6] = ["Martin", "Bernard", "Dubois", "Leroy", "Moreau", "Nguyen"];
const MESSAGES: [&str; 5] = ["super", "Merci pour votre aide !", "Is it available in blue?", "On se voit demain ?", "👍"];
const AMBASSADORS_PER_BRAND: i64 = 300;
/// Names of the demo identities 1 to 5.
const DEMO_NAMES: [(&str, &str); 5] =
    [("Alice", "alice"), ("Alice (guest)", "alice.guest1"), ("Alice (guest)", "alice.guest2"), ("Ada", "admin"), ("Bob", "bob")];

fn profile(rng: &mut ChaCha8Rng, id: i64, status: i32, base: DateTime<Utc>) -> Ambassador {
    let first = FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.random_range(0..LAST_NAMES.len())];
    let username = format!("{}.{}{id}", first.to_lowercase(), last.to_lowercase());
    // Setters in the order the draws were made: the demo data stays the same.
    Ambassador::builder()
        .id_ambassador(id)
        .maybe_image(rng.random_bool(0.5).then(|| format!("https://cdn.example.com/avatars/{id}.jpg")))
        .firstname(first)
        .lastname(last)
        .maybe_email(rng.random_bool(0.9).then(|| format!("{username}@example.com")))
        .maybe_email_tmp(rng.random_bool(0.1).then(|| format!("{username}.new@example.com")))
        .username(username)
        .active(i32::from(rng.random_bool(0.95)))
        .status(status)
        .online(rng.random_bool(0.2))
        .maybe_last_action_date(
            rng.random_bool(0.8).then(|| Timestamp::with_offset(base + Duration::seconds(rng.random_range(0..63_000_000)))),
        )
        .maybe_customer_id(rng.random_bool(0.4).then(|| format!("cus_{:06}", rng.random_range(0..1_000_000))))
        .anonymized(rng.random_bool(0.02))
        .build()
}

/// `chatrooms` rooms over [`BRANDS`], from `seed`.
pub fn generate(chatrooms: usize, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let base = DateTime::parse_from_rfc3339("2023-01-01T00:00:00Z").map(|d| d.to_utc()).unwrap_or_default();
    let mut ambassadors = Vec::new();
    let mut add = |rng: &mut ChaCha8Rng, id: i64, brand: i64, host: Option<i64>, status: i32| {
        ambassadors.push(AmbassadorRow { brand, host, profile: profile(rng, id, status, base) });
    };
    add(&mut rng, 1, 1, None, 0);
    add(&mut rng, 2, 1, Some(1), 8);
    add(&mut rng, 3, 1, Some(1), 8);
    add(&mut rng, 4, 1, None, 2);
    add(&mut rng, 5, 2, None, 0);

    // Per brand: the ids of the ambassadors who can be in a room.
    let mut by_brand: Vec<Vec<i64>> = vec![vec![1, 2, 3, 4], vec![5], vec![]];
    let mut next_id = 6;
    for (b, brand) in BRANDS.iter().enumerate() {
        for _ in 0..AMBASSADORS_PER_BRAND {
            let host = next_id;
            let status = rng.random_range(0..8);
            add(&mut rng, host, *brand, None, status);
            by_brand[b].push(host);
            next_id += 1;
            if rng.random_bool(0.2) {
                for _ in 0..rng.random_range(1..=2) {
                    add(&mut rng, next_id, *brand, Some(host), 8);
                    by_brand[b].push(next_id);
                    next_id += 1;
                }
            }
        }
    }
    for (row, (first, user)) in ambassadors.iter_mut().zip(DEMO_NAMES) {
        row.profile.firstname = first.into();
        row.profile.username = user.into();
    }
    let tokens = DEMO_TOKENS.iter().map(|t| TokenRow { token: t.token.into(), ambassador: t.ambassador, brands: vec![t.brand] }).collect();

    // Bounded: a size asked for is not memory granted (the rooms come one by one).
    let mut rooms = Vec::with_capacity(chatrooms.min(1 << 20));
    let mut message_id = 0;
    for id in 1..=chatrooms as i64 {
        let b = match rng.random_range(0..10) {
            0..=4 => 0,
            5..=7 => 1,
            _ => 2,
        };
        let pool = &by_brand[b];
        let first = if b == 0 && rng.random_bool(0.1) { rng.random_range(1..=3) } else { pool[rng.random_range(0..pool.len())] };
        let one_to_many = rng.random_bool(0.15);
        let mut member_ids = vec![first];
        for _ in 0..(if one_to_many { rng.random_range(2..=4) } else { 1 }) {
            let other = pool[rng.random_range(0..pool.len())];
            if !member_ids.contains(&other) {
                member_ids.push(other);
            }
        }
        let date_insert = base + Duration::milliseconds(rng.random_range(0..63_000_000_000));
        let last_message = rng.random_bool(0.85).then(|| {
            message_id += 1;
            MessageRow {
                id: message_id,
                author: member_ids[rng.random_range(0..member_ids.len())],
                date_insert: date_insert + Duration::milliseconds(rng.random_range(1..2_600_000_000)),
                content: MESSAGES[rng.random_range(0..MESSAGES.len())].into(),
                type_message: rng.random_range(0..3),
                status_moderation: rng.random_range(0..2),
            }
        });
        let talked = last_message.is_some();
        let established = talked.then(|| {
            let at = date_insert + Duration::milliseconds(rng.random_range(1..600_000));
            LaravelDateTime::from(at.naive_utc())
        });
        let rating = (talked && rng.random_bool(0.5)).then(|| {
            Rating::builder()
                .value(rng.random_range(1..=5))
                .maybe_comment(rng.random_bool(0.6).then(|| "Great ambassador".to_owned()))
                .build()
        });
        let summary = (talked && rng.random_bool(0.4)).then(|| {
            Summary::builder()
                .date_insert((date_insert + Duration::days(1)).format("%Y-%m-%d %H:%M:%S").to_string())
                .summary("Asked about sizes and delivery.")
                .anomaly(rng.random_range(0..=2))
                .topic(rng.random_range(0..=10))
                .build()
        });
        let members = member_ids
            .into_iter()
            .map(|ambassador| MemberRow {
                ambassador,
                last_read_message: last_message.as_ref().filter(|_| rng.random_bool(0.7)).map(|m| m.id),
                is_blocked: rng.random_bool(0.03),
                archived: rng.random_bool(0.2),
            })
            .collect();
        rooms.push(ChatroomRow {
            id,
            brand: BRANDS[b],
            date_insert,
            type_chatroom: if one_to_many { 7 } else { 0 },
            type_discussion: rng.random_range(0..=2),
            source: rng.random_range(0..=2),
            established_dialogue: established,
            rating,
            summary,
            last_message,
            members,
        });
    }
    Dataset { ambassadors, tokens, chatrooms: rooms }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_data() {
        let (a, b) = (generate(200, 7), generate(200, 7));
        let key = |d: &Dataset| d.chatrooms.iter().map(|r| (r.id, r.brand, r.date_insert, r.members.len())).collect::<Vec<_>>();
        assert_eq!(key(&a), key(&b));
        assert_ne!(key(&a), key(&generate(200, 8)));
    }

    #[test]
    fn the_data_has_the_shapes_the_api_has() {
        let data = generate(2_000, 1);
        let rooms = &data.chatrooms;
        assert!(rooms.iter().any(|r| r.last_message.is_none() && r.rating.is_none() && r.established_dialogue.is_none()));
        assert!(rooms.iter().any(|r| r.rating.as_ref().is_some_and(|x| x.comment.is_none())));
        assert!(rooms.iter().any(|r| r.members.iter().any(|m| m.ambassador == 2 || m.ambassador == 3)), "guest rooms");
        assert!(rooms.iter().any(|r| r.type_chatroom == 7) && rooms.iter().any(|r| r.brand == 3));
    }
}
