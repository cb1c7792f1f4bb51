//! Ignore rules: which changes a report leaves out.
//!
//! A rule is one of:
//!
//! | rule | matches |
//! | --- | --- |
//! | `code:GLOB` | the change code, e.g. `code:comment-changed`, `code:index-*` |
//! | `type:GLOB` | the object type, e.g. `type:index`, `type:*view` |
//! | `object:GLOB` | the object's qualified name, e.g. `object:care.tmp_*` |
//! | `severity:LEVEL` | `severity:info` (only that level) |
//! | `GLOB` with a `.` | the object, as `object:GLOB` |
//! | `GLOB` without a `.` | a change code, as `code:GLOB`; it must match a known code |
//!
//! Object globs work on dot-separated segments: `*` matches any run of
//! characters within one segment and `?` one character; a segment never
//! spans a dot (dots inside a function's parentheses belong to its last
//! segment). A pattern of N segments matches an object whose first N
//! segments match, so ignoring an object ignores everything inside it:
//! `care.tmp_*` ignores the tables `care.tmp_*` and their columns, indexes
//! and other children, `*.*.*_hotfix_idx` matches
//! `care.patients.email_hotfix_idx`. Code and type globs match the whole text.

use super::{Change, Code, ObjectType, Severity};
use crate::filter::glob;

/// One parsed `--ignore` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    Code(String),
    ObjectType(String),
    Object(Vec<String>),
    Severity(Severity),
}

/// A set of rules; a change matching any of them is ignored.
#[derive(Debug, Clone, Default)]
pub struct IgnoreRules {
    rules: Vec<Rule>,
}

impl IgnoreRules {
    /// Parse rules, checking codes and object types against the ones this
    /// build emits so that a typo is an error rather than a silent no-op.
    pub fn parse(
        patterns: &[String],
        codes: &[&str],
        object_types: &[&str],
    ) -> Result<IgnoreRules, String> {
        let mut rules = Vec::new();
        for p in patterns {
            rules.push(parse_rule(p, codes, object_types)?);
        }
        Ok(IgnoreRules { rules })
    }

