//! Servers (base URLs) as clients meet them: the operation's, else the
//! path item's, else the document's.

use openapi_spec::document::Loc;

use crate::rules::*;
use crate::walk::Walk;

/// The server's URL as a client configured by default calls it: each
/// `{variable}` replaced by its default.
fn url(server: &Loc<'_>) -> String {
    let mut url = server.str("url").unwrap_or_default().trim_end_matches('/').to_owned();
    for (name, variable) in server.entries_at("variables") {
        if let Some(default) = variable.str("default") {
            url = url.replace(&format!("{{{name}}}"), default);
        }
    }
    url
}

impl<'a> Walk<'a> {
    /// Two server lists (`None`: not declared).
    pub(crate) fn compare_servers(&mut self, old: Option<Loc<'a>>, new: Option<Loc<'a>>) {
        let items = |l: &Option<Loc<'a>>| l.as_ref().map(|l| l.items().collect::<Vec<_>>()).unwrap_or_default();
        let (old_servers, new_servers) = (items(&old), items(&new));
        let mut matched = vec![false; new_servers.len()];
        let mut removed = Vec::new();
        for o in &old_servers {
            match new_servers.iter().enumerate().position(|(i, n)| !matched[i] && url(n) == url(o)) {
                Some(i) => {
                    matched[i] = true;
                    let what = format!("server `{}`", url(o));
                    // The same URL by default: a variable with that default
                    // changes no client's calls (listed, `info`).
                    self.rest(o, &new_servers[i], |key| key == "url", &["description", "variables"], &what);
                }
                None => removed.push(o),
            }
        }
        let mut added = new_servers.iter().zip(&matched).filter(|(_, m)| !**m).map(|(n, _)| n);
        for o in removed {
            match added.next() {
                Some(n) => {
                    let reason = format!("server `{}` became `{}`{}", url(o), url(n), base_path_change(&url(o), &url(n)));
                    self.added(SERVER_CHANGED, &n.pointer, reason);
                }
                None => self.removed(SERVER_REMOVED, &o.pointer, format!("server `{}` was removed", url(o))),
            }
        }
        for n in added {
            self.added(SERVER_ADDED, &n.pointer, format!("server `{}` was added", url(n)));
        }
    }
}

/// ` (base path /api/v2 became /api/v3)` when only the path differs.
fn base_path_change(old: &str, new: &str) -> String {
    let split = |url: &str| -> (String, String) {
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        match rest.find('/') {
            Some(i) => (url[..url.len() - rest.len() + i].to_owned(), rest[i..].to_owned()),
            None => (url.to_owned(), "/".to_owned()),
        }
    };
    let ((old_host, old_path), (new_host, new_path)) = (split(old), split(new));
    if old_host == new_host && old_path != new_path { format!(" (base path {old_path} became {new_path})") } else { String::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_path_change_is_named() {
        assert_eq!(base_path_change("https://a.tld/api/v2", "https://a.tld/api/v3"), " (base path /api/v2 became /api/v3)");
        assert_eq!(base_path_change("https://a.tld/api/v2", "https://b.tld/api/v2"), "");
    }
}
