//! The operation's query as the listing's one filter type: the generated
//! query's typed `filter[...]` values, carried as they are (no text in
//! between) to whatever answers the listing.

use popsell_types::listing::ChatroomFilter;

use crate::GetAmbassadorChatroomsQuery;

impl GetAmbassadorChatroomsQuery {
    /// The `filter[...]` parameters.
    pub fn filter(&self) -> ChatroomFilter {
        ChatroomFilter {
            archived: self.filter_archived.map(bool::from),
            commented: self.filter_commented,
            flag: self.filter_flag,
            type_chatroom: self.filter_type_chatroom,
            last_action_before: self.filter_last_action_date_before,
        }
    }
}
