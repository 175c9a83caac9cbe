//! Credentials as the security schemes of OpenAPI send them: `http`
//! bearer (also what `oauth2` and `openIdConnect` tokens are sent as),
//! `http` basic, and `apiKey` in a header, the query or a cookie. Each
//! reader answers `None` for a credential missing or malformed; whether a
//! credential grants anything is the service's business.

use axum::http::{HeaderMap, header};
use base64::Engine;

use crate::params::RequestParts;

/// A bearer token as sent.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BearerToken(pub String);

impl BearerToken {
    /// The token text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerToken(..)")
    }
}

/// HTTP basic credentials as sent.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BasicCredentials {
    /// The user name.
    pub username: String,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for BasicCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BasicCredentials").field("username", &self.username).finish_non_exhaustive()
    }
}

/// An API key as sent.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ApiKey(pub String);

impl ApiKey {
    /// The key text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(..)")
    }
}

/// Where an `apiKey` scheme is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyIn {
    /// A header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// The `Authorization` credentials of `scheme` (case-insensitive), as
/// text. Two `Authorization` headers are none under either
/// [`crate::RepeatedHeader`] setting, so it is not one: refused, they have
/// no one value to believe (the field is not a list, RFC 9110 §5.3);
/// joined, as a PHP backend behind nginx reads them, `Bearer a, Bearer b`
/// is no token.
fn authorization<'a>(headers: &'a HeaderMap, scheme: &str) -> Option<&'a str> {
    let mut values = headers.get_all(header::AUTHORIZATION).into_iter();
    let value = values.next()?.to_str().ok()?;
    if values.next().is_some() {
        return None;
    }
    let (sent, credentials) = value.split_once(' ')?;
    let credentials = credentials.trim();
    (sent.eq_ignore_ascii_case(scheme) && !credentials.is_empty() && !credentials.contains(' ')).then_some(credentials)
}

/// `Authorization: Bearer <token>`: a token of visible ASCII, one word.
pub fn bearer(headers: &HeaderMap) -> Option<BearerToken> {
    authorization(headers, "bearer").map(|token| BearerToken(token.to_owned()))
}

/// `Authorization: Basic <base64 of user:password>`.
pub fn basic(headers: &HeaderMap) -> Option<BasicCredentials> {
    let encoded = authorization(headers, "basic")?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (username, password) = text.split_once(':')?;
    Some(BasicCredentials { username: username.to_owned(), password: password.to_owned() })
}

/// An `apiKey` named `name` in `location`; an empty key is none.
pub fn api_key(parts: &RequestParts, location: KeyIn, name: &str) -> Option<ApiKey> {
    let value = match location {
        KeyIn::Header => parts.headers().get(name)?.to_str().ok()?,
        KeyIn::Query => parts.query().iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())?,
        KeyIn::Cookie => parts.cookie(name)?,
    };
    (!value.is_empty()).then(|| ApiKey(value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(name: &str, value: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(), HeaderValue::from_bytes(value).unwrap());
        headers
    }

    #[test]
    fn bearer_in_any_case_and_nothing_else() {
        assert_eq!(bearer(&with("authorization", b"Bearer abc")).unwrap().as_str(), "abc");
        assert_eq!(bearer(&with("authorization", b"bearer abc")).unwrap().as_str(), "abc");
        for value in [&b"Basic abc"[..], b"Bearer", b"Bearer ", b"Bearer a b", b"Bearer \xff", b"abc"] {
            assert_eq!(bearer(&with("authorization", value)), None, "{value:?}");
        }
        assert_eq!(bearer(&HeaderMap::new()), None);
        let mut twice = with("authorization", b"Bearer a");
        twice.append(header::AUTHORIZATION, HeaderValue::from_static("Bearer b"));
        assert_eq!(bearer(&twice), None, "two Authorization headers are no credential");
    }

    #[test]
    fn basic_decodes_user_and_password() {
        let credentials = basic(&with("authorization", b"Basic dXNlcjpwYTpzcw==")).unwrap();
        assert_eq!((credentials.username.as_str(), credentials.password.as_str()), ("user", "pa:ss"));
        for value in [&b"Basic !!!"[..], b"Basic dXNlcg==", b"Bearer dXNlcjpwYXNz"] {
            assert_eq!(basic(&with("authorization", value)), None, "{value:?}");
        }
    }

    #[test]
    fn api_keys_from_header_query_and_cookie() {
        let mut parts = RequestParts::for_tests("key=q1&other=x", with("x-api-key", b"h1"));
        assert_eq!(api_key(&parts, KeyIn::Header, "X-Api-Key").unwrap().as_str(), "h1");
        assert_eq!(api_key(&parts, KeyIn::Query, "key").unwrap().as_str(), "q1");
        assert_eq!(api_key(&parts, KeyIn::Cookie, "session"), None);
        parts = RequestParts::for_tests("key=", with("cookie", b"a=1; session=c1"));
        assert_eq!(api_key(&parts, KeyIn::Cookie, "session").unwrap().as_str(), "c1");
        assert_eq!(api_key(&parts, KeyIn::Query, "key"), None);
    }

    #[test]
    fn debug_hides_secrets() {
        assert_eq!(format!("{:?}", BearerToken("secret".into())), "BearerToken(..)");
        assert_eq!(format!("{:?}", ApiKey("secret".into())), "ApiKey(..)");
        let basic = BasicCredentials { username: "u".into(), password: "secret".into() };
        assert!(!format!("{basic:?}").contains("secret"));
    }
}
