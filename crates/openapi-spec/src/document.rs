//! Reading the document as every consumer needs it: values with their
//! pointers ([`Loc`]), one `$ref` resolver that ends on cycles, and one
//! iterator over operations with the path item's parameters merged in.

use serde_json::Value;

use crate::pointer::child;

/// The HTTP methods of a path item, in the order OpenAPI lists them.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Bounds the `$ref` chains followed, so that a cycle ends.
pub const MAX_REF_DEPTH: usize = 32;

/// A value of one document and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Loc<'a> {
    /// The value.
    pub value: &'a Value,
    /// Its RFC 6901 pointer.
    pub pointer: String,
}

impl<'a> Loc<'a> {
    /// `value` at `pointer`.
    pub fn new(value: &'a Value, pointer: impl Into<String>) -> Self {
        Loc { value, pointer: pointer.into() }
    }

    /// The document itself.
    pub fn root(doc: &'a Value) -> Self {
        Loc::new(doc, "")
    }

    /// The member `key` of this object, if any.
    pub fn get(&self, key: &str) -> Option<Loc<'a>> {
        self.value.get(key).map(|value| Loc::new(value, child(&self.pointer, key)))
    }

    /// The string member `key`, if any.
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.value.get(key).and_then(Value::as_str)
    }

    /// Whether the member `key` is `true`.
    pub fn flag(&self, key: &str) -> bool {
        self.value.get(key) == Some(&Value::Bool(true))
    }

    /// The members of this object (empty if it is not one).
    pub fn entries(&self) -> impl Iterator<Item = (&'a String, Loc<'a>)> + '_ {
        self.value.as_object().into_iter().flatten().map(|(key, value)| (key, Loc::new(value, child(&self.pointer, key))))
    }

    /// The items of this array (empty if it is not one).
    pub fn items(&self) -> impl Iterator<Item = Loc<'a>> + '_ {
        self.value.as_array().into_iter().flatten().enumerate().map(|(i, value)| Loc::new(value, child(&self.pointer, i.to_string())))
    }

    /// The members of the object at `key` (empty if there is none).
    pub fn entries_at(&self, key: &str) -> Vec<(&'a String, Loc<'a>)> {
        self.get(key).map(|at| at.entries().collect()).unwrap_or_default()
    }

    /// The items of the array at `key` (empty if there is none).
    pub fn items_at(&self, key: &str) -> Vec<Loc<'a>> {
        self.get(key).map(|at| at.items().collect()).unwrap_or_default()
    }
}

/// The target of a local `$ref` (`#/components/...`), with its pointer.
pub fn target<'a>(doc: &'a Value, reference: &str) -> Option<Loc<'a>> {
    let pointer = reference.strip_prefix('#')?;
    doc.pointer(pointer).map(|value| Loc::new(value, pointer))
}

/// An object that may be a `$ref` (parameter, request body, response,
/// header, schema), resolved through any chain of references. A chain
/// that does not resolve, or loops, ends at its last resolvable object.
pub fn resolve<'a>(doc: &'a Value, loc: Loc<'a>) -> Loc<'a> {
    let mut loc = loc;
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..MAX_REF_DEPTH {
        let Some(reference) = loc.str("$ref") else { break };
        if seen.iter().any(|s| s == reference) {
            break;
        }
        seen.push(reference.to_owned());
        match target(doc, reference) {
            Some(next) => loc = next,
            None => break,
        }
    }
    loc
}

/// The component name of a `#/components/schemas/Name` reference.
pub fn schema_ref_name(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/")
}

/// One operation of the document.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// `get`, `post`, ...
    pub method: &'static str,
    /// The path template as written (`/items/{id}`).
    pub path: &'a str,
    /// The path item.
    pub item: Loc<'a>,
    /// The operation object.
    pub loc: Loc<'a>,
}

impl<'a> Operation<'a> {
    /// `GET /items/{id}`.
    pub fn key(&self) -> String {
        format!("{} {}", self.method.to_ascii_uppercase(), self.path)
    }

