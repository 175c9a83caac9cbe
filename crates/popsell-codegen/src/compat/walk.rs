//! The comparison: operations, then their parameters, request bodies and
//! responses, then the schemas reached from them.

use std::collections::HashSet;

use serde_json::Value;

use super::Change;
use super::rules::*;
use super::schema::{Loc, alternatives, properties, resolve, shape, type_name, view};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Which side of the exchange a schema is reached from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Side {
    /// Parameters and request bodies: what clients send.
    Request,
    /// Responses: what clients receive.
    Response,
}

impl Side {
    fn noun(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Response => "response",
        }
    }

    /// `requests` or `responses`.
    fn plural(self) -> &'static str {
        match self {
            Side::Request => "requests",
            Side::Response => "responses",
        }
    }
}

struct Operation<'a> {
    /// `GET /path`, what matches operations across documents.
    key: String,
    /// `GET /path (operationId)`.
    label: String,
    item: Loc<'a>,
    loc: Loc<'a>,
}

fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let mut found = Vec::new();
    for (path, item) in Loc::new(doc, "").entries_at("paths") {
        for (method, loc) in item.entries().filter(|(m, _)| METHODS.contains(&m.as_str())) {
            let key = format!("{} {path}", method.to_ascii_uppercase());
            let label = match loc.value.get("operationId").and_then(Value::as_str) {
                Some(id) => format!("{key} ({id})"),
                None => key.clone(),
            };
            found.push(Operation { key, label, item: item.clone(), loc });
        }
    }
    found
}

struct Parameter<'a> {
    name: String,
    location: String,
    /// The entry in the `parameters` list.
    entry: String,
    /// The parameter object, `$ref` resolved.
    loc: Loc<'a>,
}

impl<'a> Parameter<'a> {
    fn required(&self) -> bool {
        self.loc.value.get("required") == Some(&Value::Bool(true))
    }

    /// Same location and name (header names are case-insensitive).
    fn same(&self, other: &Parameter<'_>) -> bool {
        self.location == other.location
            && if self.location == "header" { self.name.eq_ignore_ascii_case(&other.name) } else { self.name == other.name }
    }

    fn describe(&self) -> String {
        format!("{} parameter `{}`", self.location, self.name)
    }

    /// Its schema, or that of its `content` media type.
    fn schema(&self) -> Option<Loc<'a>> {
        self.loc.get("schema").or_else(|| self.loc.entries_at("content").first()?.1.get("schema"))
    }
}

/// The parameters of an operation: the path item's, overridden by the
/// operation's own.
fn parameters<'a>(doc: &'a Value, operation: &Operation<'a>) -> Vec<Parameter<'a>> {
    let mut found: Vec<Parameter<'a>> = Vec::new();
    for owner in [&operation.item, &operation.loc] {
        for entry in owner.items_at("parameters") {
            let pointer = entry.pointer.clone();
            let loc = resolve(doc, entry);
            let text = |key: &str| loc.value.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
            let parameter = Parameter { name: text("name"), location: text("in"), entry: pointer, loc: loc.clone() };
            found.retain(|p| !p.same(&parameter));
            found.push(parameter);
        }
    }
    found
}

pub(super) struct Walk<'a> {
    old: &'a Value,
    new: &'a Value,
    changes: Vec<Change>,
    /// (rule, pointer) already reported: a component reached twice is reported once.
    reported: HashSet<(&'static str, String)>,
    /// Schema pairs already compared, per side: ends recursion.
    compared: HashSet<(String, String, Side)>,
    operation: Option<String>,
}

impl<'a> Walk<'a> {
    pub fn new(old: &'a Value, new: &'a Value) -> Self {
        Walk { old, new, changes: Vec::new(), reported: HashSet::new(), compared: HashSet::new(), operation: None }
    }

