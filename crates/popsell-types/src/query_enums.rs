//! The query parameters' closed enums whose wire values make poor Rust
//! names (see `string_enum`).

use crate::string_enum::string_enum;

string_enum! {
    /// Sort of the chatrooms by last action date; the spec's default is
    /// [`ChatroomSort::LastActionDateDesc`] (most recent first).
    #[derive(Default)]
    pub enum ChatroomSort {
        /// `last_action_date`: oldest first.
        LastActionDateAsc = "last_action_date",
        /// `-last_action_date`: most recent first.
        #[default]
        LastActionDateDesc = "-last_action_date",
    }
}

string_enum! {
    /// Whether the last rating of the chatroom carries a comment.
    pub enum CommentedFilter {
        /// `commented`: the last rating has a non-empty comment.
        Commented = "commented",
        /// `not_commented`: no rating, or a rating without comment.
        NotCommented = "not_commented",
    }
}

string_enum! {
    /// Chatroom type filter, sent as a string.
    pub enum ChatroomTypeFilter {
        /// `"0"`: one to one.
        OneToOne = "0",
        /// `"7"`: one to many.
        OneToMany = "7",
    }
}

impl ChatroomTypeFilter {
    /// The room's `type_chatroom` this filter keeps (the wire value is its
    /// decimal text).
    pub fn code(self) -> i32 {
        match self {
            ChatroomTypeFilter::OneToOne => 0,
            ChatroomTypeFilter::OneToMany => 7,
        }
    }
}

/// The flag of the last summary of a chatroom (`filter[flag]`), sent as
/// the integer `1` or `2`: the rooms whose last summary's `anomaly` is it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FlagFilter {
    /// `1`: summaries with anomaly 1.
    One,
    /// `2`: summaries with anomaly 2.
    Two,
}

impl FlagFilter {
    /// Every value, in the spec's order.
    pub const ALL: &'static [FlagFilter] = &[FlagFilter::One, FlagFilter::Two];

    /// The integer on the wire.
    pub fn code(self) -> i32 {
        match self {
            FlagFilter::One => 1,
            FlagFilter::Two => 2,
        }
    }
}

impl TryFrom<i32> for FlagFilter {
    type Error = crate::ParseError;

    fn try_from(code: i32) -> Result<Self, Self::Error> {
        match code {
            1 => Ok(FlagFilter::One),
            2 => Ok(FlagFilter::Two),
            _ => Err(crate::ParseError { expected: "a FlagFilter (expected one of: 1, 2)".into(), input: code.to_string() }),
        }
    }
}

impl From<FlagFilter> for i32 {
    fn from(flag: FlagFilter) -> i32 {
        flag.code()
    }
}

impl ::std::fmt::Display for FlagFilter {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "{}", self.code())
    }
}

impl ::std::str::FromStr for FlagFilter {
    type Err = crate::ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let code = s.parse::<i32>().map_err(|_| crate::ParseError { expected: "a FlagFilter (expected one of: 1, 2)".into(), input: s.to_owned() })?;
        FlagFilter::try_from(code)
    }
}

impl ::serde::Serialize for FlagFilter {
    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i32(self.code())
    }
}

impl<'de> ::serde::Deserialize<'de> for FlagFilter {
    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        FlagFilter::try_from(i32::deserialize(deserializer)?).map_err(::serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl ::schemars::JsonSchema for FlagFilter {
    fn schema_name() -> String {
        "FlagFilter".into()
    }

    fn json_schema(_: &mut ::schemars::gen::SchemaGenerator) -> ::schemars::schema::Schema {
        ::schemars::schema::SchemaObject {
            instance_type: Some(::schemars::schema::InstanceType::Integer.into()),
            format: Some("int32".into()),
            enum_values: Some(FlagFilter::ALL.iter().map(|f| ::serde_json::Value::from(f.code())).collect()),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_wire_text() {
        for sort in ChatroomSort::ALL {
            let json = serde_json::to_string(sort).unwrap();
            assert_eq!(json, format!("\"{}\"", sort.as_str()));
            assert_eq!(serde_json::from_str::<ChatroomSort>(&json).unwrap(), *sort);
        }
        assert_eq!("7".parse::<ChatroomTypeFilter>().unwrap(), ChatroomTypeFilter::OneToMany);
    }

    #[test]
    fn a_type_filters_code_is_its_wire_value() {
        for filter in [ChatroomTypeFilter::OneToOne, ChatroomTypeFilter::OneToMany] {
            assert_eq!(filter.code().to_string(), filter.as_str());
        }
    }

    #[test]
    fn names_the_accepted_values_on_error() {
        let error = "newest".parse::<ChatroomSort>().unwrap_err();
        assert_eq!(error.to_string(), "`newest` is not a ChatroomSort (expected one of: last_action_date, -last_action_date)");
        assert!(serde_json::from_str::<ChatroomTypeFilter>("\"1\"").is_err());
    }
}
