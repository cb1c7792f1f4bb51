//! A Neo4j database per test, for integration tests.
//!
//! [`TestGraph::new`] is a real Neo4j: `scripts/test.sh` starts Neo4j
//! Community (scripts/lib/neo4j.sh) and exports `NEO4J_URI`, `NEO4J_USER`
//! and `NEO4J_PASSWORD` (optionally `NEO4J_DATABASE`); any other Neo4j named
//! that way will do. Community has one user database, so tests share it:
//! each takes a lock (per test binary; cargo runs binaries one after
//! another), empties the database of constraints and indexes (the default
//! lookup indexes stay) and empties it again when it is done.
//!
//! [`TestGraph::arcade`] is a database of its own on ArcadeDB's Bolt server
//! (scripts/lib/bolt.sh exports `SCHEMADRIFT_TEST_ARCADEDB_URL` and
//! `SCHEMADRIFT_TEST_ARCADEDB_HTTP`), made over its HTTP API, so those tests
//! run in parallel. ArcadeDB is another implementation of Bolt that accepts
//! the constraints Community refuses; it is not Neo4j (../shared/TESTING.md):
//! it has no default lookup indexes, which [`TestGraph::fold_options`]
//! accounts for.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use schemadrift::model::{Neo4jSchema, Snapshot, FORMAT_VERSION};
use schemadrift::neo4j::migrations::{self, FoldOptions};

static COUNTER: AtomicUsize = AtomicUsize::new(0);
static REAL_NEO4J: Mutex<()> = Mutex::new(());

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The real Neo4j's Bolt URL, with the user and password in it and no
/// database parameter. Panics when unset: a test that passes without a
/// server proves nothing.
pub fn neo4j_url() -> String {
    let uri = env("NEO4J_URI").unwrap_or_else(|| {
        panic!("NEO4J_URI is not set: run the tests through scripts/test.sh (it starts a Neo4j)")
    });
    let mut u = url::Url::parse(&uri).expect("NEO4J_URI is a URL");
    if u.username().is_empty() {
        let _ = u.set_username(&env("NEO4J_USER").unwrap_or_else(|| "neo4j".into()));
    }
    if u.password().is_none() {
        let _ = u.set_password(env("NEO4J_PASSWORD").as_deref());
    }
    u.set_query(None);
    u.to_string()
}

/// ArcadeDB's Bolt URL (no database parameter) and its HTTP base URL.
pub fn arcade_urls() -> (String, String) {
    let url = env("SCHEMADRIFT_TEST_ARCADEDB_URL").unwrap_or_else(|| {
        panic!("SCHEMADRIFT_TEST_ARCADEDB_URL is not set: run the tests through scripts/test.sh")
    });
    let http = env("SCHEMADRIFT_TEST_ARCADEDB_HTTP").unwrap_or_else(|| {
        panic!("SCHEMADRIFT_TEST_ARCADEDB_HTTP is not set: run the tests through scripts/test.sh")
    });
    let mut u = url::Url::parse(&url).expect("SCHEMADRIFT_TEST_ARCADEDB_URL is a URL");
    u.set_query(None);
    (u.to_string(), http)
}

pub fn with_database(url: &str, db: &str) -> String {
    let mut u = url::Url::parse(url).unwrap();
    u.set_query(Some(&format!("database={db}")));
    u.to_string()
}

/// A database for one test: the real Neo4j's (emptied, under a lock), or one
/// of its own on ArcadeDB.
pub struct TestGraph {
    /// The Bolt URL of this database (`?database=`), with credentials.
    pub url: String,
    /// The database name.
    pub name: String,
    /// ArcadeDB's HTTP base URL; `None` on Neo4j.
    http: Option<String>,
    _lock: Option<MutexGuard<'static, ()>>,
}

impl TestGraph {
    /// The real Neo4j's database, empty but for the default lookup indexes.
    pub fn new(_prefix: &str) -> TestGraph {
        let lock = REAL_NEO4J.lock().unwrap_or_else(|e| e.into_inner());
        let name = env("NEO4J_DATABASE").unwrap_or_else(|| "neo4j".into());
        let g = TestGraph {
            url: with_database(&neo4j_url(), &name),
            name,
            http: None,
            _lock: Some(lock),
        };
        g.empty();
        g
    }

