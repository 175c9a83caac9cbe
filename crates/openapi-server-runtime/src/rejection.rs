//! What the runtime refuses, in neutral terms: which status, and why (the
//! parameter, its location, the rule it broke, the value sent). The API's
//! error format turns a [`Rejection`] into the body its spec documents:
//! a type implementing [`ErrorFormat`] named in the generator's settings,
//! or the service's own `Api::rejection_body`.

use http::{Method, StatusCode};

/// A request the runtime refused before the service saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejection {
    /// The status answered (chosen by the generated code among the
    /// operation's documented responses).
    pub status: StatusCode,
    /// Why.
    pub reason: Reason,
}

impl Rejection {
    /// A rejection with its status.
    pub fn new(status: StatusCode, reason: Reason) -> Self {
        Rejection { status, reason }
    }
}

/// Why a request was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    /// No security alternative of the operation was satisfied (credentials
    /// missing or malformed), or `Api::authenticate` refused one.
    Unauthenticated,
    /// Parameters or the body broke the spec's rules: every problem found.
    Invalid(Vec<Problem>),
    /// The body's `Content-Type` is not one the operation accepts.
    UnsupportedMediaType {
        /// The type sent (`None`: no `Content-Type` with a body).
        content_type: Option<String>,
        /// The types the operation accepts.
        accepted: &'static [&'static str],
    },
    /// The body could not be read (too large, cut short).
    BodyUnreadable {
        /// What went wrong, from the HTTP layer.
        message: String,
    },
    /// No route has this path.
    NotFound,
    /// The request is not HTTP the server can read (the parser's 400).
    Malformed,
    /// The request target is longer than the server takes (414).
    UriTooLong,
    /// The request's headers are larger, or more, than the server takes (431).
    HeadersTooLarge,
    /// The request took longer than the server gives one (503).
    TimedOut,
    /// The server has as many connections or requests as it takes (503).
    Overloaded,
    /// The path exists, not with this method.
    MethodNotAllowed {
        /// The method sent.
        method: Method,
    },
}

/// Where a refused value was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// A path template parameter.
    Path,
    /// A query string parameter.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
    /// The request body.
    Body,
}

/// One broken rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The parameter's name as the spec writes it (`body` for the body).
    pub name: String,
    /// Where it was read.
    pub location: Location,
    /// The item of an array or the property of an object that broke the
    /// rule, if not the value as a whole.
    pub member: Option<Member>,
    /// The rule.
    pub rule: Rule,
    /// The text sent, when there was one and it is text.
    pub value: Option<String>,
}

/// A part of a parameter's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Member {
    /// The item at this index of an array.
    Index(usize),
    /// This property of an object (`deepObject`).
    Property(String),
}

/// The rule a value broke.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// It is required and absent.
    Required,
    /// It is not a value of this type.
    Type(Expected),
    /// Below the inclusive minimum.
    Minimum(f64),
    /// Above the inclusive maximum.
    Maximum(f64),
    /// Not above the exclusive minimum.
    ExclusiveMinimum(f64),
    /// Not below the exclusive maximum.
    ExclusiveMaximum(f64),
    /// Fewer characters than this.
    MinLength(u64),
    /// More characters than this.
    MaxLength(u64),
    /// Fewer items than this.
    MinItems(u64),
    /// More items than this.
    MaxItems(u64),
    /// Not matching this pattern.
    Pattern(&'static str),
    /// Not one of these values.
    OneOf(&'static [&'static str]),
    /// Sent more than once where one value is expected (a scalar query
    /// key, header or cookie, or a `deepObject` property), under
    /// [`crate::Settings`] that refuse it.
    Repeated,
    /// The spec's default does not fit the Rust type (a spec bug).
    InvalidDefault(String),
    /// The body does not decode as the operation's schema.
    Body(String),
}

/// The type a value was expected to have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// A boolean.
    Boolean,
    /// An RFC 3339 date-time.
    DateTime,
    /// One of a closed set of values.
    Enum,
    /// Text the parameter's type accepts (length, pattern, format).
    Text,
    /// A list of values.
    Array,
    /// An object.
    Object,
}

/// An API's error format: the body of its spec's error responses, built
/// from a rejection. Named in the generator's settings, it becomes the
/// default of the generated `Api::rejection_body`; the generated code
/// requires its `Body` to be the schema the spec declares.
pub trait ErrorFormat {
    /// The spec's error body type.
    type Body;
    /// The body answering `rejection`.
    fn body(rejection: &Rejection) -> Self::Body;
}