    /// `GET /items/{id} (get_item)`, or the key when there is no `operationId`.
    pub fn label(&self) -> String {
        match self.loc.str("operationId") {
            Some(id) => format!("{} ({id})", self.key()),
            None => self.key(),
        }
    }

    /// Its parameters: the path item's, overridden by the operation's own
    /// (same location and name), each resolved.
    pub fn parameters(&self, doc: &'a Value) -> Vec<Parameter<'a>> {
        let mut found: Vec<Parameter<'a>> = Vec::new();
        for owner in [&self.item, &self.loc] {
            for entry in owner.items_at("parameters") {
                let parameter = Parameter::new(entry.pointer.clone(), resolve(doc, entry));
                found.retain(|p| !p.same(&parameter));
                found.push(parameter);
            }
        }
        found
    }
}

/// Every operation of the document, in document order.
pub fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let mut found = Vec::new();
    for (path, item) in Loc::root(doc).entries_at("paths") {
        let item = resolve(doc, item);
        for method in METHODS {
            if let Some(loc) = item.get(method) {
                found.push(Operation { method, path, item: item.clone(), loc });
            }
        }
    }
    found
}

/// One parameter of an operation.
#[derive(Debug, Clone)]
pub struct Parameter<'a> {
    /// `name`.
    pub name: &'a str,
    /// `in`: `path`, `query`, `header` or `cookie`.
    pub location: &'a str,
    /// The entry in the `parameters` list (may be a `$ref`).
    pub entry: String,
    /// The parameter object, resolved.
    pub loc: Loc<'a>,
}

impl<'a> Parameter<'a> {
    fn new(entry: String, loc: Loc<'a>) -> Self {
        Parameter { name: loc.str("name").unwrap_or_default(), location: loc.str("in").unwrap_or_default(), entry, loc }
    }

    /// Whether it is `required`.
    pub fn required(&self) -> bool {
        self.loc.flag("required")
    }

    /// Same location and name (header names are case-insensitive).
    pub fn same(&self, other: &Parameter<'_>) -> bool {
        self.location == other.location
            && if self.location == "header" { self.name.eq_ignore_ascii_case(other.name) } else { self.name == other.name }
    }

    /// `query parameter `page``.
    pub fn describe(&self) -> String {
        format!("{} parameter `{}`", self.location, self.name)
    }

    /// Its schema, or that of its `content` media type.
    pub fn schema(&self) -> Option<Loc<'a>> {
        self.loc.get("schema").or_else(|| self.loc.entries_at("content").first()?.1.get("schema"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ref_cycle_ends() {
        let doc = serde_json::json!({"components": {"parameters": {
            "A": {"$ref": "#/components/parameters/B"},
            "B": {"$ref": "#/components/parameters/A"},
        }}});
        let start = Loc::new(&doc["components"]["parameters"]["A"], "/components/parameters/A");
        assert!(resolve(&doc, start).value.get("$ref").is_some());
    }

    #[test]
    fn operation_parameters_override_the_path_items() {
        let doc = serde_json::json!({"paths": {"/a/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true}, {"name": "X-Trace", "in": "header"}],
            "get": {"operationId": "get_a", "parameters": [{"$ref": "#/components/parameters/Trace"}]},
        }}, "components": {"parameters": {"Trace": {"name": "x-trace", "in": "header", "required": true}}}});
        let operations = operations(&doc);
        assert_eq!(operations.len(), 1);
        assert_eq!(operations[0].label(), "GET /a/{id} (get_a)");
        let parameters = operations[0].parameters(&doc);
        let names: Vec<(&str, bool, &str)> = parameters.iter().map(|p| (p.name, p.required(), p.entry.as_str())).collect();
        assert_eq!(names, [("id", true, "/paths/~1a~1{id}/parameters/0"), ("x-trace", true, "/paths/~1a~1{id}/get/parameters/0")]);
    }
}
