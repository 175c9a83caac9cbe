//! The hand-written types stand in for spec schemas (see
//! `popsell-codegen`'s HAND_WRITTEN_TYPES): their schemas and behaviour
//! must match the spec's definition, so a spec change cannot silently
//! diverge from them.

mod support;

use popsell_types::{ChatroomSort, ChatroomTypeFilter, CommentedFilter, FlagFilter, LaravelDateTime, QueryBoolean};
use schemars::schema_for;
use serde_json::{json, Value};

fn spec_schema(name: &str) -> Value {
    support::component_schemas()[name].clone()
}

fn ours<T: schemars::JsonSchema>() -> Value {
    serde_json::to_value(schema_for!(T)).unwrap()
}

#[test]
fn string_enums_accept_exactly_the_spec_values() {
    fn check<T: schemars::JsonSchema + std::str::FromStr + ToString>(name: &str, all: &[T]) {
        let spec = spec_schema(name);
        let values: Vec<&str> = spec["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(ours::<T>()["enum"], json!(values), "{name}");
        let texts: Vec<String> = all.iter().map(ToString::to_string).collect();
        assert_eq!(texts, values, "{name}: variants and spec values differ");
        for value in values {
            assert!(value.parse::<T>().is_ok(), "{name} rejects the spec value {value}");
        }
    }
    check("ChatroomSort", ChatroomSort::ALL);
    check("ChatroomTypeFilter", ChatroomTypeFilter::ALL);
    check("CommentedFilter", CommentedFilter::ALL);
    let default = spec_schema("ChatroomSort")["default"].clone();
    assert_eq!(json!(ChatroomSort::default()), default);
}

#[test]
fn flag_filter_accepts_exactly_the_spec_values() {
    let spec = spec_schema("FlagFilter");
    assert_eq!(ours::<FlagFilter>()["enum"], spec["enum"]);
    assert_eq!((ours::<FlagFilter>()["type"].clone(), ours::<FlagFilter>()["format"].clone()), (spec["type"].clone(), spec["format"].clone()));
    let codes: Vec<i32> = FlagFilter::ALL.iter().map(|f| f.code()).collect();
    assert_eq!(json!(codes), spec["enum"]);
    for code in codes {
        assert_eq!(serde_json::from_value::<FlagFilter>(json!(code)).unwrap().code(), code);
    }
    assert!(serde_json::from_value::<FlagFilter>(json!(3)).is_err());
}

#[test]
fn laravel_datetime_has_the_spec_type_format_and_pattern() {
    let spec = spec_schema("LaravelDateTime");
    let ours = ours::<LaravelDateTime>();
    for keyword in ["type", "format", "pattern"] {
        assert_eq!(ours[keyword], spec[keyword], "{keyword}");
    }
    let example: LaravelDateTime = serde_json::from_value(spec["example"].clone()).unwrap();
    assert_eq!(json!(example), spec["example"]);
}

/// The spec's pattern and the type agree on every spelling, except where a
/// regular expression cannot follow the calendar: what a mock server or a
/// fuzzer generates from the spec, the client reads.
#[test]
fn laravel_datetime_pattern_and_type_disagree_only_on_the_calendar() {
    let pattern = jsonschema::validator_for(&json!({"type": "string", "pattern": spec_schema("LaravelDateTime")["pattern"]})).unwrap();
    let calendar_only = ["2023-02-30 10:00:00", "2023-04-31 00:00:00", "2023-02-29 12:00:00"];
    let agreed_valid = ["2023-10-06 13:41:09.123", "2024-02-29 23:59:59", "0001-01-01 00:00:00", "2023-12-31 00:00:00.999999"];
    let agreed_invalid = [
        "5577-17-30 72:44:99",
        "2023-00-10 10:00:00",
        "2023-13-10 10:00:00",
        "2023-10-00 10:00:00",
        "2023-10-32 10:00:00",
        "2023-10-06 24:00:00",
        "2023-10-06 13:60:00",
        "2023-10-06 13:41:60",
        "2023-10-06 13:41:09.1234567",
        "2023-10-06T13:41:09",
        "2023-10-06 13:41:09Z",
    ];
    for text in agreed_valid {
        assert!(pattern.is_valid(&json!(text)) && text.parse::<LaravelDateTime>().is_ok(), "{text}");
    }
    for text in agreed_invalid {
        assert!(!pattern.is_valid(&json!(text)) && text.parse::<LaravelDateTime>().is_err(), "{text}");
    }
    for text in calendar_only {
        assert!(pattern.is_valid(&json!(text)) && text.parse::<LaravelDateTime>().is_err(), "{text}");
    }
}

#[test]
fn query_boolean_is_a_boolean_sent_as_one_or_zero() {
    assert_eq!(spec_schema("QueryBoolean")["type"], "boolean");
    assert_eq!(ours::<QueryBoolean>()["type"], "boolean");
    assert_eq!(json!(QueryBoolean(true)), json!(1));
}
