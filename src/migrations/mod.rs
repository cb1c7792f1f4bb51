//! The expected schema from a migrations folder: discover and order the
//! files, split them into statements with PostgreSQL's parser, replay them
//! into a throwaway shadow database, and introspect it with the same adapter
//! as live databases, so both sides are normalised by PostgreSQL itself.

pub mod discover;
pub mod leftovers;
pub mod replay;
pub mod shadow;
pub mod split;

use std::path::Path;

pub use discover::{discover, Discovered, Format, Kind, Migration};
pub use shadow::{Shadow, ShadowSpec};
pub use split::{split, Statement};

use crate::error::Result;
use crate::model::Snapshot;
use crate::postgres;
use crate::redact::Dsn;

/// The `taken_at` of every snapshot built from migrations. Such a snapshot
/// depends on the migration files only, not on when it was built, so it
/// carries a fixed time: re-running `schemadrift expected` gives a
/// byte-identical file (on the same PostgreSQL version), and git shows a
/// change only when the schema changes.
pub const MIGRATIONS_TAKEN_AT: &str = "1970-01-01T00:00:00Z";

/// How to build the expected schema of a migrations folder.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The folder layout; detected when None.
    pub format: Option<Format>,
    /// Replay into a temporary database on this server instead of an
    /// embedded cluster.
    pub shadow_url: Option<Dsn>,
    /// The server version of the database the result will be compared with
    /// (`PostgreSQL 15.4`, `15.4 (Debian ...)`): the embedded shadow uses the
    /// same major version when its binaries are installed.
    pub target_version: Option<String>,
    /// The databases being checked: `shadow_url` must not be one.
    pub targets: Vec<Dsn>,
    /// Plain SQL files run in the shadow, in order, before the first
    /// migration (schemas, roles, extensions, a database-level search_path).
    pub setup: Vec<std::path::PathBuf>,
    /// What to read from the shadow (schemas, privileges, timeouts).
    pub introspect: postgres::Options,
}

/// The `source` of a snapshot built from `dir`: `migrations:db/migrations`
/// (the path as given, without `./` or a trailing slash, so that the file
/// does not change with how the folder was typed).
pub fn source_name(dir: &Path) -> String {
    let s = dir.to_string_lossy();
    let mut s: &str = &s;
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    let s = s.trim_end_matches('/');
    format!("migrations:{}", if s.is_empty() { "." } else { s })
}

/// Build the expected snapshot of a migrations folder: discover, split,
/// replay into a shadow, introspect the shadow, remove the shadow.
///
/// Syntax errors are reported before any server starts. The shadow is
/// removed whether the replay succeeds or not.
pub async fn build_expected(dir: &Path, opts: &BuildOptions) -> Result<Snapshot> {
    build_discovered(dir, discover(dir, opts.format)?, opts).await
}

/// [`build_expected`] of migrations already discovered in `dir` (some left out: the
/// expected schema at the applied versions, see [`crate::applied`]).
pub async fn build_discovered(
    dir: &Path,
    found: Discovered,
    opts: &BuildOptions,
) -> Result<Snapshot> {
    let setup = replay::prepare_setup(&opts.setup)?;
    let prepared = replay::prepare(found.migrations)?;
    let needs = replay::role_needs(&setup, &prepared);
    let replaying = Replaying {
        setup: &setup,
        prepared: &prepared,
        needs: &needs,
        format: found.format,
    };

    let spec = match &opts.shadow_url {
        Some(url) => {
            shadow::ensure_not_target(url, &opts.targets)?;
            ShadowSpec::Url(url.clone())
        }
        None => ShadowSpec::Embedded {
            major: opts.target_version.as_deref().and_then(shadow::parse_major),
        },
    };
    let shadow = match Shadow::start(&spec).await {
        Ok(s) => s,
        Err(e) => {
            shadow::yield_if_interrupted().await;
            return Err(e);
        }
    };
    let result = replay_and_read(&shadow, &replaying, opts).await;
    if result.is_err() {
        shadow::yield_if_interrupted().await;
    }
    let closed = shadow.close().await;
    let (schema, version, record) = result?;
    closed?;
    Ok(Snapshot {
        format_version: crate::expected::EXPECTED_FORMAT_VERSION,
        source: source_name(dir),
        server_version: Some(version),
        taken_at: MIGRATIONS_TAKEN_AT.to_string(),
        postgres: Some(schema),
        neo4j: None,
        migrations: Some(serde_json::to_value(record).expect("the record serializes")),
    })
}

/// What to run in the shadow.
struct Replaying<'a> {
    setup: &'a [replay::SetupFile],
    prepared: &'a [replay::Prepared],
    needs: &'a replay::RoleNeeds,
    format: Format,
}

async fn replay_and_read(
    shadow: &Shadow,
    r: &Replaying<'_>,
    opts: &BuildOptions,
) -> Result<(
    crate::model::PgSchema,
    String,
    crate::expected::MigrationsRecord,
)> {
    let client = shadow.connect().await?;
    let made = replay::create_roles(&client, r.needs).await?;
    // On a shared server, the roles made here are dropped with the database.
    shadow.created_roles(made);
    let state = replay::run_setup(&client, r.setup, &shadow.label).await?;
    drop(client);
    // A new session: it sees what the setup set with ALTER DATABASE or
    // ALTER ROLE, as the migration tool's own connection would.
    let client = shadow.connect().await?;
    replay::continue_session(&client, &state).await?;
    // The schema before the first migration and after each one: the
    // change sets the expected file records.
    let (mut schema, version) = postgres::introspect(&shadow.url, &opts.introspect).await?;
    let mut recorder = crate::expected::Recorder::new(r.format, schema.clone());
    let mut replayer = replay::Replayer::new(&client, r.format, r.prepared.len()).await?;
    for p in r.prepared {
        replayer.run(&client, p, &shadow.label).await?;
        (schema, _) = postgres::introspect(&shadow.url, &opts.introspect).await?;
        recorder.step(p, schema.clone());
    }
    drop(client);
    Ok((schema, version, recorder.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_names_are_stable() {
        assert_eq!(
            source_name(Path::new("db/migrations")),
            "migrations:db/migrations"
        );
        assert_eq!(
            source_name(Path::new("./db/migrations/")),
            "migrations:db/migrations"
        );
        assert_eq!(source_name(Path::new("./")), "migrations:.");
    }
}