    fn report(&mut self, rule: Rule, old: &str, new: &str, reason: String) {
        let pointer = match rule.document {
            Document::Old => old,
            Document::New => new,
        };
        if self.reported.insert((rule.id, pointer.to_owned())) {
            self.changes.push(Change {
                rule: rule.id,
                verdict: rule.verdict,
                document: rule.document,
                pointer: pointer.to_owned(),
                operation: self.operation.clone(),
                reason,
            });
        }
    }

    pub fn run(mut self) -> Vec<Change> {
        let (old_operations, new_operations) = (operations(self.old), operations(self.new));
        for old in &old_operations {
            match new_operations.iter().find(|new| new.key == old.key) {
                Some(new) => {
                    self.operation = Some(new.label.clone());
                    self.compare_operation(old, new);
                }
                None => {
                    self.operation = Some(old.label.clone());
                    self.report(OPERATION_REMOVED, &old.loc.pointer, "", format!("operation `{}` was removed", old.key));
                }
            }
        }
        for new in new_operations.iter().filter(|new| !old_operations.iter().any(|old| old.key == new.key)) {
            self.operation = Some(new.label.clone());
            self.report(OPERATION_ADDED, "", &new.loc.pointer, format!("operation `{}` was added", new.key));
        }
        self.changes
    }

    fn compare_operation(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        self.compare_parameters(&parameters(self.old, old), &parameters(self.new, new));
        self.compare_request_body(old.loc.get("requestBody"), new.loc.get("requestBody"));
        let (old_responses, new_responses) = (old.loc.entries_at("responses"), new.loc.entries_at("responses"));
        for (status, old_response) in &old_responses {
            match new_responses.iter().find(|(s, _)| s == status) {
                Some((_, new_response)) => {
                    let (o, n) = (resolve(self.old, old_response.clone()), resolve(self.new, new_response.clone()));
                    self.compare_content(Side::Response, &o, &n);
                }
                None => self.report(RESPONSE_STATUS_REMOVED, &old_response.pointer, "", format!("response `{status}` was removed")),
            }
        }
        for (status, new_response) in new_responses.iter().filter(|(s, _)| !old_responses.iter().any(|(o, _)| o == s)) {
            self.report(RESPONSE_STATUS_ADDED, "", &new_response.pointer, format!("response `{status}` was added"));
        }
    }

    fn compare_parameters(&mut self, old: &[Parameter<'a>], new: &[Parameter<'a>]) {
        let mut moved_to = Vec::new();
        for o in old {
            if let Some(n) = new.iter().find(|n| n.same(o)) {
                match (o.required(), n.required()) {
                    (false, true) => self.report(PARAMETER_BECAME_REQUIRED, "", &n.entry, format!("{} became required", n.describe())),
                    (true, false) => self.report(PARAMETER_BECAME_OPTIONAL, "", &n.entry, format!("{} became optional", n.describe())),
                    _ => {}
                }
                if let (Some(os), Some(ns)) = (o.schema(), n.schema()) {
                    self.compare_schema(Side::Request, os, ns);
                }
            } else if let Some(n) = new.iter().find(|n| n.name == o.name && !old.iter().any(|p| p.same(n))) {
                moved_to.push(n.entry.clone());
                let reason = format!("parameter `{}` moved from {} to {}", o.name, o.location, n.location);
                self.report(PARAMETER_MOVED, &o.entry, &n.entry, reason);
            } else {
                self.report(PARAMETER_REMOVED, &o.entry, "", format!("{} was removed", o.describe()));
            }
        }
        for n in new.iter().filter(|n| !old.iter().any(|o| o.same(n)) && !moved_to.contains(&n.entry)) {
            let (rule, kind) = if n.required() { (PARAMETER_ADDED_REQUIRED, "required") } else { (PARAMETER_ADDED_OPTIONAL, "optional") };
            self.report(rule, "", &n.entry, format!("{kind} {} was added", n.describe()));
        }
    }

