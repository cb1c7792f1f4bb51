//! The Neo4j adapter against a real Bolt server.
//!
//! `scripts/test.sh` starts ArcadeDB's Bolt server (scripts/lib/bolt.sh) and
//! exports `SCHEMADRIFT_TEST_NEO4J_URL` and `SCHEMADRIFT_TEST_ARCADEDB_HTTP`;
//! each test makes its own database over ArcadeDB's HTTP API, so tests run in
//! parallel. With `NEO4J_URI` (and `NEO4J_USER`, `NEO4J_PASSWORD`, optionally
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

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use schemadrift::diff::{diff_snapshots, Change, ChangeKind, Severity};
use schemadrift::model::{Neo4jSchema, Snapshot, FORMAT_VERSION};
use schemadrift::neo4j::migrations::{self, FoldOptions};

static COUNTER: AtomicUsize = AtomicUsize::new(0);
static REAL_NEO4J: Mutex<()> = Mutex::new(());

enum Mode {
    /// ArcadeDB: databases made and dropped over HTTP at this base URL.
    Arcade { http: String },
    /// A real Neo4j: one shared database.
    Neo4j,
}

struct Server {
    /// A Bolt URL without a database parameter (credentials in it or in the environment).
    url: String,
    mode: Mode,
}

fn server() -> Server {
    if let Ok(uri) = std::env::var("NEO4J_URI") {
        if !uri.is_empty() {
            return Server {
                url: uri,
                mode: Mode::Neo4j,
            };
        }
    }
    let url = std::env::var("SCHEMADRIFT_TEST_NEO4J_URL").unwrap_or_else(|_| {
        panic!(
            "neither NEO4J_URI nor SCHEMADRIFT_TEST_NEO4J_URL is set: run the tests through scripts/test.sh"
        )
    });
    let http = std::env::var("SCHEMADRIFT_TEST_ARCADEDB_HTTP").unwrap_or_else(|_| {
        panic!("SCHEMADRIFT_TEST_ARCADEDB_HTTP is not set: run the tests through scripts/test.sh")
    });
    let mut u = url::Url::parse(&url).expect("SCHEMADRIFT_TEST_NEO4J_URL is a URL");
    u.set_query(None);
    Server {
        url: u.to_string(),
        mode: Mode::Arcade { http },
    }
}

fn with_database(url: &str, db: &str) -> String {
    let mut u = url::Url::parse(url).unwrap();
    u.set_query(Some(&format!("database={db}")));
    u.to_string()
}

/// A database for one test: its own on ArcadeDB, the shared one (emptied,
/// under a lock) on a real Neo4j.
struct TestGraph {
    url: String,
    name: String,
    http: Option<String>,
    _lock: Option<MutexGuard<'static, ()>>,
}

