//! The same migrations on two PostgreSQL major versions compare clean.
//!
//! `expected/` is often built on one PostgreSQL (a CI runner's) and compared
//! with production on another. `SCHEMADRIFT_TEST_PG_URL` is the server under
//! test; `SCHEMADRIFT_TEST_PG_REFERENCE_URL` is the one `expected/` was built
//! on (scripts/test.sh's matrix sets it to the main run's PostgreSQL 15 for
//! each of 13, 14, 16, 17 and 18).
//!
//! - The demo: `expected/migrations` applied by psql on this server against
//!   the committed `expected/postgres.json` (built on 15), both ways.
//! - Every schema the fixtures build (tests/fixtures: bases, drifts,
//!   equivalent routes) built on both servers and diffed both ways. A
//!   fixture that uses what one of the two versions lacks (`NULLS NOT
//!   DISTINCT` before 15, SQL-standard bodies before 14) is left out and
//!   listed; one that builds on neither fails. (Two live databases of
//!   different versions are read lazily by deparsing everything at once,
//!   which the lazy test of tests/pg_snapshot.rs covers on every version.)
//!   Without a reference server this part has nothing to compare and says
//!   so: diff_fixtures covers one server. The fix script between the two
//!   has nothing to do.

mod common;

use std::path::PathBuf;
use std::sync::Mutex;

use common::fixtures::{read, run_all, schemas};
use common::repo;
use schemadrift::ddl::postgres::{fix::fix_script, Pg};
use schemadrift::diff::{self, Change};
use schemadrift::equiv::Equiv;
use schemadrift::model::PgSchema;

/// The reference server's superuser URL, when one is set; it must be
/// another server than the one under test.
fn reference_url() -> Option<String> {
    let r = std::env::var("SCHEMADRIFT_TEST_PG_REFERENCE_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    assert_ne!(
        r,
        common::server_url(),
        "SCHEMADRIFT_TEST_PG_REFERENCE_URL is the server under test"
    );
    Some(r)
}

/// A database on the server at `server` (a superuser URL), dropped after.
struct Db {
    server: String,
    name: String,
    url: String,
}

impl Db {
    fn new(server: &str, prefix: &str) -> Db {
        let name = format!(
            "sdx_{}_{}_{}",
            prefix.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
            std::process::id(),
            rand_suffix()
        );
        let name: String = name.to_ascii_lowercase().chars().take(63).collect();
        common::exec(server, &format!("CREATE DATABASE {name}"));
        let mut u = url::Url::parse(server).expect("a URL");
        u.set_path(&format!("/{name}"));
        Db {
            server: server.to_string(),
            name,
            url: u.to_string(),
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        common::drop_database(&self.server, &self.url, &self.name);
    }
}

fn rand_suffix() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::SeqCst)
}

fn introspect(url: &str) -> (PgSchema, String) {
    schemadrift::run::install_crypto_provider();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dsn = schemadrift::redact::Dsn::new(url);
    rt.block_on(schemadrift::postgres::introspect(&dsn, &Default::default()))
        .unwrap_or_else(|e| panic!("introspect {url}: {e}"))
}

/// The role the demo's policies name; roles are cluster-wide.
const DEMO_ROLE: &str = "DO $$ BEGIN CREATE ROLE clinic_staff NOLOGIN; \
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;";

