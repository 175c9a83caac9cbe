//! YAML text to a JSON value and its source map, in one pass of one
//! parser (saphyr's).
//!
//! Scalars are read with the YAML 1.2 core schema (what `serde_yaml` and
//! most OpenAPI tools do): plain `true`, `12`, `1.5`, `null`/`~` are typed,
//! quoted and block scalars are strings. Mapping keys are kept as written
//! (`200:` is the key `"200"`), as OpenAPI means them.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};

use super::{Position, SourceMap, SyntaxError};
use crate::pointer::child;

/// Parses YAML `text` into its JSON value and its source map.
///
/// One leniency, that of libyaml (PyYAML, Go's yaml.v3, Ruby's Psych,
/// hence of most tools that publish OpenAPI documents): the continuation
/// lines of a quoted scalar may be indented less than YAML 1.2 asks
/// (a multi-line `example: '...` whose closing quote is at column 1).
/// Leading white space of such lines is folded away, so the text is read
/// as if they were indented enough: same value, same line numbers.
pub(super) fn parse(text: &str) -> Result<(Value, SourceMap), SyntaxError> {
    let mut text = std::borrow::Cow::Borrowed(text);
    // One scalar is mended per attempt; real documents have a few.
    for _ in 0..64 {
        match parse_strictly(&text) {
            Err(error) if error.message.contains("invalid indentation in quoted scalar") => {
                let Some(mended) = error.position.and_then(|at| indent_quoted_scalar(&text, at)) else { return Err(error) };
                text = std::borrow::Cow::Owned(mended);
            }
            parsed => return parsed,
        }
    }
    parse_strictly(&text)
}

/// `text` with the continuation lines of the quoted scalar that starts at
/// `at` indented to its column; `None` when no quoted scalar starts there.
fn indent_quoted_scalar(text: &str, at: Position) -> Option<String> {
    let line_start = text.split_inclusive('\n').take(at.line - 1).map(str::len).sum::<usize>();
    let open = line_start + text[line_start..].char_indices().nth(at.column - 1)?.0;
    let quote = text[open..].chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    // The closing quote: `''` is a quote inside single quotes, `\"` inside double.
    let bytes = text.as_bytes();
    let mut end = open + 1;
    loop {
        match bytes.get(end)? {
            b'\'' if quote == '\'' && bytes.get(end + 1) == Some(&b'\'') => end += 2,
            b'\\' if quote == '"' => end += 2,
            byte if *byte == quote as u8 => break,
            _ => end += 1,
        }
    }
    let indent = " ".repeat(at.column);
    let mut mended = String::with_capacity(text.len() + 1024);
    mended.push_str(&text[..open]);
    for (i, line) in text[open..=end].split_inclusive('\n').enumerate() {
        if i > 0 && !line.trim().is_empty() && line.len() - line.trim_start_matches(' ').len() < at.column {
            mended.push_str(&indent);
            mended.push_str(line.trim_start_matches(' '));
        } else {
            mended.push_str(line);
        }
    }
    mended.push_str(&text[end + 1..]);
    Some(mended)
}

fn parse_strictly(text: &str) -> Result<(Value, SourceMap), SyntaxError> {
    let mut reader = Reader { events: Parser::new_from_str(text), anchors: HashMap::new(), map: SourceMap::default() };
    let value = reader.document()?;
    Ok((value, reader.map))
}

fn position(span: &Span) -> Position {
    Position { line: span.start.line(), column: span.start.col() + 1 }
}

struct Reader<'a> {
    events: Parser<'a, saphyr_parser::StrInput<'a>>,
    /// Values of anchored nodes, for their aliases.
    anchors: HashMap<usize, Value>,
    map: SourceMap,
}

impl<'a> Reader<'a> {
    fn next(&mut self, pointer: &str) -> Result<(Event<'a>, Span), SyntaxError> {
        match self.events.next_event() {
            Some(Ok(event)) => Ok(event),
            Some(Err(error)) => {
                let at = Position { line: error.marker().line(), column: error.marker().col() + 1 };
                Err(SyntaxError {
                    pointer: pointer.to_owned(),
                    position: Some(at),
                    message: format!("not valid YAML: {} at line {} column {}", error.info(), at.line, at.column),
                })
            }
            None => Err(SyntaxError { pointer: pointer.to_owned(), position: None, message: "not valid YAML: unexpected end".into() }),
        }
    }

    fn document(&mut self) -> Result<Value, SyntaxError> {
        self.map.insert(SourceMap::root(), Position { line: 1, column: 1 });
        let mut value = None;
        loop {
            let (event, span) = self.next("")?;
            match event {
                Event::StreamStart | Event::DocumentEnd => {}
                Event::DocumentStart(_) if value.is_some() => {
                    return Err(SyntaxError {
                        pointer: String::new(),
                        position: Some(position(&span)),
                        message: "the file holds more than one YAML document".into(),
                    });
                }
                Event::DocumentStart(_) => {
                    let (event, span) = self.next("")?;
                    value = Some(self.node(event, span, "")?);
                }
                Event::StreamEnd => return Ok(value.unwrap_or(Value::Null)),
                _ => unreachable!("the parser emits nodes inside documents only"),
            }
        }
    }

