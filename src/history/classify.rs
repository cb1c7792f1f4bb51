//! The folder against the history table: applied, pending, edited, failed, unknown.

use std::collections::BTreeMap;

use super::checksum::{self, Neo4jChecksumMode};
use super::version::{as_recorded, Key};
use super::{
    Classification, Entry, FolderMigration, History, Record, RecordKind, RecordState, Tool,
};

/// Settings of the tools that change their checksums.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClassifyOptions {
    /// `sqlx.toml`'s `migrate.ignored-chars`.
    pub sqlx_ignored_chars: Vec<char>,
    /// How neo4j-migrations was configured; `None`: a recorded checksum that matches any of its
    /// modes (default or Flyway-compatible, with or without `--autocrlf`) counts as unchanged,
    /// since the table does not say which one wrote it.
    pub neo4j_mode: Option<Neo4jChecksumMode>,
}

/// How a migration is identified in the table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Ident {
    Version(Key),
    /// Flyway matches a repeatable migration by its description.
    Description(String),
}

fn folder_ident(tool: Tool, m: &FolderMigration) -> Ident {
    match &m.version {
        Some(v) => Ident::Version(Key::new(tool, v)),
        None => Ident::Description(m.description.clone()),
    }
}

fn record_ident(tool: Tool, r: &Record) -> Option<Ident> {
    match (&r.version, r.kind) {
        (_, RecordKind::Marker | RecordKind::Baseline) => None,
        (Some(v), _) => Some(Ident::Version(Key::new(tool, v))),
        (None, RecordKind::Repeatable) => r.description.clone().map(Ident::Description),
        (None, _) => None,
    }
}

/// The file's checksum by the tool's own algorithm, as the table stores it.
fn file_checksum(tool: Tool, bytes: &[u8], opts: &ClassifyOptions) -> Option<String> {
    match tool {
        Tool::Flyway => Some(checksum::flyway(bytes).to_string()),
        Tool::Sqlx => checksum::sqlx(bytes, &opts.sqlx_ignored_chars),
        Tool::Prisma => checksum::prisma(bytes),
        Tool::Neo4jMigrations => {
            checksum::neo4j_migrations(bytes, opts.neo4j_mode.unwrap_or_default())
        }
        Tool::GolangMigrate | Tool::Goose | Tool::Dbmate | Tool::Diesel => None,
    }
}

/// Whether the file still has the recorded checksum, as the tool decides it.
fn unchanged(tool: Tool, bytes: &[u8], recorded: &str, opts: &ClassifyOptions) -> bool {
    match tool {
        Tool::Prisma => checksum::prisma_matches(bytes, recorded),
        Tool::Sqlx => checksum::sqlx(bytes, &opts.sqlx_ignored_chars)
            .is_some_and(|c| c.eq_ignore_ascii_case(recorded.trim())),
        Tool::Neo4jMigrations => {
            let modes: Vec<Neo4jChecksumMode> = match opts.neo4j_mode {
                Some(m) => vec![m],
                None => [(false, false), (false, true), (true, false)]
                    .into_iter()
                    .map(|(flyway_compatible, autocrlf)| Neo4jChecksumMode {
                        flyway_compatible,
                        autocrlf,
                    })
                    .collect(),
            };
            modes
                .into_iter()
                .any(|m| checksum::neo4j_migrations(bytes, m).is_some_and(|c| c == recorded.trim()))
        }
        _ => file_checksum(tool, bytes, opts).is_some_and(|c| c == recorded.trim()),
    }
}

/// Whether a checksum an expected file recorded (by the tool's own algorithm, as the table
/// stores it) is the recorded one: sqlx's hex in either case, the others as text.
fn stored_unchanged(tool: Tool, stored: &str, recorded: &str) -> bool {
    match tool {
        Tool::Sqlx | Tool::Prisma => stored.trim().eq_ignore_ascii_case(recorded.trim()),
        _ => stored.trim() == recorded.trim(),
    }
}

fn failed_note(tool: Tool) -> &'static str {
    match tool {
        Tool::GolangMigrate => "dirty",
        Tool::Prisma => "started, not finished",
        _ => "success = false",
    }
}

