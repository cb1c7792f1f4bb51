//! The migration tools themselves write their history tables; schemadrift reads
//! them and compares them with the folder.
//!
//! `scripts/test.sh` installs the tools (scripts/lib/tools.sh) and exports
//! `SCHEMADRIFT_TOOLS_BIN`. Each test makes its own database, lets the real tool
//! apply part of a folder, then checks what the reader finds: applied and pending
//! migrations, each checksum we compute equal to the one the tool recorded (the
//! proof that the algorithms are the tools' own), and edited, failed and unknown
//! migrations. Prisma's engine cannot be installed here (it downloads from Prisma's
//! own site), so its rows are written as its source writes them, with checksums
//! from `sha256sum`.
mod common;

use std::path::Path;

use common::tools::*;
use common::TestDb;
use schemadrift::history::{
    self, checksum, Classification, ClassifyOptions, Entry, FolderMigration, History, HistoryError,
    RecordState, TableName, Tool,
};
use schemadrift::migrations::discover::{discover, Format};

/// Read `tool`'s table inside a REPEATABLE READ READ ONLY transaction, as a
/// snapshot does, and prove the transaction is still usable afterwards.
fn read(db: &TestDb, tool: Tool, table: &TableName) -> Result<Option<History>, HistoryError> {
    read_url(&db.url, tool, table)
}

fn read_url(url: &str, tool: Tool, table: &TableName) -> Result<Option<History>, HistoryError> {
    let url = url.to_string();
    let table = table.clone();
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                let (mut client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                    .await
                    .unwrap();
                let h = tokio::spawn(conn);
                let tx = client
                    .build_transaction()
                    .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
                    .read_only(true)
                    .start()
                    .await
                    .unwrap();
                let got = history::read(&tx, tool, &table).await;
                let one: i32 = tx
                    .query_one("SELECT 1", &[])
                    .await
                    .expect("the transaction survives reading the history")
                    .get(0);
                assert_eq!(one, 1);
                tx.commit().await.unwrap();
                drop(client);
                let _ = h.await;
                got
            })
    })
    .join()
    .unwrap()
}

fn read_default(db: &TestDb, tool: Tool) -> History {
    read(db, tool, &TableName::default_for(tool))
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no {} table", tool.default_table()))
}

/// A migration file of a folder.
struct File {
    version: Option<String>,
    description: String,
    script: String,
    bytes: Vec<u8>,
}

fn folder_migration(dir: &Path, version: Option<&str>, description: &str, rel: &str) -> File {
    File {
        version: version.map(str::to_string),
        description: description.to_string(),
        script: rel.to_string(),
        bytes: std::fs::read(dir.join(rel)).unwrap(),
    }
}

/// The folder as migration discovery reads it, the files a tool records.
fn discovered(dir: &Path, format: Format) -> Vec<File> {
    discover(dir, Some(format))
        .unwrap_or_else(|e| panic!("{e}"))
        .migrations
        .iter()
        .filter(|m| FolderMigration::recorded(m))
        .map(|m| File {
            version: m.version.clone(),
            description: m.description.clone(),
            script: m.display_name.clone(),
            bytes: m.raw.clone(),
        })
        .collect()
}

/// The files, with their checksums by the history's tool, against the history.
fn classify(h: &History, files: &[File]) -> Classification {
    let folder: Vec<FolderMigration> = files
        .iter()
        .map(|f| {
            FolderMigration::new(
                h.tool,
                f.version.clone(),
                &f.description,
                &f.script,
                &f.bytes,
                &ClassifyOptions::default(),
            )
        })
        .collect();
    history::classify(h, &folder)
}

fn names(v: &[Entry]) -> Vec<&str> {
    v.iter().map(|e| e.name.as_str()).collect()
}

/// The key proof: for every applied migration, the checksum computed from the file
/// by our reproduction of the tool's algorithm is the one the tool recorded.
fn assert_checksums_match(c: &Classification) {
    for e in &c.applied {
        assert!(
            e.recorded_checksum.is_some(),
            "{}: the tool recorded no checksum",
            e.name
        );
        assert_eq!(
            e.file_checksum, e.recorded_checksum,
            "{}: our checksum differs from the tool's",
            e.name
        );
    }
}

// ------------------------------------------------------------------- Flyway --

