//! `schemadrift check` end to end against real PostgreSQL databases: drift,
//! no drift, fleets with a target that hangs and one that refuses, shards,
//! config errors, and the report written before the exit code says 2; and
//! targets with both a PostgreSQL and a Neo4j URL against a real Neo4j
//! (tests/common/graph.rs), in one report.

mod common;

use std::path::Path;

use common::graph::TestGraph;
use common::{run, TestDb};

const SCHEMA: &str = "
CREATE SCHEMA shop;
CREATE TABLE shop.items (id bigint PRIMARY KEY, name text NOT NULL, price numeric(8,2));
CREATE INDEX items_name_idx ON shop.items (name);
ALTER TABLE shop.items ENABLE ROW LEVEL SECURITY;
";

/// A config whose expected schema is a snapshot of a fresh database built
/// from SCHEMA; `targets` are (name, url) pairs.
fn setup(dir: &Path, targets: &[(&str, &str)], extra: &str) -> TestDb {
    let pristine = TestDb::with_sql("check_expected", SCHEMA);
    let expected = dir.join("expected.json");
    let (code, _, err) = run(&["snapshot", &pristine.url, "-o", expected.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let mut toml = format!("{extra}\n[postgres]\nexpected = \"expected.json\"\n");
    for (name, url) in targets {
        toml.push_str(&format!("\n[targets.{name}]\npostgres = \"{url}\"\n"));
    }
    std::fs::write(dir.join("schemadrift.toml"), toml).unwrap();
    pristine
}

fn cfg(dir: &Path) -> String {
    dir.join("schemadrift.toml").to_str().unwrap().to_string()
}

fn with_password(url: &str, pw: &str) -> String {
    url.replacen("postgres@", &format!("postgres:{pw}@"), 1)
}

#[test]
fn clean_then_drift_then_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let prod = TestDb::with_sql("check_prod", SCHEMA);
    let url = with_password(&prod.url, "pw-SECRET-123");
    let _p = setup(dir.path(), &[("production", &url)], "");

    let (code, out, err) = run(&["check", "-c", &cfg(dir.path())]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("== production: no drift"), "{out}");

    let (code, out, _) = run(&["check", "-c", &cfg(dir.path()), "--quiet"]);
    assert_eq!(code, 0);
    assert_eq!(out, "", "a clean quiet check prints nothing");

    prod.exec(
        "CREATE INDEX items_hotfix_idx ON shop.items (price);
         ALTER TABLE shop.items ALTER COLUMN name DROP NOT NULL;
         ALTER TABLE shop.items DISABLE ROW LEVEL SECURITY;",
    );
    let (code, out, err) = run(&["check", "-c", &cfg(dir.path())]);
    assert_eq!(code, 1, "{out}{err}");
    for needle in [
        "index-unexpected",
        "shop.items.items_hotfix_idx",
        "rls-disabled",
        "shop.items.name",
    ] {
        assert!(out.contains(needle), "missing {needle} in\n{out}");
    }
    assert!(!out.contains("pw-SECRET-123") && !err.contains("pw-SECRET-123"));

    // Ignore rules from the command line apply on top of the config's.
    let (code, out, _) = run(&[
        "check",
        "-c",
        &cfg(dir.path()),
        "--format",
        "json",
        "--ignore",
        "*.*.*_hotfix_idx",
        "--ignore",
        "rls-disabled",
        "--ignore",
        "column-nullability-changed",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(code, 0, "{out}");
    assert_eq!(v["targets"][0]["status"], "clean");
    assert_eq!(v["targets"][0]["report"]["summary"]["ignored"], 3);
}

#[test]
fn json_markdown_and_junit_reports_name_each_target() {
    let dir = tempfile::tempdir().unwrap();
    let a = TestDb::with_sql("check_fmt_a", SCHEMA);
    let b = TestDb::with_sql("check_fmt_b", SCHEMA);
    b.exec("ALTER TABLE shop.items ADD COLUMN note text");
    let _p = setup(dir.path(), &[("alpha", &a.url), ("beta", &b.url)], "");

    let (code, out, _) = run(&["check", "-c", &cfg(dir.path()), "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["summary"]["targets"], 2);
    assert_eq!(v["summary"]["clean"], 1);
    assert_eq!(v["summary"]["drift"], 1);
    assert_eq!(v["targets"][0]["target"], "alpha");
    assert_eq!(v["targets"][1]["target"], "beta");
    let changes = v["targets"][1]["report"]["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["code"], "column-unexpected");
    assert_eq!(changes[0]["object"], "shop.items.note");

    let (_, md, _) = run(&["check", "-c", &cfg(dir.path()), "--format", "markdown"]);
    assert!(md.contains("| `alpha` | clean | 0 | 0 | 0 |"), "{md}");
    assert!(md.contains("| `beta` | drift |"), "{md}");
    assert!(md.contains("shop.items.note"), "{md}");

    let (_, xml, _) = run(&["check", "-c", &cfg(dir.path()), "--format", "junit"]);
    assert!(
        xml.contains(r#"<testsuite name="schemadrift alpha" tests="1" failures="0""#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<testsuite name="schemadrift beta" tests="1" failures="1""#),
        "{xml}"
    );
}

#[test]
fn fleet_with_a_hanging_and_a_refusing_target() {
    let dir = tempfile::tempdir().unwrap();
    let ok = TestDb::with_sql("check_fleet_ok", SCHEMA);
    let hang = format!(
        "postgres://postgres:pw-SECRET-123@127.0.0.1:{}/x?connect_timeout=60",
        common::silent_server()
    );
    let refused = format!(
        "postgres://postgres:pw-SECRET-123@127.0.0.1:{}/x",
        common::closed_port()
    );
    let _p = setup(
        dir.path(),
        &[("good", &ok.url), ("hangs", &hang), ("refuses", &refused)],
        "",
    );
    let report = dir.path().join("report.json");

    let started = std::time::Instant::now();
    let (code, out, err) = run(&[
        "check",
        "-c",
        &cfg(dir.path()),
        "--jobs",
        "3",
        "--timeout",
        "3s",
        "--format",
        "json",
        "-o",
        report.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}{err}");
    // The hanging target is cut off by its own timeout rather than holding
    // the run for its 60 s connect timeout.
    assert!(
        started.elapsed().as_secs() < 50,
        "took {:?}",
        started.elapsed()
    );
    assert!(err.contains("2 target(s) could not be checked"), "{err}");
    assert!(!err.contains("pw-SECRET-123"), "{err}");

    // The report was written before the failure exit, and holds every target.
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(!text.contains("pw-SECRET-123"));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let t = v["targets"].as_array().unwrap();
    assert_eq!(t.len(), 3);
    assert_eq!(
        (t[0]["target"].as_str(), t[0]["status"].as_str()),
        (Some("good"), Some("clean"))
    );
    assert_eq!(
        (t[1]["target"].as_str(), t[1]["status"].as_str()),
        (Some("hangs"), Some("failed"))
    );
    assert_eq!(
        t[1]["error"],
        "the check of target `hangs` did not finish within 3s"
    );
    assert_eq!(t[2]["status"], "failed");
    let refused_err = t[2]["error"].as_str().unwrap();
    assert!(refused_err.contains("connection refused"), "{refused_err}");
    // The summary table is for a terminal: stderr here is a pipe.
    assert!(!err.contains("duration"), "{err}");
    assert!(!err.lines().any(|l| l.starts_with("hangs")), "{err}");
}

#[test]
fn shards_split_the_fleet_without_overlap() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::with_sql("check_shard", SCHEMA);
    let names: Vec<String> = (0..12).map(|i| format!("tenant_{i:02}")).collect();
    let targets: Vec<(&str, &str)> = names
        .iter()
        .map(|n| (n.as_str(), db.url.as_str()))
        .collect();
    let _p = setup(dir.path(), &targets, "");
    let mut seen = Vec::new();
    for i in 0..3 {
        let shard = format!("{i}/3");
        let (code, out, err) = run(&[
            "check",
            "-c",
            &cfg(dir.path()),
            "--shard",
            &shard,
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let mine: Vec<String> = v["targets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["target"].as_str().unwrap().to_string())
            .collect();
        // Stable: the same shard picks the same targets on every run.
        let (_, again, _) = run(&[
            "check",
            "-c",
            &cfg(dir.path()),
            "--shard",
            &shard,
            "--format",
            "json",
        ]);
        assert_eq!(out, again);
        seen.extend(mine);
    }
    seen.sort();
    assert_eq!(seen, names, "every target in exactly one shard");
    let (code, _, err) = run(&["check", "-c", &cfg(dir.path()), "--shard", "3/3"]);
    assert_eq!(code, 2);
    assert!(err.contains("3/3"), "{err}");
}

#[test]
fn config_errors_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schemadrift.toml");
    let p = path.to_str().unwrap();

    std::fs::write(
        &path,
        "[targets.prod]\npostgres = \"postgres://x/y\"\npostgress = \"typo\"\n",
    )
    .unwrap();
    let (code, _, err) = run(&["check", "-c", p]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{p}:3: unknown field `postgress`")),
        "{err}"
    );

    std::fs::write(
        &path,
        "[targets.prod]\npostgres = \"${SD_TEST_NOT_SET_ANYWHERE}\"\n",
    )
    .unwrap();
    let (code, _, err) = run(&["check", "-c", p]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!(
            "{p}:2: environment variable SD_TEST_NOT_SET_ANYWHERE is not set"
        )),
        "{err}"
    );

    let (code, _, err) = run(&["check", "-c", "/nonexistent/schemadrift.toml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read /nonexistent/schemadrift.toml"),
        "{err}"
    );

    std::fs::write(&path, "[targets.prod]\npostgres = \"postgres://x/y\"\n").unwrap();
    let (code, _, err) = run(&["check", "-c", p, "--target", "staging"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("there is no target `staging` (targets: prod)"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one sentence: {err}");
}

#[test]
fn unreadable_expected_file_fails_every_target() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::with_sql("check_noexp", SCHEMA);
    std::fs::write(
        dir.path().join("schemadrift.toml"),
        format!(
            "[postgres]\nexpected = \"missing.json\"\n[targets.a]\npostgres = \"{}\"\n",
            db.url
        ),
    )
    .unwrap();
    let (code, out, err) = run(&["check", "-c", &cfg(dir.path())]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.contains("== a: check failed: cannot read"), "{out}");
    assert!(out.contains("missing.json"), "{out}");
}

// ------------------------------------------------------------ both engines --

/// A small graph schema, in the 5.x syntax (uniqueness only, which Neo4j
/// Community takes).
const GRAPH: &str = "
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT order_ref IF NOT EXISTS FOR (o:Order) REQUIRE o.ref IS UNIQUE;
CREATE INDEX person_city IF NOT EXISTS FOR (p:Person) ON (p.city);
";

/// The password of the Bolt URL (NEO4J_PASSWORD from scripts/test.sh).
fn bolt_password(url: &str) -> Option<String> {
    url::Url::parse(url)
        .unwrap()
        .password()
        .filter(|p| !p.is_empty())
        .map(str::to_string)
}

/// `schemadrift snapshot SRC -o dir/expected/FILE`.
fn snapshot_to(dir: &Path, src: &str, file: &str) {
    std::fs::create_dir_all(dir.join("expected")).unwrap();
    let out = dir.join("expected").join(file);
    let (code, _, err) = run(&["snapshot", src, "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "snapshot {file}: {err}");
}

/// A config with `[postgres] expected` and `[neo4j] expected` and one target
/// per (name, postgres URL, neo4j URL).
fn write_two_engine_config(dir: &Path, targets: &[(&str, &str, &str)]) {
    let mut toml = String::from(
        "[postgres]\nexpected = \"expected/postgres.json\"\n\n\
         [neo4j]\nexpected = \"expected/neo4j.json\"\n",
    );
    for (name, pg, neo) in targets {
        toml.push_str(&format!(
            "\n[targets.{name}]\npostgres = \"{pg}\"\nneo4j = \"{neo}\"\n"
        ));
    }
    std::fs::write(dir.join("schemadrift.toml"), toml).unwrap();
}

/// Expected files from `schemadrift snapshot` of pristine sources: a fresh
/// database built from SCHEMA and the graph `prod` built from GRAPH, before
/// any drift (Neo4j Community has one database).
fn snapshot_pristine(dir: &Path, prod: &TestGraph) {
    let pg = TestDb::with_sql("check_both_expected", SCHEMA);
    snapshot_to(dir, &pg.url, "postgres.json");
    snapshot_to(dir, &prod.url, "neo4j.json");
}

#[test]
fn one_target_with_postgres_and_neo4j_is_one_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::with_sql("check_both_prod", SCHEMA);
    let graph = TestGraph::new("check_both_prod");
    graph.exec(GRAPH);
    snapshot_pristine(dir.path(), &graph);
    let pg_url = with_password(&db.url, "pw-SECRET-123");
    write_two_engine_config(dir.path(), &[("prod", &pg_url, &graph.url)]);
    let secrets: Vec<String> = std::iter::once("pw-SECRET-123".to_string())
        .chain(bolt_password(&graph.url))
        .collect();
    let no_secret = |text: &str| {
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "a password leaked:\n{text}");
        }
    };

    // Clean in both engines.
    let (code, out, err) = run(&["check", "-c", &cfg(dir.path())]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("== prod: no drift"), "{out}");
    no_secret(&out);
    no_secret(&err);
    let (code, out, err) = run(&["check", "-c", &cfg(dir.path()), "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["targets"][0]["status"], "clean");
    let expected_source = v["targets"][0]["report"]["expected_source"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        expected_source.contains("postgres.json"),
        "{expected_source}"
    );
    assert!(expected_source.contains("neo4j.json"), "{expected_source}");

    // Drift in both: a column dropped in PostgreSQL, a constraint in the graph.
    db.exec("ALTER TABLE shop.items DROP COLUMN price");
    graph.exec("DROP CONSTRAINT person_id;");

    let (code, out, err) = run(&["check", "-c", &cfg(dir.path()), "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    no_secret(&out);
    no_secret(&err);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let targets = v["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 1, "one section for the target: {out}");
    let t = &targets[0];
    assert_eq!(t["target"], "prod");
    assert_eq!(t["status"], "drift");
    assert_eq!(v["summary"]["targets"], 1);
    assert_eq!(v["summary"]["drift"], 1);
    let report = &t["report"];
    let changes: Vec<(&str, &str, &str)> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap(),
                c["object"].as_str().unwrap(),
                c["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(changes.len(), 2, "{changes:#?}");
    assert!(
        changes.contains(&("column-missing", "shop.items.price", "error")),
        "{changes:#?}"
    );
    assert!(
        changes.contains(&(
            "constraint-missing",
            "neo4j:unique node :Person(id)",
            "error"
        )),
        "{changes:#?}"
    );
    assert_eq!(report["summary"]["errors"], 2, "{report}");
    // Both sources are named, the expected files and the live servers.
    assert_eq!(report["expected_source"], expected_source.as_str());
    let actual = report["actual_source"].as_str().unwrap();
    let pg_db = format!("/{}", db.name);
    let bolt_host = {
        let u = url::Url::parse(&graph.url).unwrap();
        format!("{}:{}", u.host_str().unwrap(), u.port().unwrap_or(7687))
    };
    assert!(actual.contains(&pg_db), "{actual}");
    assert!(actual.contains(&bolt_host), "{actual}");
    assert!(actual.contains(" + "), "{actual}");

    // Text: one section holding both changes.
    let (code, out, _) = run(&["check", "-c", &cfg(dir.path())]);
    assert_eq!(code, 1);
    assert_eq!(out.matches("== prod").count(), 1, "{out}");
    for needle in [
        "shop.items.price",
        "neo4j:unique node :Person(id)",
        "constraint-missing",
    ] {
        assert!(out.contains(needle), "missing {needle} in\n{out}");
    }
    no_secret(&out);

    // JUnit: one suite for the target, both changes failures in it.
    let (code, xml, _) = run(&["check", "-c", &cfg(dir.path()), "--format", "junit"]);
    assert_eq!(code, 1);
    assert_eq!(xml.matches("<testsuite ").count(), 1, "{xml}");
    assert!(
        xml.contains(r#"<testsuite name="schemadrift prod" tests="2" failures="2" errors="0""#),
        "{xml}"
    );
    assert_eq!(xml.matches("<failure ").count(), 2, "{xml}");
    assert!(
        xml.contains(r#"name="column-missing shop.items.price""#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"name="constraint-missing neo4j:unique node :Person(id)""#),
        "{xml}"
    );
    no_secret(&xml);

    // Markdown, for completeness of "the same formats".
    let (code, md, _) = run(&["check", "-c", &cfg(dir.path()), "--format", "markdown"]);
    assert_eq!(code, 1);
    assert!(md.contains("| `prod` | drift | 2 |"), "{md}");
    assert!(md.contains("neo4j:unique node :Person(id)"), "{md}");
    no_secret(&md);
}

#[test]
fn an_unreachable_bolt_server_fails_the_target_even_when_postgres_is_fine() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::with_sql("check_both_nobolt", SCHEMA);
    let graph = TestGraph::new("check_both_nobolt");
    graph.exec(GRAPH);
    snapshot_pristine(dir.path(), &graph);
    let port = common::closed_port();
    let bolt = format!("bolt://root:bolt-SECRET-456@127.0.0.1:{port}");
    let pg_url = with_password(&db.url, "pw-SECRET-123");
    write_two_engine_config(dir.path(), &[("prod", &pg_url, &bolt)]);

    let (code, out, err) = run(&[
        "check",
        "-c",
        &cfg(dir.path()),
        "--format",
        "json",
        "--timeout",
        "30s",
    ]);
    assert_eq!(code, 2, "{out}{err}");
    for text in [&out, &err] {
        assert!(!text.contains("pw-SECRET-123"), "{text}");
        assert!(!text.contains("bolt-SECRET-456"), "{text}");
    }
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let t = &v["targets"][0];
    assert_eq!(v["targets"].as_array().unwrap().len(), 1);
    assert_eq!(t["target"], "prod");
    assert_eq!(t["status"], "failed");
    assert!(t.get("report").is_none(), "{t}");
    let e = t["error"].as_str().unwrap();
    assert_eq!(e.lines().count(), 1, "one sentence: {e}");
    assert!(e.contains(&format!("bolt://root@127.0.0.1:{port}")), "{e}");
    assert!(e.contains("refused"), "{e}");
    assert!(err.contains("1 target(s) could not be checked"), "{err}");
}

#[test]
fn a_missing_neo4j_expected_file_fails_the_target_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::with_sql("check_both_noexp", SCHEMA);
    let graph = TestGraph::new("check_both_noexp");
    graph.exec(GRAPH);
    snapshot_to(dir.path(), &db.url, "postgres.json");
    std::fs::write(
        dir.path().join("schemadrift.toml"),
        format!(
            "[postgres]\nexpected = \"expected/postgres.json\"\n\n\
             [neo4j]\nexpected = \"expected/no-such-neo4j.json\"\n\n\
             [targets.prod]\npostgres = \"{}\"\nneo4j = \"{}\"\n",
            db.url, graph.url
        ),
    )
    .unwrap();

    let (code, out, err) = run(&["check", "-c", &cfg(dir.path())]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.contains("== prod: check failed: cannot read"), "{out}");
    assert!(out.contains("no-such-neo4j.json"), "{out}");

    let (code, out, err) = run(&["check", "-c", &cfg(dir.path()), "--format", "json"]);
    assert_eq!(code, 2, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let t = &v["targets"][0];
    assert_eq!(t["status"], "failed");
    let e = t["error"].as_str().unwrap();
    assert_eq!(e.lines().count(), 1, "one sentence: {e}");
    let missing = dir.path().join("expected/no-such-neo4j.json");
    assert!(e.contains(missing.to_str().unwrap()), "{e}");
    if let Some(pw) = bolt_password(&graph.url) {
        assert!(!out.contains(&pw) && !err.contains(&pw), "{out}{err}");
    }
}
