//! Schema filters (`--schema`, `--exclude-schema`, `schemas`,
//! `exclude_schemas`): exact names or globs, and the check that each one
//! names a schema somewhere. A filter that names nothing would compare
//! nothing and report "no drift", the one answer a drift check must never
//! give by mistake.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// `*` any run of characters, `?` one character, everything else literal
/// (case-sensitive, as PostgreSQL's names are).
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matching with backtracking to the last `*`: linear-ish, no recursion.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// Whether schema `name` is read under these filters (no `include`: every schema).
pub fn selects(include: &[String], exclude: &[String], name: &str) -> bool {
    (include.is_empty() || include.iter().any(|p| glob(p, name)))
        && !exclude.iter().any(|p| glob(p, name))
}

/// The exact names the filters select among `names`, as the catalog
/// queries take them: (only these, none of these). An include filter that
/// selects nothing here becomes a name no schema can have (the empty
/// string), so that it reads nothing rather than everything.
pub fn expand(
    include: &[String],
    exclude: &[String],
    names: &[String],
) -> (Vec<String>, Vec<String>) {
    let matching = |patterns: &[String]| -> Vec<String> {
        names
            .iter()
            .filter(|n| patterns.iter().any(|p| glob(p, n)))
            .cloned()
            .collect()
    };
    let mut only = Vec::new();
    if !include.is_empty() {
        only = matching(include);
        if only.is_empty() {
            only.push(String::new());
        }
    }
    (only, matching(exclude))
}

/// The schema names the sources of one comparison had before filtering,
/// filled in by each read (live, shadow or file) so that a filter can be
/// checked against both sides at the end. Clones share the set.
#[derive(Debug, Clone, Default)]
pub struct SeenSchemas(Arc<Mutex<BTreeSet<String>>>);

impl SeenSchemas {
    pub fn record<'a>(&self, names: impl IntoIterator<Item = &'a String>) {
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        seen.extend(names.into_iter().cloned());
    }

    fn names(&self) -> Vec<String> {
        let seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        seen.iter().cloned().collect()
    }
}

/// How a comparison's filters are named in its error.
pub struct Wording<'a> {
    /// `--schema`, or `schemas` (of a config file).
    pub include: &'a str,
    /// `--exclude-schema`, or `exclude_schemas`.
    pub exclude: &'a str,
    /// Where the schemas were looked for: `in either source`, ...
    pub place: &'a str,
}

/// The wording of the command-line flags.
pub const FLAGS: Wording<'static> = Wording {
    include: "--schema",
    exclude: "--exclude-schema",
    place: "in either source",
};

/// An error naming the first filter that matches none of the schemas
/// `seen` (with the schemas there are, and a near miss in another case).
pub fn ensure_matched(
    include: &[String],
    exclude: &[String],
    seen: &SeenSchemas,
    wording: &Wording,
) -> Result<()> {
    let names = seen.names();
    let unmatched = include
        .iter()
        .map(|p| (wording.include, p))
        .chain(exclude.iter().map(|p| (wording.exclude, p)))
        .find(|(_, p)| !names.iter().any(|n| glob(p, n)));
    let Some((label, pattern)) = unmatched else {
        return Ok(());
    };
    let there = if names.is_empty() {
        "there are none".to_string()
    } else {
        const SHOWN: usize = 10;
        let mut list = names
            .iter()
            .take(SHOWN)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        if names.len() > SHOWN {
            list.push_str(&format!(" and {} more", names.len() - SHOWN));
        }
        format!("there are {list}")
    };
    let lower = pattern.to_lowercase();
    let near = names
        .iter()
        .find(|n| glob(&lower, &n.to_lowercase()))
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    Err(Error::Usage(format!(
        "{label} `{pattern}` names no schema {} ({there}{near})",
        wording.place
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn globs() {
        assert!(glob("app_*", "app_billing"));
        assert!(glob("app_*", "app_"));
        assert!(!glob("app_*", "App_x"));
        assert!(glob("?are", "care"));
        assert!(glob("*", ""));
        assert!(glob("a*b*c", "aXbYbZc"));
        assert!(!glob("a*b*c", "aXbYbZ"));
        assert!(glob("exact", "exact") && !glob("exact", "exactly"));
    }

    #[test]
    fn selection_and_expansion() {
        let names = v(&["app_a", "app_b", "care", "scratch"]);
        assert!(selects(&v(&["app_*"]), &v(&["app_b"]), "app_a"));
        assert!(!selects(&v(&["app_*"]), &v(&["app_b"]), "app_b"));
        assert!(selects(&[], &v(&["scr*"]), "care"));
        assert_eq!(
            expand(&v(&["app_*", "care"]), &v(&["*b"]), &names),
            (v(&["app_a", "app_b", "care"]), v(&["app_b"]))
        );
        assert_eq!(expand(&[], &[], &names), (vec![], vec![]));
        // An include filter that selects nothing reads nothing, not everything.
        assert_eq!(expand(&v(&["nope"]), &[], &names), (v(&[""]), vec![]));
    }

    #[test]
    fn a_filter_that_names_nothing_is_an_error_naming_it() {
        let seen = SeenSchemas::default();
        seen.record(&v(&["app", "public"]));
        assert!(ensure_matched(&v(&["app", "pub*"]), &v(&["app"]), &seen, &FLAGS).is_ok());
        let e = ensure_matched(&v(&["app", "App"]), &[], &seen, &FLAGS)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "--schema `App` names no schema in either source (there are app, public; did you mean `app`?)"
        );
        let e = ensure_matched(&[], &v(&["scratch"]), &seen, &FLAGS)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "--exclude-schema `scratch` names no schema in either source (there are app, public)"
        );
        let e = ensure_matched(&v(&["x"]), &[], &SeenSchemas::default(), &FLAGS)
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("(there are none)"), "{e}");
    }
}
