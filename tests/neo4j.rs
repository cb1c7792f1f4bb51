//! The Neo4j adapter against a real Neo4j.
//!
//! `scripts/test.sh` starts Neo4j Community from Maven Central
//! (scripts/lib/neo4j.sh: 5.26 LTS for the main run, calendar versions in its
//! matrix) and exports `NEO4J_URI`, `NEO4J_USER` and `NEO4J_PASSWORD`; the
//! harness is tests/common/graph.rs. Community has one user database, so the
//! tests take turns in it, each starting from an empty schema (the default
//! lookup indexes stay).
//!
//! The fixture (tests/fixtures/neo4j/community) has every kind Community
//! offers: uniqueness constraints and RANGE, TEXT, POINT, FULLTEXT, VECTOR and
//! LOOKUP indexes. Key, existence and property type constraints are
//! Enterprise-only: Community's refusal is tested here, their decoding in
//! src/neo4j/decode/tests.rs and their reading over Bolt in tests/arcadedb.rs.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::graph::{block_on, introspect, neo4j_url, snap, with_database, TestGraph};
use common::{closed_port, run, silent_server};
use schemadrift::diff::{diff_snapshots, Change, ChangeKind, Code, Severity};
use schemadrift::model::neo4j::EntityType;
use schemadrift::model::{Neo4jSchema, Snapshot};
use schemadrift::neo4j::migrations::{self, DEFAULT_LOOKUP_NAMES};
use schemadrift::neo4j::Rows;
use serde_json::{json, Value};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/neo4j")
        .join(name)
}

fn read_rows(url: &str) -> Rows {
    let url = url.to_string();
    block_on(async move {
        schemadrift::neo4j::read_rows(&schemadrift::redact::Dsn::new(url), &Default::default())
            .await
            .unwrap_or_else(|e| panic!("read rows: {e}"))
    })
}

/// The fixture folded as `schemadrift` folds it by default (with the two
/// default lookup indexes a new Neo4j database has).
fn expected(name: &str) -> Neo4jSchema {
    migrations::expected_from_folder(&fixture(name))
        .expect("the fixture folds")
        .0
}

fn codes(changes: &[Change]) -> Vec<(String, String, ChangeKind, Severity)> {
    changes
        .iter()
        .map(|c| {
            (
                c.code().name().into(),
                c.object().into(),
                c.kind(),
                c.severity(),
            )
        })
        .collect()
}

fn password(url: &str) -> String {
    url::Url::parse(url)
        .unwrap()
        .password()
        .expect("the test URL carries the password")
        .to_string()
}

