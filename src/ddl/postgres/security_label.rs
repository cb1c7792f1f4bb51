//! Security labels: `SECURITY LABEL FOR provider ON <object> IS '...'`, or
//! `IS NULL` to take one away. The model keys them by the object as this
//! statement names it (`TABLE app.t`, see
//! [`crate::model::postgres::SecurityLabels`]), so the statement is the
//! key with the provider and the label around it.
//!
//! The fix script sets labels last, once every object it creates is there
//! ([`super::fix`]): the label of an object it drops and creates again is
//! set again, and that of an object it drops is not taken away (there is
//! nothing left to take it from); see [`gone`].

use std::collections::BTreeMap;

use crate::ddl::Statement;
use crate::model::postgres::{PgSchema, SecurityLabels};

use super::quote;

/// `SECURITY LABEL FOR provider ON target IS 'label'`, or `IS NULL`.
pub fn set(target: &str, provider: &str, label: Option<&str>) -> Statement {
    let value = label.map_or_else(|| "NULL".to_string(), quote::literal);
    Statement::new(format!(
        "SECURITY LABEL FOR {} ON {target} IS {value}",
        quote::ident(provider, crate::ddl::postgres::Pg::NEWEST)
    ))
}

/// The name of the label of `target` for `provider` in a report: `TABLE
/// app.t FOR anon`.
pub fn object(target: &str, provider: &str) -> String {
    format!("{target} FOR {provider}")
}

/// A report's label name split back into the object and the provider.
pub fn split_object(object: &str) -> Option<(&str, &str)> {
    object.rsplit_once(" FOR ")
}

/// The labels by provider of `target` in `pg`, the database's or a
/// schema's.
pub fn find<'a>(pg: &'a PgSchema, target: &str) -> Option<&'a BTreeMap<String, String>> {
    pg.security_labels.get(target).or_else(|| {
        pg.schemas
            .values()
            .find_map(|s| s.security_labels.get(target))
    })
}

/// The label a report's label name (`TABLE app.t FOR anon`) names in `pg`.
pub fn label_of<'a>(pg: &'a PgSchema, object: &str) -> Option<(&'a str, &'a str, &'a str)> {
    let (target, provider) = split_object(object)?;
    let (t, by) = pg.security_labels.get_key_value(target).or_else(|| {
        pg.schemas
            .values()
            .find_map(|s| s.security_labels.get_key_value(target))
    })?;
    let (p, l) = by.get_key_value(provider)?;
    Some((t.as_str(), p.as_str(), l.as_str()))
}

/// Every label of `labels`, as statements that set them.
pub fn create_all(labels: &SecurityLabels) -> Vec<Statement> {
    labels
        .iter()
        .flat_map(|(target, by)| by.iter().map(|(p, l)| set(target, p, Some(l))))
        .collect()
}

/// The statements that turn the labels `actual` into `expected`, where
/// `gone(target)` says that the script drops or renames the object away
/// before they run: its labels went with it, so EXPECTED's are set again
/// (on the object made again) and ACTUAL's are not taken away.
pub fn alter(
    expected: &SecurityLabels,
    actual: &SecurityLabels,
    gone: impl Fn(&str) -> bool,
) -> Vec<Statement> {
    let none = Default::default();
    let mut out = Vec::new();
    for (target, e) in expected {
        let gone = gone(target);
        let a = if gone {
            &none
        } else {
            actual.get(target).unwrap_or(&none)
        };
        for (provider, label) in e {
            if a.get(provider) != Some(label) {
                out.push(set(target, provider, Some(label)));
            }
        }
        for provider in a.keys().filter(|p| !e.contains_key(*p)) {
            out.push(set(target, provider, None));
        }
    }
    for (target, a) in actual {
        if expected.contains_key(target) || gone(target) {
            continue;
        }
        for provider in a.keys() {
            out.push(set(target, provider, None));
        }
    }
    out
}

