//! Parameters from raw request text, by the rules the generator read from
//! the spec, with every problem collected and keyed by parameter name.

use std::collections::BTreeMap;
use std::convert::Infallible;

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ErrorResponse;

/// Where a parameter is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// A path template parameter.
    Path,
    /// A query string parameter.
    Query,
    /// A request header.
    Header,
}

/// What a parameter's schema requires of its text; decides the parsing
/// and the message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// An integer within the bounds (the spec's, narrowed to the Rust type's).
    Integer {
        /// Inclusive lower bound.
        minimum: Option<f64>,
        /// Inclusive upper bound.
        maximum: Option<f64>,
    },
    /// A number within the bounds.
    Number {
        /// Inclusive lower bound.
        minimum: Option<f64>,
        /// Inclusive upper bound.
        maximum: Option<f64>,
    },
    /// `1`, `0`, `true` or `false`.
    Boolean,
    /// An RFC 3339 timestamp.
    DateTime,
    /// One of a closed set of values (checked by the Rust type).
    Enum,
    /// Any text the Rust type accepts.
    Text,
}

/// One parameter as the spec declares it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamSpec {
    /// The name in the spec (the key of its errors).
    pub name: &'static str,
    /// Where it is read from.
    pub location: Location,
    /// How its text is parsed and checked.
    pub kind: Kind,
}

/// The raw path parameters, query pairs and headers of a request. Taking
/// it never fails: problems surface when parameters are read.
#[derive(Clone, Debug, Default)]
pub struct RequestParts {
    path: Vec<(String, String)>,
    path_is_text: bool,
    query: Vec<(String, String)>,
    headers: HeaderMap,
}

impl<S: Send + Sync> FromRequestParts<S> for RequestParts {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let (path, path_is_text) = match RawPathParams::from_request_parts(parts, state).await {
            Ok(params) => (params.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect(), true),
            Err(_) => (Vec::new(), false),
        };
        // Lossy: a query that is not UTF-8 once decoded fails the typed
        // parse of the parameter it belongs to, with that parameter's message.
        let query = parts.uri.query().map(query_pairs).unwrap_or_default();
        Ok(RequestParts { path, path_is_text, query, headers: parts.headers.clone() })
    }
}

fn query_pairs(query: &str) -> Vec<(String, String)> {
    serde_html_form::from_str::<Vec<(String, String)>>(query).unwrap_or_default()
}

impl RequestParts {
    /// The request's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw text of a parameter: `Ok(None)` when absent, `Err(())` when
    /// present but not text. An empty value is present: it fails every
    /// typed rule, as OpenAPI (no `allowEmptyValue`) and Laravel (empty
    /// strings become null, which `integer` or `date` reject) agree.
    fn raw(&self, spec: &ParamSpec) -> Result<Option<&str>, ()> {
        let value = match spec.location {
            Location::Path if !self.path_is_text => return Err(()),
            Location::Path => self.path.iter().find(|(k, _)| k == spec.name).map(|(_, v)| v.as_str()),
            // A repeated key: the last one wins, as in PHP.
            Location::Query => self.query.iter().rev().find(|(k, _)| k == spec.name).map(|(_, v)| v.as_str()),
            Location::Header => match self.headers.get(spec.name) {
                None => None,
                Some(value) => Some(value.to_str().map_err(|_| ())?),
            },
        };
        Ok(value)
    }
}

/// A parameter that failed; its message is in the [`Validator`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invalid;

/// Reads parameters and collects every problem.
pub struct Validator<'a> {
    parts: &'a RequestParts,
    errors: BTreeMap<String, Vec<String>>,
}

impl<'a> Validator<'a> {
    /// A validator of one request's parameters.
    pub fn new(parts: &'a RequestParts) -> Self {
        Validator { parts, errors: BTreeMap::new() }
    }

    /// A required parameter.
    pub fn required<T: DeserializeOwned>(&mut self, spec: &ParamSpec) -> Result<T, Invalid> {
        match self.optional(spec)? {
            Some(value) => Ok(value),
            None => Err(self.fail(spec, format!("The {} field is required.", attribute(spec.name)))),
        }
    }

    /// An optional parameter without default.
    pub fn optional<T: DeserializeOwned>(&mut self, spec: &ParamSpec) -> Result<Option<T>, Invalid> {
        match self.parts.raw(spec) {
            Err(()) => Err(self.fail(spec, invalid_message(spec))),
            Ok(None) => Ok(None),
            Ok(Some(raw)) => match parse(spec, raw) {
                Ok(value) => Ok(Some(value)),
                Err(message) => Err(self.fail(spec, message)),
            },
        }
    }

    /// An optional parameter with the spec's default (as JSON).
    pub fn with_default<T: DeserializeOwned>(&mut self, spec: &ParamSpec, default: Value) -> Result<T, Invalid> {
        match self.optional(spec)? {
            Some(value) => Ok(value),
            None => serde_json::from_value(default)
                .map_err(|e| self.fail(spec, format!("The default of the {} field is invalid: {e}.", attribute(spec.name)))),
        }
    }

    /// A JSON request body.
    pub fn json_body<T: DeserializeOwned>(&mut self, bytes: &[u8]) -> Result<T, Invalid> {
        serde_json::from_slice(bytes).map_err(|e| {
            let message =
                if bytes.is_empty() { "The request body is required.".to_owned() } else { format!("The request body is invalid: {e}.") };
            self.errors.entry("body".into()).or_default().push(message);
            Invalid
        })
    }

    fn fail(&mut self, spec: &ParamSpec, message: String) -> Invalid {
        self.errors.entry(spec.name.to_owned()).or_default().push(message);
        Invalid
    }

