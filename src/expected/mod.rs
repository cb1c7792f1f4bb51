//! What an expected file records of its migrations (`format_version` 2), so
//! that a host with the file alone (no folder, no shadow) can build the
//! expected schema at any applied version and say which migration made an
//! object.
//!
//! Beside the schema all migrations build, the file holds, per migration in
//! order, its version, file, checksum (the tool's own algorithm) and change
//! set: the differ's changes from the schema before it to the schema after
//! it, as the replay saw them. The schema at a set of applied migrations is
//! the empty schema with the setup's changes and then each applied
//! migration's changes patched in ([`crate::patch`]). A change set is
//! checked when it is recorded: where patching it would not rebuild the
//! schema exactly, the step holds that whole schema instead.
//!
//! Each change also records the line of the statement that made it: the last
//! statement of the migration that names the object (its last name part,
//! as an identifier), else the migration's first statement.

mod build;
mod update;

pub use build::{build_discovered, build_expected};
pub use update::{update, Job, Plan};

use serde::{Deserialize, Serialize};

use crate::diff::{diff_snapshots, Change, Provenance};
use crate::migrations::replay::Prepared;
use crate::migrations::Format;
use crate::model::{Neo4jSchema, PgSchema, Snapshot};
use crate::patch::{PatchError, PgTree};
use crate::report::json::JsonChange;

/// The `format_version` of an expected file that records its migrations.
pub const EXPECTED_FORMAT_VERSION: u32 = 2;

/// The `migrations` object of an expected file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrationsRecord {
    /// The folder's layout (`flyway`, `sqlx`, `plain`, ...).
    pub format: String,
    /// What the setup files made, from an empty schema.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setup: Vec<StepChange>,
    /// Every migration, in the order they run.
    pub steps: Vec<MigrationStep>,
}

/// One migration and what it changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrationStep {
    /// The version as its tool records it; absent for a repeatable, a
    /// callback or a file of a plain folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The file as reports name it (`V7__unique_email.sql`, `20240101_x/up.sql`).
    pub file: String,
    /// The checksum its tool records (Flyway's CRC32, sqlx's SHA-384,
    /// Prisma's SHA-256); absent for the tools that record none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
    /// Other checksums the tool accepts for the same file (Prisma's of the file
    /// with its line endings changed, as git may have checked it out where it
    /// was applied), so that the file alone tells an edited migration as the
    /// folder does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_checksums: Vec<String>,
    /// The changes from the schema before it to the schema after it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<StepChange>,
    /// The whole schema after it, where its changes would not rebuild it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<PgSchema>,
    /// The same for a Neo4j migration: the whole Neo4j schema after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neo4j: Option<Neo4jSchema>,
}

/// One change of a change set, with the line of the statement that made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepChange {
    #[serde(flatten)]
    pub change: JsonChange,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl MigrationsRecord {
    /// The record a snapshot carries, if any.
    pub fn of(snap: &Snapshot) -> Result<Option<MigrationsRecord>, PatchError> {
        match &snap.migrations {
            None => Ok(None),
            Some(v) => serde_json::from_value(v.clone())
                .map(Some)
                .map_err(|e| PatchError(format!("its `migrations` record is not valid: {e}"))),
        }
    }

    /// The migration that created or last altered `object`: the last one
    /// whose change set names it, else (unless the object is `unexpected`,
    /// one the migrations do not make) the last one that created an object
    /// holding it (a table for its column).
    pub fn provenance(&self, object: &str, unexpected: bool) -> Option<Provenance> {
        let found = |exact: bool| {
            self.steps.iter().rev().find_map(|s| {
                s.changes
                    .iter()
                    .rev()
                    .find(|c| {
                        let o = &c.change.object;
                        if exact {
                            o == object
                        } else {
                            c.change.kind == "unexpected"
                                && object.len() > o.len()
                                && object.starts_with(o.as_str())
                                && object.as_bytes()[o.len()] == b'.'
                        }
                    })
                    .map(|c| Provenance {
                        file: s.file.clone(),
                        line: c.line,
                    })
            })
        };
        // An object the migrations never made has no ancestor to blame.
        found(true).or_else(|| (!unexpected).then(|| found(false)).flatten())
    }
}

