//! The expected schema at the version the database is at: each real migration
//! tool applies part of a folder and writes its own history table, then
//! `schemadrift diff FOLDER LIVE` (and `check`) must report the pending
//! migrations as pending (not drift), a hotfix as the only change, and an
//! edited, failed or unknown migration as a `migration-*` change.
//!
//! The tools come from scripts/lib/tools.sh (`SCHEMADRIFT_TOOLS_BIN`): Flyway
//! (Maven Central), golang-migrate, goose, dbmate (Go module proxy), sqlx's and
//! diesel's migrators (crates.io). Prisma's engine is downloaded from Prisma's
//! own site, which is unreachable here, so its `_prisma_migrations` rows are
//! written as its source writes them (SHA-256 of `migration.sql` by coreutils'
//! `sha256sum`, `finished_at`, `rolled_back_at`).
mod common;

use std::path::Path;

use common::tools::*;
use common::{changes, TestDb};
use serde_json::Value;

/// `diff FOLDER LIVE --format json` with the shadow on the test server.
fn diff(dir: &Path, db: &TestDb, format: &str) -> (i32, Value) {
    let server = common::server_url();
    let dir = dir.to_str().unwrap();
    let (code, out, err) = common::run(&[
        "diff",
        dir,
        &db.url,
        "--shadow",
        &server,
        "--migrations-format",
        format,
        "--format",
        "json",
    ]);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    (code, v)
}

