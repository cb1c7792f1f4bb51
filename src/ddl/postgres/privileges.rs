//! Owners and grants (`--with-privileges` snapshots).
//!
//! The model holds an object's whole ACL as `aclexplode` gives it, or none
//! for the default ACL (the owner has every privilege, `PUBLIC` has EXECUTE
//! on functions and USAGE on types). Statements are the difference between
//! two ACLs, grantee by grantee, as `pg_dump` writes an ACL relative to the
//! default one.

use std::collections::{BTreeMap, BTreeSet};

use super::Pg;
use crate::ddl::Statement;
use crate::model::postgres::{DefaultPrivileges, Privileges};

/// What an ACL is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Table,
    /// A foreign table: `ALTER FOREIGN TABLE`, `COMMENT ON FOREIGN TABLE`,
    /// and a table's privileges (`GRANT .. ON TABLE`).
    ForeignTable,
    View,
    MaterializedView,
    Sequence,
    Function,
    Procedure,
    /// An aggregate, named as a routine (`ALTER`, `COMMENT ON`, `GRANT ..
    /// ON ROUTINE` take its plain argument types, also for an ordered-set
    /// aggregate).
    Aggregate,
    Schema,
    Type,
    Domain,
    /// Owner only: a collation has no grants.
    Collation,
    /// Owner only: an operator has no grants.
    Operator,
    /// Owner only, as the next.
    TextSearchConfiguration,
    /// Owner only.
    TextSearchDictionary,
    /// Owner only, `name USING method`.
    OperatorFamily,
    /// Owner only, `name USING method`.
    OperatorClass,
    /// Owner and `USAGE`.
    ForeignDataWrapper,
    /// Owner and `USAGE` (`GRANT .. ON FOREIGN SERVER`).
    ForeignServer,
    /// Owner only.
    Publication,
    /// Owner only.
    EventTrigger,
    /// Owner only.
    Subscription,
    /// Owner only: a conversion has no grants.
    Conversion,
    /// Owner and `USAGE` (of a trusted language).
    Language,
}

impl Kind {
    /// The word after `ALTER` (for `OWNER TO`) and `COMMENT ON`.
    pub fn keyword(self) -> &'static str {
        match self {
            Kind::Table => "TABLE",
            Kind::ForeignTable => "FOREIGN TABLE",
            Kind::View => "VIEW",
            Kind::MaterializedView => "MATERIALIZED VIEW",
            Kind::Sequence => "SEQUENCE",
            Kind::Function => "FUNCTION",
            Kind::Procedure => "PROCEDURE",
            Kind::Aggregate => "ROUTINE",
            Kind::Schema => "SCHEMA",
            Kind::Type => "TYPE",
            Kind::Domain => "DOMAIN",
            Kind::Collation => "COLLATION",
            Kind::Operator => "OPERATOR",
            Kind::TextSearchConfiguration => "TEXT SEARCH CONFIGURATION",
            Kind::TextSearchDictionary => "TEXT SEARCH DICTIONARY",
            Kind::OperatorFamily => "OPERATOR FAMILY",
            Kind::OperatorClass => "OPERATOR CLASS",
            Kind::ForeignDataWrapper => "FOREIGN DATA WRAPPER",
            Kind::ForeignServer => "SERVER",
            Kind::Publication => "PUBLICATION",
            Kind::EventTrigger => "EVENT TRIGGER",
            Kind::Subscription => "SUBSCRIPTION",
            Kind::Conversion => "CONVERSION",
            Kind::Language => "LANGUAGE",
        }
    }

    /// The word after `GRANT ... ON`.
    fn grant_keyword(self) -> &'static str {
        match self {
            Kind::Table | Kind::ForeignTable | Kind::View | Kind::MaterializedView => "TABLE",
            Kind::ForeignServer => "FOREIGN SERVER",
            other => other.keyword(),
        }
    }

    /// Every privilege the owner has by default.
    fn all(self, version: u32) -> &'static [&'static str] {
        match self {
            Kind::Table | Kind::ForeignTable | Kind::View | Kind::MaterializedView
                if version >= 170000 =>
            {
                &[
                    "DELETE",
                    "INSERT",
                    "MAINTAIN",
                    "REFERENCES",
                    "SELECT",
                    "TRIGGER",
                    "TRUNCATE",
                    "UPDATE",
                ]
            }
            Kind::Table | Kind::ForeignTable | Kind::View | Kind::MaterializedView => &[
                "DELETE",
                "INSERT",
                "REFERENCES",
                "SELECT",
                "TRIGGER",
                "TRUNCATE",
                "UPDATE",
            ],
            Kind::Sequence => &["SELECT", "UPDATE", "USAGE"],
            Kind::Function | Kind::Procedure | Kind::Aggregate => &["EXECUTE"],
            Kind::Schema => &["CREATE", "USAGE"],
            Kind::Type
            | Kind::Domain
            | Kind::ForeignDataWrapper
            | Kind::ForeignServer
            | Kind::Language => &["USAGE"],
            Kind::Publication | Kind::EventTrigger | Kind::Subscription => &[],
            Kind::Collation
            | Kind::Operator
            | Kind::TextSearchConfiguration
            | Kind::TextSearchDictionary
            | Kind::OperatorFamily
            | Kind::OperatorClass
            | Kind::Conversion => &[],
        }
    }

    /// What `PUBLIC` has by default.
    fn public(self) -> &'static [&'static str] {
        match self {
            Kind::Function | Kind::Procedure | Kind::Aggregate => &["EXECUTE"],
            Kind::Type | Kind::Domain | Kind::Language => &["USAGE"],
            _ => &[],
        }
    }
}