    fn compare_request_body(&mut self, old: Option<Loc<'a>>, new: Option<Loc<'a>>) {
        let required = |body: &Loc<'_>| body.value.get("required") == Some(&Value::Bool(true));
        let (old, new) = (old.map(|o| resolve(self.old, o)), new.map(|n| resolve(self.new, n)));
        match (old, new) {
            (None, None) => {}
            (Some(o), None) => self.report(REQUEST_BODY_REMOVED, &o.pointer, "", "the request body was removed".into()),
            (None, Some(n)) if required(&n) => self.report(REQUEST_BODY_ADDED_REQUIRED, "", &n.pointer, "a required request body was added".into()),
            (None, Some(n)) => self.report(REQUEST_BODY_ADDED_OPTIONAL, "", &n.pointer, "an optional request body was added".into()),
            (Some(o), Some(n)) => {
                match (required(&o), required(&n)) {
                    (false, true) => self.report(REQUEST_BODY_BECAME_REQUIRED, "", &n.pointer, "the request body became required".into()),
                    (true, false) => self.report(REQUEST_BODY_BECAME_OPTIONAL, "", &n.pointer, "the request body became optional".into()),
                    _ => {}
                }
                self.compare_content(Side::Request, &o, &n);
            }
        }
    }

    /// The media types of a request body or response, and their schemas.
    fn compare_content(&mut self, side: Side, old: &Loc<'a>, new: &Loc<'a>) {
        let (removed, added) = match side {
            Side::Request => (REQUEST_MEDIA_TYPE_REMOVED, REQUEST_MEDIA_TYPE_ADDED),
            Side::Response => (RESPONSE_MEDIA_TYPE_REMOVED, RESPONSE_MEDIA_TYPE_ADDED),
        };
        let (old_media, new_media) = (old.entries_at("content"), new.entries_at("content"));
        for (media, o) in &old_media {
            match new_media.iter().find(|(m, _)| m == media) {
                Some((_, n)) => {
                    if let (Some(os), Some(ns)) = (o.get("schema"), n.get("schema")) {
                        self.compare_schema(side, os, ns);
                    }
                }
                None => self.report(removed, &o.pointer, "", format!("{} media type `{media}` was removed", side.noun())),
            }
        }
        for (media, n) in new_media.iter().filter(|(m, _)| !old_media.iter().any(|(o, _)| o == m)) {
            self.report(added, "", &n.pointer, format!("{} media type `{media}` was added", side.noun()));
        }
    }

    /// Two schemas at corresponding places: `$ref` targets, nullability,
    /// then (once per pair and side) their structure.
    fn compare_schema(&mut self, side: Side, old: Loc<'a>, new: Loc<'a>) {
        let (o, n) = (view(self.old, old.clone()), view(self.new, new.clone()));
        if let (Some((old_target, old_ref)), Some((new_target, new_ref))) = (&o.reference, &n.reference)
            && old_target != new_target
        {
            let (old_name, new_name) = (short_ref(old_target), short_ref(new_target));
            if shape(self.old, o.loc.value) != shape(self.new, n.loc.value) {
                let reason = format!("$ref now targets `{new_name}` instead of `{old_name}`, whose shape differs");
                self.report(REF_RETARGETED, old_ref, new_ref, reason);
                return;
            }
            let reason = format!("$ref now targets `{new_name}` instead of `{old_name}`; both have the same shape");
            self.report(REF_RETARGETED_SAME_SHAPE, old_ref, new_ref, reason);
        }
        let nullable = match (side, o.nullable, n.nullable) {
            (Side::Response, false, true) => Some((RESPONSE_NULLABLE_ADDED, "may now be null")),
            (Side::Response, true, false) => Some((RESPONSE_NULLABLE_REMOVED, "may no longer be null")),
            (Side::Request, true, false) => Some((REQUEST_NULLABLE_REMOVED, "may no longer be null")),
            (Side::Request, false, true) => Some((REQUEST_NULLABLE_ADDED, "may now be null")),
            _ => None,
        };
        if let Some((rule, now)) = nullable {
            let reason = format!("{} {now} in {}", subject(self.new, &new.pointer), side.plural());
            self.report(rule, "", &new.pointer, reason);
        }
        if self.compared.insert((o.loc.pointer.clone(), n.loc.pointer.clone(), side)) {
            self.compare_structure(side, &o.loc, &n.loc);
        }
    }

