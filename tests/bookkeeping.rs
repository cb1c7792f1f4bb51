//! The migration tools' own tables are bookkeeping, not drift: left out of every
//! comparison on both sides (live and live, file and live, folder and live), listed
//! one line each in text and Markdown and in the JSON report's `bookkeeping`, and
//! compared again with `--include-bookkeeping` (or the config's key).
//!
//! Each table is written by the tool itself where the tests run it
//! (scripts/lib/tools.sh: Flyway, golang-migrate, goose, dbmate, sqlx's and
//! diesel's migrators, neo4j-migrations against the real Neo4j); Prisma's, Atlas',
//! Liquibase's, Rails' and the Supabase CLI's engines cannot run here, so their
//! tables are made with the DDL their sources run (each constant names it).
mod common;

use std::path::Path;

use common::tools::*;
use common::{changes, TestDb};
use serde_json::Value;

/// The schema the migrations make, which each tool's folder below creates.
const T: &str = "CREATE TABLE t (id int);\n";

/// `schemadrift diff` of `want` and `have` as text, Markdown and JSON (with `extra`
/// arguments): the exit code and each output.
fn diff_all(want: &str, have: &str, extra: &[&str]) -> (i32, String, String, Value) {
    let run = |format: &str| {
        let mut args = vec!["diff", want, have, "--format", format];
        args.extend_from_slice(extra);
        let (code, out, err) = common::run(&args);
        assert!(code == 0 || code == 1, "diff --format {format}: {err}");
        (code, out)
    };
    let (code, text) = run("text");
    let (_, markdown) = run("markdown");
    let (_, json) = run("json");
    let json = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    (code, text, markdown, json)
}

