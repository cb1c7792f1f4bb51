//! SQL/MED objects of the database: foreign-data wrappers (`CREATE FOREIGN
//! DATA WRAPPER`), foreign servers (`CREATE SERVER`) and their user
//! mappings (`CREATE USER MAPPING`). A wrapper's handler and validator are
//! PostgreSQL's own qualified printing (`regproc`), used as they stand.
//!
//! An option that may hold a secret (a password) has no value in the model
//! (`crate::redact::SECRET` stands for it): a statement never sets one, and
//! [`secrets_to_set`] names those a script leaves for the user to set.

use std::collections::BTreeMap;

use super::privileges::{self, Kind, Target};
use super::{quote, Pg};
use crate::ddl::{Alter, Statement, Unsupported};
use crate::model::postgres::{ForeignDataWrapper, ForeignServer, Privileges, UserMapping};
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

/// `ALTER <kind> <name> <parts>` when there are parts, then the comment,
/// owner and grants of `expected` over `actual`'s.
fn in_place(
    r: &Pg,
    at: Target,
    parts: &[String],
    (ec, ac): (&Option<String>, &Option<String>),
    (ep, ap): (&Privileges, &Privileges),
) -> Alter {
    let mut out = Vec::new();
    if !parts.is_empty() {
        let (kw, name) = (at.kind.keyword(), at.sql);
        out.push(Statement::new(format!(
            "ALTER {kw} {name}{}",
            parts.concat()
        )));
    }
    out.extend(privileges::alter_with_comment(
        r,
        at,
        (ec.as_ref(), ac.as_ref()),
        ep,
        ap,
    ));
    Alter::InPlace(out)
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
    let sql = r.ident(name);
    let at = Target {
        kind: Kind::ForeignDataWrapper,
        sql: &sql,
    };
    out.extend(privileges::with_comment(
        r,
        at,
        x.comment.as_ref(),
        &x.privileges,
    ));
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
        privileges,
    } = expected;
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
    let sql = r.ident(name);
    let at = Target {
        kind: Kind::ForeignDataWrapper,
        sql: &sql,
    };
    let comments = (&expected.comment, &actual.comment);
    in_place(r, at, &parts, comments, (privileges, &actual.privileges))
}

fn server_target(r: &Pg, name: &str) -> String {
    format!("SERVER {}", r.ident(name))
}

/// A user mapping's role as SQL: `PUBLIC`, or the role's name.
fn role(r: &Pg, role: &str) -> String {
    if role == "PUBLIC" {
        role.to_string()
    } else {
        r.ident(role).into_owned()
    }
}

/// `ALTER USER MAPPING FOR <role> SERVER <server>`: what sets a mapping's
/// secret option.
pub fn user_mapping_target(r: &Pg, server: &str, who: &str) -> String {
    format!(
        "USER MAPPING FOR {} SERVER {}",
        role(r, who),
        r.ident(server)
    )
}

/// `CREATE SERVER`, its comment and its user mappings.
pub fn create_server(r: &Pg, name: &str, x: &ForeignServer) -> Vec<Statement> {
    let mut sql = format!("CREATE {}", server_target(r, name));
    if let Some(t) = &x.server_type {
        sql.push_str(&format!(" TYPE {}", quote::literal(t)));
    }
    if let Some(v) = &x.version {
        sql.push_str(&format!(" VERSION {}", quote::literal(v)));
    }
    sql.push_str(&format!(" FOREIGN DATA WRAPPER {}", r.ident(&x.wrapper)));
    sql.push_str(&options_clause(r, &x.options));
    let mut out = vec![Statement::new(sql)];
    let sql = r.ident(name);
    let at = Target {
        kind: Kind::ForeignServer,
        sql: &sql,
    };
    out.extend(privileges::with_comment(
        r,
        at,
        x.comment.as_ref(),
        &x.privileges,
    ));
    for (who, m) in &x.user_mappings {
        out.push(create_user_mapping(r, name, who, m));
    }
    out
}

/// `DROP SERVER`, after its user mappings (without CASCADE: its foreign
/// tables are dropped first, by their own changes).
pub fn drop_server(r: &Pg, name: &str, x: &ForeignServer) -> Vec<Statement> {
    let mut out: Vec<Statement> = x
        .user_mappings
        .keys()
        .map(|who| drop_user_mapping(r, name, who))
        .collect();
    out.push(Statement::new(format!("DROP {}", server_target(r, name))));
    out
}

