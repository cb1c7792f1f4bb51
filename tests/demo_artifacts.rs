//! The committed demo artifacts stay true: `expected/postgres.json` is what
//! `expected/migrations` produce, the example snapshots in `snapshots/`
//! differ by exactly the demo hotfix, and the demo config loads.

mod common;

use std::path::Path;

use common::repo;

#[test]
fn expected_postgres_json_is_current() {
    let (code, out, err) = common::run(&[
        "expected",
        "--migrations",
        &repo("expected/migrations"),
        "-o",
        &repo("expected"),
        "--check",
    ]);
    assert_eq!(
        code, 0,
        "expected/postgres.json is stale: run `schemadrift expected --migrations expected/migrations -o expected`\n{out}{err}"
    );
}

#[test]
fn example_snapshots_differ_by_the_demo_hotfix() {
    let (code, out, err) = common::run(&[
        "diff",
        &repo("snapshots/clinic-staging.json"),
        &repo("snapshots/clinic-production.json"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let got: Vec<(String, String)> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap().into(),
                c["object"].as_str().unwrap().into(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("column-type-changed", "app.accounts.full_name"),
        (
            "function-body-changed",
            "billing.clinic_revenue(bigint, integer)",
        ),
        ("index-unexpected", "care.patients.patients_name_hotfix_idx"),
        ("rls-disabled", "care.visits"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(got, want);
    // The staging example is the migrations' schema exactly.
    let (code, out, _) = common::run(&[
        "diff",
        &repo("expected/postgres.json"),
        &repo("snapshots/clinic-staging.json"),
    ]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn demo_config_loads() {
    let cfg =
        schemadrift::config::Config::load(Path::new(&repo("expected/schemadrift.toml"))).unwrap();
    assert_eq!(
        cfg.postgres.expected,
        Path::new(&repo("expected/postgres.json"))
    );
    assert_eq!(
        cfg.postgres.migrations.as_deref(),
        Some(Path::new(&repo("expected/migrations")))
    );
    assert!(cfg.targets.contains_key("production"));
}

#[test]
fn expected_from_the_config_file() {
    // The demo config names both the migrations and the expected file.
    let (code, _, err) = common::run(&[
        "expected",
        "-c",
        &repo("expected/schemadrift.toml"),
        "--check",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("is up to date"), "{err}");

    // A copy whose migrations gained a table: --check says stale (exit 1)
    // and names it; without --check the file is rewritten, then current.
    let dir = tempfile::tempdir().unwrap();
    let mig = dir.path().join("db");
    std::fs::create_dir(&mig).unwrap();
    std::fs::write(
        mig.join("1_init.sql"),
        "CREATE TABLE public.t (id int PRIMARY KEY);",
    )
    .unwrap();
    let cfg = dir.path().join("schemadrift.toml");
    std::fs::write(
        &cfg,
        "[postgres]\nmigrations = \"db\"\nexpected = \"out/pg.json\"\n",
    )
    .unwrap();
    let cfg = cfg.to_str().unwrap();
    let (code, _, err) = common::run(&["expected", "-c", cfg]);
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("out/pg.json").is_file());
    std::fs::write(
        mig.join("2_more.sql"),
        "CREATE TABLE public.audit (at timestamptz);",
    )
    .unwrap();
    let (code, out, err) = common::run(&["expected", "-c", cfg, "--check"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("public.audit"), "{out}");
    let (code, _, _) = common::run(&["expected", "-c", cfg]);
    assert_eq!(code, 0);
    let (code, _, err) = common::run(&["expected", "-c", cfg, "--check"]);
    assert_eq!(code, 0, "{err}");

    // A config without any migrations folder is one clear sentence.
    std::fs::write(dir.path().join("empty.toml"), "").unwrap();
    let (code, _, err) = common::run(&[
        "expected",
        "-c",
        dir.path().join("empty.toml").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("neither [postgres] nor [neo4j] names a `migrations` folder"),
        "{err}"
    );
}
