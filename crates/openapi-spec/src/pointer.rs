//! JSON pointers (RFC 6901), written once for every reader of the document.

/// Escapes one reference token.
pub fn escape(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_escaped(&mut out, token);
    out
}

fn push_escaped(out: &mut String, token: &str) {
    if !token.contains(['~', '/']) {
        // Most tokens: nothing to escape, no intermediate strings.
        out.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Reads one escaped reference token back.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `pointer` with one more token.
pub fn child(pointer: &str, token: impl AsRef<str>) -> String {
    let token = token.as_ref();
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    out.push('/');
    push_escaped(&mut out, token);
    out
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
