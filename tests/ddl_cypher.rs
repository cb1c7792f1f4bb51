//! Cypher rendered from the model, proven against a real Bolt server:
//! ArcadeDB (tests/common/graph.rs, `TestGraph::arcade`), which takes the
//! fixture's key, existence and property-type constraints that Neo4j
//! Community refuses, and gives each test databases of its own.
//!
//! - Round trip: the fixture's schemas (tests/fixtures/neo4j/base, and base
//!   then drift) are read from a live database, rendered as Cypher, run
//!   into an empty database and read again: the diff must be empty.
//! - Fix scripts (`diff --format cypher`): the drifted database is brought
//!   back to the base, and the base to the drift, by the script the
//!   command prints: the diff must be empty.
//!
//! The kinds the test server lacks (FULLTEXT, VECTOR, LOOKUP) are proven by
//! parsing the rendered text back (`src/ddl/cypher.rs` unit tests).

mod common;

use std::path::{Path, PathBuf};

use common::graph::{block_on, TestGraph};
use schemadrift::ddl::{cypher, Statement};
use schemadrift::diff::{diff_snapshots, Change};
use schemadrift::model::{Neo4jSchema, Snapshot, FORMAT_VERSION};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/neo4j")
        .join(name)
}

fn introspect(url: &str) -> Neo4jSchema {
    let url = schemadrift::redact::Dsn::new(url);
    block_on(async move {
        schemadrift::neo4j::introspect(&url, &Default::default())
            .await
            .unwrap_or_else(|e| panic!("introspect: {e}"))
            .0
    })
}

fn snap(schema: &Neo4jSchema) -> Snapshot {
    Snapshot {
        format_version: FORMAT_VERSION,
        source: "test".into(),
        server_version: None,
        taken_at: "2026-01-01T00:00:00Z".into(),
        postgres: None,
        neo4j: Some(schema.clone()),
        migrations: None,
    }
}

fn diff(e: &Neo4jSchema, a: &Neo4jSchema) -> Vec<Change> {
    diff_snapshots(&snap(e), &snap(a))
}

fn script(statements: &[Statement]) -> String {
    statements.iter().map(|s| format!("{s}\n")).collect()
}

/// The schema of a database built from the base folder, and maybe the drift.
fn built(prefix: &str, drift: bool) -> (TestGraph, Neo4jSchema) {
    let g = TestGraph::arcade(prefix);
    g.apply_folder(&fixture("base"));
    if drift {
        g.apply_folder(&fixture("drift"));
    }
    let s = introspect(&g.url);
    (g, s)
}

#[test]
fn fixture_schemas_round_trip_through_cypher() {
    for drift in [false, true] {
        let (_src, schema) = built("cy_src", drift);
        assert!(
            schema.constraints.len() >= 4 && !schema.indexes.is_empty(),
            "{schema:?}"
        );
        let target = TestGraph::arcade("cy_rt");
        let empty = introspect(&target.url);
        let statements = cypher::create_script(&schema, &empty);
        target.exec(&script(&statements));
        let back = introspect(&target.url);
        let changes = diff(&schema, &back);
        assert!(
            changes.is_empty(),
            "drift={drift}: {changes:#?}\n--- script ---\n{}",
            script(&statements)
        );
    }
}

/// `diff EXPECTED ACTUAL --format cypher`, as a user runs it.
fn fix_script(expected: &TestGraph, actual: &TestGraph) -> (i32, String) {
    let (code, out, err) = common::run(&["diff", &expected.url, &actual.url, "--format", "cypher"]);
    assert!(
        code == 0 || code == 1,
        "diff --format cypher: exit {code}: {err}"
    );
    (code, out)
}

/// The fix script of (`want`, `have`) run against `have` makes the two
/// equal, in both directions; then a new script has nothing to do.
#[test]
fn fix_scripts_converge_both_ways() {
    for back in [true, false] {
        let (want, expected) = built("cy_want", !back);
        let (have, _) = built("cy_have", back);
        let (code, script) = fix_script(&want, &have);
        assert_eq!(code, 1, "back={back}: no drift:\n{script}");
        assert!(
            script.lines().any(|l| l.starts_with("DROP ")),
            "back={back}:\n{script}"
        );
        assert!(
            script.lines().any(|l| l.starts_with("CREATE ")),
            "back={back}:\n{script}"
        );
        have.exec(&script);
        let fixed = introspect(&have.url);
        let changes = diff(&expected, &fixed);
        assert!(
            changes.is_empty(),
            "back={back}: {changes:#?}\n--- script ---\n{script}",
        );
        let (code, again) = fix_script(&want, &have);
        assert_eq!(code, 0, "{again}");
        assert!(again.contains("// Nothing to do"), "{again}");
    }
}
