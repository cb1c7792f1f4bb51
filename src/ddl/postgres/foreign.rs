//! SQL/MED objects of the database: foreign-data wrappers (`CREATE FOREIGN
//! DATA WRAPPER`). The handler and validator are PostgreSQL's own qualified
//! printing (`regproc`), used as they stand.
//!
//! An option that may hold a secret (a password) has no value in the model
//! (`crate::redact::SECRET` stands for it): a statement never sets one, and
//! [`secrets_to_set`] names those a script leaves for the user to set.

use std::collections::BTreeMap;

use super::{alter_comment, comment, quote, Pg};
use crate::ddl::{Alter, Statement, Unsupported};
use crate::model::postgres::ForeignDataWrapper;
use crate::redact::is_secret_option;

/// ` OPTIONS (name 'value', ...)` in the order of the names, or nothing;
/// secret options are left out.
pub fn options_clause(r: &Pg, options: &BTreeMap<String, String>) -> String {
    let items: Vec<String> = options
        .iter()
        .filter(|(k, _)| !is_secret_option(k))
        .map(|(k, v)| format!("{} {}", r.ident(k), quote::literal(v)))
        .collect();
    if items.is_empty() {
        String::new()
    } else {
        format!(" OPTIONS ({})", items.join(", "))
    }
}

/// ` OPTIONS (ADD .., SET .., DROP ..)` that turns `actual`'s options into
/// `expected`'s, or `None` when they are equal. A secret option is dropped
/// when it should not be there, but never added nor set.
pub fn alter_options(
    r: &Pg,
    expected: &BTreeMap<String, String>,
    actual: &BTreeMap<String, String>,
) -> Option<String> {
    let mut items = Vec::new();
    for (k, v) in expected {
        if is_secret_option(k) {
            continue;
        }
        match actual.get(k) {
            None => items.push(format!("ADD {} {}", r.ident(k), quote::literal(v))),
            Some(a) if a != v => items.push(format!("SET {} {}", r.ident(k), quote::literal(v))),
            Some(_) => {}
        }
    }
    for k in actual.keys() {
        if !expected.contains_key(k) {
            items.push(format!("DROP {}", r.ident(k)));
        }
    }
    (!items.is_empty()).then(|| format!(" OPTIONS ({})", items.join(", ")))
}

/// The secret options of `expected` that a script made of these functions
/// does not set: those `actual` (none, for an object to create) lacks.
pub fn secrets_to_set<'a>(
    expected: &'a BTreeMap<String, String>,
    actual: Option<&BTreeMap<String, String>>,
) -> Vec<&'a str> {
    expected
        .keys()
        .filter(|k| is_secret_option(k) && !actual.is_some_and(|a| a.contains_key(*k)))
        .map(String::as_str)
        .collect()
}

/// What a script says of the secret options `names` of `object` that it
/// leaves for the user to set with `set` (`ALTER SERVER s`, ...).
pub fn secrets_not_written(object: &str, set: &str, names: Vec<&str>) -> Vec<Unsupported> {
    names
        .into_iter()
        .map(|n| Unsupported {
            object: object.to_string(),
            reason: format!(
                "its option {n} may hold a secret, which no snapshot holds: set it yourself \
                 ({set} OPTIONS (ADD {n} '...'))"
            ),
        })
        .collect()
}

fn wrapper_target(r: &Pg, name: &str) -> String {
    format!("FOREIGN DATA WRAPPER {}", r.ident(name))
}

/// `CREATE FOREIGN DATA WRAPPER`, and its comment.
pub fn create_wrapper(r: &Pg, name: &str, x: &ForeignDataWrapper) -> Vec<Statement> {
    let mut sql = format!("CREATE {}", wrapper_target(r, name));
    if let Some(h) = &x.handler {
        sql.push_str(&format!(" HANDLER {h}"));
    }
    if let Some(v) = &x.validator {
        sql.push_str(&format!(" VALIDATOR {v}"));
    }
    sql.push_str(&options_clause(r, &x.options));
    let mut out = vec![Statement::new(sql)];
    if let Some(c) = &x.comment {
        out.push(comment(&wrapper_target(r, name), Some(c)));
    }
    out
}

/// `DROP FOREIGN DATA WRAPPER` (without CASCADE: its servers are dropped
/// first, by their own changes).
pub fn drop_wrapper(r: &Pg, name: &str) -> Statement {
    Statement::new(format!("DROP {}", wrapper_target(r, name)))
}