#[test]
fn every_community_kind_is_read() {
    let g = TestGraph::new("kinds");
    g.apply_folder(&fixture("community"));
    let (code, out, err) = run(&["snapshot", &g.url]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains(&password(&g.url)), "{out}");
    let snap: Snapshot = serde_json::from_str(&out).expect("a snapshot");
    let version = snap.server_version.unwrap();
    assert!(
        version.starts_with("Neo4j ") && version.ends_with(" (community)"),
        "{version}"
    );
    // The version the launcher read in process (scripts/lib/neo4j.sh).
    if let Ok(v) = std::env::var("SD_NEO4J_VERSION") {
        assert_eq!(version, format!("Neo4j {v} (community)"));
    }
    let n = snap.neo4j.expect("a neo4j schema");

    let c: Vec<&str> = n.constraints.keys().map(String::as_str).collect();
    assert_eq!(
        c,
        [
            "unique node :Book(isbn)",
            "unique node :Person(first, last)",
            "unique relationship :OWNS(ref)",
        ]
    );
    let book = &n.constraints["unique node :Book(isbn)"];
    assert_eq!(book.name.as_deref(), Some("book_isbn"));
    assert_eq!(book.index_provider.as_deref(), Some("range-1.0"));
    let owns = &n.constraints["unique relationship :OWNS(ref)"];
    assert_eq!(owns.entity_type, EntityType::Relationship);
    assert!(
        owns.name.as_deref().unwrap().starts_with("constraint_"),
        "{:?}",
        owns.name
    );

    // Backing indexes belong to their constraints; the default lookup
    // indexes are there; every other kind is read as itself.
    let i: Vec<&str> = n.indexes.keys().map(String::as_str).collect();
    assert_eq!(
        i,
        [
            "fulltext node :Movie|Book(title, description)",
            "fulltext relationship :REVIEWED(text)",
            "lookup node",
            "lookup relationship",
            "point node :Place(area)",
            "point node :Place(location)",
            "range node :Person(city)",
            "range relationship :KNOWS(since, weight)",
            "text node :Person(name)",
            "text relationship :KNOWS(note)",
            "vector node :Movie(embedding)",
            "vector relationship :SIMILAR(embedding)",
        ]
    );
    let plots = &n.indexes["vector node :Movie(embedding)"];
    assert_eq!(plots.name.as_deref(), Some("movie_plots"));
    assert_eq!(plots.options["vector.dimensions"], json!(1536));
    assert_eq!(plots.options["vector.similarity_function"], json!("cosine"));
    let similar = &n.indexes["vector relationship :SIMILAR(embedding)"];
    assert_eq!(similar.options["vector.dimensions"], json!(3));
    assert_eq!(
        similar.options["vector.similarity_function"],
        json!("euclidean")
    );
    let titles = &n.indexes["fulltext node :Movie|Book(title, description)"];
    assert_eq!(titles.labels_or_types, ["Movie", "Book"]);
    assert_eq!(
        titles.options["fulltext.analyzer"],
        json!("standard-no-stop-words")
    );
    let reviews = &n.indexes["fulltext relationship :REVIEWED(text)"];
    assert_eq!(reviews.options["fulltext.analyzer"], json!("english"));
    assert_eq!(
        reviews.options["fulltext.eventually_consistent"],
        json!(true)
    );
    let area = &n.indexes["point node :Place(area)"];
    assert_eq!(area.options["spatial.cartesian.min"], json!([-100, -100]));
    // The server fills in every spatial setting the migration left out.
    assert_eq!(
        area.options["spatial.wgs-84.max"],
        json!([180, 90]),
        "{:?}",
        area.options
    );
    let location = &n.indexes["point node :Place(location)"];
    assert_eq!(
        location.options["spatial.cartesian.min"],
        json!([-1000000, -1000000])
    );
    for (key, index) in &n.indexes {
        let provider = index.provider.as_deref().unwrap_or_default();
        let kind = key.split(' ').next().unwrap();
        let want = match kind {
            "lookup" => "token-lookup-",
            other => other,
        };
        assert!(provider.starts_with(want), "{key}: provider {provider}");
    }
}

/// What the decoder assumes of `SHOW` output, held against the server's own
/// answers (the rows as read, before decoding).
#[test]
fn show_output_as_neo4j_gives_it() {
    let g = TestGraph::new("show");
    g.apply_folder(&fixture("community"));
    let rows = read_rows(&g.url);

    let kernel = rows
        .components
        .iter()
        .find(|r| r["name"] == json!("Neo4j Kernel"))
        .expect("CALL dbms.components() names the kernel");
    assert_eq!(kernel["edition"], json!("community"));
    assert_eq!(kernel["versions"].as_array().map(Vec::len), Some(1));

    let has = |r: &schemadrift::neo4j::Row, cols: &[&str]| cols.iter().all(|c| r.contains_key(*c));
    let mut constraint_types = BTreeSet::new();
    for r in &rows.constraints {
        assert!(
            has(
                r,
                &[
                    "id",
                    "name",
                    "type",
                    "entityType",
                    "labelsOrTypes",
                    "properties",
                    "ownedIndex",
                    "propertyType",
                    "options"
                ]
            ),
            "{r:?}"
        );
        // The backing index is named after its constraint.
        assert_eq!(r["ownedIndex"], r["name"], "{r:?}");
        constraint_types.insert(r["type"].as_str().unwrap().to_string());
    }
    // Cypher 5 names, or Cypher 25's when that is the database's language.
    let cypher5: BTreeSet<String> = ["UNIQUENESS", "RELATIONSHIP_UNIQUENESS"]
        .map(String::from)
        .into();
    let cypher25: BTreeSet<String> = [
        "NODE_PROPERTY_UNIQUENESS",
        "RELATIONSHIP_PROPERTY_UNIQUENESS",
    ]
    .map(String::from)
    .into();
    assert!(
        constraint_types == cypher5 || constraint_types == cypher25,
        "{constraint_types:?}"
    );

    let mut backing = 0;
    let mut lookups = Vec::new();
    for r in &rows.indexes {
        assert!(
            has(
                r,
                &[
                    "id",
                    "name",
                    "type",
                    "entityType",
                    "labelsOrTypes",
                    "properties",
                    "indexProvider",
                    "owningConstraint",
                    "options"
                ]
            ),
            "{r:?}"
        );
        if r["owningConstraint"].is_string() {
            assert_eq!(r["owningConstraint"], r["name"], "{r:?}");
            assert_eq!(r["type"], json!("RANGE"), "{r:?}");
            backing += 1;
        }
        if r["type"] == json!("LOOKUP") {
            assert_eq!(r["labelsOrTypes"], Value::Null, "{r:?}");
            assert_eq!(r["properties"], Value::Null, "{r:?}");
            lookups.push((
                r["name"].as_str().unwrap().to_string(),
                r["entityType"].as_str().unwrap().to_string(),
            ));
        }
        if r["type"] == json!("VECTOR") {
            let cfg = &r["options"]["indexConfig"];
            assert!(cfg["vector.dimensions"].is_number(), "{r:?}");
            assert!(cfg["vector.similarity_function"].is_string(), "{r:?}");
        }
    }
    assert_eq!(backing, 3);
    // The fold knows the default lookup indexes' names, so that a migration
    // that drops one by name folds as the server does it.
    lookups.sort();
    assert_eq!(lookups.len(), 2, "{lookups:?}");
    for (name, entity) in &lookups {
        let known = DEFAULT_LOOKUP_NAMES
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| {
                panic!("default lookup index {name} is not in DEFAULT_LOOKUP_NAMES")
            });
        assert_eq!(known.1.as_str(), entity.to_ascii_lowercase(), "{name}");
    }
}