    /// The node starting with `event`, at `pointer`.
    fn node(&mut self, event: Event<'a>, span: Span, pointer: &str) -> Result<Value, SyntaxError> {
        let error = |message: String| SyntaxError { pointer: pointer.to_owned(), position: Some(position(&span)), message };
        let (value, anchor) = match event {
            Event::Alias(id) => {
                let value = self.anchors.get(&id).cloned().ok_or_else(|| error("an alias names no anchor".into()))?;
                (value, 0)
            }
            Event::Scalar(text, style, anchor, tag) => (scalar(&text, style, tag.as_deref()).map_err(error)?, anchor),
            Event::SequenceStart(anchor, tag) => {
                refuse_tag(tag.as_deref()).map_err(error)?;
                let mut items = Vec::new();
                loop {
                    let here = child(pointer, items.len().to_string());
                    let (event, span) = self.next(&here)?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    self.map.insert(SourceMap::key(&here), position(&span));
                    items.push(self.node(event, span, &here)?);
                }
                (Value::Array(items), anchor)
            }
            Event::MappingStart(anchor, tag) => {
                refuse_tag(tag.as_deref()).map_err(error)?;
                (Value::Object(self.mapping(pointer)?), anchor)
            }
            other => unreachable!("not the start of a node: {other:?}"),
        };
        if anchor != 0 {
            self.anchors.insert(anchor, value.clone());
        }
        Ok(value)
    }

    fn mapping(&mut self, pointer: &str) -> Result<Map<String, Value>, SyntaxError> {
        let mut object = Map::new();
        loop {
            let (event, span) = self.next(pointer)?;
            let key = match event {
                Event::MappingEnd => return Ok(object),
                // OpenAPI keys are strings: a scalar key is taken as written.
                Event::Scalar(text, ..) => text.into_owned(),
                Event::Alias(id) => match self.anchors.get(&id) {
                    Some(Value::String(text)) => text.clone(),
                    _ => return Err(self.key_error(pointer, &span)),
                },
                _ => return Err(self.key_error(pointer, &span)),
            };
            let here = child(pointer, &key);
            if object.contains_key(&key) {
                return Err(SyntaxError { pointer: here, position: Some(position(&span)), message: format!("duplicate key `{key}`") });
            }
            self.map.insert(SourceMap::key(&here), position(&span));
            let (event, value_span) = self.next(&here)?;
            let value = self.node(event, value_span, &here)?;
            object.insert(key, value);
        }
    }

    fn key_error(&self, pointer: &str, span: &Span) -> SyntaxError {
        SyntaxError { pointer: pointer.to_owned(), position: Some(position(span)), message: "a mapping key must be a scalar".into() }
    }
}

fn refuse_tag(tag: Option<&Tag>) -> Result<(), String> {
    match tag {
        Some(tag) if !tag.is_yaml_core_schema() => Err(format!("YAML tags are not supported (found {}{})", tag.handle, tag.suffix)),
        _ => Ok(()),
    }
}

/// A scalar by the YAML 1.2 core schema (or its explicit core tag).
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    refuse_tag(tag)?;
    let typed = |kind: &str| -> Result<Value, String> {
        let value = match kind {
            "str" => Some(Value::String(text.to_owned())),
            "null" => Some(Value::Null),
            "bool" => core_bool(text).map(Value::Bool),
            "int" => core_int(text),
            "float" => core_float(text).or_else(|| core_int(text)),
            _ => None,
        };
        value.ok_or_else(|| format!("`{text}` is not a valid !!{kind}"))
    };
    if let Some(tag) = tag {
        return typed(&tag.suffix);
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::String(text.to_owned()));
    }
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Ok(Value::Null);
    }
    if let Some(b) = core_bool(text) {
        return Ok(Value::Bool(b));
    }
    if let Some(number) = core_int(text).or_else(|| core_float(text)) {
        return Ok(number);
    }
    if is_special_float(text) {
        return Err(format!("`{text}` is not a number JSON can hold"));
    }
    Ok(Value::String(text.to_owned()))
}

fn core_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn core_int(text: &str) -> Option<Value> {
    let (digits, radix) = if let Some(hex) = text.strip_prefix("0x") {
        (hex, 16)
    } else if let Some(octal) = text.strip_prefix("0o") {
        (octal, 8)
    } else {
        (text, 10)
    };
    let unsigned = digits.strip_prefix(['-', '+']).unwrap_or(digits);
    if unsigned.is_empty() || !unsigned.chars().all(|c| c.is_digit(radix)) || (radix != 10 && unsigned.len() != digits.len()) {
        return None;
    }
    if let Ok(n) = i64::from_str_radix(digits.strip_prefix('+').unwrap_or(digits), radix) {
        return Some(Value::Number(n.into()));
    }
    if let Ok(n) = u64::from_str_radix(digits.strip_prefix('+').unwrap_or(digits), radix) {
        return Some(Value::Number(n.into()));
    }
    // Beyond 64 bits: kept as the nearest float, as JSON readers do.
    core_float(text)
}

