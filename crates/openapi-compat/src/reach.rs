//! Which components the operations reach (through `$ref`s, and security
//! requirements for security schemes): the others are compared as a whole,
//! since no client can meet them on the wire.

use std::collections::BTreeSet;

use openapi_spec::document::{Loc, operations, target};
use openapi_spec::pointer::{child, tokens};
use serde_json::Value;

/// `/components/<kind>/<name>` of every component reached.
pub(crate) fn reached(doc: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut pending: Vec<&Value> = Vec::new();
    for operation in operations(doc) {
        pending.push(operation.loc.value);
        pending.extend(operation.item.value.get("parameters"));
        let security = operation.loc.value.get("security").or_else(|| doc.get("security"));
        for requirement in security.and_then(Value::as_array).into_iter().flatten() {
            for name in requirement.as_object().into_iter().flatten().map(|(name, _)| name) {
                found.insert(child("/components/securitySchemes", name));
            }
        }
    }
    while let Some(value) = pending.pop() {
        each_ref(value, &mut |reference| {
            let Some(Loc { value, pointer }) = target(doc, reference) else { return };
            let component = component_of(&pointer);
            if let Some(component) = component
                && found.insert(component.clone())
            {
                pending.push(doc.pointer(&component).unwrap_or(value));
            }
        });
    }
    found
}

/// The component a pointer is inside of (`/components/schemas/Item`).
pub(crate) fn component_of(pointer: &str) -> Option<String> {
    let tokens = tokens(pointer);
    (tokens.len() >= 3 && tokens[0] == "components").then(|| child(&child(&child("", "components"), &tokens[1]), &tokens[2]))
}

pub(crate) fn each_ref<'a>(value: &'a Value, f: &mut impl FnMut(&'a str)) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(reference)) => f(reference),
                    _ => each_ref(v, f),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| each_ref(v, f)),
        _ => {}
    }
}