#[test]
fn cypher_folder_matches_live_schema() {
    let g = TestGraph::new("folder");
    g.apply_folder(&fixture("community"));
    let (live, _) = introspect(&g.url);
    let changes = diff_snapshots(&snap(expected("community")), &snap(live));
    assert!(changes.is_empty(), "{:#?}", codes(&changes));
    let folder = fixture("community");
    let (code, out, err) = run(&["diff", folder.to_str().unwrap(), &g.url]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn drift_is_found() {
    let g = TestGraph::new("drift");
    g.apply_folder(&fixture("community"));
    g.apply_folder(&fixture("community-drift"));
    let (live, _) = introspect(&g.url);
    let changes = diff_snapshots(&snap(expected("community")), &snap(live));
    assert_eq!(
        codes(&changes),
        [
            (
                "index-unexpected".to_string(),
                "neo4j:range node :Person(email)".to_string(),
                ChangeKind::Unexpected,
                Severity::Warning
            ),
            (
                "constraint-missing".to_string(),
                "neo4j:unique node :Book(isbn)".to_string(),
                ChangeKind::Missing,
                Severity::Error
            ),
            (
                "index-options-changed".to_string(),
                "neo4j:vector node :Movie(embedding)".to_string(),
                ChangeKind::Changed,
                Severity::Warning
            ),
        ]
    );
    let f = changes[2].fields();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].field, "options.vector.dimensions");
    assert_eq!((&f[0].expected, &f[0].actual), (&json!(1536), &json!(768)));

    // The same through the command line, against a snapshot file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("expected.json");
    std::fs::write(&file, snap(expected("community")).to_json()).unwrap();
    let (code, out, err) = run(&["diff", "--format", "json", file.to_str().unwrap(), &g.url]);
    assert_eq!(code, 1, "{out}{err}");
    for c in [
        "constraint-missing",
        "index-unexpected",
        "index-options-changed",
    ] {
        assert!(out.contains(c), "{c}: {out}");
    }
    assert!(!out.contains(&password(&g.url)), "{out}");
}

