//! `Authorization: Bearer <token>`.

use axum::http::{HeaderMap, header};

use crate::error::ErrorResponse;

/// A bearer token as sent; what it grants is the service's business.
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

/// The bearer token of a request, or the 401 to answer: no header, another
/// scheme, an empty token or one that is not visible ASCII.
pub fn bearer(headers: &HeaderMap) -> Result<BearerToken, ErrorResponse> {
    let value = headers.get(header::AUTHORIZATION).ok_or_else(ErrorResponse::unauthorized)?;
    let value = value.to_str().map_err(|_| ErrorResponse::unauthorized())?;
    let (scheme, token) = value.split_once(' ').ok_or_else(ErrorResponse::unauthorized)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() || token.contains(' ') {
        return Err(ErrorResponse::unauthorized());
    }
    Ok(BearerToken(token.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(value: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_bytes(value).unwrap());
        headers
    }

    #[test]
    fn accepts_bearer_in_any_case() {
        assert_eq!(bearer(&with(b"Bearer abc")).unwrap().as_str(), "abc");
        assert_eq!(bearer(&with(b"bearer abc")).unwrap().as_str(), "abc");
    }

    #[test]
    fn refuses_everything_else_with_401() {
        for value in [&b"Basic abc"[..], b"Bearer", b"Bearer ", b"Bearer a b", b"Bearer \xff", b"abc"] {
            let error = bearer(&with(value)).unwrap_err();
            assert_eq!(error, ErrorResponse::unauthorized(), "{value:?}");
        }
        assert_eq!(bearer(&HeaderMap::new()).unwrap_err(), ErrorResponse::unauthorized());
    }

    #[test]
    fn debug_hides_the_token() {
        assert_eq!(format!("{:?}", BearerToken("secret".into())), "BearerToken(..)");
    }
}