/// Compare the folder with the table, as the tool would on its next run.
///
/// A record's latest row decides (Flyway's `installed_rank`, goose's `id`, Prisma's
/// `started_at`). golang-migrate keeps only its current version: every migration up to it
/// is applied. Versions at or below a Flyway baseline count as applied. A Flyway repeatable
/// whose file changed is pending (Flyway re-applies it), not edited. A Prisma migration
/// marked rolled back is pending: `prisma migrate deploy` applies it again.
pub fn classify(
    history: &History,
    folder: &[FolderMigration],
    opts: &ClassifyOptions,
) -> Classification {
    if history.tool == Tool::GolangMigrate {
        return classify_current_version(history, folder);
    }
    let tool = history.tool;
    let mut latest: BTreeMap<Ident, &Record> = BTreeMap::new();
    let mut order: Vec<Ident> = Vec::new();
    let mut baseline: Option<Key> = None;
    for r in &history.records {
        if r.kind == RecordKind::Baseline {
            if let Some(v) = &r.version {
                baseline = Some(Key::new(tool, v));
            }
            continue;
        }
        if let Some(id) = record_ident(tool, r) {
            if latest.insert(id.clone(), r).is_none() {
                order.push(id);
            }
        }
    }

    let mut out = Classification::default();
    let mut matched: Vec<Ident> = Vec::new();
    for m in folder {
        let id = folder_ident(tool, m);
        let file_sum = match &m.stored_checksum {
            Some(sum) => Some(sum.clone()),
            None => file_checksum(tool, &m.bytes, opts),
        };
        let name = |r: Option<&Record>| match (&m.version, r.and_then(|r| r.version.clone())) {
            (_, Some(recorded)) => recorded,
            (Some(v), None) => as_recorded(tool, v),
            (None, None) => m.script.clone(),
        };
        let entry = |r: Option<&Record>, note| Entry {
            name: name(r),
            script: Some(m.script.clone()),
            recorded_checksum: r.and_then(|r| r.checksum.clone()),
            file_checksum: file_sum.clone(),
            note,
        };
        let Some(&r) = latest.get(&id) else {
            let below_baseline = match (&id, &baseline) {
                (Ident::Version(k), Some(b)) => k <= b,
                _ => false,
            };
            if below_baseline {
                out.applied.push(entry(None, Some("below baseline")));
            } else {
                out.pending.push(entry(None, None));
            }
            continue;
        };
        matched.push(id);
        match r.state {
            RecordState::Failed => out.failed.push(entry(Some(r), Some(failed_note(tool)))),
            RecordState::RolledBack => out.pending.push(entry(Some(r), Some("rolled back"))),
            RecordState::Removed => out.pending.push(entry(Some(r), Some("reverted"))),
            RecordState::Applied => {
                let edited = match (&r.checksum, tool.has_checksum()) {
                    (Some(recorded), true) => match &m.stored_checksum {
                        Some(sum) => !stored_unchanged(tool, sum, recorded),
                        None => !unchanged(tool, &m.bytes, recorded, opts),
                    },
                    _ => false,
                };
                if !edited {
                    out.applied.push(entry(Some(r), None));
                } else if r.kind == RecordKind::Repeatable {
                    out.pending
                        .push(entry(Some(r), Some("outdated repeatable")));
                } else {
                    out.edited.push(entry(Some(r), None));
                }
            }
        }
    }

    for id in order {
        if matched.contains(&id) {
            continue;
        }
        let r = latest[&id];
        let entry = Entry {
            name: r
                .version
                .clone()
                .or_else(|| r.script.clone())
                .or_else(|| r.description.clone())
                .unwrap_or_default(),
            script: r.script.clone(),
            recorded_checksum: r.checksum.clone(),
            file_checksum: None,
            note: None,
        };
        match r.state {
            RecordState::Applied => out.unknown.push(entry),
            RecordState::Failed => out.failed.push(Entry {
                note: Some(failed_note(tool)),
                ..entry
            }),
            RecordState::RolledBack | RecordState::Removed => {}
        }
    }
    out
}

