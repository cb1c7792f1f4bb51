//! The Neo4j adapter against a real Bolt server.
//!
//! `scripts/test.sh` starts ArcadeDB's Bolt server (scripts/lib/bolt.sh) and
//! exports `SCHEMADRIFT_TEST_NEO4J_URL` and `SCHEMADRIFT_TEST_ARCADEDB_HTTP`;
//! each test makes its own database over ArcadeDB's HTTP API (the harness is
//! tests/common/graph.rs), so tests run in parallel. With `NEO4J_URI` (and `NEO4J_USER`, `NEO4J_PASSWORD`, optionally
//! `NEO4J_DATABASE`) set, the same tests run against that real Neo4j instead,
//! one at a time in one database that each test empties of constraints and
//! indexes first (the default lookup indexes are left alone).
//!
//! ArcadeDB is not Neo4j (see ../shared/TESTING.md): it has no default lookup
//! indexes, so against it the expected schema is folded without them.
//!
//! The fixture (tests/fixtures/neo4j/base) has key, existence and property
//! type constraints, which Neo4j Community refuses: a real Neo4j for these
//! tests must be Enterprise (or Aura), and the fixture is applied with the
//! 5.x syntax only, since ArcadeDB does not accept the 4.4 forms (those are
//! covered by the parser's unit tests).

mod common;

use std::path::{Path, PathBuf};

use common::graph::{block_on, server, with_database, TestGraph};
use common::run;
use schemadrift::diff::{diff_snapshots, Change, ChangeKind, Severity};
use schemadrift::model::{Neo4jSchema, Snapshot, FORMAT_VERSION};
use schemadrift::neo4j::migrations;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/neo4j")
        .join(name)
}

fn introspect(url: &str) -> (Neo4jSchema, String) {
    let url = url.to_string();
    block_on(async move {
        schemadrift::neo4j::introspect(&url, &Default::default())
            .await
            .unwrap_or_else(|e| panic!("introspect: {e}"))
    })
}

fn snap(schema: Neo4jSchema) -> Snapshot {
    Snapshot {
        format_version: FORMAT_VERSION,
        source: "test".into(),
        server_version: None,
        taken_at: "2026-01-01T00:00:00Z".into(),
        postgres: None,
        neo4j: Some(schema),
    }
}

fn expected_base(g: &TestGraph) -> Neo4jSchema {
    migrations::expected_from_folder_with(&fixture("base"), &g.fold_options())
        .expect("the base fixture folds")
        .0
}

fn codes(changes: &[Change]) -> Vec<(String, String, ChangeKind)> {
    changes
        .iter()
        .map(|c| (c.code.clone(), c.object.clone(), c.kind))
        .collect()
}

#[test]
fn snapshot_reads_constraints_and_indexes() {
    let g = TestGraph::new("snapshot");
    g.apply_folder(&fixture("base"));
    let (code, out, err) = run(&["snapshot", &g.url]);
    assert_eq!(code, 0, "{err}");
    // The same database named by --database instead of ?database=.
    let (code, out2, err) = run(&["snapshot", &server().url, "--database", &g.name]);
    assert_eq!(code, 0, "{err}");
    let neo = |text: &str| serde_json::from_str::<Snapshot>(text).unwrap().neo4j;
    assert_eq!(neo(&out), neo(&out2));
    let snap: Snapshot = serde_json::from_str(&out).expect("a snapshot");
    assert!(
        snap.server_version.as_deref().unwrap().starts_with("Neo4j"),
        "{:?}",
        snap.server_version
    );
    assert!(snap.postgres.is_none());
    let n = snap.neo4j.expect("a neo4j schema");
    let c: Vec<&str> = n.constraints.keys().map(String::as_str).collect();
    assert_eq!(
        c,
        [
            "exists node :Person(name)",
            "exists relationship :KNOWS(weight)",
            "key node :Person(first, last)",
            "key relationship :KNOWS(since, ref)",
            "type node :Person(age)",
            "unique node :Person(id)",
        ]
    );
    assert_eq!(
        n.constraints["unique node :Person(id)"].name.as_deref(),
        Some("person_id")
    );
    assert_eq!(
        n.constraints["type node :Person(age)"]
            .property_type
            .as_deref(),
        Some("INTEGER")
    );
    // Backing indexes belong to their constraints.
    let i: Vec<&str> = n
        .indexes
        .keys()
        .map(String::as_str)
        .filter(|k| !k.starts_with("lookup"))
        .collect();
    assert_eq!(
        i,
        [
            "range node :Person(city)",
            "range node :Person(city, zip)",
            "range relationship :KNOWS(since)",
        ]
    );
    // The password never reaches the file.
    let pw = url::Url::parse(&g.url)
        .unwrap()
        .password()
        .map(str::to_string);
    if let Some(pw) = pw {
        assert!(!out.contains(&format!(":{pw}@")), "{out}");
    }
}

