//! `YYYY-MM-DD HH:MM:SS[.f]`: the timestamp spelling Laravel writes for some
//! columns (`established_dialogue`). Not RFC 3339, so a `date-time` decoder
//! rejects it; this type accepts it and writes back the exact text it read.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ParseError;

/// A Laravel timestamp without offset, in the application's time zone (UTC).
///
/// Equality and order compare the instant, then the text (`…09.1` and
/// `…09.100` are the same instant, spelled differently).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LaravelDateTime {
    instant: NaiveDateTime,
    text: String,
}

/// The spec's pattern: the shape, with the calendar's ranges (month 01–12,
/// day 01–31, hour 00–23, minutes and seconds 00–59). What a regular
/// expression cannot follow (30 February) chrono rejects in `from_str`.
#[cfg(feature = "schemars")]
const PATTERN: &str = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?$";

fn has_pattern_shape(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (head, fraction) = bytes.split_at(bytes.len().min(19));
    let head_ok = head.len() == 19
        && head.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b' ',
            13 | 16 => *b == b':',
            _ => b.is_ascii_digit(),
        });
    let fraction_ok = match fraction {
        [] => true,
        [b'.', digits @ ..] => (1..=6).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    head_ok && fraction_ok
}

impl LaravelDateTime {
    /// The instant, without offset (application time).
    pub fn naive(&self) -> NaiveDateTime {
        self.instant
    }

    /// The instant in UTC, the application time zone of the API.
    pub fn to_utc(&self) -> DateTime<Utc> {
        self.instant.and_utc()
    }

    /// The text as received (or as formatted by [`From<NaiveDateTime>`]).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl FromStr for LaravelDateTime {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = || ParseError::new("a timestamp of the form YYYY-MM-DD HH:MM:SS[.ffffff]", s);
        // chrono reads `:60` as a leap second; Laravel never writes one, and
        // the spec's pattern stops at 59.
        if !has_pattern_shape(s) || &s[17..19] > "59" {
            return Err(error());
        }
        // The shape is right; chrono rejects impossible dates (2023-02-30).
        let instant = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").map_err(|_| error())?;
        Ok(LaravelDateTime { instant, text: s.to_owned() })
    }
}

impl From<NaiveDateTime> for LaravelDateTime {
    /// Formats with milliseconds, as the API does: `2023-10-06 13:41:09.123`.
    fn from(instant: NaiveDateTime) -> Self {
        let instant = instant.trunc_subsecs(3);
        let text = instant.format("%Y-%m-%d %H:%M:%S%.3f").to_string();
        LaravelDateTime { instant, text }
    }
}

impl fmt::Display for LaravelDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for LaravelDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for LaravelDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for LaravelDateTime {
    fn schema_name() -> String {
        "LaravelDateTime".into()
    }

    fn json_schema(_: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("laravel-datetime".into()),
            string: Some(Box::new(schemars::schema::StringValidation {
                pattern: Some(PATTERN.into()),
                ..Default::default()
            })),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_exact_text() {
        for text in ["2023-10-06 13:41:09.123", "2023-10-06 13:41:09", "2023-10-06 13:41:09.123456", "2023-10-06 13:41:09.1"] {
            let json = format!("\"{text}\"");
            let parsed: LaravelDateTime = serde_json::from_str(&json).unwrap();
            assert_eq!(parsed.as_str(), text);
            assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
        }
    }

    #[test]
    fn exposes_the_instant_in_utc() {
        let t: LaravelDateTime = "2023-10-06 13:41:09.123".parse().unwrap();
        assert_eq!(t.to_utc().to_rfc3339(), "2023-10-06T13:41:09.123+00:00");
    }

    #[test]
    fn rejects_other_spellings_and_impossible_dates() {
        for text in [
            "2023-10-06T13:41:09.123000Z",
            "2023-10-06 13:41:09.",
            "2023-10-06 13:41:09.1234567",
            "2023-10-6 13:41:09",
            "2023-02-30 13:41:09",
            "2023-10-06 13:41:09 ",
            "",
        ] {
            let error = text.parse::<LaravelDateTime>().unwrap_err();
            assert!(error.to_string().contains(text), "{error}");
        }
    }

    #[test]
    fn formats_a_naive_instant_with_milliseconds() {
        let naive = NaiveDateTime::parse_from_str("2024-01-02 03:04:05.6", "%Y-%m-%d %H:%M:%S%.f").unwrap();
        assert_eq!(LaravelDateTime::from(naive).as_str(), "2024-01-02 03:04:05.600");
        let precise = NaiveDateTime::parse_from_str("2024-01-02 03:04:05.123456", "%Y-%m-%d %H:%M:%S%.f").unwrap();
        let value = LaravelDateTime::from(precise);
        assert_eq!(value.as_str().parse::<LaravelDateTime>().unwrap(), value, "the instant is what the text says");
    }
}