/// One list of the report's `migrations` section.
fn list(v: &Value, which: &str) -> Vec<String> {
    v["migrations"][which]
        .as_array()
        .unwrap_or_else(|| panic!("no migrations.{which} in {v:#}"))
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

/// Some applied, the rest pending: clean, exit 0, the right lists. Then a hotfix
/// index: only the hotfix.
fn pending_then_hotfix(dir: &Path, db: &TestDb, format: &str, applied: &[&str], pending: &[&str]) {
    let (code, v) = diff(dir, db, format);
    assert_eq!(changes(&v), Vec::<String>::new(), "{v:#}");
    assert_eq!(code, 0);
    assert_eq!(v["migrations"]["format"], format);
    assert_eq!(list(&v, "applied"), applied);
    assert_eq!(list(&v, "pending"), pending);
    for l in ["edited", "failed", "unknown"] {
        assert!(list(&v, l).is_empty(), "{l}: {v:#}");
    }
    db.exec("CREATE INDEX a_hotfix_idx ON a (id)");
    let (code, v) = diff(dir, db, format);
    assert_eq!(changes(&v), ["index-unexpected public.a.a_hotfix_idx"]);
    assert_eq!(code, 1);
    assert_eq!(list(&v, "pending"), pending);
    db.exec("DROP INDEX a_hotfix_idx");
}

#[test]
fn flyway_pending_hotfix_edited_failed_unknown() {
    let db = TestDb::new("applied_flyway");
    let d = tempdir();
    let dir = d.path();
    write(dir, "V1__a.sql", "CREATE TABLE a (id int);\n");
    write(dir, "V1_1__b.sql", "CREATE TABLE b (id int);\n");
    run_ok(flyway(&db, dir, &[]));
    write(dir, "V2__c.sql", "CREATE TABLE c (id int);\n");
    write(dir, "V3__d.sql", "CREATE TABLE d (id int);\n");
    pending_then_hotfix(dir, &db, "flyway", &["1", "1.1"], &["2", "3"]);

    // Edited after it ran (Flyway's CRC32 no longer matches).
    write(dir, "V1_1__b.sql", "CREATE TABLE b (id int); -- edited\n");
    let (code, v) = diff(dir, &db, "flyway");
    assert_eq!(changes(&v), ["migration-edited 1.1"]);
    assert_eq!(code, 1);
    assert_eq!(list(&v, "edited"), ["1.1"]);
    let c = &v["changes"][0];
    assert_eq!(c["object_type"], "migration");
    assert_eq!(c["severity"], "error");
    assert_eq!(c["fields"][0]["field"], "checksum");
    write(dir, "V1_1__b.sql", "CREATE TABLE b (id int);\n");

    // A failed run, as Flyway records one where DDL is not transactional.
    db.exec(
        "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, \
         checksum, installed_by, execution_time, success) \
         VALUES (3, '2', 'c', 'SQL', 'V2__c.sql', NULL, 'postgres', 7, false)",
    );
    let (code, v) = diff(dir, &db, "flyway");
    assert_eq!(changes(&v), ["migration-failed 2"]);
    assert_eq!(code, 1);
    assert_eq!(list(&v, "failed"), ["2"]);
    assert_eq!(list(&v, "pending"), ["3"]);
    db.exec("DELETE FROM flyway_schema_history WHERE version = '2'");

    // Recorded, no file: unknown (and what it made is now unexpected).
    std::fs::remove_file(dir.join("V1_1__b.sql")).unwrap();
    let (code, v) = diff(dir, &db, "flyway");
    assert_eq!(
        changes(&v),
        ["migration-unknown 1.1", "table-unexpected public.b"]
    );
    assert_eq!(code, 1);
    assert_eq!(v["changes"][0]["severity"], "warning");
    assert_eq!(list(&v, "unknown"), ["1.1"]);
}

#[test]
fn golang_migrate_pending_hotfix_dirty_unknown() {
    let db = TestDb::new("applied_migrate");
    let d = tempdir();
    let dir = d.path();
    write(dir, "0001_a.up.sql", "CREATE TABLE a (id int);");
    write(dir, "0002_b.up.sql", "CREATE TABLE b (id int);");
    write(dir, "0003_c.up.sql", "CREATE TABLE c (id int);");
    run_ok(migrate(&db, dir, &["up", "2"]));
    pending_then_hotfix(dir, &db, "golang-migrate", &["1", "2"], &["3"]);

    // The tool itself leaves the database dirty at a migration that fails.
    write(
        dir,
        "0003_c.up.sql",
        "CREATE TABLE c (id int); SELECT * FROM nope;",
    );
    let (ok, text) = run_tool(migrate(&db, dir, &["up"]));
    assert!(!ok, "{text}");
    let (code, v) = diff(dir, &db, "golang-migrate");
    assert_eq!(changes(&v), ["migration-failed 3"]);
    assert_eq!(code, 1);
    assert_eq!(v["changes"][0]["fields"][0]["actual"], "dirty");
    assert_eq!(list(&v, "applied"), ["1", "2"]);

    // At a version the folder does not have.
    write(dir, "0003_c.up.sql", "CREATE TABLE c (id int);");
    db.exec("CREATE TABLE c (id int)");
    db.exec("UPDATE schema_migrations SET version = 7, dirty = false");
    let (code, v) = diff(dir, &db, "golang-migrate");
    assert_eq!(changes(&v), ["migration-unknown 7"]);
    assert_eq!(code, 1);
    assert_eq!(list(&v, "unknown"), ["7"]);
    assert_eq!(list(&v, "applied"), ["1", "2", "3"]);
}

#[test]
fn goose_pending_hotfix_and_unknown() {
    let db = TestDb::new("applied_goose");
    let d = tempdir();
    let dir = d.path();
    write(dir, "00001_a.sql", &goose_sql("CREATE TABLE a (id int);"));
    write(dir, "00002_b.sql", &goose_sql("CREATE TABLE b (id int);"));
    run_ok(goose(&db, dir, &["up"]));
    write(dir, "00003_c.sql", &goose_sql("CREATE TABLE c (id int);"));
    // goose's table has a serial id: its sequence is bookkeeping too.
    pending_then_hotfix(dir, &db, "goose", &["1", "2"], &["3"]);
    std::fs::remove_file(dir.join("00002_b.sql")).unwrap();
    let (code, v) = diff(dir, &db, "goose");
    assert_eq!(
        changes(&v),
        ["migration-unknown 2", "table-unexpected public.b"]
    );
    assert_eq!(code, 1);
}

#[test]
fn dbmate_in_a_renamed_table_through_check() {
    let db = TestDb::new("applied_dbmate");
    let d = tempdir();
    let dir = d.path().join("db");
    write(
        &dir,
        "20240101000001_a.sql",
        &dbmate_sql("CREATE TABLE a (id int);"),
    );
    db.exec("CREATE SCHEMA ops");
    run_ok(dbmate(
        &db,
        &dir,
        &["--migrations-table", "ops.versions", "up"],
    ));
    write(
        &dir,
        "20240101000002_b.sql",
        &dbmate_sql("CREATE TABLE b (id int);"),
    );
    write(
        &dir,
        "20240101000003_c.sql",
        &dbmate_sql("CREATE TABLE c (id int);"),
    );
    let server = common::server_url();
    let cfg = d.path().join("schemadrift.toml");
    let write_cfg = |extra: &str| {
        std::fs::write(
            &cfg,
            format!(
                "[postgres]\nmigrations = \"db\"\nmigrations_format = \"dbmate\"\n\
                 shadow = \"{server}\"\nhistory_table = \"ops.versions\"\n{extra}\n\
                 [targets.prod]\npostgres = \"{}\"\n",
                db.url
            ),
        )
        .unwrap();
    };
    write_cfg("");
    let cfg_s = cfg.to_str().unwrap();
    let (code, _, err) = common::run(&["expected", "--config", cfg_s]);
    assert_eq!(code, 0, "{err}");

    // Text: one line for the pending migrations, one for the history table left
    // out as bookkeeping; exit 0.
    let (code, out, err) = common::run(&["check", "--config", cfg_s]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        "== prod: no drift; 2 migrations pending: 20240101000002, 20240101000003\n\
         bookkeeping: ops.versions (dbmate or Rails)\n"
    );
    // JSON: the target's migrations section; metrics: the gauge.
    let prom = d.path().join("sd.prom");
    let (code, out, err) = common::run(&[
        "check",
        "--config",
        cfg_s,
        "--format",
        "json",
        "--metrics",
        prom.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let rep = &v["targets"][0]["report"];
    assert_eq!(rep["migrations"]["table"], "ops.versions");
    assert_eq!(list(rep, "applied"), ["20240101000001"]);
    assert_eq!(list(rep, "pending"), ["20240101000002", "20240101000003"]);
    let metrics = std::fs::read_to_string(&prom).unwrap();
    assert!(
        metrics.contains("\nschemadrift_target_pending_migrations{target=\"prod\"} 2\n"),
        "{metrics}"
    );
    // Markdown: the same line.
    let (_, out, _) = common::run(&["check", "--config", cfg_s, "--format", "markdown"]);
    assert!(
        out.contains("\n2 migrations pending: 20240101000002, 20240101000003\n"),
        "{out}"
    );

    // alert_on_pending: each pending migration an info change, so drift.
    write_cfg("alert_on_pending = true");
    let (code, out, _) = common::run(&["check", "--config", cfg_s, "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let rep = &v["targets"][0]["report"];
    assert_eq!(
        changes(rep),
        [
            "migration-pending 20240101000002",
            "migration-pending 20240101000003"
        ]
    );
    assert_eq!(rep["changes"][0]["severity"], "info");

    // Everything applied: the committed expected schema, and a hotfix is the
    // only change.
    write_cfg("");
    run_ok(dbmate(
        &db,
        &dir,
        &["--migrations-table", "ops.versions", "up"],
    ));
    db.exec("CREATE INDEX a_hotfix_idx ON a (id)");
    let (code, out, _) = common::run(&["check", "--config", cfg_s, "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let rep = &v["targets"][0]["report"];
    assert_eq!(changes(rep), ["index-unexpected public.a.a_hotfix_idx"]);
    assert_eq!(
        rep["expected_source"],
        format!("{}", d.path().join("expected/postgres.json").display())
    );
    assert!(list(rep, "pending").is_empty());
}

#[test]
fn sqlx_pending_hotfix_edited_failed_unknown() {
    let db = TestDb::new("applied_sqlx");
    let d = tempdir();
    let dir = d.path();
    write(dir, "1_a.sql", "CREATE TABLE a (id int);\n");
    write(dir, "2_b.sql", "CREATE TABLE b (id int);\n");
    run_ok(rust_migrator("sqlx", &db, dir));
    write(dir, "3_c.sql", "CREATE TABLE c (id int);\n");
    pending_then_hotfix(dir, &db, "sqlx", &["1", "2"], &["3"]);

    // Edited: sqlx's SHA-384 differs.
    write(dir, "2_b.sql", "CREATE TABLE b (id int);\r\n");
    let (code, v) = diff(dir, &db, "sqlx");
    assert_eq!(changes(&v), ["migration-edited 2"]);
    assert_eq!(code, 1);
    write(dir, "2_b.sql", "CREATE TABLE b (id int);\n");

    // `success = false`, as sqlx up to 0.5 left it.
    db.exec(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (3, 'c', FALSE, '\\x00', -1)",
    );
    let (code, v) = diff(dir, &db, "sqlx");
    assert_eq!(changes(&v), ["migration-failed 3"]);
    assert_eq!(code, 1);
    db.exec("DELETE FROM _sqlx_migrations WHERE version = 3");

    std::fs::remove_file(dir.join("1_a.sql")).unwrap();
    let (_, v) = diff(dir, &db, "sqlx");
    assert!(
        changes(&v).contains(&"migration-unknown 1".to_string()),
        "{v:#}"
    );
}

#[test]
fn diesel_pending_hotfix_and_unknown() {
    let db = TestDb::new("applied_diesel");
    let d = tempdir();
    let dir = d.path();
    let migration = |name: &str, table: &str| {
        write(
            dir,
            &format!("{name}/up.sql"),
            &format!("CREATE TABLE {table} (id int);\n"),
        );
        write(
            dir,
            &format!("{name}/down.sql"),
            &format!("DROP TABLE {table};\n"),
        );
    };
    migration("2024-01-01-000001_create_a", "a");
    run_ok(rust_migrator("diesel", &db, dir));
    migration("2024-01-02-000001_create_b", "b");
    pending_then_hotfix(dir, &db, "diesel", &["20240101000001"], &["20240102000001"]);
    db.exec("INSERT INTO __diesel_schema_migrations (version) VALUES ('20231231000000')");
    let (code, v) = diff(dir, &db, "diesel");
    assert_eq!(changes(&v), ["migration-unknown 20231231000000"]);
    assert_eq!(code, 1);
}

#[test]
fn prisma_rows_as_its_source_writes_them() {
    let db = TestDb::new("applied_prisma");
    db.exec(PRISMA_TABLE);
    let d = tempdir();
    let dir = d.path();
    let a = "20240101000000_a";
    let b = "20240102000000_b";
    let c = "20240103000000_c";
    write(
        dir,
        &format!("{a}/migration.sql"),
        "CREATE TABLE a (id int);\n",
    );
    write(
        dir,
        &format!("{b}/migration.sql"),
        "CREATE TABLE b (id int);\n",
    );
    write(
        dir,
        &format!("{c}/migration.sql"),
        "CREATE TABLE c (id int);\n",
    );
    // What `prisma migrate deploy` would have done for the first one.
    db.exec("CREATE TABLE a (id int)");
    prisma_row(&db, dir, a, true, false, 1);
    db.exec("CREATE TABLE b (id int)");
    prisma_row(&db, dir, b, true, false, 2);
    pending_then_hotfix(dir, &db, "prisma", &[a, b], &[c]);

    write(
        dir,
        &format!("{b}/migration.sql"),
        "CREATE TABLE b (id int); -- edited\n",
    );
    let (code, v) = diff(dir, &db, "prisma");
    assert_eq!(changes(&v), [format!("migration-edited {b}")]);
    assert_eq!(code, 1);
    write(
        dir,
        &format!("{b}/migration.sql"),
        "CREATE TABLE b (id int);\n",
    );

    // Started and never finished (P3009).
    prisma_row(&db, dir, c, false, false, 3);
    let (code, v) = diff(dir, &db, "prisma");
    assert_eq!(changes(&v), [format!("migration-failed {c}")]);
    assert_eq!(code, 1);
    assert_eq!(
        v["changes"][0]["fields"][0]["actual"],
        "started, not finished"
    );
}

#[test]
fn no_history_table_is_the_whole_folder_and_sarif_points_at_the_file() {
    let db = TestDb::new("applied_none");
    let d = tempdir();
    let dir = d.path();
    write(dir, "V1__a.sql", "CREATE TABLE a (id int);\n");
    write(dir, "V2__b.sql", "CREATE TABLE b (id int);\n");
    db.exec("CREATE TABLE a (id int)");
    // No flyway_schema_history: today's comparison with every migration.
    let (code, v) = diff(dir, &db, "flyway");
    assert_eq!(code, 1);
    assert_eq!(changes(&v), ["table-missing public.b"]);
    assert!(v.get("migrations").is_none(), "{v:#}");

    // With the table, an edited migration is a SARIF result on its own file.
    db.exec("DROP TABLE a");
    run_ok(flyway(&db, dir, &[]));
    write(dir, "V2__b.sql", "CREATE TABLE b (id int); -- edited\n");
    let server = common::server_url();
    let (code, out, err) = common::run(&[
        "diff",
        dir.to_str().unwrap(),
        &db.url,
        "--shadow",
        &server,
        "--format",
        "sarif",
    ]);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let r = &v["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "migration-edited");
    let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(uri.ends_with("/V2__b.sql"), "{uri}");
}

// ------------------------------------------ the expected file alone (cron host) --

/// `schemadrift expected` of the folder as it is now, into `out/postgres.json`.
fn expected_file(dir: &Path, format: &str, out: &Path) -> String {
    let server = common::server_url();
    let (code, _, err) = common::run(&[
        "expected",
        "--migrations",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--shadow",
        &server,
        "--migrations-format",
        format,
    ]);
    assert_eq!(code, 0, "{err}");
    out.join("postgres.json").to_str().unwrap().to_string()
}

/// `diff EXPECTED ACTUAL --format json` (a folder replayed on the test server).
fn diff_json(expected: &str, actual: &str, extra: &[&str]) -> (i32, Value) {
    let server = common::server_url();
    let mut args = vec![
        "diff", expected, actual, "--shadow", &server, "--format", "json",
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = common::run(&args);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, v)
}

/// A report without the names of the sources it was given.
fn unnamed(mut v: Value) -> Value {
    let o = v.as_object_mut().unwrap();
    o.remove("expected_source");
    o.remove("actual_source");
    v
}

/// The folder and the expected file built from it give one report against the
/// database, and so do the database against each (the reverse direction): its
/// history's changes with expected and actual the other way round, its schema's
/// missing and unexpected objects swapped. Returns the forward report.
fn one_report_from_folder_and_file(
    dir: &Path,
    db: &TestDb,
    format: &str,
    extra: &[&str],
) -> (i32, Value) {
    let out = tempdir();
    let file = expected_file(dir, format, out.path());
    let mut flags = vec!["--migrations-format", format];
    flags.extend_from_slice(extra);
    let folder = dir.to_str().unwrap();
    let (code, from_folder) = diff_json(folder, &db.url, &flags);
    let (code_file, from_file) = diff_json(&file, &db.url, &flags);
    assert_eq!(code, code_file);
    assert_eq!(
        unnamed(from_folder.clone()),
        unnamed(from_file),
        "the folder's and the file's reports differ"
    );
    let (back_code, back_folder) = diff_json(&db.url, folder, &flags);
    let (back_code_file, back_file) = diff_json(&db.url, &file, &flags);
    assert_eq!(back_code, code);
    assert_eq!(back_code_file, code);
    assert_eq!(
        unnamed(back_folder.clone()),
        unnamed(back_file),
        "the folder's and the file's reverse reports differ"
    );
    // Symmetric: the same standing, each change seen from the other side.
    assert_eq!(back_folder["migrations"], from_folder["migrations"]);
    let flip = |c: &str| {
        c.replace("-missing", "-was-missing")
            .replace("-unexpected", "-missing")
            .replace("-was-missing", "-unexpected")
    };
    let mut forward: Vec<String> = changes(&from_folder).iter().map(|c| flip(c)).collect();
    forward.sort();
    let mut back = changes(&back_folder);
    back.sort();
    assert_eq!(back, forward, "{back_folder:#}");
    for (f, b) in from_folder["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["object_type"] == "migration")
        .zip(
            back_folder["changes"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["object_type"] == "migration"),
        )
    {
        assert_eq!(f["fields"][0]["expected"], b["fields"][0]["actual"]);
        assert_eq!(f["fields"][0]["actual"], b["fields"][0]["expected"]);
        assert_eq!(f["severity"], b["severity"]);
    }
    (code, from_folder)
}

#[test]
fn flyway_from_the_expected_file_alone_both_ways() {
    let db = TestDb::new("applied_file_flyway");
    let d = tempdir();
    let dir = d.path();
    write(dir, "V1__a.sql", "CREATE TABLE a (id int);\n");
    write(dir, "V1_1__b.sql", "CREATE TABLE b (id int);\n");
    write(
        dir,
        "R__views.sql",
        "CREATE OR REPLACE VIEW v AS SELECT id FROM a;\n",
    );
    run_ok(flyway(&db, dir, &[]));
    write(dir, "V2__c.sql", "CREATE TABLE c (id int);\n");
    write(dir, "V3__d.sql", "ALTER TABLE a ADD note text;\n");

    // Pending: clean, exit 0, the same lists.
    let (code, v) = one_report_from_folder_and_file(dir, &db, "flyway", &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(changes(&v), Vec::<String>::new());
    assert_eq!(list(&v, "applied"), ["1", "1.1", "R__views.sql"]);
    assert_eq!(list(&v, "pending"), ["2", "3"]);

    // A hotfix: the only change.
    db.exec("CREATE INDEX a_hotfix_idx ON a (id)");
    let (_, v) = one_report_from_folder_and_file(dir, &db, "flyway", &[]);
    assert_eq!(changes(&v), ["index-unexpected public.a.a_hotfix_idx"]);
    db.exec("DROP INDEX a_hotfix_idx");

    // Edited after it ran, and a repeatable changed since (pending: Flyway runs it again).
    write(dir, "V1_1__b.sql", "CREATE TABLE b (id int); -- edited\n");
    write(
        dir,
        "R__views.sql",
        "CREATE OR REPLACE VIEW v AS SELECT id, 1 AS one FROM a;\n",
    );
    let (code, v) = one_report_from_folder_and_file(dir, &db, "flyway", &[]);
    assert_eq!(code, 1);
    assert_eq!(
        changes(&v),
        ["migration-edited 1.1", "view-definition-changed public.v"]
    );
    assert_eq!(list(&v, "pending"), ["2", "3", "R__views.sql"]);
    write(dir, "V1_1__b.sql", "CREATE TABLE b (id int);\n");
    write(
        dir,
        "R__views.sql",
        "CREATE OR REPLACE VIEW v AS SELECT id FROM a;\n",
    );

    // Failed, as Flyway records a failure where DDL is not transactional.
    db.exec(
        "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, \
         checksum, installed_by, execution_time, success) \
         VALUES (4, '2', 'c', 'SQL', 'V2__c.sql', NULL, 'postgres', 7, false)",
    );
    let (code, v) = one_report_from_folder_and_file(dir, &db, "flyway", &[]);
    assert_eq!(code, 1);
    assert_eq!(changes(&v), ["migration-failed 2"]);
    assert_eq!(list(&v, "pending"), ["3"]);
    db.exec("DELETE FROM flyway_schema_history WHERE version = '2'");

    // Recorded, and no longer in the folder the file was built from.
    std::fs::remove_file(dir.join("V1_1__b.sql")).unwrap();
    let (code, v) = one_report_from_folder_and_file(dir, &db, "flyway", &[]);
    assert_eq!(code, 1);
    assert_eq!(
        changes(&v),
        ["migration-unknown 1.1", "table-unexpected public.b"]
    );

    // A format_version 1 file records no migrations: no history is read, every
    // migration is expected (the pending ones show as missing).
    let out = tempdir();
    let file = expected_file(dir, "flyway", out.path());
    let mut old: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    old["format_version"] = 1.into();
    old.as_object_mut().unwrap().remove("migrations");
    std::fs::write(&file, old.to_string()).unwrap();
    let (code, v) = diff_json(&file, &db.url, &[]);
    assert_eq!(code, 1);
    assert!(v.get("migrations").is_none(), "{v:#}");
    assert!(
        changes(&v).contains(&"table-missing public.c".to_string()),
        "{v:#}"
    );
}

#[test]
fn golang_migrate_dirty_from_the_expected_file_alone() {
    let db = TestDb::new("applied_file_migrate");
    let d = tempdir();
    let dir = d.path();
    write(dir, "0001_a.up.sql", "CREATE TABLE a (id int);");
    write(dir, "0002_b.up.sql", "CREATE TABLE b (id int);");
    write(dir, "0003_c.up.sql", "CREATE TABLE c (id int);");
    run_ok(migrate(&db, dir, &["up", "2"]));
    let (code, v) = one_report_from_folder_and_file(dir, &db, "golang-migrate", &[]);
    assert_eq!((code, changes(&v)), (0, vec![]));
    assert_eq!(list(&v, "pending"), ["3"]);

    // The tool itself leaves the database dirty at a migration that fails.
    write(
        dir,
        "0003_c.up.sql",
        "CREATE TABLE c (id int); SELECT * FROM nope;",
    );
    let (ok, text) = run_tool(migrate(&db, dir, &["up"]));
    assert!(!ok, "{text}");
    // It failed on what production holds; the file replays (the expected file is built).
    write(dir, "0003_c.up.sql", "CREATE TABLE c (id int);");
    let (code, v) = one_report_from_folder_and_file(dir, &db, "golang-migrate", &[]);
    assert_eq!(
        (code, changes(&v)),
        (1, vec!["migration-failed 3".to_string()])
    );

    // At a version the folder does not have.
    db.exec("CREATE TABLE c (id int)");
    db.exec("UPDATE schema_migrations SET version = 7, dirty = false");
    let (code, v) = one_report_from_folder_and_file(dir, &db, "golang-migrate", &[]);
    assert_eq!(
        (code, changes(&v)),
        (1, vec!["migration-unknown 7".to_string()])
    );
    assert_eq!(list(&v, "applied"), ["1", "2", "3"]);
}

#[test]
fn a_renamed_history_table_with_the_flag() {
    let db = TestDb::new("applied_flag");
    let d = tempdir();
    let dir = d.path();
    write(dir, "V1__a.sql", "CREATE TABLE a (id int);\n");
    run_ok(flyway(&db, dir, &["flyway.table=deploy_history"]));
    write(dir, "V2__b.sql", "CREATE TABLE b (id int);\n");
    let folder = dir.to_str().unwrap();

    // Without the flag no history is found: every migration is expected, and the
    // renamed table is just a table.
    let (code, v) = diff_json(folder, &db.url, &[]);
    assert_eq!(code, 1);
    assert!(v.get("migrations").is_none(), "{v:#}");
    assert!(
        changes(&v).contains(&"table-missing public.b".to_string()),
        "{v:#}"
    );

    let flag = ["--history-table", "public.deploy_history"];
    let (code, v) = one_report_from_folder_and_file(dir, &db, "flyway", &flag);
    assert_eq!((code, changes(&v)), (0, vec![]));
    assert_eq!(v["migrations"]["table"], "public.deploy_history");
    assert_eq!(list(&v, "pending"), ["2"]);
    // A bare table name is found through the search_path, as Flyway's own.
    let (code, v) = diff_json(folder, &db.url, &["--history-table", "deploy_history"]);
    assert_eq!((code, list(&v, "pending")), (0, vec!["2".to_string()]));

    for bad in [".deploy_history", "public.", ""] {
        let (code, _, err) = common::run(&["diff", folder, &db.url, "--history-table", bad]);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(err.contains("--history-table"), "{err}");
    }
}

#[test]
fn check_on_a_host_with_only_the_expected_file() {
    let db = TestDb::new("applied_cron");
    let d = tempdir();
    let dir = d.path().join("db");
    write(&dir, "V1__a.sql", "CREATE TABLE a (id int);\n");
    write(&dir, "V2__b.sql", "CREATE TABLE b (id int);\n");
    run_ok(flyway(&db, &dir, &[]));
    write(&dir, "V2__b.sql", "CREATE TABLE b (id bigint);\n");
    write(&dir, "V3__c.sql", "CREATE TABLE c (id int);\n");
    write(&dir, "V4__d.sql", "CREATE TABLE d (id int);\n");
    db.exec("CREATE INDEX a_hotfix_idx ON a (id)");
    let server = common::server_url();
    let cfg = d.path().join("schemadrift.toml");
    std::fs::write(
        &cfg,
        format!(
            "[postgres]\nmigrations = \"db\"\nmigrations_format = \"flyway\"\nshadow = \"{server}\"\n\n\
             [targets.prod]\npostgres = \"{}\"\n",
            db.url
        ),
    )
    .unwrap();
    let cfg = cfg.to_str().unwrap();
    let (code, _, err) = common::run(&["expected", "--config", cfg]);
    assert_eq!(code, 0, "{err}");
    let check = |format: &str| {
        let (code, out, err) = common::run(&["check", "--config", cfg, "--format", format]);
        assert!(code == 0 || code == 1, "{out}{err}");
        (code, out)
    };
    let (code, json) = check("json");
    let (_, text) = check("text");

    // The cron host: the binary, the config and expected/, no folder, no shadow.
    std::fs::rename(&dir, d.path().join("elsewhere")).unwrap();
    let (code_file, json_file) = check("json");
    let (_, text_file) = check("text");
    assert_eq!(code, 1);
    assert_eq!(code_file, code);
    let target = |out: &str| {
        let v: Value = serde_json::from_str(out).unwrap();
        unnamed(v["targets"][0]["report"].clone())
    };
    assert_eq!(target(&json_file), target(&json));
    let rep = target(&json_file);
    assert_eq!(
        changes(&rep),
        [
            "migration-edited 2",
            "index-unexpected public.a.a_hotfix_idx",
            // The edited migration is what the expected schema replays.
            "column-type-changed public.b.id"
        ]
    );
    assert_eq!(list(&rep, "pending"), ["3", "4"]);
    // The text report names its expected side, and is otherwise the same.
    let body = |t: &str| {
        t.lines()
            .filter(|l| !l.starts_with("expected:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(&text_file), body(&text));
    assert!(
        text_file.contains("2 migrations pending: 3, 4"),
        "{text_file}"
    );
    println!("{text_file}");
}
