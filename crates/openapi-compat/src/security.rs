//! Security requirements as clients meet them: the operation's own, else
//! the document's; alternatives (OR) of schemes (AND) with scopes. Schemes
//! are matched by name, or by definition when one was renamed.

use std::collections::BTreeMap;

use openapi_spec::document::{Loc, Operation};
use serde_json::Value;

use crate::rules::*;
use crate::walk::Walk;

/// One alternative: scheme name to scopes, and where it is written.
struct Requirement<'a> {
    schemes: BTreeMap<String, Vec<String>>,
    loc: Loc<'a>,
}

/// The requirements that apply to an operation, and the list they come from.
fn effective<'a>(doc: &'a Value, operation: &Operation<'a>) -> (Vec<Requirement<'a>>, Option<Loc<'a>>) {
    let list = operation.loc.get("security").or_else(|| Loc::root(doc).get("security"));
    let requirements = list
        .iter()
        .flat_map(|l| l.items().collect::<Vec<_>>())
        .map(|loc| {
            let schemes = loc
                .value
                .as_object()
                .into_iter()
                .flatten()
                .map(|(name, scopes)| (name.clone(), scopes.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()))
                .collect();
            Requirement { schemes, loc }
        })
        .collect();
    (requirements, list)
}

/// Anonymous requests are accepted: no requirement, or an empty one (`{}`).
fn anonymous(requirements: &[Requirement<'_>]) -> bool {
    requirements.is_empty() || requirements.iter().any(|r| r.schemes.is_empty())
}

fn scheme<'a>(doc: &'a Value, name: &str) -> Option<Loc<'a>> {
    Loc::root(doc).get("components")?.get("securitySchemes")?.get(name)
}

/// A scheme's definition without its documentation: what identifies it.
fn identity(definition: &Value) -> Value {
    let mut definition = definition.clone();
    if let Some(map) = definition.as_object_mut() {
        map.retain(|key, _| !matches!(key.as_str(), "description" | "bearerFormat") && !key.starts_with("x-"));
    }
    definition
}

impl<'a> Walk<'a> {
    /// The old name of each scheme, as the new document names it.
    fn renamed(&self, name: &str) -> String {
        if scheme(self.new, name).is_some() {
            return name.to_owned();
        }
        let Some(old) = scheme(self.old, name) else { return name.to_owned() };
        let candidates: Vec<String> = Loc::root(self.new)
            .get("components")
            .and_then(|c| c.get("securitySchemes"))
            .map(|s| s.entries().filter(|(n, l)| scheme(self.old, n).is_none() && identity(l.value) == identity(old.value)).map(|(n, _)| n.clone()).collect())
            .unwrap_or_default();
        match candidates.as_slice() {
            [only] => only.clone(),
            _ => name.to_owned(),
        }
    }

    pub(crate) fn compare_security(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        let (mut old_requirements, _) = effective(self.old, old);
        let (new_requirements, new_list) = effective(self.new, new);
        for requirement in &mut old_requirements {
            requirement.schemes = std::mem::take(&mut requirement.schemes).into_iter().map(|(name, scopes)| (self.renamed(&name), scopes)).collect();
        }
        let what = format!("operation `{}`", new.key());
        let list_pointer = |list: &Option<Loc<'a>>, operation: &Operation<'a>| list.as_ref().map_or(operation.loc.pointer.clone(), |l| l.pointer.clone());
        match (anonymous(&old_requirements), anonymous(&new_requirements)) {
            (true, false) => {
                let reason = format!("{what} now requires credentials ({}); it accepted anonymous requests", names(&new_requirements));
                return self.added(SECURITY_ADDED, &list_pointer(&new_list, new), reason);
            }
            (false, true) => {
                let reason = format!("{what} now accepts anonymous requests");
                return self.added(SECURITY_REMOVED, &list_pointer(&new_list, new), reason);
            }
            _ => {}
        }
        let mut matched = vec![false; new_requirements.len()];
        for requirement in old_requirements.iter().filter(|r| !r.schemes.is_empty()) {
            let keys = |r: &Requirement<'_>| r.schemes.keys().cloned().collect::<Vec<_>>();
            let same = new_requirements.iter().position(|n| keys(n) == keys(requirement));
            let subset = || new_requirements.iter().position(|n| !n.schemes.is_empty() && n.schemes.keys().all(|k| requirement.schemes.contains_key(k)));
            let superset = || new_requirements.iter().position(|n| requirement.schemes.keys().all(|k| n.schemes.contains_key(k)));
            if let Some(i) = same {
                matched[i] = true;
                self.compare_scopes(requirement, &new_requirements[i], &what);
            } else if let Some(i) = subset() {
                matched[i] = true;
                let dropped: Vec<&String> = requirement.schemes.keys().filter(|k| !new_requirements[i].schemes.contains_key(*k)).collect();
                let reason = format!("{what} no longer requires {} beside {}", list(&dropped), list(&new_requirements[i].schemes.keys().collect::<Vec<_>>()));
                self.added(SECURITY_SCHEME_DROPPED, &new_requirements[i].loc.pointer, reason);
            } else if let Some(i) = superset() {
                matched[i] = true;
                let added: Vec<&String> = new_requirements[i].schemes.keys().filter(|k| !requirement.schemes.contains_key(*k)).collect();
                let reason = format!("{what} now also requires {} beside {}", list(&added), list(&requirement.schemes.keys().collect::<Vec<_>>()));
                self.added(SECURITY_SCHEME_ANDED, &new_requirements[i].loc.pointer, reason);
            } else {
                let reason = format!("{what} no longer accepts {}", list(&requirement.schemes.keys().collect::<Vec<_>>()));
                self.removed(SECURITY_ALTERNATIVE_REMOVED, &requirement.loc.pointer, reason);
            }
        }
        for (requirement, _) in new_requirements.iter().zip(&matched).filter(|(r, m)| !**m && !r.schemes.is_empty()) {
            let reason = format!("{what} also accepts {}", list(&requirement.schemes.keys().collect::<Vec<_>>()));
            self.added(SECURITY_ALTERNATIVE_ADDED, &requirement.loc.pointer, reason);
        }
        // The definitions of the schemes used on both sides.
        let used: std::collections::BTreeSet<&String> = old_requirements
            .iter()
            .flat_map(|r| r.schemes.keys())
            .filter(|name| new_requirements.iter().any(|r| r.schemes.contains_key(*name)))
            .collect();
        for name in used {
            if let (Some(o), Some(n)) = (scheme(self.old, &self.original_name(name)), scheme(self.new, name)) {
                self.compare_scheme(&o, &n, name);
            }
        }
    }

