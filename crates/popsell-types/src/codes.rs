//! The integer codes of the API as open enums. The wire fields stay plain
//! integers (a code a newer server adds never fails a page); these views
//! name the codes known today and keep any other as `Other(code)`.

use crate::{Ambassador, Chatroom, ChatroomMember};

/// Declares an open enum over `i32` codes with `from_code` / `code`.
macro_rules! open_code {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal => $label:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A code this version does not know.
            Other(i32),
        }

        impl $name {
            /// The view of a wire code.
            pub fn from_code(code: i32) -> Self {
                match code {
                    $($code => $name::$variant,)+
                    other => $name::Other(other),
                }
            }

            /// The wire code.
            pub fn code(self) -> i32 {
                match self {
                    $($name::$variant => $code,)+
                    $name::Other(code) => code,
                }
            }
        }

        /// The meaning, and the code: `one to many (7)`, `unknown code (42)`.
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $($name::$variant => write!(f, "{} ({})", $label, $code),)+
                    $name::Other(code) => write!(f, "unknown code ({code})"),
                }
            }
        }

        // By code: `Other(7)` built by hand is the known variant of code 7.
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.code() == other.code()
            }
        }

        impl Eq for $name {}

        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                self.code().hash(state);
            }
        }
    };
}

open_code! {
    /// `type_chatroom`.
    pub enum ChatroomType {
        /// 0: one to one.
        OneToOne = 0 => "one to one",
        /// 7: one to many.
        OneToMany = 7 => "one to many",
    }
}

open_code! {
    /// `type_discussion`.
    pub enum DiscussionType {
        /// 0: between members.
        BetweenMembers = 0 => "between members",
        /// 1: between externals.
        BetweenExternals = 1 => "between externals",
        /// 2: between members and externals.
        MembersAndExternals = 2 => "between members and externals",
    }
}

open_code! {
    /// `source` of a chatroom.
    pub enum ChatroomSource {
        /// 0: hot list.
        HotList = 0 => "hot list",
        /// 1: waiting list.
        WaitingList = 1 => "waiting list",
        /// 2: direct.
        Direct = 2 => "direct",
    }
}

open_code! {
    /// `status` of an ambassador.
    pub enum AmbassadorStatus {
        /// 0: an ambassador of the brand's community.
        Ambassador = 0 => "ambassador",
        /// 1: employee.
        Employee = 1 => "employee",
        /// 2: administrator.
        Administrator = 2 => "administrator",
        /// 3: seller.
        Seller = 3 => "seller",
        /// 4: shop manager.
        ShopManager = 4 => "shop manager",
        /// 5: manager.
        Manager = 5 => "manager",
        /// 6: expert.
        Expert = 6 => "expert",
        /// 7: client.
        Client = 7 => "client",
        /// 8: temp.
        Temp = 8 => "temp",
    }
}

impl Chatroom {
    /// `type_chatroom` as an open enum.
    pub fn chatroom_type(&self) -> ChatroomType {
        ChatroomType::from_code(self.type_chatroom)
    }

    /// `type_discussion` as an open enum.
    pub fn discussion_type(&self) -> DiscussionType {
        DiscussionType::from_code(self.type_discussion)
    }

    /// `source` as an open enum.
    pub fn chatroom_source(&self) -> ChatroomSource {
        ChatroomSource::from_code(self.source)
    }
}

impl Ambassador {
    /// `status` as an open enum.
    pub fn ambassador_status(&self) -> AmbassadorStatus {
        AmbassadorStatus::from_code(self.status)
    }
}

impl ChatroomMember {
    /// `status` as an open enum.
    pub fn ambassador_status(&self) -> AmbassadorStatus {
        AmbassadorStatus::from_code(self.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_codes_round_trip() {
        assert_eq!(ChatroomType::from_code(7), ChatroomType::OneToMany);
        assert_eq!(ChatroomType::from_code(3), ChatroomType::Other(3));
        assert_eq!(ChatroomType::Other(7), ChatroomType::OneToMany, "compared by code");
        for code in -1..12 {
            assert_eq!(AmbassadorStatus::from_code(code).code(), code);
            assert_eq!(ChatroomSource::from_code(code).code(), code);
        }
    }

    #[test]
    fn a_page_with_an_unknown_code_decodes() {
        let fixture = include_str!("../tests/fixtures/realistic_page.json").replace("\"type_chatroom\": 0", "\"type_chatroom\": 42");
        let page: crate::ChatroomPage = serde_json::from_str(&fixture).unwrap();
        assert_eq!(page.data[0].chatroom_type(), ChatroomType::Other(42));
        assert_eq!(page.data[0].ambassadors[1].ambassador_status(), AmbassadorStatus::Client);
        assert_eq!(ChatroomType::OneToMany.to_string(), "one to many (7)");
        assert_eq!(ChatroomType::Other(42).to_string(), "unknown code (42)");
    }
}
