//! Decodes JSON files as `ChatroomPage`s, as the client does: one line per
//! file, `ok`, `calendar <path>: <value>` (a timestamp the spec's pattern
//! admits but no calendar has, like 30 February), or `error <path>:
//! <message>`. Used by `cargo xtask contract` on bodies Prism generates
//! from the spec.
//!
//! `cargo run -p popsell-types --example decode_pages -- FILE...`

use std::process::ExitCode;

use popsell_types::ChatroomPage;

fn main() -> ExitCode {
    let mut failed = false;
    for file in std::env::args().skip(1) {
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) => {
                println!("{file}: error: cannot read: {e}");
                failed = true;
                continue;
            }
        };
        let mut json = serde_json::Deserializer::from_str(&text);
        match serde_path_to_error::deserialize::<_, ChatroomPage>(&mut json) {
            Ok(_) => println!("{file}: ok"),
            Err(e) => {
                let path = e.path().to_string();
                let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                let at = pointer(&path);
                let found = value.pointer(&at).cloned().unwrap_or_default();
                if path.ends_with("established_dialogue") && calendar_only(&found) {
                    println!("{file}: calendar {path}: {found}");
                } else {
                    println!("{file}: error {path}: {}", e.inner());
                    failed = true;
                }
            }
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// `data[0].established_dialogue` as a JSON pointer.
fn pointer(path: &str) -> String {
    path.split('.').flat_map(|part| part.split(['[', ']'])).filter(|t| !t.is_empty()).map(|t| format!("/{t}")).collect()
}

/// A string of the spec's LaravelDateTime shape and ranges that the type
/// refused: a date the calendar does not have.
fn calendar_only(value: &serde_json::Value) -> bool {
    let Some(text) = value.as_str() else { return false };
    let digits = |range: std::ops::Range<usize>| text.get(range).and_then(|s| s.parse::<u32>().ok());
    text.len() >= 19
        && digits(5..7).is_some_and(|m| (1..=12).contains(&m))
        && digits(8..10).is_some_and(|d| (1..=31).contains(&d))
        && digits(11..13).is_some_and(|h| h <= 23)
        && digits(14..16).is_some_and(|m| m <= 59)
        && digits(17..19).is_some_and(|s| s <= 59)
}
