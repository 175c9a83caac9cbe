//! How Laravel reads a request, chosen once for the generated server
//! (which reads requests so) and the client (which checks its own by it).

use openapi_server_runtime::{Booleans, RepeatedHeader, RepeatedKey, Settings};

/// PHP keeps the last of a repeated query key or `deepObject` property,
/// reads a header sent twice as the values joined (`7, 7`), and Laravel's
/// `boolean` rule takes `1` and `0` (the only spellings `http_build_query`
/// sends, and what [`crate::QueryBoolean`] writes) beside `true` and
/// `false`.
pub const LARAVEL_REQUESTS: Settings =
    Settings { repeated_key: RepeatedKey::LastWins, repeated_header: RepeatedHeader::Join, booleans: Booleans::WordsAndDigits };