/// Turn server `actual` into `expected` (same name): the version, options
/// and comment alter; another wrapper or type has no alter (drop and
/// create, with its user mappings). The user mappings are altered by
/// [`alter_user_mappings`].
pub fn alter_server(r: &Pg, name: &str, expected: &ForeignServer, actual: &ForeignServer) -> Alter {
    let ForeignServer {
        wrapper,
        server_type,
        version,
        options,
        user_mappings: _, // alter_user_mappings
        comment: _,       // altered below
        privileges,
    } = expected;
    let what = if *wrapper != actual.wrapper {
        Some("its foreign-data wrapper")
    } else if *server_type != actual.server_type {
        Some("its type")
    } else {
        None
    };
    if let Some(what) = what {
        return Alter::Recreate {
            reason: what.to_string(),
            drop: drop_server(r, name, actual),
            create: create_server(r, name, expected),
        };
    }
    let mut parts = Vec::new();
    if *version != actual.version {
        parts.push(match version {
            Some(v) => format!(" VERSION {}", quote::literal(v)),
            None => " VERSION NULL".to_string(),
        });
    }
    parts.extend(alter_options(r, options, &actual.options));
    let sql = r.ident(name);
    let at = Target {
        kind: Kind::ForeignServer,
        sql: &sql,
    };
    let comments = (&expected.comment, &actual.comment);
    in_place(r, at, &parts, comments, (privileges, &actual.privileges))
}

/// The user mappings of server `name` (on both sides) turned from
/// `actual`'s into `expected`'s: (drops, creates and alters).
pub fn alter_user_mappings(
    r: &Pg,
    name: &str,
    expected: &ForeignServer,
    actual: &ForeignServer,
) -> (Vec<Statement>, Vec<Statement>) {
    let (e, a) = (&expected.user_mappings, &actual.user_mappings);
    let drops = a
        .keys()
        .filter(|k| !e.contains_key(*k))
        .map(|who| drop_user_mapping(r, name, who))
        .collect();
    let mut rest = Vec::new();
    for (who, m) in e {
        match a.get(who) {
            None => rest.push(create_user_mapping(r, name, who, m)),
            Some(am) => rest.extend(alter_user_mapping(r, name, who, m, am)),
        }
    }
    (drops, rest)
}

/// A user mapping's object name, `<server>.<role>`, split where its
/// server is one of `servers` (either name may hold a dot).
pub fn split_mapping<'o, V>(
    servers: &BTreeMap<String, V>,
    object: &'o str,
) -> Option<(&'o str, &'o str)> {
    object
        .match_indices('.')
        .map(|(i, _)| (&object[..i], &object[i + 1..]))
        .find(|(s, _)| servers.contains_key(*s))
}

/// `CREATE USER MAPPING FOR <role> SERVER <server>`.
pub fn create_user_mapping(r: &Pg, server: &str, who: &str, m: &UserMapping) -> Statement {
    let target = user_mapping_target(r, server, who);
    Statement::new(format!("CREATE {target}{}", options_clause(r, &m.options)))
}

/// `DROP USER MAPPING`.
pub fn drop_user_mapping(r: &Pg, server: &str, who: &str) -> Statement {
    Statement::new(format!("DROP {}", user_mapping_target(r, server, who)))
}

