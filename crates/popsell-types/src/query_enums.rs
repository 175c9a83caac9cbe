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
    /// Chatroom type filter, sent as a string.
    pub enum ChatroomTypeFilter {
        /// `"0"`: one to one.
        OneToOne = "0",
        /// `"7"`: one to many.
        OneToMany = "7",
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
    fn names_the_accepted_values_on_error() {
        let error = "newest".parse::<ChatroomSort>().unwrap_err();
        assert_eq!(error.to_string(), "`newest` is not a ChatroomSort (expected one of: last_action_date, -last_action_date)");
        assert!(serde_json::from_str::<ChatroomTypeFilter>("\"1\"").is_err());
    }
}