#[test]
fn demo_migrations_on_this_server_match_expected_built_on_15() {
    let server = common::server_url();
    common::exec(&server, DEMO_ROLE);
    let db = Db::new(&server, "demo");
    let dir = PathBuf::from(repo("expected/migrations"));
    // Flyway's order: versions compared as numbers (V10 after V5).
    let mut files: Vec<(u32, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let v = p.file_name()?.to_str()?.strip_prefix('V')?;
            Some((v.split("__").next()?.parse().ok()?, p))
        })
        .collect();
    files.sort();
    assert!(files.len() >= 6, "{files:?}");
    for (_, f) in &files {
        let out = std::process::Command::new(common::pg_bin("psql"))
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "--no-password"])
            .args(["-d", &db.url, "-f"])
            .arg(f)
            .output()
            .expect("run psql");
        assert!(
            out.status.success(),
            "{}: {}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let expected = repo("expected/postgres.json");
    for (e, a) in [(expected.as_str(), db.url.as_str()), (&db.url, &expected)] {
        let (code, out, err) = common::run(&["diff", e, a]);
        assert_eq!(code, 0, "diff {e} {a}\n{out}{err}");
        let (code, out, err) = common::run(&["diff", e, a, "--format", "sql"]);
        assert_eq!(code, 0, "diff {e} {a} --format sql\n{out}{err}");
        assert!(
            out.contains("Nothing to do") && out.lines().all(|l| l.starts_with("--")),
            "diff {e} {a} --format sql\n{out}"
        );
    }

    // A CI runner on this version checks the committed expected/: current.
    let check = |migrations: &str| {
        common::run(&[
            "expected",
            "--migrations",
            migrations,
            "-o",
            &repo("expected"),
            "--check",
            "--shadow",
            &server,
        ])
    };
    let (code, out, err) = check(&repo("expected/migrations"));
    assert_eq!(code, 0, "expected --check on this server\n{out}{err}");
    // And a migration more is still news.
    let more = tempfile::tempdir().unwrap();
    for (_, f) in &files {
        std::fs::copy(f, more.path().join(f.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        more.path().join("V11__more.sql"),
        "ALTER TABLE care.visits ADD COLUMN room text;",
    )
    .unwrap();
    let (code, out, err) = check(more.path().to_str().unwrap());
    assert_eq!(code, 1, "a new migration\n{out}{err}");
    assert!(out.contains("care.visits.room"), "{out}{err}");
}

#[test]
fn fixtures_built_on_two_versions_compare_clean() {
    let this = common::server_url();
    let Some(reference) = reference_url() else {
        eprintln!(
            "SCHEMADRIFT_TEST_PG_REFERENCE_URL is not set: one server, no versions to compare \
             (scripts/test.sh's matrix sets it)"
        );
        return;
    };
    let skipped = Mutex::new(Vec::new());
    let schemas = schemas();
    let count = schemas.len();
    run_all(schemas, |name, files: &Vec<PathBuf>| {
        let build = |server: &str| -> Result<Db, String> {
            let db = Db::new(server, name);
            for f in files {
                common::try_exec(&db.url, &read(f)).map_err(|e| format!("{}: {e}", f.display()))?;
            }
            Ok(db)
        };
        let (a, b) = match (build(&reference), build(&this)) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), Err(_)) => panic!("{name} builds on neither server: {e}"),
            (Err(e), _) | (_, Err(e)) => {
                skipped.lock().unwrap().push(format!("{name}: {e}"));
                return;
            }
        };
        let ((sa, va), (sb, vb)) = (introspect(&a.url), introspect(&b.url));
        // Each way, the expected side's version first, as `Equiv::of` takes them.
        let there = Equiv::new(Some(&va), Some(&vb));
        let back = Equiv::new(Some(&vb), Some(&va));
        let changes = |e: &PgSchema, a: &PgSchema, eq: &Equiv| -> Vec<Change> {
            let mut v = diff::postgres::diff_with(e, a, eq);
            diff::sort_changes(&mut v);
            v
        };
        for (e, a, way, on, eq) in [(&sa, &sb, "->", &vb, &there), (&sb, &sa, "<-", &va, &back)] {
            let c = changes(e, a, eq);
            assert!(c.is_empty(), "{name}: {va} {way} {vb}\n{c:#?}");
            // And the fix script, which acts on what the differ reports, has
            // nothing to do.
            let r = Pg::for_server(Some(on));
            let fix = fix_script(&r, e, &diff::postgres::align(e, a, eq), true);
            assert!(
                fix.is_empty(),
                "{name}: fix script {va} {way} {vb}\n{:#?}",
                fix.statements
            );
        }
    });
    let skipped = skipped.into_inner().unwrap();
    eprintln!(
        "{} of {count} fixture schemas compared; left out, as one server cannot build them:",
        count - skipped.len()
    );
    for s in &skipped {
        eprintln!("  {s}");
    }
    assert!(
        skipped.len() * 4 < count,
        "most fixtures must build on both servers: {skipped:#?}"
    );
}
