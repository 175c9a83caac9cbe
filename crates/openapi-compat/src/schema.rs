//! Reading schemas as the comparison needs them: through `$ref`s and
//! nullable wrappers, with `allOf` members merged into one map of effective
//! keywords, and as a normalized shape to compare two `$ref` targets.

use indexmap::IndexMap;
use openapi_spec::document::{Loc, MAX_REF_DEPTH, target};
use serde_json::{Map, Value};

/// The schema `true` (accepts anything, no keywords): what a missing
/// subschema compares as.
pub(crate) static EMPTY: Value = Value::Bool(true);

/// Keys that only document a schema.
pub(crate) const DOCUMENTATION: [&str; 4] = ["description", "title", "example", "externalDocs"];

/// A schema seen through its `$ref`s, nullable wrappers (`anyOf: [S,
/// {enum: [null]}]`, `nullable: true` with `allOf: [S]`) and `allOf`
/// members.
pub(crate) struct View<'a> {
    /// Where the schema is used: the pointer the view was made from.
    pub origin: String,
    /// The innermost schema: the one that describes the values.
    pub loc: Loc<'a>,
    /// Whether `null` is allowed, at any level of the chain.
    pub nullable: bool,
    /// The first `$ref` of the chain: its target and its own pointer.
    pub reference: Option<(String, String)>,
    /// Every keyword that applies to the values, with where it is written:
    /// the wrappers' own (outermost first wins), then the schema's, then
    /// its `allOf` members' (merged in order). `$ref`, `allOf` and the
    /// wrappers' `anyOf`/`oneOf` are consumed.
    pub keywords: IndexMap<String, Loc<'a>>,
}

impl<'a> View<'a> {
    /// The effective keyword `key`.
    pub fn get(&self, key: &str) -> Option<&Loc<'a>> {
        self.keywords.get(key)
    }

    pub fn value(&self, key: &str) -> Option<&'a Value> {
        self.keywords.get(key).map(|loc| loc.value)
    }

    pub fn flag(&self, key: &str) -> bool {
        self.value(key) == Some(&Value::Bool(true))
    }
}

pub(crate) fn view<'a>(doc: &'a Value, loc: Loc<'a>) -> View<'a> {
    view_at(doc, loc, 0)
}

fn view_at<'a>(doc: &'a Value, loc: Loc<'a>, depth: usize) -> View<'a> {
    let mut view = View { origin: loc.pointer.clone(), loc, nullable: false, reference: None, keywords: IndexMap::new() };
    // The layers from the outermost; the last is the schema itself.
    let mut wrappers: Vec<(Loc<'a>, &'static str)> = Vec::new();
    for _ in 0..MAX_REF_DEPTH {
        let schema = view.loc.value;
        view.nullable |= own_nullable(schema);
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            view.reference.get_or_insert_with(|| (reference.to_owned(), format!("{}/$ref", view.loc.pointer)));
            match target(doc, reference) {
                Some(next) => view.loc = next,
                None => break,
            }
            continue;
        }
        match wrapped(&view.loc) {
            Some((member, key)) => {
                wrappers.push((view.loc.clone(), key));
                view.loc = member;
            }
            None => break,
        }
    }
    for (layer, consumed) in &wrappers {
        for (key, value) in layer.entries() {
            if !matches!(key.as_str(), "$ref" | "nullable") && key != consumed {
                view.keywords.entry(key.clone()).or_insert(value);
            }
        }
    }
    let inner = view.loc.clone();
    merge(doc, &inner, &mut view.keywords, depth);
    view
}

/// The keywords of `loc` and of its `allOf` members (through `$ref`s),
/// first writer wins.
fn merge<'a>(doc: &'a Value, loc: &Loc<'a>, out: &mut IndexMap<String, Loc<'a>>, depth: usize) {
    if depth >= MAX_REF_DEPTH {
        return;
    }
    for (key, value) in loc.entries() {
        if !matches!(key.as_str(), "$ref" | "allOf" | "nullable") {
            out.entry(key.clone()).or_insert(value);
        }
    }
    for member in loc.items_at("allOf") {
        let member = view_at(doc, member, depth + 1);
        for (key, value) in member.keywords {
            out.entry(key).or_insert(value);
        }
    }
}

/// The member a wrapper stands for, and the key that holds it: the one
/// non-null member of an `anyOf`/`oneOf`, or the one member of an `allOf`
/// beside nothing but annotations, `type`, `nullable` and property flags.
fn wrapped<'a>(loc: &Loc<'a>) -> Option<(Loc<'a>, &'static str)> {
    let only_member = |key: &str| {
        let members: Vec<Loc<'a>> = loc.items_at(key).into_iter().filter(|m| !is_null_schema(m.value)).collect();
        let [member] = <[Loc<'a>; 1]>::try_from(members).ok()?;
        Some(member)
    };
    if let Some(member) = only_member("anyOf") {
        return Some((member, "anyOf"));
    }
    if let Some(member) = only_member("oneOf") {
        return Some((member, "oneOf"));
    }
    const BESIDE_ALL_OF: [&str; 11] =
        ["allOf", "type", "nullable", "description", "title", "example", "externalDocs", "readOnly", "writeOnly", "deprecated", "default"];
    let plain = loc.value.as_object().is_some_and(|map| map.keys().all(|k| BESIDE_ALL_OF.contains(&k.as_str()) || k.starts_with("x-")));
    if plain && loc.items_at("allOf").len() == 1 {
        return loc.items_at("allOf").into_iter().next().map(|member| (member, "allOf"));
    }
    None
}

fn own_nullable(schema: &Value) -> bool {
    let typed_null = schema.get("type").and_then(Value::as_array).is_some_and(|types| types.iter().any(|t| t == "null"));
    let null_member =
        ["anyOf", "oneOf"].iter().any(|key| schema.get(*key).and_then(Value::as_array).is_some_and(|members| members.iter().any(is_null_schema)));
    schema.get("nullable") == Some(&Value::Bool(true)) || typed_null || null_member
}

/// `{type: null}` or `{enum: [null]}`: the member of a nullable wrapper.
pub(crate) fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").is_some_and(|t| t == "null")
        || schema.get("enum").and_then(Value::as_array).is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null))
}

