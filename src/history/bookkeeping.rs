//! The migration tools' own tables, which are bookkeeping and not schema: a live
//! database has them and the migrations folder does not create them, so they must
//! not be reported as drift.
//!
//! A table is a tool's when it has the tool's name (or the name a configuration
//! gives the history table) *and* the tool's layout: every column the tool creates,
//! and no column the tool does not (columns a later release of the tool adds are
//! allowed). So a user's own `schema_migrations(id, name, applied_at)` is a table like
//! any other. The layouts follow each tool's own DDL for PostgreSQL:
//! - Flyway: `createMetaDataTable.sql` (`org/flywaydb/database/postgresql`).
//! - golang-migrate: `database/postgres/postgres.go` `ensureVersionTable`
//!   (`version bigint not null primary key, dirty boolean not null`).
//! - dbmate: `pkg/driver/postgres/postgres.go` `CreateMigrationsTable`
//!   (`version varchar(128) primary key`); Rails' `ActiveRecord::SchemaMigration`
//!   makes the same one column, and `InternalMetadata` `ar_internal_metadata`.
//! - Supabase CLI: `pkg/migration/history.go` (`version text primary key`, then
//!   `statements text[]`, `name text`; Supabase Studio adds `created_by`,
//!   `idempotency_key`, `rollback`), in schema `supabase_migrations`.
//! - Prisma: the schema engine's `_prisma_migrations` (sql-schema-connector).
//! - diesel: `diesel_migrations` `setup_database` (`version VARCHAR(50)`, `run_on`).
//! - sqlx: `sqlx-postgres` `migrate.rs` `ensure_migrations_table`.
//! - goose: `internal/dialect/dialectquery/postgres.go` `CreateTable` (`id` serial or
//!   identity, `version_id`, `is_applied`, `tstamp`).
//! - Atlas: its revisions entity (`cmd/atlas/internal/migrate/ent/schema/revision.go`),
//!   in schema `atlas_schema_revisions`.
//! - Liquibase: `CreateDatabaseChangeLogTableGenerator` and
//!   `CreateDatabaseChangeLogLockTableGenerator` (older releases had fewer columns;
//!   Liquibase adds the missing ones on its next run).
//!
//! In Neo4j, neo4j-migrations keeps its chain in `__Neo4jMigration` nodes; the schema
//! it creates for them is its bookkeeping: `Migrations.UNIQUE_VERSION` (unique
//! `(version, migrationTarget)` on `__Neo4jMigration`, named
//! `unique_version___Neo4jMigration`), `Migrations.REPEATED_AT` (an index on the
//! `REPEATED` relationships' `at`, `repeated_at__Neo4jMigration`) and
//! `MigrationsLock.REQUIRED_CONSTRAINTS` (unique `id` and `name` on
//! `__Neo4jMigrationsLock`). The nodes themselves are data, which no snapshot holds.

use std::sync::{Arc, Mutex};

use super::{TableName, Tool};
use crate::model::neo4j::{ConstraintKind, EntityType, IndexKind};
use crate::model::{Neo4jSchema, PgSchema, Snapshot};

/// Whose bookkeeping a table name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bookkeeping {
    /// A tool whose history schemadrift reads.
    Tool(Tool),
    /// `schema_migrations`: golang-migrate's, dbmate's, Rails' and the Supabase CLI's
    /// table share the name; their layouts tell them apart.
    SchemaMigrations,
    /// Rails' `ar_internal_metadata` (the environment the schema was loaded for).
    RailsMetadata,
    /// Atlas' `atlas_schema_revisions`.
    Atlas,
    /// Liquibase's `databasechangelog`.
    Liquibase,
    /// Liquibase's `databasechangeloglock`.
    LiquibaseLock,
}

