//! Booleans in a Laravel query string: Laravel's `boolean` rule accepts
//! `1`/`0` (and typed `true`/`false`) but rejects the query words
//! `true`/`false`, so this type is written as `1`/`0` and read leniently.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ParseError;

/// A boolean query parameter: serialized as `1` or `0`; deserialized from
/// `1`, `0`, `true`, `false` (as numbers, booleans or strings).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QueryBoolean(pub bool);

impl From<bool> for QueryBoolean {
    fn from(value: bool) -> Self {
        QueryBoolean(value)
    }
}

impl From<QueryBoolean> for bool {
    fn from(value: QueryBoolean) -> Self {
        value.0
    }
}

impl FromStr for QueryBoolean {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "1" | "true" => Ok(QueryBoolean(true)),
            "0" | "false" => Ok(QueryBoolean(false)),
            _ => Err(ParseError::new("a boolean (expected 1, 0, true or false)", s)),
        }
    }
}

impl fmt::Display for QueryBoolean {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0 { "1" } else { "0" })
    }
}

impl Serialize for QueryBoolean {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(u8::from(self.0))
    }
}

impl<'de> Deserialize<'de> for QueryBoolean {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = QueryBoolean;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("1, 0, true or false")
            }

            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<QueryBoolean, E> {
                Ok(QueryBoolean(v))
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<QueryBoolean, E> {
                match v {
                    0 | 1 => Ok(QueryBoolean(v == 1)),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Unsigned(v), &self)),
                }
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<QueryBoolean, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::invalid_value(serde::de::Unexpected::Signed(v), &self)),
                }
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<QueryBoolean, E> {
                v.parse().map_err(|_| E::invalid_value(serde::de::Unexpected::Str(v), &self))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for QueryBoolean {
    fn schema_name() -> String {
        "QueryBoolean".into()
    }

    fn json_schema(generator: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        bool::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_one_or_zero() {
        assert_eq!(serde_json::to_string(&QueryBoolean(true)).unwrap(), "1");
        assert_eq!(serde_json::to_string(&QueryBoolean(false)).unwrap(), "0");
        assert_eq!(QueryBoolean(true).to_string(), "1");
    }

    #[test]
    fn reads_every_laravel_spelling() {
        for (json, expected) in [("1", true), ("0", false), ("true", true), ("false", false), ("\"1\"", true), ("\"false\"", false)] {
            let parsed: QueryBoolean = serde_json::from_str(json).unwrap();
            assert_eq!(parsed, QueryBoolean(expected), "{json}");
        }
    }

    #[test]
    fn rejects_anything_else() {
        for json in ["2", "-1", "\"yes\"", "\"TRUE\"", "null"] {
            assert!(serde_json::from_str::<QueryBoolean>(json).is_err(), "{json}");
        }
        assert_eq!("on".parse::<QueryBoolean>().unwrap_err().to_string(), "`on` is not a boolean (expected 1, 0, true or false)");
    }
}
