//! No password in any output, whatever shape the source that held it had: a
//! URL, a libpq `key=value` string, or a mistyped URL. Standard error of
//! `snapshot` and `diff`, the `check` report in every format, and the body
//! of the `check-failed` webhook. Nothing listens where the sources point,
//! so every one of them fails, which is when a source is shown most.

mod common;

use std::path::Path;

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Each shape, with its own password (all contain `s3cret`).
fn shapes(port: u16) -> Vec<(&'static str, String)> {
    vec![
        (
            "url",
            format!("postgres://app:s3cret-url@127.0.0.1:{port}/app?sslmode=disable"),
        ),
        (
            "url-param",
            format!("postgresql://app@127.0.0.1:{port}/app?password=s3cret-param&sslmode=disable"),
        ),
        (
            "key-value",
            format!("host=127.0.0.1 port={port} user=app password=s3cret-kv dbname=app"),
        ),
        (
            "key-value-quoted",
            format!("host=127.0.0.1 port={port} password='s3cret quoted' dbname=app"),
        ),
        ("typo", "postgres:app:s3cret-typo@127.0.0.1/app".to_string()),
        (
            "typo-port",
            format!("postgres://app:s3cret-port@127.0.0.1:{port}x/app"),
        ),
        ("bolt", format!("bolt://neo4j:s3cret-bolt@127.0.0.1:{port}")),
    ]
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains("s3cret"), "{what} shows a password:\n{text}");
}

