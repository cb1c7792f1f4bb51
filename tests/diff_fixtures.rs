//! The differ against a live server, one folder per case, found automatically.
//!
//! `tests/fixtures/<case>/{base.sql, drift.sql}`: base.sql builds a schema in
//! one database; base.sql then drift.sql build a second. Both are read with
//! the real introspection and diffed (base as expected, drifted as actual);
//! the changes are compared with `tests/snapshots/diff_fixtures__<case>.snap`
//! (in the JSON report's form). Each case also checks the reverse diff
//! (missing and unexpected swap, same count), that each side diffed with
//! itself is empty, and that the lazy comparison of the two live databases
//! (`compare`, which deparses only what the diff shows) finds exactly the
//! changes of the eager one, both ways.
//!
//! `tests/fixtures/equivalent/<case>/{a.sql, b.sql}`: two routes to the same
//! schema; the diff must be empty both ways.
//!
//! A case folder holding a file `with_privileges` is read with owners and
//! grants, as `--with-privileges` reads it (fix_script.rs and ddl_postgres.rs
//! do the same).
//!
//! Adding a case is adding a folder. Run one with `SCHEMADRIFT_FIXTURE=name`.

mod common;

use std::collections::BTreeMap;

use common::fixtures::{cases, fixtures_dir, introspect_with, options_of, read, run_all};
use schemadrift::diff::{self, Change, ChangeKind, ObjectType};
use schemadrift::model::PgSchema;
use schemadrift::postgres::Options;
use schemadrift::report::json::JsonChange;
use schemadrift::source::Source;

/// The changes between two live databases as `schemadrift diff` finds
/// them: read lazily, placeholders deparsed only where the diff shows them.
fn compare_live(expected: &str, actual: &str, read: &Options) -> Vec<Change> {
    let (e, a) = (
        Source::parse(expected).unwrap(),
        Source::parse(actual).unwrap(),
    );
    let opts = schemadrift::source::ReadOptions {
        with_privileges: read.with_privileges,
        ..Default::default()
    };
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(schemadrift::compare::compare(&e, &a, &opts))
        .unwrap_or_else(|err| panic!("compare {e} {a}: {err}"))
}

fn diff(e: &PgSchema, a: &PgSchema) -> Vec<Change> {
    let mut v = diff::postgres::diff(e, a);
    diff::sort_changes(&mut v);
    v
}

/// A difference that `pg_dump --schema-only | psql` really makes, rather
/// than one of printing: pg_dump writes `CREATE EXTENSION` without a version
/// (the copy gets its server's default), and `CREATE TABLE ... INHERITS`
/// puts the inherited columns first (a table that inherited after its own
/// columns were made has them last).
fn made_by_pg_dump(c: &Change, original: &PgSchema, copy: &PgSchema) -> bool {
    match c.code().name() {
        "extension-version-changed" => copy
            .extensions
            .get(c.object())
            .is_some_and(|x| x.default_version.is_none()),
        "column-order-changed" => {
            let table = |pg: &PgSchema| {
                let (s, t) = c.object().split_once('.')?;
                pg.schemas.get(s)?.tables.get(t).cloned()
            };
            let (Some(o), Some(r)) = (table(original), table(copy)) else {
                return false;
            };
            let parent_columns: Vec<&str> = o
                .inherits
                .iter()
                .filter_map(|p| {
                    let (s, t) = p.split_once('.')?;
                    original.schemas.get(s)?.tables.get(t)
                })
                .flat_map(|p| p.columns.iter().map(|c| c.name.as_str()))
                .collect();
            let names = |t: &schemadrift::model::postgres::Table| -> Vec<String> {
                t.columns.iter().map(|c| c.name.clone()).collect()
            };
            // The parents' columns in their order, then the table's own.
            let mut inherited_first: Vec<String> = Vec::new();
            for p in &parent_columns {
                if !inherited_first.iter().any(|n| n == p) {
                    inherited_first.push(p.to_string());
                }
            }
            inherited_first.extend(
                names(&o)
                    .into_iter()
                    .filter(|n| !parent_columns.contains(&n.as_str())),
            );
            !parent_columns.is_empty() && names(&r) == inherited_first
        }
        _ => false,
    }
}

/// `db` (read as `schema`), dump-restored into a new database, compares
/// equal to it both ways: PostgreSQL prints some expressions differently
/// after the round trip, and they mean the same (`schemadrift::equiv`).
fn assert_restores_alike(name: &str, db: &common::TestDb, schema: &PgSchema, opts: &Options) {
    let copy = common::dump_restore(db, &format!("{name}_restored"));
    let restored = introspect_with(&copy.url, opts);
    for (e, a, way) in [(schema, &restored, "->"), (&restored, schema, "<-")] {
        let mut changes = diff(e, a);
        changes.retain(|c| !made_by_pg_dump(c, schema, &restored));
        assert!(
            changes.is_empty(),
            "{name}: original {way} dump-restored copy\n{changes:#?}"
        );
    }
    let mut lazy = compare_live(&db.url, &copy.url, opts);
    lazy.retain(|c| !made_by_pg_dump(c, schema, &restored));
    assert!(
        lazy.is_empty(),
        "{name}: original -> dump-restored copy, read lazily\n{lazy:#?}"
    );
}

