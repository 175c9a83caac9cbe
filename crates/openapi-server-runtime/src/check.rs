//! An operation's parameter table checked on a request as a client is
//! about to send it: the same [`Validator`] and the same tables the
//! generated server reads requests with, so a bound, an enum or a pattern
//! is enforced the same way on both sides; [`describe`] says each problem
//! in plain words (the server's own answers are the API's error format).

use http::HeaderMap;
use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::params::{Bounds, Kind, ParamSpec, RequestParts, Settings, Validator};
use crate::rejection::{Expected, Member, Problem, Rule};

/// The parameters of one operation, as the generator read them from the spec.
#[derive(Clone, Copy, Debug)]
pub struct OperationParameters {
    /// `operationId`.
    pub operation_id: &'static str,
    /// The path template (`/items/{id}`).
    pub path: &'static str,
    /// Its parameters.
    pub parameters: &'static [ParamSpec],
}

impl OperationParameters {
    /// The table of `operation_id` among `tables`.
    pub fn find(tables: &'static [OperationParameters], operation_id: &str) -> Option<&'static OperationParameters> {
        tables.iter().find(|t| t.operation_id == operation_id)
    }

    /// The problems, in words, of the parameters a request to `url_path`
    /// (which ends with this operation's path) with `query` and `headers`
    /// carries. Whether a required parameter is there is the caller's
    /// business (a generated client's builder refuses to send without it).
    pub fn check(&self, url_path: &str, query: Option<&str>, headers: &HeaderMap, settings: Settings) -> Vec<String> {
        let parts = RequestParts::new(path_parameters(self.path, url_path), query, headers.clone());
        let mut validator = Validator::with_settings(&parts, settings);
        for spec in self.parameters {
            let _ = validator.optional::<Value>(spec);
        }
        validator
            .into_problems()
            .iter()
            .map(|problem| {
                let spec = self.parameters.iter().find(|s| s.name == problem.name && s.location == problem.location);
                describe(problem, spec)
            })
            .collect()
    }
}

/// The path parameters of `path` by the template's `{name}` segments,
/// matched from the end (a base URL may add segments before), decoded.
fn path_parameters(template: &str, path: &str) -> Vec<(String, String)> {
    let template: Vec<&str> = template.trim_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_matches('/').split('/').collect();
    let Some(start) = path.len().checked_sub(template.len()) else { return Vec::new() };
    template
        .iter()
        .zip(&path[start..])
        .filter_map(|(segment, sent)| {
            let name = segment.strip_prefix('{')?.strip_suffix('}')?;
            Some((name.to_owned(), percent_decode_str(sent).decode_utf8_lossy().into_owned()))
        })
        .collect()
}

/// A problem in plain words, naming the parameter, what it must be (with
/// both bounds when the parameter has both) and the value sent:
/// `per_page must be between 1 and 100, got 500`.
pub fn describe(problem: &Problem, spec: Option<&ParamSpec>) -> String {
    let subject = match &problem.member {
        None => problem.name.clone(),
        Some(Member::Index(i)) => format!("{} item {i}", problem.name),
        Some(Member::Property(p)) => format!("{}[{p}]", problem.name),
    };
    let got = problem.value.as_ref().map(|v| format!(", got {v}")).unwrap_or_default();
    let bounds = spec.and_then(|s| bounds_of(&s.kind, problem.member.is_some()));
    let between = |bounds: Bounds| match (bounds.minimum, bounds.maximum) {
        (Some(min), Some(max)) if !bounds.exclusive_minimum && !bounds.exclusive_maximum => Some(format!("between {} and {}", number(min), number(max))),
        _ => None,
    };
    let must = match &problem.rule {
        Rule::Required => return format!("{subject} is required"),
        Rule::Repeated => return format!("{subject} must be sent once"),
        Rule::InvalidDefault(error) => return format!("the default of {subject} is invalid: {error}"),
        Rule::Body(error) => return format!("the request body is invalid: {error}"),
        Rule::Minimum(_) | Rule::Maximum(_) if let Some(range) = bounds.and_then(between) => range,
        Rule::Minimum(min) => format!("at least {}", number(*min)),
        Rule::Maximum(max) => format!("at most {}", number(*max)),
        Rule::ExclusiveMinimum(min) => format!("greater than {}", number(*min)),
        Rule::ExclusiveMaximum(max) => format!("less than {}", number(*max)),
        Rule::MinLength(n) => format!("at least {n} characters long"),
        Rule::MaxLength(n) => format!("at most {n} characters long"),
        Rule::MinItems(n) => format!("a list of at least {n} items"),
        Rule::MaxItems(n) => format!("a list of at most {n} items"),
        Rule::Pattern(pattern) => format!("text matching `{pattern}`"),
        Rule::OneOf(values) => format!("one of {}", values.join(", ")),
        Rule::Type(expected) => match expected {
            Expected::Integer => "an integer",
            Expected::Number => "a number",
            Expected::Boolean => "a boolean",
            Expected::DateTime => "an RFC 3339 date-time",
            Expected::Enum => "one of its allowed values",
            Expected::Text => "text of its allowed form",
            Expected::Array => "a list",
            Expected::Object => "an object",
        }
        .to_owned(),
    };
    format!("{subject} must be {must}{got}")
}

/// The numeric bounds of a parameter's kind (of its items, for an item).
fn bounds_of(kind: &Kind, item: bool) -> Option<Bounds> {
    match (kind, item) {
        (Kind::Integer(bounds) | Kind::Number(bounds), false) => Some(*bounds),
        (Kind::Array { items, .. }, true) => bounds_of(items, false),
        _ => None,
    }
}

/// `1` for 1.0, `0.5` for 0.5.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{n:.0}") } else { n.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ArrayStyle;
    use crate::rejection::Location;

