//! The Rust names the generators give a spec's names, in one place:
//! progenitor's (builder types, parameter fields), typify's (component
//! types) and the server generator's (parameter fields). progenitor and
//! typify keep their rules private, so they are restated here, with tests
//! against names they produced; a generator upgrade that changes them
//! fails those tests and the generated code's check.

use heck::{ToPascalCase, ToSnakeCase};

use crate::model::ParameterIn;

/// Rust's keywords and reserved words, as typify's `accept_as_ident`
/// lists them (`gen` included), which a name may not be.
const RESERVED: [&str; 53] = [
    "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else", "enum", "extern",
    "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv",
    "pub", "ref", "return", "Self", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// progenitor's and typify's `sanitize`: characters outside identifiers
/// are word breaks, then the case; `prefix` before a leading non-letter,
/// `_` after a reserved word.
fn sanitize(name: &str, case: fn(&str) -> String, prefix: &str) -> String {
    let cased = match name {
        "+1" => case("plus1"),
        "-1" => case("minus1"),
        _ => case(&name.replace('\'', "").replace(|c: char| !unicode_ident::is_xid_continue(c), "-")),
    };
    let cased = match cased.chars().next() {
        None => case("x"),
        Some(c) if unicode_ident::is_xid_start(c) => cased,
        Some(_) => format!("{prefix}{cased}"),
    };
    if RESERVED.contains(&cased.as_str()) { format!("{cased}_") } else { cased }
}

/// The field and setter progenitor gives a parameter (`filter[flag]` →
/// `filter_flag`).
pub fn progenitor_field(name: &str) -> String {
    sanitize(name, |s| s.to_snake_case(), "_")
}

/// The type progenitor gives an operation's builder (`get_items` → `GetItems`).
pub fn progenitor_type(operation_id: &str) -> String {
    sanitize(operation_id, |s| s.to_pascal_case(), "_")
}

/// The Rust type typify generates for the component schema `name`.
pub fn typify_type(name: &str) -> String {
    sanitize(name, |s| s.to_pascal_case(), "X")
}

/// The field the server generator gives a parameter: its name in snake
/// case, brackets, dots and dashes as word breaks (headers keep only the
/// case change), `p_` before a leading digit.
pub fn server_field(name: &str, location: &ParameterIn) -> String {
    let field = match location {
        ParameterIn::Header => name.to_snake_case(),
        _ => name.replace(['[', '.', '-'], "_").replace(']', "").to_snake_case(),
    };
    if field.is_empty() || field.starts_with(|c: char| c.is_ascii_digit()) { format!("p_{field}") } else { field }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_the_generators_write_them() {
        // progenitor 0.15's output for openapi.yaml and the fixtures.
        assert_eq!(progenitor_field("filter[last_action_date_before]"), "filter_last_action_date_before");
        assert_eq!(progenitor_field("X-Popsell-Brand"), "x_popsell_brand");
        assert_eq!(progenitor_field("pageSize"), "page_size");
        assert_eq!(progenitor_field("type"), "type_");
        assert_eq!(progenitor_type("get_ambassador_chatrooms"), "GetAmbassadorChatrooms");
        // typify 0.8.
        assert_eq!(typify_type("ErrorBody"), "ErrorBody");
        assert_eq!(typify_type("error_body"), "ErrorBody");
        assert_eq!(typify_type("v1.Thing-Name"), "V1ThingName");
        assert_eq!(typify_type("2fa"), "X2fa");
        assert_eq!(typify_type("Self"), "Self_");
        assert_eq!(server_field("filter[flag]", &ParameterIn::Query), "filter_flag");
        assert_eq!(server_field("2nd", &ParameterIn::Query), "p_2nd");
    }
}
