//! JSON pointers (RFC 6901), written once for every reader of the document.

/// Escapes one reference token.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Reads one escaped reference token back.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `pointer` with one more token.
pub fn child(pointer: &str, token: impl AsRef<str>) -> String {
    format!("{pointer}/{}", escape(token.as_ref()))
}

/// The unescaped tokens of a pointer (`""` has none).
pub fn tokens(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(unescape).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        let pointer = child(&child("", "paths"), "/a/{b}~c");
        assert_eq!(pointer, "/paths/~1a~1{b}~0c");
        assert_eq!(tokens(&pointer), ["paths", "/a/{b}~c"]);
        assert!(tokens("").is_empty());
    }
}