    /// The old document's name of a scheme the new one calls `name`.
    fn original_name(&self, name: &str) -> String {
        Loc::root(self.old)
            .get("components")
            .and_then(|c| c.get("securitySchemes"))
            .and_then(|s| s.entries().map(|(n, _)| n.clone()).find(|n| self.renamed(n) == name))
            .unwrap_or_else(|| name.to_owned())
    }

    fn compare_scopes(&mut self, old: &Requirement<'a>, new: &Requirement<'a>, what: &str) {
        for (scheme, old_scopes) in &old.schemes {
            let new_scopes = new.schemes.get(scheme).cloned().unwrap_or_default();
            for scope in new_scopes.iter().filter(|s| !old_scopes.contains(s)) {
                self.added(SECURITY_SCOPE_ADDED, &new.loc.pointer, format!("{what} now requires the scope `{scope}` of `{scheme}`"));
            }
            for scope in old_scopes.iter().filter(|s| !new_scopes.contains(s)) {
                self.added(SECURITY_SCOPE_REMOVED, &new.loc.pointer, format!("{what} no longer requires the scope `{scope}` of `{scheme}`"));
            }
        }
    }

    fn compare_scheme(&mut self, old: &Loc<'a>, new: &Loc<'a>, name: &str) {
        let what = format!("security scheme `{name}`");
        for key in ["type", "scheme", "in", "name", "openIdConnectUrl"] {
            let value = |l: &Loc<'_>| l.str(key).map(|s| if key == "scheme" { s.to_ascii_lowercase() } else { s.to_owned() });
            if value(old) != value(new) {
                let reason = format!("{what}: `{key}` {} became {}", value(old).unwrap_or("none".into()), value(new).unwrap_or("none".into()));
                let pointer = new.get(key).map_or(new.pointer.clone(), |l| l.pointer);
                self.added(SECURITY_SCHEME_CHANGED, &pointer, reason);
            }
        }
        let (old_flows, new_flows) = (old.entries_at("flows"), new.entries_at("flows"));
        for (flow, o) in &old_flows {
            let Some((_, n)) = new_flows.iter().find(|(f, _)| f == flow) else {
                self.removed(SECURITY_SCHEME_CHANGED, &o.pointer, format!("{what}: the OAuth flow `{flow}` was removed"));
                continue;
            };
            for key in ["authorizationUrl", "tokenUrl", "refreshUrl"] {
                if o.str(key) != n.str(key) {
                    let reason = format!("{what}: `{key}` of the `{flow}` flow changed");
                    let pointer = n.get(key).map_or(n.pointer.clone(), |l| l.pointer);
                    self.added(SECURITY_SCHEME_CHANGED, &pointer, reason);
                }
            }
            let (old_scopes, new_scopes) = (o.entries_at("scopes"), n.entries_at("scopes"));
            for (scope, at) in old_scopes.iter().filter(|(s, _)| !new_scopes.iter().any(|(t, _)| t == s)) {
                self.removed(SECURITY_SCHEME_CHANGED, &at.pointer, format!("{what}: the scope `{scope}` of the `{flow}` flow was removed"));
            }
            for (scope, at) in new_scopes.iter().filter(|(s, _)| !old_scopes.iter().any(|(t, _)| t == s)) {
                self.added(SECURITY_SCHEME_EXTENDED, &at.pointer, format!("{what}: the `{flow}` flow offers the new scope `{scope}`"));
            }
            let handled = |key: &str| matches!(key, "authorizationUrl" | "tokenUrl" | "refreshUrl" | "scopes");
            self.rest(o, n, handled, &[], &format!("the `{flow}` flow of {what}"));
        }
        for (flow, n) in new_flows.iter().filter(|(f, _)| !old_flows.iter().any(|(o, _)| o == f)) {
            self.added(SECURITY_SCHEME_EXTENDED, &n.pointer, format!("{what}: the OAuth flow `{flow}` was added"));
        }
        let handled = |key: &str| matches!(key, "type" | "scheme" | "in" | "name" | "openIdConnectUrl" | "flows");
        self.rest(old, new, handled, &["description", "bearerFormat"], &what);
    }
}

fn names(requirements: &[Requirement<'_>]) -> String {
    requirements.iter().map(|r| list(&r.schemes.keys().collect::<Vec<_>>())).collect::<Vec<_>>().join(" or ")
}

fn list(names: &[&String]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" and ")
}