/// An object privileges are set on: its kind and its name as SQL
/// (`care.patients`, `care.age(date)`).
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub kind: Kind,
    pub sql: &'a str,
}

/// Grantee -> privilege -> with grant option.
type Acl = BTreeMap<String, BTreeMap<String, bool>>;

fn parse(grants: &BTreeMap<String, Vec<String>>) -> Acl {
    grants
        .iter()
        .map(|(grantee, privs)| {
            let set = privs
                .iter()
                .map(|p| match p.strip_suffix(" WITH GRANT OPTION") {
                    Some(p) => (p.to_string(), true),
                    None => (p.clone(), false),
                })
                .collect();
            (grantee.clone(), set)
        })
        .collect()
}

/// The ACL an object has when its `relacl`/`proacl`/... is NULL.
fn default_acl(r: &Pg, kind: Kind, owner: Option<&str>) -> Acl {
    let mut acl = Acl::new();
    if let Some(o) = owner {
        acl.insert(
            o.to_string(),
            kind.all(r.version)
                .iter()
                .map(|p| (p.to_string(), false))
                .collect(),
        );
    }
    if !kind.public().is_empty() {
        acl.insert(
            "PUBLIC".to_string(),
            kind.public()
                .iter()
                .map(|p| (p.to_string(), false))
                .collect(),
        );
    }
    acl
}

fn effective(r: &Pg, kind: Kind, p: &Privileges, owner: Option<&str>) -> Acl {
    match &p.grants {
        Some(g) => parse(g),
        None => default_acl(r, kind, owner),
    }
}

fn grantee(r: &Pg, g: &str) -> String {
    if g == "PUBLIC" {
        "PUBLIC".to_string()
    } else {
        r.ident(g).into_owned()
    }
}

/// The comment, owner and grants of a new object (`COMMENT ON` takes the
/// same keyword as `ALTER .. OWNER TO`).
pub fn with_comment(
    r: &Pg,
    target: Target,
    comment: Option<&String>,
    p: &Privileges,
) -> Vec<Statement> {
    let mut out: Vec<Statement> = comment
        .map(|c| {
            super::comment(
                &format!("{} {}", target.kind.keyword(), target.sql),
                Some(c),
            )
        })
        .into_iter()
        .collect();
    out.extend(create(r, target, p));
    out
}

/// The comment, owner and grants that turn an object's `actual` ones into
/// `expected`.
pub fn alter_with_comment(
    r: &Pg,
    target: Target,
    comments: (Option<&String>, Option<&String>),
    expected: &Privileges,
    actual: &Privileges,
) -> Vec<Statement> {
    let kw = format!("{} {}", target.kind.keyword(), target.sql);
    let mut out: Vec<Statement> = super::alter_comment(&kw, comments.0, comments.1)
        .into_iter()
        .collect();
    out.extend(alter(r, target, expected, actual));
    out
}

