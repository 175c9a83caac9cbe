//! Comparing two schemas at corresponding places: `$ref` targets and
//! nullability, then every keyword (type, format, enum, bounds, pattern,
//! `additionalProperties`, discriminator, default, deprecation, and the
//! rest), then, once per pair and flow, their children (properties, items,
//! alternatives).

use openapi_spec::document::Loc;
use serde_json::Value;

use crate::rules::*;
use crate::subject::Subject;
use crate::schema::{DOCUMENTATION, EMPTY, View, alternatives, properties, shape, type_name, view};
use crate::walk::*;

/// Keywords judged by a rule; the others are documentation, extensions or
/// unclassified.
const HANDLED: [&str; 29] = [
    "type",
    "format",
    "enum",
    "nullable",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "additionalProperties",
    "discriminator",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "properties",
    "required",
    "items",
    "anyOf",
    "oneOf",
    "allOf",
];

/// How a bound keyword restricts values.
#[derive(Clone, Copy)]
enum Bound {
    /// `maximum`, `maxLength`, ...: lower is narrower.
    Upper,
    /// `minimum`, `minLength`, ...: higher is narrower.
    Lower,
    /// `exclusiveMaximum` (3.0), `uniqueItems`: `true` is narrower.
    Flag,
    /// `multipleOf`: a multiple of the old value is narrower.
    MultipleOf,
}

/// `Item` for `#/components/schemas/Item`; other targets as written.
fn short_ref(target: &str) -> &str {
    target.strip_prefix("#/components/schemas/").unwrap_or(target)
}

fn text(value: Option<&Value>) -> String {
    value.map_or_else(|| "none".to_owned(), Value::to_string)
}

impl<'a> Walk<'a> {
    /// Two schemas at corresponding places, reached from `flow`.
    pub(crate) fn compare_schema(&mut self, flow: Flow, old: Loc<'a>, new: Loc<'a>, site: Site) {
        if self.unchanged.check(self.old, self.new, old.value, new.value) {
            return;
        }
        let (o, n) = (view(self.old, old), view(self.new, new.clone()));
        if let (Some((old_target, _)), Some((new_target, new_ref))) = (&o.reference, &n.reference)
            && old_target != new_target
        {
            let (old_name, new_name) = (short_ref(old_target), short_ref(new_target));
            // Not a change in itself: what differs between the two
            // targets is found below, each difference by its own rule.
            if shape(self.old, o.loc.value) != shape(self.new, n.loc.value) {
                let reason = format!("$ref now targets `{new_name}` instead of `{old_name}`; what differs between them is listed apart");
                self.added(REF_RETARGETED, new_ref, reason);
            } else {
                let reason = format!("$ref now targets `{new_name}` instead of `{old_name}`; both have the same shape");
                self.added(REF_RETARGETED_SAME_SHAPE, new_ref, reason);
            }
        }
        if o.nullable != n.nullable {
            let (direction, now) = if n.nullable { (Direction::Widened, "may now be null") } else { (Direction::Narrowed, "may no longer be null") };
            let reason = format!("{} {now} in {}", self.subject(&new.pointer), flow.plural());
            self.added(NULLABLE.rule(flow, direction), &new.pointer, reason);
        }
        if self.compare_keywords(flow, &o, &n, site) && self.compared.insert((o.loc.pointer.clone(), n.loc.pointer.clone(), flow)) {
            self.compare_children(flow, &o, &n, site.child());
        }
    }

    /// Reports a change of keyword `key` in the document where it is
    /// written now (the old one when it was removed).
    fn keyword(&mut self, rule: Rule, o: &View<'a>, n: &View<'a>, key: &str, reason: String) {
        match (n.get(key), o.get(key)) {
            (Some(at), _) => {
                let pointer = at.pointer.clone();
                self.added(rule, &pointer, reason);
            }
            (None, Some(at)) => {
                let pointer = at.pointer.clone();
                self.removed(rule, &pointer, reason);
            }
            (None, None) => {
                let pointer = n.loc.pointer.clone();
                self.added(rule, &pointer, reason);
            }
        }
    }