/// The type of a view: its `type` (without `null`), else what its keywords
/// imply (`properties`: object, `items`: array); `None` for any value.
pub(crate) fn type_name(view: &View<'_>) -> Option<String> {
    match view.value("type") {
        Some(Value::String(t)) => return Some(t.clone()),
        Some(Value::Array(types)) => return types.iter().filter_map(Value::as_str).find(|t| *t != "null").map(str::to_owned),
        _ => {}
    }
    if view.get("properties").is_some() || view.get("additionalProperties").is_some() {
        return Some("object".into());
    }
    if view.get("items").is_some() {
        return Some("array".into());
    }
    None
}

/// One property of an object schema.
pub(crate) struct Property<'a> {
    pub loc: Loc<'a>,
    pub required: bool,
    pub read_only: bool,
    pub write_only: bool,
}

/// The properties of an object schema, its `allOf` members merged, in
/// document order.
pub(crate) fn properties<'a>(doc: &'a Value, loc: &Loc<'a>) -> IndexMap<String, Property<'a>> {
    fn collect<'a>(doc: &'a Value, loc: &Loc<'a>, depth: usize, out: &mut IndexMap<String, Property<'a>>, required: &mut Vec<String>) {
        if depth >= MAX_REF_DEPTH {
            return;
        }
        for member in loc.items_at("allOf") {
            collect(doc, &view(doc, member).loc, depth + 1, out, required);
        }
        required.extend(loc.value.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(str::to_owned));
        for (name, property) in loc.entries_at("properties") {
            let flags = view(doc, property.clone());
            let (read_only, write_only) = (flags.flag("readOnly"), flags.flag("writeOnly"));
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

/// The alternatives of a view's `anyOf`/`oneOf`, `null` members left out
/// (nullability is compared on its own).
pub(crate) fn alternatives<'a>(view: &View<'a>) -> Option<(&'static str, Vec<Loc<'a>>)> {
    ["anyOf", "oneOf"].into_iter().find_map(|key| Some((key, view.get(key)?.items().filter(|m| !is_null_schema(m.value)).collect())))
}

/// A schema's wire shape: `$ref`s inlined (a recursion marked by its
/// depth, not its name), documentation and extensions dropped, `required`
/// and `enum` sorted. Equal shapes accept and produce the same values.
pub(crate) fn shape(doc: &Value, schema: &Value) -> Value {
    shape_at(doc, schema, &mut Vec::new())
}

fn shape_at(doc: &Value, schema: &Value, stack: &mut Vec<String>) -> Value {
    let Value::Object(map) = schema else { return schema.clone() };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        if let Some(depth) = stack.iter().rposition(|r| r == reference) {
            return serde_json::json!({ "recursion": stack.len() - depth });
        }
        let Some(resolved) = target(doc, reference) else { return schema.clone() };
        if stack.len() >= MAX_REF_DEPTH {
            return serde_json::json!({ "recursion": stack.len() });
        }
        stack.push(reference.to_owned());
        let shape = shape_at(doc, resolved.value, stack);
        stack.pop();
        return shape;
    }
    let mut out = Map::new();
    for (key, value) in map {
        if DOCUMENTATION.contains(&key.as_str()) || key == "deprecated" || key == "xml" || key.starts_with("x-") {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(view: &View<'_>) -> Vec<String> {
        view.keywords.keys().cloned().collect()
    }

    #[test]
    fn both_nullable_ref_idioms_read_as_the_target() {
        let doc = serde_json::json!({"components": {"schemas": {
            "R": {"type": "object", "properties": {"v": {"type": "integer"}}},
            "A": {"anyOf": [{"$ref": "#/components/schemas/R"}, {"enum": [null], "nullable": true}], "description": "a"},
            "B": {"type": "object", "nullable": true, "allOf": [{"$ref": "#/components/schemas/R"}], "description": "b"},
        }}});
        for name in ["A", "B"] {
            let loc = Loc::new(&doc["components"]["schemas"][name], format!("/components/schemas/{name}"));
            let view = view(&doc, loc);
            assert!(view.nullable, "{name}");
            assert_eq!(view.loc.pointer, "/components/schemas/R", "{name}");
            assert_eq!(view.get("description").unwrap().pointer, format!("/components/schemas/{name}/description"));
            assert!(keys(&view).contains(&"properties".to_owned()), "{name}: {:?}", keys(&view));
            assert!(!keys(&view).iter().any(|k| k == "anyOf" || k == "allOf"), "{name}: {:?}", keys(&view));
        }
    }

    #[test]
    fn all_of_members_are_merged() {
        let doc = serde_json::json!({"components": {"schemas": {
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}, "maxProperties": 5},
            "Item": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"name": {"type": "string"}}, "required": ["name"]}]},
        }}});
        let item = view(&doc, Loc::new(&doc["components"]["schemas"]["Item"], "/components/schemas/Item"));
        assert_eq!(item.get("maxProperties").unwrap().pointer, "/components/schemas/Base/maxProperties");
        assert_eq!(type_name(&item).as_deref(), Some("object"));
        let props = properties(&doc, &item.loc);
        assert!(props["id"].required && props["name"].required);
    }
}
