//! The comparison: the document, its operations, their parameters, request
//! bodies and responses. Schemas are compared in `schemas.rs`, security
//! requirements and servers in `security.rs` and `servers.rs`.

use std::collections::HashSet;

use openapi_spec::document::{Loc, Operation, Parameter, operations, resolve};
use serde_json::Value;

use crate::rules::*;
use crate::schema::EMPTY;
use crate::subject::subject;
use crate::{Change, Document, reach};

/// Which side of the exchange a schema is reached from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Flow {
    /// Parameters and request bodies: what clients send.
    Request,
    /// Responses: what clients receive.
    Response,
}

impl Flow {
    /// `requests` or `responses`.
    pub fn plural(self) -> &'static str {
        match self {
            Flow::Request => "requests",
            Flow::Response => "responses",
        }
    }
}

/// How a change moves the set of values a schema admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Fewer values admitted.
    Narrowed,
    /// More values admitted.
    Widened,
}

/// The four rules of a family of constraints: narrowing breaks requests,
/// widening breaks responses.
pub(crate) struct Family {
    pub request_narrowed: Rule,
    pub request_widened: Rule,
    pub response_widened: Rule,
    pub response_narrowed: Rule,
}

impl Family {
    pub fn rule(&self, flow: Flow, direction: Direction) -> Rule {
        match (flow, direction) {
            (Flow::Request, Direction::Narrowed) => self.request_narrowed,
            (Flow::Request, Direction::Widened) => self.request_widened,
            (Flow::Response, Direction::Widened) => self.response_widened,
            (Flow::Response, Direction::Narrowed) => self.response_narrowed,
        }
    }
}

macro_rules! family {
    ($name:ident: $rn:ident, $rw:ident, $sw:ident, $sn:ident) => {
        pub(crate) const $name: Family = Family { request_narrowed: $rn, request_widened: $rw, response_widened: $sw, response_narrowed: $sn };
    };
}

family!(NULLABLE: REQUEST_NULLABLE_REMOVED, REQUEST_NULLABLE_ADDED, RESPONSE_NULLABLE_ADDED, RESPONSE_NULLABLE_REMOVED);
family!(ENUM: REQUEST_ENUM_VALUE_REMOVED, REQUEST_ENUM_VALUE_ADDED, RESPONSE_ENUM_VALUE_ADDED, RESPONSE_ENUM_VALUE_REMOVED);
family!(TYPE: REQUEST_TYPE_NARROWED, REQUEST_TYPE_WIDENED, RESPONSE_TYPE_WIDENED, RESPONSE_TYPE_NARROWED);
family!(FORMAT: REQUEST_FORMAT_NARROWED, REQUEST_FORMAT_WIDENED, RESPONSE_FORMAT_WIDENED, RESPONSE_FORMAT_NARROWED);
family!(RANGE: REQUEST_RANGE_NARROWED, REQUEST_RANGE_WIDENED, RESPONSE_RANGE_WIDENED, RESPONSE_RANGE_NARROWED);
family!(LENGTH: REQUEST_LENGTH_NARROWED, REQUEST_LENGTH_WIDENED, RESPONSE_LENGTH_WIDENED, RESPONSE_LENGTH_NARROWED);
family!(PATTERN: REQUEST_PATTERN_ADDED, REQUEST_PATTERN_REMOVED, RESPONSE_PATTERN_REMOVED, RESPONSE_PATTERN_ADDED);
family!(SIZE: REQUEST_SIZE_NARROWED, REQUEST_SIZE_WIDENED, RESPONSE_SIZE_WIDENED, RESPONSE_SIZE_NARROWED);
family!(ADDITIONAL_PROPERTIES: REQUEST_ADDITIONAL_PROPERTIES_NARROWED, REQUEST_ADDITIONAL_PROPERTIES_WIDENED, RESPONSE_ADDITIONAL_PROPERTIES_WIDENED, RESPONSE_ADDITIONAL_PROPERTIES_NARROWED);
family!(ALTERNATIVE: REQUEST_ALTERNATIVE_REMOVED, REQUEST_ALTERNATIVE_ADDED, RESPONSE_ALTERNATIVE_ADDED, RESPONSE_ALTERNATIVE_REMOVED);
family!(DISCRIMINATOR: REQUEST_DISCRIMINATOR_NARROWED, REQUEST_DISCRIMINATOR_WIDENED, RESPONSE_DISCRIMINATOR_WIDENED, RESPONSE_DISCRIMINATOR_NARROWED);

