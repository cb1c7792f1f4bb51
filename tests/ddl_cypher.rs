//! Cypher rendered from the model, proven against a real Bolt server (the
//! harness is tests/common/graph.rs: ArcadeDB, or a real Neo4j through
//! `NEO4J_URI`).
//!
//! - Round trip: the fixture's schemas (tests/fixtures/neo4j/base, and base
//!   then drift) are read from a live database, rendered as Cypher, run
//!   into an empty database and read again: the diff must be empty.
//! - Alters: the drifted database is brought back to the base by the
//!   rendered create, drop and alter statements: the diff must be empty.
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
    let url = url.to_string();
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
    let g = TestGraph::new(prefix);
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
        let target = TestGraph::new("cy_rt");
        let empty = introspect(&target.url);
        let statements = cypher::create_script(&schema, &empty);
        target.exec(&script(&statements));
        let back = introspect(&target.url);
        let changes = diff(&schema, &back);
        assert!(
            changes.is_empty(),
            "drift={drift}: {}\n--- script ---\n{}",
            serde_json::to_string_pretty(&changes).unwrap(),
            script(&statements)
        );
    }
}

#[test]
fn drift_is_undone_by_rendered_cypher() {
    let (_base, expected) = built("cy_want", false);
    let (g, actual) = built("cy_undo", true);
    let mut statements = Vec::new();
    for (id, a) in &actual.constraints {
        match expected.constraints.get(id) {
            Some(e) => statements.extend(cypher::alter_constraint(e, a).unwrap().into_statements()),
            None => statements.push(cypher::drop_constraint(a).unwrap()),
        }
    }
    for (id, a) in &actual.indexes {
        match expected.indexes.get(id) {
            Some(e) => statements.extend(cypher::alter_index(e, a).unwrap().into_statements()),
            None => statements.push(cypher::drop_index(a).unwrap()),
        }
    }
    statements.extend(cypher::create_script(&expected, &actual));
    assert!(!statements.is_empty(), "the drift changed nothing");
    g.exec(&script(&statements));
    let fixed = introspect(&g.url);
    let changes = diff(&expected, &fixed);
    assert!(
        changes.is_empty(),
        "{}\n--- statements ---\n{}",
        serde_json::to_string_pretty(&changes).unwrap(),
        script(&statements)
    );
}