    /// The keywords; `false` when the types are unrelated, so that the
    /// children are not compared (everything below would differ).
    fn compare_keywords(&mut self, flow: Flow, o: &View<'a>, n: &View<'a>, site: Site) -> bool {
        // Named only when a change is reported: most schemas do not change.
        let name = Subject::new(self.new, &n.loc.pointer);
        if !self.compare_types(flow, o, n, &name, site) {
            return false;
        }
        self.compare_format(flow, o, n, &name);
        self.compare_enums(flow, o, n, &name);
        for (key, bound) in [("maximum", Bound::Upper), ("minimum", Bound::Lower), ("multipleOf", Bound::MultipleOf)] {
            self.compare_bound(flow, &RANGE, o, n, key, bound, &name);
        }
        for (key, upper) in [("exclusiveMaximum", Bound::Upper), ("exclusiveMinimum", Bound::Lower)] {
            // 3.0 writes a flag beside `maximum`; 3.1 the bound itself.
            let numeric = [o, n].iter().any(|v| v.value(key).is_some_and(Value::is_number));
            self.compare_bound(flow, &RANGE, o, n, key, if numeric { upper } else { Bound::Flag }, &name);
        }
        for (key, bound) in [("maxLength", Bound::Upper), ("minLength", Bound::Lower)] {
            self.compare_bound(flow, &LENGTH, o, n, key, bound, &name);
        }
        for (key, bound) in [
            ("maxItems", Bound::Upper),
            ("minItems", Bound::Lower),
            ("uniqueItems", Bound::Flag),
            ("maxProperties", Bound::Upper),
            ("minProperties", Bound::Lower),
        ] {
            self.compare_bound(flow, &SIZE, o, n, key, bound, &name);
        }
        self.compare_pattern(flow, o, n, &name);
        self.compare_additional_properties(flow, o, n, &name);
        self.compare_discriminator(flow, o, n, &name);
        if o.value("default") != n.value("default") {
            let rule = if flow == Flow::Request && site.optional { REQUEST_DEFAULT_CHANGED } else { SCHEMA_DEFAULT_CHANGED };
            let reason = match (o.value("default"), n.value("default")) {
                (None, Some(b)) => format!("{name}: default {b} was added"),
                (Some(a), None) => format!("{name}: default {a} was removed"),
                (a, b) => format!("{name}: default {} became {}", text(a), text(b)),
            };
            self.keyword(rule, o, n, "default", reason);
        }
        self.compare_deprecated(o.get("deprecated").cloned(), n.get("deprecated").cloned(), &name);
        let mut keys: Vec<String> = o.keywords.keys().cloned().collect();
        keys.extend(n.keywords.keys().filter(|k| !o.keywords.contains_key(*k)).cloned());
        for key in keys.iter().filter(|k| !HANDLED.contains(&k.as_str())) {
            self.keyword_changed(o.get(key).cloned(), n.get(key).cloned(), key, &DOCUMENTATION, &name);
        }
        true
    }

