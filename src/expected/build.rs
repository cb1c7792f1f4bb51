//! Building the expected schema of a migrations folder: discover, split,
//! replay into a shadow (the setup first), introspect the shadow after each
//! migration, and record each migration's change set.

use std::path::Path;

use crate::error::Result;
use crate::migrations::shadow::{self, Shadow, ShadowSpec};
use crate::migrations::MIGRATIONS_TAKEN_AT;
use crate::migrations::{discover, replay, source_name, BuildOptions, Discovered, Format};
use crate::model::Snapshot;
use crate::postgres;

use super::{MigrationsRecord, Recorder, EXPECTED_FORMAT_VERSION};

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
        format_version: EXPECTED_FORMAT_VERSION,
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
) -> Result<(crate::model::PgSchema, String, MigrationsRecord)> {
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
    let mut recorder = Recorder::new(r.format, schema.clone());
    let mut replayer = replay::Replayer::new(&client, r.format, r.prepared.len()).await?;
    for p in r.prepared {
        replayer.run(&client, p, &shadow.label).await?;
        (schema, _) = postgres::introspect(&shadow.url, &opts.introspect).await?;
        recorder.step(p, schema.clone());
    }
    drop(client);
    Ok((schema, version, recorder.finish()))
}