#[test]
fn fixture_folder_matches_live_schema() {
    let g = TestGraph::new("match");
    g.apply_folder(&fixture("base"));
    let (live, _) = introspect(&g.url);
    let expected = expected_base(&g);
    let changes = diff_snapshots(&snap(expected), &snap(live));
    assert!(changes.is_empty(), "{:#?}", codes(&changes));
}

#[test]
fn drift_is_found() {
    let g = TestGraph::new("drift");
    g.apply_folder(&fixture("base"));
    g.apply_folder(&fixture("drift"));
    let (live, _) = introspect(&g.url);
    let changes = diff_snapshots(&snap(expected_base(&g)), &snap(live));
    assert_eq!(
        codes(&changes),
        [
            (
                "index-unexpected".to_string(),
                "neo4j:range node :Person(email)".to_string(),
                ChangeKind::Unexpected
            ),
            (
                "constraint-missing".to_string(),
                "neo4j:unique node :Person(id)".to_string(),
                ChangeKind::Missing
            ),
        ]
    );
    assert_eq!(changes[0].severity, Severity::Warning);
    assert_eq!(changes[1].severity, Severity::Error);
}

#[test]
fn cli_diff_exit_codes() {
    let g = TestGraph::new("cli");
    g.apply_folder(&fixture("base"));
    let dir = tempfile::tempdir().unwrap();
    let expected = dir.path().join("neo4j.json");
    std::fs::write(&expected, snap(expected_base(&g)).to_json()).unwrap();
    let e = expected.to_str().unwrap();
    let (code, out, err) = run(&["diff", e, &g.url]);
    assert_eq!(code, 0, "{out}{err}");
    g.apply_folder(&fixture("drift"));
    let (code, out, err) = run(&["diff", e, &g.url]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("unique node :Person(id)"), "{out}");
    let (code, out, _) = run(&["diff", "--format", "json", e, &g.url]);
    assert_eq!(code, 1);
    assert!(out.contains("constraint-missing"), "{out}");
}

#[test]
fn identical_databases_are_clean() {
    let a = TestGraph::new("same_a");
    a.apply_folder(&fixture("base"));
    // A real Neo4j gives us one database: compare it with itself.
    let b_url;
    let _b;
    if a.is_arcade() {
        let b = TestGraph::new("same_b");
        b.apply_folder(&fixture("base"));
        b_url = b.url.clone();
        _b = Some(b);
    } else {
        b_url = a.url.clone();
        _b = None;
    }
    let (code, out, err) = run(&["diff", &a.url, &b_url]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn connection_errors_are_one_sentence_without_password() {
    let s = server();
    let mut bad = url::Url::parse(&s.url).unwrap();
    let _ = bad.set_username("root");
    let _ = bad.set_password(Some("not-the-Password-42"));
    let (code, out, err) = run(&["snapshot", bad.as_str()]);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("cannot connect to Neo4j"), "{err}");
    assert!(err.contains("password was refused"), "{err}");
    assert!(!err.contains("not-the-Password-42"), "{err}");

    // Nothing listens on a port we just had and closed.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (code, _, err) = run(&["snapshot", &format!("bolt://root:hunter2@127.0.0.1:{port}")]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!("bolt://root@127.0.0.1:{port}")),
        "{err}"
    );
    assert!(err.contains("refused"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");

    let (code, _, err) = run(&["snapshot", &with_database(&s.url, "no_such_db_here")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no database `no_such_db_here`"), "{err}");
}

#[test]
fn cli_diff_against_a_cypher_folder() {
    let g = TestGraph::new("folder");
    g.apply_folder(&fixture("base"));
    let folder = fixture("base");
    let mut args = vec!["diff".to_string()];
    if g.is_arcade() {
        // ArcadeDB has no default lookup indexes (a new Neo4j has two).
        args.push("--ignore".into());
        args.push("object:neo4j:lookup *".into());
    }
    args.push(folder.to_str().unwrap().into());
    args.push(g.url.clone());
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(&a);
    assert_eq!(code, 0, "{out}{err}");
    g.apply_folder(&fixture("drift"));
    let (code, out, err) = run(&a);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("constraint-missing"), "{out}");
    assert!(out.contains("neo4j:range node :Person(email)"), "{out}");
}