    fn compare_types(&mut self, flow: Flow, o: &View<'a>, n: &View<'a>, name: &Subject<'_>, site: Site) -> bool {
        let annotation = |k: &str| matches!(k, "deprecated" | "default" | "readOnly" | "writeOnly" | "nullable");
        let constrained = |v: &View<'_>| v.keywords.keys().any(|k| HANDLED.contains(&k.as_str()) && !annotation(k));
        match (constrained(o), constrained(n)) {
            (false, false) => return true,
            (false, true) => {
                self.keyword(TYPE.rule(flow, Direction::Narrowed), o, n, "type", format!("{name}: any value became a constrained schema"));
                return false;
            }
            (true, false) => {
                self.keyword(TYPE.rule(flow, Direction::Widened), o, n, "type", format!("{name}: a constrained schema became any value"));
                return false;
            }
            (true, true) => {}
        }
        match (alternatives(o), alternatives(n)) {
            // `anyOf` admits what `oneOf` does and more (a value matching
            // two alternatives).
            (Some((a, _)), Some((b, _))) if a != b => {
                let direction = if b == "anyOf" { Direction::Widened } else { Direction::Narrowed };
                let reason = format!("{name}: `{a}` alternatives became `{b}` alternatives");
                self.keyword(TYPE.rule(flow, direction), o, n, b, reason);
            }
            // One schema became alternatives, or the reverse: the plain
            // side is one alternative; only the alternatives are compared.
            (Some(_), None) | (None, Some(_)) => {
                self.compare_alternatives(flow, o, n, site);
                return false;
            }
            _ => {}
        }
        // Alternatives of one type have that type: `type: object` written
        // beside a `oneOf` of objects narrows nothing.
        let (old_type, new_type) = (type_name(o).or_else(|| alternatives_type(self.old, o)), type_name(n).or_else(|| alternatives_type(self.new, n)));
        if old_type == new_type {
            return true;
        }
        let scalar = |t: &str| matches!(t, "integer" | "number" | "boolean");
        let direction = match (old_type.as_deref(), new_type.as_deref()) {
            (Some("integer"), Some("number")) | (Some(_), None) => Some(Direction::Widened),
            (Some("number"), Some("integer")) | (None, Some(_)) => Some(Direction::Narrowed),
            // As text, every integer, number or boolean is a string.
            (Some(t), Some("string")) if site.text && scalar(t) => Some(Direction::Widened),
            (Some("string"), Some(t)) if site.text && scalar(t) => Some(Direction::Narrowed),
            _ => None,
        };
        let reason = format!("{name}: type `{}` became `{}`", old_type.as_deref().unwrap_or("any"), new_type.as_deref().unwrap_or("any"));
        match direction {
            Some(direction) => {
                self.keyword(TYPE.rule(flow, direction), o, n, "type", reason);
                true
            }
            None => {
                self.keyword(TYPE_CHANGED, o, n, "type", reason);
                false
            }
        }
    }

    fn compare_format(&mut self, flow: Flow, o: &View<'a>, n: &View<'a>, name: &Subject<'_>) {
        let format = |v: &View<'_>| v.value("format").and_then(Value::as_str).map(str::to_owned);
        let (of, nf) = (format(o), format(n));
        if of == nf {
            return;
        }
        // Only numeric formats nest: `2024-05-01` is a date and no date-time.
        const WIDENINGS: [(&str, &str); 4] = [("int32", "int64"), ("float", "double"), ("int32", "bigint"), ("int64", "bigint")];
        let direction = match (of.as_deref(), nf.as_deref()) {
            // A numeric format bounds the values: judged with the bounds and
            // enum in force (`{minimum: 1, maximum: 1000}` gaining `int64`
            // loses no value).
            _ if Range::of(o).is_some() && Range::of(n).is_some() => Some(range_direction(flow, o, n)),
            (None, Some(_)) => Some(Direction::Narrowed),
            (Some(_), None) => Some(Direction::Widened),
            (Some(a), Some(b)) if WIDENINGS.contains(&(a, b)) => Some(Direction::Widened),
            (Some(a), Some(b)) if WIDENINGS.contains(&(b, a)) => Some(Direction::Narrowed),
            _ => None,
        };
        let reason = match (of.as_deref(), nf.as_deref()) {
            (None, Some(b)) => format!("{name}: format `{b}` was added"),
            (Some(a), None) => format!("{name}: format `{a}` was removed"),
            (a, b) => format!("{name}: format `{}` became `{}`", a.unwrap_or("none"), b.unwrap_or("none")),
        };
        let rule = direction.map_or(FORMAT_CHANGED, |d| FORMAT.rule(flow, d));
        self.keyword(rule, o, n, "format", reason);
    }

