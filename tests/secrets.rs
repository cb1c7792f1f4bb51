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