/// Turn wrapper `actual` into `expected` (same name): everything alters in
/// place (`HANDLER`, `VALIDATOR`, `OPTIONS`, the comment).
pub fn alter_wrapper(
    r: &Pg,
    name: &str,
    expected: &ForeignDataWrapper,
    actual: &ForeignDataWrapper,
) -> Alter {
    let ForeignDataWrapper {
        handler,
        validator,
        options,
        comment: _, // altered below
    } = expected;
    let target = wrapper_target(r, name);
    let mut out = Vec::new();
    let mut parts = Vec::new();
    if *handler != actual.handler {
        parts.push(match handler {
            Some(h) => format!(" HANDLER {h}"),
            None => " NO HANDLER".to_string(),
        });
    }
    if *validator != actual.validator {
        parts.push(match validator {
            Some(v) => format!(" VALIDATOR {v}"),
            None => " NO VALIDATOR".to_string(),
        });
    }
    parts.extend(alter_options(r, options, &actual.options));
    if !parts.is_empty() {
        out.push(Statement::new(format!("ALTER {target}{}", parts.concat())));
    }
    out.extend(alter_comment(
        &target,
        expected.comment.as_ref(),
        actual.comment.as_ref(),
    ));
    Alter::InPlace(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;
    use crate::redact::SECRET;

    fn wrapper() -> ForeignDataWrapper {
        ForeignDataWrapper {
            handler: Some("public.postgres_fdw_handler".into()),
            validator: Some("public.postgres_fdw_validator".into()),
            options: [("debug".to_string(), "it's on".to_string())].into(),
            comment: None,
        }
    }

    #[test]
    fn wrappers_are_created_altered_and_dropped() {
        let r = Pg::default();
        let mut e = wrapper();
        e.comment = Some("remote".into());
        assert_eq!(
            sql_of(create_wrapper(&r, "Remote", &e)),
            [
                "CREATE FOREIGN DATA WRAPPER \"Remote\" HANDLER public.postgres_fdw_handler \
                 VALIDATOR public.postgres_fdw_validator OPTIONS (debug 'it''s on')",
                "COMMENT ON FOREIGN DATA WRAPPER \"Remote\" IS 'remote'",
            ]
        );
        let bare = ForeignDataWrapper {
            handler: None,
            validator: None,
            options: BTreeMap::new(),
            comment: None,
        };
        assert_eq!(
            sql_of(create_wrapper(&r, "plain", &bare)),
            ["CREATE FOREIGN DATA WRAPPER plain"]
        );
        assert_eq!(
            sql_of(alter_wrapper(&r, "plain", &bare, &e).into_statements()),
            [
                "ALTER FOREIGN DATA WRAPPER plain NO HANDLER NO VALIDATOR OPTIONS (DROP debug)",
                "COMMENT ON FOREIGN DATA WRAPPER plain IS NULL",
            ]
        );
        let mut a = wrapper();
        a.options = [
            ("debug".to_string(), "off".to_string()),
            ("x".to_string(), "1".to_string()),
        ]
        .into();
        a.validator = None;
        assert_eq!(
            sql_of(alter_wrapper(&r, "w", &wrapper(), &a).into_statements()),
            [
                "ALTER FOREIGN DATA WRAPPER w VALIDATOR public.postgres_fdw_validator \
                 OPTIONS (SET debug 'it''s on', DROP x)"
            ]
        );
        assert!(alter_wrapper(&r, "w", &e, &e).into_statements().is_empty());
        assert_eq!(
            sql_of([drop_wrapper(&r, "w")]),
            ["DROP FOREIGN DATA WRAPPER w"]
        );
    }

    #[test]
    fn secret_options_are_never_set() {
        let r = Pg::default();
        let secret = |v: &str| -> BTreeMap<String, String> {
            [
                ("password".to_string(), v.to_string()),
                ("user".to_string(), "app".to_string()),
            ]
            .into()
        };
        let e = secret(SECRET);
        assert_eq!(options_clause(&r, &e), " OPTIONS (\"user\" 'app')");
        let none = BTreeMap::new();
        assert_eq!(
            alter_options(&r, &e, &none).as_deref(),
            Some(" OPTIONS (ADD \"user\" 'app')")
        );
        assert_eq!(
            alter_options(&r, &none, &e).as_deref(),
            Some(" OPTIONS (DROP password, DROP \"user\")")
        );
        assert_eq!(alter_options(&r, &e, &e), None);
        assert_eq!(secrets_to_set(&e, None), ["password"]);
        assert_eq!(secrets_to_set(&e, Some(&none)), ["password"]);
        assert!(secrets_to_set(&e, Some(&e)).is_empty());
    }
}
