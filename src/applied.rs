//! The expected schema at the version the database is at.
//!
//! When the expected side is a migrations folder and the live database has the
//! history table of the folder's tool, the table is read in the snapshot's
//! read-only transaction ([`crate::history::introspect_with_history`]), the folder
//! is classified against it ([`crate::history::classify`]), and the expected schema
//! is what the *applied* migrations produce. A pending migration is listed, not
//! drift; an edited, failed or unknown one is a change of object type `migration`.
//! No history table: the whole folder, as before. The history table itself is
//! left out of the comparison with every other tool's bookkeeping
//! ([`crate::history::set_aside`]).
//!
//! An expected file (format_version 2) stands in for the folder where there is
//! none (a cron host): its record of each migration (version, file, checksum) is
//! classified as the files would be ([`Recorded`]), and the schema at the applied
//! migrations is built by patching their change sets ([`expected_from_file`]).
//! Either may be the ACTUAL side, the database the EXPECTED one
//! ([`Applied::live_is_expected`]).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::diff::{Change, Code, FieldChange, ObjectType};
use crate::error::Result;
use crate::expected::MigrationsRecord;
use crate::history::{self, Classification, ClassifyOptions, FolderMigration, History, TableName};
use crate::migrations::{BuildOptions, Discovered, Format};
use crate::model::Snapshot;
use crate::report::Migrations;

pub use crate::history::Tool;

/// Where the folder's tool keeps its history: its default table unless the
/// configuration names another (`history_table = "ops.flyway_history"`).
pub fn history_spec(format: Format, table: Option<&TableName>) -> Option<(Tool, TableName)> {
    let tool = Tool::of_format(format)?;
    Some((
        tool,
        table
            .cloned()
            .unwrap_or_else(|| TableName::default_for(tool)),
    ))
}

/// `schema.table` (or `[schema.]table` from the config) as a [`TableName`].
pub fn parse_table(text: &str) -> TableName {
    match text.split_once('.') {
        Some((schema, name)) => TableName {
            schema: Some(schema.to_string()),
            name: name.to_string(),
        },
        None => TableName {
            schema: None,
            name: text.to_string(),
        },
    }
}

/// Where a comparison leaves what it found of the target's history, for the report
/// (a comparison returns only changes).
#[derive(Debug, Clone, Default)]
pub struct Slot(std::sync::Arc<std::sync::Mutex<Option<Applied>>>);

impl Slot {
    pub fn set(&self, applied: Applied) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(applied);
    }

    pub fn take(&self) -> Option<Applied> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

pub mod neo4j;

/// What a target's history table is compared with: a migrations folder, or the
/// record an expected file keeps of its migrations (format_version 2), as on a
/// cron host that has `expected/` and no folder.
#[derive(Debug, Clone)]
pub enum Recorded {
    Folder {
        dir: std::path::PathBuf,
        found: Discovered,
    },
    File {
        snapshot: std::sync::Arc<Snapshot>,
        record: MigrationsRecord,
    },
}

impl Recorded {
    /// The expected file with its record, when it has one whose tool keeps a
    /// history; else the file back.
    pub fn of_file(
        snapshot: std::sync::Arc<Snapshot>,
    ) -> std::result::Result<Recorded, std::sync::Arc<Snapshot>> {
        let record = MigrationsRecord::of(&snapshot).ok().flatten();
        match record {
            Some(record)
                if Format::parse(&record.format)
                    .and_then(Tool::of_format)
                    .is_some() =>
            {
                Ok(Recorded::File { snapshot, record })
            }
            _ => Err(snapshot),
        }
    }

    pub fn format(&self) -> Option<Format> {
        match self {
            Recorded::Folder { found, .. } => Some(found.format),
            Recorded::File { record, .. } => Format::parse(&record.format),
        }
    }

    /// The migrations as the history's tool sees them: the folder's files, or the
    /// file's record of them (version, file, checksum), which classify alike.
    pub fn migrations(&self, tool: Tool) -> Vec<FolderMigration> {
        match self {
            Recorded::Folder { found, .. } => found
                .migrations
                .iter()
                .filter_map(|m| {
                    FolderMigration::from_discovered(m, tool, &ClassifyOptions::default())
                })
                .collect(),
            Recorded::File { record, .. } => record
                .steps
                .iter()
                .filter_map(|s| FolderMigration::from_step(s, tool))
                .collect(),
        }
    }

    /// These migrations against `history`.
    pub fn classify(&self, history: &History) -> Applied {
        let folder = match self {
            Recorded::Folder { dir, .. } => Some(dir.clone()),
            Recorded::File { .. } => None,
        };
        let format = self.format().unwrap_or(Format::Plain);
        Applied::of(
            format.name(),
            history,
            &self.migrations(history.tool),
            folder,
        )
    }
}

/// A folder (or an expected file's record of it) against a target's history table.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The folder's format's name (`flyway`, ..., `neo4j-migrations`).
    pub format: String,
    /// The schema of the history table read.
    pub schema: String,
    /// `schema.table` of the history table read.
    pub table: String,
    /// The folder as given, for the files of the report's migrations; `None` for an
    /// expected file's record.
    pub folder: Option<std::path::PathBuf>,
    pub classification: Classification,
    /// The database is the EXPECTED side of the comparison (`diff LIVE FOLDER`): the
    /// history's changes say expected and actual the other way round.
    pub live_is_expected: bool,
}