    fn compare_enums(&mut self, flow: Flow, o: &View<'a>, n: &View<'a>, name: &Subject<'_>) {
        // An enum of every value the type has (`[true, false]` for a
        // boolean) restricts nothing: lifting it is a spelling change.
        let values = |v: &View<'a>| -> Option<Vec<Loc<'a>>> {
            let values: Vec<Loc<'a>> = v.get("enum")?.items().filter(|v| !v.value.is_null()).collect();
            let every_boolean = type_name(v).as_deref() == Some("boolean") && [true, false].iter().all(|b| values.iter().any(|v| v.value == &Value::Bool(*b)));
            (!every_boolean).then_some(values)
        };
        let list = |values: &[Loc<'_>]| values.iter().map(|v| v.value.to_string()).collect::<Vec<_>>().join(", ");
        let (narrowed, widened) = (ENUM.rule(flow, Direction::Narrowed), ENUM.rule(flow, Direction::Widened));
        let side = flow.plural();
        match (values(o), values(n)) {
            (Some(old), Some(new)) => {
                for value in old.iter().filter(|v| !new.iter().any(|w| w.value == v.value)) {
                    self.removed(narrowed, &value.pointer, format!("enum value {} was removed from {name} ({side})", value.value));
                }
                for value in new.iter().filter(|v| !old.iter().any(|w| w.value == v.value)) {
                    self.added(widened, &value.pointer, format!("enum value {} was added to {name} ({side})", value.value));
                }
            }
            (None, Some(new)) => self.keyword(narrowed, o, n, "enum", format!("{name} is now limited to the enum [{}] ({side})", list(&new))),
            (Some(old), None) => self.keyword(widened, o, n, "enum", format!("{name} is no longer limited to the enum [{}] ({side})", list(&old))),
            (None, None) => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn compare_bound(&mut self, flow: Flow, family: &Family, o: &View<'a>, n: &View<'a>, key: &str, bound: Bound, name: &Subject<'_>) {
        // A bound at the value that restricts nothing is no bound:
        // `minLength: 0`, `minItems: 0`, `minProperties: 0`, `multipleOf: 1`
        // on an integer, `uniqueItems: false`, an exclusive flag `false`.
        let effective = |v: &View<'a>| {
            v.value(key).filter(|value| {
                let restricts_nothing = match (key, value) {
                    ("minLength" | "minItems" | "minProperties", value) => value.as_f64() == Some(0.0),
                    ("multipleOf", value) => value.as_f64() == Some(1.0) && type_name(v).as_deref() == Some("integer"),
                    ("uniqueItems" | "exclusiveMaximum" | "exclusiveMinimum", Value::Bool(false)) => true,
                    _ => false,
                };
                !restricts_nothing
            })
        };
        let (a, b) = (effective(o), effective(n));
        if a == b {
            return;
        }
        let number = |v: Option<&Value>| v.and_then(Value::as_f64);
        let flag = |v: Option<&Value>| v == Some(&Value::Bool(true));
        let direction = match bound {
            // A number's bounds: judged on the whole range in force (bounds,
            // exclusivity, format, enum), not keyword by keyword.
            Bound::Upper | Bound::Lower | Bound::Flag if family.request_narrowed == RANGE.request_narrowed && Range::of(o).is_some() && Range::of(n).is_some() => {
                Some(range_direction(flow, o, n))
            }
            Bound::Upper | Bound::Lower => match (number(a), number(b)) {
                (None, Some(_)) => Some(Direction::Narrowed),
                (Some(_), None) => Some(Direction::Widened),
                (Some(x), Some(y)) => Some(if (y < x) == matches!(bound, Bound::Upper) { Direction::Narrowed } else { Direction::Widened }),
                (None, None) => None,
            },
            Bound::Flag => Some(if flag(b) { Direction::Narrowed } else { Direction::Widened }),
            Bound::MultipleOf => match (number(a), number(b)) {
                (None, Some(_)) => Some(Direction::Narrowed),
                (Some(_), None) => Some(Direction::Widened),
                (Some(x), Some(y)) if is_integer(y / x) => Some(Direction::Narrowed),
                (Some(x), Some(y)) if is_integer(x / y) => Some(Direction::Widened),
                _ => None,
            },
        };
        // Said as written (`minItems` 0 became 1), not as judged.
        let reason = match (o.value(key), n.value(key)) {
            (None, Some(b)) => format!("{name}: `{key}: {b}` was added"),
            (Some(a), None) => format!("{name}: `{key}: {a}` was removed"),
            (a, b) => format!("{name}: `{key}` {} became {}", text(a), text(b)),
        };
        let rule = match direction {
            Some(direction) => family.rule(flow, direction),
            None => MULTIPLE_OF_CHANGED,
        };
        self.keyword(rule, o, n, key, reason);
    }

    fn compare_pattern(&mut self, flow: Flow, o: &View<'a>, n: &View<'a>, name: &Subject<'_>) {
        let (a, b) = (o.value("pattern"), n.value("pattern"));
        let (rule, reason) = match (a, b) {
            (None, Some(b)) => (PATTERN.rule(flow, Direction::Narrowed), format!("{name}: pattern {b} was added")),
            (Some(a), None) => (PATTERN.rule(flow, Direction::Widened), format!("{name}: pattern {a} was removed")),
            (Some(a), Some(b)) if a != b => (PATTERN_CHANGED, format!("{name}: pattern {a} became {b}")),
            _ => return,
        };
        self.keyword(rule, o, n, "pattern", reason);
    }

    fn compare_additional_properties(&mut self, flow: Flow, o: &View<'a>, n: &View<'a>, name: &Subject<'_>) {
        // 0: any key allowed, 1: keys whose values match a schema, 2: no other key.
        let strictness = |v: &View<'_>| -> usize {
            match v.value("additionalProperties") {
                Some(Value::Bool(false)) => 2,
                Some(Value::Object(_)) => 1,
                _ => 0,
            }
        };
        let (a, b) = (strictness(o), strictness(n));
        if a == b {
            return;
        }
        let describe = ["any other key allowed", "other keys restricted to a schema", "no other key allowed"];
        let direction = if b > a { Direction::Narrowed } else { Direction::Widened };
        let reason = format!("{name}: {} (it was {})", describe[b], describe[a]);
        self.keyword(ADDITIONAL_PROPERTIES.rule(flow, direction), o, n, "additionalProperties", reason);
    }

    fn compare_discriminator(&mut self, flow: Flow, o: &View<'a>, n: &View<'a>, name: &Subject<'_>) {
        let (a, b) = (o.get("discriminator").cloned(), n.get("discriminator").cloned());
        let (a, b) = match (a, b) {
            (None, None) => return,
            (None, Some(_)) => {
                let reason = format!("{name}: a discriminator was added");
                return self.keyword(DISCRIMINATOR.rule(flow, Direction::Narrowed), o, n, "discriminator", reason);
            }
            (Some(_), None) => {
                let reason = format!("{name}: its discriminator was removed");
                return self.keyword(DISCRIMINATOR.rule(flow, Direction::Widened), o, n, "discriminator", reason);
            }
            (Some(a), Some(b)) => (a, b),
        };
        if a.str("propertyName") != b.str("propertyName") {
            let reason = format!("{name}: the discriminator property `{}` became `{}`", a.str("propertyName").unwrap_or("?"), b.str("propertyName").unwrap_or("?"));
            self.added(DISCRIMINATOR_CHANGED, &b.pointer, reason);
        }
        let (old_mapping, new_mapping) = (a.entries_at("mapping"), b.entries_at("mapping"));
        for (key, at) in &old_mapping {
            match new_mapping.iter().find(|(k, _)| k == key) {
                None => self.removed(DISCRIMINATOR.rule(flow, Direction::Narrowed), &at.pointer, format!("{name}: discriminator value `{key}` was removed")),
                Some((_, new_at)) if new_at.value != at.value => {
                    self.added(DISCRIMINATOR_CHANGED, &new_at.pointer, format!("{name}: discriminator value `{key}` maps to {} instead of {}", new_at.value, at.value))
                }
                Some(_) => {}
            }
        }
        for (key, at) in new_mapping.iter().filter(|(k, _)| !old_mapping.iter().any(|(o, _)| o == k)) {
            self.added(DISCRIMINATOR.rule(flow, Direction::Widened), &at.pointer, format!("{name}: discriminator value `{key}` was added"));
        }
        self.rest(&a, &b, |key| matches!(key, "propertyName" | "mapping"), &[], &format!("the discriminator of {name}"));
    }

    fn compare_children(&mut self, flow: Flow, o: &View<'a>, n: &View<'a>, site: Site) {
        self.compare_properties(flow, o, n, site);
        let empty = |v: &View<'_>, key: &str| Loc::new(&EMPTY, format!("{}/{key}", v.loc.pointer));
        match (o.get("items").cloned(), n.get("items").cloned()) {
            (Some(a), Some(b)) => self.compare_schema(flow, a, b, site),
            (Some(a), None) => self.compare_schema(flow, a, empty(n, "items"), site),
            (None, Some(b)) => self.compare_schema(flow, empty(o, "items"), b, site),
            (None, None) => {}
        }
        if let (Some(a), Some(b)) = (o.get("additionalProperties").cloned(), n.get("additionalProperties").cloned())
            && a.value.is_object()
            && b.value.is_object()
        {
            self.compare_schema(flow, a, b, site);
        }
        self.compare_alternatives(flow, o, n, site);
    }

    fn compare_properties(&mut self, flow: Flow, o: &View<'a>, n: &View<'a>, site: Site) {
        // Read-only properties are never sent, write-only ones never received.
        let relevant = |p: &crate::schema::Property<'_>| match flow {
            Flow::Request => !p.read_only,
            Flow::Response => !p.write_only,
        };
        let hidden = if flow == Flow::Request { "read-only" } else { "write-only" };
        let (old_properties, new_properties) = (properties(self.old, &o.loc), properties(self.new, &n.loc));
        let closed = o.value("additionalProperties") == Some(&Value::Bool(false));
        for (property, old) in old_properties.iter().filter(|(_, p)| relevant(p)) {
            let name = Subject::new(self.old, &old.loc.pointer);
            let new = match new_properties.get(property) {
                Some(new) if relevant(new) => new,
                found => {
                    let how = if found.is_some() { format!("became {hidden}") } else { "was removed".to_owned() };
                    let (rule, reason) = match (flow, old.required) {
                        (Flow::Response, true) => (RESPONSE_REQUIRED_PROPERTY_REMOVED, format!("required response property {name} {how}")),
                        (Flow::Response, false) => (RESPONSE_OPTIONAL_PROPERTY_REMOVED, format!("optional response property {name} {how}")),
                        (Flow::Request, _) => (REQUEST_PROPERTY_REMOVED, format!("request body property {name} {how}")),
                    };
                    match found {
                        Some(now) => self.added(rule, &now.loc.pointer, reason),
                        None => self.removed(rule, &old.loc.pointer, reason),
                    }
                    continue;
                }
            };
            let became = match (flow, old.required, new.required) {
                (Flow::Response, true, false) => Some((RESPONSE_PROPERTY_BECAME_OPTIONAL, "response property", "optional")),
                (Flow::Response, false, true) => Some((RESPONSE_PROPERTY_BECAME_REQUIRED, "response property", "required")),
                (Flow::Request, false, true) => Some((REQUEST_PROPERTY_BECAME_REQUIRED, "request body property", "required")),
                (Flow::Request, true, false) => Some((REQUEST_PROPERTY_BECAME_OPTIONAL, "request body property", "optional")),
                _ => None,
            };
            if let Some((rule, noun, now)) = became {
                self.added(rule, &new.loc.pointer, format!("{noun} {} became {now}", self.subject(&new.loc.pointer)));
            }
            let optional = Site { optional: !old.required && !new.required, ..site };
            self.compare_schema(flow, old.loc.clone(), new.loc.clone(), optional);
        }
        for (property, new) in new_properties.iter().filter(|(name, p)| relevant(p) && !old_properties.get(*name).is_some_and(relevant)) {
            let name = self.subject(&new.loc.pointer);
            let how = if old_properties.contains_key(property) { format!("is no longer {hidden}") } else { "was added".to_owned() };
            let (rule, reason) = match (flow, new.required) {
                (Flow::Response, _) if closed => {
                    (RESPONSE_PROPERTY_ADDED_TO_CLOSED_OBJECT, format!("response property {name} {how} to an object with `additionalProperties: false`"))
                }
                (Flow::Response, required) => {
                    let kind = if required { "required" } else { "optional" };
                    (RESPONSE_PROPERTY_ADDED, format!("{kind} response property {name} {how}"))
                }
                (Flow::Request, true) => (REQUEST_PROPERTY_ADDED_REQUIRED, format!("required request body property {name} {how}")),
                (Flow::Request, false) => (REQUEST_PROPERTY_ADDED_OPTIONAL, format!("optional request body property {name} {how}")),
            };
            self.added(rule, &new.loc.pointer, reason);
        }
    }

