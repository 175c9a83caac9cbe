//! The API's error format, as Laravel writes it: `{"message", "errors"}`
//! with Laravel's validation sentences (`The per page field must be at
//! least 1.`), the first one repeated as the message with `(and N more
//! errors)`. The generated server answers its own refusals with it.

use std::collections::BTreeMap;

use openapi_server_runtime::{ErrorFormat, Expected, Location, Member, Problem, Reason, Rejection, Rule};
use openapi_server_runtime::reexports::axum::http::StatusCode;
use openapi_server_runtime::reexports::axum::response::Response;
use popsell_types::ErrorBody;

/// Laravel's error bodies.
pub struct LaravelErrors;

impl ErrorFormat for LaravelErrors {
    type Body = ErrorBody;

    fn body(rejection: &Rejection) -> ErrorBody {
        match &rejection.reason {
            Reason::Unauthenticated => ErrorBody::builder().message("Unauthorized.").build(),
            Reason::Invalid(problems) => validation(problems),
            Reason::UnsupportedMediaType { .. } => ErrorBody::builder().message("Unsupported Media Type.").build(),
            Reason::BodyUnreadable { message } => ErrorBody::builder().message(message.clone()).build(),
            Reason::NotFound => ErrorBody::builder().message("Not Found.").build(),
            Reason::Malformed => ErrorBody::builder().message("Bad Request.").build(),
            Reason::UriTooLong => ErrorBody::builder().message("URI Too Long.").build(),
            Reason::HeadersTooLarge => ErrorBody::builder().message("Request Header Fields Too Large.").build(),
            Reason::TimedOut | Reason::Overloaded => ErrorBody::builder().message("Service Unavailable.").build(),
            Reason::MethodNotAllowed { method } => ErrorBody::builder().message(format!("The {method} method is not supported for this route.")).build(),
        }
    }
}

/// The 404 of a path outside the API's routes, for an application that
/// nests [`crate::router`] under [`crate::BASE_PATH`].
pub async fn not_found() -> Response {
    let rejection = Rejection::new(StatusCode::NOT_FOUND, Reason::NotFound);
    openapi_server_runtime::json_response(rejection.status, &LaravelErrors::body(&rejection), "application/json")
}

/// Messages by parameter (`filter[archived]`, or `ids.0` for an item); the
/// message is the first of them (by parameter name), Laravel style.
fn validation(problems: &[Problem]) -> ErrorBody {
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for problem in problems {
        let key = match &problem.member {
            None => problem.name.clone(),
            Some(Member::Index(i)) => format!("{}.{i}", problem.name),
            Some(Member::Property(p)) => format!("{}.{p}", problem.name),
        };
        errors.entry(key.clone()).or_default().push(sentence(problem, &attribute(&key)));
    }
    let mut messages = errors.values().flatten();
    let first = messages.next().cloned().unwrap_or_else(|| "The given data was invalid.".into());
    let message = match messages.count() {
        0 => first,
        1 => format!("{first} (and 1 more error)"),
        n => format!("{first} (and {n} more errors)"),
    };
    ErrorBody::builder().message(message).errors(errors).build()
}

/// Laravel's `:attribute`: `per_page` is "per page", `filter[archived]` is
/// "filter.archived".
fn attribute(name: &str) -> String {
    name.replace('[', ".").replace(']', "").replace('_', " ")
}

fn sentence(problem: &Problem, attribute: &str) -> String {
    if problem.location == Location::Body {
        return match &problem.rule {
            Rule::Required => "The request body is required.".into(),
            Rule::Body(error) => format!("The request body is invalid: {error}."),
            other => format!("The request body is invalid: {other:?}."),
        };
    }
    match &problem.rule {
        Rule::Required => format!("The {attribute} field is required."),
        Rule::Type(Expected::Integer) => format!("The {attribute} field must be an integer."),
        Rule::Type(Expected::Number) => format!("The {attribute} field must be a number."),
        Rule::Type(Expected::Boolean) => format!("The {attribute} field must be true or false."),
        Rule::Type(Expected::DateTime) => format!("The {attribute} field must be a valid date."),
        Rule::Type(Expected::Enum) | Rule::OneOf(_) => format!("The selected {attribute} is invalid."),
        Rule::Type(Expected::Text) => format!("The {attribute} field is invalid."),
        Rule::Type(Expected::Array | Expected::Object) => format!("The {attribute} field must be an array."),
        Rule::Minimum(min) => format!("The {attribute} field must be at least {min}."),
        Rule::Maximum(max) => format!("The {attribute} field must not be greater than {max}."),
        Rule::ExclusiveMinimum(min) => format!("The {attribute} field must be greater than {min}."),
        Rule::ExclusiveMaximum(max) => format!("The {attribute} field must be less than {max}."),
        Rule::MinLength(n) => format!("The {attribute} field must be at least {n} characters."),
        Rule::MaxLength(n) => format!("The {attribute} field must not be greater than {n} characters."),
        Rule::MinItems(n) => format!("The {attribute} field must have at least {n} items."),
        Rule::MaxItems(n) => format!("The {attribute} field must not have more than {n} items."),
        Rule::Pattern(_) => format!("The {attribute} field format is invalid."),
        // Not under Laravel's settings (the last repeat wins); said plainly
        // for a server built with other settings.
        Rule::Repeated => format!("The {attribute} field must be sent once."),
        Rule::InvalidDefault(error) => format!("The default of the {attribute} field is invalid: {error}."),
        Rule::Body(error) => format!("The request body is invalid: {error}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(name: &str, rule: Rule) -> Problem {
        Problem { name: name.into(), location: Location::Query, member: None, rule, value: None }
    }

    #[test]
    fn laravel_sentences_and_the_summary_message() {
        let body = validation(&[problem("per_page", Rule::Minimum(1.0)), problem("filter[archived]", Rule::Type(Expected::Boolean))]);
        assert_eq!(body.message, "The filter.archived field must be true or false. (and 1 more error)");
        assert_eq!(body.errors["per_page"], ["The per page field must be at least 1."]);
        let json = serde_json::to_string(&body).unwrap();
        assert!(json.starts_with(r#"{"message":"#), "Laravel writes the message first: {json}");
    }
}