/// The JSON report's `bookkeeping` as (object, tool, sides).
fn listed(json: &Value) -> Vec<(String, String, Vec<String>)> {
    json["bookkeeping"]
        .as_array()
        .unwrap_or_else(|| panic!("no bookkeeping in {json:#}"))
        .iter()
        .map(|b| {
            let s = |k: &str| b[k].as_str().unwrap().to_string();
            let sides = b["sides"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect();
            (s("object"), s("tool"), sides)
        })
        .collect()
}

/// A database where `apply` ran (the tool writing its own tables) against one made
/// from the migrations' SQL alone, both ways round and as a snapshot file: no
/// change, one line per table (`bookkeeping: public.x (Tool)`) in text and Markdown,
/// each listed in JSON with its side; the fix script has nothing to do.
/// `--include-bookkeeping` compares them: each is an unexpected (or missing) table.
fn assert_bookkeeping(name: &str, tables: &[(&str, &str)], apply: impl FnOnce(&TestDb)) {
    let want = TestDb::with_sql(&format!("{name}_want"), T);
    let have = TestDb::new(&format!("{name}_have"));
    apply(&have);
    let d = tempdir();
    let file = d.path().join("want.json");
    let file = file.to_str().unwrap();
    let (code, _, err) = common::run(&["snapshot", &want.url, "-o", file]);
    assert_eq!(code, 0, "{err}");
    let cases = [
        (want.url.as_str(), have.url.as_str(), "actual"),
        (have.url.as_str(), want.url.as_str(), "expected"),
        (file, have.url.as_str(), "actual"),
    ];
    for (e, a, side) in cases {
        let (code, text, markdown, json) = diff_all(e, a, &[]);
        assert_eq!(
            changes(&json),
            Vec::<String>::new(),
            "{name} ({side}):\n{text}"
        );
        assert_eq!(code, 0, "{name} ({side}):\n{text}");
        for (table, tool) in tables {
            let line = format!("bookkeeping: {table} ({tool})\n");
            assert_eq!(text.matches(&line).count(), 1, "{name}: {line}\n{text}");
            let md = format!("- bookkeeping: `{table}` ({tool})\n");
            assert!(markdown.contains(&md), "{name}: {md}\n{markdown}");
        }
        let mut want_listed: Vec<(String, String, Vec<String>)> = tables
            .iter()
            .map(|(t, o)| (t.to_string(), o.to_string(), vec![side.to_string()]))
            .collect();
        want_listed.sort();
        assert_eq!(listed(&json), want_listed, "{name}");
        let (code, sql, err) = common::run(&["diff", e, a, "--format", "sql"]);
        assert_eq!(code, 0, "{name}: {err}\n{sql}");
        assert!(
            !tables.iter().any(|(t, _)| sql.contains(t)),
            "{name}: the fix script touches bookkeeping:\n{sql}"
        );

        let (code, text, _, json) = diff_all(e, a, &["--include-bookkeeping"]);
        assert_eq!(code, 1, "{name} --include-bookkeeping:\n{text}");
        assert!(json.get("bookkeeping").is_none(), "{name}: {json:#}");
        assert!(!text.contains("bookkeeping:"), "{name}: {text}");
        let kind = if side == "expected" {
            "table-missing"
        } else {
            "table-unexpected"
        };
        let found = changes(&json);
        for (table, _) in tables {
            // A table in a schema of its own is reported with its schema.
            let schema = table.split('.').next().unwrap();
            let (t, s) = (
                format!("{kind} {table}"),
                format!("{} {schema}", kind.replace("table", "schema")),
            );
            assert!(
                found.contains(&t) || (schema != "public" && found.contains(&s)),
                "{name}: no {t} in {found:?}"
            );
        }
    }
}

#[test]
fn flyway_table_is_bookkeeping() {
    assert_bookkeeping(
        "bk_flyway",
        &[("public.flyway_schema_history", "Flyway")],
        |db| {
            let d = tempdir();
            write(d.path(), "V1__t.sql", T);
            run_ok(flyway(db, d.path(), &[]));
        },
    );
}

#[test]
fn golang_migrate_table_is_bookkeeping() {
    assert_bookkeeping(
        "bk_migrate",
        &[("public.schema_migrations", "golang-migrate")],
        |db| {
            let d = tempdir();
            write(d.path(), "1_t.up.sql", T);
            run_ok(migrate(db, d.path(), &["up"]));
        },
    );
}

#[test]
fn dbmate_table_is_bookkeeping() {
    assert_bookkeeping(
        "bk_dbmate",
        &[("public.schema_migrations", "dbmate or Rails")],
        |db| {
            let d = tempdir();
            write(d.path(), "20240101000000_t.sql", &dbmate_sql(T));
            run_ok(dbmate(db, d.path(), &["up"]));
        },
    );
}

/// goose's `id` column owns a sequence (serial or identity): it goes with the table.
#[test]
fn goose_table_and_its_sequence_are_bookkeeping() {
    assert_bookkeeping("bk_goose", &[("public.goose_db_version", "goose")], |db| {
        let d = tempdir();
        write(d.path(), "1_t.sql", &goose_sql(T));
        run_ok(goose(db, d.path(), &["up"]));
    });
}

#[test]
fn sqlx_and_diesel_tables_are_bookkeeping() {
    assert_bookkeeping("bk_sqlx", &[("public._sqlx_migrations", "sqlx")], |db| {
        let d = tempdir();
        write(d.path(), "1_t.sql", T);
        run_ok(rust_migrator("sqlx", db, d.path()));
    });
    assert_bookkeeping(
        "bk_diesel",
        &[("public.__diesel_schema_migrations", "diesel")],
        |db| {
            let d = tempdir();
            write(d.path(), "2024-01-01-000001_t/up.sql", T);
            write(d.path(), "2024-01-01-000001_t/down.sql", "DROP TABLE t;\n");
            run_ok(rust_migrator("diesel", db, d.path()));
        },
    );
}

/// Rails' tables as ActiveRecord's `SchemaMigration` and `InternalMetadata` create
/// them on PostgreSQL (`create_table ... id: false` with a string primary key;
/// `t.timestamps` is `timestamp(6) NOT NULL`).
const RAILS_TABLES: &str = r#"
CREATE TABLE "schema_migrations" ("version" character varying NOT NULL PRIMARY KEY);
CREATE TABLE "ar_internal_metadata" ("key" character varying NOT NULL PRIMARY KEY,
    "value" character varying, "created_at" timestamp(6) NOT NULL,
    "updated_at" timestamp(6) NOT NULL);"#;

/// The Supabase CLI's history table, as `pkg/migration/history.go` makes it.
const SUPABASE_TABLE: &str = "
CREATE SCHEMA IF NOT EXISTS supabase_migrations;
CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY);
ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[];
ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text;";

