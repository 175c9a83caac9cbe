//! The server's OpenAPI document: the spec's own fragments set over what
//! utoipa built from the annotations, and statuses.

use axum::http::StatusCode;
use serde_json::Value;

/// Sets `fragments` (`{"paths": {path: {method: {parameters, requestBody,
/// responses}}}, "securitySchemes": {..}}`, OpenAPI 3.1) over `document`.
/// Fragments that do not fit utoipa's model leave the document as it
/// was (a generator bug the parity test finds).
pub fn patch_document(document: &mut utoipa::openapi::OpenApi, fragments: &str) {
    let (Ok(fragments), Ok(mut json)) = (serde_json::from_str::<Value>(fragments), serde_json::to_value(&*document)) else { return };
    for (path, item) in fragments.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(target) = json.get_mut("paths").and_then(|p| p.get_mut(path)).and_then(|i| i.get_mut(method)) else { continue };
            for (key, value) in operation.as_object().into_iter().flatten() {
                target[key.as_str()] = value.clone();
            }
        }
    }
    if let Some(schemes) = fragments.get("securitySchemes") {
        json["components"]["securitySchemes"] = schemes.clone();
    }
    if let Ok(patched) = serde_json::from_value(json) {
        *document = patched;
    }
}

/// The status `code` (a code outside 100..=999 is a 500).
pub fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// `status` if it is in the range `digit`XX, else 500: a response
/// documented as `4XX` is never sent as a 200.
pub fn status_in(status: StatusCode, digit: u16) -> StatusCode {
    if status.as_u16() / 100 == digit { status } else { StatusCode::INTERNAL_SERVER_ERROR }
}
