//! The one error of every hand-written type's `FromStr`.

use std::borrow::Cow;
use std::fmt;

/// A string that is not a value of the type it was parsed as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// What was expected (`a boolean (expected 1, 0, true or false)`).
    pub expected: Cow<'static, str>,
    /// What was given.
    pub input: String,
}

impl ParseError {
    pub(crate) fn new(expected: impl Into<Cow<'static, str>>, input: &str) -> Self {
        ParseError { expected: expected.into(), input: input.to_owned() }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not {}", self.input, self.expected)
    }
}

impl std::error::Error for ParseError {}
