//! Request bodies: the `Content-Type` checked against the media types the
//! operation accepts (a 415 otherwise), then decoded: JSON (any `+json`
//! variant, any `charset`), `application/x-www-form-urlencoded`, or, for
//! media types the generator does not decode (multipart, binary, XML,
//! text), the bytes as sent with their type ([`RawBody`]).

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use crate::params::{Invalid, Validator};
use crate::rejection::{Location, Problem, Reason, Rule};

/// How a body of one media type is decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyFormat {
    /// JSON into the schema's type.
    Json,
    /// `application/x-www-form-urlencoded` into the schema's type.
    Form,
    /// Not decoded: the bytes go to the service as a [`RawBody`].
    Raw,
}

/// The request body of an operation as its spec declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodySpec {
    /// The media types accepted (as written: `application/json`,
    /// `image/*`, `*/*`), each with its format.
    pub accepted: &'static [(&'static str, BodyFormat)],
    /// The media types as the 415 reason lists them.
    pub media_types: &'static [&'static str],
    /// Whether a body is required.
    pub required: bool,
}

/// A body passed as sent, with its media type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawBody {
    /// The `Content-Type` (sent with the request, or answered with the response).
    pub content_type: String,
    /// The bytes.
    pub bytes: Bytes,
}

impl RawBody {
    /// A body of `content_type`.
    pub fn new(content_type: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        RawBody { content_type: content_type.into(), bytes: bytes.into() }
    }

    /// `value` as `application/json` (`null` if it cannot be encoded).
    pub fn json(value: &impl serde::Serialize) -> Self {
        RawBody::new("application/json", serde_json::to_vec(value).unwrap_or_else(|_| b"null".to_vec()))
    }
}

/// `type/subtype` of a media type, lowercase, without parameters.
fn essence(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Whether a media type (its essence) is JSON: `application/json` or any
/// `…/…+json`.
pub fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether `sent` is one of `accepted` (a range such as `image/*` or `*/*`
/// matches its types; a JSON type accepts every JSON type).
fn matches(accepted: &str, format: BodyFormat, sent: &str) -> bool {
    let (accepted, sent) = (essence(accepted), essence(sent));
    if format == BodyFormat::Json && is_json(&sent) {
        return true;
    }
    match accepted.split_once('/') {
        Some(("*", "*")) => true,
        Some((kind, "*")) => sent.split_once('/').is_some_and(|(k, _)| k == kind),
        _ => accepted == sent,
    }
}

/// Which format decodes this request's body: `Ok(None)` for no body; the
/// 415 reason for a type the operation does not accept (or a body
/// without `Content-Type`).
pub fn body_format(headers: &HeaderMap, bytes: &[u8], spec: &BodySpec) -> Result<Option<(BodyFormat, String)>, Reason> {
    if bytes.is_empty() {
        return Ok(None);
    }
    let sent = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let unsupported = || Reason::UnsupportedMediaType { content_type: sent.map(str::to_owned), accepted: spec.media_types };
    let sent = sent.ok_or_else(unsupported)?;
    let (_, format) = spec.accepted.iter().find(|(accepted, format)| matches(accepted, *format, sent)).ok_or_else(unsupported)?;
    Ok(Some((*format, sent.to_owned())))
}

impl Validator<'_> {
    /// The body decoded by its format into `T` (JSON or form); a problem
    /// when it is required and absent, or does not decode.
    pub fn body<T: DeserializeOwned>(&mut self, format: Option<(BodyFormat, String)>, bytes: &[u8], required: bool) -> Result<Option<T>, Invalid> {
        let decoded = match format {
            None if required => return Err(self.push(body_problem(Rule::Required))),
            None => return Ok(None),
            Some((BodyFormat::Json, _)) => serde_json::from_slice(bytes).map_err(|e| e.to_string()),
            Some((BodyFormat::Form, _)) => serde_html_form::from_bytes(bytes).map_err(|e| e.to_string()),
            Some((BodyFormat::Raw, _)) => Err("this body is not decoded".to_owned()),
        };
        decoded.map(Some).map_err(|message| self.push(body_problem(Rule::Body(message))))
    }

    /// The body as sent, with its type; a problem when required and absent.
    pub fn raw_body(&mut self, format: Option<(BodyFormat, String)>, bytes: Bytes, required: bool) -> Result<Option<RawBody>, Invalid> {
        match format {
            None if required => Err(self.push(body_problem(Rule::Required))),
            None => Ok(None),
            Some((_, content_type)) => Ok(Some(RawBody { content_type, bytes })),
        }
    }
}

fn body_problem(rule: Rule) -> Problem {
    Problem { name: "body".into(), location: Location::Body, member: None, rule, value: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const JSON_OR_FORM: BodySpec = BodySpec {
        accepted: &[("application/json", BodyFormat::Json), ("application/x-www-form-urlencoded", BodyFormat::Form)],
        media_types: &["application/json", "application/x-www-form-urlencoded"],
        required: true,
    };

    fn typed(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        headers
    }

    #[test]
    fn json_variants_and_charsets_are_json() {
        for sent in ["application/json", "application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"] {
            assert_eq!(body_format(&typed(sent), b"{}", &JSON_OR_FORM).unwrap().unwrap().0, BodyFormat::Json, "{sent}");
        }
        assert_eq!(body_format(&typed("application/x-www-form-urlencoded"), b"a=1", &JSON_OR_FORM).unwrap().unwrap().0, BodyFormat::Form);
    }

    #[test]
    fn other_types_and_a_missing_type_are_415() {
        for headers in [typed("text/plain"), typed("application/xml"), HeaderMap::new()] {
            let reason = body_format(&headers, b"{}", &JSON_OR_FORM).unwrap_err();
            assert!(matches!(reason, Reason::UnsupportedMediaType { accepted, .. } if accepted.len() == 2));
        }
        assert_eq!(body_format(&HeaderMap::new(), b"", &JSON_OR_FORM), Ok(None));
    }

    #[test]
    fn ranges_match_their_types() {
        const IMAGES: BodySpec = BodySpec { accepted: &[("image/*", BodyFormat::Raw)], media_types: &["image/*"], required: true };
        assert!(body_format(&typed("image/png"), b"x", &IMAGES).is_ok());
        assert!(body_format(&typed("text/png"), b"x", &IMAGES).is_err());
    }
}
