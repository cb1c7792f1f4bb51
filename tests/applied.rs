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
use common::TestDb;
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

/// The report's changes as `code object`.
fn changes(v: &Value) -> Vec<String> {
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
