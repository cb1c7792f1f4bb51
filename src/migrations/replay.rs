//! Running split migrations on the shadow database, one statement at a time.
//!
//! Autocommit, one statement per round trip: `CREATE INDEX CONCURRENTLY` and
//! `ALTER TYPE ... ADD VALUE` work, and a file's own `BEGIN`/`COMMIT` are
//! honoured simply by being sent in order.

use std::collections::BTreeSet;

use serde_json::Value;
use tokio_postgres::Client;

use crate::error::{Error, Result};
use crate::migrations::discover::Migration;
use crate::migrations::split::{char_to_byte, split, Statement};

/// A migration and its statements, split before anything runs so that a
/// syntax error is reported without starting a server.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub migration: Migration,
    pub statements: Vec<Statement>,
}

/// Split every migration; the first file that does not parse is the error.
pub fn prepare(migrations: Vec<Migration>) -> Result<Vec<Prepared>> {
    migrations
        .into_iter()
        .map(|m| {
            let statements = split(&m)?;
            Ok(Prepared {
                migration: m,
                statements,
            })
        })
        .collect()
}

/// Roles the migrations refer to but do not create themselves: they exist in
/// the real environments (made by an operator, not a migration) and must
/// exist in the shadow for `GRANT ... TO`, `CREATE POLICY ... TO`,
/// `OWNER TO` or `SET ROLE` to run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleNeeds {
    /// Every role to create (NOLOGIN), sorted.
    pub roles: BTreeSet<String>,
    /// Roles the migrations switch to (`SET ROLE`, `SET SESSION
    /// AUTHORIZATION`): created as superusers in the shadow, since whatever
    /// the migration then does as that role must succeed there.
    pub switched_to: BTreeSet<String>,
}

/// Find the roles named in the migrations' parse trees.
pub fn role_needs(prepared: &[Prepared]) -> RoleNeeds {
    let mut named = BTreeSet::new();
    let mut switched = BTreeSet::new();
    let mut created = BTreeSet::new();
    for p in prepared {
        for s in &p.statements {
            if let Some(tree) = parse_tree(&s.sql) {
                walk(&tree, &mut named, &mut switched, &mut created);
            }
        }
    }
    let keep = |r: &String| !created.contains(r) && !r.starts_with("pg_") && !r.is_empty();
    let switched_to: BTreeSet<String> = switched.into_iter().filter(keep).collect();
    let mut roles: BTreeSet<String> = named.into_iter().filter(keep).collect();
    roles.extend(switched_to.iter().cloned());
    RoleNeeds { roles, switched_to }
}

/// The statement's parse tree as JSON (the protobuf tree serialised), or
/// None if it does not parse on its own.
fn parse_tree(sql: &str) -> Option<Value> {
    let parsed = pg_query::parse(sql, 0).ok()?;
    serde_json::to_value(&parsed.protobuf).ok()
}

/// `RoleSpec` type for a plain role name (not PUBLIC, CURRENT_USER, ...).
const ROLESPEC_CSTRING: i64 = 1;

fn walk(
    v: &Value,
    named: &mut BTreeSet<String>,
    switched: &mut BTreeSet<String>,
    created: &mut BTreeSet<String>,
) {
    match v {
        Value::Object(map) => {
            // A RoleSpec, wherever it sits: GRANT/REVOKE grantees, policy
            // roles, OWNER TO, AUTHORIZATION, ALTER DEFAULT PRIVILEGES FOR ROLE ...
            if let (Some(t), Some(Value::String(name))) = (map.get("roletype"), map.get("rolename"))
            {
                if t.as_i64() == Some(ROLESPEC_CSTRING) {
                    named.insert(name.clone());
                }
            }
            if let Some(Value::Object(c)) = map.get("CreateRoleStmt") {
                if let Some(Value::String(r)) = c.get("role") {
                    created.insert(r.clone());
                }
            }
            if let Some(Value::Object(g)) = map.get("GrantRoleStmt") {
                // GRANT role TO other: the granted roles are AccessPriv names.
                if let Some(Value::Array(items)) = g.get("granted_roles") {
                    for it in items {
                        if let Some(Value::String(n)) = it.pointer("/node/AccessPriv/priv_name") {
                            named.insert(n.clone());
                        }
                    }
                }
            }
            if let Some(Value::Object(s)) = map.get("VariableSetStmt") {
                let name = s.get("name").and_then(Value::as_str).unwrap_or("");
                if name == "role" || name == "session_authorization" {
                    if let Some(Value::Array(args)) = s.get("args") {
                        for a in args {
                            if let Some(Value::String(r)) = a.pointer("/node/AConst/val/Sval/sval")
                            {
                                if r != "none" {
                                    switched.insert(r.clone());
                                }
                            }
                        }
                    }
                }
            }
            for x in map.values() {
                walk(x, named, switched, created);
            }
        }
        Value::Array(items) => {
            for x in items {
                walk(x, named, switched, created);
            }
        }
        _ => {}
    }
}

