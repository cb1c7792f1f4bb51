//! The Neo4j adapter against ArcadeDB, a second implementation of Bolt.
//!
//! Real Neo4j is tested in tests/neo4j.rs. ArcadeDB stays for what Neo4j
//! Community cannot give: it accepts node and relationship key, existence and
//! property type constraints (Enterprise-only in Neo4j) and reports them in
//! `SHOW CONSTRAINTS` as Neo4j 5 does, so their reading over Bolt is tested
//! live here; and it is a Bolt server that is not Neo4j (other backing index
//! names, no default lookup indexes, `options` empty), which keeps the
//! adapter from leaning on one implementation's accidents.
//!
//! `scripts/test.sh` starts it (scripts/lib/bolt.sh) and exports
//! `SCHEMADRIFT_TEST_ARCADEDB_URL` and `SCHEMADRIFT_TEST_ARCADEDB_HTTP`; each
//! test makes its own database (tests/common/graph.rs), so they run in
//! parallel. The fixture (tests/fixtures/neo4j/base) is in the 5.x syntax,
//! which ArcadeDB accepts.

mod common;

use std::path::{Path, PathBuf};

use common::graph::{introspect, snap, TestGraph};
use common::run;
use schemadrift::diff::{diff_snapshots, Change, ChangeKind, Severity};
use schemadrift::model::{Neo4jSchema, Snapshot};
use schemadrift::neo4j::migrations;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/neo4j")
        .join(name)
}

/// The base fixture folded as ArcadeDB starts a database: no lookup indexes.
fn expected_base(g: &TestGraph) -> Neo4jSchema {
    migrations::expected_from_folder_with(&fixture("base"), &g.fold_options())
        .expect("the base fixture folds")
        .0
}

fn codes(changes: &[Change]) -> Vec<(String, String, ChangeKind)> {
    changes
        .iter()
        .map(|c| (c.code().name().into(), c.object().into(), c.kind()))
        .collect()
}

#[test]
fn enterprise_kinds_are_read_over_bolt() {
    let g = TestGraph::arcade("kinds");
    g.apply_folder(&fixture("base"));
    let (code, out, err) = run(&["snapshot", &g.url]);
    assert_eq!(code, 0, "{err}");
    let snap: Snapshot = serde_json::from_str(&out).expect("a snapshot");
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
    // Backing indexes (ArcadeDB names them `Person[id]`) belong to their
    // constraints.
    let i: Vec<&str> = n.indexes.keys().map(String::as_str).collect();
    assert_eq!(
        i,
        [
            "range node :Person(city)",
            "range node :Person(city, zip)",
            "range relationship :KNOWS(since)",
        ]
    );
    let pw = url::Url::parse(&g.url)
        .unwrap()
        .password()
        .unwrap()
        .to_string();
    assert!(!out.contains(&format!(":{pw}@")), "{out}");
}

#[test]
fn fixture_folder_matches_live_schema_and_drift_is_found() {
    let g = TestGraph::arcade("drift");
    g.apply_folder(&fixture("base"));
    let changes = diff_snapshots(&snap(expected_base(&g)), &snap(introspect(&g.url).0));
    assert!(changes.is_empty(), "{:#?}", codes(&changes));

    g.apply_folder(&fixture("drift"));
    let changes = diff_snapshots(&snap(expected_base(&g)), &snap(introspect(&g.url).0));
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
    assert_eq!(changes[0].severity(), Severity::Warning);
    assert_eq!(changes[1].severity(), Severity::Error);

    // The command line, against the folder: ArcadeDB has no default lookup
    // indexes, which a folded folder expects.
    let folder = fixture("base");
    let (code, out, err) = run(&[
        "diff",
        "--ignore",
        "object:neo4j:lookup *",
        folder.to_str().unwrap(),
        &g.url,
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("constraint-missing"), "{out}");
}

#[test]
fn two_databases_with_the_same_schema_are_clean() {
    let a = TestGraph::arcade("same_a");
    a.apply_folder(&fixture("base"));
    let b = TestGraph::arcade("same_b");
    b.apply_folder(&fixture("base"));
    let (code, out, err) = run(&["diff", &a.url, &b.url]);
    assert_eq!(code, 0, "{out}{err}");
}