    const PER_PAGE: ParamSpec = ParamSpec {
        name: "per_page",
        location: Location::Query,
        kind: Kind::Integer(Bounds { minimum: Some(1.0), maximum: Some(100.0), exclusive_minimum: false, exclusive_maximum: false }),
    };
    const PAGE: ParamSpec = ParamSpec {
        name: "page",
        location: Location::Query,
        kind: Kind::Integer(Bounds { minimum: Some(1.0), maximum: None, exclusive_minimum: false, exclusive_maximum: false }),
    };
    const ID: ParamSpec = ParamSpec { name: "id", location: Location::Path, kind: Kind::Integer(Bounds { minimum: Some(1.0), ..Bounds::NONE }) };
    const TAGS: ParamSpec = ParamSpec {
        name: "tags",
        location: Location::Query,
        kind: Kind::Array { items: &Kind::Text { min_length: None, max_length: None, pattern: Some("^[a-z]+$") }, style: ArrayStyle::Exploded, min_items: None, max_items: Some(2) },
    };
    const LIST: OperationParameters = OperationParameters { operation_id: "list", path: "/shops/{id}/items", parameters: &[ID, PER_PAGE, PAGE, TAGS] };

    #[test]
    fn a_request_as_sent_is_checked_with_the_servers_rules_and_said_in_words() {
        let check = |path: &str, query: &str| LIST.check(path, Some(query), &HeaderMap::new(), Settings::NEUTRAL);
        assert!(check("/api/shops/3/items", "per_page=100&page=2&tags=ab").is_empty());
        assert_eq!(check("/api/shops/3/items", "per_page=500"), ["per_page must be between 1 and 100, got 500"]);
        assert_eq!(check("/api/shops/3/items", "page=0&tags=a1"), ["page must be at least 1, got 0", "tags item 0 must be text matching `^[a-z]+$`, got a1"]);
        assert_eq!(check("/api/shops/0/items", "tags=a&tags=b&tags=c"), ["id must be at least 1, got 0", "tags must be a list of at most 2 items"]);
        assert_eq!(check("/shops/x%20y/items", ""), ["id must be an integer, got x y"]);
    }

    #[test]
    fn path_parameters_are_matched_from_the_end() {
        assert_eq!(path_parameters("/shops/{id}/items", "/v2/shops/a%2Fb/items"), [("id".to_owned(), "a/b".to_owned())]);
        assert!(path_parameters("/shops/{id}/items", "/items").is_empty());
    }
}