/// Where a schema is used, as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Site {
    /// Its values travel as text (parameters, headers): a scalar type
    /// becoming `string` widens what is accepted.
    pub text: bool,
    /// It is an optional value of a request (a parameter or a property
    /// optional in both documents): a default there is what clients that
    /// leave it out get.
    pub optional: bool,
}

impl Site {
    /// A JSON body.
    pub const BODY: Site = Site { text: false, optional: false };

    /// The site of a schema below this one (items, properties).
    pub fn child(self) -> Site {
        Site { text: self.text, optional: false }
    }
}

pub(crate) struct Walk<'a> {
    pub old: &'a Value,
    pub new: &'a Value,
    changes: Vec<Change>,
    /// (rule, document, pointer) already reported: a component reached twice is reported once.
    reported: HashSet<(&'static str, Document, String)>,
    /// Schema pairs whose children were compared, per flow: ends recursion.
    pub compared: HashSet<(String, String, Flow)>,
    /// Object pairs whose other keys were compared.
    visited: HashSet<(String, String)>,
    operation: Option<String>,
    /// Schemas equal in both documents through every `$ref`: skipped.
    pub unchanged: crate::unchanged::Unchanged,
}

impl<'a> Walk<'a> {
    pub fn new(old: &'a Value, new: &'a Value) -> Self {
        Walk {
            old,
            new,
            changes: Vec::new(),
            reported: HashSet::new(),
            compared: HashSet::new(),
            visited: HashSet::new(),
            operation: None,
            unchanged: Default::default(),
        }
    }

    pub fn report(&mut self, rule: Rule, document: Document, pointer: &str, reason: String) {
        if self.reported.insert((rule.id, document, pointer.to_owned())) {
            self.changes.push(Change {
                rule: rule.id,
                verdict: rule.verdict,
                level: rule.level,
                document,
                pointer: pointer.to_owned(),
                position: None,
                operation: self.operation.clone(),
                reason,
            });
        }
    }

    /// A change at the new document's `pointer`.
    pub fn added(&mut self, rule: Rule, pointer: &str, reason: String) {
        self.report(rule, Document::New, pointer, reason);
    }

    /// A change at the old document's `pointer` (a removal).
    pub fn removed(&mut self, rule: Rule, pointer: &str, reason: String) {
        self.report(rule, Document::Old, pointer, reason);
    }

    /// The keys of two corresponding objects that no rule judges: those
    /// for which `handled` is false and whose values differ are
    /// documentation (`documentation`), extensions (`x-`), or unclassified.
    /// Each pair of objects once.
    pub fn rest(&mut self, old: &Loc<'a>, new: &Loc<'a>, handled: impl Fn(&str) -> bool, documentation: &[&str], what: &(impl std::fmt::Display + ?Sized)) {
        if !self.visited.insert((old.pointer.clone(), new.pointer.clone())) {
            return;
        }
        let mut keys: Vec<&String> = old.value.as_object().into_iter().flatten().map(|(k, _)| k).collect();
        keys.extend(new.value.as_object().into_iter().flatten().map(|(k, _)| k).filter(|k| old.value.get(k.as_str()).is_none()));
        for key in keys {
            if handled(key) {
                continue;
            }
            self.keyword_changed(old.get(key), new.get(key), key, documentation, what);
        }
    }

    /// One keyword that no rule judges, when its value differs.
    pub fn keyword_changed(&mut self, old: Option<Loc<'a>>, new: Option<Loc<'a>>, key: &str, documentation: &[&str], what: &(impl std::fmt::Display + ?Sized)) {
        if old.as_ref().map(|l| l.value) == new.as_ref().map(|l| l.value) {
            return;
        }
        let rule = if documentation.contains(&key) {
            DOCUMENTATION_CHANGED
        } else if key.starts_with("x-") {
            EXTENSION_CHANGED
        } else {
            UNCLASSIFIED
        };
        let tail = if rule == UNCLASSIFIED { "; no rule judges it: review it" } else { "" };
        match (old, new) {
            (Some(_), Some(n)) => self.added(rule, &n.pointer, format!("`{key}` of {what} changed{tail}")),
            (None, Some(n)) => self.added(rule, &n.pointer, format!("`{key}` of {what} was added{tail}")),
            (Some(o), None) => self.removed(rule, &o.pointer, format!("`{key}` of {what} was removed{tail}")),
            (None, None) => {}
        }
    }

