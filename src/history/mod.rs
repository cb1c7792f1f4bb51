//! The migration tools' own history tables: what each tool says it applied,
//! read as the tool reads it, and compared with the migrations folder.
//!
//! A history table is bookkeeping, not schema: it tells which migrations the
//! target is at (so a migration merged but not yet deployed is *pending*, not
//! drift) and whether a migration was edited after it ran, failed half-way or
//! is unknown to the folder (those are drift). Each tool has its own table
//! layout, version format and checksum; this module follows each tool's source,
//! not a tidy common rule (see the per-tool notes in [`Tool`]).
//!
//! The input is a small plain [`FolderMigration`] so that migration discovery
//! and this module stay independent; [`read`] takes any `GenericClient`, so it
//! runs inside the snapshot's read-only transaction.

mod bookkeeping;
pub mod checksum;
mod classify;
mod neo4j;
mod read;
mod version;

pub use bookkeeping::{
    bookkeeping_tool, recognise, set_aside, set_aside_pg, Bookkeeping, SetAside, SetAsideLog,
    NEO4J_MIGRATIONS_SCHEMA,
};
pub use classify::{classify, ClassifyOptions};
pub use neo4j::{read_neo4j, Neo4jChain};
pub use read::{introspect_with_history, read};

/// A migration tool whose history table schemadrift reads.
///
/// What each records, from its source:
/// - Flyway: `flyway_schema_history`, one row per run (`installed_rank`), `version` as written in the
///   file name with `_` read as `.` (`"1.1"`), `NULL` for repeatables (matched by description);
///   `checksum` the CRC32 over the file's lines; `success`.
/// - golang-migrate: `schema_migrations(version bigint, dirty bool)`, one row: the current version.
/// - goose: `goose_db_version(id, version_id, is_applied, tstamp)`, append-only; the latest row per
///   version wins; version 0 is goose's own first row.
/// - dbmate: `schema_migrations(version varchar)`, the digits before the first `_`.
/// - sqlx: `_sqlx_migrations(version bigint, description, installed_on, success, checksum bytea,
///   execution_time)`, checksum the SHA-384 of the file.
/// - diesel: `__diesel_schema_migrations(version varchar(50), run_on)`, the directory name before
///   its first `_`, dashes removed.
/// - Prisma: `_prisma_migrations(id, checksum, finished_at, migration_name, logs, rolled_back_at,
///   started_at, applied_steps_count)`, checksum the SHA-256 of `migration.sql` in hex.
/// - neo4j-migrations: `__Neo4jMigration` nodes chained by `MIGRATED_TO` from a `BASELINE` node,
///   checksum a CRC32 over the file's statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tool {
    Flyway,
    GolangMigrate,
    Goose,
    Dbmate,
    Sqlx,
    Diesel,
    Prisma,
    Neo4jMigrations,
}

impl Tool {
    /// Every tool, in a fixed order.
    pub const ALL: [Tool; 8] = [
        Tool::Flyway,
        Tool::GolangMigrate,
        Tool::Goose,
        Tool::Dbmate,
        Tool::Sqlx,
        Tool::Diesel,
        Tool::Prisma,
        Tool::Neo4jMigrations,
    ];

    /// The tool's name as its users write it.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Flyway => "Flyway",
            Tool::GolangMigrate => "golang-migrate",
            Tool::Goose => "goose",
            Tool::Dbmate => "dbmate",
            Tool::Sqlx => "sqlx",
            Tool::Diesel => "diesel",
            Tool::Prisma => "Prisma",
            Tool::Neo4jMigrations => "neo4j-migrations",
        }
    }

    /// The table (or, for neo4j-migrations, node label) the tool writes unless told otherwise.
    pub fn default_table(self) -> &'static str {
        match self {
            Tool::Flyway => "flyway_schema_history",
            Tool::GolangMigrate | Tool::Dbmate => "schema_migrations",
            Tool::Goose => "goose_db_version",
            Tool::Sqlx => "_sqlx_migrations",
            Tool::Diesel => "__diesel_schema_migrations",
            Tool::Prisma => "_prisma_migrations",
            Tool::Neo4jMigrations => "__Neo4jMigration",
        }
    }

    /// The tool that applies a folder of this format, and so keeps its history table;
    /// `None` for a plain folder and Supabase's (its CLI's table is not read).
    pub fn of_format(format: crate::migrations::Format) -> Option<Tool> {
        use crate::migrations::Format;
        match format {
            Format::Flyway => Some(Tool::Flyway),
            Format::GolangMigrate => Some(Tool::GolangMigrate),
            Format::Goose => Some(Tool::Goose),
            Format::Dbmate => Some(Tool::Dbmate),
            Format::Sqlx => Some(Tool::Sqlx),
            Format::Diesel => Some(Tool::Diesel),
            Format::Prisma => Some(Tool::Prisma),
            Format::Plain | Format::Supabase => None,
        }
    }

    /// Whether the tool records a checksum, so that an edited migration can be told.
    /// golang-migrate, goose, dbmate and diesel record none.
    pub fn has_checksum(self) -> bool {
        matches!(
            self,
            Tool::Flyway | Tool::Sqlx | Tool::Prisma | Tool::Neo4jMigrations
        )
    }
}