#[test]
fn flyway_applied_pending_edited_unknown_and_repeatables() {
    let db = TestDb::new("hist_flyway");
    let d = tempdir();
    let dir = d.path();
    write(dir, "V1__init.sql", "CREATE TABLE a (id int);\n");
    // A byte-order mark and CRLF line endings: Flyway's checksum ignores both.
    write(
        dir,
        "V1_1__add_b.sql",
        "\u{feff}CREATE TABLE b (\r\n  id int\r\n);\r\n\r\nCOMMENT ON TABLE b IS 'ü';\r\n",
    );
    write(
        dir,
        "R__views.sql",
        "CREATE OR REPLACE VIEW v AS SELECT id FROM a;\n",
    );
    run_ok(flyway(&db, dir, &[]));
    write(dir, "V2__later.sql", "CREATE TABLE c (id int);\n");

    let folder = |dir: &Path| {
        let mut f = vec![
            folder_migration(dir, Some("1"), "init", "V1__init.sql"),
            folder_migration(dir, Some("1_1"), "add b", "V1_1__add_b.sql"),
            folder_migration(dir, Some("2"), "later", "V2__later.sql"),
        ];
        if dir.join("R__views.sql").exists() {
            f.push(folder_migration(dir, None, "views", "R__views.sql"));
        }
        f
    };
    let h = read_default(&db, Tool::Flyway);
    assert_eq!(h.schema, "public");
    // Flyway writes `1_1` as "1.1".
    let versions: Vec<_> = h.records.iter().filter_map(|r| r.version.clone()).collect();
    assert_eq!(versions, ["1", "1.1"]);
    let c = classify(&h, &folder(dir));
    assert_eq!(names(&c.applied), ["1", "1.1", "R__views.sql"]);
    assert_eq!(names(&c.pending), ["2"]);
    assert!(c.edited.is_empty() && c.failed.is_empty() && c.unknown.is_empty());
    assert_checksums_match(&c);
    // Migration discovery's view of the folder gives the same answer.
    let by_discovery = classify(&h, &discovered(dir, Format::Flyway));
    assert_eq!(by_discovery, c);

    // Edited after it ran: a versioned migration is edited; a repeatable one is
    // pending, since Flyway applies it again.
    write(dir, "V1__init.sql", "CREATE TABLE a (id bigint);\n");
    write(
        dir,
        "R__views.sql",
        "CREATE OR REPLACE VIEW v AS SELECT id, 1 AS one FROM a;\n",
    );
    let c = classify(&h, &folder(dir));
    assert_eq!(names(&c.edited), ["1"]);
    assert_ne!(c.edited[0].file_checksum, c.edited[0].recorded_checksum);
    assert_eq!(names(&c.pending), ["2", "R__views.sql"]);
    assert_eq!(c.pending[1].note, Some("outdated repeatable"));

    // Only line endings changed: not edited, as Flyway sees it.
    write(dir, "V1__init.sql", "CREATE TABLE a (id int);\r\n");
    std::fs::remove_file(dir.join("R__views.sql")).unwrap();
    let c = classify(&h, &folder(dir));
    assert!(c.edited.is_empty(), "{:?}", c.edited);
    // Recorded, no file.
    assert_eq!(names(&c.unknown), ["R__views.sql"]);
}

#[test]
fn flyway_failed_migration_in_a_renamed_table() {
    let db = TestDb::new("hist_flyway_failed");
    let d = tempdir();
    let dir = d.path();
    write(dir, "V1__init.sql", "CREATE TABLE a (id int);\n");
    let renamed = ["flyway.table=deploy_history", "flyway.schemas=ops"];
    run_ok(flyway(&db, dir, &renamed));
    // Flyway 13 on PostgreSQL leaves no `success = false` row, even for a
    // non-transactional migration (it logs the failure and the row is rolled
    // back with its transaction); older versions, and databases without
    // transactional DDL, keep one. Such a row, as Flyway writes it:
    db.exec(
        "INSERT INTO ops.deploy_history (installed_rank, version, description, type, script, \
         checksum, installed_by, execution_time, success) \
         VALUES (2, '2', 'broken', 'SQL', 'V2__broken.sql', NULL, 'postgres', 7, false)",
    );
    write(dir, "V2__broken.sql", "SELECT * FROM no_such_table;\n");
    // ... is one Flyway itself refuses to go on from.
    let (ok, text) = run_tool(flyway(&db, dir, &renamed));
    assert!(
        !ok && text.contains("failed migration to version 2"),
        "{text}"
    );

    // Not at the default name: no history there.
    assert!(
        read(&db, Tool::Flyway, &TableName::default_for(Tool::Flyway))
            .unwrap()
            .is_none()
    );
    let table = TableName {
        schema: Some("ops".into()),
        name: "deploy_history".into(),
    };
    let h = read(&db, Tool::Flyway, &table).unwrap().unwrap();
    assert_eq!(
        (h.schema.as_str(), h.table.as_str()),
        ("ops", "deploy_history")
    );
    let folder = [
        folder_migration(dir, Some("1"), "init", "V1__init.sql"),
        folder_migration(dir, Some("2"), "broken", "V2__broken.sql"),
    ];
    let c = classify(&h, &folder);
    assert_eq!(names(&c.applied), ["1"]);
    assert_eq!(names(&c.failed), ["2"]);
    assert_eq!(c.failed[0].note, Some("success = false"));
    assert_checksums_match(&c);
}

// ----------------------------------------------------------- golang-migrate --

/// `<version>_<name><suffix>` files (golang-migrate's `.up.sql`; goose's, dbmate's and
/// sqlx's `.sql`), in version order.
fn versioned_files(dir: &Path, suffix: &str) -> Vec<File> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(suffix))
        .collect();
    names.sort_by_key(|n| (n.split('_').next().unwrap().parse::<u64>().ok(), n.clone()));
    names
        .iter()
        .map(|n| {
            let (v, rest) = n.split_once('_').unwrap();
            folder_migration(dir, Some(v), rest.trim_end_matches(suffix), n)
        })
        .collect()
}

fn migrate_folder(dir: &Path) -> Vec<File> {
    versioned_files(dir, ".up.sql")
}