    /// The 422 for the problems found so far.
    pub fn into_error(self) -> ErrorResponse {
        ErrorResponse::validation(self.errors)
    }
}

impl IntoResponse for Validator<'_> {
    fn into_response(self) -> Response {
        self.into_error().into_response()
    }
}

/// Laravel's `:attribute`: `per_page` is "per page", `filter[archived]` is
/// "filter.archived".
fn attribute(name: &str) -> String {
    name.replace('[', ".").replace(']', "").replace('_', " ")
}

fn invalid_message(spec: &ParamSpec) -> String {
    let attribute = attribute(spec.name);
    match spec.kind {
        Kind::Integer { .. } => format!("The {attribute} field must be an integer."),
        Kind::Number { .. } => format!("The {attribute} field must be a number."),
        Kind::Boolean => format!("The {attribute} field must be true or false."),
        Kind::DateTime => format!("The {attribute} field must be a valid date."),
        Kind::Enum => format!("The selected {attribute} is invalid."),
        Kind::Text => format!("The {attribute} field is invalid."),
    }
}

fn parse<T: DeserializeOwned>(spec: &ParamSpec, raw: &str) -> Result<T, String> {
    let attribute = attribute(spec.name);
    let invalid = || invalid_message(spec);
    let bounds = |value: f64, minimum: Option<f64>, maximum: Option<f64>| match (minimum, maximum) {
        (Some(min), _) if value < min => Err(format!("The {attribute} field must be at least {min}.")),
        (_, Some(max)) if value > max => Err(format!("The {attribute} field must not be greater than {max}.")),
        _ => Ok(()),
    };
    let value = match spec.kind {
        Kind::Integer { minimum, maximum } => {
            let number: i64 = raw.trim().parse().map_err(|_| invalid())?;
            bounds(number as f64, minimum, maximum)?;
            Value::from(number)
        }
        Kind::Number { minimum, maximum } => {
            let number: f64 = raw.trim().parse().ok().filter(|n: &f64| n.is_finite()).ok_or_else(invalid)?;
            bounds(number, minimum, maximum)?;
            Value::from(number)
        }
        Kind::Boolean => match raw {
            "1" | "true" => Value::Bool(true),
            "0" | "false" => Value::Bool(false),
            _ => return Err(invalid()),
        },
        Kind::DateTime | Kind::Text => Value::String(raw.to_owned()),
        Kind::Enum => {
            // A closed set of strings, or of integers (`filter[flag]=1`).
            let as_text = serde_json::from_value(Value::String(raw.to_owned()));
            return as_text.or_else(|_| {
                let number: i64 = raw.parse().map_err(|_| invalid())?;
                serde_json::from_value(Value::from(number)).map_err(|_| invalid())
            });
        }
    };
    serde_json::from_value(value).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(query: &str) -> RequestParts {
        RequestParts { query: query_pairs(query), path_is_text: true, ..Default::default() }
    }

    const PER_PAGE: ParamSpec =
        ParamSpec { name: "per_page", location: Location::Query, kind: Kind::Integer { minimum: Some(1.0), maximum: Some(100.0) } };
    const ARCHIVED: ParamSpec = ParamSpec { name: "filter[archived]", location: Location::Query, kind: Kind::Boolean };
    const BEFORE: ParamSpec = ParamSpec { name: "filter[before]", location: Location::Query, kind: Kind::DateTime };

    fn errors(query: &str) -> BTreeMap<String, Vec<String>> {
        let parts = parts(query);
        let mut validator = Validator::new(&parts);
        let _ = validator.with_default::<i32>(&PER_PAGE, Value::from(15));
        let _ = validator.optional::<bool>(&ARCHIVED);
        let _ = validator.optional::<chrono::DateTime<chrono::Utc>>(&BEFORE);
        validator.errors
    }

    #[test]
    fn valid_values_and_defaults() {
        let parts = parts("per_page=20&filter%5Barchived%5D=0");
        let mut validator = Validator::new(&parts);
        assert_eq!(validator.with_default::<i32>(&PER_PAGE, Value::from(15)), Ok(20));
        assert_eq!(validator.optional::<bool>(&ARCHIVED), Ok(Some(false)));
        let empty = RequestParts::default();
        assert_eq!(Validator::new(&empty).with_default::<i32>(&PER_PAGE, Value::from(15)), Ok(15));
    }

    #[test]
    fn every_problem_is_keyed_by_parameter_with_laravel_messages() {
        let found = errors("per_page=0&filter[archived]=yes&filter[before]=yesterday");
        assert_eq!(found["per_page"], ["The per page field must be at least 1."]);
        assert_eq!(found["filter[archived]"], ["The filter.archived field must be true or false."]);
        assert_eq!(found["filter[before]"], ["The filter.before field must be a valid date."]);
        assert_eq!(errors("per_page=1000000000")["per_page"], ["The per page field must not be greater than 100."]);
        assert_eq!(errors("per_page=abc")["per_page"], ["The per page field must be an integer."]);
    }

    #[test]
    fn empty_values_are_invalid_and_the_last_repeat_wins() {
        let found = errors("per_page=&filter[archived]=");
        assert_eq!(found["per_page"], ["The per page field must be an integer."]);
        assert_eq!(found["filter[archived]"], ["The filter.archived field must be true or false."]);
        let parts = parts("per_page=5&per_page=7");
        assert_eq!(Validator::new(&parts).with_default::<i32>(&PER_PAGE, Value::from(15)), Ok(7));
    }

    #[test]
    fn the_message_summarizes_the_errors() {
        let error = ErrorResponse::validation(errors("per_page=0&filter[archived]=yes"));
        assert_eq!(error.message, "The filter.archived field must be true or false. (and 1 more error)");
    }
}