/// Whose bookkeeping a table called `name` is by its name alone (a tool's default
/// name, in any schema: every tool can be pointed at another schema). Names are
/// exact: PostgreSQL folds the tools' unquoted names to lower case.
pub fn bookkeeping_tool(name: &str) -> Option<Bookkeeping> {
    Some(match name {
        "flyway_schema_history" => Bookkeeping::Tool(Tool::Flyway),
        "schema_migrations" => Bookkeeping::SchemaMigrations,
        "ar_internal_metadata" => Bookkeeping::RailsMetadata,
        "_prisma_migrations" => Bookkeeping::Tool(Tool::Prisma),
        "__diesel_schema_migrations" => Bookkeeping::Tool(Tool::Diesel),
        "_sqlx_migrations" => Bookkeeping::Tool(Tool::Sqlx),
        "goose_db_version" => Bookkeeping::Tool(Tool::Goose),
        "atlas_schema_revisions" => Bookkeeping::Atlas,
        "databasechangelog" => Bookkeeping::Liquibase,
        "databasechangeloglock" => Bookkeeping::LiquibaseLock,
        _ => return None,
    })
}

/// A tool's table layout: the columns it creates, and those later releases add.
struct Layout {
    owner: &'static str,
    columns: &'static [&'static str],
    added_later: &'static [&'static str],
}

impl Layout {
    fn fits(&self, columns: &[&str]) -> bool {
        self.columns.iter().all(|c| columns.contains(c))
            && columns
                .iter()
                .all(|c| self.columns.contains(c) || self.added_later.contains(c))
    }
}

const fn layout(owner: &'static str, columns: &'static [&'static str]) -> Layout {
    Layout {
        owner,
        columns,
        added_later: &[],
    }
}

const FLYWAY: Layout = layout(
    "Flyway",
    &[
        "installed_rank",
        "version",
        "description",
        "type",
        "script",
        "checksum",
        "installed_by",
        "installed_on",
        "execution_time",
        "success",
    ],
);
const GOLANG_MIGRATE: Layout = layout("golang-migrate", &["version", "dirty"]);
/// dbmate's and Rails' `schema_migrations` are the same one column.
const DBMATE_OR_RAILS: Layout = layout("dbmate or Rails", &["version"]);
const SUPABASE: Layout = Layout {
    owner: "Supabase",
    columns: &["version", "statements", "name"],
    added_later: &["created_by", "idempotency_key", "rollback"],
};
const RAILS_METADATA: Layout = layout("Rails", &["key", "value", "created_at", "updated_at"]);
const PRISMA: Layout = layout(
    "Prisma",
    &[
        "id",
        "checksum",
        "finished_at",
        "migration_name",
        "logs",
        "rolled_back_at",
        "started_at",
        "applied_steps_count",
    ],
);
const DIESEL: Layout = layout("diesel", &["version", "run_on"]);
const SQLX: Layout = layout(
    "sqlx",
    &[
        "version",
        "description",
        "installed_on",
        "success",
        "checksum",
        "execution_time",
    ],
);
const GOOSE: Layout = layout("goose", &["id", "version_id", "is_applied", "tstamp"]);
const ATLAS: Layout = Layout {
    owner: "Atlas",
    columns: &[
        "version",
        "description",
        "type",
        "applied",
        "total",
        "executed_at",
        "execution_time",
        "hash",
    ],
    added_later: &["error", "error_stmt", "partial_hashes", "operator_version"],
};
const LIQUIBASE: Layout = Layout {
    owner: "Liquibase",
    columns: &["id", "author", "filename", "dateexecuted"],
    added_later: &[
        "orderexecuted",
        "exectype",
        "md5sum",
        "description",
        "comments",
        "tag",
        "liquibase",
        "contexts",
        "labels",
        "deployment_id",
    ],
};
const LIQUIBASE_LOCK: Layout = Layout {
    owner: "Liquibase",
    columns: &["id", "locked"],
    added_later: &["lockgranted", "lockedby"],
};

/// Every layout, for a renamed history table (whose tool the name does not say).
const ALL: [&Layout; 12] = [
    &FLYWAY,
    &GOLANG_MIGRATE,
    &SUPABASE,
    &DBMATE_OR_RAILS,
    &RAILS_METADATA,
    &PRISMA,
    &DIESEL,
    &SQLX,
    &GOOSE,
    &ATLAS,
    &LIQUIBASE,
    &LIQUIBASE_LOCK,
];

fn layouts(b: Bookkeeping) -> &'static [&'static Layout] {
    match b {
        Bookkeeping::Tool(Tool::Flyway) => &[&FLYWAY],
        Bookkeeping::Tool(Tool::GolangMigrate) => &[&GOLANG_MIGRATE],
        Bookkeeping::Tool(Tool::Dbmate) => &[&DBMATE_OR_RAILS],
        Bookkeeping::Tool(Tool::Goose) => &[&GOOSE],
        Bookkeeping::Tool(Tool::Sqlx) => &[&SQLX],
        Bookkeeping::Tool(Tool::Diesel) => &[&DIESEL],
        Bookkeeping::Tool(Tool::Prisma) => &[&PRISMA],
        Bookkeeping::Tool(Tool::Neo4jMigrations) => &[],
        Bookkeeping::SchemaMigrations => &[&GOLANG_MIGRATE, &SUPABASE, &DBMATE_OR_RAILS],
        Bookkeeping::RailsMetadata => &[&RAILS_METADATA],
        Bookkeeping::Atlas => &[&ATLAS],
        Bookkeeping::Liquibase => &[&LIQUIBASE],
        Bookkeeping::LiquibaseLock => &[&LIQUIBASE_LOCK],
    }
}

