//! Reading schemas as the comparison needs them: through `$ref`s and
//! nullable wrappers, with `allOf` members merged, and as a normalized
//! shape to compare two `$ref` targets.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::diagnostic::child;

/// Bounds the `$ref`/`allOf` chains followed, so that a cycle ends.
const MAX_DEPTH: usize = 32;

/// A value of one document and where it is.
#[derive(Debug, Clone)]
pub(super) struct Loc<'a> {
    pub value: &'a Value,
    pub pointer: String,
}

impl<'a> Loc<'a> {
    pub fn new(value: &'a Value, pointer: impl Into<String>) -> Self {
        Loc { value, pointer: pointer.into() }
    }

    /// The member `key` of this object, if any.
    pub fn get(&self, key: &str) -> Option<Loc<'a>> {
        self.value.get(key).map(|value| Loc::new(value, child(&self.pointer, key)))
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

/// The target of a local `$ref`, with its pointer.
pub(super) fn target<'a>(doc: &'a Value, reference: &str) -> Option<Loc<'a>> {
    let pointer = reference.strip_prefix('#')?;
    doc.pointer(pointer).map(|value| Loc::new(value, pointer))
}

/// An object that may be a `$ref` (parameter, request body, response),
/// resolved.
pub(super) fn resolve<'a>(doc: &'a Value, loc: Loc<'a>) -> Loc<'a> {
    let mut loc = loc;
    for _ in 0..MAX_DEPTH {
        match loc.value.get("$ref").and_then(Value::as_str).and_then(|r| target(doc, r)) {
            Some(next) => loc = next,
            None => break,
        }
    }
    loc
}

/// A schema seen through its `$ref`s, nullable wrappers (`anyOf: [S,
/// {enum: [null]}]`) and single-member `allOf`s.
pub(super) struct View<'a> {
    /// The schema that describes the values.
    pub loc: Loc<'a>,
    /// Whether `null` is allowed, at any level of the chain.
    pub nullable: bool,
    /// The first `$ref` of the chain: its target and its own pointer.
    pub reference: Option<(String, String)>,
}

pub(super) fn view<'a>(doc: &'a Value, loc: Loc<'a>) -> View<'a> {
    let mut view = View { loc, nullable: false, reference: None };
    for _ in 0..MAX_DEPTH {
        let schema = view.loc.value;
        view.nullable |= own_nullable(schema);
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            view.reference.get_or_insert_with(|| (reference.to_owned(), child(&view.loc.pointer, "$ref")));
            match target(doc, reference) {
                Some(next) => view.loc = next,
                None => break,
            }
            continue;
        }
        let only_member = |key: &str| {
            let members: Vec<Loc<'a>> = view.loc.items_at(key).into_iter().filter(|m| !is_null_schema(m.value)).collect();
            let [member] = <[Loc<'a>; 1]>::try_from(members).ok()?;
            Some(member)
        };
        let wrapper = only_member("anyOf").or_else(|| only_member("oneOf")).or_else(|| {
            let plain = schema.get("properties").is_none() && schema.get("type").is_none();
            if plain { only_member("allOf") } else { None }
        });
        match wrapper {
            Some(member) => view.loc = member,
            None => break,
        }
    }
    view
}

fn own_nullable(schema: &Value) -> bool {
    let typed_null = schema.get("type").and_then(Value::as_array).is_some_and(|types| types.iter().any(|t| t == "null"));
    let null_member =
        ["anyOf", "oneOf"].iter().any(|key| schema.get(*key).and_then(Value::as_array).is_some_and(|members| members.iter().any(is_null_schema)));
    schema.get("nullable") == Some(&Value::Bool(true)) || typed_null || null_member
}

/// `{type: null}` or `{enum: [null]}`: the member of a nullable wrapper.
pub(super) fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").is_some_and(|t| t == "null")
        || schema.get("enum").and_then(Value::as_array).is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null))
}

/// The type of a schema: its `type` (without `null`), else what its
/// keywords imply (`properties`: object, `items`: array, `allOf`: its
/// members' type); `None` for any value.
pub(super) fn type_name(doc: &Value, schema: &Value) -> Option<String> {
    type_name_at(doc, schema, 0)
}