impl std::fmt::Display for Tool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a tool's history table is. Every tool lets it be renamed or moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableName {
    /// `None`: where the tool itself looks without a schema, the first schema of the
    /// `search_path` that has it (golang-migrate uses `current_schema()`, the others an
    /// unqualified name).
    pub schema: Option<String>,
    pub name: String,
}

impl TableName {
    /// The tool's default table, found through the `search_path`.
    pub fn default_for(tool: Tool) -> TableName {
        TableName {
            schema: None,
            name: tool.default_table().to_string(),
        }
    }
}

/// One migration the history table is compared with, as the tool sees it: a
/// file of the folder, or the record an expected file keeps of it
/// ([`crate::expected::MigrationStep`]: version, file, checksum). Both give the
/// same classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderMigration {
    /// The version as the tool writes it in its table (`"10"`, `"1.10"`,
    /// `"20240102030405"`, Prisma's directory name); `None` for a Flyway repeatable
    /// (`R__x.sql`). Integer versions match whatever their leading zeros.
    pub version: Option<String>,
    /// The description as the tool derives it from the name (Flyway matches
    /// repeatables by it: `R__refresh_views.sql` is `refresh views`).
    pub description: String,
    /// The file the tool applies (`V1__init.sql`; Prisma's `<dir>/migration.sql`; diesel's
    /// `<dir>/up.sql`), for reports.
    pub script: String,
    /// The checksums the tool accepts for the file, as its table stores them, the one it
    /// writes first (see [`checksum::accepted`]); empty for the tools that record none.
    pub checksums: Vec<String>,
}

impl FolderMigration {
    /// A file of the folder, its checksums by `tool`'s own algorithm.
    pub fn new(
        tool: Tool,
        version: Option<String>,
        description: &str,
        script: &str,
        bytes: &[u8],
        opts: &ClassifyOptions,
    ) -> FolderMigration {
        FolderMigration {
            version,
            description: description.to_string(),
            script: script.to_string(),
            checksums: checksum::accepted(tool, bytes, opts),
        }
    }

    /// The migration discovery found, as `tool` sees it; `None` for what no tool
    /// records (a Flyway callback, a file of a plain folder).
    pub fn from_discovered(
        m: &crate::migrations::discover::Migration,
        tool: Tool,
        opts: &ClassifyOptions,
    ) -> Option<FolderMigration> {
        FolderMigration::recorded(m).then(|| {
            FolderMigration::new(
                tool,
                m.version.clone(),
                &m.description,
                &m.display_name,
                &m.raw,
                opts,
            )
        })
    }

    /// Whether a tool records the migration: not a Flyway callback, not a file
    /// without a version (of a plain folder).
    pub fn recorded(m: &crate::migrations::discover::Migration) -> bool {
        use crate::migrations::discover::Kind;
        match m.kind {
            Kind::Versioned | Kind::Baseline => m.version.is_some(),
            Kind::Repeatable => true,
            Kind::Callback(_) => false,
        }
    }