/// The owner and grants of a new object, made by whoever runs the script.
pub fn create(r: &Pg, target: Target, p: &Privileges) -> Vec<Statement> {
    let mut out = Vec::new();
    if let Some(o) = &p.owner {
        out.push(owner(r, target, o));
    }
    let as_created = Privileges {
        owner: p.owner.clone(),
        grants: None,
    };
    out.extend(grants(r, target, p, &as_created));
    out
}

/// `ALTER <kind> <name> OWNER TO <role>`.
pub fn owner(r: &Pg, target: Target, role: &str) -> Statement {
    Statement::new(format!(
        "ALTER {} {} OWNER TO {}",
        target.kind.keyword(),
        target.sql,
        r.ident(role)
    ))
}

/// The owner change and grants and revokes that turn `actual` into
/// `expected`. Nothing when `expected` holds no privileges (a snapshot
/// taken without `--with-privileges`).
pub fn alter(r: &Pg, target: Target, expected: &Privileges, actual: &Privileges) -> Vec<Statement> {
    if expected.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut actual = actual.clone();
    if let Some(o) = &expected.owner {
        if actual.owner.as_ref() != Some(o) {
            out.push(owner(r, target, o));
            // The old owner's entries become the new owner's, as
            // ALTER .. OWNER TO does (aclnewowner).
            if let (Some(old), Some(g)) = (&actual.owner, &mut actual.grants) {
                if let Some(privs) = g.remove(old) {
                    let entry = g.entry(o.clone()).or_default();
                    entry.extend(privs);
                    entry.sort();
                    entry.dedup();
                }
            }
            actual.owner = Some(o.clone());
        }
    }
    out.extend(grants(r, target, expected, &actual));
    out
}

fn grants(r: &Pg, target: Target, expected: &Privileges, actual: &Privileges) -> Vec<Statement> {
    if expected.grants.is_none() && actual.grants.is_none() {
        return Vec::new();
    }
    let owner = expected.owner.as_deref().or(actual.owner.as_deref());
    let e = effective(r, target.kind, expected, owner);
    let a = effective(r, target.kind, actual, owner);
    let on = format!("{} {}", target.kind.grant_keyword(), target.sql);
    acl_statements(r, &e, &a, &on, |p| p.to_string())
}

/// The grants and revokes that turn column `column`'s grants `actual` into
/// `expected` (`GRANT SELECT (col) ON TABLE t TO r`). A column has no
/// privileges by default, so no grants is an empty map.
pub fn column_grants(
    r: &Pg,
    table: &str,
    column: &str,
    expected: &BTreeMap<String, Vec<String>>,
    actual: &BTreeMap<String, Vec<String>>,
) -> Vec<Statement> {
    if expected == actual {
        return Vec::new();
    }
    let col = r.ident(column);
    let on = format!("TABLE {table}");
    acl_statements(r, &parse(expected), &parse(actual), &on, |p| {
        format!("{p} ({col})")
    })
}

/// The privileges a table-level `REVOKE` of `actual` -> `expected` takes
/// away, (grantee, privilege): PostgreSQL revokes them from every column of
/// the table as well.
pub fn revoked(
    r: &Pg,
    kind: Kind,
    expected: &Privileges,
    actual: &Privileges,
) -> BTreeSet<(String, String)> {
    if expected.is_empty() || (expected.grants.is_none() && actual.grants.is_none()) {
        return BTreeSet::new();
    }
    let owner = expected.owner.as_deref().or(actual.owner.as_deref());
    let e = effective(r, kind, expected, owner);
    let a = effective(r, kind, actual, owner);
    let mut out = BTreeSet::new();
    for (g, ap) in &a {
        for p in ap.keys() {
            if !e.get(g).is_some_and(|ep| ep.contains_key(p)) {
                out.insert((g.clone(), p.clone()));
            }
        }
    }
    out
}