impl TestGraph {
    fn new(prefix: &str) -> TestGraph {
        let s = server();
        match s.mode {
            Mode::Arcade { http } => {
                let name = format!(
                    "sdt_{prefix}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst)
                );
                let (status, body) = http_post(
                    &http,
                    &s.url,
                    "/api/v1/server",
                    &format!(r#"{{"command":"create database {name}"}}"#),
                );
                assert_eq!(status, 200, "create database {name}: {body}");
                TestGraph {
                    url: with_database(&s.url, &name),
                    name,
                    http: Some(http),
                    _lock: None,
                }
            }
            Mode::Neo4j => {
                let lock = REAL_NEO4J.lock().unwrap_or_else(|e| e.into_inner());
                let name = std::env::var("NEO4J_DATABASE").unwrap_or_else(|_| "neo4j".into());
                let g = TestGraph {
                    url: with_database(&s.url, &name),
                    name,
                    http: None,
                    _lock: Some(lock),
                };
                g.empty();
                g
            }
        }
    }

    fn is_arcade(&self) -> bool {
        self.http.is_some()
    }

    /// Fold options that match what a new database on this server has.
    fn fold_options(&self) -> FoldOptions {
        FoldOptions {
            default_lookup_indexes: !self.is_arcade(),
        }
    }

    /// Run each statement of a script (split as migrations are).
    fn exec(&self, script: &str) {
        let stmts = schemadrift::neo4j::cypher::split(script).expect("script splits");
        let texts: Vec<String> = stmts.into_iter().map(|s| s.text).collect();
        let url = self.url.clone();
        block_on(async move {
            let g = graph(&url);
            for t in texts {
                g.run(neo4rs::query(&t))
                    .await
                    .unwrap_or_else(|e| {
                        let hint = if e.to_string().contains("Enterprise") {
                            "\n(Neo4j Community refuses this constraint: use Enterprise or Aura for NEO4J_URI)"
                        } else {
                            ""
                        };
                        panic!("Cypher failed: {e}{hint}\n--- statement ---\n{t}")
                    });
            }
        });
    }

    /// Apply every migration of a fixture folder, in version order.
    fn apply_folder(&self, dir: &Path) {
        let (files, _) = migrations::discover(dir).expect("fixture folder");
        for f in files {
            self.exec(&std::fs::read_to_string(&f.path).unwrap());
        }
    }

    /// Drop every constraint and every index but the default lookup ones.
    fn empty(&self) {
        let url = self.url.clone();
        block_on(async move {
            let g = graph(&url);
            for (show, drop) in [
                ("SHOW CONSTRAINTS YIELD name RETURN name", "DROP CONSTRAINT"),
                (
                    "SHOW INDEXES YIELD name, type, owningConstraint WHERE type <> 'LOOKUP' AND owningConstraint IS NULL RETURN name",
                    "DROP INDEX",
                ),
            ] {
                let mut names = Vec::new();
                let mut rows = g.execute(neo4rs::query(show)).await.expect(show);
                while let Some(r) = rows.next().await.expect(show) {
                    names.push(r.get::<String>("name").unwrap());
                }
                for n in names {
                    let q = format!("{drop} `{}` IF EXISTS", n.replace('`', "``"));
                    g.run(neo4rs::query(&q)).await.expect(&q);
                }
            }
        });
    }
}

impl Drop for TestGraph {
    fn drop(&mut self) {
        match &self.http {
            Some(http) => {
                let s = server();
                let _ = http_post(
                    http,
                    &s.url,
                    "/api/v1/server",
                    &format!(r#"{{"command":"drop database {}"}}"#, self.name),
                );
            }
            None => {
                if !std::thread::panicking() {
                    self.empty();
                }
            }
        }
    }
}

fn graph(url: &str) -> neo4rs::Graph {
    let t = schemadrift::neo4j::parse_url(url, &Default::default()).unwrap();
    let mut cfg = neo4rs::ConfigBuilder::default()
        .uri(t.uri)
        .user(t.user)
        .password(t.password)
        .max_connections(1);
    if let Some(db) = t.database {
        cfg = cfg.db(db);
    }
    neo4rs::Graph::connect(cfg.build().unwrap()).unwrap()
}

fn block_on<F: std::future::Future + Send + 'static>(f: F) -> F::Output
where
    F::Output: Send + 'static,
{
    std::thread::spawn(move || {
        schemadrift::run::install_crypto_provider();
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    })
    .join()
    .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// A minimal HTTP/1.1 POST with basic auth from the Bolt URL's credentials.
fn http_post(base: &str, bolt_url: &str, path: &str, body: &str) -> (u16, String) {
    let b = url::Url::parse(base).unwrap();
    let creds = url::Url::parse(bolt_url).unwrap();
    let auth = base64(&format!(
        "{}:{}",
        creds.username(),
        creds.password().unwrap_or("")
    ));
    let host = format!("{}:{}", b.host_str().unwrap(), b.port().unwrap_or(80));
    let mut s = std::net::TcpStream::connect(&host).expect("ArcadeDB HTTP port");
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Basic {auth}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, resp)
}

fn base64(s: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

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

/// Run the binary; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_schemadrift"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run schemadrift");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
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