    pub fn run(mut self) -> Vec<Change> {
        let (old_operations, new_operations) = (operations(self.old), operations(self.new));
        let mut matched_new = vec![false; new_operations.len()];
        // The same path first; then the same path with parameter names
        // left out (a renamed path parameter), among those left: a
        // document may hold `/a/{id}` and `/a/{name}` side by side.
        // Each key computed once: documents have hundreds of operations.
        let exact: std::collections::HashMap<(&str, &str), usize> = new_operations.iter().enumerate().map(|(i, new)| ((new.method, new.path), i)).collect();
        let mut found: Vec<Option<usize>> = old_operations.iter().map(|old| exact.get(&(old.method, old.path)).copied()).collect();
        for i in found.iter().flatten() {
            matched_new[*i] = true;
        }
        let mut by_template: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
        for (i, new) in new_operations.iter().enumerate().filter(|(i, _)| !matched_new[*i]) {
            by_template.entry(template_key(new)).or_default().push(i);
        }
        for (old, found) in old_operations.iter().zip(&mut found).filter(|(_, found)| found.is_none()) {
            let candidates = by_template.get_mut(&template_key(old));
            *found = candidates.and_then(|c| (!c.is_empty()).then(|| c.remove(0)));
        }
        for (old, found) in old_operations.iter().zip(found) {
            match found {
                Some(i) => {
                    matched_new[i] = true;
                    self.operation = Some(new_operations[i].label());
                    self.compare_operation(old, &new_operations[i]);
                }
                None => {
                    self.operation = Some(old.label());
                    self.removed(OPERATION_REMOVED, &old.loc.pointer, format!("operation `{}` was removed", old.key()));
                }
            }
        }
        for (new, _) in new_operations.iter().zip(&matched_new).filter(|(_, matched)| !**matched) {
            self.operation = Some(new.label());
            self.added(OPERATION_ADDED, &new.loc.pointer, format!("operation `{}` was added", new.key()));
        }
        self.operation = None;
        self.compare_document();
        self.changes
    }

    /// What the operations do not reach: document-level keys, paths'
    /// extensions, components no operation uses.
    fn compare_document(&mut self) {
        let (old, new) = (Loc::root(self.old), Loc::root(self.new));
        self.compare_servers(old.get("servers"), new.get("servers"));
        if let (Some(o), Some(n)) = (old.get("info"), new.get("info")) {
            self.rest(&o, &n, |_| false, &["title", "version", "description", "termsOfService", "contact", "license"], "`info`");
        }
        if let (Some(o), Some(n)) = (old.get("paths"), new.get("paths")) {
            self.rest(&o, &n, |key| key.starts_with('/'), &[], "`paths`");
        }
        self.rest(&old, &new, |key| matches!(key, "paths" | "components" | "servers" | "security" | "info"), &["openapi", "tags", "externalDocs"], "the document");
        self.compare_unused_components();
    }

    fn compare_unused_components(&mut self) {
        let reached: HashSet<String> = reach::reached(self.old).into_iter().chain(reach::reached(self.new)).collect();
        let (old, new) = (Loc::root(self.old).get("components"), Loc::root(self.new).get("components"));
        let kinds = |c: &Option<Loc<'a>>| c.as_ref().map(|c| c.entries().map(|(k, _)| k.clone()).collect::<Vec<_>>()).unwrap_or_default();
        let mut all_kinds = kinds(&old);
        all_kinds.extend(kinds(&new).into_iter().filter(|k| !kinds(&old).contains(k)));
        for kind in all_kinds {
            let (o, n) = (old.as_ref().and_then(|c| c.get(&kind)), new.as_ref().and_then(|c| c.get(&kind)));
            if kind.starts_with("x-") {
                self.keyword_changed(o, n, &kind, &[], "`components`");
                continue;
            }
            let names = |l: &Option<Loc<'a>>| l.as_ref().map(|l| l.entries().map(|(k, v)| (k.clone(), v)).collect::<Vec<_>>()).unwrap_or_default();
            let (old_names, new_names) = (names(&o), names(&n));
            let mut all: Vec<String> = old_names.iter().map(|(k, _)| k.clone()).collect();
            all.extend(new_names.iter().map(|(k, _)| k.clone()).filter(|k| !old_names.iter().any(|(o, _)| o == k)));
            for name in all {
                let (o, n) = (old_names.iter().find(|(k, _)| *k == name).map(|(_, v)| v), new_names.iter().find(|(k, _)| *k == name).map(|(_, v)| v));
                let pointer = n.or(o).map(|l| l.pointer.clone()).unwrap_or_default();
                if reached.contains(&pointer) || o.map(|l| l.value) == n.map(|l| l.value) {
                    continue;
                }
                let rule = if matches!(kind.as_str(), "examples" | "links") { DOCUMENTATION_CHANGED } else { COMPONENT_UNUSED_CHANGED };
                let what = format!("component `{kind}/{name}`, which no operation reaches,");
                match (o, n) {
                    (None, Some(n)) => self.added(rule, &n.pointer, format!("{what} was added")),
                    (Some(o), None) => self.removed(rule, &o.pointer, format!("{what} was removed")),
                    (_, Some(n)) => self.added(rule, &n.pointer, format!("{what} changed")),
                    (None, None) => {}
                }
            }
        }
    }