/// Name, for each change, the migration that created or last altered its
/// object, when `expected` records its migrations; else when `actual` does
/// (`diff LIVE FOLDER`: the migrations are ACTUAL, so a *missing* object is the
/// one they do not make).
pub fn annotate(changes: &mut [Change], expected: &Snapshot, actual: &Snapshot) {
    use crate::diff::ChangeKind;
    let (record, not_made) = match MigrationsRecord::of(expected) {
        Ok(Some(r)) => (r, ChangeKind::Unexpected),
        _ => match MigrationsRecord::of(actual) {
            Ok(Some(r)) => (r, ChangeKind::Missing),
            _ => return,
        },
    };
    for c in changes.iter_mut() {
        if let Some(p) = record.provenance(c.object(), c.kind() == not_made) {
            c.set_migration(p);
        }
    }
}

/// The expected schema when only the migrations `applied` accepts have run,
/// from the file alone: the setup's changes, then each applied migration's.
pub fn expected_at(
    snap: &Snapshot,
    applied: impl Fn(&MigrationStep) -> bool,
) -> Result<Snapshot, PatchError> {
    let Some(record) = MigrationsRecord::of(snap)? else {
        return Err(PatchError(
            "it records no migrations (format_version 1): build it again with `schemadrift expected`"
                .into(),
        ));
    };
    if record.format == NEO4J_FORMAT {
        return neo4j_at(snap, record, applied);
    }
    let MigrationsRecord {
        format,
        setup,
        steps,
    } = record;
    let mut tree = PgTree::new(None);
    tree.apply(&setup.iter().map(|c| &c.change).collect::<Vec<_>>())?;
    let mut kept = Vec::new();
    for step in steps.into_iter().filter(|s| applied(s)) {
        match &step.schema {
            Some(schema) => tree = PgTree::new(Some(schema)),
            None => tree.apply(&step.changes.iter().map(|c| &c.change).collect::<Vec<_>>())?,
        }
        kept.push(step);
    }
    // Provenance names only the migrations that ran.
    let record = MigrationsRecord {
        format,
        setup,
        steps: kept,
    };
    Ok(Snapshot {
        postgres: Some(tree.finish()?),
        migrations: Some(serde_json::to_value(record).expect("the record serializes")),
        ..snap.clone()
    })
}

/// The `format` of the record of a folder of Cypher migrations.
pub const NEO4J_FORMAT: &str = "neo4j-migrations";

/// [`expected_at`] for a Neo4j record: the setup's changes (the default lookup indexes)
/// patched into an empty schema, then each applied migration's.
fn neo4j_at(
    snap: &Snapshot,
    record: MigrationsRecord,
    applied: impl Fn(&MigrationStep) -> bool,
) -> Result<Snapshot, PatchError> {
    let wire = |v: &[StepChange]| v.iter().map(|c| c.change.clone()).collect::<Vec<_>>();
    let mut at = Snapshot {
        neo4j: Some(Neo4jSchema::default()),
        postgres: None,
        migrations: None,
        ..snap.clone()
    };
    at = crate::patch::patch_wire(&at, &wire(&record.setup))?;
    let mut kept = Vec::new();
    for step in record.steps.into_iter().filter(|s| applied(s)) {
        match &step.neo4j {
            Some(schema) => at.neo4j = Some(schema.clone()),
            None => at = crate::patch::patch_wire(&at, &wire(&step.changes))?,
        }
        kept.push(step);
    }
    at.migrations = Some(
        serde_json::to_value(MigrationsRecord {
            format: record.format,
            setup: record.setup,
            steps: kept,
        })
        .expect("the record serializes"),
    );
    Ok(at)
}

/// Records a fold of Cypher migrations, one file at a time.
pub struct Neo4jRecorder {
    prev: Neo4jSchema,
    record: MigrationsRecord,
}

