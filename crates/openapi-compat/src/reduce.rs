//! A spec pair cut down to what its change touches, so that a corpus of
//! real release histories stays small: documentation and extensions
//! dropped (descriptions are most of a real document's bytes, and no rule
//! above `info` reads them), then the path items that differ between the
//! two documents (through every `$ref` they reach; paths that differ only
//! in a parameter's name kept together), the components either document
//! reaches from them, every component that differs, and the document's
//! other keys. The changes [`crate::diff`] finds at `warning` and above are
//! the same on the reduced pair as on the whole one (tested on the corpus,
//! and checked by `cargo xtask openapi reduce` on every pair it writes).

use std::collections::BTreeSet;

use openapi_spec::pointer::child;
use serde_json::{Map, Value};

use crate::reach::{component_of, each_ref};
use crate::unchanged::Unchanged;

/// `old` and `new`, each reduced to what the change between them touches.
pub fn reduce(old: &Value, new: &Value) -> (Value, Value) {
    let (old, new) = (&without_documentation(old, None), &without_documentation(new, None));
    let mut unchanged = Unchanged::default();
    let paths = |doc: &Value| doc.get("paths").and_then(Value::as_object).cloned().unwrap_or_default();
    let (old_paths, new_paths) = (paths(old), paths(new));
    let mut kept: BTreeSet<String> = BTreeSet::new();
    // The document's `security` and `servers` apply to every operation,
    // and security schemes are named by requirements, not referenced.
    let global_change = ["/security", "/servers", "/components/securitySchemes"].iter().any(|key| old.pointer(key) != new.pointer(key));
    for path in old_paths.keys().chain(new_paths.keys()) {
        match (old_paths.get(path), new_paths.get(path)) {
            (Some(o), Some(n)) if !global_change && unchanged.check(old, new, o, n) => {}
            _ => {
                kept.insert(path.clone());
            }
        }
    }
    // Operations are matched by their path with parameter names left out:
    // a kept path keeps every path that reads the same without them.
    let templates: BTreeSet<String> = kept.iter().map(|path| crate::walk::normalized_template(path)).collect();
    kept.extend(old_paths.keys().chain(new_paths.keys()).filter(|path| templates.contains(&crate::walk::normalized_template(path))).cloned());
    // Components that differ (added, removed, changed): their changes are
    // found whether or not a kept operation reaches them.
    let mut differing = BTreeSet::new();
    let components = |doc: &Value| -> Vec<String> {
        let mut names = Vec::new();
        for (kind, members) in doc.get("components").and_then(Value::as_object).into_iter().flatten() {
            for name in members.as_object().into_iter().flatten().map(|(name, _)| name) {
                names.push(child(&child("/components", kind), name));
            }
        }
        names
    };
    for pointer in components(old).into_iter().chain(components(new)) {
        if old.pointer(&pointer) != new.pointer(&pointer) {
            differing.insert(pointer);
        }
    }
    (cut(old, &kept, &differing), cut(new, &kept, &differing))
}

/// Keys whose members are names chosen by the document's author (a
/// property may be called `description`): nothing under them is dropped.
const NAMED_MEMBERS: [&str; 14] = [
    "properties", "paths", "responses", "content", "headers", "schemas", "parameters", "requestBodies", "securitySchemes", "mapping", "encoding",
    "links", "callbacks", "variables",
];

/// `value` without `description`, `summary`, `example(s)`, `externalDocs`,
/// `title` and `x-` extensions, wherever they document an object.
fn without_documentation(value: &Value, parent: Option<&str>) -> Value {
    match value {
        Value::Object(map) => {
            if parent == Some("info") {
                return value.clone();
            }
            let named = parent.is_some_and(|key| NAMED_MEMBERS.contains(&key));
            let documentation = |key: &str| !named && (matches!(key, "summary" | "example" | "examples" | "externalDocs" | "title") || key.starts_with("x-"));
            Value::Object(
                map.iter()
                    .filter(|(key, _)| !documentation(key))
                    .map(|(key, v)| {
                        let v = match key.as_str() {
                            // Required on responses: kept, emptied.
                            "description" if !named && v.is_string() => Value::String(String::new()),
                            "enum" | "default" => v.clone(),
                            _ => without_documentation(v, Some(key)),
                        };
                        (key.clone(), v)
                    })
                    .collect(),
            )
        }
        // An item is no named member, whatever holds the list.
        Value::Array(items) => Value::Array(items.iter().map(|v| without_documentation(v, None)).collect()),
        _ => value.clone(),
    }
}

/// `doc` with only the `kept` path items, and the components they reach,
/// the `differing` ones, and the security schemes.
fn cut(doc: &Value, kept: &BTreeSet<String>, differing: &BTreeSet<String>) -> Value {
    let Value::Object(map) = doc else { return doc.clone() };
    let mut out = Map::new();
    let mut wanted: BTreeSet<String> = differing.iter().filter(|p| doc.pointer(p).is_some()).cloned().collect();
    let mut pending: Vec<&Value> = Vec::new();
    for (key, value) in map {
        match key.as_str() {
            "paths" => {
                let items: Vec<(&String, &Value)> = value.as_object().into_iter().flatten().filter(|(path, _)| kept.contains(*path)).collect();
                pending.extend(items.iter().map(|(_, item)| *item));
                out.insert(key.clone(), Value::Object(items.into_iter().map(|(k, v)| (k.clone(), v.clone())).collect()));
            }
            "components" => {}
            _ => {
                pending.push(value);
                out.insert(key.clone(), value.clone());
            }
        }
    }
    // Security schemes are named, not referenced: kept whole (they are few).
    if let Some(schemes) = doc.pointer("/components/securitySchemes").and_then(Value::as_object) {
        wanted.extend(schemes.keys().map(|name| child("/components/securitySchemes", name)));
    }
    pending.extend(wanted.iter().filter_map(|p| doc.pointer(p)));
    while let Some(value) = pending.pop() {
        each_ref(value, &mut |reference| {
            let Some(component) = reference.strip_prefix('#').and_then(component_of) else { return };
            if let Some(target) = doc.pointer(&component)
                && wanted.insert(component)
            {
                pending.push(target);
            }
        });
    }
    if let Some(Value::Object(components)) = map.get("components") {
        let mut kept_components = Map::new();
        for (kind, members) in components {
            let Value::Object(members) = members else {
                kept_components.insert(kind.clone(), members.clone());
                continue;
            };
            let chosen: Map<String, Value> = members.iter().filter(|(name, _)| wanted.contains(&child(&child("/components", kind), name))).map(|(k, v)| (k.clone(), v.clone())).collect();
            if !chosen.is_empty() {
                kept_components.insert(kind.clone(), Value::Object(chosen));
            }
        }
        // Where `paths` stood relative to `components` does not matter to
        // any reader; components go last.
        out.insert("components".into(), Value::Object(kept_components));
    }
    Value::Object(out)
}