    fn compare_operation(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        let renamed = renamed_path_parameters(old.path, new.path);
        for (from, to) in &renamed {
            let reason = format!("path parameter `{{{from}}}` is now `{{{to}}}`; the URLs are the same");
            self.added(PATH_PARAMETER_RENAMED, &new.item.pointer, reason);
        }
        let what = format!("operation `{}`", new.key());
        self.compare_deprecated(old.loc.get("deprecated"), new.loc.get("deprecated"), &what);
        if old.loc.str("operationId") != new.loc.str("operationId") {
            let (o, n) = (old.loc.str("operationId").unwrap_or("(none)"), new.loc.str("operationId").unwrap_or("(none)"));
            let pointer = new.loc.get("operationId").map_or(new.loc.pointer.clone(), |l| l.pointer);
            self.added(OPERATION_ID_CHANGED, &pointer, format!("operationId `{o}` became `{n}`; generated clients rename the method"));
        }
        self.compare_parameters(&old.parameters(self.old), &new.parameters(self.new), &renamed);
        self.compare_request_body(old.loc.get("requestBody"), new.loc.get("requestBody"));
        self.compare_responses(&old.loc, &new.loc);
        self.compare_security(old, new);
        let servers = |op: &Operation<'a>, doc: &'a Value| op.loc.get("servers").or_else(|| op.item.get("servers")).or_else(|| Loc::root(doc).get("servers"));
        self.compare_servers(servers(old, self.old), servers(new, self.new));
        const OPERATION_HANDLED: [&str; 7] = ["operationId", "parameters", "requestBody", "responses", "deprecated", "security", "servers"];
        self.rest(&old.loc, &new.loc, |key| OPERATION_HANDLED.contains(&key), &["tags", "summary", "description", "externalDocs"], &what);
        let methods = openapi_spec::document::METHODS;
        let path = format!("path `{}`", new.path);
        self.rest(&old.item, &new.item, |key| methods.contains(&key) || matches!(key, "parameters" | "servers" | "$ref"), &["summary", "description"], &path);
    }

    pub fn compare_deprecated(&mut self, old: Option<Loc<'a>>, new: Option<Loc<'a>>, what: &(impl std::fmt::Display + ?Sized)) {
        let flag = |l: &Option<Loc<'a>>| l.as_ref().is_some_and(|l| l.value == &Value::Bool(true));
        match (flag(&old), flag(&new)) {
            (false, true) => self.added(DEPRECATED, &new.map(|l| l.pointer).unwrap_or_default(), format!("{what} was deprecated")),
            (true, false) => {
                let reason = format!("{what} is no longer deprecated");
                match new {
                    Some(n) => self.added(UNDEPRECATED, &n.pointer, reason),
                    None => self.removed(UNDEPRECATED, &old.map(|l| l.pointer).unwrap_or_default(), reason),
                }
            }
            _ => {}
        }
    }