impl Neo4jRecorder {
    /// Start from the schema a new database has (its default lookup indexes).
    pub fn new(initial: &Neo4jSchema) -> Neo4jRecorder {
        let (setup, _) = neo4j_changes(&Neo4jSchema::default(), initial, &[]);
        Neo4jRecorder {
            prev: initial.clone(),
            record: MigrationsRecord {
                format: NEO4J_FORMAT.to_string(),
                setup,
                steps: Vec::new(),
            },
        }
    }

    /// The schema after the migration `file` (version `version`, its bytes `raw`, its
    /// statements for the lines).
    pub fn step(
        &mut self,
        version: Option<String>,
        file: String,
        raw: &[u8],
        statements: &[crate::migrations::Statement],
        after: &Neo4jSchema,
    ) {
        let (changes, exact) = neo4j_changes(&self.prev, after, statements);
        // The checksum neo4j-migrations writes by default, then those of its other modes.
        let mut checksums = crate::history::checksum::accepted(
            crate::history::Tool::Neo4jMigrations,
            raw,
            &Default::default(),
        )
        .into_iter();
        self.record.steps.push(MigrationStep {
            version,
            file,
            checksum: checksums.next(),
            other_checksums: checksums.collect(),
            changes: if exact { changes } else { Vec::new() },
            schema: None,
            neo4j: (!exact).then(|| after.clone()),
        });
        self.prev = after.clone();
    }

    pub fn finish(self) -> MigrationsRecord {
        self.record
    }
}

/// The changes from `before` to `after` (Neo4j), with their lines, and whether patching
/// them into `before` gives `after` exactly.
fn neo4j_changes(
    before: &Neo4jSchema,
    after: &Neo4jSchema,
    statements: &[crate::migrations::Statement],
) -> (Vec<StepChange>, bool) {
    let snap = |n: &Neo4jSchema| Snapshot {
        neo4j: Some(n.clone()),
        ..Snapshot::empty()
    };
    let (b, a) = (snap(before), snap(after));
    let changes = diff_snapshots(&b, &a);
    let exact = crate::patch::patch(&b, &changes).is_ok_and(|p| p.neo4j == a.neo4j);
    let out = changes
        .iter()
        .map(|c| {
            let change = JsonChange::from(c);
            // A Neo4j object is found in the Cypher by its name, when it has one.
            let name = change
                .definition
                .as_ref()
                .and_then(|d| d.get("name"))
                .and_then(|n| n.as_str())
                .or_else(|| {
                    change
                        .fields
                        .iter()
                        .find(|f| f.field == "name")
                        .and_then(|f| f.expected.as_str().or(f.actual.as_str()))
                })
                .unwrap_or(c.object())
                .to_string();
            StepChange {
                line: line_of(
                    &name,
                    c.kind() == crate::diff::ChangeKind::Unexpected,
                    statements,
                ),
                change,
            }
        })
        .collect();
    (out, exact)
}

/// Records the change sets of a replay, one migration at a time.
pub struct Recorder {
    format: Format,
    prev: PgSchema,
    record: MigrationsRecord,
}

impl Recorder {
    /// Start from the schema the setup files made.
    pub fn new(format: Format, after_setup: PgSchema) -> Recorder {
        let setup = step_changes(&PgSchema::default(), &after_setup, &[]);
        Recorder {
            format,
            prev: after_setup,
            record: MigrationsRecord {
                format: format.name().to_string(),
                setup: setup.0,
                steps: Vec::new(),
            },
        }
    }

    /// The schema after migration `p`.
    pub fn step(&mut self, p: &Prepared, after: PgSchema) {
        let (changes, exact) = step_changes(&self.prev, &after, &p.statements);
        let schema = (!exact).then(|| after.clone());
        // What the folder's tool records of it: its version and checksums.
        let m = &p.migration;
        let recorded = crate::history::FolderMigration::recorded(m);
        let mut checksums = crate::history::Tool::of_format(self.format)
            .filter(|_| recorded)
            .map(|tool| crate::history::checksum::accepted(tool, &m.raw, &Default::default()))
            .unwrap_or_default()
            .into_iter();
        self.record.steps.push(MigrationStep {
            version: m.version.clone().filter(|_| recorded),
            file: p.migration.display_name.clone(),
            checksum: checksums.next(),
            other_checksums: checksums.collect(),
            changes: if exact { changes } else { Vec::new() },
            schema,
            neo4j: None,
        });
        self.prev = after;
    }

