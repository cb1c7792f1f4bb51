//! The fixture folders (`tests/fixtures/<case>/{base.sql, drift.sql}` and
//! `tests/fixtures/equivalent/<case>/{a.sql, b.sql}`) and running a check on
//! every case, shared by the tests that walk them.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use schemadrift::model::PgSchema;

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Case folders under `dir` holding `file`, sorted, filtered by
/// $SCHEMADRIFT_FIXTURE, and without those whose `requires` the test
/// server cannot meet (see [`can_run`]).
pub fn cases(dir: &Path, file: &str) -> Vec<(String, PathBuf)> {
    let only = std::env::var("SCHEMADRIFT_FIXTURE").ok();
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.join(file).is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .filter(|(n, _)| only.as_deref().is_none_or(|o| o == n))
        .filter(|(n, p)| can_run(n, p))
        .collect();
    v.sort();
    v
}

/// Whether case folder `dir` can run on the test server: its `requires`
/// file, when there is one, names what it needs, one a line. The one
/// requirement known is `security_label_provider` (the case sets security
/// labels: see [`super::label_provider_or_skip`]).
pub fn can_run(name: &str, dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("requires")) else {
        return true;
    };
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .all(|r| match r {
            "security_label_provider" => {
                super::label_provider_or_skip(&format!("fixture `{name}`"))
            }
            other => panic!("{}: unknown requirement `{other}`", dir.display()),
        })
}

/// Every schema the cases build, named `<case>_base`, `<case>_drift`,
/// `eq_<case>_a` and `eq_<case>_b`, with the SQL that builds it in order.
pub fn schemas() -> Vec<(String, Vec<PathBuf>)> {
    let mut v = Vec::new();
    for (name, dir) in cases(&fixtures_dir(), "drift.sql") {
        v.push((format!("{name}_base"), vec![dir.join("base.sql")]));
        v.push((
            format!("{name}_drift"),
            vec![dir.join("base.sql"), dir.join("drift.sql")],
        ));
    }
    for (name, dir) in cases(&fixtures_dir().join("equivalent"), "a.sql") {
        v.push((format!("eq_{name}_a"), vec![dir.join("a.sql")]));
        v.push((format!("eq_{name}_b"), vec![dir.join("b.sql")]));
    }
    v
}

/// Whether case folder `dir` is read with owners and grants
/// (`--with-privileges`): it holds a file `with_privileges`.
pub fn with_privileges(dir: &Path) -> bool {
    dir.join("with_privileges").is_file()
}

/// The introspection options of case folder `dir` (see [`with_privileges`]).
pub fn options_of(dir: &Path) -> schemadrift::postgres::Options {
    schemadrift::postgres::Options {
        with_privileges: with_privileges(dir),
        ..Default::default()
    }
}

pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Read the schema of the database at `url` with `opts`.
pub fn introspect_with(url: &str, opts: &schemadrift::postgres::Options) -> PgSchema {
    schemadrift::run::install_crypto_provider();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dsn = schemadrift::redact::Dsn::new(url);
    rt.block_on(schemadrift::postgres::introspect(&dsn, opts))
        .unwrap_or_else(|e| panic!("introspect {url}: {e}"))
        .0
}

/// Read the schema of the database at `url` as `snapshot` does by default.
pub fn introspect(url: &str) -> PgSchema {
    introspect_with(url, &schemadrift::postgres::Options::default())
}

/// Run `f` on every case with a few threads, collecting failures so one
/// broken case does not hide the others.
pub fn run_all<T: Send>(cases: Vec<(String, T)>, f: impl Fn(&str, &T) + Sync) {
    assert!(!cases.is_empty(), "no fixture cases found");
    let queue = Mutex::new(cases);
    let failed = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| loop {
                let Some((name, case)) = queue.lock().unwrap().pop() else {
                    break;
                };
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&name, &case)));
                if r.is_err() {
                    failed.lock().unwrap().push(name);
                }
            });
        }
    });
    let mut failed = failed.into_inner().unwrap();
    failed.sort();
    assert!(
        failed.is_empty(),
        "{} failing case(s): {}",
        failed.len(),
        failed.join(", ")
    );
}
