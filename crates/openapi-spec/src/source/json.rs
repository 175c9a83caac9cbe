//! JSON text (RFC 8259) to a JSON value and its source map, in one pass.
//!
//! Written beside serde_json rather than on top of it because serde_json
//! says nothing of where a value is written; string escapes are still
//! decoded by serde_json. The reader keeps its own stack instead of
//! recursing, so nesting depth is bounded by memory, not by the thread's
//! stack (serde_json stops at 128 levels). Numbers are kept as written
//! where 64 bits hold them, else as the nearest float, as JSON readers do
//! (`1e400` as the largest float of its sign).

use serde_json::{Map, Number, Value};

use super::{Position, SourceMap, SyntaxError};
use crate::pointer::child;

/// Parses JSON `text` into its JSON value and its source map.
pub(super) fn parse(text: &str) -> Result<(Value, SourceMap), SyntaxError> {
    let mut reader = Reader { text, bytes: text.as_bytes(), at: 0, cursor: Cursor::default(), map: SourceMap::default() };
    let value = reader.document()?;
    Ok((value, reader.map))
}

/// The line and column of a byte offset, counted forward from the last one
/// asked (positions are asked in increasing order: one pass over the text
/// in all, even when the whole document is on one line).
#[derive(Default)]
struct Cursor {
    byte: usize,
    line: usize,
    column: usize,
}

impl Cursor {
    fn advance(&mut self, text: &str, to: usize) -> Position {
        if self.line == 0 || to < self.byte {
            // Only an error is located behind the cursor: count again.
            *self = Cursor { byte: 0, line: 1, column: 1 };
        }
        // Bytes, not chars: a column counts the bytes that start a character.
        for byte in &text.as_bytes()[self.byte..to] {
            if *byte == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if byte & 0xc0 != 0x80 {
                self.column += 1;
            }
        }
        self.byte = to;
        Position { line: self.line, column: self.column }
    }
}

/// A container being read, with its key in the source map.
enum Frame {
    Array { items: Vec<Value>, key: u64 },
    /// `member`: the member whose value is being read.
    Object { members: Map<String, Value>, key: u64, member: Option<String> },
}

/// A problem at a byte offset; the pointer is added by the caller, who
/// knows where the reader is.
type Problem = (usize, String);

/// The pointer of the value being read: the containers' open members and
/// items (built only for an error message).
fn pointer_of(stack: &[Frame]) -> String {
    let mut pointer = String::new();
    for frame in stack {
        match frame {
            Frame::Array { items, .. } => pointer = child(&pointer, items.len().to_string()),
            Frame::Object { member: Some(name), .. } => pointer = child(&pointer, name),
            Frame::Object { member: None, .. } => {}
        }
    }
    pointer
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    cursor: Cursor,
    map: SourceMap,
}