/// Who keeps table `schema.name` with these columns, when it is a migration tool's
/// bookkeeping table: its name (a tool's default, or one of `renamed`, the history
/// tables a configuration names) and its layout both say so. A renamed table without
/// a schema matches in any schema.
pub fn recognise(
    schema: &str,
    name: &str,
    columns: &[&str],
    renamed: &[TableName],
) -> Option<&'static str> {
    let candidates: &[&Layout] = match bookkeeping_tool(name) {
        Some(b) => layouts(b),
        None if is_renamed(schema, name, renamed) => &ALL,
        None => return None,
    };
    candidates.iter().find(|l| l.fits(columns)).map(|l| l.owner)
}

fn is_renamed(schema: &str, name: &str, renamed: &[TableName]) -> bool {
    renamed
        .iter()
        .any(|t| t.name == name && t.schema.as_deref().is_none_or(|s| s == schema))
}

/// A bookkeeping table (or neo4j-migrations constraint or index) left out of a
/// comparison.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SetAside {
    /// `public._prisma_migrations`; for Neo4j the object as a change would name it
    /// (`neo4j:unique node :__Neo4jMigration(version, migrationTarget)`).
    pub object: String,
    /// Who keeps it, as the report names it (`Prisma`, `dbmate or Rails`).
    pub tool: &'static str,
    pub in_expected: bool,
    pub in_actual: bool,
}

impl SetAside {
    /// `public._prisma_migrations (Prisma)`.
    pub fn line(&self) -> String {
        format!("{} ({})", self.object, self.tool)
    }
}

/// What comparisons left out as bookkeeping, shared by the clones of one set of
/// read options (a comparison returns only its changes).
#[derive(Debug, Clone, Default)]
pub struct SetAsideLog(Arc<Mutex<Vec<SetAside>>>);

impl SetAsideLog {
    pub fn record(&self, found: Vec<SetAside>) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(found);
    }

    /// Everything recorded, sorted, each object once.
    pub fn take(&self) -> Vec<SetAside> {
        let mut v = std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()));
        v.sort();
        v.dedup();
        v
    }
}

/// Leave the bookkeeping of both sides out of a comparison: the migration tools'
/// tables (with the sequences they own; their indexes, constraints and triggers are
/// part of them) and neo4j-migrations' constraints and index. A schema that held
/// nothing but such tables goes too, where the other side has no such schema.
/// `renamed`: history tables a configuration names (`history_table`).
pub fn set_aside(
    expected: &mut Snapshot,
    actual: &mut Snapshot,
    renamed: &[TableName],
) -> Vec<SetAside> {
    let mut out = Vec::new();
    if expected.postgres.is_some() || actual.postgres.is_some() {
        let (mut none_e, mut none_a) = (PgSchema::default(), PgSchema::default());
        out = set_aside_pg(
            expected.postgres.as_mut().unwrap_or(&mut none_e),
            actual.postgres.as_mut().unwrap_or(&mut none_a),
            renamed,
        );
    }
    let e = expected.neo4j.as_mut().map(take_neo4j).unwrap_or_default();
    let a = actual.neo4j.as_mut().map(take_neo4j).unwrap_or_default();
    out.extend(merge(e, a));
    out
}