    fn compare_parameters(&mut self, old: &[Parameter<'a>], new: &[Parameter<'a>], renamed: &[(String, String)]) {
        let mut matched = vec![false; new.len()];
        for o in old {
            let same = |n: &Parameter<'_>| {
                o.same(n) || (o.location == "path" && n.location == "path" && renamed.iter().any(|(from, to)| from == o.name && to == n.name))
            };
            if let Some(i) = new.iter().position(same) {
                matched[i] = true;
                self.compare_parameter(o, &new[i]);
            } else if let Some(i) = new.iter().enumerate().position(|(i, n)| !matched[i] && n.name == o.name && !old.iter().any(|p| p.same(n))) {
                matched[i] = true;
                let reason = format!("parameter `{}` moved from {} to {}", o.name, o.location, new[i].location);
                self.added(PARAMETER_MOVED, &new[i].entry, reason);
            } else {
                self.removed(PARAMETER_REMOVED, &o.entry, format!("{} was removed", o.describe()));
            }
        }
        for (n, _) in new.iter().zip(&matched).filter(|(_, m)| !**m) {
            let (rule, kind) = if n.required() { (PARAMETER_ADDED_REQUIRED, "required") } else { (PARAMETER_ADDED_OPTIONAL, "optional") };
            self.added(rule, &n.entry, format!("{kind} {} was added", n.describe()));
        }
    }

    fn compare_parameter(&mut self, old: &Parameter<'a>, new: &Parameter<'a>) {
        let what = new.describe();
        match (old.required(), new.required()) {
            (false, true) => self.added(PARAMETER_BECAME_REQUIRED, &new.entry, format!("{what} became required")),
            (true, false) => self.added(PARAMETER_BECAME_OPTIONAL, &new.entry, format!("{what} became optional")),
            _ => {}
        }
        self.compare_deprecated(old.loc.get("deprecated"), new.loc.get("deprecated"), &what);
        let style = |p: &Parameter<'_>, doc: &'a Value| {
            let (style, explode) = openapi_spec::model::serialization(p);
            // `explode` changes how arrays and objects are written, not scalars.
            let schema = p.loc.get("schema").map(|schema| crate::schema::view(doc, schema));
            let scalar = schema.as_ref().and_then(crate::schema::type_name).is_some_and(|t| matches!(t.as_str(), "string" | "integer" | "number" | "boolean"));
            (style, !scalar && explode)
        };
        let (old_style, new_style) = (style(old, self.old), style(new, self.new));
        if old_style != new_style {
            let ((os, oe), (ns, ne)) = (old_style, new_style);
            self.added(PARAMETER_STYLE_CHANGED, &new.loc.pointer, format!("{what}: style {os} (explode {oe}) became {ns} (explode {ne})"));
        }
        for key in ["allowEmptyValue", "allowReserved"] {
            match (old.loc.flag(key), new.loc.flag(key)) {
                (false, true) => self.added(PARAMETER_ALLOWANCE_WIDENED, &format!("{}/{key}", new.loc.pointer), format!("{what}: `{key}` turned on")),
                (true, false) if key == "allowEmptyValue" => {
                    self.removed(PARAMETER_ALLOWANCE_NARROWED, &format!("{}/{key}", old.loc.pointer), format!("{what}: `{key}` turned off"))
                }
                (true, false) => self.removed(PARAMETER_STYLE_CHANGED, &format!("{}/{key}", old.loc.pointer), format!("{what}: `{key}` turned off")),
                _ => {}
            }
        }
        let media = |p: &Parameter<'_>| p.loc.value.get("content").and_then(Value::as_object).and_then(|c| c.keys().next().cloned());
        if media(old) != media(new) {
            self.added(UNCLASSIFIED, &new.loc.pointer, format!("{what}: its serialization (`schema` or `content` media type) changed; no rule judges it: review it"));
        }
        let site = Site { text: true, optional: !old.required() && !new.required() };
        let empty = |p: &Parameter<'_>| Loc::new(&EMPTY, format!("{}/schema", p.loc.pointer));
        let (os, ns) = (old.schema().unwrap_or_else(|| empty(old)), new.schema().unwrap_or_else(|| empty(new)));
        self.compare_schema(Flow::Request, os, ns, site);
        const HANDLED: [&str; 10] = ["name", "in", "required", "deprecated", "style", "explode", "allowEmptyValue", "allowReserved", "schema", "content"];
        self.rest(&old.loc, &new.loc, |key| HANDLED.contains(&key), &["description", "example", "examples"], &what);
    }

    fn compare_request_body(&mut self, old: Option<Loc<'a>>, new: Option<Loc<'a>>) {
        let (old, new) = (old.map(|o| resolve(self.old, o)), new.map(|n| resolve(self.new, n)));
        match (old, new) {
            (None, None) => {}
            (Some(o), None) => self.removed(REQUEST_BODY_REMOVED, &o.pointer, "the request body was removed".into()),
            (None, Some(n)) if n.flag("required") => self.added(REQUEST_BODY_ADDED_REQUIRED, &n.pointer, "a required request body was added".into()),
            (None, Some(n)) => self.added(REQUEST_BODY_ADDED_OPTIONAL, &n.pointer, "an optional request body was added".into()),
            (Some(o), Some(n)) => {
                match (o.flag("required"), n.flag("required")) {
                    (false, true) => self.added(REQUEST_BODY_BECAME_REQUIRED, &n.pointer, "the request body became required".into()),
                    (true, false) => self.added(REQUEST_BODY_BECAME_OPTIONAL, &n.pointer, "the request body became optional".into()),
                    _ => {}
                }
                self.compare_content(Flow::Request, &o, &n);
                self.rest(&o, &n, |key| matches!(key, "content" | "required"), &["description"], "the request body");
            }
        }
    }

    /// The media types of a request body, response or header, and their schemas.
    fn compare_content(&mut self, flow: Flow, old: &Loc<'a>, new: &Loc<'a>) {
        let (removed, added) = match flow {
            Flow::Request => (REQUEST_MEDIA_TYPE_REMOVED, REQUEST_MEDIA_TYPE_ADDED),
            Flow::Response => (RESPONSE_MEDIA_TYPE_REMOVED, RESPONSE_MEDIA_TYPE_ADDED),
        };
        let noun = if flow == Flow::Request { "request" } else { "response" };
        let (old_media, new_media) = (old.entries_at("content"), new.entries_at("content"));
        // The same media type, or one that differs only by its parameters.
        let essence = |media: &str| media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let counterpart = |media: &String| {
            new_media.iter().find(|(m, _)| *m == media).or_else(|| {
                let unmatched = |m: &String| !old_media.iter().any(|(o, _)| *o == m);
                new_media.iter().find(|(m, _)| unmatched(m) && essence(m) == essence(media))
            })
        };
        for (media, o) in &old_media {
            match counterpart(media) {
                Some((new_name, n)) => {
                    if new_name != media {
                        let reason = format!("{noun} media type `{media}` is now written `{new_name}`");
                        self.added(MEDIA_TYPE_PARAMETERS_CHANGED, &n.pointer, reason);
                    }
                    let empty = |l: &Loc<'_>| Loc::new(&EMPTY, format!("{}/schema", l.pointer));
                    let (os, ns) = (o.get("schema").unwrap_or_else(|| empty(o)), n.get("schema").unwrap_or_else(|| empty(n)));
                    self.compare_schema(flow, os, ns, Site::BODY);
                    self.rest(o, n, |key| key == "schema", &["example", "examples"], &format!("media type `{media}`"));
                }
                None => self.removed(removed, &o.pointer, format!("{noun} media type `{media}` was removed")),
            }
        }
        let matched = |m: &String| old_media.iter().any(|(o, _)| counterpart(o).is_some_and(|(c, _)| *c == m));
        for (media, n) in new_media.iter().filter(|(m, _)| !matched(m)) {
            self.added(added, &n.pointer, format!("{noun} media type `{media}` was added"));
        }
    }

    fn compare_responses(&mut self, old: &Loc<'a>, new: &Loc<'a>) {
        let (old_responses, new_responses) = (old.entries_at("responses"), new.entries_at("responses"));
        let success = |status: &str| status.starts_with('2');
        for (status, o) in old_responses.iter().filter(|(s, _)| !s.starts_with("x-")) {
            match new_responses.iter().find(|(s, _)| s == status) {
                Some((_, n)) => {
                    let (o, n) = (resolve(self.old, o.clone()), resolve(self.new, n.clone()));
                    self.compare_response(status, &o, &n);
                }
                None if success(status) => self.removed(RESPONSE_SUCCESS_STATUS_REMOVED, &o.pointer, format!("success response `{status}` was removed")),
                None => self.removed(RESPONSE_ERROR_STATUS_REMOVED, &o.pointer, format!("response `{status}` was removed")),
            }
        }
        for (status, n) in new_responses.iter().filter(|(s, _)| !s.starts_with("x-") && !old_responses.iter().any(|(o, _)| o == s)) {
            let rule = if success(status) { RESPONSE_SUCCESS_STATUS_ADDED } else { RESPONSE_ERROR_STATUS_ADDED };
            let kind = if success(status) { "success response" } else { "response" };
            self.added(rule, &n.pointer, format!("{kind} `{status}` was added"));
        }
        if let (Some(o), Some(n)) = (old.get("responses"), new.get("responses")) {
            self.rest(&o, &n, |key| !key.starts_with("x-"), &[], "`responses`");
        }
    }

    fn compare_response(&mut self, status: &str, old: &Loc<'a>, new: &Loc<'a>) {
        self.compare_headers(status, old, new);
        self.compare_content(Flow::Response, old, new);
        self.rest(old, new, |key| matches!(key, "headers" | "content"), &["description", "links"], &format!("response `{status}`"));
    }

    fn compare_headers(&mut self, status: &str, old: &Loc<'a>, new: &Loc<'a>) {
        let headers = |doc: &'a Value, loc: &Loc<'a>| -> Vec<(String, Loc<'a>, Loc<'a>)> {
            loc.entries_at("headers").into_iter().map(|(name, entry)| (name.to_ascii_lowercase(), entry.clone(), resolve(doc, entry))).collect()
        };
        let (old_headers, new_headers) = (headers(self.old, old), headers(self.new, new));
        for (name, o_entry, o) in &old_headers {
            let what = format!("response header `{name}` of `{status}`");
            let Some((_, _, n)) = new_headers.iter().find(|(m, _, _)| m == name) else {
                let rule = if o.flag("required") { RESPONSE_HEADER_REMOVED_REQUIRED } else { RESPONSE_HEADER_REMOVED_OPTIONAL };
                let kind = if o.flag("required") { "required" } else { "optional" };
                self.removed(rule, &o_entry.pointer, format!("{kind} {what} was removed"));
                continue;
            };
            match (o.flag("required"), n.flag("required")) {
                (true, false) => self.added(RESPONSE_HEADER_BECAME_OPTIONAL, &n.pointer, format!("{what} became optional")),
                (false, true) => self.added(RESPONSE_HEADER_BECAME_REQUIRED, &n.pointer, format!("{what} became required")),
                _ => {}
            }
            self.compare_deprecated(o.get("deprecated"), n.get("deprecated"), &what);
            let schema = |l: &Loc<'a>| l.get("schema").unwrap_or_else(|| Loc::new(&EMPTY, format!("{}/schema", l.pointer)));
            self.compare_schema(Flow::Response, schema(o), schema(n), Site { text: true, optional: false });
            self.rest(o, n, |key| matches!(key, "required" | "deprecated" | "schema"), &["description", "example", "examples"], &what);
        }
        for (name, n_entry, _) in new_headers.iter().filter(|(name, _, _)| !old_headers.iter().any(|(o, _, _)| o == name)) {
            self.added(RESPONSE_HEADER_ADDED, &n_entry.pointer, format!("response header `{name}` of `{status}` was added"));
        }
    }

    /// `what` in reasons: the subject of a pointer of the new document.
    pub fn subject(&self, pointer: &str) -> String {
        subject(self.new, pointer)
    }
}

/// `GET /items/{}`: what matches operations across documents.
fn template_key(operation: &Operation<'_>) -> String {
    format!("{} {}", operation.method, normalized_template(operation.path))
}

pub(crate) fn normalized_template(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// The path parameters whose names differ between two templates that
/// match (by position).
fn renamed_path_parameters(old: &str, new: &str) -> Vec<(String, String)> {
    let names = |path: &str| -> Vec<String> { path.split('{').skip(1).filter_map(|s| s.split_once('}')).map(|(name, _)| name.to_owned()).collect() };
    names(old).into_iter().zip(names(new)).filter(|(o, n)| o != n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_whatever_their_parameter_names() {
        assert_eq!(normalized_template("/items/{id}/tags/{tag}"), "/items/{}/tags/{}");
        assert_eq!(renamed_path_parameters("/items/{id}/tags/{tag}", "/items/{item_id}/tags/{tag}"), [("id".to_owned(), "item_id".to_owned())]);
    }
}