    /// A new database of its own on ArcadeDB.
    pub fn arcade(prefix: &str) -> TestGraph {
        let (url, http) = arcade_urls();
        let name = format!(
            "sdt_{prefix}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let (status, body) = http_post(
            &http,
            &url,
            "/api/v1/server",
            &format!(r#"{{"command":"create database {name}"}}"#),
        );
        assert_eq!(status, 200, "create database {name}: {body}");
        TestGraph {
            url: with_database(&url, &name),
            name,
            http: Some(http),
            _lock: None,
        }
    }

    fn is_arcade(&self) -> bool {
        self.http.is_some()
    }

    /// Fold options that match what a new database on this server has.
    pub fn fold_options(&self) -> FoldOptions {
        FoldOptions {
            default_lookup_indexes: !self.is_arcade(),
        }
    }

    /// Run each statement of a script (split as migrations are).
    pub fn exec(&self, script: &str) {
        let stmts = schemadrift::neo4j::cypher::split(script).expect("script splits");
        for s in stmts {
            if let Err((code, message)) = self.try_exec(&s.text) {
                let hint = if message.contains("Enterprise") {
                    "\n(Neo4j Community refuses this constraint: tests of Enterprise-only kinds run on ArcadeDB)"
                } else {
                    ""
                };
                panic!(
                    "Cypher failed: {code}: {message}{hint}\n--- statement ---\n{}",
                    s.text
                )
            }
        }
    }

    /// Run one statement; on failure, the server's code and message.
    pub fn try_exec(&self, statement: &str) -> Result<(), (String, String)> {
        let url = self.url.clone();
        let statement = statement.to_string();
        block_on(async move {
            graph(&url)
                .run(neo4rs::query(&statement))
                .await
                .map_err(|e| match e {
                    neo4rs::Error::Neo4j(n) => (n.code().to_string(), n.message().to_string()),
                    other => ("driver".to_string(), other.to_string()),
                })
        })
    }

    /// Apply every migration of a fixture folder, in version order.
    pub fn apply_folder(&self, dir: &Path) {
        let (files, _) = migrations::discover(dir).expect("fixture folder");
        for f in files {
            self.exec(&std::fs::read_to_string(&f.path).unwrap());
        }
    }

    /// Delete every node, and drop every constraint and every index but the
    /// default lookup ones.
    pub fn empty(&self) {
        let url = self.url.clone();
        block_on(async move {
            let g = graph(&url);
            g.run(neo4rs::query("MATCH (n) DETACH DELETE n"))
                .await
                .expect("delete every node");
            for (show, drop) in [
                ("SHOW CONSTRAINTS YIELD name RETURN name", "DROP CONSTRAINT"),
                (
                    "SHOW INDEXES YIELD name, type, owningConstraint WHERE type <> 'LOOKUP' AND owningConstraint IS NULL RETURN name",
                    "DROP INDEX",
                ),
            ] {
                let mut names = Vec::new();
                // The stream holds the pool's one connection until dropped.
                {
                    let mut rows = g.execute(neo4rs::query(show)).await.expect(show);
                    while let Some(r) = rows.next().await.expect(show) {
                        names.push(r.get::<String>("name").unwrap());
                    }
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
                let _ = http_post(
                    http,
                    &self.url,
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

/// The schema at `url` as the library reads it, and the server's version.
pub fn introspect(url: &str) -> (Neo4jSchema, String) {
    let url = schemadrift::redact::Dsn::new(url);
    block_on(async move {
        schemadrift::neo4j::introspect(&url, &Default::default())
            .await
            .unwrap_or_else(|e| panic!("introspect: {e}"))
    })
}

/// A snapshot of `schema`, for the differ.
pub fn snap(schema: Neo4jSchema) -> Snapshot {
    Snapshot {
        format_version: FORMAT_VERSION,
        source: "test".into(),
        server_version: None,
        taken_at: "2026-01-01T00:00:00Z".into(),
        postgres: None,
        neo4j: Some(schema),
        migrations: None,
    }
}

pub fn graph(url: &str) -> neo4rs::Graph {
    let t = schemadrift::neo4j::parse_url(&schemadrift::redact::Dsn::new(url), &Default::default())
        .unwrap();
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

pub fn block_on<F: std::future::Future + Send + 'static>(f: F) -> F::Output
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
pub fn http_post(base: &str, bolt_url: &str, path: &str, body: &str) -> (u16, String) {
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
