//! What a pointer designates, in words, for the reasons of changes:
//! `` `Item.tags[]` ``, `` parameter `id` ``, `` `(200 response).data[]` ``.

use openapi_spec::pointer::tokens;
use serde_json::Value;

/// [`subject`], worked out on first display: a name that most comparisons
/// never print.
pub(crate) struct Subject<'a> {
    doc: &'a Value,
    pointer: &'a str,
    text: std::cell::OnceCell<String>,
}

impl<'a> Subject<'a> {
    pub fn new(doc: &'a Value, pointer: &'a str) -> Self {
        Subject { doc, pointer, text: std::cell::OnceCell::new() }
    }
}

impl std::fmt::Display for Subject<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text.get_or_init(|| subject(self.doc, self.pointer)))
    }
}

pub(crate) fn subject(doc: &Value, pointer: &str) -> String {
    let tokens = tokens(pointer);
    let position = |token: &str| tokens.iter().position(|t| t == token).filter(|i| i + 1 < tokens.len());
    // How the pointer's start is named, and where the path below it starts.
    let (base, start) = if tokens.len() > 2 && tokens[0] == "components" && tokens[1] == "schemas" {
        (format!("`{}", tokens[2]), 3)
    } else if let Some(i) = position("parameters") {
        let parameter = doc.pointer(&pointer.split('/').take(i + 3).collect::<Vec<_>>().join("/"));
        let target = parameter.and_then(|p| p.get("$ref")).and_then(Value::as_str).and_then(|r| doc.pointer(r.strip_prefix('#')?));
        let name = target.or(parameter).and_then(|p| p.get("name")).and_then(Value::as_str).unwrap_or("?");
        (format!("parameter `{name}"), i + 2)
    } else if let Some(i) = position("headers") {
        (format!("header `{}", tokens[i + 1]), i + 2)
    } else if let Some(i) = position("requestBody") {
        ("`(request body)".to_owned(), i + 4)
    } else if let Some(i) = position("responses") {
        (format!("`({} response)", tokens[i + 1]), i + 5)
    } else {
        return format!("`{pointer}`");
    };
    let mut path = String::new();
    let mut i = start;
    while i < tokens.len() {
        match tokens[i].as_str() {
            "properties" if i + 1 < tokens.len() => {
                path.push('.');
                path.push_str(&tokens[i + 1]);
                i += 1;
            }
            "items" => path.push_str("[]"),
            "additionalProperties" => path.push_str("{}"),
            "allOf" | "anyOf" | "oneOf" => i += 1,
            _ => {}
        }
        i += 1;
    }
    format!("{base}{path}`")
}
