//! `schemadrift expected`'s work once the flags and config are read: build
//! each expected file from its migrations folder and write it, or with
//! `--check` say whether the committed file is still what the folder builds.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::io::{unless_closed, write_output, write_output_with};
use crate::migrations::BuildOptions;
use crate::model::Snapshot;
use crate::neo4j::migrations::FoldOptions;

/// One expected file to build: its engine, its migrations folder, the file.
pub enum Job {
    Postgres(PathBuf, PathBuf),
    Neo4j(PathBuf, PathBuf),
}

/// What `schemadrift expected` does.
pub struct Plan {
    pub jobs: Vec<Job>,
    /// How PostgreSQL folders are built (shadow, setup, what is read).
    pub build: BuildOptions,
    /// How Cypher folders are folded.
    pub fold: FoldOptions,
    /// Compare with the committed files instead of writing them.
    pub check: bool,
    /// Colour the report of a file that is no longer current.
    pub color: bool,
}

/// Carry out `plan`; `true` when a committed file is no longer current
/// (`check` only).
pub async fn update(plan: Plan) -> Result<bool> {
    let Plan {
        jobs,
        build,
        fold,
        check,
        color,
    } = plan;
    let mut drift = false;
    for job in jobs {
        let (dir, path, built) = match job {
            Job::Postgres(dir, path) => {
                let built = super::build_expected(&dir, &build).await?;
                crate::filter::ensure_matched(
                    &build.introspect.schemas,
                    &build.introspect.exclude_schemas,
                    &build.introspect.seen,
                    &crate::filter::Wording {
                        place: "in the schema the migrations build",
                        ..crate::filter::FLAGS
                    },
                )?;
                (dir, path, built)
            }
            Job::Neo4j(dir, path) => {
                let built = crate::source::read_cypher_folder(&dir, &fold)?;
                (dir, path, built)
            }
        };
        drift |= write_or_check(&dir, &path, &built, check, color)?;
    }
    Ok(drift)
}

/// Write one expected file, or with `check` compare it with what was built:
/// `true` when it is no longer current.
fn write_or_check(
    dir: &Path,
    path: &Path,
    built: &Snapshot,
    check: bool,
    color: bool,
) -> Result<bool> {
    if !check {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        crate::io::write_file(path, built.to_json().as_bytes())?;
        eprintln!(
            "schemadrift: wrote {} from {}",
            path.display(),
            dir.display()
        );
        return Ok(false);
    }
    let committed = crate::source::read_snapshot_file(path)?;
    // Compare the schemas, not the files: the PostgreSQL patch version that
    // built them may differ between machines without the schema changing.
    if committed.postgres == built.postgres
        && committed.neo4j == built.neo4j
        // A format_version 1 file records no migrations: still current.
        && (committed.migrations.is_none() || committed.migrations == built.migrations)
    {
        eprintln!(
            "schemadrift: {} is up to date with {}",
            path.display(),
            dir.display()
        );
        return Ok(false);
    }
    let changes = crate::diff::diff_snapshots(&committed, built);
    if changes.is_empty() && crate::equiv::majors_differ(&committed, built) {
        // Another PostgreSQL prints some expressions otherwise (a CI runner's
        // against the machine that wrote the file): the meaning is current.
        eprintln!(
            "schemadrift: {} is up to date with {} (equal in meaning; written by {}, replayed on {})",
            path.display(),
            dir.display(),
            committed.server_version.as_deref().unwrap_or("?"),
            built.server_version.as_deref().unwrap_or("?"),
        );
        return Ok(false);
    }
    let written = if changes.is_empty() {
        // A difference the differ does not report: show the JSON itself.
        let (old, new) = (committed.to_json(), built.to_json());
        let d = similar::TextDiff::from_lines(&old, &new);
        let text = d
            .unified_diff()
            .header(
                &path.display().to_string(),
                &crate::migrations::source_name(dir),
            )
            .to_string();
        write_output(None, &text)
    } else {
        let report = crate::report::Report::new(
            &path.display().to_string(),
            &crate::migrations::source_name(dir),
            changes,
            0,
        );
        write_output_with(None, |mut w| {
            crate::report::render(&report, crate::report::Format::Text, color, &mut w)
        })
    };
    unless_closed(written)?;
    eprintln!(
        "schemadrift: {} no longer matches the migrations in {}: run `schemadrift expected` without --check and commit the result",
        path.display(),
        dir.display(),
    );
    Ok(true)
}