#[test]
fn golang_migrate_current_version_dirty_and_unknown() {
    let db = TestDb::new("hist_migrate");
    let d = tempdir();
    let dir = d.path();
    write(dir, "0001_a.up.sql", "CREATE TABLE a (id int);");
    write(dir, "0002_b.up.sql", "CREATE TABLE b (id int);");
    write(dir, "0003_c.up.sql", "CREATE TABLE c (id int);");
    run_ok(migrate(&db, dir, &["up", "2"]));
    let h = read_default(&db, Tool::GolangMigrate);
    assert_eq!(h.records.len(), 1);
    assert_eq!(h.records[0].version.as_deref(), Some("2"));
    let c = classify(&h, &migrate_folder(dir));
    assert_eq!(names(&c.applied), ["1", "2"]);
    assert_eq!(names(&c.pending), ["3"]);
    let by_discovery = classify(&h, &discovered(dir, Format::GolangMigrate));
    assert_eq!(names(&by_discovery.applied), names(&c.applied));
    assert_eq!(names(&by_discovery.pending), names(&c.pending));

    // A broken migration leaves the database dirty at its version.
    write(
        dir,
        "0003_c.up.sql",
        "CREATE TABLE c (id int); SELECT * FROM nope;",
    );
    let (ok, text) = run_tool(migrate(&db, dir, &["up"]));
    assert!(!ok, "{text}");
    let h = read_default(&db, Tool::GolangMigrate);
    assert_eq!(h.records[0].state, RecordState::Failed);
    let c = classify(&h, &migrate_folder(dir));
    assert_eq!(names(&c.applied), ["1", "2"]);
    assert_eq!(names(&c.failed), ["3"]);
    assert_eq!(c.failed[0].note, Some("dirty"));

    // The database is at a version the folder does not have.
    std::fs::remove_file(dir.join("0003_c.up.sql")).unwrap();
    run_ok(migrate(&db, dir, &["force", "2"]));
    write(dir, "0003_c.up.sql", "CREATE TABLE c (id int);");
    write(dir, "0004_d.up.sql", "CREATE TABLE d (id int);");
    run_ok(migrate(&db, dir, &["up"]));
    std::fs::remove_file(dir.join("0004_d.up.sql")).unwrap();
    let h = read_default(&db, Tool::GolangMigrate);
    let c = classify(&h, &migrate_folder(dir));
    assert_eq!(names(&c.applied), ["1", "2", "3"]);
    assert_eq!(names(&c.unknown), ["4"]);
}

#[test]
fn golang_migrate_renamed_table_and_a_foreign_table_of_the_same_name() {
    let db = TestDb::new("hist_migrate_table");
    let d = tempdir();
    let dir = d.path();
    write(dir, "1_a.up.sql", "CREATE TABLE a (id int);");
    let url = format!("{}&x-migrations-table=migrate_version", url_no_tls(&db));
    let mut c = tool_cmd("migrate");
    c.arg("-path").arg(dir).arg("-database").arg(url).arg("up");
    run_ok(c);
    let table = TableName {
        schema: None,
        name: "migrate_version".into(),
    };
    let h = read(&db, Tool::GolangMigrate, &table).unwrap().unwrap();
    let c = classify(&h, &migrate_folder(dir));
    assert_eq!(names(&c.applied), ["1"]);

    // A `schema_migrations` of another tool (Rails', dbmate's): refused with a
    // sentence, and the transaction goes on.
    db.exec("CREATE TABLE schema_migrations (version varchar PRIMARY KEY)");
    let err = read(
        &db,
        Tool::GolangMigrate,
        &TableName::default_for(Tool::GolangMigrate),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "public.schema_migrations is not golang-migrate's history table: it has no column `dirty`"
    );
}

// -------------------------------------------------------------------- goose --

fn goose_folder(dir: &Path) -> Vec<File> {
    versioned_files(dir, ".sql")
}

#[test]
fn goose_applied_reverted_pending_and_unknown() {
    let db = TestDb::new("hist_goose");
    let d = tempdir();
    let dir = d.path();
    write(dir, "00001_a.sql", &goose_sql("CREATE TABLE a (id int);"));
    write(dir, "00002_b.sql", &goose_sql("CREATE TABLE b (id int);"));
    write(dir, "00003_c.sql", &goose_sql("CREATE TABLE c (id int);"));
    run_ok(goose(&db, dir, &["up"]));
    run_ok(goose(&db, dir, &["down"]));
    write(dir, "00004_d.sql", &goose_sql("CREATE TABLE d (id int);"));
    let h = read_default(&db, Tool::Goose);
    let c = classify(&h, &goose_folder(dir));
    assert_eq!(names(&c.applied), ["1", "2"]);
    assert_eq!(names(&c.pending), ["3", "4"]);

    // goose has no failed state: a failing migration is rolled back and not recorded.
    write(
        dir,
        "00003_c.sql",
        &goose_sql("CREATE TABLE c (id int); SELECT * FROM nope;"),
    );
    let (ok, text) = run_tool(goose(&db, dir, &["up"]));
    assert!(!ok, "{text}");
    let h = read_default(&db, Tool::Goose);
    std::fs::remove_file(dir.join("00001_a.sql")).unwrap();
    let c = classify(&h, &goose_folder(dir));
    assert!(c.failed.is_empty());
    assert_eq!(names(&c.applied), ["2"]);
    assert_eq!(names(&c.pending), ["3", "4"]);
    assert_eq!(names(&c.unknown), ["1"]);
}

