//! Shared helpers for integration tests against a real PostgreSQL server.
//!
//! `scripts/test.sh` starts (or finds) a server and exports
//! `SCHEMADRIFT_TEST_PG_URL`, a superuser URL such as
//! `postgres://postgres@127.0.0.1:54329/postgres`. Each test makes its own
//! uniquely named database, so tests run in parallel.
#![allow(dead_code)]
pub mod checkers;
pub mod fixtures;
pub mod graph;
pub mod tools;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The superuser URL of the test server. Panics with a clear message when
/// unset: a server test that silently passes without a server proves nothing.
pub fn server_url() -> String {
    std::env::var("SCHEMADRIFT_TEST_PG_URL")
        .expect("SCHEMADRIFT_TEST_PG_URL is not set: run the tests through scripts/test.sh")
}

/// The URL of `db` on the test server.
pub fn url_for(db: &str) -> String {
    let base = url::Url::parse(&server_url()).expect("SCHEMADRIFT_TEST_PG_URL is a URL");
    let mut u = base.clone();
    u.set_path(&format!("/{db}"));
    u.to_string()
}

/// Run SQL (possibly many statements) on the database at `url`, panicking
/// with PostgreSQL's message on failure.
pub fn exec(url: &str, sql: &str) {
    let url = url.to_string();
    let sql = sql.to_string();
    block_on(async move {
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap_or_else(|e| panic!("connect to {url}: {e}"));
        let h = tokio::spawn(conn);
        client
            .batch_execute(&sql)
            .await
            .unwrap_or_else(|e| panic!("SQL failed: {}\n--- SQL ---\n{sql}", db_error(&e)));
        drop(client);
        let _ = h.await;
    })
}

/// Like `exec` but returns the error text instead of panicking.
pub fn try_exec(url: &str, sql: &str) -> Result<(), String> {
    let url = url.to_string();
    let sql = sql.to_string();
    block_on(async move {
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .map_err(|e| e.to_string())?;
        let h = tokio::spawn(conn);
        let r = client.batch_execute(&sql).await.map_err(|e| db_error(&e));
        drop(client);
        let _ = h.await;
        r
    })
}

/// The security label provider of the tests (tests/label_provider), which
/// `scripts/test.sh` preloads on every cluster it starts.
pub const LABEL_PROVIDER: &str = "schemadrift_test";

/// Whether the server at `url` has [`LABEL_PROVIDER`] loaded: PostgreSQL
/// keeps labels only for a provider a loaded module registered.
pub fn has_label_provider(url: &str) -> bool {
    static KNOWN: std::sync::Mutex<Vec<(String, bool)>> = std::sync::Mutex::new(Vec::new());
    if let Some((_, has)) = KNOWN.lock().unwrap().iter().find(|(u, _)| u == url) {
        return *has;
    }
    let has = try_exec(
        url,
        &format!("BEGIN; SECURITY LABEL FOR {LABEL_PROVIDER} ON SCHEMA public IS NULL; ROLLBACK"),
    )
    .is_ok();
    KNOWN.lock().unwrap().push((url.to_string(), has));
    has
}

/// Whether `what`, which needs security labels, can run: the provider is
/// loaded on the test server (and on the reference server of a
/// cross-version run). On a cluster `scripts/test.sh` started, which it says
/// with `SCHEMADRIFT_TEST_PG_LABELS=1`, its absence is a failure; on a
/// server the run did not start (the main run's on 127.0.0.1:5432, the
/// reference of a matrix run there), `what` is skipped, loudly.
pub fn label_provider_or_skip(what: &str) -> bool {
    let ours = server_url();
    let reference = std::env::var("SCHEMADRIFT_TEST_PG_REFERENCE_URL").ok();
    let has_ours = has_label_provider(&ours);
    assert!(
        has_ours || std::env::var("SCHEMADRIFT_TEST_PG_LABELS").as_deref() != Ok("1"),
        "the security label provider `{LABEL_PROVIDER}` is not loaded on {ours}, though \
         scripts/test.sh preloads it on the clusters it starts (SCHEMADRIFT_TEST_PG_LABELS=1): \
         see scripts/lib/labels.sh"
    );
    let missing: Vec<String> = std::iter::once(ours)
        .filter(|_| !has_ours)
        .chain(reference.filter(|r| !has_label_provider(r)))
        .collect();
    if missing.is_empty() {
        return true;
    }
    eprintln!(
        "\n################################################################\n\
         SKIPPED: {what}: the security label provider `{LABEL_PROVIDER}` is not loaded on \
         {missing:?}, a server scripts/test.sh did not start (it preloads \
         tests/label_provider on every cluster it starts)\n\
         ################################################################\n"
    );
    false
}

fn db_error(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("{}: {}", d.severity(), d.message()),
        None => e.to_string(),
    }
}

fn block_on<F: std::future::Future + Send + 'static>(f: F) -> F::Output
where
    F::Output: Send + 'static,
{
    // A fresh runtime on its own thread works both inside and outside #[tokio::test].
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    })
    .join()
    .unwrap()
}