    /// Parse rules against every code and object type this build emits.
    pub fn parse_known(patterns: &[String]) -> Result<IgnoreRules, String> {
        let mut codes: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
        codes.sort_unstable();
        let mut types: Vec<&str> = ObjectType::ALL.iter().map(|t| t.name()).collect();
        types.sort_unstable();
        IgnoreRules::parse(patterns, &codes, &types)
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn matches(&self, c: &Change) -> bool {
        self.rules.iter().any(|r| match r {
            Rule::Code(g) => glob(g, c.code().name()),
            Rule::ObjectType(g) => glob(g, c.object_type().name()),
            Rule::Severity(s) => *s == c.severity(),
            Rule::Object(segs) => {
                let obj = segments(c.object());
                obj.len() >= segs.len() && segs.iter().zip(&obj).all(|(g, o)| glob(g, o))
            }
        })
    }

    /// Keep the changes no rule matches; returns how many were ignored.
    pub fn apply(&self, changes: &mut Vec<Change>) -> usize {
        let before = changes.len();
        changes.retain(|c| !self.matches(c));
        before - changes.len()
    }
}

fn parse_rule(p: &str, codes: &[&str], object_types: &[&str]) -> Result<Rule, String> {
    let bad = |why: String| Err(format!("invalid --ignore rule `{p}`: {why}"));
    let (prefix, body) = match p.split_once(':') {
        Some((k @ ("code" | "type" | "object" | "severity"), rest)) => (Some(k), rest),
        _ => (None, p),
    };
    if body.is_empty() {
        return bad("the pattern is empty".into());
    }
    match prefix {
        Some("code") => {
            if !codes.iter().any(|c| glob(body, c)) {
                return bad("it matches no change code (the README lists the change codes)".into());
            }
            Ok(Rule::Code(body.to_string()))
        }
        Some("type") => {
            if !object_types.iter().any(|t| glob(body, t)) {
                return bad(format!(
                    "it matches no object type (one of: {})",
                    object_types.join(", ")
                ));
            }
            Ok(Rule::ObjectType(body.to_string()))
        }
        Some("severity") => match Severity::parse(body) {
            Some(s) => Ok(Rule::Severity(s)),
            None => bad("the severity is one of error, warning, info".into()),
        },
        Some(_) => Ok(Rule::Object(segments(body))),
        None if body.contains('.') => Ok(Rule::Object(segments(body))),
        None => {
            if !codes.iter().any(|c| glob(body, c)) {
                return bad(
                    "it has no `.`, so it is read as a change code, and it matches none; \
                     write `object:NAME` for an object without a dot, or see the README for the change codes"
                        .into(),
                );
            }
            Ok(Rule::Code(body.to_string()))
        }
    }
}

/// Split a qualified name on dots outside parentheses and double quotes.
fn segments(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.saturating_sub(1),
            '.' if !quoted && depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{ChangeKind, Definition};

    const CODES: &[&str] = &[
        "comment-changed",
        "index-missing",
        "index-unexpected",
        "column-missing",
    ];
    const TYPES: &[&str] = &["index", "column", "view", "materialized_view"];

    /// A change with this code (`comment-changed` for a name that is none).
    fn change(code: &str, object_type: &str, object: &str, severity: Severity) -> Change {
        let code = Code::ALL
            .iter()
            .copied()
            .find(|c| c.name() == code)
            .unwrap_or(Code::CommentChanged);
        let ty = ObjectType::ALL
            .iter()
            .copied()
            .find(|t| t.name() == object_type)
            .expect("an object type");
        let def = || Definition::DomainConstraint(String::new());
        let c = match code.kind() {
            ChangeKind::Missing => Change::missing(ty, object.into(), def()),
            ChangeKind::Unexpected => Change::unexpected(ty, object.into(), def()),
            ChangeKind::Changed => Change::changed(code, ty, object.into(), vec![]),
        };
        c.with_severity(severity)
    }

    fn rules(p: &[&str]) -> IgnoreRules {
        let p: Vec<String> = p.iter().map(|s| s.to_string()).collect();
        IgnoreRules::parse(&p, CODES, TYPES).unwrap()
    }

    #[test]
    fn glob_basics() {
        assert!(glob("tmp_*", "tmp_x"));
        assert!(glob("tmp_*", "tmp_"));
        assert!(!glob("tmp_*", "xtmp_"));
        assert!(glob("*_hotfix_idx", "email_hotfix_idx"));
        assert!(glob("a?c", "abc"));
        assert!(!glob("a?c", "ac"));
        assert!(glob("*a*b*", "xxaxxbxx"));
        assert!(!glob("*a*b*", "xxbxxaxx"));
    }

    #[test]
    fn bare_code_and_prefixed_code() {
        let r = rules(&["comment-changed"]);
        assert!(r.matches(&change(
            "comment-changed",
            "table",
            "care.t",
            Severity::Info
        )));
        assert!(!r.matches(&change(
            "index-missing",
            "index",
            "care.t.i",
            Severity::Warning
        )));
        let r = rules(&["code:index-*"]);
        assert!(r.matches(&change(
            "index-missing",
            "index",
            "care.t.i",
            Severity::Warning
        )));
        assert!(r.matches(&change(
            "index-unexpected",
            "index",
            "care.t.i",
            Severity::Warning
        )));
        assert!(!r.matches(&change(
            "column-missing",
            "column",
            "care.t.c",
            Severity::Error
        )));
    }

    #[test]
    fn object_glob_is_segment_wise_and_covers_children() {
        let r = rules(&["care.tmp_*"]);
        assert!(r.matches(&change(
            "table-missing",
            "table",
            "care.tmp_x",
            Severity::Error
        )));
        assert!(r.matches(&change(
            "column-missing",
            "column",
            "care.tmp_x.col",
            Severity::Error
        )));
        assert!(!r.matches(&change(
            "table-missing",
            "table",
            "care.patients",
            Severity::Error
        )));
        assert!(!r.matches(&change("schema-missing", "schema", "care", Severity::Error)));
        // `*` does not cross a dot.
        let r = rules(&["*.*_hotfix_idx"]);
        assert!(!r.matches(&change(
            "index-missing",
            "index",
            "care.t.a_hotfix_idx",
            Severity::Warning
        )));
        let r = rules(&["*.*.*_hotfix_idx"]);
        assert!(r.matches(&change(
            "index-missing",
            "index",
            "care.t.a_hotfix_idx",
            Severity::Warning
        )));
        assert!(!r.matches(&change(
            "index-missing",
            "index",
            "care.t.a_idx",
            Severity::Warning
        )));
    }

    #[test]
    fn function_arguments_are_one_segment() {
        assert_eq!(
            segments("app.f(app.t, integer)"),
            ["app", "f(app.t, integer)"]
        );
        assert_eq!(segments("\"a.b\".c"), ["\"a.b\"", "c"]);
        let r = rules(&["app.f(*)"]);
        assert!(r.matches(&change(
            "function-changed",
            "function",
            "app.f(app.t, integer)",
            Severity::Warning
        )));
        assert!(!r.matches(&change(
            "function-changed",
            "function",
            "app.g(integer)",
            Severity::Warning
        )));
    }

    #[test]
    fn type_severity_and_object_prefix() {
        let r = rules(&["type:*view"]);
        assert!(r.matches(&change("x", "materialized_view", "a.b", Severity::Warning)));
        assert!(!r.matches(&change("x", "index", "a.b.c", Severity::Warning)));
        let r = rules(&["severity:info"]);
        assert!(r.matches(&change("x", "index", "a.b.c", Severity::Info)));
        assert!(!r.matches(&change("x", "index", "a.b.c", Severity::Error)));
        let r = rules(&["object:care"]);
        assert!(r.matches(&change("schema-missing", "schema", "care", Severity::Error)));
        assert!(r.matches(&change("table-missing", "table", "care.t", Severity::Error)));
        assert!(!r.matches(&change(
            "schema-missing",
            "schema",
            "careful",
            Severity::Error
        )));
    }

    #[test]
    fn typos_are_errors() {
        let p = |s: &str| IgnoreRules::parse(&[s.to_string()], CODES, TYPES);
        assert!(p("coment-changed")
            .unwrap_err()
            .contains("`coment-changed`"));
        assert!(
            p("care").is_err(),
            "a bare word is a code, and `care` is none"
        );
        assert!(p("type:indexx").is_err());
        assert!(p("severity:fatal").is_err());
        assert!(p("code:").is_err());
        assert!(p("object:care").is_ok());
    }

    #[test]
    fn apply_counts_ignored() {
        let r = rules(&["comment-changed"]);
        let mut v = vec![
            change("comment-changed", "table", "a.b", Severity::Info),
            change("index-missing", "index", "a.b.c", Severity::Warning),
        ];
        assert_eq!(r.apply(&mut v), 1);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].code(), Code::IndexMissing);
    }
}