/// Atlas' revisions table (its `Revision` ent schema), in its own schema, as Atlas
/// creates it on PostgreSQL.
const ATLAS_TABLE: &str = r#"
CREATE SCHEMA "atlas_schema_revisions";
CREATE TABLE "atlas_schema_revisions"."atlas_schema_revisions" ("version" character varying NOT NULL,
    "description" character varying NOT NULL, "type" bigint NOT NULL DEFAULT 2,
    "applied" bigint NOT NULL DEFAULT 0, "total" bigint NOT NULL DEFAULT 0,
    "executed_at" timestamptz NOT NULL, "execution_time" bigint NOT NULL, "error" text NULL,
    "error_stmt" text NULL, "hash" character varying NOT NULL, "partial_hashes" jsonb NULL,
    "operator_version" character varying NOT NULL, PRIMARY KEY ("version"));"#;

/// Liquibase's tables as its `CreateDatabaseChangeLogTableGenerator` and
/// `CreateDatabaseChangeLogLockTableGenerator` write them for PostgreSQL.
const LIQUIBASE_TABLES: &str = "
CREATE TABLE public.databasechangeloglock (ID INTEGER NOT NULL, LOCKED BOOLEAN NOT NULL,
    LOCKGRANTED TIMESTAMP WITHOUT TIME ZONE, LOCKEDBY VARCHAR(255),
    CONSTRAINT databasechangeloglock_pkey PRIMARY KEY (ID));
CREATE TABLE public.databasechangelog (ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL,
    FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED TIMESTAMP WITHOUT TIME ZONE NOT NULL,
    ORDEREXECUTED INTEGER NOT NULL, EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35),
    DESCRIPTION VARCHAR(255), COMMENTS VARCHAR(255), TAG VARCHAR(255), LIQUIBASE VARCHAR(20),
    CONTEXTS VARCHAR(255), LABELS VARCHAR(255), DEPLOYMENT_ID VARCHAR(10));";

#[test]
fn prisma_rails_supabase_atlas_and_liquibase_tables_are_bookkeeping() {
    assert_bookkeeping(
        "bk_prisma",
        &[("public._prisma_migrations", "Prisma")],
        |db| db.exec(&format!("{PRISMA_TABLE}\n{T}")),
    );
    assert_bookkeeping(
        "bk_rails",
        &[
            ("public.ar_internal_metadata", "Rails"),
            ("public.schema_migrations", "dbmate or Rails"),
        ],
        |db| db.exec(&format!("{RAILS_TABLES}\n{T}")),
    );
    // Their schemas hold nothing else, and go with them.
    assert_bookkeeping(
        "bk_supabase",
        &[("supabase_migrations.schema_migrations", "Supabase")],
        |db| db.exec(&format!("{SUPABASE_TABLE}\n{T}")),
    );
    assert_bookkeeping(
        "bk_atlas",
        &[("atlas_schema_revisions.atlas_schema_revisions", "Atlas")],
        |db| db.exec(&format!("{ATLAS_TABLE}\n{T}")),
    );
    assert_bookkeeping(
        "bk_liquibase",
        &[
            ("public.databasechangelog", "Liquibase"),
            ("public.databasechangeloglock", "Liquibase"),
        ],
        |db| db.exec(&format!("{LIQUIBASE_TABLES}\n{T}")),
    );
}

/// Tables of the user's with a tool's name but not its columns are tables like any
/// other.
#[test]
fn a_users_table_with_a_tools_name_is_compared() {
    let want = TestDb::with_sql("bk_user_want", T);
    let have = TestDb::with_sql(
        "bk_user_have",
        &format!(
            "{T}CREATE TABLE schema_migrations (id serial PRIMARY KEY, name text, applied_at timestamptz);
             CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64),
                 finished_at timestamptz, migration_name varchar(255), logs text, rolled_back_at timestamptz,
                 started_at timestamptz, applied_steps_count integer, note text);
             CREATE TABLE goose_db_version (version_id bigint);"
        ),
    );
    let (code, text, markdown, json) = diff_all(&want.url, &have.url, &[]);
    assert_eq!(code, 1, "{text}");
    assert!(!text.contains("bookkeeping"), "{text}");
    assert!(!markdown.contains("bookkeeping"), "{markdown}");
    assert!(json.get("bookkeeping").is_none(), "{json:#}");
    let unexpected: Vec<String> = changes(&json)
        .into_iter()
        .filter(|c| c.starts_with("table-unexpected"))
        .collect();
    assert_eq!(
        unexpected,
        [
            "table-unexpected public._prisma_migrations",
            "table-unexpected public.goose_db_version",
            "table-unexpected public.schema_migrations",
        ],
        "{text}"
    );
}