/// [`set_aside`] for two PostgreSQL schemas.
pub fn set_aside_pg(
    expected: &mut PgSchema,
    actual: &mut PgSchema,
    renamed: &[TableName],
) -> Vec<SetAside> {
    let (e, e_emptied) = take_pg(expected, renamed);
    let (a, a_emptied) = take_pg(actual, renamed);
    for s in &e_emptied {
        if !actual.schemas.contains_key(s) {
            expected.schemas.remove(s);
        }
    }
    for s in &a_emptied {
        if !expected.schemas.contains_key(s) {
            actual.schemas.remove(s);
        }
    }
    merge(e, a)
}

fn merge(e: Vec<(String, &'static str)>, a: Vec<(String, &'static str)>) -> Vec<SetAside> {
    let mut out: Vec<SetAside> = e
        .into_iter()
        .map(|(object, tool)| SetAside {
            object,
            tool,
            in_expected: true,
            in_actual: false,
        })
        .collect();
    for (object, tool) in a {
        match out
            .iter_mut()
            .find(|x| x.object == object && x.tool == tool)
        {
            Some(x) => x.in_actual = true,
            None => out.push(SetAside {
                object,
                tool,
                in_expected: false,
                in_actual: true,
            }),
        }
    }
    out.sort();
    out
}

