//! `pattern` keywords of parameters, compiled once each (ECMA-262 regular
//! expressions, as JSON Schema specifies, with `regress`).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

static COMPILED: LazyLock<Mutex<HashMap<&'static str, Option<regress::Regex>>>> = LazyLock::new(Default::default);

/// Whether `text` matches `pattern` (unanchored, as JSON Schema says). A
/// pattern that does not compile matches nothing: the generator checked
/// it, so this is not reached.
pub(crate) fn matches(pattern: &'static str, text: &str) -> bool {
    let mut compiled = COMPILED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let regex = compiled.entry(pattern).or_insert_with(|| regress::Regex::new(pattern).ok());
    regex.as_ref().is_some_and(|r| r.find(text).is_some())
}

#[cfg(test)]
mod tests {
    #[test]
    fn unanchored_ecma_patterns() {
        assert!(super::matches("^[a-z]+$", "abc"));
        assert!(!super::matches("^[a-z]+$", "ab1"));
        assert!(super::matches("b", "abc"));
    }
}