/// A valid snapshot file, for the other side of a diff and as the expected schema.
fn expected(dir: &Path) -> String {
    let p = dir.join("expected.json");
    std::fs::write(
        &p,
        r#"{"format_version": 1, "source": "test", "taken_at": "2025-01-01T00:00:00Z", "postgres": {}, "neo4j": {}}"#,
    )
    .unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn snapshot_and_diff_errors_show_no_password() {
    let d = tempfile::tempdir().unwrap();
    let file = expected(d.path());
    for (shape, source) in shapes(common::closed_port()) {
        let (code, out, err) = common::run(&["snapshot", &source]);
        assert_eq!(code, 2, "{shape}: {err}");
        assert!(!err.is_empty(), "{shape}: a failure says why");
        assert_clean(&format!("snapshot {shape} stderr"), &err);
        assert_clean(&format!("snapshot {shape} stdout"), &out);
        for args in [["diff", &file, &source], ["diff", &source, &file]] {
            let (code, out, err) = common::run(&args);
            assert_eq!(code, 2, "{shape}: {err}");
            assert_clean(&format!("diff {shape} stderr"), &err);
            assert_clean(&format!("diff {shape} stdout"), &out);
        }
        // Through the environment too.
        let (code, _, err) = common::run_env(&["snapshot"], &[("DATABASE_URL", &source)]);
        assert_eq!(code, 2, "{shape}: {err}");
        assert_clean(&format!("snapshot $DATABASE_URL {shape}"), &err);
    }
}

/// Run the binary off the async runtime, so wiremock keeps answering.
async fn sd(args: Vec<String>) -> (i32, String, String) {
    tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        common::run(&a)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn check_reports_and_webhooks_show_no_password() {
    let hook = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&hook)
        .await;
    let d = tempfile::tempdir().unwrap();
    expected(d.path());
    let mut toml = String::from(
        "[postgres]\nexpected = \"expected.json\"\n[neo4j]\nexpected = \"expected.json\"\n",
    );
    let all = shapes(common::closed_port());
    for (shape, source) in &all {
        let engine = if *shape == "bolt" {
            "neo4j"
        } else {
            "postgres"
        };
        let quoted = source.replace('\\', "\\\\").replace('"', "\\\"");
        toml.push_str(&format!("\n[targets.{shape}]\n{engine} = \"{quoted}\"\n"));
    }
    toml.push_str(&format!(
        "\n[alerts]\nretries = 0\ntimeout = \"5s\"\n[alerts.channels.hook]\ntype = \"webhook\"\nurl = \"{}/hook\"\n",
        hook.uri()
    ));
    let config = d.path().join("schemadrift.toml");
    std::fs::write(&config, toml).unwrap();
    let config = config.to_string_lossy().into_owned();
    for (k, format) in ["text", "json", "markdown", "junit"].iter().enumerate() {
        let out = d.path().join(format!("report.{format}"));
        let mut args = vec![
            "check".to_string(),
            "--config".into(),
            config.clone(),
            "--format".into(),
            format.to_string(),
            "-o".into(),
            out.to_string_lossy().into_owned(),
            "--timeout".into(),
            "20s".into(),
        ];
        if k > 0 {
            args.push("--no-alerts".into());
        }
        let (code, stdout, stderr) = sd(args).await;
        assert_eq!(code, 2, "every target fails: {stderr}");
        assert_clean("check stderr", &stderr);
        assert_clean("check stdout", &stdout);
        let report = std::fs::read_to_string(&out)
            .unwrap_or_else(|e| panic!("no {format} report ({e}): {stderr}"));
        for (shape, _) in &all {
            assert!(report.contains(shape), "{format}: no target {shape}");
        }
        assert_clean(&format!("the {format} report"), &report);
    }
    let bodies: Vec<String> = hook
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    assert_eq!(bodies.len(), all.len(), "one check-failed alert per target");
    for b in &bodies {
        assert!(b.contains("\"check-failed\""), "{b}");
        assert_clean("a webhook body", b);
    }
}

/// The options of foreign-data wrappers, servers and user mappings that may
/// hold a secret (`password`, `sslpassword`, a token), and the secrets of
/// subscriptions' connection strings, are never read: no
/// snapshot file, report in any format, fix script nor adopted migration
/// shows one, a changed password is no drift, and a script that would need
/// one says so instead of writing it.
#[test]
fn secret_options_are_in_no_output() {
    let a = common::TestDb::with_sql(
        "secret_opts_a",
        "CREATE FOREIGN DATA WRAPPER keyed OPTIONS (password 's3cret-a', \"user\" 'app');
         CREATE FOREIGN DATA WRAPPER gone OPTIONS (sslpassword 's3cret-ssl', host 'db');
         CREATE SERVER srv FOREIGN DATA WRAPPER keyed OPTIONS (host 'db', password 's3cret-srv');
         CREATE USER MAPPING FOR PUBLIC SERVER srv OPTIONS (\"user\" 'app', password 's3cret-um');
         CREATE USER MAPPING FOR postgres SERVER srv OPTIONS (password 's3cret-pg');
         CREATE SERVER old FOREIGN DATA WRAPPER gone OPTIONS (password 's3cret-old');
         CREATE SUBSCRIPTION feed CONNECTION 'host=db user=app password=s3cret-sub'
             PUBLICATION p WITH (connect = false, slot_name = NONE);
         CREATE SUBSCRIPTION old_feed CONNECTION 'postgresql://app:s3cret-uri@db/app'
             PUBLICATION p WITH (connect = false, slot_name = NONE);",
    );
    let b = common::TestDb::with_sql(
        "secret_opts_b",
        "CREATE FOREIGN DATA WRAPPER keyed OPTIONS (password 's3cret-b', \"user\" 'ops');
         CREATE FOREIGN DATA WRAPPER extra OPTIONS (api_token 's3cret-token');
         CREATE SERVER srv FOREIGN DATA WRAPPER keyed OPTIONS (host 'db', password 's3cret-srv-b');
         CREATE USER MAPPING FOR PUBLIC SERVER srv OPTIONS (\"user\" 'ops', password 's3cret-um-b');
         CREATE SERVER new FOREIGN DATA WRAPPER extra;
         CREATE USER MAPPING FOR postgres SERVER new OPTIONS (\"user\" 'x', sslpassword 's3cret-new');
         CREATE SUBSCRIPTION feed CONNECTION 'host=db user=ops password=''s3cret sub b'''
             PUBLICATION p WITH (connect = false, slot_name = NONE);",
    );
    let d = tempfile::tempdir().unwrap();
    let mut sources = vec![a.url.clone(), b.url.clone()];
    for (db, privileges) in [(&a, false), (&b, true)] {
        let file = d.path().join(format!("{}.json", db.name));
        let path = file.to_str().unwrap();
        let mut args = vec!["snapshot", &db.url, "-o", path];
        if privileges {
            args.push("--with-privileges");
        }
        let (code, out, err) = common::run(&args);
        assert_eq!(code, 0, "{err}");
        assert_clean("snapshot stdout and stderr", &(out + &err));
        let text = std::fs::read_to_string(&file).unwrap();
        assert_clean("a snapshot file", &text);
        assert!(text.contains("\"password\": \"********\""), "{text}");
        sources.push(path.to_string());
    }
    let (code, out, _) = common::run(&["snapshot", &a.url]);
    assert_eq!(code, 0);
    assert_clean("a snapshot on standard output", &out);
    let pairs = [(0, 1), (1, 0), (2, 3), (3, 2), (0, 3)];
    for (e, x) in pairs {
        let (e, x) = (&sources[e], &sources[x]);
        for format in ["text", "json", "markdown", "junit", "sarif", "sql"] {
            let (code, out, err) = common::run(&["diff", e, x, "--format", format]);
            assert_eq!(code, 1, "{format}: {err}");
            let what = format!("diff {e} {x} --format {format}");
            assert_clean(&what, &(out.clone() + &err));
            if format == "json" {
                // A password set on both sides is no change, whatever it is.
                let report: serde_json::Value = serde_json::from_str(&out).unwrap();
                let fields: Vec<&str> = report["changes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|c| c["fields"].as_array().into_iter().flatten())
                    .filter_map(|f| f["field"].as_str())
                    .collect();
                assert!(fields.contains(&"options.user"), "{what}: {out}");
                assert!(!fields.contains(&"options.password"), "{what}: {out}");
                assert!(fields.contains(&"conninfo.user"), "{what}: {out}");
                assert!(!fields.contains(&"conninfo.password"), "{what}: {out}");
            }
            if format == "sql" {
                // What the script cannot set, it says it leaves to the user.
                let secrets: &[&str] = if e == &sources[0] || e == &sources[2] {
                    &[
                        "foreign-data wrapper gone: its option sslpassword",
                        "server old: its option password",
                        "user mapping srv.postgres: its option password",
                        "subscription feed: its connection string holds password",
                        "subscription old_feed: its connection string holds password",
                    ]
                } else {
                    &[
                        "foreign-data wrapper extra: its option api_token",
                        "user mapping new.postgres: its option sslpassword",
                        "subscription feed: its connection string holds password",
                    ]
                };
                for secret in secrets {
                    let line = format!("-- Not written: {secret}");
                    assert!(out.contains(&line), "{what}: {out}");
                }
            }
        }
    }
    // `adopt` writes no migration that would not build ACTUAL: it says
    // which secret it cannot write (exit 2), and writes nothing.
    let migrations = d.path().join("migrations");
    std::fs::create_dir(&migrations).unwrap();
    std::fs::write(migrations.join("V1__init.sql"), "SELECT 1;\n").unwrap();
    let shadow = common::server_url();
    let dir = migrations.to_str().unwrap();
    let (code, out, err) =
        common::run(&["adopt", &a.url, "--migrations", dir, "--shadow", &shadow]);
    assert_eq!(code, 2, "adopt: {out}{err}");
    assert_clean("adopt's output", &(out + &err));
    assert!(
        err.contains("foreign-data wrapper gone: its option sslpassword"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(&migrations).unwrap().count(), 1, "{err}");
}
