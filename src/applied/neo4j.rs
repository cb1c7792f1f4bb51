//! neo4j-migrations' history against a folder of Cypher migrations, or against the
//! record of an expected file (a cron host without the folder).
//!
//! The chain is read over Bolt with the live schema ([`crate::neo4j::introspect_with_history`]);
//! the expected schema is the fold of the applied migrations only. neo4j-migrations
//! records no failed migration: `Migrations.apply0` writes a node only after a migration
//! ran, and a failure throws before that, so a failed migration is pending here, as it
//! is to the tool. Its own constraint and index (on `__Neo4jMigration` and `REPEATED`)
//! and its lock's are bookkeeping, set aside as every tool's ([`crate::history::set_aside`]).

use std::path::Path;

use super::Applied;
use crate::error::{Error, Result};
use crate::expected::{MigrationsRecord, NEO4J_FORMAT};
use crate::history::{ClassifyOptions, FolderMigration, History, Tool};
use crate::model::Snapshot;
use crate::neo4j::migrations;

/// The folder's migrations as neo4j-migrations records them: version (`001`, `1.2`),
/// description, file name, bytes.
pub fn folder_migrations(dir: &Path) -> Result<Vec<FolderMigration>> {
    let (files, _) = migrations::discover(dir)?;
    files
        .iter()
        .map(|f| {
            let name = migrations::file_name(&f.path);
            let bytes = std::fs::read(&f.path).map_err(|e| Error::Read {
                path: f.path.clone(),
                reason: e.to_string(),
            })?;
            Ok(FolderMigration::new(
                Tool::Neo4jMigrations,
                migrations::tool_version(&name),
                &f.description,
                &name,
                &bytes,
                &ClassifyOptions::default(),
            ))
        })
        .collect()
}

/// The migrations an expected file records, with the checksums it stored.
pub fn stored_migrations(record: &MigrationsRecord) -> Vec<FolderMigration> {
    record
        .steps
        .iter()
        .map(|s| FolderMigration {
            version: s.version.clone(),
            description: String::new(),
            script: s.file.clone(),
            checksums: s
                .checksum
                .iter()
                .chain(&s.other_checksums)
                .cloned()
                .collect(),
        })
        .collect()
}

/// The folder `dir` against the chain read.
pub fn classify_folder(history: &History, dir: &Path) -> Result<Applied> {
    let found = folder_migrations(dir)?;
    Ok(Applied::of(
        NEO4J_FORMAT,
        history,
        &found,
        Some(dir.to_path_buf()),
    ))
}

/// The expected file `snap` (its record) against the chain read; `None` when the file
/// records no Cypher migrations (`format_version` 1, or not a Neo4j file).
pub fn classify_file(history: &History, snap: &Snapshot) -> Option<Applied> {
    let record = MigrationsRecord::of(snap).ok().flatten()?;
    (record.format == NEO4J_FORMAT)
        .then(|| Applied::of(NEO4J_FORMAT, history, &stored_migrations(&record), None))
}

/// Whether `snap` is an expected file that records Cypher migrations.
pub fn records_cypher(snap: &Snapshot) -> bool {
    matches!(MigrationsRecord::of(snap), Ok(Some(r)) if r.format == NEO4J_FORMAT)
}

/// The expected schema of the folder at the migrations `applied` found applied.
pub fn folder_at_applied(
    dir: &Path,
    applied: &Applied,
    opts: &migrations::FoldOptions,
) -> Result<Snapshot> {
    let skip = applied.not_applied();
    crate::source::read_cypher_folder_at(dir, opts, &|name| !skip.contains(name))
}

/// The expected schema of an expected file at the migrations `applied` found applied.
pub fn file_at_applied(snap: &Snapshot, applied: &Applied, path: &Path) -> Result<Snapshot> {
    let skip = applied.not_applied();
    crate::expected::expected_at(snap, |s| !skip.contains(&s.file)).map_err(|e| {
        Error::BadSnapshot {
            path: path.to_path_buf(),
            reason: e.0,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_as_the_tool_records_them() {
        assert_eq!(
            migrations::tool_version("V001__a.cypher").as_deref(),
            Some("001")
        );
        assert_eq!(
            migrations::tool_version("V1_2__a.cypher").as_deref(),
            Some("1.2")
        );
        assert_eq!(
            migrations::tool_version("R3__a.cypher").as_deref(),
            Some("3")
        );
        assert_eq!(migrations::tool_version("v1__a.cypher"), None);
        assert_eq!(migrations::tool_version("V1a__a.cypher"), None);
    }
}