impl Reader<'_> {
    fn position(&mut self, at: usize) -> Position {
        self.cursor.advance(self.text, at)
    }

    fn error(&mut self, stack: &[Frame], (at, message): Problem) -> SyntaxError {
        let position = self.position(at.min(self.text.len()));
        SyntaxError {
            pointer: pointer_of(stack),
            position: Some(position),
            message: format!("not valid JSON: {message} at line {} column {}", position.line, position.column),
        }
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.bytes.get(self.at).copied()
    }

    fn document(&mut self) -> Result<Value, SyntaxError> {
        if self.text.starts_with('\u{feff}') {
            self.at = '\u{feff}'.len_utf8();
        }
        self.map.insert(SourceMap::root(), Position { line: 1, column: 1 });
        let mut stack: Vec<Frame> = Vec::new();
        // The key of the value about to be read.
        let mut key = SourceMap::root();
        loop {
            let value = match self.peek() {
                Some(b'{') => {
                    self.at += 1;
                    if self.peek() == Some(b'}') {
                        self.at += 1;
                        Value::Object(Map::new())
                    } else {
                        let name = self.key(key).map_err(|p| self.error(&stack, p))?;
                        let container = key;
                        key = SourceMap::child(container, &name);
                        stack.push(Frame::Object { members: Map::new(), key: container, member: Some(name) });
                        continue;
                    }
                }
                Some(b'[') => {
                    self.at += 1;
                    if self.peek() == Some(b']') {
                        self.at += 1;
                        Value::Array(Vec::new())
                    } else {
                        let container = key;
                        key = SourceMap::child(container, "0");
                        let position = self.position(self.at);
                        self.map.insert(key, position);
                        stack.push(Frame::Array { items: Vec::new(), key: container });
                        continue;
                    }
                }
                _ => self.scalar().map_err(|p| self.error(&stack, p))?,
            };
            // The value is complete: close every container it completes.
            let mut value = value;
            loop {
                let Some(frame) = stack.last_mut() else {
                    if self.peek().is_some() {
                        return Err(self.error(&stack, (self.at, "unexpected text after the document".into())));
                    }
                    return Ok(value);
                };
                match frame {
                    Frame::Array { items, key: container } => {
                        let container = *container;
                        // Looked at before the item is kept: an error then
                        // names the item just read (its index is the count).
                        let next = self.peek();
                        if !matches!(next, Some(b',' | b']')) {
                            return Err(self.error(&stack, (self.at, "expected `,` or `]`".into())));
                        }
                        items.push(value);
                        self.at += 1;
                        if next == Some(b',') {
                            self.skip_space();
                            key = SourceMap::child(container, &items.len().to_string());
                            let position = self.position(self.at);
                            self.map.insert(key, position);
                            break;
                        }
                        let Some(Frame::Array { items, .. }) = stack.pop() else { unreachable!() };
                        value = Value::Array(items);
                    }
                    Frame::Object { members, key: container, member } => {
                        let container = *container;
                        members.insert(member.take().expect("a member's key is read before its value"), value);
                        match self.peek() {
                            Some(b',') => {
                                self.at += 1;
                                let name = self.key(container).map_err(|p| self.error(&stack, p))?;
                                let Some(Frame::Object { members, member, .. }) = stack.last_mut() else { unreachable!() };
                                if members.contains_key(&name) {
                                    *member = Some(name.clone());
                                    let pointer = pointer_of(&stack);
                                    let at = self.map.position(&pointer);
                                    return Err(SyntaxError { pointer, position: at, message: format!("duplicate key `{name}`") });
                                }
                                key = SourceMap::child(container, &name);
                                *member = Some(name);
                                break;
                            }
                            Some(b'}') => {
                                self.at += 1;
                                let Some(Frame::Object { members, .. }) = stack.pop() else { unreachable!() };
                                value = Value::Object(members);
                            }
                            _ => return Err(self.error(&stack, (self.at, "expected `,` or `}`".into()))),
                        }
                    }
                }
            }
        }
    }

    /// A member's key and its `:`, the key located in the map.
    fn key(&mut self, container: u64) -> Result<String, Problem> {
        if self.peek() != Some(b'"') {
            return Err((self.at, "expected a string key".into()));
        }
        let start = self.at;
        let name = self.string()?;
        let position = self.position(start);
        self.map.insert(SourceMap::child(container, &name), position);
        if self.peek() != Some(b':') {
            return Err((self.at, "expected `:` after a key".into()));
        }
        self.at += 1;
        Ok(name)
    }

    fn scalar(&mut self) -> Result<Value, Problem> {
        let rest = &self.bytes[self.at..];
        for (word, value) in [(&b"true"[..], Value::Bool(true)), (b"false", Value::Bool(false)), (b"null", Value::Null)] {
            if rest.starts_with(word) {
                self.at += word.len();
                return Ok(value);
            }
        }
        match rest.first() {
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err((self.at, "expected a value".into())),
            None => Err((self.at, "unexpected end".into())),
        }
    }

    /// A string at `self.at` (its opening quote); escapes decoded.
    fn string(&mut self) -> Result<String, Problem> {
        let start = self.at;
        let mut end = start + 1;
        let mut escaped = false;
        loop {
            match self.bytes.get(end) {
                None => return Err((start, "a string is not closed".into())),
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    end += 2;
                }
                Some(0..=0x1f) => return Err((end, "a control character must be escaped in a string".into())),
                Some(_) => end += 1,
            }
        }
        self.at = end + 1;
        let body = &self.text[start + 1..end];
        if !escaped {
            return Ok(body.to_owned());
        }
        unescape(body).map_err(|message| (start, message))
    }

    fn number(&mut self) -> Result<Value, Problem> {
        let start = self.at;
        let digits = |bytes: &[u8], from: usize| from + bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
        let mut end = start + usize::from(self.bytes[start] == b'-');
        let whole = digits(self.bytes, end);
        let integer = whole > end && (self.bytes[end] != b'0' || whole == end + 1);
        end = whole;
        let mut fraction = true;
        if self.bytes.get(end) == Some(&b'.') {
            let after = digits(self.bytes, end + 1);
            fraction = after > end + 1;
            end = after;
        }
        let mut exponent = true;
        if let Some(b'e' | b'E') = self.bytes.get(end) {
            end += 1;
            if let Some(b'+' | b'-') = self.bytes.get(end) {
                end += 1;
            }
            let after = digits(self.bytes, end);
            exponent = after > end;
            end = after;
        }
        if !(integer && fraction && exponent) {
            return Err((start, format!("`{}` is not a JSON number", &self.text[start..end.max(start + 1)])));
        }
        self.at = end;
        Ok(Value::Number(number(&self.text[start..end])))
    }
}