/// The ACL a role's new objects of `x.on` get when there is no entry: for
/// a database-wide entry the built-in one (`acldefault`: the role has every
/// privilege, `PUBLIC` executes functions and uses types), for a schema's
/// none (it only adds to the database-wide one).
fn default_privileges_base(r: &Pg, x: &DefaultPrivileges) -> Acl {
    if x.schema.is_some() {
        return Acl::new();
    }
    let kind = match x.on.as_str() {
        "tables" => Kind::Table,
        "sequences" => Kind::Sequence,
        "functions" => Kind::Function,
        "types" => Kind::Type,
        "schemas" => Kind::Schema,
        _ => {
            // Large objects: the owner reads and writes them.
            let all = [("SELECT".to_string(), false), ("UPDATE".to_string(), false)];
            return [(x.role.clone(), all.into_iter().collect())].into();
        }
    };
    default_acl(r, kind, Some(&x.role))
}

/// The `ALTER DEFAULT PRIVILEGES FOR ROLE r [IN SCHEMA s] GRANT/REVOKE ...
/// ON TABLES` that turn default privileges `actual` into `expected` (either
/// absent: the built-in default, see [`default_privileges_base`]): the
/// REVOKEs, then the GRANTs.
pub fn default_privileges(
    r: &Pg,
    expected: Option<&DefaultPrivileges>,
    actual: Option<&DefaultPrivileges>,
) -> Vec<Statement> {
    let (mut revokes, grants) = default_privileges_parts(r, expected, actual);
    revokes.extend(grants);
    revokes
}

/// [`default_privileges`], as (REVOKEs, GRANTs).
pub fn default_privileges_parts(
    r: &Pg,
    expected: Option<&DefaultPrivileges>,
    actual: Option<&DefaultPrivileges>,
) -> (Vec<Statement>, Vec<Statement>) {
    let Some(x) = expected.or(actual) else {
        return (Vec::new(), Vec::new());
    };
    let base = default_privileges_base(r, x);
    let acl = |d: Option<&DefaultPrivileges>| d.map_or_else(|| base.clone(), |d| parse(&d.grants));
    let (e, a) = (acl(expected), acl(actual));
    let mut prefix = format!("ALTER DEFAULT PRIVILEGES FOR ROLE {}", r.ident(&x.role));
    if let Some(s) = &x.schema {
        prefix.push_str(&format!(" IN SCHEMA {}", r.ident(s)));
    }
    let on = x.on.to_uppercase().replace('_', " ");
    let (mut revokes, mut grants) = (Vec::new(), Vec::new());
    for s in acl_statements(r, &e, &a, &on, |p| p.to_string()) {
        let to = if s.sql.starts_with("REVOKE") {
            &mut revokes
        } else {
            &mut grants
        };
        to.push(Statement::new(format!("{prefix} {}", s.sql)));
    }
    (revokes, grants)
}

/// Column grants `grants` once a relation-level `REVOKE` took `revoked`
/// ([`revoked`]) from every column.
pub fn after_revokes(
    grants: &BTreeMap<String, Vec<String>>,
    revoked: &BTreeSet<(String, String)>,
) -> BTreeMap<String, Vec<String>> {
    let mut left = grants.clone();
    if !revoked.is_empty() {
        for (who, privs) in &mut left {
            privs.retain(|p| {
                let bare = p.strip_suffix(" WITH GRANT OPTION").unwrap_or(p);
                !revoked.contains(&(who.clone(), bare.to_string()))
            });
        }
        left.retain(|_, privs| !privs.is_empty());
    }
    left
}