fn core_float(text: &str) -> Option<Value> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => (digits(whole) || whole.is_empty()) && (fraction.is_empty() || digits(fraction)) && !(whole.is_empty() && fraction.is_empty()),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    if !mantissa_ok || !exponent_ok {
        return None;
    }
    text.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number)
}

fn is_special_float(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN")
}

#[cfg(test)]
mod tests {
    use super::super::at;
    use super::*;

    #[test]
    fn members_are_located_at_their_key_and_items_at_their_start() {
        let text = "openapi: 3.0.3\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n        - $ref: '#/x'\n";
        let (value, map) = parse(text).unwrap();
        assert_eq!(value["paths"]["/a/{id}"]["get"]["parameters"][1]["$ref"], "#/x");
        assert_eq!(at(&map, ""), (1, 1));
        assert_eq!(at(&map, "/paths"), (2, 1));
        assert_eq!(at(&map, "/paths/~1a~1{id}/get"), (4, 5));
        assert_eq!(at(&map, "/paths/~1a~1{id}/get/parameters/0"), (6, 11));
        assert_eq!(at(&map, "/paths/~1a~1{id}/get/parameters/0/in"), (7, 11));
        assert_eq!(at(&map, "/paths/~1a~1{id}/get/parameters/1/$ref"), (8, 11));
        // Not in the document: the nearest ancestor.
        assert_eq!(at(&map, "/paths/~1a~1{id}/get/parameters/0/schema/type"), (6, 11));
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let (value, _) = parse("a: 1\nb: '1'\nc: 1.5\nd: true\ne: ~\nf: yes\ng: 0x1F\nh: -3e2\n'200': x\ni: |\n  text\n").unwrap();
        assert_eq!(
            value,
            serde_json::json!({"a": 1, "b": "1", "c": 1.5, "d": true, "e": null, "f": "yes", "g": 31, "h": -300.0, "200": "x", "i": "text\n"})
        );
        let (value, _) = parse("200:\n  description: ok\n").unwrap();
        assert_eq!(value["200"]["description"], "ok");
    }

    #[test]
    fn a_quoted_scalar_indented_as_libyaml_allows_is_read() {
        // The closing quote at column 1: YAML 1.2 refuses it, libyaml (and
        // every tool built on it) reads it; seen in Xero's published document.
        let text = "paths:\n  a:\n    example: ' {\n        \"Id\": 1,\n  \"it''s\": 2 }\n'\n    next: x\n";
        assert!(parse_strictly(text).unwrap_err().message.contains("invalid indentation in quoted scalar"));
        let (value, map) = parse(text).unwrap();
        assert_eq!(value["paths"]["a"]["example"], " { \"Id\": 1, \"it's\": 2 } ");
        assert_eq!(at(&map, "/paths/a/next"), (7, 5));
        let double = "a:\n  b: \"x\n\\\" y\n\"\nc: 1\n";
        assert!(parse_strictly(double).is_err());
        let (value, _) = parse(double).unwrap();
        assert_eq!(value["a"]["b"], "x \" y ");
        assert_eq!(value["c"], 1);
    }

    #[test]
    fn json_is_yaml() {
        let (value, map) = parse("{\"a\": [1, {\"b\": null}],\n \"c\": \"d\"}").unwrap();
        assert_eq!(value, serde_json::json!({"a": [1, {"b": null}], "c": "d"}));
        assert_eq!(at(&map, "/c"), (2, 2));
    }

    #[test]
    fn aliases_repeat_their_anchor() {
        let (value, _) = parse("a: &x {b: 1}\nc: *x\n").unwrap();
        assert_eq!(value["c"]["b"], 1);
    }

    #[test]
    fn errors_name_the_place() {
        let error = parse("a: 1\nb: [1\n").unwrap_err();
        assert!(error.message.starts_with("not valid YAML:"), "{error:?}");
        let duplicate = parse("a: 1\nb:\n  c: 1\n  c: 2\n").unwrap_err();
        assert_eq!((duplicate.pointer.as_str(), duplicate.position), ("/b/c", Some(Position { line: 4, column: 3 })));
        assert_eq!(duplicate.message, "duplicate key `c`");
        let tagged = parse("a: !custom 1\n").unwrap_err();
        assert!(tagged.message.contains("YAML tags are not supported"), "{tagged:?}");
        assert!(parse("a: .inf\n").is_err());
        assert!(parse("a: 1\n---\nb: 2\n").is_err());
    }
}