    /// A migration an expected file records, as `tool` sees it; `None` for what no
    /// tool records. A step has a version exactly when discovery gave its migration
    /// one; a Flyway repeatable (no version) is told by its name, which also gives
    /// its description, as discovery reads it.
    pub fn from_step(step: &crate::expected::MigrationStep, tool: Tool) -> Option<FolderMigration> {
        use crate::migrations::discover::flyway::{parse, FlywayName};
        let name = step.file.rsplit('/').next().unwrap_or(&step.file);
        let description = match (tool, parse(name)) {
            (
                Tool::Flyway,
                FlywayName::Versioned(_, d)
                | FlywayName::Baseline(_, d)
                | FlywayName::Repeatable(d),
            ) => d,
            _ => String::new(),
        };
        let repeatable = tool == Tool::Flyway && matches!(parse(name), FlywayName::Repeatable(_));
        (step.version.is_some() || repeatable).then(|| FolderMigration {
            version: step.version.clone(),
            description,
            script: step.file.clone(),
            checksums: step
                .checksum
                .iter()
                .chain(&step.other_checksums)
                .cloned()
                .collect(),
        })
    }
}

/// What kind of row a history record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// A versioned migration.
    Versioned,
    /// A migration re-applied whenever its checksum changes (Flyway `R__`,
    /// neo4j-migrations `R…__`).
    Repeatable,
    /// Flyway's or neo4j-migrations' baseline: the versions at or below it count as applied.
    Baseline,
    /// A row the tool writes for itself (Flyway's schema-creation row, goose's version 0).
    Marker,
}

/// How a recorded run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordState {
    /// Applied successfully.
    Applied,
    /// Started and not finished: golang-migrate dirty, Flyway/sqlx `success = false`,
    /// Prisma without `finished_at`.
    Failed,
    /// A failed Prisma migration marked rolled back (`prisma migrate resolve --rolled-back`).
    RolledBack,
    /// Undone since: a goose row with `is_applied = false`, a Flyway `DELETE` or undo row.
    Removed,
}

/// One row of a history table, as the tool wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// As the tool wrote it; `None` for a Flyway repeatable.
    pub version: Option<String>,
    pub description: Option<String>,
    /// The file name when the tool records one (Flyway's `script`, neo4j-migrations' `source`).
    pub script: Option<String>,
    /// As the tool stores it, as text: Flyway's signed integer, sqlx's bytes in lowercase hex,
    /// Prisma's hex string, neo4j-migrations' decimal string.
    pub checksum: Option<String>,
    pub kind: RecordKind,
    pub state: RecordState,
}

/// A target's history table, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub tool: Tool,
    /// The schema the table was found in, and its name.
    pub schema: String,
    pub table: String,
    /// In the tool's own order (Flyway's `installed_rank`, goose's `id`, Prisma's `started_at`).
    pub records: Vec<Record>,
}

/// One migration in a [`Classification`] list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The version as the tool writes it; a Flyway repeatable's script name.
    pub name: String,
    /// The file, when the folder (or the table) names one.
    pub script: Option<String>,
    /// The checksum the table records, as stored.
    pub recorded_checksum: Option<String>,
    /// The checksum of the folder's file by the tool's own algorithm.
    pub file_checksum: Option<String>,
    /// Why it is in its list when that needs saying ("dirty", "success = false",
    /// "rolled back", "outdated repeatable", "below baseline").
    pub note: Option<&'static str>,
}

/// The folder against the history table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Classification {
    /// Applied and unchanged (or the tool keeps no checksum), in folder order.
    pub applied: Vec<Entry>,
    /// In the folder, not applied: not drift.
    pub pending: Vec<Entry>,
    /// Applied, but the file's checksum is not the one recorded.
    pub edited: Vec<Entry>,
    /// Started and not finished.
    pub failed: Vec<Entry>,
    /// Recorded as applied, no such migration in the folder.
    pub unknown: Vec<Entry>,
}

/// A history table that exists but cannot be read as the tool's.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The table is there, but not with the columns the tool writes.
    #[error("{schema}.{table} is not {tool}'s history table: it has no column `{column}`")]
    Shape {
        tool: Tool,
        schema: String,
        table: String,
        column: &'static str,
    },
    /// The role may not read it.
    #[error("cannot read {tool}'s history table {schema}.{table}: permission denied (grant SELECT on it)")]
    Permission {
        tool: Tool,
        schema: String,
        table: String,
    },
    /// neo4j-migrations keeps its history in the graph: [`read_neo4j`] reads it.
    #[error("{0}'s history is not in a PostgreSQL table")]
    NotPostgres(Tool),
    /// The query failed.
    #[error("reading {tool}'s history table failed: {reason}")]
    Query { tool: Tool, reason: String },
}