    fn compare_alternatives(&mut self, flow: Flow, o: &View<'a>, n: &View<'a>, site: Site) {
        let (old_members, new_members) = (members(o), members(n));
        if old_members.len() <= 1 && new_members.len() <= 1 {
            return;
        }
        let mut used = vec![false; new_members.len()];
        let mut unmatched = Vec::new();
        for (old, old_ref) in &old_members {
            let by_reference = new_members.iter().enumerate().position(|(j, (_, new_ref))| !used[j] && old_ref.is_some() && old_ref == new_ref);
            let by_shape = || new_members.iter().enumerate().position(|(j, (new, _))| !used[j] && shape(self.old, old.value) == shape(self.new, new.value));
            match by_reference.or_else(by_shape) {
                Some(j) => {
                    used[j] = true;
                    self.compare_schema(flow, old.clone(), new_members[j].0.clone(), site);
                }
                None => unmatched.push((old.clone(), old_ref.clone())),
            }
        }
        // Inline alternatives left on both sides: the same one, edited.
        for (old, old_ref) in unmatched {
            let inline = new_members.iter().enumerate().position(|(j, (_, new_ref))| !used[j] && old_ref.is_none() && new_ref.is_none());
            match inline {
                Some(j) => {
                    used[j] = true;
                    self.compare_schema(flow, old, new_members[j].0.clone(), site);
                }
                None => {
                    let reason = format!("{}: alternative {} was removed", self.subject(&n.origin), describe(&old, old_ref.as_deref()));
                    self.removed(ALTERNATIVE.rule(flow, Direction::Narrowed), &old.pointer, reason);
                }
            }
        }
        for ((new, new_ref), _) in new_members.iter().zip(&used).filter(|(_, used)| !**used) {
            let reason = format!("{}: alternative {} was added", self.subject(&n.origin), describe(new, new_ref.as_deref()));
            self.added(ALTERNATIVE.rule(flow, Direction::Widened), &new.pointer, reason);
        }
    }
}