/// Take the bookkeeping tables out of `pg`, with the sequences their columns own:
/// (`schema.table`, tool), and the schemas left with nothing in them.
fn take_pg(pg: &mut PgSchema, renamed: &[TableName]) -> (Vec<(String, &'static str)>, Vec<String>) {
    let mut found = Vec::new();
    let mut emptied = Vec::new();
    for (sn, s) in pg.schemas.iter_mut() {
        let tables: Vec<(String, &'static str)> = s
            .tables
            .iter()
            // The name first: most tables are no tool's.
            .filter(|(tn, _)| bookkeeping_tool(tn).is_some() || is_renamed(sn, tn, renamed))
            .filter_map(|(tn, t)| {
                let columns: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
                recognise(sn, tn, &columns, renamed).map(|tool| (tn.clone(), tool))
            })
            .collect();
        if tables.is_empty() {
            continue;
        }
        let owners: Vec<String> = tables.iter().map(|(tn, _)| format!("{sn}.{tn}.")).collect();
        s.sequences.retain(|_, q| {
            !q.owned_by
                .as_deref()
                .is_some_and(|o| owners.iter().any(|p| o.starts_with(p.as_str())))
        });
        for (tn, tool) in tables {
            s.tables.remove(&tn);
            found.push((format!("{sn}.{tn}"), tool));
        }
        let empty = crate::model::postgres::Schema {
            privileges: s.privileges.clone(),
            ..Default::default()
        };
        if *s == empty {
            emptied.push(sn.clone());
        }
    }
    (found, emptied)
}

/// The labels neo4j-migrations keeps its chain and its lock in.
const NEO4J_MIGRATIONS_LABELS: [&str; 2] = ["__Neo4jMigration", "__Neo4jMigrationsLock"];

/// neo4j-migrations' own schema in Neo4j: the names of the constraints and the index
/// it creates (`Migrations.UNIQUE_VERSION`, `REPEATED_AT`, `MigrationsLock`).
pub const NEO4J_MIGRATIONS_SCHEMA: [&str; 4] = [
    "unique_version___Neo4jMigration",
    "repeated_at__Neo4jMigration",
    "__Neo4jMigrationsLock__has_unique_id",
    "__Neo4jMigrationsLock__has_unique_name",
];

/// Whether a name is one neo4j-migrations gives, or one the server generated (the tool
/// creates its constraints unnamed on servers before 4.0, `constraint_…` since).
fn neo4j_name_fits(name: Option<&String>) -> bool {
    name.is_none_or(|n| {
        NEO4J_MIGRATIONS_SCHEMA.contains(&n.as_str())
            || n.starts_with("constraint_")
            || n.starts_with("index_")
    })
}

/// Whether a constraint is neo4j-migrations': unique on its own labels, on the
/// properties it makes unique, under its name.
fn neo4j_constraint_is_tools(c: &crate::model::neo4j::Neo4jConstraint) -> bool {
    let props: Vec<&str> = c.properties.iter().map(String::as_str).collect();
    let shape = match c.labels_or_types.as_slice() {
        [l] if l == NEO4J_MIGRATIONS_LABELS[0] => {
            // `(version)` before `migrationTarget` was added.
            props == ["version", "migrationTarget"] || props == ["version"]
        }
        [l] if l == NEO4J_MIGRATIONS_LABELS[1] => props == ["id"] || props == ["name"],
        _ => false,
    };
    c.kind == ConstraintKind::Unique
        && c.entity_type == EntityType::Node
        && shape
        && neo4j_name_fits(c.name.as_ref())
}

/// Whether an index is neo4j-migrations': the property index on `REPEATED.at`.
fn neo4j_index_is_tools(i: &crate::model::neo4j::Neo4jIndex) -> bool {
    matches!(i.kind, IndexKind::Range | IndexKind::Btree)
        && i.entity_type == EntityType::Relationship
        && i.labels_or_types == ["REPEATED"]
        && i.properties == ["at"]
        && neo4j_name_fits(i.name.as_ref())
}

/// Take neo4j-migrations' constraints and index out of `neo`, as the changes would
/// name them.
fn take_neo4j(neo: &mut Neo4jSchema) -> Vec<(String, &'static str)> {
    let tool = Tool::Neo4jMigrations.name();
    let mut found = Vec::new();
    neo.constraints.retain(|k, c| {
        let keep = !neo4j_constraint_is_tools(c);
        if !keep {
            found.push((crate::diff::neo4j::constraint_object(k), tool));
        }
        keep
    });
    neo.indexes.retain(|k, i| {
        let keep = !neo4j_index_is_tools(i);
        if !keep {
            found.push((crate::diff::neo4j::index_object(k), tool));
        }
        keep
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::postgres::{Schema, Table};

    const SQLX_COLUMNS: [&str; 6] = [
        "version",
        "description",
        "installed_on",
        "success",
        "checksum",
        "execution_time",
    ];

    #[test]
    fn default_names_in_any_schema() {
        let cases = [
            ("flyway_schema_history", Bookkeeping::Tool(Tool::Flyway)),
            ("schema_migrations", Bookkeeping::SchemaMigrations),
            ("ar_internal_metadata", Bookkeeping::RailsMetadata),
            ("_prisma_migrations", Bookkeeping::Tool(Tool::Prisma)),
            (
                "__diesel_schema_migrations",
                Bookkeeping::Tool(Tool::Diesel),
            ),
            ("_sqlx_migrations", Bookkeeping::Tool(Tool::Sqlx)),
            ("goose_db_version", Bookkeeping::Tool(Tool::Goose)),
            ("atlas_schema_revisions", Bookkeeping::Atlas),
            ("databasechangelog", Bookkeeping::Liquibase),
            ("databasechangeloglock", Bookkeeping::LiquibaseLock),
        ];
        for (name, b) in cases {
            assert_eq!(bookkeeping_tool(name), Some(b), "{name}");
        }
        for name in [
            "users",
            "migrations",
            "Schema_Migrations",
            "flyway_schema_history_old",
            "DATABASECHANGELOG",
        ] {
            assert_eq!(bookkeeping_tool(name), None, "{name}");
        }
    }

    #[test]
    fn a_table_is_the_tools_by_its_name_and_its_layout() {
        let sqlx = SQLX_COLUMNS;
        for schema in ["public", "app"] {
            assert_eq!(
                recognise(schema, "_sqlx_migrations", &sqlx, &[]),
                Some("sqlx")
            );
        }
        assert_eq!(recognise("public", "sqlx_history", &sqlx, &[]), None);
        assert_eq!(
            recognise("public", "_sqlx_migrations", &sqlx[..5], &[]),
            None
        );
        let mut with_note = sqlx.to_vec();
        with_note.push("note");
        assert_eq!(
            recognise("public", "_sqlx_migrations", &with_note, &[]),
            None
        );
        // One name, four tools: told apart by their columns.
        let cases: [(&[&str], Option<&str>); 6] = [
            (&["version", "dirty"], Some("golang-migrate")),
            (&["version"], Some("dbmate or Rails")),
            (&["version", "statements", "name"], Some("Supabase")),
            (
                &[
                    "version",
                    "statements",
                    "name",
                    "created_by",
                    "idempotency_key",
                ],
                Some("Supabase"),
            ),
            (&["id", "name", "applied_at"], None),
            (&["version", "applied_at"], None),
        ];
        for (columns, owner) in cases {
            assert_eq!(
                recognise("public", "schema_migrations", columns, &[]),
                owner,
                "{columns:?}"
            );
        }
        // Columns a later release adds are allowed; the first ones are needed.
        let lock = ["id", "locked", "lockgranted", "lockedby"];
        assert_eq!(
            recognise("public", "databasechangeloglock", &lock[..2], &[]),
            Some("Liquibase")
        );
        assert_eq!(
            recognise("public", "databasechangeloglock", &lock[1..], &[]),
            None
        );
    }

    #[test]
    fn a_renamed_history_table_is_recognised_by_its_layout_where_configured() {
        let renamed = [
            TableName {
                schema: Some("ops".into()),
                name: "deploy_history".into(),
            },
            TableName {
                schema: None,
                name: "migrate_version".into(),
            },
        ];
        let flyway = FLYWAY.columns;
        assert_eq!(
            recognise("ops", "deploy_history", flyway, &renamed),
            Some("Flyway")
        );
        assert_eq!(
            recognise("public", "deploy_history", flyway, &renamed),
            None
        );
        assert_eq!(
            recognise("ops", "deploy_history", &["id", "name"], &renamed),
            None
        );
        assert_eq!(
            recognise("any", "migrate_version", &["version", "dirty"], &renamed),
            Some("golang-migrate")
        );
    }

    fn table(columns: &[&str]) -> Table {
        let columns: Vec<serde_json::Value> = columns
            .iter()
            .map(|c| serde_json::json!({"name": c, "type": "integer"}))
            .collect();
        serde_json::from_value(serde_json::json!({ "columns": columns })).unwrap()
    }

    fn owned_sequence(owner: &str) -> crate::model::postgres::Sequence {
        serde_json::from_value(serde_json::json!({
            "data_type": "integer", "start": 1, "increment": 1, "min_value": 1,
            "max_value": 2147483647, "cache": 1, "cycle": false, "owned_by": owner
        }))
        .unwrap()
    }

    #[test]
    fn set_aside_takes_the_tables_their_sequences_and_a_schema_left_empty() {
        let mut actual = PgSchema::default();
        let mut public = Schema::default();
        public
            .tables
            .insert("goose_db_version".into(), table(GOOSE.columns));
        public.tables.insert("t".into(), table(&["id"]));
        public.sequences.insert(
            "goose_db_version_id_seq".into(),
            owned_sequence("public.goose_db_version.id"),
        );
        public
            .sequences
            .insert("t_id_seq".into(), owned_sequence("public.t.id"));
        actual.schemas.insert("public".into(), public);
        let mut atlas = Schema::default();
        atlas
            .tables
            .insert("atlas_schema_revisions".into(), table(ATLAS.columns));
        actual
            .schemas
            .insert("atlas_schema_revisions".into(), atlas);
        let mut expected = PgSchema::default();
        let mut public = Schema::default();
        public.tables.insert("t".into(), table(&["id"]));
        public
            .tables
            .insert("_sqlx_migrations".into(), table(&SQLX_COLUMNS));
        expected.schemas.insert("public".into(), public);

        let got = set_aside_pg(&mut expected, &mut actual, &[]);
        let lines: Vec<String> = got.iter().map(SetAside::line).collect();
        assert_eq!(
            lines,
            [
                "atlas_schema_revisions.atlas_schema_revisions (Atlas)",
                "public._sqlx_migrations (sqlx)",
                "public.goose_db_version (goose)",
            ]
        );
        let sides: Vec<(bool, bool)> = got.iter().map(|b| (b.in_expected, b.in_actual)).collect();
        assert_eq!(sides, [(false, true), (true, false), (false, true)]);
        let public = &actual.schemas["public"];
        assert_eq!(public.tables.keys().collect::<Vec<_>>(), ["t"]);
        assert_eq!(public.sequences.keys().collect::<Vec<_>>(), ["t_id_seq"]);
        assert!(!actual.schemas.contains_key("atlas_schema_revisions"));
        assert_eq!(
            expected.schemas["public"].tables.keys().collect::<Vec<_>>(),
            ["t"]
        );
    }

    #[test]
    fn a_schema_both_sides_have_stays() {
        let mut e = PgSchema::default();
        e.schemas.insert("ops".into(), Schema::default());
        let mut a = PgSchema::default();
        let mut ops = Schema::default();
        ops.tables
            .insert("flyway_schema_history".into(), table(FLYWAY.columns));
        a.schemas.insert("ops".into(), ops);
        let got = set_aside_pg(&mut e, &mut a, &[]);
        assert_eq!(got.len(), 1);
        assert!(a.schemas.contains_key("ops") && e.schemas.contains_key("ops"));
    }

    #[test]
    fn neo4j_migrations_constraints_and_index_by_name_and_shape() {
        let schema: Neo4jSchema = serde_json::from_value(serde_json::json!({
            "constraints": {
                "unique node :__Neo4jMigration(version, migrationTarget)": {
                    "name": "unique_version___Neo4jMigration", "kind": "unique",
                    "entity_type": "node", "labels_or_types": ["__Neo4jMigration"],
                    "properties": ["version", "migrationTarget"]
                },
                "unique node :__Neo4jMigrationsLock(id)": {
                    "name": "__Neo4jMigrationsLock__has_unique_id", "kind": "unique",
                    "entity_type": "node", "labels_or_types": ["__Neo4jMigrationsLock"],
                    "properties": ["id"]
                },
                "unique node :__Neo4jMigration(checksum)": {
                    "name": "mine", "kind": "unique",
                    "entity_type": "node", "labels_or_types": ["__Neo4jMigration"],
                    "properties": ["checksum"]
                },
                "unique node :Person(id)": {
                    "name": "person_id", "kind": "unique",
                    "entity_type": "node", "labels_or_types": ["Person"],
                    "properties": ["id"]
                }
            },
            "indexes": {
                "range relationship :REPEATED(at)": {
                    "name": "repeated_at__Neo4jMigration", "kind": "range",
                    "entity_type": "relationship", "labels_or_types": ["REPEATED"],
                    "properties": ["at"]
                },
                "range relationship :REPEATED(at, by)": {
                    "name": "other", "kind": "range",
                    "entity_type": "relationship", "labels_or_types": ["REPEATED"],
                    "properties": ["at", "by"]
                }
            }
        }))
        .unwrap();
        let mut actual = Snapshot::empty();
        actual.neo4j = Some(schema);
        let mut expected = Snapshot::empty();
        expected.neo4j = Some(Neo4jSchema::default());
        let got = set_aside(&mut expected, &mut actual, &[]);
        let lines: Vec<String> = got.iter().map(SetAside::line).collect();
        assert_eq!(
            lines,
            [
                "neo4j:range relationship :REPEATED(at) (neo4j-migrations)",
                "neo4j:unique node :__Neo4jMigration(version, migrationTarget) (neo4j-migrations)",
                "neo4j:unique node :__Neo4jMigrationsLock(id) (neo4j-migrations)",
            ]
        );
        let neo = actual.neo4j.unwrap();
        assert_eq!(
            neo.constraints.keys().collect::<Vec<_>>(),
            [
                "unique node :Person(id)",
                "unique node :__Neo4jMigration(checksum)"
            ]
        );
        assert_eq!(
            neo.indexes.keys().collect::<Vec<_>>(),
            ["range relationship :REPEATED(at, by)"]
        );
    }
}