impl Applied {
    /// `migrations` (in the format named `format`; of the folder `folder`, `None` for
    /// an expected file's record) against `history`.
    pub fn of(
        format: &str,
        history: &History,
        migrations: &[FolderMigration],
        folder: Option<std::path::PathBuf>,
    ) -> Applied {
        Applied {
            format: format.to_string(),
            schema: history.schema.clone(),
            // neo4j-migrations' chain is in no schema.
            table: if history.schema.is_empty() {
                history.table.clone()
            } else {
                format!("{}.{}", history.schema, history.table)
            },
            folder,
            classification: history::classify(history, migrations),
            live_is_expected: false,
        }
    }

    /// The files (names within the folder) the database has not applied, so not
    /// replayed: pending migrations never applied (or rolled back, reverted) and
    /// failed ones. An outdated Flyway repeatable is replayed as it is now (its
    /// earlier text is not kept anywhere), as is an edited migration.
    pub fn not_applied(&self) -> BTreeSet<String> {
        let c = &self.classification;
        c.pending
            .iter()
            .filter(|e| e.note != Some("outdated repeatable"))
            .chain(&c.failed)
            .filter_map(|e| e.script.clone())
            .collect()
    }

    /// The history's problems as changes: edited, failed, unknown, and (when asked)
    /// one info change per pending migration.
    pub fn changes(&self, alert_on_pending: bool) -> Vec<Change> {
        let c = &self.classification;
        let change = |code: Code, name: &str, field: &str, expected: Value, actual: Value| {
            Change::changed(
                code,
                ObjectType::Migration,
                name.to_string(),
                vec![FieldChange {
                    field: field.to_string(),
                    expected,
                    actual,
                }],
            )
        };
        let text = |s: Option<&str>| s.map_or(Value::Null, |s| Value::String(s.to_string()));
        let change = |code, name: &str, field: &str, expected, actual| {
            if self.live_is_expected {
                change(code, name, field, actual, expected)
            } else {
                change(code, name, field, expected, actual)
            }
        };
        let mut out = Vec::new();
        for e in &c.edited {
            out.push(change(
                Code::MigrationEdited,
                &e.name,
                "checksum",
                text(e.file_checksum.as_deref()),
                text(e.recorded_checksum.as_deref()),
            ));
        }
        for e in &c.failed {
            out.push(change(
                Code::MigrationFailed,
                &e.name,
                "state",
                "applied".into(),
                e.note.unwrap_or("failed").into(),
            ));
        }
        for e in &c.unknown {
            out.push(change(
                Code::MigrationUnknown,
                &e.name,
                "recorded",
                Value::Null,
                text(e.script.as_deref().or(Some(&e.name))),
            ));
        }
        if alert_on_pending {
            for e in &c.pending {
                out.push(change(
                    Code::MigrationPending,
                    &e.name,
                    "state",
                    "applied".into(),
                    "pending".into(),
                ));
            }
        }
        out
    }

    /// The report's `migrations` section.
    pub fn report(&self) -> Migrations {
        let c = &self.classification;
        let names = |v: &[history::Entry]| v.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
        let files = [&c.applied, &c.pending, &c.edited, &c.failed, &c.unknown]
            .into_iter()
            .flatten()
            .filter_map(|e| {
                let script = e.script.as_ref()?;
                let path = self.folder.as_ref()?.join(script);
                path.is_file()
                    .then(|| (e.name.clone(), path.to_string_lossy().into_owned()))
            })
            .collect();
        Migrations {
            format: self.format.clone(),
            table: self.table.clone(),
            applied: names(&c.applied),
            pending: names(&c.pending),
            unknown: names(&c.unknown),
            edited: names(&c.edited),
            failed: names(&c.failed),
            files,
        }
    }
}

/// The expected schema at the versions `applied` found applied, by replaying only
/// those migrations of the folder in the shadow (from an expected file instead:
/// [`expected_from_file`]).
pub async fn expected_at_applied(
    dir: &Path,
    mut found: Discovered,
    applied: &Applied,
    opts: &BuildOptions,
) -> Result<Snapshot> {
    let skip = applied.not_applied();
    found.migrations.retain(|m| !skip.contains(&m.display_name));
    crate::expected::build_discovered(dir, found, opts).await
}

/// The expected schema at the versions `applied` found applied, from an expected
/// file alone (`path`, for errors): its record's change sets patched in
/// ([`crate::expected::expected_at`]); the file itself when every migration is applied.
pub fn expected_from_file(
    file: std::sync::Arc<Snapshot>,
    applied: &Applied,
    path: &str,
) -> Result<std::sync::Arc<Snapshot>> {
    let skip = applied.not_applied();
    if skip.is_empty() {
        return Ok(file);
    }
    crate::expected::expected_at(&file, |s| !skip.contains(&s.file))
        .map(std::sync::Arc::new)
        .map_err(|e| crate::error::Error::BadSnapshot {
            path: path.into(),
            reason: format!(
                "cannot build the schema at the migrations the database has applied: {}",
                e.0
            ),
        })
}