/// The keywords that name the same kind of object for a drop or a rename:
/// a relation may come back as another kind of relation, a function as a
/// procedure, a type as a domain.
fn family(kw: &str) -> &'static [&'static str] {
    const RELATIONS: &[&str] = &[
        "TABLE",
        "FOREIGN TABLE",
        "VIEW",
        "MATERIALIZED VIEW",
        "SEQUENCE",
    ];
    const ROUTINES: &[&str] = &["FUNCTION", "PROCEDURE", "AGGREGATE", "ROUTINE"];
    const TYPES: &[&str] = &["TYPE", "DOMAIN"];
    if RELATIONS.contains(&kw) {
        RELATIONS
    } else if ROUTINES.contains(&kw) {
        ROUTINES
    } else if TYPES.contains(&kw) {
        TYPES
    } else {
        &[]
    }
}

/// The keyword a target starts with (`MATERIALIZED VIEW`, `TABLE`, ...) and
/// the object's name after it.
fn split_target(target: &str) -> Option<(&str, &str)> {
    const KEYWORDS: &[&str] = &[
        "MATERIALIZED VIEW",
        "FOREIGN TABLE",
        "EVENT TRIGGER",
        "TABLE",
        "VIEW",
        "SEQUENCE",
        "COLUMN",
        "FUNCTION",
        "PROCEDURE",
        "AGGREGATE",
        "TYPE",
        "DOMAIN",
        "SCHEMA",
        "LANGUAGE",
        "PUBLICATION",
        "SUBSCRIPTION",
    ];
    KEYWORDS.iter().find_map(|kw| {
        target
            .strip_prefix(kw)
            .and_then(|rest| rest.strip_prefix(' '))
            .map(|rest| (*kw, rest))
    })
}

/// `sql` is `prefix`, or `prefix` and more after a space.
fn starts(sql: &str, prefix: &str) -> bool {
    sql.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// Where `name` (`app.t."B c"`, quoted as `quote_ident` quotes) splits into
/// its last part and what comes before: the dot outside quotes.
fn split_last(name: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    let mut at = None;
    for (i, ch) in name.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            '.' if !quoted => at = Some(i),
            _ => {}
        }
    }
    at.map(|i| (&name[..i], &name[i + 1..]))
}