/// A SQL identifier, always quoted.
pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Create the roles the migrations need and that do not exist yet. Returns
/// the roles this call created (so a shared shadow server can drop them after).
pub async fn create_roles(client: &Client, needs: &RoleNeeds) -> Result<Vec<String>> {
    let wanted: Vec<String> = needs.roles.iter().cloned().collect();
    if wanted.is_empty() {
        return Ok(vec![]);
    }
    let rows = client
        .query(
            "SELECT rolname::text FROM pg_catalog.pg_roles WHERE rolname = ANY($1)",
            &[&wanted],
        )
        .await
        .map_err(|e| Error::Shadow(format!("cannot list roles: {}", db_message(&e))))?;
    let existing: BTreeSet<String> = rows.iter().map(|r| r.get::<_, String>(0)).collect();
    let mut made = Vec::new();
    for r in wanted.iter().filter(|r| !existing.contains(*r)) {
        let su = if needs.switched_to.contains(r) {
            " SUPERUSER"
        } else {
            ""
        };
        let sql = format!("CREATE ROLE {} NOLOGIN{su}", quote_ident(r));
        match client.batch_execute(&sql).await {
            Ok(()) => made.push(r.clone()),
            // Made meanwhile by a concurrent run on the same server: fine.
            Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::DUPLICATE_OBJECT) => {}
            Err(e) => {
                return Err(Error::Shadow(format!(
                    "cannot create role {} that the migrations refer to: {}",
                    quote_ident(r),
                    db_message(&e)
                )))
            }
        }
    }
    Ok(made)
}

/// Run every statement in order; the first failure is `path:line: message`.
pub async fn replay(client: &Client, prepared: &[Prepared], server: &str) -> Result<()> {
    for p in prepared {
        for s in &p.statements {
            if let Err(e) = client.batch_execute(&s.sql).await {
                return Err(statement_error(&p.migration, s, &e, server));
            }
        }
    }
    Ok(())
}

/// PostgreSQL's message, with its detail and hint, for one sentence of context.
pub fn db_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => {
            let mut s = d.message().to_string();
            if let Some(det) = d.detail() {
                s.push_str(&format!(" (DETAIL: {det})"));
            }
            if let Some(h) = d.hint() {
                s.push_str(&format!(" (HINT: {h})"));
            }
            s
        }
        None => {
            let s = e.to_string();
            if e.is_closed() || s.contains("closed") {
                format!("the connection to the shadow database was lost: {s}")
            } else {
                s
            }
        }
    }
}

fn statement_error(m: &Migration, s: &Statement, e: &tokio_postgres::Error, server: &str) -> Error {
    let mut line = s.line;
    if let Some(d) = e.as_db_error() {
        if let Some(tokio_postgres::error::ErrorPosition::Original(pos)) = d.position() {
            let at = char_to_byte(&s.sql, *pos as usize);
            line += s.sql.as_bytes()[..at]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
        }
    }
    let mut reason = db_message(e);
    if let Some(ext) = created_extension(&s.sql) {
        let unavailable = e.code().is_some_and(|c| {
            *c == tokio_postgres::error::SqlState::UNDEFINED_FILE
                || *c == tokio_postgres::error::SqlState::FEATURE_NOT_SUPPORTED
        });
        if unavailable {
            reason = format!(
                "extension \"{ext}\" is not available on the shadow database server ({server}): install it where the shadow runs (Debian: the postgresql-contrib package, or the extension's own postgresql-<major>-<name> package) or replay into a server that has it with --shadow URL (PostgreSQL said: {reason})"
            );
        }
    }
    Error::Migration {
        path: m.path.clone(),
        line,
        reason,
    }
}

/// The extension a `CREATE EXTENSION` statement creates.
fn created_extension(sql: &str) -> Option<String> {
    let tree = parse_tree(sql)?;
    tree.pointer("/stmts/0/stmt/node/CreateExtensionStmt/extname")
        .and_then(Value::as_str)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn prep(sql: &str) -> Vec<Prepared> {
        prepare(vec![Migration {
            version: None,
            description: "m".into(),
            kind: crate::migrations::Kind::Versioned,
            path: PathBuf::from("m.sql"),
            files: vec![PathBuf::from("m.sql")],
            display_name: "m.sql".into(),
            raw: sql.as_bytes().to_vec(),
            sql: sql.into(),
            first_line_offset: 0,
        }])
        .unwrap()
    }

    fn set(v: &[&str]) -> BTreeSet<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn roles_from_grants_policies_owners_and_set_role() {
        let sql = r#"
            create role made_here;
            grant select on t to reader, PUBLIC, "Mixed Case";
            grant usage on schema s to made_here;
            revoke all on t from old_app;
            create policy p on t for select to app_user, current_user using (true);
            alter table t owner to owner_role;
            create schema s2 authorization schema_owner;
            alter default privileges for role definer in schema s grant select on tables to reader;
            grant parent_role to child_role;
            set role migrator;
            set session authorization 'sess';
            reset role;
            set role none;
            grant pg_read_all_data to reader;
            grant all on t to session_user;
        "#;
        let n = role_needs(&prep(sql));
        assert_eq!(
            n.roles,
            set(&[
                "Mixed Case",
                "app_user",
                "child_role",
                "definer",
                "migrator",
                "old_app",
                "owner_role",
                "parent_role",
                "reader",
                "schema_owner",
                "sess"
            ])
        );
        assert_eq!(n.switched_to, set(&["migrator", "sess"]));
    }

    #[test]
    fn no_roles_for_plain_ddl() {
        let n = role_needs(&prep(
            "create table t (id int primary key); create index on t (id);",
        ));
        assert!(n.roles.is_empty());
    }

    #[test]
    fn extension_name_from_parse_tree() {
        assert_eq!(
            created_extension("create extension if not exists \"uuid-ossp\" schema public"),
            Some("uuid-ossp".into())
        );
        assert_eq!(created_extension("create table t (id int)"), None);
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