// ------------------------------------------------------------------- dbmate --

#[test]
fn dbmate_applied_pending_unknown_and_a_renamed_table() {
    let db = TestDb::new("hist_dbmate");
    let d = tempdir();
    let dir = d.path();
    write(
        dir,
        "20240101000001_a.sql",
        &dbmate_sql("CREATE TABLE a (id int);"),
    );
    write(
        dir,
        "20240101000002_b.sql",
        &dbmate_sql("CREATE TABLE b (id int);"),
    );
    run_ok(dbmate(&db, dir, &["up"]));
    write(
        dir,
        "20240101000003_c.sql",
        &dbmate_sql("CREATE TABLE c (id int); SELECT * FROM nope;"),
    );
    // dbmate has no failed state either: the failing migration is rolled back.
    let (ok, text) = run_tool(dbmate(&db, dir, &["up"]));
    assert!(!ok, "{text}");
    std::fs::remove_file(dir.join("20240101000001_a.sql")).unwrap();
    let folder = goose_folder(dir);
    let h = read_default(&db, Tool::Dbmate);
    let c = classify(&h, &folder);
    assert_eq!(names(&c.applied), ["20240101000002"]);
    assert_eq!(names(&c.pending), ["20240101000003"]);
    assert_eq!(names(&c.unknown), ["20240101000001"]);
}

#[test]
fn dbmate_renamed_table_in_another_schema() {
    let db = TestDb::new("hist_dbmate_table");
    let d = tempdir();
    let dir = d.path();
    write(dir, "001_a.sql", &dbmate_sql("CREATE TABLE a (id int);"));
    db.exec("CREATE SCHEMA ops");
    run_ok(dbmate(
        &db,
        dir,
        &["--migrations-table", "ops.dbmate_versions", "up"],
    ));
    assert!(
        read(&db, Tool::Dbmate, &TableName::default_for(Tool::Dbmate))
            .unwrap()
            .is_none()
    );
    let table = TableName {
        schema: Some("ops".into()),
        name: "dbmate_versions".into(),
    };
    let h = read(&db, Tool::Dbmate, &table).unwrap().unwrap();
    // dbmate keeps the digits as written: "001", not 1.
    let c = classify(&h, &goose_folder(dir));
    assert_eq!(names(&c.applied), ["001"]);
}

// --------------------------------------------------------------------- sqlx --

#[test]
fn sqlx_applied_pending_edited_failed_and_unknown() {
    let db = TestDb::new("hist_sqlx");
    let d = tempdir();
    let dir = d.path();
    write(dir, "1_create_a.sql", "CREATE TABLE a (id int);\n");
    // sqlx hashes the bytes as they are: CRLFs count.
    write(
        dir,
        "2_create_b.sql",
        "CREATE TABLE b (\r\n  id int\r\n);\r\n",
    );
    write(
        dir,
        "20240102030405_create_c.sql",
        "CREATE TABLE c (id int);\n",
    );
    run_ok(rust_migrator("sqlx", &db, dir));
    write(
        dir,
        "20240102030406_create_d.sql",
        "CREATE TABLE d (id int);\n",
    );
    let folder = |dir: &Path| goose_folder(dir);
    let h = read_default(&db, Tool::Sqlx);
    let c = classify(&h, &folder(dir));
    assert_eq!(names(&c.applied), ["1", "2", "20240102030405"]);
    assert_eq!(names(&c.pending), ["20240102030406"]);
    assert_checksums_match(&c);
    let by_discovery = classify(&h, &discovered(dir, Format::Sqlx));
    assert_eq!(names(&by_discovery.applied), names(&c.applied));
    assert_eq!(names(&by_discovery.pending), names(&c.pending));
    assert_checksums_match(&by_discovery);

    // One byte more is an edit, line endings included.
    write(dir, "2_create_b.sql", "CREATE TABLE b (\n  id int\n);\n");
    std::fs::remove_file(dir.join("1_create_a.sql")).unwrap();
    let c = classify(&h, &folder(dir));
    assert_eq!(names(&c.edited), ["2"]);
    assert_eq!(names(&c.unknown), ["1"]);

    // sqlx 0.9 runs a migration and its row in one transaction, so it no longer
    // writes `success = false` itself (sqlx up to 0.5 did, before running the
    // script); such a row, as those versions left it, is one sqlx still refuses.
    db.exec(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (20240102030406, 'create d', FALSE, '\\x00', -1)",
    );
    let (ok, text) = run_tool(rust_migrator("sqlx", &db, dir));
    assert!(!ok && text.contains("20240102030406"), "{text}");
    let h = read_default(&db, Tool::Sqlx);
    let c = classify(&h, &folder(dir));
    assert_eq!(names(&c.failed), ["20240102030406"]);
    assert_eq!(c.failed[0].note, Some("success = false"));
}

// ------------------------------------------------------------------- diesel --

fn diesel_folder(dir: &Path) -> Vec<File> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .iter()
        .map(|n| {
            // diesel's version: the directory name before its first `_`, dashes removed.
            let (v, rest) = n.split_once('_').unwrap();
            folder_migration(dir, Some(&v.replace('-', "")), rest, &format!("{n}/up.sql"))
        })
        .collect()
}

