//! The differ against a live server, one folder per case, found automatically.
//!
//! `tests/fixtures/<case>/{base.sql, drift.sql}`: base.sql builds a schema in
//! one database; base.sql then drift.sql build a second. Both are read with
//! the real introspection and diffed (base as expected, drifted as actual);
//! the changes are compared with `tests/snapshots/diff_fixtures__<case>.snap`.
//! Each case also checks the reverse diff (missing and unexpected swap, same
//! count) and that each side diffed with itself is empty.
//!
//! `tests/fixtures/equivalent/<case>/{a.sql, b.sql}`: two routes to the same
//! schema; the diff must be empty both ways.
//!
//! Adding a case is adding a folder. Run one with `SCHEMADRIFT_FIXTURE=name`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use schemadrift::diff::{self, Change, ChangeKind};
use schemadrift::model::PgSchema;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Case folders under `dir` holding `file`, sorted, filtered by $SCHEMADRIFT_FIXTURE.
fn cases(dir: &Path, file: &str) -> Vec<(String, PathBuf)> {
    let only = std::env::var("SCHEMADRIFT_FIXTURE").ok();
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.join(file).is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .filter(|(n, _)| only.as_deref().is_none_or(|o| o == n))
        .collect();
    v.sort();
    v
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn introspect(url: &str) -> PgSchema {
    schemadrift::run::install_crypto_provider();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let opts = schemadrift::postgres::Options::default();
    rt.block_on(schemadrift::postgres::introspect(url, &opts))
        .unwrap_or_else(|e| panic!("introspect {url}: {e}"))
        .0
}

fn diff(e: &PgSchema, a: &PgSchema) -> Vec<Change> {
    let mut v = diff::postgres::diff(e, a);
    diff::sort_changes(&mut v);
    v
}

/// How many changes of each (kind, object type), with missing and unexpected
/// swapped when `swap`: the reverse diff must have the mirror image.
fn shape(v: &[Change], swap: bool) -> BTreeMap<(ChangeKind, String), usize> {
    let mut m = BTreeMap::new();
    for c in v {
        let kind = match (c.kind, swap) {
            (ChangeKind::Missing, true) => ChangeKind::Unexpected,
            (ChangeKind::Unexpected, true) => ChangeKind::Missing,
            (k, _) => k,
        };
        *m.entry((kind, c.object_type.clone())).or_insert(0) += 1;
    }
    m
}

/// Run `f` on every case with a few threads, collecting failures so one
/// broken case does not hide the others.
fn run_all(cases: Vec<(String, PathBuf)>, f: impl Fn(&str, &Path) + Sync) {
    assert!(!cases.is_empty(), "no fixture cases found");
    let queue = Mutex::new(cases);
    let failed = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| loop {
                let Some((name, dir)) = queue.lock().unwrap().pop() else {
                    break;
                };
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&name, &dir)));
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

#[test]
fn drift_fixtures() {
    run_all(cases(&fixtures_dir(), "drift.sql"), |name, dir| {
        let base_sql = read(&dir.join("base.sql"));
        let drift_sql = read(&dir.join("drift.sql"));
        let base_db = common::TestDb::with_sql(&format!("{name}_base"), &base_sql);
        let drift_db = common::TestDb::with_sql(&format!("{name}_drift"), &base_sql);
        drift_db.exec(&drift_sql);
        let expected = introspect(&base_db.url);
        let actual = introspect(&drift_db.url);

        assert!(
            diff(&expected, &expected).is_empty(),
            "{name}: base diffed with itself"
        );
        assert!(
            diff(&actual, &actual).is_empty(),
            "{name}: drifted diffed with itself"
        );

        let forward = diff(&expected, &actual);
        assert!(!forward.is_empty(), "{name}: the drift found no change");
        for c in &forward {
            assert!(
                diff::postgres::CODES.contains(&c.code.as_str()),
                "{name}: unlisted code {}",
                c.code
            );
            assert!(
                diff::postgres::OBJECT_TYPES.contains(&c.object_type.as_str()),
                "{name}: {}",
                c.object_type
            );
            match c.kind {
                ChangeKind::Changed => assert!(
                    !c.fields.is_empty() && c.definition.is_none(),
                    "{name}: {c:?}"
                ),
                ChangeKind::Missing | ChangeKind::Unexpected => {
                    assert!(
                        c.fields.is_empty() && c.definition.is_some(),
                        "{name}: {c:?}"
                    )
                }
            }
        }
        let reverse = diff(&actual, &expected);
        assert_eq!(
            reverse.len(),
            forward.len(),
            "{name}: reverse count\n{reverse:#?}"
        );
        assert_eq!(
            shape(&reverse, true),
            shape(&forward, false),
            "{name}: reverse shape"
        );

        insta::assert_json_snapshot!(name.to_string(), forward);

        if name == "several_kinds" {
            check_formats(forward);
        }
    });
}

/// The four report formats on a case with several kinds of change.
fn check_formats(changes: Vec<Change>) {
    use schemadrift::report::{render, Format, Report};
    let report = Report::new(
        "expected.json",
        "postgres://app@db.example/care",
        changes,
        0,
    );
    for (format, name) in [
        (Format::Text, "several_kinds_report_text"),
        (Format::Markdown, "several_kinds_report_markdown"),
        (Format::Junit, "several_kinds_report_junit"),
        (Format::Json, "several_kinds_report_json"),
    ] {
        let mut buf = Vec::new();
        render(&report, format, false, &mut buf).unwrap();
        insta::assert_snapshot!(name, String::from_utf8(buf).unwrap());
    }
}

#[test]
fn equivalent_routes_are_empty() {
    run_all(
        cases(&fixtures_dir().join("equivalent"), "a.sql"),
        |name, dir| {
            let a_db = common::TestDb::with_sql(&format!("eq_{name}_a"), &read(&dir.join("a.sql")));
            let b_db = common::TestDb::with_sql(&format!("eq_{name}_b"), &read(&dir.join("b.sql")));
            let a = introspect(&a_db.url);
            let b = introspect(&b_db.url);
            let tables: usize = a
                .schemas
                .values()
                .map(|s| s.tables.len() + s.enums.len() + s.domains.len())
                .sum();
            assert!(tables > 0, "{name}: an empty schema proves nothing");
            let ab = diff(&a, &b);
            assert!(
                ab.is_empty(),
                "{name}: a -> b\n{}",
                serde_json::to_string_pretty(&ab).unwrap()
            );
            let ba = diff(&b, &a);
            assert!(
                ba.is_empty(),
                "{name}: b -> a\n{}",
                serde_json::to_string_pretty(&ba).unwrap()
            );
        },
    );
}
