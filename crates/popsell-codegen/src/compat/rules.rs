//! The rule table: every kind of change the comparison reports, with its
//! verdict for existing clients. Output and documentation are derived from
//! [`RULES`]; `rules.md` is its rendering, checked by a test.

use serde::Serialize;

/// What a change means for clients built against the old document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Some existing client may fail or misbehave.
    Breaking,
    /// Existing clients keep working.
    Compatible,
}

/// The document a change's pointer points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Document {
    /// The old document: the change is a removal.
    Old,
    /// The new document: an addition or a change.
    New,
}

/// One kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable identifier, kebab-case (`operation-removed`).
    pub id: &'static str,
    /// Breaking or compatible, always.
    pub verdict: Verdict,
    /// Where the pointer of a change of this kind points.
    pub document: Document,
    /// The rule and why it holds, in one sentence.
    pub description: &'static str,
}

macro_rules! rules {
    ($($name:ident: $id:literal, $verdict:ident, $document:ident, $description:literal;)*) => {
        $(
            #[doc = $description]
            pub const $name: Rule = Rule { id: $id, verdict: Verdict::$verdict, document: Document::$document, description: $description };
        )*
        /// Every rule, in the order of the documentation.
        pub static RULES: &[Rule] = &[$($name),*];
    };
}