#[test]
fn diesel_applied_pending_and_unknown() {
    let db = TestDb::new("hist_diesel");
    let d = tempdir();
    let dir = d.path();
    write(
        dir,
        "00000000000000_diesel_initial_setup/up.sql",
        "SELECT 1;\n",
    );
    write(
        dir,
        "00000000000000_diesel_initial_setup/down.sql",
        "SELECT 1;\n",
    );
    write(
        dir,
        "2024-01-01-000001_create_a/up.sql",
        "CREATE TABLE a (id int);\n",
    );
    write(
        dir,
        "2024-01-01-000001_create_a/down.sql",
        "DROP TABLE a;\n",
    );
    run_ok(rust_migrator("diesel", &db, dir));
    write(
        dir,
        "2024-01-02-000001_create_b/up.sql",
        "CREATE TABLE b (id int);\n",
    );
    write(
        dir,
        "2024-01-02-000001_create_b/down.sql",
        "DROP TABLE b;\n",
    );
    let h = read_default(&db, Tool::Diesel);
    let c = classify(&h, &diesel_folder(dir));
    assert_eq!(names(&c.applied), ["00000000000000", "20240101000001"]);
    assert_eq!(names(&c.pending), ["20240102000001"]);
    let by_discovery = classify(&h, &discovered(dir, Format::Diesel));
    assert_eq!(names(&by_discovery.applied), names(&c.applied));
    assert_eq!(names(&by_discovery.pending), names(&c.pending));
    std::fs::remove_dir_all(dir.join("2024-01-01-000001_create_a")).unwrap();
    let c = classify(&h, &diesel_folder(dir));
    assert_eq!(names(&c.unknown), ["20240101000001"]);
}

// ------------------------------------------------------------------- Prisma --

#[test]
fn prisma_rows_as_its_engine_writes_them() {
    let db = TestDb::new("hist_prisma");
    db.exec(PRISMA_TABLE);
    let d = tempdir();
    let dir = d.path();
    let names_in = [
        "20240101000000_init",
        "20240102000000_b",
        "20240103000000_c",
        "20240104000000_d",
        "20240105000000_e",
    ];
    for n in names_in {
        write(
            dir,
            &format!("{n}/migration.sql"),
            &format!("-- {n}\r\nCREATE TABLE t_{} (id int);\r\n", &n[15..]),
        );
    }
    prisma_row(&db, dir, "20240101000000_init", true, false, 1);
    // Failed, marked rolled back, then applied again.
    prisma_row(&db, dir, "20240102000000_b", false, true, 2);
    prisma_row(&db, dir, "20240102000000_b", true, false, 3);
    // Failed and left so: `prisma migrate deploy` stops here (P3009).
    prisma_row(&db, dir, "20240103000000_c", false, false, 4);
    // Marked rolled back and not yet applied again: deploy will apply it.
    prisma_row(&db, dir, "20240104000000_d", false, true, 5);
    prisma_row(&db, dir, "20231231000000_gone", true, false, 6);
    let folder: Vec<_> = names_in
        .iter()
        .map(|n| folder_migration(dir, Some(n), &n[15..], &format!("{n}/migration.sql")))
        .collect();
    let h = read_default(&db, Tool::Prisma);
    let c = classify(&h, &folder);
    assert_eq!(
        names(&c.applied),
        ["20240101000000_init", "20240102000000_b"]
    );
    assert_checksums_match(&c);
    assert_eq!(names(&c.failed), ["20240103000000_c"]);
    assert_eq!(names(&c.pending), ["20240104000000_d", "20240105000000_e"]);
    assert_eq!(c.pending[0].note, Some("rolled back"));
    assert_eq!(names(&c.unknown), ["20231231000000_gone"]);

    // git turned CRLF into LF: Prisma accepts it; any other change is an edit.
    let init = dir.join("20240101000000_init/migration.sql");
    let lf = std::fs::read_to_string(&init)
        .unwrap()
        .replace("\r\n", "\n");
    std::fs::write(&init, &lf).unwrap();
    write(
        dir,
        "20240102000000_b/migration.sql",
        "CREATE TABLE t_b (id bigint);\n",
    );
    let folder: Vec<_> = names_in
        .iter()
        .map(|n| folder_migration(dir, Some(n), &n[15..], &format!("{n}/migration.sql")))
        .collect();
    let c = classify(&h, &folder);
    assert_eq!(names(&c.applied), ["20240101000000_init"]);
    assert_eq!(names(&c.edited), ["20240102000000_b"]);
    assert_eq!(
        checksum::prisma(&folder[1].bytes).as_deref(),
        Some(sha256sum(&dir.join("20240102000000_b/migration.sql")).as_str())
    );
}

// ------------------------------------------------------------ access, none --

/// Drops a test role (cluster-wide) however the test ends.
struct DropRole {
    role: String,
    db_url: String,
}

impl Drop for DropRole {
    fn drop(&mut self) {
        let r = &self.role;
        let _ = common::try_exec(&self.db_url, &format!("DROP OWNED BY {r}; DROP ROLE {r}"));
    }
}