/// golang-migrate: one row, the version the database is at, and whether the migration to
/// it failed half-way (`dirty`).
fn classify_current_version(history: &History, folder: &[FolderMigration]) -> Classification {
    let tool = history.tool;
    let mut out = Classification::default();
    // The tool keeps one row; should there be more, the highest version is where it is.
    let current = history
        .records
        .iter()
        .filter_map(|r| {
            let v = r.version.as_ref()?;
            let k = Key::new(tool, v);
            // -1 is golang-migrate's "no version" (everything migrated down).
            (k != Key::Int(-1) || r.state == RecordState::Failed).then_some((k, r))
        })
        .max_by(|a, b| a.0.cmp(&b.0));
    let entry = |m: &FolderMigration, name: String, note| Entry {
        name,
        script: Some(m.script.clone()),
        recorded_checksum: None,
        file_checksum: None,
        note,
    };
    let mut found = false;
    for m in folder {
        let v = m.version.clone().unwrap_or_default();
        let k = Key::new(tool, &v);
        match &current {
            Some((cur, r)) if k == *cur => {
                found = true;
                let name = r.version.clone().unwrap_or(v);
                if r.state == RecordState::Failed {
                    out.failed.push(entry(m, name, Some("dirty")));
                } else {
                    out.applied.push(entry(m, name, None));
                }
            }
            Some((cur, _)) if k < *cur => out.applied.push(entry(m, as_recorded(tool, &v), None)),
            _ => out.pending.push(entry(m, as_recorded(tool, &v), None)),
        }
    }
    if let Some((_, r)) = current {
        if !found {
            let e = Entry {
                name: r.version.clone().unwrap_or_default(),
                script: None,
                recorded_checksum: None,
                file_checksum: None,
                note: None,
            };
            if r.state == RecordState::Failed {
                out.failed.push(Entry {
                    note: Some("dirty"),
                    ..e
                });
            } else {
                out.unknown.push(e);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mig(version: Option<&str>, description: &str, script: &str, sql: &str) -> FolderMigration {
        FolderMigration {
            version: version.map(str::to_string),
            description: description.to_string(),
            script: script.to_string(),
            bytes: sql.as_bytes().to_vec(),
            stored_checksum: None,
        }
    }

    fn rec(version: Option<&str>, checksum: Option<String>, state: RecordState) -> Record {
        Record {
            version: version.map(str::to_string),
            description: None,
            script: None,
            checksum,
            kind: RecordKind::Versioned,
            state,
        }
    }

    fn hist(tool: Tool, records: Vec<Record>) -> History {
        History {
            tool,
            schema: "public".into(),
            table: tool.default_table().into(),
            records,
        }
    }

    fn names(v: &[Entry]) -> Vec<&str> {
        v.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn flyway_applied_pending_edited_failed_unknown_and_repeatables() {
        let v1 = mig(
            Some("1"),
            "init",
            "V1__init.sql",
            "CREATE TABLE a (id int);\n",
        );
        let v1_1 = mig(
            Some("1.1"),
            "b",
            "V1_1__b.sql",
            "CREATE TABLE b (id int);\n",
        );
        let v2 = mig(Some("2"), "c", "V2__c.sql", "CREATE TABLE c (id int);\n");
        let v3 = mig(Some("3"), "d", "V3__d.sql", "CREATE TABLE d (id int);\n");
        let r = mig(
            None,
            "views",
            "R__views.sql",
            "CREATE VIEW v AS SELECT 1;\n",
        );
        let sum = |m: &FolderMigration| Some(checksum::flyway(&m.bytes).to_string());
        let mut repeat = rec(None, Some("12345".into()), RecordState::Applied);
        repeat.kind = RecordKind::Repeatable;
        repeat.description = Some("views".into());
        repeat.script = Some("R__views.sql".into());
        let mut schema_row = rec(Some("0"), None, RecordState::Applied);
        schema_row.kind = RecordKind::Marker;
        let h = hist(
            Tool::Flyway,
            vec![
                schema_row,
                rec(Some("1"), sum(&v1), RecordState::Applied),
                // Written "1.1" by Flyway; the folder may say "1_1" or "1.1".
                rec(Some("1.1"), Some("7".into()), RecordState::Applied),
                rec(Some("2"), sum(&v2), RecordState::Failed),
                repeat,
                rec(Some("9"), Some("1".into()), RecordState::Applied),
            ],
        );
        let c = classify(
            &h,
            &[v1.clone(), v1_1, v2, v3, r.clone()],
            &Default::default(),
        );
        assert_eq!(names(&c.applied), ["1"]);
        assert_eq!(names(&c.edited), ["1.1"]);
        assert_eq!(c.edited[0].recorded_checksum.as_deref(), Some("7"));
        assert_eq!(names(&c.failed), ["2"]);
        assert_eq!(names(&c.pending), ["3", "R__views.sql"]);
        assert_eq!(c.pending[1].note, Some("outdated repeatable"));
        assert_eq!(names(&c.unknown), ["9"]);
        assert_eq!(c.applied[0].file_checksum, c.applied[0].recorded_checksum);
    }

    #[test]
    fn flyway_latest_row_wins_and_baseline_covers_older_versions() {
        let v1 = mig(Some("1"), "a", "V1__a.sql", "x");
        let v2 = mig(Some("2"), "b", "V2__b.sql", "y");
        let v3 = mig(Some("3"), "c", "V3__c.sql", "z");
        let mut base = rec(Some("2"), None, RecordState::Applied);
        base.kind = RecordKind::Baseline;
        let sum = |m: &FolderMigration| Some(checksum::flyway(&m.bytes).to_string());
        let h = hist(
            Tool::Flyway,
            vec![
                base,
                rec(Some("3"), sum(&v3), RecordState::Applied),
                rec(Some("3"), None, RecordState::Removed),
            ],
        );
        let c = classify(&h, &[v1, v2, v3], &Default::default());
        assert_eq!(names(&c.applied), ["1", "2"]);
        assert_eq!(c.applied[0].note, Some("below baseline"));
        assert_eq!(names(&c.pending), ["3"]);
        assert!(c.unknown.is_empty() && c.edited.is_empty());
    }

    #[test]
    fn golang_migrate_current_version_and_dirty() {
        let folder: Vec<_> = ["0001", "0002", "0003"]
            .iter()
            .map(|v| mig(Some(v), "x", &format!("{v}_x.up.sql"), "select 1"))
            .collect();
        let clean = hist(
            Tool::GolangMigrate,
            vec![rec(Some("2"), None, RecordState::Applied)],
        );
        let c = classify(&clean, &folder, &Default::default());
        assert_eq!(names(&c.applied), ["1", "2"]);
        assert_eq!(names(&c.pending), ["3"]);
        let dirty = hist(
            Tool::GolangMigrate,
            vec![rec(Some("2"), None, RecordState::Failed)],
        );
        let c = classify(&dirty, &folder, &Default::default());
        assert_eq!(names(&c.applied), ["1"]);
        assert_eq!(names(&c.failed), ["2"]);
        assert_eq!(c.failed[0].note, Some("dirty"));
        let ahead = hist(
            Tool::GolangMigrate,
            vec![rec(Some("7"), None, RecordState::Applied)],
        );
        let c = classify(&ahead, &folder, &Default::default());
        assert_eq!(names(&c.applied).len(), 3);
        assert_eq!(names(&c.unknown), ["7"]);
        let empty = hist(Tool::GolangMigrate, vec![]);
        assert_eq!(
            classify(&empty, &folder, &Default::default()).pending.len(),
            3
        );
    }

    #[test]
    fn goose_latest_row_per_version_wins() {
        let folder: Vec<_> = ["1", "2", "3"]
            .iter()
            .map(|v| mig(Some(v), "x", &format!("{v:0>5}_x.sql"), "select 1"))
            .collect();
        let mut zero = rec(Some("0"), None, RecordState::Applied);
        zero.kind = RecordKind::Marker;
        let h = hist(
            Tool::Goose,
            vec![
                zero,
                rec(Some("1"), None, RecordState::Applied),
                rec(Some("2"), None, RecordState::Applied),
                rec(Some("2"), None, RecordState::Removed),
                rec(Some("3"), None, RecordState::Applied),
                rec(Some("3"), None, RecordState::Removed),
                rec(Some("3"), None, RecordState::Applied),
            ],
        );
        let c = classify(&h, &folder, &Default::default());
        assert_eq!(names(&c.applied), ["1", "3"]);
        assert_eq!(names(&c.pending), ["2"]);
        assert_eq!(c.pending[0].note, Some("reverted"));
        assert!(c.unknown.is_empty());
    }

    #[test]
    fn prisma_failed_rolled_back_and_reapplied() {
        let a = mig(
            Some("20240101000000_a"),
            "a",
            "20240101000000_a/migration.sql",
            "A",
        );
        let b = mig(
            Some("20240102000000_b"),
            "b",
            "20240102000000_b/migration.sql",
            "B",
        );
        let c_ = mig(
            Some("20240103000000_c"),
            "c",
            "20240103000000_c/migration.sql",
            "C",
        );
        let d = mig(
            Some("20240104000000_d"),
            "d",
            "20240104000000_d/migration.sql",
            "D",
        );
        let sum = |m: &FolderMigration| checksum::prisma(&m.bytes);
        let h = hist(
            Tool::Prisma,
            vec![
                rec(Some("20240101000000_a"), sum(&a), RecordState::Applied),
                rec(Some("20240102000000_b"), sum(&b), RecordState::RolledBack),
                rec(Some("20240102000000_b"), sum(&b), RecordState::Applied),
                rec(Some("20240103000000_c"), sum(&c_), RecordState::RolledBack),
                rec(Some("20240104000000_d"), sum(&d), RecordState::Failed),
            ],
        );
        let c = classify(&h, &[a, b, c_, d], &Default::default());
        assert_eq!(names(&c.applied), ["20240101000000_a", "20240102000000_b"]);
        assert_eq!(names(&c.pending), ["20240103000000_c"]);
        assert_eq!(c.pending[0].note, Some("rolled back"));
        assert_eq!(names(&c.failed), ["20240104000000_d"]);
    }

    #[test]
    fn sqlx_checksums_compare_as_hex_and_failed_rows_count() {
        let m1 = mig(Some("1"), "a", "1_a.sql", "create table a();\n");
        let m2 = mig(Some("2"), "b", "2_b.sql", "create table b();\n");
        let h = hist(
            Tool::Sqlx,
            vec![
                rec(
                    Some("1"),
                    checksum::sqlx(&m1.bytes, &[]).map(|s| s.to_uppercase()),
                    RecordState::Applied,
                ),
                rec(
                    Some("2"),
                    checksum::sqlx(b"other", &[]),
                    RecordState::Applied,
                ),
                rec(Some("3"), checksum::sqlx(b"x", &[]), RecordState::Failed),
            ],
        );
        let c = classify(&h, &[m1, m2], &Default::default());
        assert_eq!(names(&c.applied), ["1"]);
        assert_eq!(names(&c.edited), ["2"]);
        // Failed, and no such file: still failed (it is the stronger finding).
        assert_eq!(names(&c.failed), ["3"]);
        assert!(c.unknown.is_empty());
    }

    #[test]
    fn tools_without_checksums_never_report_edited() {
        for tool in [Tool::Dbmate, Tool::Diesel, Tool::Goose] {
            let m = mig(Some("20240101"), "a", "a.sql", "changed");
            let h = hist(
                tool,
                vec![rec(
                    Some("20240101"),
                    Some("junk".into()),
                    RecordState::Applied,
                )],
            );
            let c = classify(&h, &[m], &Default::default());
            assert_eq!(names(&c.applied), ["20240101"], "{tool}");
        }
    }

    #[test]
    fn neo4j_migrations_accepts_any_mode_unless_told() {
        let m = mig(Some("1"), "a", "V1__a.cypher", "MATCH (n)\r\nRETURN n;\r\n");
        let auto = Neo4jChecksumMode {
            autocrlf: true,
            flyway_compatible: false,
        };
        let recorded = checksum::neo4j_migrations(&m.bytes, auto);
        let h = hist(
            Tool::Neo4jMigrations,
            vec![rec(Some("1"), recorded, RecordState::Applied)],
        );
        let c = classify(&h, std::slice::from_ref(&m), &Default::default());
        assert_eq!(names(&c.applied), ["1"]);
        let strict = ClassifyOptions {
            neo4j_mode: Some(Neo4jChecksumMode::default()),
            ..Default::default()
        };
        let c = classify(&h, &[m], &strict);
        assert_eq!(names(&c.edited), ["1"]);
    }
}