/// A JSON number's text as serde_json holds it: an integer where 64 bits
/// hold it, else the nearest float (clamped to the largest finite one).
fn number(text: &str) -> Number {
    if !text.contains(['.', 'e', 'E']) {
        if let Ok(n) = text.parse::<i64>() {
            return n.into();
        }
        if let Ok(n) = text.parse::<u64>() {
            return n.into();
        }
    }
    let float: f64 = text.parse().expect("a JSON number is a float's text");
    let finite = if float.is_finite() { float } else { f64::MAX.copysign(float) };
    Number::from_f64(finite).expect("a finite float is a JSON number")
}

/// A string body's escapes decoded. serde_json decodes every valid escape,
/// surrogate pairs included; a lone surrogate (valid JSON text, but no
/// character) becomes U+FFFD, as browsers' and most JSON readers' do.
fn unescape(body: &str) -> Result<String, String> {
    let quoted = format!("\"{body}\"");
    // serde_json refuses a lone surrogate; the slower decoder below keeps
    // it as U+FFFD and names an escape that is invalid for any reader.
    serde_json::from_str::<String>(&quoted).or_else(|_| decode_utf16_escapes(body))
}

fn decode_utf16_escapes(body: &str) -> Result<String, String> {
    let units: Vec<u16> = {
        let mut units = Vec::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                let mut buffer = [0u16; 2];
                units.extend_from_slice(c.encode_utf16(&mut buffer));
                continue;
            }
            let escaped = match chars.next() {
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    u16::from_str_radix(&hex, 16).map_err(|_| format!("`\\u{hex}` is not a unicode escape"))?
                }
                Some(c @ ('"' | '\\' | '/')) => c as u16,
                Some('b') => 0x08,
                Some('f') => 0x0c,
                Some('n') => 0x0a,
                Some('r') => 0x0d,
                Some('t') => 0x09,
                other => return Err(format!("`\\{}` is not a JSON escape", other.unwrap_or(' '))),
            };
            units.push(escaped);
        }
        units
    };
    Ok(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::at;
    use super::*;

    #[test]
    fn members_are_located_at_their_key_and_items_at_their_start() {
        let text = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\"/a/{id}\": {\"get\": {\"parameters\": [\n    {\"name\": \"id\"}, {\"$ref\": \"#/x\"}]}}}\n}\n";
        let (value, map) = parse(text).unwrap();
        assert_eq!(value["paths"]["/a/{id}"]["get"]["parameters"][1]["$ref"], "#/x");
        assert_eq!(at(&map, "/openapi"), (2, 3));
        assert_eq!(at(&map, "/paths"), (3, 3));
        assert_eq!(at(&map, "/paths/~1a~1{id}/get"), (3, 25));
        assert_eq!(at(&map, "/paths/~1a~1{id}/get/parameters/0"), (4, 5));
        assert_eq!(at(&map, "/paths/~1a~1{id}/get/parameters/1"), (4, 21));
        assert_eq!(at(&map, "/paths/~1a~1{id}/get/parameters/1/$ref"), (4, 22));
    }

    #[test]
    fn surrogate_pairs_and_every_escape_are_decoded() {
        // YAML readers refuse this line; JSON allows it.
        let (value, _) = parse(r#"{"body": "Hello! \ud83d\udc4d", "e": "\"\\\/\b\f\n\r\t\u00e9"}"#).unwrap();
        assert_eq!(value["body"], "Hello! 👍");
        assert_eq!(value["e"], "\"\\/\u{8}\u{c}\n\r\té");
        // A lone surrogate is valid JSON text; it reads as U+FFFD.
        let (value, _) = parse(r#"{"lone": "a\ud83db", "key\u00e9": 1}"#).unwrap();
        assert_eq!(value["lone"], "a\u{fffd}b");
        assert_eq!(value["keyé"], 1);
    }

    #[test]
    fn numbers_of_any_size_are_read() {
        let (value, _) = parse(r#"[0, -1, 9223372036854775807, 18446744073709551615, 123456789012345678901234567890, 1.5e3, -0.0, 1e400, -1e400]"#).unwrap();
        assert_eq!(value[0], 0);
        assert_eq!(value[2], i64::MAX);
        assert_eq!(value[3], u64::MAX);
        assert_eq!(value[4].as_f64(), Some(1.2345678901234568e29));
        assert_eq!(value[5].as_f64(), Some(1500.0));
        assert_eq!(value[7].as_f64(), Some(f64::MAX));
        assert_eq!(value[8].as_f64(), Some(-f64::MAX));
        for bad in ["[01]", "[1.]", "[.5]", "[1e]", "[-]", "[+1]"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn nesting_is_bounded_by_memory_not_by_the_stack() {
        // serde_json stops at 128 levels; deeper documents are valid JSON.
        let depth = 3000;
        let text = "[".repeat(depth) + &"]".repeat(depth);
        let (value, map) = parse(&text).unwrap();
        assert_eq!(value.pointer(&"/0".repeat(depth - 1)), Some(&json!([])));
        assert_eq!(at(&map, &"/0".repeat(depth - 1)), (1, depth));
        let text = "{\"a\":".repeat(1000) + "1" + &"}".repeat(1000);
        assert!(parse(&text).is_ok());
    }

    #[test]
    fn one_line_documents_are_located_by_column() {
        let text = format!("{{\"pad\": \"{}\", \"é\": {{\"x\": [1, 2]}}}}", "y".repeat(10_000));
        let (_, map) = parse(&text).unwrap();
        assert_eq!(at(&map, "/é"), (1, 10_013));
        assert_eq!(at(&map, "/é/x/1"), (1, 10_028));
    }

    #[test]
    fn errors_name_the_place() {
        let error = parse("{\"a\": 1,\n \"b\": [1 2]}").unwrap_err();
        assert_eq!(error.position, Some(Position { line: 2, column: 10 }));
        assert_eq!(error.pointer, "/b/0");
        assert!(error.message.starts_with("not valid JSON: expected `,` or `]`"), "{error:?}");
        let duplicate = parse("{\"a\": 1,\n \"a\": 2}").unwrap_err();
        assert_eq!((duplicate.pointer.as_str(), duplicate.position), ("/a", Some(Position { line: 2, column: 2 })));
        assert!(parse("{\"a\": \"x\ny\"}").is_err(), "a raw newline in a string");
        assert!(parse("{\"a\": \"\\x\"}").is_err());
        assert!(parse("{\"a\": 1} x").is_err());
        assert!(parse("{\"a\": tru}").is_err());
        assert!(parse("{\"a\": 1").is_err());
    }

    #[test]
    fn a_byte_order_mark_and_white_space_are_skipped() {
        let (value, _) = parse("\u{feff} \n{\"a\": [true, false, null]}\n").unwrap();
        assert_eq!(value, json!({"a": [true, false, null]}));
    }
}