#[test]
fn no_table_is_no_history_and_an_unreadable_one_is_a_clear_error() {
    let db = TestDb::new("hist_none");
    for tool in Tool::ALL {
        if tool == Tool::Neo4jMigrations {
            assert!(matches!(
                read(&db, tool, &TableName::default_for(tool)),
                Err(HistoryError::NotPostgres(_))
            ));
            continue;
        }
        assert!(
            read(&db, tool, &TableName::default_for(tool))
                .unwrap()
                .is_none(),
            "{tool}"
        );
    }
    // A role that may not read the table (the snapshot runs as such roles).
    let role = format!("sdt_hist_ro_{}", std::process::id());
    db.exec(&format!(
        "CREATE TABLE _sqlx_migrations (version bigint PRIMARY KEY, description text NOT NULL, \
         installed_on timestamptz NOT NULL DEFAULT now(), success bool NOT NULL, \
         checksum bytea NOT NULL, execution_time bigint NOT NULL); \
         DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN"
    ));
    let _drop_role = DropRole {
        role: role.clone(),
        db_url: db.url.clone(),
    };
    let mut u = url::Url::parse(&db.url).unwrap();
    u.set_username(&role).unwrap();
    let err = read_url(u.as_str(), Tool::Sqlx, &TableName::default_for(Tool::Sqlx)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot read sqlx's history table public._sqlx_migrations: permission denied (grant SELECT on it)"
    );
    // Nor a table in a schema it may not use.
    db.exec(&format!(
        "CREATE SCHEMA ops; CREATE TABLE ops.goose_db_version (id serial, version_id bigint, \
         is_applied bool, tstamp timestamp); GRANT SELECT ON ops.goose_db_version TO {role}"
    ));
    let table = TableName {
        schema: Some("ops".into()),
        name: "goose_db_version".into(),
    };
    let err = read_url(u.as_str(), Tool::Goose, &table).unwrap_err();
    assert!(matches!(err, HistoryError::Permission { .. }), "{err}");
    // The superuser reads it: an empty history.
    let h = read(&db, Tool::Goose, &table).unwrap().unwrap();
    assert!(h.records.is_empty());
}

// --------------------------------------------------------- neo4j-migrations --

/// neo4j-migrations' chain, written as its `recordApplication` writes it, with
/// what the tool itself is slow to provoke (a BASELINE node, a repeatable
/// migration run again, a recorded checksum no file has), read back over Bolt and
/// classified against a folder. The tool's own chain is read in the next test.
#[test]
fn neo4j_migrations_chain_read_over_bolt() {
    let g = common::graph::TestGraph::new("hist_n4m");
    let d = tempdir();
    let dir = d.path();
    write(
        dir,
        "V001__person.cypher",
        "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE;\n",
    );
    write(
        dir,
        "V002__movie.cypher",
        "CREATE INDEX movie_title IF NOT EXISTS FOR (m:Movie) ON (m.title);\n",
    );
    write(dir, "R003__counts.cypher", "MATCH (n) RETURN count(n);\n");
    write(
        dir,
        "V004__later.cypher",
        "CREATE INDEX later IF NOT EXISTS FOR (m:Movie) ON (m.year);\n",
    );
    let folder = |dir: &Path| {
        vec![
            folder_migration(dir, Some("001"), "person", "V001__person.cypher"),
            folder_migration(dir, Some("002"), "movie", "V002__movie.cypher"),
            folder_migration(dir, Some("003"), "counts", "R003__counts.cypher"),
            folder_migration(dir, Some("004"), "later", "V004__later.cypher"),
        ]
    };
    let sum = |f: &str| {
        checksum::neo4j_migrations(&std::fs::read(dir.join(f)).unwrap(), Default::default())
            .unwrap()
    };
    let node = |v: &str, desc: &str, f: &str, repeatable: bool, checksum: &str| {
        format!(
            "CREATE (:__Neo4jMigration {{version: '{v}', description: '{desc}', type: 'CYPHER', \
             repeatable: {repeatable}, source: '{f}', checksum: '{checksum}'}});\n"
        )
    };
    let link = |a: &str, b: &str| {
        format!(
            "MATCH (p:__Neo4jMigration {{version: '{a}'}}), (c:__Neo4jMigration {{version: '{b}'}}) \
             CREATE (p)-[:MIGRATED_TO {{by: 'schemadrift'}}]->(c);\n"
        )
    };
    let mut script = String::from("CREATE (:__Neo4jMigration {version: 'BASELINE'});\n");
    script += &node(
        "001",
        "person",
        "V001__person.cypher",
        false,
        &sum("V001__person.cypher"),
    );
    script += &node("002", "movie", "V002__movie.cypher", false, "12345");
    script += &node("003", "counts", "R003__counts.cypher", true, "1");
    script += &link("BASELINE", "001");
    script += &link("001", "002");
    script += &link("002", "003");
    // The repeatable one ran again with the file as it is now.
    script += &format!(
        "MATCH (n:__Neo4jMigration {{version: '003'}}) CREATE (n)-[:REPEATED {{checksum: '{}', at: 1}}]->(n);\n",
        sum("R003__counts.cypher")
    );
    g.exec(&script);

    let url = g.url.clone();
    let h = common::graph::block_on(async move {
        history::read_neo4j(&common::graph::graph(&url), None).await
    })
    .unwrap()
    .expect("the chain is there");
    let c = classify(&h, &folder(dir));
    assert_eq!(names(&c.applied), ["001", "003"]);
    assert_checksums_match(&c);
    assert_eq!(names(&c.edited), ["002"]);
    assert_eq!(names(&c.pending), ["004"]);
    // Neo4j Community has one database, which the tests take in turn: this
    // test's is emptied (the chain deleted) before it is taken again.
    drop(g);

    let empty = common::graph::TestGraph::new("hist_n4m_none");
    let url = empty.url.clone();
    let none = common::graph::block_on(async move {
        history::read_neo4j(&common::graph::graph(&url), None).await
    })
    .unwrap();
    assert!(none.is_none());
}