/// How many changes of each (kind, object type), with missing and unexpected
/// swapped when `swap`: the reverse diff must have the mirror image.
fn shape(v: &[Change], swap: bool) -> BTreeMap<(ChangeKind, ObjectType), usize> {
    let mut m = BTreeMap::new();
    for c in v {
        let kind = match (c.kind(), swap) {
            (ChangeKind::Missing, true) => ChangeKind::Unexpected,
            (ChangeKind::Unexpected, true) => ChangeKind::Missing,
            (k, _) => k,
        };
        *m.entry((kind, c.object_type())).or_insert(0) += 1;
    }
    m
}

#[test]
fn drift_fixtures() {
    run_all(cases(&fixtures_dir(), "drift.sql"), |name, dir| {
        let base_sql = read(&dir.join("base.sql"));
        let drift_sql = read(&dir.join("drift.sql"));
        let base_db = common::TestDb::with_sql(&format!("{name}_base"), &base_sql);
        let drift_db = common::TestDb::with_sql(&format!("{name}_drift"), &base_sql);
        drift_db.exec(&drift_sql);
        let opts = options_of(dir);
        let expected = introspect_with(&base_db.url, &opts);
        let actual = introspect_with(&drift_db.url, &opts);
        assert_restores_alike(&format!("{name}_base"), &base_db, &expected, &opts);
        assert_restores_alike(&format!("{name}_drift"), &drift_db, &actual, &opts);

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
        assert_eq!(
            compare_live(&base_db.url, &drift_db.url, &opts),
            forward,
            "{name}: the lazy live diff"
        );
        assert_eq!(
            compare_live(&drift_db.url, &base_db.url, &opts),
            reverse,
            "{name}: the lazy live diff, reversed"
        );

        assert_patches(name, &expected, &forward, &actual);
        assert_patches(name, &actual, &reverse, &expected);

        let wire: Vec<JsonChange> = forward.iter().map(JsonChange::from).collect();
        insta::assert_json_snapshot!(name.to_string(), wire);

        if name == "several_kinds" {
            check_formats(forward, &expected, &actual);
        }
    });
}

/// The patcher inverts the differ: `patch(a, diff(a, b)) == b`, compared as
/// canonical snapshot JSON, or, where the differ compares by meaning, with no
/// change left between them.
fn assert_patches(name: &str, a: &PgSchema, changes: &[Change], b: &PgSchema) {
    use schemadrift::model::Snapshot;
    let snap = |pg: &PgSchema| Snapshot {
        postgres: Some(pg.clone()),
        ..Snapshot::empty()
    };
    let patched = schemadrift::patch::patch(&snap(a), changes)
        .unwrap_or_else(|e| panic!("{name}: patch: {e}"));
    let (got, want) = (patched.to_json(), snap(b).to_json());
    // Where the differ compares by meaning (texts PostgreSQL prints two ways,
    // equivalent casts) or not at all (an extension's default version), the
    // patched side keeps a's spelling: then it must equal b in everything the
    // differ compares.
    let same_to_the_differ = || {
        patched
            .postgres
            .as_ref()
            .is_some_and(|p| diff(p, b).is_empty())
    };
    if got != want && !same_to_the_differ() {
        let d = similar::TextDiff::from_lines(&want, &got);
        panic!(
            "{name}: patch(a, diff(a, b)) is not b (- b, + patched):\n{}",
            d.unified_diff().context_radius(4)
        );
    }
}

/// The four report formats on a case with several kinds of change, with
/// missing and unexpected objects as their DDL.
fn check_formats(changes: Vec<Change>, expected: &PgSchema, actual: &PgSchema) {
    use schemadrift::model::Snapshot;
    use schemadrift::report::{render, Format, Report};
    let snapshot = |pg: &PgSchema| {
        let mut s = Snapshot::empty();
        s.server_version = Some("PostgreSQL 15.18".into());
        s.postgres = Some(pg.clone());
        s
    };
    let mut report = Report::new(
        "expected.json",
        "postgres://app@db.example/care",
        changes,
        0,
    );
    report.ddl = schemadrift::ddl::describe::ddl_of_changes(
        &report.changes,
        &snapshot(expected),
        &snapshot(actual),
    );
    assert!(!report.ddl.is_empty());
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
            let opts = options_of(dir);
            let a = introspect_with(&a_db.url, &opts);
            let b = introspect_with(&b_db.url, &opts);
            assert_restores_alike(&format!("eq_{name}_a"), &a_db, &a, &opts);
            assert_restores_alike(&format!("eq_{name}_b"), &b_db, &b, &opts);
            let tables: usize = a
                .schemas
                .values()
                .map(|s| s.tables.len() + s.enums.len() + s.domains.len() + s.functions.len())
                .sum::<usize>()
                + a.foreign_data_wrappers.len()
                + a.foreign_servers.len()
                + a.subscriptions.len()
                + a.access_methods.len()
                + a.languages.len()
                + a.transforms.len()
                + a.schemas
                    .values()
                    .map(|s| s.conversions.len() + s.security_labels.len())
                    .sum::<usize>();
            assert!(tables > 0, "{name}: an empty schema proves nothing");
            let ab = diff(&a, &b);
            assert!(ab.is_empty(), "{name}: a -> b\n{ab:#?}");
            let ba = diff(&b, &a);
            assert!(ba.is_empty(), "{name}: b -> a\n{ba:#?}");
            let lazy = compare_live(&a_db.url, &b_db.url, &opts);
            assert!(lazy.is_empty(), "{name}: a -> b, read lazily\n{lazy:#?}");
        },
    );
}
