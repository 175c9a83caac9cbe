//! Parameters from raw request text, by the rules the generator read from
//! the spec (type, bounds, lengths, enums, arrays and their style,
//! `deepObject`), with every problem collected as a neutral [`Problem`].

use http::HeaderMap;
use http::header::COOKIE;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::rejection::{Expected, Location, Member, Problem, Rule};

/// Inclusive or exclusive numeric bounds (OpenAPI 3.0: `exclusiveMinimum`
/// is a flag on `minimum`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum: true`.
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum: true`.
    pub exclusive_maximum: bool,
}

impl Bounds {
    /// No bound.
    pub const NONE: Bounds = Bounds { minimum: None, maximum: None, exclusive_minimum: false, exclusive_maximum: false };

    fn check(&self, value: f64) -> Result<(), Rule> {
        match (self.minimum, self.maximum) {
            (Some(min), _) if self.exclusive_minimum && value <= min => Err(Rule::ExclusiveMinimum(min)),
            (Some(min), _) if value < min => Err(Rule::Minimum(min)),
            (_, Some(max)) if self.exclusive_maximum && value >= max => Err(Rule::ExclusiveMaximum(max)),
            (_, Some(max)) if value > max => Err(Rule::Maximum(max)),
            _ => Ok(()),
        }
    }
}

/// How the items of an array parameter are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrayStyle {
    /// One key per item (`form`, `explode: true`): `id=1&id=2`.
    Exploded,
    /// Comma-separated (`form` without explode, `simple`): `id=1,2`.
    Comma,
    /// `spaceDelimited`: `id=1%202`.
    Space,
    /// `pipeDelimited`: `id=1|2`.
    Pipe,
}

/// How the server reads what a client may send twice, and the spellings of
/// a boolean it takes: a platform's habits, which the API chooses. The
/// defaults ([`Settings::NEUTRAL`]) assume nothing of the backend a client
/// was written against: one value per key, `true` and `false`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// A scalar (or non-exploded array) query key, cookie or `deepObject`
    /// property sent more than once.
    pub repeated_key: RepeatedKey,
    /// A header of a scalar parameter sent in more than one field line.
    pub repeated_header: RepeatedHeader,
    /// The spellings of a boolean parameter.
    pub booleans: Booleans,
}

impl Settings {
    /// One value per key, repeated headers refused, `true`/`false`.
    pub const NEUTRAL: Settings = Settings { repeated_key: RepeatedKey::Reject, repeated_header: RepeatedHeader::Reject, booleans: Booleans::Words };
}

impl Default for Settings {
    fn default() -> Self {
        Settings::NEUTRAL
    }
}

/// What a key sent more than once means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepeatedKey {
    /// A problem ([`Rule::Repeated`]): which one the client meant is unknown.
    Reject,
    /// The last one counts, as PHP's `$_GET` reads `a=1&a=2`.
    LastWins,
}

/// What a header sent in more than one field line means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepeatedHeader {
    /// A problem ([`Rule::Repeated`]).
    Reject,
    /// The values joined with `, ` (RFC 9110's list form), as PHP behind a
    /// web server reads them: `7, 7`, which a typed rule then refuses.
    Join,
}

/// The spellings of a boolean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Booleans {
    /// `true` and `false`.
    Words,
    /// `true`, `false`, `1` and `0` (Laravel's `boolean` rule; the only
    /// spellings a PHP client's `http_build_query` sends are `1` and `0`).
    WordsAndDigits,
}

/// What a parameter's schema requires of its text; decides the parsing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// An integer within the bounds (the spec's, narrowed to the Rust type's).
    Integer(Bounds),
    /// A finite number within the bounds.
    Number(Bounds),
    /// `true` or `false` (also `1` or `0` when [`Settings::booleans`] says so).
    Boolean,
    /// An RFC 3339 timestamp.
    DateTime,
    /// One of a closed set of values, checked by the Rust type (a
    /// component enum).
    Enum,
    /// One of these strings (an enum written inline in the parameter).
    OneOf(&'static [&'static str]),
    /// Text of these lengths matching this pattern (the Rust type may
    /// check more: a format).
    Text {
        /// `minLength`.
        min_length: Option<u64>,
        /// `maxLength`.
        max_length: Option<u64>,
        /// `pattern` (ECMA-262, as JSON Schema says).
        pattern: Option<&'static str>,
    },
    /// A value of a composed schema (`oneOf`, `anyOf`): read as a number
    /// or a boolean when it looks like one, else as text, whichever the
    /// Rust type accepts.
    Any,
    /// A list of values of one kind.
    Array {
        /// The items' kind.
        items: &'static Kind,
        /// How they are written.
        style: ArrayStyle,
        /// `minItems`.
        min_items: Option<u64>,
        /// `maxItems`.
        max_items: Option<u64>,
    },
    /// An object written `name[property]=value` (`style: deepObject`).
    Object {
        /// The kinds of its known properties (others are read as text).
        properties: &'static [(&'static str, Kind)],
    },
}

impl Kind {
    fn expected(&self) -> Expected {
        match self {
            Kind::Integer(_) => Expected::Integer,
            Kind::Number(_) => Expected::Number,
            Kind::Boolean => Expected::Boolean,
            Kind::DateTime => Expected::DateTime,
            Kind::Enum | Kind::OneOf(_) => Expected::Enum,
            Kind::Text { .. } | Kind::Any => Expected::Text,
            Kind::Array { .. } => Expected::Array,
            Kind::Object { .. } => Expected::Object,
        }
    }
}

/// One parameter as the spec declares it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamSpec {
    /// The name in the spec.
    pub name: &'static str,
    /// Where it is read from (never [`Location::Body`]).
    pub location: Location,
    /// How its text is parsed and checked.
    pub kind: Kind,
}

/// The raw path parameters, query pairs, headers and cookies of a request.
/// Taking it never fails: problems surface when parameters are read.
#[derive(Clone, Debug, Default)]
pub struct RequestParts {
    path: Vec<(String, String)>,
    path_is_text: bool,
    query: Vec<(String, String)>,
    headers: HeaderMap,
}

#[cfg(feature = "server")]
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RequestParts {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::RawPathParams;
        let (path, path_is_text) = match RawPathParams::from_request_parts(parts, state).await {
            Ok(params) => (params.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect(), true),
            Err(_) => (Vec::new(), false),
        };
        // Lossy: a query that is not UTF-8 once decoded fails the typed
        // parse of the parameter it belongs to.
        let query = parts.uri.query().map(query_pairs).unwrap_or_default();
        Ok(RequestParts { path, path_is_text, query, headers: parts.headers.clone() })
    }
}

impl RequestParts {
    /// The parts of a request as a client is about to send it: its path
    /// parameters (already decoded), query string and headers.
    pub fn new(path: Vec<(String, String)>, query: Option<&str>, headers: HeaderMap) -> Self {
        RequestParts { path, path_is_text: true, query: query.map(query_pairs).unwrap_or_default(), headers }
    }
}

pub(crate) fn query_pairs(query: &str) -> Vec<(String, String)> {
    serde_html_form::from_str::<Vec<(String, String)>>(query).unwrap_or_default()
}

/// The value of a parameter as sent: absent, present, or present but not
/// text (a header that is not visible ASCII, a path that is not UTF-8).
enum Raw<'a> {
    Absent,
    Unreadable,
    Text(Vec<&'a str>),
    Joined(String),
    /// Sent more than once, which the settings refuse.
    Repeated,
    Object(Vec<(&'a str, &'a str)>),
}

impl RequestParts {
    /// The request's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The query pairs, decoded, in their order.
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    /// The value of the cookie `name`, if sent.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    fn cookies(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers
            .get_all(COOKIE)
            .into_iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .map(|(k, v)| (k.trim(), v.trim().trim_matches('"')))
    }

    /// Every value sent for `spec`: one for a scalar (a repeated key or
    /// header: as `settings` say), all of them for an exploded array, the
    /// `name[property]` pairs of a `deepObject`.
    fn raw(&self, spec: &ParamSpec, settings: &Settings) -> Raw<'_> {
        if let Kind::Object { .. } = spec.kind {
            let prefix = format!("{}[", spec.name);
            let pairs: Vec<(&str, &str)> = self
                .query
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix(&prefix)?.strip_suffix(']')?, v.as_str())))
                .collect();
            return if pairs.is_empty() { Raw::Absent } else { Raw::Object(pairs) };
        }
        let exploded = matches!(spec.kind, Kind::Array { style: ArrayStyle::Exploded, .. });
        let values: Vec<&str> = match spec.location {
            Location::Path if !self.path_is_text => return Raw::Unreadable,
            Location::Path => self.path.iter().filter(|(k, _)| k == spec.name).map(|(_, v)| v.as_str()).collect(),
            Location::Query => self.query.iter().filter(|(k, _)| k == spec.name).map(|(_, v)| v.as_str()).collect(),
            Location::Header => {
                let mut values = Vec::new();
                for value in self.headers.get_all(spec.name) {
                    match value.to_str() {
                        Ok(text) => values.push(text),
                        Err(_) => return Raw::Unreadable,
                    }
                }
                values
            }
            Location::Cookie => self.cookies().filter(|(k, _)| *k == spec.name).map(|(_, v)| v).collect(),
            Location::Body => Vec::new(),
        };
        match values.last() {
            None => Raw::Absent,
            Some(_) if exploded => Raw::Text(values),
            Some(last) if values.len() == 1 => Raw::Text(vec![last]),
            Some(last) => match (spec.location, settings.repeated_header, settings.repeated_key) {
                (Location::Header, RepeatedHeader::Join, _) => Raw::Joined(values.join(", ")),
                (Location::Header, RepeatedHeader::Reject, _) | (_, _, RepeatedKey::Reject) => Raw::Repeated,
                (_, _, RepeatedKey::LastWins) => Raw::Text(vec![last]),
            },
        }
    }
}

/// A parameter that failed; its problem is in the [`Validator`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invalid;

/// Reads parameters and collects every problem.
pub struct Validator<'a> {
    parts: &'a RequestParts,
    settings: Settings,
    problems: Vec<Problem>,
}

impl<'a> Validator<'a> {
    /// A validator of one request's parameters, with neutral [`Settings`].
    pub fn new(parts: &'a RequestParts) -> Self {
        Validator::with_settings(parts, Settings::NEUTRAL)
    }

    /// A validator reading the request with the API's `settings`.
    pub fn with_settings(parts: &'a RequestParts, settings: Settings) -> Self {
        Validator { parts, settings, problems: Vec::new() }
    }

    /// A required parameter.
    pub fn required<T: DeserializeOwned>(&mut self, spec: &ParamSpec) -> Result<T, Invalid> {
        match self.optional(spec)? {
            Some(value) => Ok(value),
            None => Err(self.fail(spec, None, Rule::Required, None)),
        }
    }

    /// An optional parameter without default.
    pub fn optional<T: DeserializeOwned>(&mut self, spec: &ParamSpec) -> Result<Option<T>, Invalid> {
        let value = match self.parts.raw(spec, &self.settings) {
            Raw::Absent => return Ok(None),
            Raw::Unreadable => return Err(self.fail(spec, None, Rule::Type(spec.kind.expected()), None)),
            Raw::Repeated => return Err(self.fail(spec, None, Rule::Repeated, None)),
            Raw::Object(pairs) => self.object(spec, &pairs)?,
            Raw::Joined(joined) => match spec.kind {
                Kind::Array { items, style, min_items, max_items } => self.array(spec, &[joined.as_str()], items, style, min_items, max_items)?,
                kind => self.scalar(spec, None, kind, &joined)?,
            },
            Raw::Text(values) => match spec.kind {
                Kind::Array { items, style, min_items, max_items } => self.array(spec, &values, items, style, min_items, max_items)?,
                kind => {
                    let raw = values.last().copied().unwrap_or_default();
                    self.scalar(spec, None, kind, raw)?
                }
            },
        };
        // A component enum or a composed schema: the text may be meant as
        // a string or as a number (`flag=1`); the Rust type decides.
        if matches!(spec.kind, Kind::Enum | Kind::Any) {
            let text = text_of(&value);
            let alternate = if value.is_string() { parse(Kind::Any, &text, self.settings.booleans).ok().filter(|v| !v.is_string()) } else { Some(Value::String(text.clone())) };
            let typed = serde_json::from_value(value).or_else(|e| alternate.map_or(Err(e), serde_json::from_value));
            return typed.map(Some).map_err(|_| self.fail(spec, None, Rule::Type(spec.kind.expected()), Some(text)));
        }
        match serde_json::from_value(value.clone()) {
            Ok(typed) => Ok(Some(typed)),
            // The Rust type refused what the kind let through (a pattern,
            // a format, a value outside a component enum).
            Err(_) => Err(self.fail(spec, None, Rule::Type(spec.kind.expected()), Some(text_of(&value)))),
        }
    }

    /// An optional parameter with the spec's default, made (typed, or read
    /// once from the spec's JSON) only when the parameter is absent; a
    /// default the type refuses is a problem ([`Rule::InvalidDefault`]).
    pub fn with_default<T: DeserializeOwned>(&mut self, spec: &ParamSpec, default: impl FnOnce() -> Result<T, String>) -> Result<T, Invalid> {
        match self.optional(spec)? {
            Some(value) => Ok(value),
            None => default().map_err(|e| self.fail(spec, None, Rule::InvalidDefault(e), None)),
        }
    }

    /// Records a problem found elsewhere (the body).
    pub fn push(&mut self, problem: Problem) -> Invalid {
        self.problems.push(problem);
        Invalid
    }

    /// The problems found so far, in the order the parameters were read.
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }

    fn fail(&mut self, spec: &ParamSpec, member: Option<Member>, rule: Rule, value: Option<String>) -> Invalid {
        self.push(Problem { name: spec.name.to_owned(), location: spec.location, member, rule, value })
    }

    fn scalar(&mut self, spec: &ParamSpec, member: Option<Member>, kind: Kind, raw: &str) -> Result<Value, Invalid> {
        parse(kind, raw, self.settings.booleans).map_err(|rule| self.fail(spec, member, rule, Some(raw.to_owned())))
    }

    fn array(
        &mut self,
        spec: &ParamSpec,
        values: &[&str],
        items: &Kind,
        style: ArrayStyle,
        min_items: Option<u64>,
        max_items: Option<u64>,
    ) -> Result<Value, Invalid> {
        let split: Vec<&str> = match style {
            ArrayStyle::Exploded => values.to_vec(),
            ArrayStyle::Comma => values.iter().flat_map(|v| v.split(',')).collect(),
            ArrayStyle::Space => values.iter().flat_map(|v| v.split(' ')).collect(),
            ArrayStyle::Pipe => values.iter().flat_map(|v| v.split('|')).collect(),
        };
        let count = split.len() as u64;
        if let Some(min) = min_items.filter(|min| count < *min) {
            return Err(self.fail(spec, None, Rule::MinItems(min), None));
        }
        if let Some(max) = max_items.filter(|max| count > *max) {
            return Err(self.fail(spec, None, Rule::MaxItems(max), None));
        }
        let mut parsed = Vec::with_capacity(split.len());
        let mut failed = false;
        for (i, raw) in split.into_iter().enumerate() {
            match self.scalar(spec, Some(Member::Index(i)), *items, raw) {
                Ok(value) => parsed.push(value),
                Err(Invalid) => failed = true,
            }
        }
        if failed { Err(Invalid) } else { Ok(Value::Array(parsed)) }
    }

    fn object(&mut self, spec: &ParamSpec, pairs: &[(&str, &str)]) -> Result<Value, Invalid> {
        let Kind::Object { properties } = spec.kind else { return Err(Invalid) };
        let mut object = Map::new();
        let mut failed = false;
        for (i, (property, raw)) in pairs.iter().enumerate() {
            let repeats = pairs.iter().filter(|(other, _)| other == property).count() > 1;
            if repeats && self.settings.repeated_key == RepeatedKey::Reject {
                if !pairs[..i].iter().any(|(earlier, _)| earlier == property) {
                    self.fail(spec, Some(Member::Property((*property).to_owned())), Rule::Repeated, None);
                }
                failed = true;
                continue;
            }
            let kind = properties.iter().find(|(name, _)| name == property).map_or(Kind::Any, |(_, k)| *k);
            match self.scalar(spec, Some(Member::Property((*property).to_owned())), kind, raw) {
                Ok(value) => {
                    object.insert((*property).to_owned(), value);
                }
                Err(Invalid) => failed = true,
            }
        }
        if failed { Err(Invalid) } else { Ok(Value::Object(object)) }
    }
}

/// The JSON value of one scalar's text, by its kind.
fn parse(kind: Kind, raw: &str, booleans: Booleans) -> Result<Value, Rule> {
    let expected = Rule::Type(kind.expected());
    Ok(match kind {
        Kind::Integer(bounds) => {
            let number: i64 = raw.trim().parse().map_err(|_| expected)?;
            bounds.check(number as f64)?;
            Value::from(number)
        }
        Kind::Number(bounds) => {
            let number: f64 = raw.trim().parse().ok().filter(|n: &f64| n.is_finite()).ok_or(expected)?;
            bounds.check(number)?;
            Value::from(number)
        }
        Kind::Boolean => match (raw, booleans) {
            ("true", _) | ("1", Booleans::WordsAndDigits) => Value::Bool(true),
            ("false", _) | ("0", Booleans::WordsAndDigits) => Value::Bool(false),
            _ => return Err(expected),
        },
        Kind::DateTime => {
            // The Rust type decides what it accepts; this only says
            // what the message is about.
            Value::String(raw.to_owned())
        }
        Kind::Text { min_length, max_length, pattern } => {
            let length = raw.chars().count() as u64;
            if let Some(min) = min_length.filter(|min| length < *min) {
                return Err(Rule::MinLength(min));
            }
            if let Some(max) = max_length.filter(|max| length > *max) {
                return Err(Rule::MaxLength(max));
            }
            if let Some(pattern) = pattern.filter(|p| !crate::pattern::matches(p, raw)) {
                return Err(Rule::Pattern(pattern));
            }
            Value::String(raw.to_owned())
        }
        Kind::Any => match raw {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => match raw.parse::<i64>() {
                Ok(number) => Value::from(number),
                Err(_) => match raw.parse::<f64>() {
                    Ok(number) if number.is_finite() => Value::from(number),
                    _ => Value::String(raw.to_owned()),
                },
            },
        },
        Kind::OneOf(values) if values.contains(&raw) => Value::String(raw.to_owned()),
        Kind::OneOf(values) => return Err(Rule::OneOf(values)),
        // A closed set of strings, or of integers (`flag=1`): read as text
        // first, the typed parse picks.
        Kind::Enum => Value::String(raw.to_owned()),
        Kind::Array { .. } | Kind::Object { .. } => return Err(expected),
    })
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
impl RequestParts {
    /// Parts with a query and headers, path parameters readable.
    pub(crate) fn for_tests(query: &str, headers: HeaderMap) -> RequestParts {
        RequestParts { path: Vec::new(), path_is_text: true, query: query_pairs(query), headers }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    const BOUNDED: Bounds = Bounds { minimum: Some(1.0), maximum: Some(100.0), exclusive_minimum: false, exclusive_maximum: false };
    const PER_PAGE: ParamSpec = ParamSpec { name: "per_page", location: Location::Query, kind: Kind::Integer(BOUNDED) };
    const ARCHIVED: ParamSpec = ParamSpec { name: "archived", location: Location::Query, kind: Kind::Boolean };
    const SORT: ParamSpec = ParamSpec { name: "sort", location: Location::Query, kind: Kind::OneOf(&["asc", "desc"]) };
    const IDS: ParamSpec = ParamSpec {
        name: "id",
        location: Location::Query,
        kind: Kind::Array { items: &Kind::Integer(Bounds::NONE), style: ArrayStyle::Exploded, min_items: None, max_items: Some(3) },
    };
    const TAGS: ParamSpec = ParamSpec {
        name: "tags",
        location: Location::Query,
        kind: Kind::Array { items: &Kind::Text { min_length: Some(2), max_length: None, pattern: None }, style: ArrayStyle::Comma, min_items: None, max_items: None },
    };
    const FILTER: ParamSpec = ParamSpec {
        name: "filter",
        location: Location::Query,
        kind: Kind::Object { properties: &[("archived", Kind::Boolean), ("limit", Kind::Integer(BOUNDED))] },
    };

    fn parts(query: &str) -> RequestParts {
        RequestParts::for_tests(query, HeaderMap::new())
    }

    /// PHP's habits, as a Laravel API chooses them.
    const PHP: Settings = Settings { repeated_key: RepeatedKey::LastWins, repeated_header: RepeatedHeader::Join, booleans: Booleans::WordsAndDigits };

    fn problems(query: &str, read: impl FnOnce(&mut Validator)) -> Vec<(String, Option<Member>, Rule, Option<String>)> {
        problems_with(Settings::NEUTRAL, query, read)
    }

    fn problems_with(settings: Settings, query: &str, read: impl FnOnce(&mut Validator)) -> Vec<(String, Option<Member>, Rule, Option<String>)> {
        let parts = parts(query);
        let mut validator = Validator::with_settings(&parts, settings);
        read(&mut validator);
        validator.into_problems().into_iter().map(|p| (p.name, p.member, p.rule, p.value)).collect()
    }

    #[test]
    fn valid_values_and_defaults() {
        let parts = parts("per_page=20&archived=false&sort=desc");
        let mut validator = Validator::new(&parts);
        assert_eq!(validator.with_default::<i32>(&PER_PAGE, || Ok(15)), Ok(20));
        assert_eq!(validator.optional::<bool>(&ARCHIVED), Ok(Some(false)));
        assert_eq!(validator.required::<String>(&SORT), Ok("desc".to_owned()));
        let empty = RequestParts::default();
        assert_eq!(Validator::new(&empty).with_default::<i32>(&PER_PAGE, || Ok(15)), Ok(15));
    }

    #[test]
    fn each_problem_names_the_parameter_the_rule_and_the_value() {
        let found = problems("per_page=0&archived=yes&sort=up", |v| {
            let _ = v.with_default::<i32>(&PER_PAGE, || Ok(15));
            let _ = v.optional::<bool>(&ARCHIVED);
            let _ = v.required::<String>(&SORT);
        });
        assert_eq!(
            found,
            [
                ("per_page".into(), None, Rule::Minimum(1.0), Some("0".into())),
                ("archived".into(), None, Rule::Type(Expected::Boolean), Some("yes".into())),
                ("sort".into(), None, Rule::OneOf(&["asc", "desc"]), Some("up".into())),
            ]
        );
        let found = problems("per_page=101", |v| {
            let _ = v.optional::<i32>(&PER_PAGE);
        });
        assert_eq!(found[0].2, Rule::Maximum(100.0));
        let found = problems("", |v| {
            let _ = v.required::<String>(&SORT);
        });
        assert_eq!(found[0].2, Rule::Required);
    }

    #[test]
    fn empty_values_are_invalid() {
        let found = problems("per_page=", |v| {
            let _ = v.optional::<i32>(&PER_PAGE);
        });
        assert_eq!(found[0].2, Rule::Type(Expected::Integer));
    }

    #[test]
    fn a_repeated_scalar_key_is_refused_unless_the_last_wins() {
        let twice = parts("per_page=5&per_page=7&tags=ab&tags=cd");
        let tags = |v: &mut Validator| v.optional::<Vec<String>>(&TAGS);
        let mut neutral = Validator::new(&twice);
        assert_eq!((neutral.optional::<i32>(&PER_PAGE), tags(&mut neutral)), (Err(Invalid), Err(Invalid)));
        let found: Vec<_> = neutral.into_problems().into_iter().map(|p| (p.name, p.rule, p.value)).collect();
        assert_eq!(found, [("per_page".into(), Rule::Repeated, None), ("tags".into(), Rule::Repeated, None)]);
        let mut php = Validator::with_settings(&twice, PHP);
        assert_eq!(php.optional::<i32>(&PER_PAGE), Ok(Some(7)));
        assert_eq!(tags(&mut php), Ok(Some(vec!["cd".to_owned()])));
        // An exploded array is made of repeats: both settings read them all.
        let ids = parts("id=1&id=2");
        for settings in [Settings::NEUTRAL, PHP] {
            assert_eq!(Validator::with_settings(&ids, settings).required::<Vec<i64>>(&IDS), Ok(vec![1, 2]));
        }
    }

    #[test]
    fn booleans_are_words_unless_digits_are_chosen() {
        for (raw, neutral, php) in [("true", Some(true), Some(true)), ("false", Some(false), Some(false)), ("1", None, Some(true)), ("0", None, Some(false)), ("yes", None, None)] {
            let parts = parts(&format!("archived={raw}"));
            assert_eq!(Validator::new(&parts).optional::<bool>(&ARCHIVED).ok().flatten(), neutral, "{raw}");
            assert_eq!(Validator::with_settings(&parts, PHP).optional::<bool>(&ARCHIVED).ok().flatten(), php, "{raw}");
        }
    }

    #[test]
    fn arrays_in_each_style_with_item_problems_by_index() {
        let parts = parts("id=1&id=2&tags=ab,cd");
        let mut validator = Validator::new(&parts);
        assert_eq!(validator.required::<Vec<i64>>(&IDS), Ok(vec![1, 2]));
        assert_eq!(validator.required::<Vec<String>>(&TAGS), Ok(vec!["ab".to_owned(), "cd".to_owned()]));
        let found = problems("id=1&id=x&tags=ab,c", |v| {
            let _ = v.required::<Vec<i64>>(&IDS);
            let _ = v.required::<Vec<String>>(&TAGS);
        });
        assert_eq!(found[0], ("id".into(), Some(Member::Index(1)), Rule::Type(Expected::Integer), Some("x".into())));
        assert_eq!(found[1], ("tags".into(), Some(Member::Index(1)), Rule::MinLength(2), Some("c".into())));
        let found = problems("id=1&id=2&id=3&id=4", |v| {
            let _ = v.required::<Vec<i64>>(&IDS);
        });
        assert_eq!(found[0].2, Rule::MaxItems(3));
    }

    #[test]
    fn deep_objects_by_property() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Filter {
            archived: Option<bool>,
            limit: Option<i64>,
        }
        let once = parts("filter[archived]=true&filter[limit]=5");
        assert_eq!(Validator::new(&once).optional::<Filter>(&FILTER), Ok(Some(Filter { archived: Some(true), limit: Some(5) })));
        let found = problems("filter[limit]=500", |v| {
            let _ = v.optional::<Filter>(&FILTER);
        });
        assert_eq!(found[0], ("filter".into(), Some(Member::Property("limit".into())), Rule::Maximum(100.0), Some("500".into())));

        let query = "filter[limit]=5&filter[archived]=1&filter[limit]=6";
        let found = problems(query, |v| {
            let _ = v.optional::<Filter>(&FILTER);
        });
        let property = |name: &str| Some(Member::Property(name.into()));
        assert_eq!(
            found,
            [("filter".into(), property("limit"), Rule::Repeated, None), ("filter".into(), property("archived"), Rule::Type(Expected::Boolean), Some("1".into()))]
        );
        let repeated = parts(query);
        assert_eq!(Validator::with_settings(&repeated, PHP).optional::<Filter>(&FILTER), Ok(Some(Filter { archived: Some(true), limit: Some(6) })));
    }

    #[test]
    fn headers_that_are_not_text_and_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert("x-count", HeaderValue::from_bytes(b"\xff").unwrap());
        headers.insert("cookie", HeaderValue::from_static("theme=dark; size=3"));
        let parts = RequestParts::for_tests("", headers);
        let count = ParamSpec { name: "x-count", location: Location::Header, kind: Kind::Integer(Bounds::NONE) };
        let size = ParamSpec { name: "size", location: Location::Cookie, kind: Kind::Integer(Bounds::NONE) };
        let mut validator = Validator::new(&parts);
        assert_eq!(validator.optional::<i64>(&count), Err(Invalid));
        assert_eq!(validator.optional::<i64>(&size), Ok(Some(3)));
        assert_eq!(validator.into_problems()[0].rule, Rule::Type(Expected::Integer));

        let mut twice = HeaderMap::new();
        twice.append("x-count", HeaderValue::from_static("7"));
        twice.append("x-count", HeaderValue::from_static("7"));
        let parts = RequestParts::for_tests("", twice);
        let mut validator = Validator::new(&parts);
        assert_eq!(validator.optional::<i64>(&count), Err(Invalid));
        assert_eq!(validator.into_problems()[0].rule, Rule::Repeated);
        let mut validator = Validator::with_settings(&parts, PHP);
        assert_eq!(validator.optional::<i64>(&count), Err(Invalid), "joined, a repeated header reads as `7, 7`");
        assert_eq!(validator.into_problems()[0].value.as_deref(), Some("7, 7"));
    }

    #[test]
    fn a_value_the_rust_type_refuses_is_that_kinds_problem() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        enum Flag {
            #[serde(rename = "1")]
            One,
        }
        let flag = ParamSpec { name: "flag", location: Location::Query, kind: Kind::Enum };
        let found = problems("flag=3", |v| {
            let _ = v.optional::<Flag>(&flag);
        });
        assert_eq!(found[0], ("flag".into(), None, Rule::Type(Expected::Enum), Some("3".into())));
    }
}
