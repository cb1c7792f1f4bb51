//! A Neo4j-protocol (Bolt) database per test, for integration tests.
//!
//! `scripts/test.sh` starts ArcadeDB's Bolt server (scripts/lib/bolt.sh) and
//! exports `SCHEMADRIFT_TEST_NEO4J_URL` and `SCHEMADRIFT_TEST_ARCADEDB_HTTP`;
//! [`TestGraph::new`] makes its own database over ArcadeDB's HTTP API, so
//! tests run in parallel. With `NEO4J_URI` (and `NEO4J_USER`,
//! `NEO4J_PASSWORD`, optionally `NEO4J_DATABASE`) set, a real Neo4j is used
//! instead: one shared database that each test empties of constraints and
//! indexes first (the default lookup indexes are left alone), one test at a
//! time. The lock is per test binary; cargo runs binaries one after another.
//!
//! ArcadeDB is not Neo4j (see ../shared/TESTING.md): it has no default lookup
//! indexes, which [`TestGraph::fold_options`] accounts for.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use schemadrift::neo4j::migrations::{self, FoldOptions};

static COUNTER: AtomicUsize = AtomicUsize::new(0);
static REAL_NEO4J: Mutex<()> = Mutex::new(());

enum Mode {
    /// ArcadeDB: databases made and dropped over HTTP at this base URL.
    Arcade { http: String },
    /// A real Neo4j: one shared database.
    Neo4j,
}

pub struct Server {
    /// A Bolt URL without a database parameter (credentials in it or in the environment).
    pub url: String,
    mode: Mode,
}

pub fn server() -> Server {
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

pub fn with_database(url: &str, db: &str) -> String {
    let mut u = url::Url::parse(url).unwrap();
    u.set_query(Some(&format!("database={db}")));
    u.to_string()
}

/// A database for one test: its own on ArcadeDB, the shared one (emptied,
/// under a lock) on a real Neo4j.
pub struct TestGraph {
    /// The Bolt URL of this database (`?database=`), with credentials.
    pub url: String,
    /// The database name.
    pub name: String,
    http: Option<String>,
    _lock: Option<MutexGuard<'static, ()>>,
}

impl TestGraph {
    pub fn new(prefix: &str) -> TestGraph {
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

    pub fn is_arcade(&self) -> bool {
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
    pub fn apply_folder(&self, dir: &Path) {
        let (files, _) = migrations::discover(dir).expect("fixture folder");
        for f in files {
            self.exec(&std::fs::read_to_string(&f.path).unwrap());
        }
    }

    /// Drop every constraint and every index but the default lookup ones.
    pub fn empty(&self) {
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

pub fn graph(url: &str) -> neo4rs::Graph {
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