/// `REVOKE`s then `GRANT`s, grantee by grantee, that turn ACL `a` into `e`
/// on `on` (`TABLE care.patients`), each privilege written by `privilege`.
fn acl_statements(
    r: &Pg,
    e: &Acl,
    a: &Acl,
    on: &str,
    privilege: impl Fn(&str) -> String,
) -> Vec<Statement> {
    let mut out = Vec::new();
    let grantees: BTreeSet<&String> = e.keys().chain(a.keys()).collect();
    let empty = BTreeMap::new();
    for g in grantees {
        let (ep, ap) = (e.get(g).unwrap_or(&empty), a.get(g).unwrap_or(&empty));
        let who = grantee(r, g);
        let mut revoke = Vec::new();
        let mut revoke_option = Vec::new();
        let mut grant = Vec::new();
        let mut grant_option = Vec::new();
        for p in ep.keys().chain(ap.keys()).collect::<BTreeSet<_>>() {
            match (ep.get(p), ap.get(p)) {
                (None, Some(_)) => revoke.push(privilege(p)),
                (Some(true), None | Some(false)) => grant_option.push(privilege(p)),
                (Some(false), None) => grant.push(privilege(p)),
                (Some(false), Some(true)) => revoke_option.push(privilege(p)),
                _ => {}
            }
        }
        if !revoke.is_empty() {
            out.push(Statement::new(format!(
                "REVOKE {} ON {on} FROM {who}",
                revoke.join(", ")
            )));
        }
        if !revoke_option.is_empty() {
            out.push(Statement::new(format!(
                "REVOKE GRANT OPTION FOR {} ON {on} FROM {who}",
                revoke_option.join(", ")
            )));
        }
        if !grant.is_empty() {
            out.push(Statement::new(format!(
                "GRANT {} ON {on} TO {who}",
                grant.join(", ")
            )));
        }
        if !grant_option.is_empty() {
            out.push(Statement::new(format!(
                "GRANT {} ON {on} TO {who} WITH GRANT OPTION",
                grant_option.join(", ")
            )));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;

    fn privs(owner: &str, grants: Option<&[(&str, &[&str])]>) -> Privileges {
        Privileges {
            owner: Some(owner.to_string()),
            grants: grants.map(|g| {
                g.iter()
                    .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
                    .collect()
            }),
        }
    }

    #[test]
    fn grants_are_the_difference_from_the_default_acl() {
        let r = Pg::new(150000);
        let t = Target {
            kind: Kind::Table,
            sql: "care.patients",
        };
        let e = privs(
            "app",
            Some(&[
                (
                    "app",
                    &[
                        "DELETE",
                        "INSERT",
                        "REFERENCES",
                        "SELECT",
                        "TRIGGER",
                        "TRUNCATE",
                        "UPDATE",
                    ],
                ),
                ("reader", &["SELECT"]),
                ("Auditor", &["SELECT WITH GRANT OPTION"]),
            ]),
        );
        assert_eq!(
            sql_of(create(&r, t, &e)),
            [
                "ALTER TABLE care.patients OWNER TO app",
                "GRANT SELECT ON TABLE care.patients TO \"Auditor\" WITH GRANT OPTION",
                "GRANT SELECT ON TABLE care.patients TO reader",
            ]
        );
        // Back to the default: revoke what was granted.
        let back = privs("app", None);
        assert_eq!(
            sql_of(alter(&r, t, &back, &e)),
            [
                "REVOKE SELECT ON TABLE care.patients FROM \"Auditor\"",
                "REVOKE SELECT ON TABLE care.patients FROM reader",
            ]
        );
        // A grant option taken away, and the owner's own UPDATE revoked.
        let less = privs(
            "app",
            Some(&[
                (
                    "app",
                    &[
                        "DELETE",
                        "INSERT",
                        "REFERENCES",
                        "SELECT",
                        "TRIGGER",
                        "TRUNCATE",
                    ],
                ),
                ("Auditor", &["SELECT"]),
            ]),
        );
        assert_eq!(
            sql_of(alter(&r, t, &less, &e)),
            [
                "REVOKE GRANT OPTION FOR SELECT ON TABLE care.patients FROM \"Auditor\"",
                "REVOKE UPDATE ON TABLE care.patients FROM app",
                "REVOKE SELECT ON TABLE care.patients FROM reader",
            ]
        );
    }

    #[test]
    fn column_grants_name_the_column_and_follow_table_revokes() {
        let r = Pg::new(150000);
        let g = |v: &[(&str, &[&str])]| -> BTreeMap<String, Vec<String>> {
            v.iter()
                .map(|(k, p)| (k.to_string(), p.iter().map(|s| s.to_string()).collect()))
                .collect()
        };
        let e = g(&[
            ("reader", &["SELECT", "UPDATE"]),
            ("Auditor", &["SELECT WITH GRANT OPTION"]),
        ]);
        let a = g(&[("reader", &["INSERT", "SELECT"]), ("PUBLIC", &["SELECT"])]);
        assert_eq!(
            sql_of(column_grants(&r, "care.patients", "Full Name", &e, &a)),
            [
                "GRANT SELECT (\"Full Name\") ON TABLE care.patients TO \"Auditor\" WITH GRANT OPTION",
                "REVOKE SELECT (\"Full Name\") ON TABLE care.patients FROM PUBLIC",
                "REVOKE INSERT (\"Full Name\") ON TABLE care.patients FROM reader",
                "GRANT UPDATE (\"Full Name\") ON TABLE care.patients TO reader",
            ]
        );
        assert!(column_grants(&r, "care.patients", "id", &e, &e).is_empty());
        // A table-level REVOKE takes a privilege from the columns too.
        let table = privs(
            "app",
            Some(&[("app", &["SELECT"]), ("reader", &["SELECT"])]),
        );
        let revoked = revoked(&r, Kind::Table, &privs("app", None), &table);
        assert_eq!(
            revoked.into_iter().collect::<Vec<_>>(),
            [("reader".to_string(), "SELECT".to_string())]
        );
    }

    #[test]
    fn default_privileges_start_from_the_built_in_default_or_from_none() {
        let r = Pg::new(150000);
        let dp = |schema: Option<&str>, on: &str, g: &[(&str, &[&str])]| DefaultPrivileges {
            role: "App Owner".into(),
            schema: schema.map(str::to_string),
            on: on.into(),
            grants: g
                .iter()
                .map(|(k, p)| (k.to_string(), p.iter().map(|s| s.to_string()).collect()))
                .collect(),
        };
        // In a schema: added to nothing.
        let care = dp(
            Some("care"),
            "tables",
            &[
                ("reader", &["SELECT"]),
                ("PUBLIC", &["INSERT WITH GRANT OPTION"]),
            ],
        );
        assert_eq!(
            sql_of(default_privileges(&r, Some(&care), None)),
            [
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"App Owner\" IN SCHEMA care \
                 GRANT INSERT ON TABLES TO PUBLIC WITH GRANT OPTION",
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"App Owner\" IN SCHEMA care \
                 GRANT SELECT ON TABLES TO reader",
            ]
        );
        assert_eq!(
            sql_of(default_privileges(&r, None, Some(&care))),
            [
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"App Owner\" IN SCHEMA care \
                 REVOKE INSERT ON TABLES FROM PUBLIC",
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"App Owner\" IN SCHEMA care \
                 REVOKE SELECT ON TABLES FROM reader",
            ]
        );
        // Database-wide: from the built-in default, where PUBLIC executes
        // functions; revokes first.
        let functions = dp(
            None,
            "functions",
            &[("App Owner", &["EXECUTE"]), ("reader", &["EXECUTE"])],
        );
        assert_eq!(
            sql_of(default_privileges(&r, Some(&functions), None)),
            [
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"App Owner\" \
                 REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC",
                "ALTER DEFAULT PRIVILEGES FOR ROLE \"App Owner\" \
                 GRANT EXECUTE ON FUNCTIONS TO reader",
            ]
        );
        let large = dp(None, "large_objects", &[]);
        assert_eq!(
            sql_of(default_privileges(&r, Some(&large), None)),
            ["ALTER DEFAULT PRIVILEGES FOR ROLE \"App Owner\" \
              REVOKE SELECT, UPDATE ON LARGE OBJECTS FROM \"App Owner\""]
        );
        assert!(default_privileges(&r, Some(&care), Some(&care)).is_empty());
    }

    #[test]
    fn functions_revoke_public_execute_and_owners_move_their_grants() {
        let r = Pg::new(150000);
        let f = Target {
            kind: Kind::Function,
            sql: "care.age(date)",
        };
        let e = privs(
            "app",
            Some(&[("app", &["EXECUTE"]), ("reader", &["EXECUTE"])]),
        );
        assert_eq!(
            sql_of(create(&r, f, &e)),
            [
                "ALTER FUNCTION care.age(date) OWNER TO app",
                "REVOKE EXECUTE ON FUNCTION care.age(date) FROM PUBLIC",
                "GRANT EXECUTE ON FUNCTION care.age(date) TO reader",
            ]
        );
        let a = privs(
            "old",
            Some(&[("old", &["EXECUTE"]), ("reader", &["EXECUTE"])]),
        );
        assert_eq!(
            sql_of(alter(&r, f, &e, &a)),
            ["ALTER FUNCTION care.age(date) OWNER TO app"]
        );
        // Without privileges in EXPECTED, nothing is said about them.
        assert!(alter(&r, f, &Privileges::default(), &a).is_empty());
    }
}