    pub fn finish(self) -> MigrationsRecord {
        self.record
    }
}

/// The changes from `before` to `after`, with their lines, and whether
/// patching them into `before` gives `after` exactly.
fn step_changes(
    before: &PgSchema,
    after: &PgSchema,
    statements: &[crate::migrations::Statement],
) -> (Vec<StepChange>, bool) {
    let snap = |pg: &PgSchema| Snapshot {
        postgres: Some(pg.clone()),
        ..Snapshot::empty()
    };
    let (b, a) = (snap(before), snap(after));
    // A schema made by the migration is one change to the differ, its
    // objects inside it: recorded as the empty schema and then each of its
    // objects, so that each has its own line.
    let mut bare = before.clone();
    for (name, schema) in &after.schemas {
        if !before.schemas.contains_key(name) {
            let empty = crate::model::postgres::Schema {
                comment: schema.comment.clone(),
                privileges: schema.privileges.clone(),
                ..Default::default()
            };
            bare.schemas.insert(name.clone(), empty);
        }
    }
    let mid = snap(&bare);
    let mut changes = diff_snapshots(&b, &mid);
    changes.extend(diff_snapshots(&mid, &a));
    let exact = crate::patch::patch(&b, &changes).is_ok_and(|p| p.postgres == a.postgres);
    let out = changes
        .iter()
        .map(|c| StepChange {
            change: JsonChange::from(c),
            line: line_of(
                c.object(),
                c.kind() == crate::diff::ChangeKind::Unexpected,
                statements,
            ),
        })
        .collect();
    (out, exact)
}

/// The line of the statement that names the object's last name part as an
/// identifier (the first such for an object created, the last for one
/// altered or dropped), else of the migration's first statement.
fn line_of(
    object: &str,
    created: bool,
    statements: &[crate::migrations::Statement],
) -> Option<usize> {
    let last = object.rsplit('.').next().unwrap_or(object);
    let name = last.split('(').next().unwrap_or(last).to_lowercase();
    let names = |sql: &str| {
        let sql = sql.to_lowercase();
        sql.match_indices(&name).any(|(i, _)| {
            let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
            let before = sql[..i].chars().next_back().is_none_or(|c| !ident(c));
            let after = sql[i + name.len()..]
                .chars()
                .next()
                .is_none_or(|c| !ident(c));
            before && after
        })
    };
    let naming = |s: &&crate::migrations::Statement| !name.is_empty() && names(&s.sql);
    let found = if created {
        statements.iter().find(naming)
    } else {
        statements.iter().rev().find(naming)
    };
    found.or(statements.first()).map(|s| s.line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrations::Statement;

    #[test]
    fn a_change_is_placed_at_the_last_statement_naming_its_object() {
        let st = |sql: &str, line| Statement {
            sql: sql.into(),
            line,
        };
        let v = [
            st("CREATE TABLE app.users (id int, email text)", 1),
            st(
                "CREATE UNIQUE INDEX users_email_key ON app.users (email)",
                3,
            ),
            st("ALTER TABLE app.users_archive ADD x int", 5),
        ];
        assert_eq!(line_of("app.users", true, &v), Some(1));
        assert_eq!(line_of("app.users", false, &v), Some(3));
        assert_eq!(line_of("app.users.users_email_key", true, &v), Some(3));
        assert_eq!(line_of("app.users_archive.x", false, &v), Some(5));
        assert_eq!(line_of("app.f(integer)", true, &v), Some(1));
        assert_eq!(line_of("app.users", true, &[]), None);
    }
}
