//! An expected file that records its migrations (format_version 2): the
//! expected schema at a set of applied versions built from the file alone
//! (as on a cron host with no folder and no shadow) gives the same report as
//! the folder holding just those migrations, provenance included.

mod common;

use std::path::Path;

use common::TestDb;
use schemadrift::expected::build_expected;
use schemadrift::expected::{expected_at, MigrationsRecord};
use schemadrift::migrations::{BuildOptions, Format};
use schemadrift::model::Snapshot;
use schemadrift::redact::Dsn;
use schemadrift::report::json::JsonChange;

const MIGRATIONS: &[(&str, &str)] = &[
    (
        "V1__users.sql",
        "CREATE SCHEMA app;\nCREATE TABLE app.users (id serial PRIMARY KEY, name text);\n",
    ),
    (
        "V2__email.sql",
        "-- a unique email\nALTER TABLE app.users ADD email text;\n\nCREATE UNIQUE INDEX users_email_key ON app.users (email);\n",
    ),
    (
        "V3__orders.sql",
        "CREATE TABLE app.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id int REFERENCES app.users (id), total numeric(10,2) NOT NULL CHECK (total >= 0));\nCREATE VIEW app.big AS SELECT * FROM app.orders WHERE total > 100;\n",
    ),
    (
        "V4__widen.sql",
        "ALTER TABLE app.users ALTER name TYPE varchar(200);\nCOMMENT ON TABLE app.orders IS 'what was bought';\nALTER TABLE app.users RENAME CONSTRAINT users_pkey TO users_id_pk;\n",
    ),
];

/// A Flyway folder with the first `n` migrations.
fn folder(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, sql) in &MIGRATIONS[..n] {
        std::fs::write(dir.path().join(name), sql).unwrap();
    }
    dir
}

fn build(dir: &Path) -> Snapshot {
    schemadrift::run::install_crypto_provider();
    let opts = BuildOptions {
        format: Some(Format::Flyway),
        shadow_url: Some(Dsn::new(common::server_url())),
        ..Default::default()
    };
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(build_expected(dir, &opts))
        .unwrap_or_else(|e| panic!("build {}: {e}", dir.display()))
}

/// The changes `diff EXPECTED live` reports, in their JSON form.
fn report(expected: &Snapshot, live: &Snapshot) -> Vec<JsonChange> {
    let mut changes = schemadrift::diff::diff_snapshots(expected, live);
    schemadrift::expected::annotate(&mut changes, expected);
    changes.iter().map(JsonChange::from).collect()
}

#[test]
fn the_file_alone_gives_the_folders_report_at_every_version() {
    let all = folder(MIGRATIONS.len());
    let full = build(all.path());
    assert_eq!(full.format_version, 2);
    // Through the file's text, as a cron host reads it.
    let text = full.to_json();
    let file = schemadrift::source::parse_snapshot(Path::new("expected/postgres.json"), &text)
        .expect("the written file reads back");
    let record = MigrationsRecord::of(&file).unwrap().unwrap();
    let files: Vec<&str> = record.steps.iter().map(|s| s.file.as_str()).collect();
    assert_eq!(files, MIGRATIONS.iter().map(|m| m.0).collect::<Vec<_>>());
    let versions: Vec<Option<&str>> = record.steps.iter().map(|s| s.version.as_deref()).collect();
    assert_eq!(versions, [Some("1"), Some("2"), Some("3"), Some("4")]);
    // Flyway's own checksum of each file.
    for (step, (_, sql)) in record.steps.iter().zip(MIGRATIONS) {
        let crc = schemadrift::history::checksum::flyway(sql.as_bytes()).to_string();
        assert_eq!(
            step.checksum.as_deref(),
            Some(crc.as_str()),
            "{}",
            step.file
        );
        assert!(
            step.schema.is_none(),
            "{}: the change set rebuilds it",
            step.file
        );
    }

    // A target at V2, with an index nobody wrote and an email no longer unique.
    let live_db = TestDb::with_sql(
        "expfile_live",
        &format!("{}{}", MIGRATIONS[0].1, MIGRATIONS[1].1),
    );
    live_db.exec("CREATE INDEX users_name_idx ON app.users (name); DROP INDEX app.users_email_key; ALTER TABLE app.users ALTER name SET NOT NULL;");
    let live = Snapshot {
        postgres: Some(common::fixtures::introspect(&live_db.url)),
        ..Snapshot::empty()
    };

    for n in 1..=MIGRATIONS.len() {
        let dir = folder(n);
        let from_folder = build(dir.path());
        let applied: Vec<String> = (1..=n).map(|v| v.to_string()).collect();
        let from_file = expected_at(&file, |s| {
            s.version.as_ref().is_some_and(|v| applied.contains(v))
        })
        .unwrap_or_else(|e| panic!("at {n} migrations: {e}"));
        assert_eq!(
            from_file.postgres.as_ref().map(|p| Snapshot {
                postgres: Some(p.clone()),
                ..Snapshot::empty()
            }
            .to_json()),
            from_folder.postgres.as_ref().map(|p| Snapshot {
                postgres: Some(p.clone()),
                ..Snapshot::empty()
            }
            .to_json()),
            "the schema at {n} migrations"
        );
        let (a, b) = (report(&from_folder, &live), report(&from_file, &live));
        assert_eq!(a, b, "the report at {n} migrations");
        if n == 2 {
            // The drift at the version the target is at, each change with the
            // migration that made its object.
            let brief: Vec<(String, String, Option<String>)> = b
                .iter()
                .map(|c| {
                    (
                        c.code.clone(),
                        c.object.clone(),
                        c.migration
                            .as_ref()
                            .map(|m| format!("{}:{}", m.file, m.line.unwrap_or(0))),
                    )
                })
                .collect();
            assert_eq!(
                brief,
                [
                    (
                        "column-nullability-changed".to_string(),
                        "app.users.name".to_string(),
                        Some("V1__users.sql:2".to_string())
                    ),
                    (
                        "index-missing".to_string(),
                        "app.users.users_email_key".to_string(),
                        Some("V2__email.sql:4".to_string())
                    ),
                    (
                        "index-unexpected".to_string(),
                        "app.users.users_name_idx".to_string(),
                        None
                    ),
                ]
            );
        }
    }
}