/// The type every alternative of `view` has, when they agree.
fn alternatives_type(doc: &Value, view: &View<'_>) -> Option<String> {
    let (_, members) = alternatives(view)?;
    let mut types = members.into_iter().map(|member| type_name(&crate::schema::view(doc, member)));
    let first = types.next()??;
    types.all(|t| t.as_deref() == Some(first.as_str())).then_some(first)
}

/// The alternatives of a view with the `$ref` each names; a schema without
/// alternatives is its own single alternative.
fn members<'a>(view: &View<'a>) -> Vec<(Loc<'a>, Option<String>)> {
    match alternatives(view) {
        Some((_, members)) => members.into_iter().map(|m| {
            let reference = m.str("$ref").map(str::to_owned);
            (m, reference)
        }).collect(),
        None => vec![(view.loc.clone(), view.reference.as_ref().map(|(target, _)| target.clone()))],
    }
}

fn describe(member: &Loc<'_>, reference: Option<&str>) -> String {
    match reference {
        Some(target) => format!("`{}`", short_ref(target)),
        None => format!("#{}", member.pointer.rsplit('/').next().unwrap_or("?")),
    }
}

/// The numbers a schema admits, as far as bounds and a numeric format say:
/// `[low, high]`, integers only for `type: integer`. `None` for a schema
/// that is not a number, or whose format is not numeric.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Range {
    low: f64,
    high: f64,
    /// Whether the bound itself is excluded (integers' bounds are made
    /// inclusive instead).
    low_open: bool,
    high_open: bool,
    integer: bool,
}

