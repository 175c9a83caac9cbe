//! Real payloads decode, and re-encode to what the API sent: the spec's own
//! examples (seed placeholders, a brand-new room, the error bodies) and
//! realistic pages with every null of the notes, all three timestamp
//! spellings, keys this version does not know, and an empty page.

mod support;

use popsell_types::{ChatroomPage, ErrorBody};
use serde_json::Value;

const OPERATION: &str = "/paths/~1chat~1ambassadors~1{ambassador}~1chatrooms/get/responses";

fn example(pointer: &str) -> Value {
    support::spec().pointer(&format!("{OPERATION}{pointer}")).unwrap_or_else(|| panic!("no example at {pointer}")).clone()
}

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Without the keys a type does not model (the API may add some), so a
/// re-encoded value can be compared with the original.
fn without_unknown_keys(mut sent: Value, known: &Value) -> Value {
    match (&mut sent, known) {
        (Value::Object(map), Value::Object(known)) => {
            map.retain(|k, _| known.contains_key(k));
            for (k, v) in map.iter_mut() {
                *v = without_unknown_keys(v.take(), &known[k]);
            }
        }
        (Value::Array(items), Value::Array(known)) => {
            for (item, known) in items.iter_mut().zip(known) {
                *item = without_unknown_keys(item.take(), known);
            }
        }
        _ => {}
    }
    sent
}

/// Decodes, re-encodes, and checks nothing modelled was lost or changed.
fn round_trip(sent: Value) -> (ChatroomPage, Value) {
    let page: ChatroomPage = serde_json::from_value(sent.clone()).unwrap_or_else(|e| panic!("does not decode: {e}"));
    let encoded = serde_json::to_value(&page).unwrap();
    (page, encoded)
}

#[test]
fn the_seed_example_decodes() {
    let sent = example("/200/content/application~1json/examples/seed/value");
    let (page, encoded) = round_trip(sent.clone());
    assert_eq!(page.data[0].established_dialogue.as_ref().unwrap().as_str(), "2023-10-06 13:41:09.123");
    assert_eq!(encoded, sent, "the seed example re-encodes to the letter");
    insta::assert_json_snapshot!("seed_200_reencoded", encoded);
}

#[test]
fn a_new_room_with_nulls_decodes() {
    let sent = example("/200/content/application~1json/examples/new_room/value");
    let (page, encoded) = round_trip(sent.clone());
    let room = &page.data[0];
    assert!(room.last_message.is_none() && room.last_rating.is_none() && room.last_summary.is_none());
    assert!(room.established_dialogue.is_none() && room.last_message_date.is_none());
    assert_eq!(page.next_page_url, None);
    assert_eq!(encoded, sent, "the example re-encodes to the letter");
}

#[test]
fn error_bodies_decode() {
    for status in ["401", "403", "422"] {
        let sent = example(&format!("/{status}/content/application~1json/example"));
        let body: ErrorBody = serde_json::from_value(sent.clone()).unwrap();
        assert_eq!(serde_json::to_value(&body).unwrap(), sent, "{status}");
    }
    let body: ErrorBody = serde_json::from_value(example("/422/content/application~1json/example")).unwrap();
    assert_eq!(body.errors["per_page"].len(), 1);
    // Stock Laravel's 401 text must decode as well as the seed's.
    let body: ErrorBody = serde_json::from_str(r#"{"message":"Unauthenticated."}"#).unwrap();
    assert!(body.errors.is_empty());
}

#[test]
fn a_realistic_page_decodes_with_every_spelling_and_null() {
    let sent = fixture("realistic_page.json");
    let (page, encoded) = round_trip(sent.clone());
    let room = &page.data[0];
    // `+00:00`, `Z` with microseconds, and Laravel's spelling: one instant each.
    let alice = &room.ambassadors[0];
    assert_eq!(alice.last_action_date.as_ref().unwrap().to_rfc3339(), "2024-05-04T09:42:00+00:00");
    assert_eq!(room.date_insert.to_rfc3339(), "2023-10-06T13:41:09.123+00:00");
    assert_eq!(room.established_dialogue.as_ref().unwrap().to_utc(), room.date_insert.to_utc());
    assert_eq!(room.last_rating.as_ref().unwrap().comment, None);
    assert_eq!(room.ambassadors[1].chatroom_pivot_data[0].last_read_message, None);
    let guest = &page.data[1].ambassadors[0];
    assert_eq!((guest.image.as_ref(), guest.email.as_ref(), guest.customer_id.as_ref()), (None, None, None));
    assert_eq!(page.links.len(), 15);
    assert_eq!(page.links[11].label, "...");
    assert_eq!(page.links[1].page, Some(1));
    // Everything modelled re-encodes to the letter (timestamps keep their
    // spelling); only the keys this version does not know (id_brand, pinned) are left out.
    assert_eq!(without_unknown_keys(sent, &encoded), encoded);
    insta::assert_json_snapshot!("realistic_page_reencoded", encoded);
}

#[test]
fn a_page_past_the_end_is_empty_with_null_bounds() {
    let (page, _) = round_trip(fixture("past_the_end_page.json"));
    assert!(page.data.is_empty());
    assert_eq!((page.from, page.to), (None, None));
    assert!(page.prev_page_url.unwrap().ends_with("page=8"));
}

/// `date-time` fields are RFC 3339 (`+00:00` or `Z`); only the fields the
/// spec types `LaravelDateTime` take the offset-less spelling.
#[test]
fn date_time_fields_require_an_offset() {
    let mut sent = fixture("realistic_page.json");
    sent["data"][0]["date_insert"] = "2023-10-06 13:41:09.123".into();
    let error = serde_json::from_value::<ChatroomPage>(sent).unwrap_err();
    assert!(error.is_data(), "{error}");
}