rules! {
    OPERATION_REMOVED: "operation-removed", Breaking, Old,
        "An operation was removed: clients calling it get 404 or 405.";
    OPERATION_ADDED: "operation-added", Compatible, New,
        "An operation was added: existing clients do not call it.";
    RESPONSE_STATUS_REMOVED: "response-status-removed", Breaking, Old,
        "A response status code was removed: clients that handle it no longer get the response they rely on.";
    RESPONSE_STATUS_ADDED: "response-status-added", Compatible, New,
        "A response status code was added: existing clients treat it as any undocumented status, as before.";
    PARAMETER_REMOVED: "parameter-removed", Breaking, Old,
        "A parameter was removed (a rename is a removal and an addition): clients still send it and the server ignores or rejects it.";
    PARAMETER_ADDED_REQUIRED: "parameter-added-required", Breaking, New,
        "A required parameter was added: existing clients do not send it.";
    PARAMETER_ADDED_OPTIONAL: "parameter-added-optional", Compatible, New,
        "An optional parameter was added: existing clients leave it out.";
    PARAMETER_MOVED: "parameter-moved", Breaking, New,
        "A parameter moved to another location (path, query, header, cookie): clients send it where it is no longer read.";
    PARAMETER_BECAME_REQUIRED: "parameter-became-required", Breaking, New,
        "An optional parameter became required: clients that leave it out are refused.";
    PARAMETER_BECAME_OPTIONAL: "parameter-became-optional", Compatible, New,
        "A required parameter became optional: clients send it anyway.";
    REQUEST_BODY_REMOVED: "request-body-removed", Breaking, Old,
        "The request body was removed: clients still send one the server no longer reads.";
    REQUEST_BODY_ADDED_REQUIRED: "request-body-added-required", Breaking, New,
        "A required request body was added: existing clients send none.";
    REQUEST_BODY_ADDED_OPTIONAL: "request-body-added-optional", Compatible, New,
        "An optional request body was added: existing clients send none, which stays valid.";
    REQUEST_BODY_BECAME_REQUIRED: "request-body-became-required", Breaking, New,
        "The request body became required: clients that leave it out are refused.";
    REQUEST_BODY_BECAME_OPTIONAL: "request-body-became-optional", Compatible, New,
        "The request body became optional: clients send it anyway.";
    REQUEST_MEDIA_TYPE_REMOVED: "request-media-type-removed", Breaking, Old,
        "A request media type was removed: clients sending it are refused (415).";
    REQUEST_MEDIA_TYPE_ADDED: "request-media-type-added", Compatible, New,
        "A request media type was added: existing clients keep sending the old ones.";
    RESPONSE_MEDIA_TYPE_REMOVED: "response-media-type-removed", Breaking, Old,
        "A response media type was removed: clients that ask for or decode it no longer get it.";
    RESPONSE_MEDIA_TYPE_ADDED: "response-media-type-added", Compatible, New,
        "A response media type was added: it is served to clients that ask for it.";
    RESPONSE_REQUIRED_PROPERTY_REMOVED: "response-required-property-removed", Breaking, Old,
        "A required response property was removed: clients that decode it fail or read nothing.";
    RESPONSE_OPTIONAL_PROPERTY_REMOVED: "response-optional-property-removed", Compatible, Old,
        "An optional response property was removed: clients already handle its absence.";
    RESPONSE_PROPERTY_ADDED: "response-property-added", Compatible, New,
        "A response property was added: clients ignore keys they do not know.";
    RESPONSE_PROPERTY_BECAME_OPTIONAL: "response-property-became-optional", Breaking, New,
        "A required response property became optional: clients that expect it fail when it is absent.";
    RESPONSE_PROPERTY_BECAME_REQUIRED: "response-property-became-required", Compatible, New,
        "An optional response property became required: clients already accept it present.";
    RESPONSE_NULLABLE_ADDED: "response-nullable-added", Breaking, New,
        "A response value (property, item, body) may now be null: clients decoding a non-null value fail.";
    RESPONSE_NULLABLE_REMOVED: "response-nullable-removed", Compatible, New,
        "A response value may no longer be null: clients already accept non-null values.";
    REQUEST_PROPERTY_REMOVED: "request-property-removed", Breaking, Old,
        "A request body property was removed: clients still send it and the server ignores or rejects it.";
    REQUEST_PROPERTY_ADDED_REQUIRED: "request-property-added-required", Breaking, New,
        "A required request body property was added: existing clients do not send it.";
    REQUEST_PROPERTY_ADDED_OPTIONAL: "request-property-added-optional", Compatible, New,
        "An optional request body property was added: existing clients leave it out.";
    REQUEST_PROPERTY_BECAME_REQUIRED: "request-property-became-required", Breaking, New,
        "An optional request body property became required: clients that leave it out are refused.";
    REQUEST_PROPERTY_BECAME_OPTIONAL: "request-property-became-optional", Compatible, New,
        "A required request body property became optional: clients send it anyway.";
    REQUEST_NULLABLE_REMOVED: "request-nullable-removed", Breaking, New,
        "A request value (parameter, property, item) may no longer be null: clients may send null.";
    REQUEST_NULLABLE_ADDED: "request-nullable-added", Compatible, New,
        "A request value may now be null: existing clients send non-null values, still valid.";
    REQUEST_ENUM_VALUE_REMOVED: "request-enum-value-removed", Breaking, Old,
        "An enum value was removed from a request-side schema (parameter or request body), or an enum now restricts it: clients may send that value.";
    REQUEST_ENUM_VALUE_ADDED: "request-enum-value-added", Compatible, New,
        "An enum value was added to a request-side schema, or its enum was lifted: existing clients never send the new value.";
    RESPONSE_ENUM_VALUE_REMOVED: "response-enum-value-removed", Compatible, Old,
        "An enum value was removed from a response schema, or an enum now restricts it: clients simply never receive that value.";
    RESPONSE_ENUM_VALUE_ADDED: "response-enum-value-added", Breaking, New,
        "An enum value was added to a response schema, or its enum was lifted: clients with closed enums fail to decode the new value.";
    TYPE_CHANGED: "type-changed", Breaking, New,
        "A schema's type (or its set of alternatives) changed: values of the old type no longer match, in either direction.";
    FORMAT_CHANGED: "format-changed", Breaking, New,
        "A schema's format changed (int32 to int64, date to date-time, ...): clients encode or decode the old format.";
    REF_RETARGETED: "ref-retargeted", Breaking, New,
        "A $ref now targets another schema whose normalized shape differs: clients use the old shape.";
    REF_RETARGETED_SAME_SHAPE: "ref-retargeted-same-shape", Compatible, New,
        "A $ref now targets another schema with the same normalized shape: the wire format is unchanged.";
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.id == id)
}

/// The rules as a Markdown table (the text of `rules.md`).
pub fn markdown_table() -> String {
    let mut text = String::from("| rule | verdict | pointer into | meaning |\n|---|---|---|---|\n");
    for rule in RULES {
        let verdict = match rule.verdict {
            Verdict::Breaking => "**breaking**",
            Verdict::Compatible => "compatible",
        };
        let document = match rule.document {
            Document::Old => "old",
            Document::New => "new",
        };
        text.push_str(&format!("| `{}` | {verdict} | {document} | {} |\n", rule.id, rule.description));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        for (i, rule) in RULES.iter().enumerate() {
            assert!(rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", rule.id);
            assert!(RULES[..i].iter().all(|r| r.id != rule.id), "duplicate rule id {}", rule.id);
        }
    }

    #[test]
    fn rules_md_is_the_rendered_table() {
        assert_eq!(include_str!("rules.md"), markdown_table(), "update src/compat/rules.md from `markdown_table()`");
    }
}
