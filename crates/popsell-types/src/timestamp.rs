//! RFC 3339 timestamps as the API writes them. Real payloads mix
//! `2024-05-04T09:42:00+00:00` and `2023-10-06T13:41:09.123000Z`; this
//! type reads any RFC 3339 spelling and writes back the text it read, so a
//! page re-encodes to the letter.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ParseError;

/// An instant with the spelling it came in. Equality, hashing and order are
/// the instant's (two spellings of one instant are equal). Derefs to
/// `chrono::DateTime<Utc>`.
#[derive(Clone, Debug)]
pub struct Timestamp {
    instant: DateTime<Utc>,
    text: String,
}

impl Timestamp {
    /// `2023-10-06T13:41:09.123000Z`: Laravel's serialized dates
    /// (microseconds, `Z`), as `date_insert` comes.
    pub fn with_micros(instant: DateTime<Utc>) -> Self {
        // The instant is what the text says (nanoseconds would not survive a round trip).
        let instant = instant.trunc_subsecs(6);
        Timestamp { text: instant.to_rfc3339_opts(SecondsFormat::Micros, true), instant }
    }

    /// `2024-05-04T09:42:00+00:00`: seconds and an offset, as an
    /// ambassador's `last_action_date` comes.
    pub fn with_offset(instant: DateTime<Utc>) -> Self {
        let instant = instant.trunc_subsecs(0);
        Timestamp { text: instant.to_rfc3339_opts(SecondsFormat::Secs, false), instant }
    }

    /// The instant.
    pub fn to_utc(&self) -> DateTime<Utc> {
        self.instant
    }

    /// The text as received (or as formatted by the constructor).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<DateTime<Utc>> for Timestamp {
    /// Laravel's spelling ([`Timestamp::with_micros`]).
    fn from(instant: DateTime<Utc>) -> Self {
        Timestamp::with_micros(instant)
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(timestamp: Timestamp) -> Self {
        timestamp.instant
    }
}

impl Deref for Timestamp {
    type Target = DateTime<Utc>;

    fn deref(&self) -> &DateTime<Utc> {
        &self.instant
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.instant == other.instant
    }
}

impl Eq for Timestamp {}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.instant.hash(state);
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.instant.cmp(&other.instant)
    }
}

impl FromStr for Timestamp {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let instant = DateTime::parse_from_rfc3339(s).map_err(|_| ParseError::new("an RFC 3339 timestamp", s))?;
        Ok(Timestamp { instant: instant.to_utc(), text: s.to_owned() })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Timestamp {
    fn is_referenceable() -> bool {
        // Inline, as chrono's `DateTime` is: `{"type": "string", "format": "date-time"}`.
        false
    }

    fn schema_name() -> String {
        "Timestamp".into()
    }

    fn json_schema(generator: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        DateTime::<Utc>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rfc3339_spelling_round_trips_to_the_letter() {
        for text in ["2024-05-04T09:42:00+00:00", "2023-10-06T13:41:09.123000Z", "2023-10-06T15:41:09.1+02:00", "2023-10-06t13:41:09z"] {
            let json = format!("\"{text}\"");
            let parsed: Timestamp = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
        }
    }

    #[test]
    fn spellings_of_one_instant_are_equal() {
        let a: Timestamp = "2024-05-04T09:42:00+00:00".parse().unwrap();
        let b: Timestamp = "2024-05-04T11:42:00.000000+02:00".parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_utc().timestamp(), 1_714_815_720);
        assert_eq!(a.timestamp(), b.timestamp(), "Deref to DateTime<Utc>");
    }

    #[test]
    fn the_api_spellings_are_produced() {
        let instant = DateTime::parse_from_rfc3339("2023-10-06T13:41:09.123Z").unwrap().to_utc();
        assert_eq!(Timestamp::with_micros(instant).as_str(), "2023-10-06T13:41:09.123000Z");
        assert_eq!(Timestamp::with_offset(instant).as_str(), "2023-10-06T13:41:09+00:00");
        assert_eq!(Timestamp::from(instant).as_str(), "2023-10-06T13:41:09.123000Z");
    }

    #[test]
    fn a_constructed_timestamp_survives_a_round_trip() {
        let now = DateTime::parse_from_rfc3339("2024-05-04T09:42:00.123456789Z").unwrap().to_utc();
        for t in [Timestamp::from(now), Timestamp::with_offset(now)] {
            let back: Timestamp = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
            assert_eq!(back, t);
            assert_eq!(back.to_utc(), t.to_utc());
        }
        assert_eq!(Timestamp::with_offset(now).timestamp_subsec_nanos(), 0);
    }

    #[test]
    fn other_spellings_are_refused() {
        for text in ["2023-10-06 13:41:09.123", "2023-10-06", "yesterday"] {
            assert_eq!(text.parse::<Timestamp>().unwrap_err().to_string(), format!("`{text}` is not an RFC 3339 timestamp"));
        }
    }
}
