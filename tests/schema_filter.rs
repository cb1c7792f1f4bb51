//! Schema filters against a real PostgreSQL, snapshot files and the shadow:
//! globs in `--schema`, `--exclude-schema` and the config's `schemas`, and a
//! filter that names no schema on either side is exit 2 naming it, never a
//! silent "no drift".

mod common;

use common::{run, TestDb};

const SQL: &str = "
CREATE SCHEMA app_billing;
CREATE TABLE app_billing.invoices (id int PRIMARY KEY);
CREATE SCHEMA app_care;
CREATE TABLE app_care.patients (id int PRIMARY KEY, name text);
CREATE SCHEMA scratch;
CREATE TABLE scratch.notes (body text);
";

fn schemas(snapshot_json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(snapshot_json).unwrap();
    v["postgres"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

fn bad(args: &[&str], needles: &[&str]) {
    let (code, out, err) = run(args);
    assert_eq!(code, 2, "{args:?}: {out}{err}");
    assert_eq!(out, "", "{args:?}");
    assert_eq!(err.lines().count(), 1, "{err}");
    for n in needles {
        assert!(err.contains(n), "`{n}` not in: {err}");
    }
}

#[test]
fn live_globs_select_and_a_filter_that_names_nothing_is_an_error() {
    let db = TestDb::with_sql("filter_live", SQL);
    let (code, out, err) = run(&["snapshot", &db.url, "--schema", "app_*"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(schemas(&out), ["app_billing", "app_care"]);
    let (code, out, err) = run(&[
        "snapshot",
        &db.url,
        "--exclude-schema",
        "app_*",
        "--exclude-schema",
        "pub?ic",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(schemas(&out), ["scratch"]);
    let (code, out, _) = run(&[
        "snapshot",
        &db.url,
        "--schema",
        "app_*",
        "--exclude-schema",
        "*care",
    ]);
    assert_eq!(code, 0);
    assert_eq!(schemas(&out), ["app_billing"]);
    bad(
        &["snapshot", &db.url, "--schema", "App_care"],
        &[
            "--schema `App_care` names no schema",
            "did you mean `app_care`?",
        ],
    );
    bad(
        &[
            "snapshot", &db.url, "--schema", "app_care", "--schema", "typo",
        ],
        &["--schema `typo`", "app_billing, app_care, public, scratch"],
    );
    bad(
        &["snapshot", &db.url, "--exclude-schema", "scratc"],
        &["--exclude-schema `scratc`"],
    );
}

#[test]
fn diff_counts_a_schema_on_either_side() {
    let a = TestDb::with_sql("filter_diff_a", SQL);
    let b = TestDb::with_sql("filter_diff_b", "CREATE SCHEMA other;");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.json");
    let (code, _, err) = run(&["snapshot", &b.url, "-o", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let file = file.to_str().unwrap();
    // `app_care` exists on one side only: it is compared (and found missing).
    for (expected, actual) in [(a.url.as_str(), file), (file, a.url.as_str())] {
        let (code, out, err) = run(&[
            "diff", expected, actual, "--schema", "app_c*", "--format", "json",
        ]);
        assert_eq!(code, 1, "{out}{err}");
        assert!(out.contains("\"app_care\""), "{out}");
    }
    // A name on neither side: live against file, both orders, and two lives.
    bad(
        &["diff", &a.url, file, "--schema", "nowhere"],
        &["--schema `nowhere` names no schema in either source"],
    );
    bad(
        &["diff", file, &a.url, "--exclude-schema", "App_*"],
        &["--exclude-schema `App_*`", "did you mean `app_billing`?"],
    );
    bad(
        &["diff", &a.url, &b.url, "--schema", "nowhere"],
        &["--schema `nowhere`"],
    );
}

#[test]
fn check_fails_the_target_whose_config_filter_names_nothing() {
    let db = TestDb::with_sql("filter_check", SQL);
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&[
        "snapshot",
        &db.url,
        "-o",
        dir.path().join("expected.json").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let cfg = dir.path().join("schemadrift.toml");
    let write = |schemas: &str| {
        std::fs::write(
            &cfg,
            format!(
                "schemas = {schemas}\n[postgres]\nexpected = \"expected.json\"\n[targets.prod]\npostgres = \"{}\"\n",
                db.url
            ),
        )
        .unwrap();
    };
    write("[\"app_*\"]");
    let (code, out, err) = run(&["check", "-c", cfg.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    db.exec("CREATE TABLE app_care.visits (id int)");
    let (code, out, _) = run(&["check", "-c", cfg.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("app_care.visits"), "{out}");
    write("[\"App\"]");
    let (code, out, err) = run(&["check", "-c", cfg.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        out.contains("== prod: check failed: schemas `App` names no schema in the expected schema or the live database"),
        "{out}"
    );
}

#[test]
fn expected_with_a_filter_that_names_nothing_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mig = dir.path().join("migrations");
    std::fs::create_dir(&mig).unwrap();
    std::fs::write(mig.join("1_init.sql"), SQL).unwrap();
    let out = dir.path().join("expected");
    let args = |filter: &'static str| {
        vec![
            "expected".to_string(),
            "--migrations".into(),
            mig.display().to_string(),
            "-o".into(),
            out.display().to_string(),
            "--shadow".into(),
            common::server_url(),
            "--schema".into(),
            filter.into(),
        ]
    };
    let a = args("app_*");
    let (code, _, err) = run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{err}");
    let built = std::fs::read_to_string(out.join("postgres.json")).unwrap();
    assert_eq!(schemas(&built), ["app_billing", "app_care"]);
    let a = args("apps");
    bad(
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
        &["--schema `apps` names no schema in the schema the migrations build"],
    );
}

/// Publications belong to the database: read only when no schema is chosen
/// by name, and listing only the tables of the schemas compared, from a
/// live database and from a snapshot file alike.
#[test]
fn publications_follow_the_schema_filters() {
    let db = TestDb::with_sql(
        "filter_publications",
        &format!(
            "{SQL}CREATE PUBLICATION feed FOR TABLE app_care.patients, scratch.notes;\n\
             CREATE PUBLICATION extra FOR TABLE scratch.notes;"
        ),
    );
    let publications = |json: &str| -> serde_json::Value {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        v["postgres"]["publications"].clone()
    };
    let (code, all, err) = run(&["snapshot", &db.url]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        publications(&all)["feed"]["tables"],
        serde_json::json!({"app_care.patients": {}, "scratch.notes": {}})
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("all.json");
    std::fs::write(&file, &all).unwrap();
    let file = file.to_str().unwrap();
    for source in [db.url.as_str(), file] {
        let (code, out, err) = run(&["snapshot", source, "--exclude-schema", "scratch"]);
        assert_eq!(code, 0, "{err}");
        let p = publications(&out);
        assert_eq!(
            p["feed"]["tables"],
            serde_json::json!({"app_care.patients": {}}),
            "{source}"
        );
        assert_eq!(p["extra"]["publish"].as_array().unwrap().len(), 4);
        assert!(p["extra"].get("tables").is_none(), "{source}: {p}");
        let (code, out, err) = run(&["snapshot", source, "--schema", "app_*"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(publications(&out), serde_json::Value::Null, "{source}");
    }
}