impl Range {
    fn of(view: &View<'_>) -> Option<Range> {
        let integer = match type_name(view).as_deref() {
            Some("integer") => true,
            Some("number") => false,
            _ => return None,
        };
        // What each numeric format can hold (OpenAPI's, and the unsigned
        // ones generators read).
        let (mut low, mut high) = match view.value("format").map(|f| f.as_str()) {
            None => (f64::NEG_INFINITY, f64::INFINITY),
            Some(Some("int32")) => (f64::from(i32::MIN), f64::from(i32::MAX)),
            Some(Some("int64")) => (i64::MIN as f64, i64::MAX as f64),
            Some(Some("uint32")) => (0.0, f64::from(u32::MAX)),
            Some(Some("uint64")) => (0.0, u64::MAX as f64),
            Some(Some("float")) => (f64::from(f32::MIN), f64::from(f32::MAX)),
            Some(Some("double")) => (f64::MIN, f64::MAX),
            _ => return None,
        };
        let (mut low_open, mut high_open) = (false, false);
        let number = |key: &str| view.value(key).and_then(Value::as_f64);
        let flag = |key: &str| view.value(key) == Some(&Value::Bool(true));
        // 3.0 writes `exclusiveMaximum: true` beside `maximum`; 3.1 the bound itself.
        let upper = [(number("maximum"), flag("exclusiveMaximum")), (number("exclusiveMaximum"), true)];
        for (bound, open) in upper.into_iter().filter_map(|(b, open)| Some((b?, open))) {
            if bound < high || (bound == high && open) {
                (high, high_open) = (bound, open);
            }
        }
        let lower = [(number("minimum"), flag("exclusiveMinimum")), (number("exclusiveMinimum"), true)];
        for (bound, open) in lower.into_iter().filter_map(|(b, open)| Some((b?, open))) {
            if bound > low || (bound == low && open) {
                (low, low_open) = (bound, open);
            }
        }
        if integer {
            // `exclusiveMaximum: 10` and `maximum: 9` admit the same integers.
            high = if high_open { (high - 1.0).ceil() } else { high.floor() };
            low = if low_open { (low + 1.0).floor() } else { low.ceil() };
            (low_open, high_open) = (false, false);
        }
        Some(Range { low, high, low_open, high_open, integer })
    }