const PERSON: &str =
    "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE;\n";
const MOVIE: &str = "CREATE INDEX movie_title IF NOT EXISTS FOR (m:Movie) ON (m.title);\n";

/// `V001__person.cypher` (a constraint) and `V002__movie.cypher` (an index) in `dir`.
fn write_person_movie(dir: &Path) {
    write(dir, "V001__person.cypher", PERSON);
    write(dir, "V002__movie.cypher", MOVIE);
}

/// The tool itself writes its chain into a real Neo4j; schemadrift reads it back
/// over Bolt, each checksum it computes equals the one the tool recorded, and an
/// edited file and a new one are told apart from the applied ones.
#[test]
fn neo4j_migrations_writes_its_chain_and_it_is_read_over_bolt() {
    let g = common::graph::TestGraph::new("hist_n4m_tool");
    let d = tempdir();
    let dir = d.path();
    write_person_movie(dir);
    run_ok(neo4j_migrations(dir));

    write(
        dir,
        "V002__movie.cypher",
        "CREATE INDEX movie_title IF NOT EXISTS FOR (m:Movie) ON (m.title, m.year);\n",
    );
    write(
        dir,
        "V003__later.cypher",
        "CREATE INDEX later IF NOT EXISTS FOR (m:Movie) ON (m.year);\n",
    );
    let url = g.url.clone();
    let h = common::graph::block_on(async move {
        history::read_neo4j(&common::graph::graph(&url), None).await
    })
    .unwrap()
    .expect("the tool wrote its chain");
    let folder = vec![
        folder_migration(dir, Some("001"), "person", "V001__person.cypher"),
        folder_migration(dir, Some("002"), "movie", "V002__movie.cypher"),
        folder_migration(dir, Some("003"), "later", "V003__later.cypher"),
    ];
    let c = classify(&h, &folder);
    assert_eq!(names(&c.applied), ["001"]);
    assert_checksums_match(&c);
    assert_eq!(names(&c.edited), ["002"]);
    assert_eq!(names(&c.pending), ["003"]);
    assert!(c.unknown.is_empty() && c.failed.is_empty(), "{c:?}");
}

/// `schemadrift diff A B --format json` (and the check of a config): exit code and report.
fn diff_json(a: &str, b: &str) -> (i32, serde_json::Value) {
    let (code, out, err) = common::run(&["diff", a, b, "--format", "json"]);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    (
        code,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}")),
    )
}