/// The same migrations applied twice give the same snapshot, generated
/// names included, and a diff of the two is clean.
#[test]
fn identical_databases_are_clean() {
    let g = TestGraph::new("same");
    g.apply_folder(&fixture("community"));
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.json");
    let (code, _, err) = run(&["snapshot", &g.url, "-o", first.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    g.empty();
    g.apply_folder(&fixture("community"));
    let (code, out, err) = run(&["diff", first.to_str().unwrap(), &g.url]);
    assert_eq!(code, 0, "{out}{err}");
    let before: Snapshot = serde_json::from_slice(&std::fs::read(&first).unwrap()).unwrap();
    let (again, _) = introspect(&g.url);
    assert_eq!(before.neo4j.unwrap(), again);
    // A live database against itself.
    let (code, out, err) = run(&["diff", &g.url, &g.url]);
    assert_eq!(code, 0, "{out}{err}");
}

/// Key, existence and property type constraints are Enterprise-only:
/// Community refuses them, as it says here, and a migration folder that has
/// them finds them missing on Community.
#[test]
fn community_refuses_enterprise_constraints() {
    let g = TestGraph::new("refuse");
    for stmt in [
        "CREATE CONSTRAINT FOR (p:Person) REQUIRE (p.first, p.last) IS NODE KEY",
        "CREATE CONSTRAINT FOR ()-[k:KNOWS]-() REQUIRE (k.since, k.ref) IS RELATIONSHIP KEY",
        "CREATE CONSTRAINT FOR (p:Person) REQUIRE p.name IS NOT NULL",
        "CREATE CONSTRAINT FOR ()-[k:KNOWS]-() REQUIRE k.weight IS NOT NULL",
        "CREATE CONSTRAINT FOR (p:Person) REQUIRE p.age IS :: INTEGER",
    ] {
        let (code, message) = g.try_exec(stmt).expect_err(stmt);
        assert_eq!(
            code, "Neo.DatabaseError.Schema.ConstraintCreationFailed",
            "{stmt}"
        );
        assert!(
            message.contains("requires Neo4j Enterprise Edition"),
            "{stmt}: {message}"
        );
    }
    let (live, _) = introspect(&g.url);
    assert!(live.constraints.is_empty(), "{:?}", live.constraints);

    // tests/fixtures/neo4j/base has them (and one uniqueness constraint).
    g.exec("CREATE CONSTRAINT person_id FOR (p:Person) REQUIRE p.id IS UNIQUE");
    g.exec("CREATE INDEX person_city FOR (p:Person) ON (p.city)");
    g.exec("CREATE INDEX FOR (p:Person) ON (p.city, p.zip)");
    g.exec("CREATE RANGE INDEX knows_since_idx FOR ()-[k:KNOWS]-() ON (k.since)");
    let (live, _) = introspect(&g.url);
    let base = migrations::expected_from_folder(&fixture("base"))
        .unwrap()
        .0;
    let changes = diff_snapshots(&snap(base), &snap(live));
    let missing: Vec<&str> = changes
        .iter()
        .filter(|c| c.code() == Code::ConstraintMissing && c.severity() == Severity::Error)
        .map(|c| c.object())
        .collect();
    assert_eq!(
        missing,
        [
            "neo4j:exists node :Person(name)",
            "neo4j:exists relationship :KNOWS(weight)",
            "neo4j:key node :Person(first, last)",
            "neo4j:key relationship :KNOWS(since, ref)",
            "neo4j:type node :Person(age)",
        ],
        "{:#?}",
        codes(&changes)
    );
    assert_eq!(changes.len(), missing.len(), "{:#?}", codes(&changes));
}

#[test]
fn database_flag_and_url_parameter_read_the_same() {
    let g = TestGraph::new("dbflag");
    g.apply_folder(&fixture("community"));
    let (code, a, err) = run(&["snapshot", &g.url]);
    assert_eq!(code, 0, "{err}");
    let (code, b, err) = run(&["snapshot", &neo4j_url(), "--database", &g.name]);
    assert_eq!(code, 0, "{err}");
    let neo = |text: &str| serde_json::from_str::<Snapshot>(text).unwrap().neo4j;
    assert_eq!(neo(&a), neo(&b));
}

#[test]
fn connection_errors_are_one_sentence_without_password() {
    let mut bad = url::Url::parse(&neo4j_url()).unwrap();
    let _ = bad.set_password(Some("not-the-Password-42"));
    let (code, out, err) = run(&["snapshot", bad.as_str()]);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("cannot connect to Neo4j"), "{err}");
    assert!(err.contains("password was refused"), "{err}");
    assert!(!err.contains("not-the-Password-42"), "{err}");

    let port = closed_port();
    let (code, _, err) = run(&[
        "snapshot",
        &format!("bolt://neo4j:hunter2@127.0.0.1:{port}"),
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!("bolt://neo4j@127.0.0.1:{port}")),
        "{err}"
    );
    assert!(err.contains("refused"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");

    let (code, _, err) = run(&["snapshot", &with_database(&neo4j_url(), "no_such_db_here")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no database `no_such_db_here`"), "{err}");
    assert!(!err.contains(&password(&neo4j_url())), "{err}");
}

/// A host that accepts the connection and never answers the Bolt handshake
/// is given up on within the start-up bound (twice the 10 s connect
/// timeout), as PostgreSQL's start-up is, not after the read's 120 s.
#[test]
fn a_bolt_server_that_never_answers_is_given_up_on() {
    let port = silent_server();
    let url = format!("bolt://neo4j:pw-SECRET-789@127.0.0.1:{port}");
    let started = std::time::Instant::now();
    let (code, out, err) = run(&["snapshot", &url]);
    let took = started.elapsed();
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "cannot connect to Neo4j at bolt://neo4j@127.0.0.1:{port}: the server did not complete the start-up within 20 seconds"
        )),
        "{err}"
    );
    assert!(!err.contains("SECRET"), "{err}");
    assert!(took.as_secs() < 60, "took {took:?}");
}