    fn contains(&self, x: f64) -> bool {
        let above = if self.low_open { x > self.low } else { x >= self.low };
        let below = if self.high_open { x < self.high } else { x <= self.high };
        above && below && (!self.integer || x.fract() == 0.0)
    }

    /// Whether every number of `self` is in `other`.
    fn within(&self, other: &Range) -> bool {
        let low = self.low > other.low || (self.low == other.low && (self.low_open || !other.low_open));
        let high = self.high < other.high || (self.high == other.high && (self.high_open || !other.high_open));
        (self.low > self.high) || (low && high && (other.integer <= self.integer))
    }
}

/// The direction of a change of a number's range, as its flow judges it:
/// a request narrows only when some number valid before is invalid now, a
/// response widens only when some number valid now was not before. An
/// enum in force narrows the set to its values.
fn range_direction(flow: Flow, o: &View<'_>, n: &View<'_>) -> Direction {
    let (Some(old), Some(new)) = (Range::of(o), Range::of(n)) else { return Direction::Narrowed };
    let values = |v: &View<'_>| v.value("enum").and_then(Value::as_array).map(|values| values.iter().filter_map(Value::as_f64).collect::<Vec<f64>>());
    // Every value `from` admits is admitted by `to`.
    let kept = |from: &Range, from_view: &View<'_>, to: &Range| match values(from_view) {
        Some(values) => values.into_iter().filter(|x| from.contains(*x)).all(|x| to.contains(x)),
        None => from.within(to),
    };
    match flow {
        Flow::Request if kept(&old, o, &new) => Direction::Widened,
        Flow::Request => Direction::Narrowed,
        Flow::Response if kept(&new, n, &old) => Direction::Narrowed,
        Flow::Response => Direction::Widened,
    }
}

fn is_integer(x: f64) -> bool {
    x.is_finite() && (x - x.round()).abs() < 1e-9
}
