//! Running split migrations on the shadow database, one statement at a time.
//!
//! Autocommit, one statement per round trip: `CREATE INDEX CONCURRENTLY` and
//! `ALTER TYPE ... ADD VALUE` work, and a file's own `BEGIN`/`COMMIT` are
//! honoured simply by being sent in order.
//!
//! Setup files run first, on a session of their own, as the real
//! deployment prepares its database before the migration tool connects. The
//! migrations then run on a new session, which sees what the setup set for
//! the database or a role (`ALTER DATABASE ... SET search_path`, which only
//! new sessions see), and gets the setup session's own `SET`s and role.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tokio_postgres::Client;

use crate::ddl::postgres::quote::always_quoted;
use crate::error::{Error, Result};
use crate::migrations::discover::{Format, Kind, Migration};
use crate::migrations::split::{char_to_byte, split, split_text, Statement};

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

/// A setup file and its statements.
#[derive(Debug, Clone)]
pub struct SetupFile {
    pub path: PathBuf,
    pub statements: Vec<Statement>,
}

/// Read and split the setup files, so that a syntax error in one is
/// reported before any server starts.
pub fn prepare_setup(paths: &[PathBuf]) -> Result<Vec<SetupFile>> {
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).map_err(|e| Error::Read {
                path: p.clone(),
                reason: format!("the setup file cannot be read: {e}"),
            })?;
            Ok(SetupFile {
                path: p.clone(),
                statements: split_text(p, &text, 0)?,
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

/// Find the roles named in the parse trees of the setup files and the
/// migrations (a role the setup creates is not created again).
pub fn role_needs(setup: &[SetupFile], prepared: &[Prepared]) -> RoleNeeds {
    let mut named = BTreeSet::new();
    let mut switched = BTreeSet::new();
    let mut created = BTreeSet::new();
    let statements = setup
        .iter()
        .flat_map(|f| &f.statements)
        .chain(prepared.iter().flat_map(|p| &p.statements));
    for s in statements {
        if let Some(tree) = parse_tree(&s.sql) {
            walk(&tree, &mut named, &mut switched, &mut created);
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
        .map_err(|e| Error::Shadow(format!("cannot list roles: {}", shadow_message(&e))))?;
    let existing: BTreeSet<String> = rows.iter().map(|r| r.get::<_, String>(0)).collect();
    let mut made = Vec::new();
    for r in wanted.iter().filter(|r| !existing.contains(*r)) {
        let su = if needs.switched_to.contains(r) {
            " SUPERUSER"
        } else {
            ""
        };
        let sql = format!("CREATE ROLE {} NOLOGIN{su}", always_quoted(r));
        match client.batch_execute(&sql).await {
            Ok(()) => made.push(r.clone()),
            // Made meanwhile by a concurrent run on the same server: fine.
            Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::DUPLICATE_OBJECT) => {}
            Err(e) => {
                return Err(Error::Shadow(format!(
                    "cannot create role {} that the migrations refer to: {}",
                    always_quoted(r),
                    shadow_message(&e)
                )))
            }
        }
    }
    Ok(made)
}

/// What a session holds that a new session must be given to continue it:
/// the settings made with `SET` (or `set_config`) and the role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionState {
    /// `(name, value)` of every setting whose source is the session.
    pub settings: Vec<(String, String)>,
    /// The session user, when `SET SESSION AUTHORIZATION` changed it.
    pub session_user: Option<String>,
    /// The current role, when `SET ROLE` changed it.
    pub role: Option<String>,
}

fn shadow_error(what: &str, e: &tokio_postgres::Error) -> Error {
    Error::Shadow(format!("{what}: {}", shadow_message(e)))
}

/// Run the setup files in order on `client`, and return the state of its
/// session for the migrations' session to continue from.
pub async fn run_setup(client: &Client, setup: &[SetupFile], server: &str) -> Result<SessionState> {
    let login: String = client
        .query_one("SELECT session_user::text", &[])
        .await
        .map_err(|e| shadow_error("cannot read the session user", &e))?
        .get(0);
    for f in setup {
        for s in &f.statements {
            if let Err(e) = client.batch_execute(&s.sql).await {
                return Err(statement_error(&f.path, s, &e, server));
            }
        }
    }
    // `role` and `session_authorization` are not in pg_settings.
    let row = client
        .query_one("SELECT session_user::text, current_user::text", &[])
        .await
        .map_err(|e| shadow_error("cannot read the role the setup left", &e))?;
    let (session_user, current): (String, String) = (row.get(0), row.get(1));
    let rows = client
        .query(
            "SELECT name::text, setting FROM pg_catalog.pg_settings \
             WHERE source = 'session' AND name NOT LIKE 'transaction\\_%' ORDER BY name",
            &[],
        )
        .await
        .map_err(|e| shadow_error("cannot read the settings the setup made", &e))?;
    Ok(SessionState {
        settings: rows.iter().map(|r| (r.get(0), r.get(1))).collect(),
        role: (current != session_user).then_some(current),
        session_user: (session_user != login).then_some(session_user),
    })
}

/// Give a new session the state of the setup session.
pub async fn continue_session(client: &Client, state: &SessionState) -> Result<()> {
    if let Some(u) = &state.session_user {
        client
            .batch_execute(&format!("SET SESSION AUTHORIZATION {}", always_quoted(u)))
            .await
            .map_err(|e| shadow_error("cannot take the session user the setup set", &e))?;
    }
    for (name, value) in &state.settings {
        client
            .execute(
                "SELECT pg_catalog.set_config($1, $2, false)",
                &[name, value],
            )
            .await
            .map_err(|e| {
                shadow_error(
                    &format!(
                        "cannot carry the setup's setting {name} over to the migrations' session"
                    ),
                    &e,
                )
            })?;
    }
    if let Some(r) = &state.role {
        client
            .batch_execute(&format!("SET ROLE {}", always_quoted(r)))
            .await
            .map_err(|e| shadow_error("cannot take the role the setup set", &e))?;
    }
    Ok(())
}

/// Run every statement in order; the first failure is `path:line: message`.
///
/// Flyway restores the session before each migration (PostgreSQLConnection
/// `doRestoreOriginalState` sets the role back, DbMigrate
/// `changeCurrentSchemaTo` the search path), so a `SET search_path` in one
/// Flyway migration does not reach the next; the other tools run every
/// migration on one session, where it does.
pub async fn replay(
    client: &Client,
    prepared: &[Prepared],
    server: &str,
    format: Format,
) -> Result<()> {
    let mut r = Replayer::new(client, format, prepared.len()).await?;
    for p in prepared {
        r.run(client, p, server).await?;
    }
    Ok(())
}

/// [`replay`] one migration at a time, so that the caller can look at the
/// schema between two migrations.
pub struct Replayer {
    /// Flyway's search path and role at the start, restored before each migration.
    start: Option<(String, String)>,
    after_before_each: bool,
    progress: crate::progress::Progress,
}

impl Replayer {
    pub async fn new(client: &Client, format: Format, count: usize) -> Result<Replayer> {
        let start = if format == Format::Flyway {
            let row = client
                .query_one(
                    "SELECT pg_catalog.current_setting('search_path'), current_user::text",
                    &[],
                )
                .await
                .map_err(|e| shadow_error("cannot read the search path", &e))?;
            Some((row.get::<_, String>(0), row.get::<_, String>(1)))
        } else {
            None
        };
        Ok(Replayer {
            start,
            after_before_each: false,
            progress: crate::progress::Progress::new(count, ("replayed", "migrations")),
        })
    }

    /// Run one migration's statements.
    pub async fn run(&mut self, client: &Client, p: &Prepared, server: &str) -> Result<()> {
        if let Some((path, role)) = &self.start {
            // Flyway resets before `beforeEachMigrate` callbacks, which then
            // run in the same session state as their migration.
            let before_each = p.migration.kind == Kind::Callback("beforeEachMigrate");
            let is_migration = !matches!(p.migration.kind, Kind::Callback(_));
            if (before_each || is_migration) && !self.after_before_each {
                client
                    .execute(
                        "SELECT pg_catalog.set_config('search_path', $1, false)",
                        &[path],
                    )
                    .await
                    .map_err(|e| {
                        shadow_error("cannot restore the search path between migrations", &e)
                    })?;
                client
                    .batch_execute(&format!("SET ROLE {}", always_quoted(role)))
                    .await
                    .map_err(|e| shadow_error("cannot restore the role between migrations", &e))?;
            }
            self.after_before_each = before_each;
        }
        for s in &p.statements {
            if let Err(e) = client.batch_execute(&s.sql).await {
                return Err(statement_error(&p.migration.path, s, &e, server));
            }
        }
        self.progress.step(&p.migration.path.display().to_string());
        Ok(())
    }
}

/// PostgreSQL's message for a statement or command on the shadow database;
/// a connection that went away says so.
pub fn shadow_message(e: &tokio_postgres::Error) -> String {
    if e.as_db_error().is_none() && (e.is_closed() || e.to_string().contains("closed")) {
        format!(
            "the connection to the shadow database was lost: {}",
            crate::error::chain(e)
        )
    } else {
        crate::postgres::connect::db_message(e)
    }
}

fn statement_error(path: &Path, s: &Statement, e: &tokio_postgres::Error, server: &str) -> Error {
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
    let mut reason = shadow_message(e);
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
        path: path.to_path_buf(),
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
            kind: Kind::Versioned,
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
        let n = role_needs(&[], &prep(sql));
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
        let n = role_needs(
            &[],
            &prep("create table t (id int primary key); create index on t (id);"),
        );
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
}
