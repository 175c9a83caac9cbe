//! What went wrong, in plain words, and the exit code a script can test.

use popsell_client::ApiError;

/// Exit codes (documented in `popsell --help`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// The reader of stdout closed it (`popsell … | head`): it has what it
    /// wanted, so this is not a failure.
    ReaderGone = 0,
    /// A flag is missing or malformed (clap's own code).
    Usage = 2,
    /// A parameter is outside what the spec allows; nothing was sent.
    InvalidRequest = 3,
    /// 401 or 403: the token or the brand.
    Credentials = 4,
    /// 422: the server refused a parameter.
    Validation = 5,
    /// Another status, or a response that does not match the spec.
    Server = 6,
    /// The server could not be reached.
    Transport = 7,
    /// The output could not be written (other than a closed pipe).
    Output = 8,
}

pub const EXIT_CODES: &str = "Exit codes: 0 success; 2 usage; 3 a parameter outside the spec (nothing sent); \
4 credentials refused (401, 403); 5 parameters refused by the server (422); 6 another error status or an \
unexpected response; 7 the server could not be reached; 8 the output could not be written.";

#[derive(Debug)]
pub struct Failure {
    pub code: Code,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure { code: Code::Usage, message: message.into() }
    }
}

/// The message and exit code of an API error; `base_url` names where the
/// request went (the token never appears).
pub fn describe(error: &ApiError, base_url: &str) -> Failure {
    let request_id = error.request_id().map(|id| format!(" (request id {id})")).unwrap_or_default();
    let (code, message) = match error {
        ApiError::Unauthorized { body, .. } => {
            (Code::Credentials, format!("401 Unauthorized: check POPSELL_TOKEN (or --token): {}{request_id}", body.message))
        }
        ApiError::Forbidden { body, .. } => (
            Code::Credentials,
            format!("403 Forbidden: the token may not act in this brand (POPSELL_BRAND) or see this ambassador: {}{request_id}", body.message),
        ),
        ApiError::Validation { body, .. } => {
            let fields: Vec<String> = body.errors.iter().map(|(field, messages)| format!("  {field}: {}", messages.join(" "))).collect();
            (Code::Validation, format!("422 the server refused the parameters: {}{request_id}\n{}", body.message, fields.join("\n")))
        }
        ApiError::Status { status, body, .. } => (Code::Server, format!("{status}: {}{request_id}", body.message)),
        ApiError::Decode { source, .. } => (Code::Server, format!("the response from {base_url} does not match the spec: {source}")),
        ApiError::Transport(source) => (Code::Transport, format!("cannot reach {base_url}: {source}")),
        ApiError::InvalidRequest(message) => (Code::InvalidRequest, format!("invalid parameter: {message} (nothing was sent)")),
        other => (Code::Server, other.to_string()),
    };
    Failure { code, message: message.trim_end().to_owned() }
}