/// Whether a script of statements `sql` drops or renames away the object
/// `target` of schema `schema` (as [`alter`]'s `gone` asks): a `DROP` of it
/// (as any kind of its family), of its schema, of the relation of a
/// column, an `ALTER .. DROP COLUMN` of a column, or a `RENAME` of it.
/// The script's statements are the fix's own, rendered from the model with
/// the same quoting as the targets, so they compare as text.
pub fn gone(sql: &[&str], schema: Option<&str>, target: &str, r: &super::Pg) -> bool {
    let Some((kw, name)) = split_target(target) else {
        return false;
    };
    let dropped = |kw: &str, name: &str| {
        let mut kws: Vec<&str> = family(kw).to_vec();
        if kws.is_empty() {
            kws.push(kw);
        }
        kws.iter().any(|k| {
            let drop = format!("DROP {k} {name}");
            let rename = format!("ALTER {k} {name} RENAME TO ");
            sql.iter()
                .any(|s| starts(s, &drop) || s.starts_with(&rename))
        })
    };
    if let Some(s) = schema {
        let drop = format!("DROP SCHEMA {}", r.ident(s));
        if sql.iter().any(|x| starts(x, &drop)) {
            return true;
        }
    }
    if kw == "COLUMN" {
        let Some((relation, column)) = split_last(name) else {
            return false;
        };
        if dropped("TABLE", relation) {
            return true;
        }
        return ["TABLE", "FOREIGN TABLE", "VIEW", "MATERIALIZED VIEW"]
            .iter()
            .any(|k| {
                let alter = format!("ALTER {k} {relation} ");
                sql.iter().any(|s| {
                    s.strip_prefix(&alter).is_some_and(|rest| {
                        starts(rest, &format!("DROP COLUMN {column}"))
                            || rest.starts_with(&format!("RENAME COLUMN {column} TO "))
                    })
                })
            });
    }
    dropped(kw, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(entries: &[(&str, &str, &str)]) -> SecurityLabels {
        let mut out = SecurityLabels::new();
        for (t, p, l) in entries {
            out.entry(t.to_string())
                .or_default()
                .insert(p.to_string(), l.to_string());
        }
        out
    }

    fn sql_of(v: Vec<Statement>) -> Vec<String> {
        v.into_iter().map(|s| s.sql).collect()
    }

    #[test]
    fn labels_are_set_changed_and_taken_away() {
        let e = labels(&[
            ("TABLE app.t", "anon", "MASKED"),
            ("COLUMN app.t.\"B c\"", "anon", "it's"),
            ("SCHEMA app", "anon", "x"),
        ]);
        let a = labels(&[
            ("TABLE app.t", "anon", "PLAIN"),
            ("TABLE app.t", "sepgsql", "ctx"),
            ("SCHEMA app", "anon", "x"),
            ("VIEW app.v", "anon", "old"),
        ]);
        assert_eq!(
            sql_of(alter(&e, &a, |_| false)),
            [
                "SECURITY LABEL FOR anon ON COLUMN app.t.\"B c\" IS 'it''s'",
                "SECURITY LABEL FOR anon ON TABLE app.t IS 'MASKED'",
                "SECURITY LABEL FOR sepgsql ON TABLE app.t IS NULL",
                "SECURITY LABEL FOR anon ON VIEW app.v IS NULL",
            ]
        );
        // Made again: set again, nothing taken away; dropped: nothing.
        let gone = |t: &str| t == "SCHEMA app" || t == "VIEW app.v" || t == "TABLE app.t";
        assert_eq!(
            sql_of(alter(&e, &a, gone)),
            [
                "SECURITY LABEL FOR anon ON COLUMN app.t.\"B c\" IS 'it''s'",
                "SECURITY LABEL FOR anon ON SCHEMA app IS 'x'",
                "SECURITY LABEL FOR anon ON TABLE app.t IS 'MASKED'",
            ]
        );
        assert!(alter(&e, &e, |_| false).is_empty());
    }

    #[test]
    fn what_a_script_drops_or_renames_is_gone() {
        let r = crate::ddl::postgres::Pg::default();
        let script = [
            "DROP VIEW app.v",
            "DROP FUNCTION app.f(integer, text)",
            "ALTER TABLE app.t DROP COLUMN \"B c\"",
            "ALTER TABLE app.u RENAME TO w",
            "DROP SCHEMA old",
            "DROP TABLE app.tt",
        ];
        let gone = |schema: Option<&str>, target: &str| gone(&script, schema, target, &r);
        assert!(gone(Some("app"), "VIEW app.v"));
        assert!(gone(Some("app"), "MATERIALIZED VIEW app.v"));
        assert!(!gone(Some("app"), "VIEW app.v2"));
        assert!(gone(Some("app"), "PROCEDURE app.f(integer, text)"));
        assert!(!gone(Some("app"), "FUNCTION app.f(integer)"));
        assert!(gone(Some("app"), "COLUMN app.t.\"B c\""));
        assert!(!gone(Some("app"), "COLUMN app.t.b"));
        assert!(gone(Some("app"), "COLUMN app.v.a"));
        assert!(gone(Some("app"), "COLUMN app.tt.a"));
        assert!(gone(Some("app"), "TABLE app.u"));
        assert!(!gone(Some("app"), "TABLE app.w"));
        assert!(gone(Some("old"), "TYPE old.e"));
        assert!(gone(Some("old"), "SCHEMA old"));
        assert!(!gone(None, "PUBLICATION p"));
    }

    #[test]
    fn a_label_name_splits_back() {
        let o = object("COLUMN app.t.\"B c\"", "anon");
        assert_eq!(o, "COLUMN app.t.\"B c\" FOR anon");
        assert_eq!(split_object(&o), Some(("COLUMN app.t.\"B c\"", "anon")));
    }
}
