//! `diff --format sql` proven by applying it: for every fixture, in both
//! directions (the drifted database brought back to its base, and the base
//! brought to the drift), the script the command prints is run against
//! ACTUAL with `psql`, and `diff` then finds nothing. Equivalent routes
//! (tests/fixtures/equivalent) give a script with nothing to do.
//!
//! The only difference allowed after the script is the column order of a
//! table the script names in its `Column order:` comment (PostgreSQL cannot
//! move a column). `--nocapture` prints the count per direction and what
//! had to be dropped and created again.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

use common::fixtures::{cases, fixtures_dir, read, run_all, with_privileges};
use common::{pg_bin, run, TestDb};

/// Run `script` against `url` as an engineer would: `psql -f`, stopping at
/// the first error.
fn psql(url: &str, script: &Path) -> Result<(), String> {
    let out = Command::new(pg_bin("psql"))
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f"])
        .arg(script)
        .output()
        .expect("run psql");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// The tables a script says keep their own column order.
fn column_order_tables(script: &str) -> Vec<String> {
    script
        .lines()
        .filter_map(|l| l.strip_prefix("-- Column order: "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// What a script says it drops and creates again, as `kind: reason`.
fn recreated(script: &str) -> Vec<String> {
    script
        .lines()
        .filter_map(|l| l.strip_prefix("-- Dropped and created again: "))
        .map(|l| {
            let kind = l.split(' ').next().unwrap_or(l);
            let reason = l.split_once(": ").map_or("", |(_, r)| r);
            format!("{kind}: {reason}")
        })
        .collect()
}

/// The fix script from `diff EXPECTED ACTUAL --format sql`, written to a
/// file by `-o` as a user would.
fn fix_script(expected: &str, actual: &str, dir: &Path, extra: &[&str]) -> (i32, String) {
    let out = dir.join("fix.sql");
    let path = out.to_str().unwrap();
    let mut args = vec!["diff", expected, actual, "--format", "sql", "-o", path];
    args.extend_from_slice(extra);
    let (code, _, stderr) = run(&args);
    assert!(
        code == 0 || code == 1,
        "diff --format sql: exit {code}: {stderr}"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    (code, text)
}

/// Apply the fix script of (`want`, `have`) to `have`, then require that
/// `diff` finds nothing but the column orders the script names.
/// The source `diff` reads for `db`: its URL, or, with `privileges`, a
/// snapshot taken `--with-privileges` into `dir` (`diff` reads a live
/// database without owners and grants).
fn source_of(db: &TestDb, privileges: bool, dir: &Path) -> String {
    if !privileges {
        return db.url.clone();
    }
    let file = dir.join(format!("{}.json", db.name));
    let path = file.to_str().unwrap();
    let _ = std::fs::remove_file(&file);
    let (code, _, stderr) = run(&["snapshot", &db.url, "--with-privileges", "-o", path]);
    assert_eq!(code, 0, "snapshot {}: {stderr}", db.name);
    path.to_string()
}

fn converge(label: &str, want: &TestDb, have: &TestDb, privileges: bool) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let want_src = source_of(want, privileges, tmp.path());
    let have_src = source_of(have, privileges, tmp.path());
    let (code, script) = fix_script(&want_src, &have_src, tmp.path(), &[]);
    assert_eq!(code, 1, "{label}: the fixture has no drift:\n{script}");
    let file = tmp.path().join("apply.sql");
    std::fs::write(&file, &script).unwrap();
    if let Err(e) = psql(&have.url, &file) {
        panic!("{label}: psql failed: {e}\n--- script ---\n{script}");
    }
    let have_src = source_of(have, privileges, tmp.path());
    let (code, json, stderr) = run(&["diff", &want_src, &have_src, "--format", "json"]);
    assert!(code == 0 || code == 1, "{label}: diff: {stderr}");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let kept = column_order_tables(&script);
    let left: Vec<&serde_json::Value> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            !(c["code"] == "column-order-changed"
                && kept.iter().any(|t| c["object"].as_str() == Some(t)))
        })
        .collect();
    assert!(
        left.is_empty(),
        "{label}: still differs after the script:\n{}\n--- script ---\n{script}",
        serde_json::to_string_pretty(&left).unwrap()
    );
    script
}

/// Fixtures that converged, per direction, and why objects were recreated.
static LOG: Mutex<BTreeMap<String, Vec<String>>> = Mutex::new(BTreeMap::new());

fn both_directions(back: bool) {
    let direction = if back {
        "drift -> base"
    } else {
        "base -> drift"
    };
    run_all(cases(&fixtures_dir(), "drift.sql"), |name, dir| {
        let base_sql = read(&dir.join("base.sql"));
        let drift_sql = read(&dir.join("drift.sql"));
        let base = TestDb::with_sql(&format!("{name}_b"), &base_sql);
        let drifted = TestDb::with_sql(&format!("{name}_d"), &base_sql);
        drifted.exec(&drift_sql);
        let privileges = with_privileges(dir);
        let script = if back {
            converge(
                &format!("{name} ({direction})"),
                &base,
                &drifted,
                privileges,
            )
        } else {
            converge(
                &format!("{name} ({direction})"),
                &drifted,
                &base,
                privileges,
            )
        };
        let mut log = LOG.lock().unwrap();
        log.entry(format!("converged {direction}"))
            .or_default()
            .push(name.to_string());
        for why in recreated(&script) {
            log.entry(format!("recreated ({direction}) {why}"))
                .or_default()
                .push(name.to_string());
        }
    });
    for (what, names) in LOG.lock().unwrap().iter() {
        if what.contains(direction) {
            eprintln!("{what}: {} ({})", names.len(), names.join(", "));
        }
    }
}

#[test]
fn every_drift_is_undone_by_its_fix_script() {
    both_directions(true);
}

#[test]
fn every_drift_is_made_by_the_reverse_fix_script() {
    both_directions(false);
}

#[test]
fn equivalent_routes_need_no_fix() {
    run_all(
        cases(&fixtures_dir().join("equivalent"), "a.sql"),
        |name, dir| {
            let a = TestDb::with_sql(&format!("eq_{name}_a"), &read(&dir.join("a.sql")));
            let b = TestDb::with_sql(&format!("eq_{name}_b"), &read(&dir.join("b.sql")));
            let tmp = tempfile::tempdir().unwrap();
            let privileges = with_privileges(dir);
            for (x, y) in [(&a, &b), (&b, &a)] {
                let (x, y) = (
                    source_of(x, privileges, tmp.path()),
                    source_of(y, privileges, tmp.path()),
                );
                let (code, script) = fix_script(&x, &y, tmp.path(), &[]);
                assert_eq!(code, 0, "{name}:\n{script}");
                assert!(
                    script.lines().all(|l| l.starts_with("--")),
                    "{name}: statements for equal schemas:\n{script}"
                );
                assert!(script.contains("Nothing to do"), "{name}:\n{script}");
            }
        },
    );
}

#[test]
fn no_destructive_leaves_data_losing_statements_as_comments() {
    let want = TestDb::with_sql(
        "nd_want",
        "CREATE SCHEMA app; CREATE TABLE app.t (id integer PRIMARY KEY, price numeric(8,1));",
    );
    let have = TestDb::with_sql(
        "nd_have",
        "CREATE SCHEMA app; CREATE TABLE app.t (id integer PRIMARY KEY, price numeric(8,2), old text);
         CREATE TABLE app.tmp (x integer); INSERT INTO app.tmp VALUES (1);
         INSERT INTO app.t VALUES (1, 9.95, 'keep me');",
    );
    let tmp = tempfile::tempdir().unwrap();
    let (code, script) = fix_script(&want.url, &have.url, tmp.path(), &["--no-destructive"]);
    assert_eq!(code, 1);
    for gone in [
        "DROP TABLE app.tmp;",
        "DROP COLUMN old;",
        "TYPE numeric(8,1)",
    ] {
        let line = script
            .lines()
            .find(|l| l.contains(gone))
            .unwrap_or_else(|| panic!("{gone} not in:\n{script}"));
        assert!(line.starts_with("-- "), "{gone} is run:\n{script}");
    }
    assert!(
        script.contains("--no-destructive: 3 statement(s)"),
        "{script}"
    );
    // What is kept runs, and loses nothing.
    let file = tmp.path().join("apply.sql");
    std::fs::write(&file, &script).unwrap();
    psql(&have.url, &file).unwrap_or_else(|e| panic!("{e}\n{script}"));
    let (code, json, _) = run(&["diff", &want.url, &have.url, "--format", "json"]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let codes: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"table-unexpected"), "{codes:?}");
    assert!(codes.contains(&"column-unexpected"), "{codes:?}");
    assert!(codes.contains(&"column-type-changed"), "{codes:?}");
    // The destructive script, in contrast, runs them.
    let (_, full) = fix_script(&want.url, &have.url, tmp.path(), &[]);
    assert!(full.lines().any(|l| l == "DROP TABLE app.tmp;"), "{full}");
    assert!(full.contains("-- hazard data-loss:"), "{full}");
}

#[test]
fn fix_scripts_are_refused_where_they_would_mislead() {
    let want = TestDb::with_sql(
        "rf_want",
        "CREATE SCHEMA app; CREATE TABLE app.t (id integer);",
    );
    let have = TestDb::with_sql(
        "rf_have",
        "CREATE SCHEMA app; CREATE TABLE app.t (id integer); CREATE TABLE app.tmp_x (id integer);",
    );
    let (code, out, err) = run(&[
        "diff",
        &want.url,
        &have.url,
        "--format",
        "sql",
        "--ignore",
        "app.tmp_*",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("ignore rules left out 1 change"), "{err}");
    let (code, _, err) = run(&["diff", &want.url, &have.url, "--format", "cypher"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("neither EXPECTED nor ACTUAL has a Neo4j schema"),
        "{err}"
    );
}

/// PostgreSQL refuses to change the type of a column a view reads, or to
/// drop a function a view calls: the views (and the views on them) are
/// dropped first and created again after.
#[test]
fn views_are_recreated_around_what_they_read() {
    let schema = |amount: &str, returns: &str| {
        format!(
            "CREATE SCHEMA app;
             CREATE TABLE app.t (id integer PRIMARY KEY, amount {amount});
             CREATE FUNCTION app.twice(x integer) RETURNS {returns} LANGUAGE sql IMMUTABLE AS $$ SELECT x * 2 $$;
             CREATE VIEW app.v1 AS SELECT id, amount FROM app.t;
             CREATE VIEW app.v2 AS SELECT id, amount FROM app.v1 WHERE amount > 0;
             CREATE VIEW app.v3 AS SELECT app.twice(id) AS d FROM app.t;
             CREATE MATERIALIZED VIEW app.m AS SELECT count(*) AS n FROM app.v2;"
        )
    };
    let want = TestDb::with_sql("vw_want", &schema("numeric(10,2)", "bigint"));
    let have = TestDb::with_sql("vw_have", &schema("integer", "integer"));
    let script = converge("views", &want, &have, false);
    for v in ["app.v1", "app.v2", "app.v3", "app.m"] {
        assert!(
            script.contains(&format!("Dropped and created again: view {v}:"))
                || script.contains(&format!(
                    "Dropped and created again: materialized view {v}:"
                )),
            "{v}:\n{script}"
        );
    }
    // Dependants first: v2 (read by m) after m, v1 after v2.
    let at = |s: &str| script.find(s).unwrap_or_else(|| panic!("{s}:\n{script}"));
    assert!(at("DROP MATERIALIZED VIEW app.m;") < at("DROP VIEW app.v2;"));
    assert!(at("DROP VIEW app.v2;") < at("DROP VIEW app.v1;"));
}

/// An enum that loses a label is created anew and its columns (with their
/// defaults, arrays, and the views that read them) converted to it; the
/// other way round, the label is added in place, before the transaction.
#[test]
fn an_enum_that_loses_a_label_takes_its_columns_along() {
    let schema = |labels: &str| {
        format!(
            "CREATE SCHEMA app;
             CREATE TYPE app.mood AS ENUM ({labels});
             CREATE TABLE app.t (id integer PRIMARY KEY, m app.mood NOT NULL DEFAULT 'ok', past app.mood[]);
             CREATE INDEX t_m_idx ON app.t (m);
             CREATE VIEW app.v AS SELECT id, m FROM app.t;
             INSERT INTO app.t VALUES (1, 'ok', '{{sad,ok}}');"
        )
    };
    let want = TestDb::with_sql("en_want", &schema("'sad', 'ok'"));
    let have = TestDb::with_sql("en_have", &schema("'sad', 'meh', 'ok'"));
    let script = converge("enum label removed", &want, &have, false);
    assert!(
        script.contains("ALTER TABLE app.t ALTER COLUMN m TYPE app.mood USING m::text::app.mood;"),
        "{script}"
    );
    assert!(
        script.contains("DROP TYPE app.mood_schemadrift_old;"),
        "{script}"
    );
    let out = Command::new(pg_bin("psql"))
        .args(["-X", "-At", "-d", &have.url, "-c"])
        .arg("SELECT m::text || ' ' || past::text FROM app.t")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "ok {sad,ok}",
        "the rows survive"
    );
    let want = TestDb::with_sql("en_want2", &schema("'sad', 'meh', 'ok'"));
    let have = TestDb::with_sql("en_have2", &schema("'sad', 'ok'"));
    let script = converge("enum label added", &want, &have, false);
    let add = script
        .find("ALTER TYPE app.mood ADD VALUE 'meh' AFTER 'sad';")
        .unwrap_or_else(|| panic!("{script}"));
    assert!(
        add < script.find("BEGIN;").unwrap_or(usize::MAX),
        "{script}"
    );
}

/// The script acts on what the differ reports: a dump-restored copy, whose
/// checks, index predicates, policies and views PostgreSQL prints otherwise
/// (the varchar `IN` construct), with one real drift gets the statements for
/// that drift and nothing else.
#[test]
fn a_restored_copy_gets_statements_only_for_its_drift() {
    let want = TestDb::with_sql(
        "rc_want",
        "CREATE SCHEMA app;
         CREATE TABLE app.staff (id integer PRIMARY KEY,
             role varchar(20) NOT NULL CHECK (role IN ('owner', 'admin')),
             status varchar(10) DEFAULT 'new' CHECK (status NOT IN ('gone', 'banned')));
         CREATE INDEX staff_boss_idx ON app.staff (id) WHERE role IN ('owner', 'admin');
         ALTER TABLE app.staff ENABLE ROW LEVEL SECURITY;
         CREATE POLICY staff_bosses ON app.staff USING (role IN ('owner', 'admin'));
         CREATE VIEW app.bosses AS SELECT id FROM app.staff WHERE role IN ('owner', 'admin');",
    );
    let have = common::dump_restore(&want, "rc_have");
    let def = |db: &TestDb| {
        let out = Command::new(pg_bin("psql"))
            .args(["-X", "-At", "-d", &db.url, "-c"])
            .arg("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'staff_role_check'")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_ne!(
        def(&want),
        def(&have),
        "the restored copy prints the check otherwise"
    );
    have.exec(
        "CREATE INDEX staff_extra_idx ON app.staff (role);
         ALTER TABLE app.staff ALTER COLUMN status SET DEFAULT 'old';",
    );
    let script = converge("restored copy", &want, &have, false);
    let statements: Vec<&str> = script
        .lines()
        .filter(|l| !l.starts_with("--") && !l.is_empty())
        .filter(|l| !l.starts_with("SET ") && !l.starts_with("SELECT pg_catalog.set_config"))
        .filter(|l| !matches!(*l, "BEGIN;" | "COMMIT;"))
        .collect();
    assert_eq!(
        statements,
        [
            "DROP INDEX app.staff_extra_idx;",
            "ALTER TABLE app.staff ALTER COLUMN status DROP DEFAULT;",
            "ALTER TABLE app.staff ALTER COLUMN status SET DEFAULT 'new'::character varying;"
        ],
        "{script}"
    );
}

/// A subscription is enabled and disabled in place; one the script creates
/// stays disabled (`WITH (connect = false)`, as pg_dump writes it: running
/// the script never reaches the publisher), and its statement says how to
/// enable it; one the script drops is disabled and loses its slot first,
/// so the drop does not reach the publisher either.
#[test]
fn subscriptions_are_enabled_in_place_and_created_disabled() {
    const LIVE: &str = "CREATE SUBSCRIPTION live
        CONNECTION 'host=127.0.0.1 port=1 dbname=shop connect_timeout=1'
        PUBLICATION orders WITH (connect = false, slot_name = 'live_slot');";
    let want = TestDb::with_sql(
        "subs_want",
        &format!(
            "{LIVE} ALTER SUBSCRIPTION live ENABLE;
             CREATE SUBSCRIPTION fresh
                 CONNECTION 'host=127.0.0.1 port=1 dbname=shop connect_timeout=1'
                 PUBLICATION orders WITH (connect = false);
             ALTER SUBSCRIPTION fresh ENABLE;"
        ),
    );
    let have = TestDb::with_sql("subs_have", LIVE);
    let tmp = tempfile::tempdir().unwrap();
    let codes = |want: &TestDb, have: &TestDb| -> Vec<(String, String)> {
        let (code, json, stderr) = run(&["diff", &want.url, &have.url, "--format", "json"]);
        assert!(code == 0 || code == 1, "{stderr}");
        let report: serde_json::Value = serde_json::from_str(&json).unwrap();
        report["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let s = |k: &str| c[k].as_str().unwrap().to_string();
                (s("code"), s("object"))
            })
            .collect()
    };
    let apply = |db: &TestDb, script: &str| {
        let file = tmp.path().join("apply.sql");
        std::fs::write(&file, script).unwrap();
        psql(&db.url, &file).unwrap_or_else(|e| panic!("{e}\n{script}"));
    };

    let (code, script) = fix_script(&want.url, &have.url, tmp.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        script.contains("\nALTER SUBSCRIPTION live ENABLE;\n"),
        "{script}"
    );
    assert!(
        script.contains(
            "\n-- It should be enabled: once its replication slot is on the publisher, \
             run ALTER SUBSCRIPTION fresh ENABLE; and ALTER SUBSCRIPTION fresh \
             REFRESH PUBLICATION;\nCREATE SUBSCRIPTION fresh "
        ),
        "{script}"
    );
    assert!(
        script.contains("WITH (connect = false, slot_name = 'fresh'"),
        "{script}"
    );
    apply(&have, &script);
    assert_eq!(
        codes(&want, &have),
        [("subscription-disabled".to_string(), "fresh".to_string())]
    );

    // Back: disabled in place; the one to drop is disabled and slotless first.
    let plain = TestDb::with_sql("subs_plain", LIVE);
    let (code, script) = fix_script(&plain.url, &want.url, tmp.path(), &[]);
    assert_eq!(code, 1);
    for line in [
        "ALTER SUBSCRIPTION fresh DISABLE;",
        "ALTER SUBSCRIPTION fresh SET (slot_name = NONE);",
        "DROP SUBSCRIPTION fresh;",
        "ALTER SUBSCRIPTION live DISABLE;",
    ] {
        assert!(script.lines().any(|l| l == line), "{line}:\n{script}");
    }
    apply(&want, &script);
    assert!(codes(&plain, &want).is_empty());
}