fn type_name_at(doc: &Value, schema: &Value, depth: usize) -> Option<String> {
    match schema.get("type") {
        Some(Value::String(t)) => return Some(t.clone()),
        Some(Value::Array(types)) => return types.iter().filter_map(Value::as_str).find(|t| *t != "null").map(str::to_owned),
        _ => {}
    }
    if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
        return Some("object".into());
    }
    if schema.get("items").is_some() {
        return Some("array".into());
    }
    if depth >= MAX_DEPTH {
        return None;
    }
    schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find_map(|member| type_name_at(doc, view(doc, Loc::new(member, "")).loc.value, depth + 1))
}

/// One property of an object schema.
pub(super) struct Property<'a> {
    pub loc: Loc<'a>,
    pub required: bool,
    pub read_only: bool,
    pub write_only: bool,
}

/// The properties of an object schema, its `allOf` members merged, in
/// document order.
pub(super) fn properties<'a>(doc: &'a Value, loc: &Loc<'a>) -> IndexMap<String, Property<'a>> {
    fn collect<'a>(doc: &'a Value, loc: &Loc<'a>, depth: usize, out: &mut IndexMap<String, Property<'a>>, required: &mut Vec<String>) {
        if depth >= MAX_DEPTH {
            return;
        }
        for member in loc.items_at("allOf") {
            collect(doc, &view(doc, member).loc, depth + 1, out, required);
        }
        required.extend(loc.value.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(str::to_owned));
        for (name, property) in loc.entries_at("properties") {
            let flag = |key: &str| property.value.get(key) == Some(&Value::Bool(true));
            let (read_only, write_only) = (flag("readOnly"), flag("writeOnly"));
            out.insert(name.clone(), Property { loc: property, required: false, read_only, write_only });
        }
    }
    let mut out = IndexMap::new();
    let mut required = Vec::new();
    collect(doc, loc, 0, &mut out, &mut required);
    for name in required {
        if let Some(property) = out.get_mut(&name) {
            property.required = true;
        }
    }
    out
}

/// The alternatives of an `anyOf`/`oneOf` schema, `null` members left out
/// (nullability is compared on its own).
pub(super) fn alternatives<'a>(loc: &Loc<'a>) -> Option<(&'static str, Vec<Loc<'a>>)> {
    ["anyOf", "oneOf"].into_iter().find_map(|key| Some((key, loc.get(key)?.items().filter(|m| !is_null_schema(m.value)).collect())))
}

/// A schema's wire shape: `$ref`s inlined (a recursion marked by its
/// depth, not its name), documentation and extensions dropped, `required`
/// and `enum` sorted. Equal shapes accept and produce the same values.
pub(super) fn shape(doc: &Value, schema: &Value) -> Value {
    shape_at(doc, schema, &mut Vec::new())
}

const DOCUMENTATION: [&str; 7] = ["description", "title", "example", "examples", "externalDocs", "xml", "deprecated"];

fn shape_at(doc: &Value, schema: &Value, stack: &mut Vec<String>) -> Value {
    let Value::Object(map) = schema else { return schema.clone() };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        if let Some(depth) = stack.iter().rposition(|r| r == reference) {
            return serde_json::json!({ "recursion": stack.len() - depth });
        }
        let Some(resolved) = target(doc, reference) else { return schema.clone() };
        if stack.len() >= MAX_DEPTH {
            return serde_json::json!({ "recursion": stack.len() });
        }
        stack.push(reference.to_owned());
        let shape = shape_at(doc, resolved.value, stack);
        stack.pop();
        return shape;
    }
    let mut out = Map::new();
    for (key, value) in map {
        if DOCUMENTATION.contains(&key.as_str()) || key.starts_with("x-") {
            continue;
        }
        let value = match (key.as_str(), value) {
            ("properties", Value::Object(properties)) => {
                Value::Object(properties.iter().map(|(name, s)| (name.clone(), shape_at(doc, s, stack))).collect())
            }
            ("items" | "additionalProperties" | "not", Value::Object(_)) => shape_at(doc, value, stack),
            ("allOf" | "anyOf" | "oneOf", Value::Array(members)) => Value::Array(members.iter().map(|m| shape_at(doc, m, stack)).collect()),
            ("required" | "enum", Value::Array(values)) => {
                let mut values = values.clone();
                values.sort_by_key(Value::to_string);
                Value::Array(values)
            }
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    Value::Object(out)
}