/// A database that exists for the life of the value and is dropped after.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    /// Create a fresh, empty database whose name starts with `prefix`.
    pub fn new(prefix: &str) -> TestDb {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let clean: String = prefix
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        let name = format!("sdt_{clean}_{}_{n}", std::process::id());
        // Two calls: a multi-statement batch is an implicit transaction,
        // which DROP/CREATE DATABASE refuse.
        exec(&server_url(), &format!("DROP DATABASE IF EXISTS {name}"));
        exec(&server_url(), &format!("CREATE DATABASE {name}"));
        let url = url_for(&name);
        TestDb { name, url }
    }

    /// Create a database and run `sql` in it.
    pub fn with_sql(prefix: &str, sql: &str) -> TestDb {
        let db = TestDb::new(prefix);
        db.exec(sql);
        db
    }

    pub fn exec(&self, sql: &str) {
        exec(&self.url, sql)
    }
}

/// A JSON report's changes as `code object`.
pub fn changes(v: &serde_json::Value) -> Vec<String> {
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c["code"].as_str().unwrap(),
                c["object"].as_str().unwrap()
            )
        })
        .collect()
}

impl Drop for TestDb {
    fn drop(&mut self) {
        drop_database(&server_url(), &self.url, &self.name);
    }
}

/// Drops database `name` (at `url`) from the server at `server`, errors
/// ignored: a test's cleanup.
pub fn drop_database(server: &str, url: &str, name: &str) {
    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    if try_exec(server, &drop).is_err() {
        // A subscription in it (the parity test and the subscription
        // fixtures make one, with no slot) refuses DROP DATABASE, even
        // forced: drop those first.
        let _ = try_exec(url, DROP_SUBSCRIPTIONS);
        let _ = try_exec(server, &drop);
    }
}

/// Drops the subscriptions of the current database.
const DROP_SUBSCRIPTIONS: &str = "DO $$ DECLARE s name; BEGIN
    FOR s IN SELECT subname FROM pg_catalog.pg_subscription WHERE subdbid =
        (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
    LOOP
        EXECUTE format('ALTER SUBSCRIPTION %I DISABLE', s);
        EXECUTE format('ALTER SUBSCRIPTION %I SET (slot_name = NONE)', s);
        EXECUTE format('DROP SUBSCRIPTION %I', s);
    END LOOP;
END $$";

/// A path in the repository, as a string.
pub fn repo(p: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(p)
        .to_str()
        .unwrap()
        .to_string()
}

/// The path of the built `schemadrift` binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_schemadrift"))
}

/// Run the binary with `args`; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    run_env(args, &[])
}

/// Run the binary with `args` and extra environment variables.
pub fn run_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out: Output = cmd.output().expect("run schemadrift");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The directory of the matching PostgreSQL client binaries (`pg_dump`,
/// `psql`) for the test server, from `SCHEMADRIFT_TEST_PG_BIN`, else PATH.
pub fn pg_bin(tool: &str) -> PathBuf {
    match std::env::var("SCHEMADRIFT_TEST_PG_BIN") {
        Ok(dir) if !dir.is_empty() => PathBuf::from(dir).join(tool),
        _ => PathBuf::from(tool),
    }
}

/// A new database holding `db`'s schema as `pg_dump --schema-only | psql`
/// restores it (with the server's own client tools, see [`pg_bin`]).
pub fn dump_restore(db: &TestDb, prefix: &str) -> TestDb {
    let copy = TestDb::new(prefix);
    let dump = Command::new(pg_bin("pg_dump"))
        .args(["--schema-only", "--no-password", "-d", &db.url])
        .output()
        .expect("run pg_dump");
    assert!(
        dump.status.success(),
        "pg_dump {} failed: {}",
        db.name,
        String::from_utf8_lossy(&dump.stderr)
    );
    let mut psql = Command::new(pg_bin("psql"))
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "--no-password",
            "-d",
            &copy.url,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run psql");
    {
        use std::io::Write;
        psql.stdin.take().unwrap().write_all(&dump.stdout).unwrap();
    }
    let out = psql.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "restoring the dump of {} failed: {}",
        db.name,
        String::from_utf8_lossy(&out.stderr)
    );
    copy
}

/// A TCP server on loopback that accepts connections and never answers: a
/// host that hangs mid-handshake. Returns its port.
pub fn silent_server() -> u16 {
    use std::io::Read;
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in l.incoming().flatten() {
            let mut s2 = s.try_clone().unwrap();
            std::thread::spawn(move || {
                let mut buf = [0u8; 1024];
                while let Ok(n) = s2.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                }
            });
            held.push(s);
        }
    });
    port
}

/// A loopback port that nothing listens on (connections are refused).
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Write a snapshot file of `pg` as `dir/name`; returns its path.
pub fn write_pg_snapshot(
    dir: &std::path::Path,
    name: &str,
    pg: schemadrift::model::PgSchema,
) -> PathBuf {
    let snap = schemadrift::model::Snapshot {
        format_version: schemadrift::model::FORMAT_VERSION,
        source: format!("test:{name}"),
        server_version: Some("PostgreSQL 15.0".into()),
        taken_at: "2025-01-01T00:00:00Z".into(),
        postgres: Some(pg),
        neo4j: None,
        migrations: None,
    };
    let p = dir.join(name);
    std::fs::write(&p, snap.to_json()).unwrap();
    p
}