/// A migrations folder against a database its tool applied, which also has another
/// tool's table: the folder's own history table (read for the applied migrations)
/// and the other one are both listed, neither is drift; with
/// `--include-bookkeeping` both are compared, and the history is still read.
#[test]
fn a_folder_against_a_database_lists_its_own_history_table_and_others() {
    let db = TestDb::new("bk_folder");
    let d = tempdir();
    let dir = d.path().join("db");
    write(&dir, "1_t.up.sql", T);
    write(&dir, "1_t.down.sql", "DROP TABLE t;\n");
    run_ok(migrate(&db, &dir, &["up"]));
    write(&dir, "2_u.up.sql", "CREATE TABLE u (id int);\n");
    write(&dir, "2_u.down.sql", "DROP TABLE u;\n");
    db.exec(LIQUIBASE_TABLES);
    let server = common::server_url();
    let folder = dir.to_str().unwrap();
    let shadow = ["--shadow", server.as_str()];
    let (code, text, markdown, json) = diff_all(folder, &db.url, &shadow);
    assert_eq!(changes(&json), Vec::<String>::new(), "{text}");
    assert_eq!(code, 0, "{text}");
    assert_eq!(json["migrations"]["pending"], serde_json::json!(["2"]));
    assert_eq!(
        listed(&json),
        [
            ("public.databasechangelog", "Liquibase"),
            ("public.databasechangeloglock", "Liquibase"),
            ("public.schema_migrations", "golang-migrate"),
        ]
        .map(|(o, t)| (o.to_string(), t.to_string(), vec!["actual".to_string()]))
    );
    assert!(
        text.contains("bookkeeping: public.schema_migrations (golang-migrate)\n"),
        "{text}"
    );
    assert!(
        markdown.contains("- bookkeeping: `public.databasechangelog` (Liquibase)\n"),
        "{markdown}"
    );

    let mut args = shadow.to_vec();
    args.push("--include-bookkeeping");
    let (code, text, _, json) = diff_all(folder, &db.url, &args);
    assert_eq!(code, 1, "{text}");
    assert_eq!(
        changes(&json),
        [
            "table-unexpected public.databasechangelog",
            "table-unexpected public.databasechangeloglock",
            "table-unexpected public.schema_migrations",
        ],
        "{text}"
    );
    assert_eq!(json["migrations"]["pending"], serde_json::json!(["2"]));
}

fn write_config(dir: &Path, top: &str, postgres: &str, url: &str) -> String {
    let p = dir.join("schemadrift.toml");
    std::fs::write(
        &p,
        format!(
            "{top}\n[postgres]\nexpected = \"postgres.json\"\n{postgres}\n\n[targets.prod]\npostgres = \"{url}\"\n"
        ),
    )
    .unwrap();
    p.to_str().unwrap().to_string()
}

