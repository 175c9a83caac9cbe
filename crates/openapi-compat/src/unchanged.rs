//! Whether a schema is the same in both documents, through every `$ref` it
//! reaches: then no rule can find anything below it, and the comparison
//! skips it. Most of a real document does not change between two
//! releases; this is what makes a 2 MB pair a matter of milliseconds.

use std::collections::HashMap;

use openapi_spec::document::target;
use serde_json::Value;

/// Answers per `$ref` target, kept for the whole comparison.
#[derive(Default)]
pub(crate) struct Unchanged {
    /// `true`: the target and everything it reaches are equal in both
    /// documents. A cycle is assumed equal while it is being checked.
    known: HashMap<String, bool>,
}

impl Unchanged {
    /// Whether `old` (in `old_doc`) and `new` (in `new_doc`) are equal and
    /// every `$ref` they hold reaches equal values in both documents.
    pub fn check(&mut self, old_doc: &Value, new_doc: &Value, old: &Value, new: &Value) -> bool {
        if old != new {
            return false;
        }
        let mut assumed = Vec::new();
        let same = self.refs(old_doc, new_doc, old, &mut assumed);
        if !same {
            // Answers given while a cycle was assumed equal may rest on
            // that assumption: only `false` answers are certain.
            for reference in assumed {
                self.known.remove(&reference);
            }
        }
        same
    }

    fn refs(&mut self, old_doc: &Value, new_doc: &Value, value: &Value, assumed: &mut Vec<String>) -> bool {
        match value {
            Value::Object(map) => map.iter().all(|(key, v)| match (key.as_str(), v) {
                ("$ref", Value::String(reference)) => self.reference(old_doc, new_doc, reference, assumed),
                _ => self.refs(old_doc, new_doc, v, assumed),
            }),
            Value::Array(items) => items.iter().all(|v| self.refs(old_doc, new_doc, v, assumed)),
            _ => true,
        }
    }

    fn reference(&mut self, old_doc: &Value, new_doc: &Value, reference: &str, assumed: &mut Vec<String>) -> bool {
        if let Some(known) = self.known.get(reference) {
            return *known;
        }
        self.known.insert(reference.to_owned(), true);
        let same = match (target(old_doc, reference), target(new_doc, reference)) {
            (Some(old), Some(new)) => old.value == new.value && self.refs(old_doc, new_doc, old.value, assumed),
            _ => false,
        };
        self.known.insert(reference.to_owned(), same);
        if same {
            assumed.push(reference.to_owned());
        }
        same
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc(b: Value) -> Value {
        json!({"components": {"schemas": {
            "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}, "c": {"$ref": "#/components/schemas/C"}}},
            "B": {"properties": {"a": {"$ref": "#/components/schemas/A"}}},
            "C": b,
        }}})
    }

    #[test]
    fn a_change_behind_a_cycle_is_seen_and_not_remembered_as_equal() {
        let (old, new) = (doc(json!({"type": "string"})), doc(json!({"type": "integer"})));
        let mut unchanged = Unchanged::default();
        let a = json!({"$ref": "#/components/schemas/A"});
        let b = json!({"$ref": "#/components/schemas/B"});
        assert!(!unchanged.check(&old, &new, &a, &a));
        // B was answered while A was assumed equal: asked again, it is not.
        assert!(!unchanged.check(&old, &new, &b, &b));
        let same = doc(json!({"type": "string"}));
        assert!(Unchanged::default().check(&old, &same, &b, &b));
        assert!(!Unchanged::default().check(&old, &same, &json!({"type": "string"}), &json!({"type": "number"})));
    }
}
