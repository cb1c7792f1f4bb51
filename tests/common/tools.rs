//! The real migration tools, as `scripts/test.sh` installs them
//! (scripts/lib/tools.sh exports `SCHEMADRIFT_TOOLS_BIN`).

use std::path::Path;
use std::process::Command;

use super::TestDb;

/// A command from `SCHEMADRIFT_TOOLS_BIN`.
pub fn tool_cmd(name: &str) -> Command {
    let dir = std::env::var("SCHEMADRIFT_TOOLS_BIN").expect(
        "SCHEMADRIFT_TOOLS_BIN is not set: run the tests through scripts/test.sh, which installs the migration tools",
    );
    let path = Path::new(&dir).join(name);
    assert!(
        path.is_file(),
        "{} is missing: scripts/lib/tools.sh installs it",
        path.display()
    );
    Command::new(path)
}

/// Run a tool; returns whether it succeeded and what it printed.
pub fn run_tool(mut cmd: Command) -> (bool, String) {
    let out = cmd.output().expect("the tool runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

pub fn run_ok(cmd: Command) {
    let what = format!("{cmd:?}");
    let (ok, text) = run_tool(cmd);
    assert!(ok, "{what} failed:\n{text}");
}

pub fn url_no_tls(db: &TestDb) -> String {
    format!("{}?sslmode=disable", db.url)
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Write `text` to `dir/rel`, making its directories.
pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn jdbc(db: &TestDb) -> String {
    let u = url::Url::parse(&db.url).unwrap();
    format!(
        "flyway.url=jdbc:postgresql://{}:{}{}",
        u.host_str().unwrap(),
        u.port().unwrap_or(5432),
        u.path()
    )
}

/// Flyway's migrate of `dir` (with `flyway.*` settings in `extra`).
pub fn flyway(db: &TestDb, dir: &Path, extra: &[&str]) -> Command {
    let mut c = tool_cmd("flyway-migrate");
    c.arg(jdbc(db))
        .arg("flyway.user=postgres")
        .arg(format!("flyway.locations=filesystem:{}", dir.display()))
        .args(extra);
    c
}

/// golang-migrate's `migrate -path DIR -database URL ARGS`.
pub fn migrate(db: &TestDb, dir: &Path, args: &[&str]) -> Command {
    let mut c = tool_cmd("migrate");
    c.arg("-path")
        .arg(dir)
        .arg("-database")
        .arg(url_no_tls(db))
        .args(args);
    c
}

/// `goose -dir DIR postgres URL ARGS`.
pub fn goose(db: &TestDb, dir: &Path, args: &[&str]) -> Command {
    let mut c = tool_cmd("goose");
    c.arg("-dir")
        .arg(dir)
        .arg("postgres")
        .arg(url_no_tls(db))
        .args(args);
    c
}

pub fn goose_sql(up: &str) -> String {
    format!("-- +goose Up\n{up}\n-- +goose Down\nSELECT 1;\n")
}

/// `dbmate --url URL --migrations-dir DIR --no-dump-schema ARGS`.
pub fn dbmate(db: &TestDb, dir: &Path, args: &[&str]) -> Command {
    let mut c = tool_cmd("dbmate");
    c.arg("--url")
        .arg(url_no_tls(db))
        .arg("--migrations-dir")
        .arg(dir)
        .arg("--no-dump-schema")
        .args(args);
    c
}

pub fn dbmate_sql(up: &str) -> String {
    format!("-- migrate:up\n{up}\n\n-- migrate:down\n")
}

/// sqlx's or diesel's own migrator (`sqlx` or `diesel`) run on `dir`.
pub fn rust_migrator(which: &str, db: &TestDb, dir: &Path) -> Command {
    let mut c = tool_cmd("rust-migrators");
    c.arg(which).arg(url_no_tls(db)).arg(dir);
    c
}

/// `neo4j-migrations migrate` against the real Neo4j of the run (NEO4J_URI,
/// NEO4J_USER, NEO4J_PASSWORD), applying the folder `dir`.
pub fn neo4j_migrations(dir: &Path) -> Command {
    let uri = std::env::var("NEO4J_URI")
        .expect("NEO4J_URI is not set: run the tests through scripts/test.sh (it starts a Neo4j)");
    let user = std::env::var("NEO4J_USER").unwrap_or_else(|_| "neo4j".into());
    let mut c = tool_cmd("neo4j-migrations");
    // The password stays in the environment, off the command line.
    c.args(["-a", &uri, "-u", &user, "--password:env=NEO4J_PASSWORD"])
        .arg(format!("--location=file:{}", dir.display()))
        .arg("migrate");
    c
}

/// `_prisma_migrations` as Prisma's schema engine creates it on PostgreSQL.
pub const PRISMA_TABLE: &str = r#"
CREATE TABLE "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
);"#;

/// The SHA-256 of a file in hex, by coreutils, not by our code.
pub fn sha256sum(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

/// A row as Prisma writes it: started, then finished (or not), maybe rolled back.
pub fn prisma_row(db: &TestDb, dir: &Path, name: &str, finished: bool, rolled_back: bool, n: u32) {
    let sum = if dir.join(name).exists() {
        sha256sum(&dir.join(name).join("migration.sql"))
    } else {
        "0".repeat(64)
    };
    db.exec(&format!(
        "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, \
         rolled_back_at, started_at, applied_steps_count) VALUES \
         ('00000000-0000-4000-8000-{n:012}', '{sum}', {finished}, '{name}', {logs}, {rolled}, \
          timestamptz '2024-01-01' + interval '{n} minutes', {steps})",
        finished = if finished { "now()" } else { "NULL" },
        logs = if finished {
            "NULL"
        } else {
            "'relation \"nope\" does not exist'"
        },
        rolled = if rolled_back { "now()" } else { "NULL" },
        steps = u32::from(finished),
    ));
}