/// `check` leaves them out too, and lists them: for a clean target under its
/// header (text and Markdown), in each target's JSON report; a history table the
/// config renames (`history_table`) is recognised by its columns; the config's
/// `include_bookkeeping` and `--include-bookkeeping` compare them.
#[test]
fn check_lists_bookkeeping_and_the_flag_and_config_key_compare_it() {
    let want = TestDb::with_sql("bk_check_want", T);
    let have = TestDb::with_sql("bk_check_have", &format!("{PRISMA_TABLE}\n{T}"));
    let d = tempdir();
    let mig = d.path().join("m");
    write(&mig, "1_t.up.sql", "SELECT 1;\n");
    // golang-migrate told to keep its version elsewhere.
    let mut c = tool_cmd("migrate");
    c.arg("-path")
        .arg(&mig)
        .arg("-database")
        .arg(format!("{}&x-migrations-table=deploys", url_no_tls(&have)));
    c.arg("up");
    run_ok(c);
    let expected = d.path().join("postgres.json");
    let (code, _, err) = common::run(&["snapshot", &want.url, "-o", expected.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");

    // Not renamed in the config: `deploys` is a table like any other.
    let cfg = write_config(d.path(), "", "", &have.url);
    let (code, out, err) = common::run(&["check", "--config", &cfg, "--no-alerts"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("table-unexpected  table public.deploys"),
        "{out}"
    );
    assert!(
        out.contains("bookkeeping: public._prisma_migrations (Prisma)\n"),
        "{out}"
    );

    let cfg = write_config(d.path(), "", "history_table = \"deploys\"", &have.url);
    let (code, out, err) = common::run(&["check", "--config", &cfg, "--no-alerts"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(
            "== prod: no drift\nbookkeeping: public._prisma_migrations (Prisma)\n\
             bookkeeping: public.deploys (golang-migrate)\n"
        ),
        "{out}"
    );
    let (code, md, _) = common::run(&[
        "check",
        "--config",
        &cfg,
        "--no-alerts",
        "--format",
        "markdown",
    ]);
    assert_eq!(code, 0, "{md}");
    assert!(
        md.contains("- bookkeeping: `public.deploys` (golang-migrate)\n"),
        "{md}"
    );
    let (code, out, _) =
        common::run(&["check", "--config", &cfg, "--no-alerts", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let report = &v["targets"][0]["report"];
    assert_eq!(
        listed(report),
        [
            ("public._prisma_migrations", "Prisma"),
            ("public.deploys", "golang-migrate"),
        ]
        .map(|(o, t)| (o.to_string(), t.to_string(), vec!["actual".to_string()]))
    );

    let (code, out, _) = common::run(&[
        "check",
        "--config",
        &cfg,
        "--no-alerts",
        "--include-bookkeeping",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains("bookkeeping:"), "{out}");
    assert!(
        out.contains("table-unexpected  table public._prisma_migrations"),
        "{out}"
    );
    let cfg = write_config(
        d.path(),
        "include_bookkeeping = true",
        "history_table = \"deploys\"",
        &have.url,
    );
    let (code, out, _) = common::run(&["check", "--config", &cfg, "--no-alerts"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("table-unexpected  table public.deploys"),
        "{out}"
    );
}

/// neo4j-migrations itself, against the real Neo4j of the run: the constraints and
/// index it creates for its chain and lock are bookkeeping, listed; the folder's own
/// constraint is compared; `--include-bookkeeping` compares them.
#[test]
fn neo4j_migrations_constraints_are_bookkeeping() {
    let g = common::graph::TestGraph::new("bk_n4m");
    let d = tempdir();
    let dir = d.path().join("neo4j");
    write(
        &dir,
        "V001__person.cypher",
        "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE;\n",
    );
    run_ok(neo4j_migrations(&dir));
    let folder = dir.to_str().unwrap();
    let (code, text, markdown, json) = diff_all(folder, &g.url, &[]);
    assert_eq!(changes(&json), Vec::<String>::new(), "{text}");
    assert_eq!(code, 0, "{text}");
    let found = listed(&json);
    let objects: Vec<&str> = found.iter().map(|(o, _, _)| o.as_str()).collect();
    assert!(
        objects.contains(&"neo4j:unique node :__Neo4jMigration(version, migrationTarget)"),
        "{json:#}"
    );
    assert!(
        objects.contains(&"neo4j:unique node :__Neo4jMigrationsLock(id)"),
        "{json:#}"
    );
    for (object, tool, sides) in &found {
        assert_eq!(tool, "neo4j-migrations");
        assert_eq!(sides, &["actual"]);
        let line = format!("bookkeeping: {object} (neo4j-migrations)\n");
        assert!(text.contains(&line), "{line}\n{text}");
        let md = format!("- bookkeeping: `{object}` (neo4j-migrations)\n");
        assert!(markdown.contains(&md), "{md}\n{markdown}");
    }
    // The folder's own constraint is still compared.
    g.exec("DROP CONSTRAINT person_id;\n");
    let (code, text, _, json) = diff_all(folder, &g.url, &[]);
    assert_eq!(code, 1, "{text}");
    assert_eq!(
        changes(&json),
        ["constraint-missing neo4j:unique node :Person(id)"],
        "{text}"
    );
    let (code, text, _, json) = diff_all(folder, &g.url, &["--include-bookkeeping"]);
    assert_eq!(code, 1, "{text}");
    assert!(json.get("bookkeeping").is_none(), "{json:#}");
    let found = changes(&json);
    for object in objects {
        let c = format!("constraint-unexpected {object}");
        let i = format!("index-unexpected {object}");
        assert!(
            found.contains(&c) || found.contains(&i),
            "{object} not compared: {found:?}"
        );
    }
}