/// `ALTER USER MAPPING .. OPTIONS (..)`, or nothing when they are equal.
pub fn alter_user_mapping(
    r: &Pg,
    server: &str,
    who: &str,
    expected: &UserMapping,
    actual: &UserMapping,
) -> Option<Statement> {
    let UserMapping { options } = expected;
    let o = alter_options(r, options, &actual.options)?;
    let target = user_mapping_target(r, server, who);
    Some(Statement::new(format!("ALTER {target}{o}")))
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
            privileges: Privileges::default(),
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
            privileges: Privileges::default(),
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

    fn server() -> ForeignServer {
        ForeignServer {
            wrapper: "remote".into(),
            server_type: Some("pg".into()),
            version: Some("16".into()),
            options: [("host".to_string(), "db".to_string())].into(),
            user_mappings: [
                ("PUBLIC".to_string(), UserMapping::default()),
                (
                    "App".to_string(),
                    UserMapping {
                        options: [
                            ("user".to_string(), "app".to_string()),
                            ("password".to_string(), SECRET.to_string()),
                        ]
                        .into(),
                    },
                ),
            ]
            .into(),
            comment: Some("the other one".into()),
            privileges: Privileges::default(),
        }
    }

    #[test]
    fn owners_and_usage_grants_of_wrappers_and_servers() {
        let r = Pg::default();
        let mut x = server();
        x.user_mappings.clear();
        x.comment = None;
        x.privileges = Privileges {
            owner: Some("Owner".into()),
            grants: Some(
                [
                    ("Owner".to_string(), vec!["USAGE".to_string()]),
                    ("PUBLIC".to_string(), vec!["USAGE".to_string()]),
                ]
                .into(),
            ),
        };
        assert_eq!(
            sql_of(create_server(&r, "far", &x))[1..],
            [
                "ALTER SERVER far OWNER TO \"Owner\"",
                "GRANT USAGE ON FOREIGN SERVER far TO PUBLIC",
            ]
        );
        // Another owner, PUBLIC's USAGE taken back.
        let mut a = x.clone();
        a.privileges.owner = Some("other".into());
        a.privileges.grants = None;
        let mut e = x.clone();
        e.privileges.grants = Some([("Owner".to_string(), vec!["USAGE".to_string()])].into());
        match alter_server(&r, "far", &e, &a) {
            Alter::InPlace(st) => assert_eq!(
                sql_of(st),
                ["ALTER SERVER far OWNER TO \"Owner\""],
                "the default ACL is the owner's USAGE alone"
            ),
            other => panic!("{other:?}"),
        }
        let mut w = ForeignDataWrapper {
            handler: None,
            validator: None,
            options: BTreeMap::new(),
            comment: None,
            privileges: Privileges::default(),
        };
        let before = w.clone();
        w.privileges.owner = Some("su".into());
        w.privileges.grants = Some(
            [
                ("su".to_string(), vec!["USAGE".to_string()]),
                (
                    "app".to_string(),
                    vec!["USAGE WITH GRANT OPTION".to_string()],
                ),
            ]
            .into(),
        );
        match alter_wrapper(&r, "w", &w, &before) {
            Alter::InPlace(st) => assert_eq!(
                sql_of(st),
                [
                    "ALTER FOREIGN DATA WRAPPER w OWNER TO su",
                    "GRANT USAGE ON FOREIGN DATA WRAPPER w TO app WITH GRANT OPTION",
                ]
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn servers_and_user_mappings_are_created_altered_and_dropped() {
        let r = Pg::default();
        let x = server();
        assert_eq!(
            sql_of(create_server(&r, "far", &x)),
            [
                "CREATE SERVER far TYPE 'pg' VERSION '16' FOREIGN DATA WRAPPER remote \
                 OPTIONS (host 'db')",
                "COMMENT ON SERVER far IS 'the other one'",
                "CREATE USER MAPPING FOR \"App\" SERVER far OPTIONS (\"user\" 'app')",
                "CREATE USER MAPPING FOR PUBLIC SERVER far",
            ]
        );
        assert_eq!(
            sql_of(drop_server(&r, "far", &x)),
            [
                "DROP USER MAPPING FOR \"App\" SERVER far",
                "DROP USER MAPPING FOR PUBLIC SERVER far",
                "DROP SERVER far",
            ]
        );
        let mut a = server();
        a.version = None;
        a.options.clear();
        a.comment = None;
        a.user_mappings.remove("PUBLIC");
        a.user_mappings.insert("ops".into(), UserMapping::default());
        a.user_mappings
            .get_mut("App")
            .unwrap()
            .options
            .remove("user");
        assert_eq!(
            sql_of(alter_server(&r, "far", &x, &a).into_statements()),
            [
                "ALTER SERVER far VERSION '16' OPTIONS (ADD host 'db')",
                "COMMENT ON SERVER far IS 'the other one'",
            ]
        );
        assert_eq!(
            sql_of(alter_server(&r, "far", &a, &x).into_statements()),
            [
                "ALTER SERVER far VERSION NULL OPTIONS (DROP host)",
                "COMMENT ON SERVER far IS NULL"
            ]
        );
        let (drops, rest) = alter_user_mappings(&r, "far", &x, &a);
        assert_eq!(sql_of(drops), ["DROP USER MAPPING FOR ops SERVER far"]);
        assert_eq!(
            sql_of(rest),
            [
                "ALTER USER MAPPING FOR \"App\" SERVER far OPTIONS (ADD \"user\" 'app')",
                "CREATE USER MAPPING FOR PUBLIC SERVER far",
            ]
        );
        let servers: BTreeMap<String, ()> = [("a.b".to_string(), ())].into();
        assert_eq!(split_mapping(&servers, "a.b.c.d"), Some(("a.b", "c.d")));
        assert_eq!(split_mapping(&servers, "a.c"), None);
        a = server();
        a.server_type = None;
        match alter_server(&r, "far", &x, &a) {
            Alter::Recreate {
                reason,
                drop,
                create,
            } => {
                assert_eq!(reason, "its type");
                assert_eq!(drop.len(), 3);
                assert_eq!(create.len(), 4);
            }
            other => panic!("{other:?}"),
        }
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