    fn compare_structure(&mut self, side: Side, old: &Loc<'a>, new: &Loc<'a>) {
        let (old_type, new_type) = (type_name(self.old, old.value), type_name(self.new, new.value));
        if old_type != new_type {
            let (o, n) = (old_type.as_deref().unwrap_or("any"), new_type.as_deref().unwrap_or("any"));
            let reason = format!("{}: type `{o}` became `{n}`", subject(self.new, &new.pointer));
            self.report(TYPE_CHANGED, &old.pointer, &new.pointer, reason);
            return;
        }
        let format = |loc: &Loc<'_>| loc.value.get("format").and_then(Value::as_str).map(str::to_owned);
        let what = match (format(old), format(new)) {
            (Some(o), Some(n)) if o != n => Some(format!("format `{o}` became `{n}`")),
            (Some(o), None) => Some(format!("format `{o}` was dropped")),
            (None, Some(n)) => Some(format!("format `{n}` was added")),
            _ => None,
        };
        if let Some(what) = what {
            self.report(FORMAT_CHANGED, "", &new.pointer, format!("{}: {what}", subject(self.new, &new.pointer)));
        }
        self.compare_enums(side, old, new);
        match (alternatives(old), alternatives(new)) {
            (Some((_, o)), Some((_, n))) if o.len() == n.len() => {
                for (o, n) in o.into_iter().zip(n) {
                    self.compare_schema(side, o, n);
                }
            }
            (None, None) => {}
            (o, n) => {
                let count = |a: &Option<(&str, Vec<Loc<'_>>)>| a.as_ref().map_or("no".to_owned(), |(key, m)| format!("{} {key}", m.len()));
                let reason = format!("{}: {} alternatives became {}", subject(self.new, &new.pointer), count(&o), count(&n));
                self.report(TYPE_CHANGED, &old.pointer, &new.pointer, reason);
                return;
            }
        }
        for key in ["items", "additionalProperties"] {
            if let (Some(o), Some(n)) = (old.get(key), new.get(key))
                && o.value.is_object()
                && n.value.is_object()
            {
                self.compare_schema(side, o, n);
            }
        }
        self.compare_properties(side, old, new);
    }

    fn compare_enums(&mut self, side: Side, old: &Loc<'a>, new: &Loc<'a>) {
        let values = |loc: &Loc<'a>| -> Option<Vec<Loc<'a>>> { Some(loc.get("enum")?.items().filter(|v| !v.value.is_null()).collect()) };
        let list = |values: &[Loc<'_>]| values.iter().map(|v| v.value.to_string()).collect::<Vec<_>>().join(", ");
        let (removed, added) = match side {
            Side::Request => (REQUEST_ENUM_VALUE_REMOVED, REQUEST_ENUM_VALUE_ADDED),
            Side::Response => (RESPONSE_ENUM_VALUE_REMOVED, RESPONSE_ENUM_VALUE_ADDED),
        };
        let (name, side) = (subject(self.new, &new.pointer), side.noun());
        match (values(old), values(new)) {
            (Some(o), Some(n)) => {
                for value in o.iter().filter(|v| !n.iter().any(|w| w.value == v.value)) {
                    self.report(removed, &value.pointer, "", format!("enum value {} was removed from {name} ({side} side)", value.value));
                }
                for value in n.iter().filter(|v| !o.iter().any(|w| w.value == v.value)) {
                    self.report(added, "", &value.pointer, format!("enum value {} was added to {name} ({side} side)", value.value));
                }
            }
            (None, Some(n)) => self.report(removed, &old.pointer, "", format!("{name} is now limited to the enum [{}] ({side} side)", list(&n))),
            (Some(o), None) => self.report(added, "", &new.pointer, format!("{name} is no longer limited to the enum [{}] ({side} side)", list(&o))),
            (None, None) => {}
        }
    }

    fn compare_properties(&mut self, side: Side, old: &Loc<'a>, new: &Loc<'a>) {
        // Read-only properties are never sent, write-only ones never received.
        let relevant = |p: &super::schema::Property<'_>| match side {
            Side::Request => !p.read_only,
            Side::Response => !p.write_only,
        };
        let old_properties = properties(self.old, old);
        let new_properties = properties(self.new, new);
        for (name, o) in old_properties.iter().filter(|(_, p)| relevant(p)) {
            let Some(n) = new_properties.get(name).filter(|p| relevant(p)) else {
                let name = subject(self.old, &o.loc.pointer);
                let (rule, reason) = match (side, o.required) {
                    (Side::Response, true) => (RESPONSE_REQUIRED_PROPERTY_REMOVED, format!("required response property {name} was removed")),
                    (Side::Response, false) => (RESPONSE_OPTIONAL_PROPERTY_REMOVED, format!("optional response property {name} was removed")),
                    (Side::Request, _) => (REQUEST_PROPERTY_REMOVED, format!("request body property {name} was removed")),
                };
                self.report(rule, &o.loc.pointer, "", reason);
                continue;
            };
            let became = match (side, o.required, n.required) {
                (Side::Response, true, false) => Some((RESPONSE_PROPERTY_BECAME_OPTIONAL, "response property", "optional")),
                (Side::Response, false, true) => Some((RESPONSE_PROPERTY_BECAME_REQUIRED, "response property", "required")),
                (Side::Request, false, true) => Some((REQUEST_PROPERTY_BECAME_REQUIRED, "request body property", "required")),
                (Side::Request, true, false) => Some((REQUEST_PROPERTY_BECAME_OPTIONAL, "request body property", "optional")),
                _ => None,
            };
            if let Some((rule, noun, now)) = became {
                self.report(rule, "", &n.loc.pointer, format!("{noun} {} became {now}", subject(self.new, &n.loc.pointer)));
            }
            self.compare_schema(side, o.loc.clone(), n.loc.clone());
        }
        for (_, n) in new_properties.iter().filter(|(name, p)| relevant(p) && !old_properties.get(*name).is_some_and(relevant)) {
            let name = subject(self.new, &n.loc.pointer);
            let (rule, reason) = match (side, n.required) {
                (Side::Response, required) => {
                    let kind = if required { "required" } else { "optional" };
                    (RESPONSE_PROPERTY_ADDED, format!("{kind} response property {name} was added"))
                }
                (Side::Request, true) => (REQUEST_PROPERTY_ADDED_REQUIRED, format!("required request body property {name} was added")),
                (Side::Request, false) => (REQUEST_PROPERTY_ADDED_OPTIONAL, format!("optional request body property {name} was added")),
            };
            self.report(rule, "", &n.loc.pointer, reason);
        }
    }
}

/// `Item` for `#/components/schemas/Item`; other targets as written.
fn short_ref(target: &str) -> &str {
    target.strip_prefix("#/components/schemas/").unwrap_or(target)
}

/// What a schema pointer designates, for reasons: `` `Item.tags[]` ``,
/// `` parameter `id` ``, `` `(200 response).data[]` ``, `` the request body ``.
fn subject(doc: &Value, pointer: &str) -> String {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    let position = |token: &str| tokens.iter().position(|t| t == token).filter(|i| i + 1 < tokens.len());
    // How the pointer's start is named, and where the path below it starts.
    let (base, start) = if tokens.len() > 2 && tokens[0] == "components" && tokens[1] == "schemas" {
        (format!("`{}", tokens[2]), 3)
    } else if let Some(i) = position("parameters") {
        let parameter = doc.pointer(&pointer.split('/').take(i + 3).collect::<Vec<_>>().join("/"));
        let target = parameter.and_then(|p| p.get("$ref")).and_then(Value::as_str).and_then(|r| doc.pointer(r.strip_prefix('#')?));
        let name = target.or(parameter).and_then(|p| p.get("name")).and_then(Value::as_str).unwrap_or("?");
        (format!("parameter `{name}"), i + 2)
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