fn n4m_list(v: &serde_json::Value, which: &str) -> Vec<String> {
    v["migrations"][which]
        .as_array()
        .unwrap_or_else(|| panic!("no migrations.{which} in {v:#}"))
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

/// The report without the one field that names the expected side (the folder or the file).
fn without_sources(mut v: serde_json::Value) -> serde_json::Value {
    for k in ["expected_source", "actual_source"] {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

/// The same diff from the folder and from an expected file of it (`schemadrift snapshot
/// FOLDER -o FILE`, format_version 2): identical reports; and the reverse direction
/// lists the same migrations.
fn n4m_folder_and_file(dir: &Path, url: &str) -> (i32, serde_json::Value) {
    let d = dir.to_str().unwrap();
    let (code, from_folder) = diff_json(d, url);
    let out = tempdir();
    let file = out.path().join("neo4j.json");
    let f = file.to_str().unwrap();
    let (c, _, err) = common::run(&["snapshot", d, "-o", f]);
    assert_eq!(c, 0, "{err}");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written["format_version"], 2);
    assert_eq!(written["migrations"]["format"], "neo4j-migrations");
    let (code_file, from_file) = diff_json(f, url);
    assert_eq!(code_file, code);
    assert_eq!(
        without_sources(from_file),
        without_sources(from_folder.clone()),
        "the file and the folder differ"
    );
    // The reverse direction reads the chain too (its changes are not symmetric: the
    // differ compares an index provider only when EXPECTED names one, as a live side does).
    let (_, reverse) = diff_json(url, d);
    assert_eq!(reverse["migrations"], from_folder["migrations"]);
    (code, from_folder)
}

/// The real neo4j-migrations applies 2 of 3 migrations: `diff FOLDER BOLT` reads its
/// chain, the expected schema is the applied two's (the third's index is not missing),
/// the third is pending (exit 0), and the tool's own constraint is not drift. Then a
/// file edited after it was applied, a recorded migration with no file, and a migration
/// that fails (the tool records none: it stays pending). Each from the folder, from an
/// expected file alone and in the reverse direction.
#[test]
fn neo4j_migrations_history_in_diff_pending_edited_unknown() {
    let g = common::graph::TestGraph::new("hist_n4m_diff");
    let d = tempdir();
    let dir = d.path();
    write_person_movie(dir);
    run_ok(neo4j_migrations(dir));
    write(
        dir,
        "V003__later.cypher",
        "CREATE INDEX later IF NOT EXISTS FOR (m:Movie) ON (m.year);\n",
    );
    let url = g.url.clone();

    // Pending only: clean.
    let (code, v) = n4m_folder_and_file(dir, &url);
    assert_eq!(common::changes(&v), Vec::<String>::new(), "{v:#}");
    assert_eq!(code, 0);
    assert_eq!(v["migrations"]["format"], "neo4j-migrations");
    assert_eq!(v["migrations"]["table"], "__Neo4jMigration");
    assert_eq!(n4m_list(&v, "applied"), ["001", "002"]);
    assert_eq!(n4m_list(&v, "pending"), ["003"]);
    for l in ["edited", "failed", "unknown"] {
        assert!(n4m_list(&v, l).is_empty(), "{l}: {v:#}");
    }
    // The text report says it in one line.
    let (_, text, _) = common::run(&["diff", dir.to_str().unwrap(), &url]);
    assert!(text.contains("1 migration pending: 003"), "{text}");

    // Without reading the history the tool's constraint would be drift: it is there.
    let live = common::graph::introspect(&url).0;
    assert!(
        live.constraints
            .values()
            .any(|c| c.name.as_deref() == Some("unique_version___Neo4jMigration")),
        "{live:?}"
    );

    // Edited after it was applied (same schema, another text): migration-edited, exit 1.
    write(
        dir,
        "V001__person.cypher",
        "// people\nCREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE;\n",
    );
    let (code, v) = n4m_folder_and_file(dir, &url);
    assert_eq!(code, 1);
    assert_eq!(common::changes(&v), ["migration-edited 001"], "{v:#}");
    assert_eq!(n4m_list(&v, "edited"), ["001"]);
    let edited = &v["changes"][0];
    assert_eq!(edited["object_type"], "migration");
    assert_eq!(edited["severity"], "error");

    // A recorded migration with no file: migration-unknown (a warning), and its
    // index is now unexpected.
    std::fs::remove_file(dir.join("V002__movie.cypher")).unwrap();
    let (code, v) = n4m_folder_and_file(dir, &url);
    assert_eq!(code, 1);
    assert_eq!(n4m_list(&v, "unknown"), ["002"]);
    let ch = common::changes(&v);
    assert!(ch.contains(&"migration-unknown 002".to_string()), "{ch:?}");
    assert!(
        ch.iter().any(|c| c.starts_with("index-unexpected")),
        "{ch:?}"
    );
    write_person_movie(dir);

    // A migration that fails (a node key, which Neo4j Community refuses):
    // neo4j-migrations records nothing for it, so it is pending, as the tool itself
    // sees it; the ones before it were applied.
    write(
        dir,
        "V004__key.cypher",
        "CREATE CONSTRAINT movie_key FOR (m:Movie) REQUIRE (m.title, m.year) IS NODE KEY;\n",
    );
    let (ok, out) = run_tool(neo4j_migrations(dir));
    assert!(!ok, "{out}");
    let (code, v) = n4m_folder_and_file(dir, &url);
    assert_eq!(n4m_list(&v, "applied"), ["001", "002", "003"], "{v:#}");
    assert_eq!(n4m_list(&v, "pending"), ["004"]);
    assert!(n4m_list(&v, "failed").is_empty());
    assert_eq!(code, 0, "{v:#}");
}

/// `check` with a Neo4j target reads the chain too, from the config's folder or, on a
/// host with only `expected/neo4j.json`, from the file's record: the same report.
#[test]
fn neo4j_migrations_history_in_check_folder_or_file() {
    let g = common::graph::TestGraph::new("hist_n4m_check");
    let d = tempdir();
    let root = d.path();
    let dir = root.join("neo4j");
    write(
        &dir,
        "V001__person.cypher",
        "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE;\n",
    );
    run_ok(neo4j_migrations(&dir));
    write(
        &dir,
        "V002__movie.cypher",
        "CREATE INDEX movie_title IF NOT EXISTS FOR (m:Movie) ON (m.title);\n",
    );
    write(
        root,
        "schemadrift.toml",
        &format!(
            "[neo4j]\nmigrations = \"neo4j\"\nexpected = \"expected/neo4j.json\"\n\n[targets.graph]\nneo4j = \"{}\"\n",
            g.url
        ),
    );
    let cfg = root.join("schemadrift.toml");
    let cfg = cfg.to_str().unwrap();
    let (c, _, err) = common::run(&["expected", "--config", cfg]);
    assert_eq!(c, 0, "{err}");
    let check = || {
        let (code, out, err) = common::run(&["check", "--config", cfg, "--format", "json"]);
        assert!(code == 0 || code == 1, "exit {code}: {err}");
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        (code, v["targets"][0]["report"].clone())
    };
    let (code, with_folder) = check();
    assert_eq!(code, 0, "{with_folder:#}");
    assert_eq!(n4m_list(&with_folder, "applied"), ["001"]);
    assert_eq!(n4m_list(&with_folder, "pending"), ["002"]);
    assert_eq!(common::changes(&with_folder), Vec::<String>::new());
    // The cron host: no folder.
    std::fs::rename(&dir, root.join("elsewhere")).unwrap();
    let (code, file_only) = check();
    assert_eq!(code, 0);
    assert_eq!(without_sources(file_only), without_sources(with_folder));
}
