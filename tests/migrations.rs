//! Migration folders: every format replays to the same schema, replay equals
//! applying by hand, errors name file and line, the shadow leaves nothing
//! behind, `expected --check`, and `--shadow URL`.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::TestDb;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/migrations")
        .join(name)
        .display()
        .to_string()
}

/// The `postgres` part of a snapshot printed on stdout.
fn model(json: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    v["postgres"].clone()
}

/// Roles the fixtures grant to, made once on the test server so that the
/// by-hand databases can use them (and `--shadow` runs find them there).
fn ensure_roles() {
    for r in ["reader", "app_user"] {
        let _ = common::try_exec(&common::server_url(), &format!("CREATE ROLE {r} NOLOGIN"));
    }
}

/// Apply a SQL file by hand, as psql would (statement by statement).
fn psql_file(url: &str, file: &str) {
    let out = Command::new(common::pg_bin("psql"))
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file])
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "psql -f {file}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A private TMPDIR for one run of the binary, readable by the unprivileged
/// user the embedded shadow runs as.
fn private_tmp() -> tempfile::TempDir {
    let d = tempfile::Builder::new()
        .prefix("sdmig")
        .tempdir_in("/tmp")
        .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    d
}

/// Nothing of a shadow left in `tmp`: no directory, no process using it.
fn assert_no_shadow_left(tmp: &Path) {
    let left: Vec<String> = std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.is_empty(), "left in {}: {left:?}", tmp.display());
    let procs = processes_using(tmp);
    assert!(procs.is_empty(), "processes left: {procs:?}");
}

#[test]
fn every_format_replays_to_the_same_schema_as_by_hand() {
    ensure_roles();
    let db = TestDb::new("mig_by_hand");
    psql_file(&db.url, &fixture("by_hand.sql"));
    let (code, out, err) = common::run(&["snapshot", &db.url]);
    assert_eq!(code, 0, "{err}");
    let by_hand = model(&out);
    assert!(
        by_hand["schemas"]["public"]["tables"]["posts"].is_object(),
        "{out}"
    );

    // Each folder holds its tool's traps: stray files it ignores (diesel,
    // golang-migrate, Supabase), names it orders as strings (Prisma's equal
    // and mixed-length stamps), annotations (goose, dbmate's several
    // blocks), and all are detected without --migrations-format.
    for folder in [
        "plain",
        "flyway",
        "golang-migrate",
        "sqlx",
        "diesel",
        "prisma",
        "dbmate",
        "goose",
        "supabase_project/supabase/migrations",
    ] {
        let format = folder;
        let dir = fixture(folder);
        let args = vec!["snapshot", dir.as_str()];
        let tmp = private_tmp();
        let (code, out, err) = common::run_env(&args, &[("TMPDIR", tmp.path().to_str().unwrap())]);
        assert_eq!(code, 0, "{format}: {err}");
        assert_eq!(
            model(&out),
            by_hand,
            "{format} differs from the same SQL applied by hand"
        );
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(
            v["source"].as_str().unwrap().starts_with("migrations:"),
            "{out}"
        );
        assert!(
            v["server_version"]
                .as_str()
                .unwrap()
                .starts_with("PostgreSQL "),
            "{out}"
        );
        assert_no_shadow_left(tmp.path());
    }
}

#[test]
fn diff_folder_against_database_clean_then_hotfix_is_drift() {
    ensure_roles();
    let db = TestDb::new("mig_hotfix");
    psql_file(&db.url, &fixture("by_hand.sql"));
    let dir = fixture("flyway");
    let (code, out, err) = common::run(&["diff", &dir, &db.url]);
    assert_eq!(code, 0, "no drift expected:\n{out}\n{err}");

    db.exec("CREATE INDEX posts_body_hotfix_idx ON posts (body); ALTER TABLE users ALTER COLUMN email DROP NOT NULL;");
    let (code, out, err) = common::run(&["diff", &dir, &db.url]);
    assert_eq!(code, 1, "drift expected:\n{out}\n{err}");
    assert!(out.contains("posts_body_hotfix_idx"), "{out}");
    assert!(out.contains("email"), "{out}");
}

#[test]
fn broken_migration_names_file_and_line_and_cleans_up() {
    let tmp = private_tmp();
    let (code, _, err) = common::run_env(
        &[
            "expected",
            "--migrations",
            &fixture("broken"),
            "-o",
            tmp.path().join("out").to_str().unwrap(),
        ],
        &[("TMPDIR", tmp.path().to_str().unwrap())],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("broken/2_bad.sql:4: relation \"missing_table\" does not exist"),
        "{err}"
    );
    assert!(!tmp.path().join("out/postgres.json").exists());
    std::fs::remove_dir_all(tmp.path().join("out")).ok();
    assert_no_shadow_left(tmp.path());
}

#[test]
fn syntax_error_and_ambiguous_folder_are_reported_before_any_server() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("1_a.sql"),
        "create table a (id int);\n\ncreate tabel b (id int);\n",
    )
    .unwrap();
    let (code, _, err) = common::run(&["snapshot", d.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("1_a.sql:3: syntax error at or near \"tabel\""),
        "{err}"
    );

    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("V1__a.sql"), "").unwrap();
    std::fs::write(d.path().join("V1.0__b.sql"), "").unwrap();
    let (code, _, err) = common::run(&["snapshot", d.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("V1.0__b.sql and V1__a.sql") || err.contains("V1__a.sql and V1.0__b.sql"),
        "{err}"
    );
}

#[test]
fn missing_extension_is_named() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("1_ext.sql"),
        "create extension if not exists no_such_extension_xyz;\n",
    )
    .unwrap();
    let tmp = private_tmp();
    let (code, _, err) = common::run_env(
        &["snapshot", d.path().to_str().unwrap()],
        &[("TMPDIR", tmp.path().to_str().unwrap())],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("1_ext.sql:1: extension \"no_such_extension_xyz\" is not available"),
        "{err}"
    );
    assert_no_shadow_left(tmp.path());
}

#[test]
fn interrupted_replay_leaves_no_server_and_no_directory() {
    let tmp = private_tmp();
    let mut child = Command::new(common::bin())
        .args(["snapshot", &fixture("slow")])
        .env("TMPDIR", tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the shadow server listens; the replay (and pg_sleep) follows at once.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let listening = std::fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.path().join(".s.PGSQL.5432").exists());
        if listening {
            std::thread::sleep(Duration::from_millis(1500));
            break;
        }
        assert!(Instant::now() < deadline, "the shadow never started");
        assert!(
            child.try_wait().unwrap().is_none(),
            "schemadrift exited early"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        !processes_using(tmp.path()).is_empty(),
        "the shadow server should be running now"
    );
    // SAFETY: kill with the pid of our own child.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
    assert_no_shadow_left(tmp.path());
}

#[test]
fn expected_is_deterministic_and_check_finds_a_stale_file() {
    let work = tempfile::tempdir().unwrap();
    let migrations = work.path().join("migrations");
    std::fs::create_dir(&migrations).unwrap();
    for e in std::fs::read_dir(fixture("flyway")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), migrations.join(e.file_name())).unwrap();
    }
    let out_dir = work.path().join("expected");
    let m = migrations.to_str().unwrap();
    let o = out_dir.to_str().unwrap();

    let (code, _, err) = common::run(&["expected", "--migrations", m, "-o", o]);
    assert_eq!(code, 0, "{err}");
    let first = std::fs::read_to_string(out_dir.join("postgres.json")).unwrap();
    assert!(
        first.contains("\"taken_at\": \"1970-01-01T00:00:00Z\""),
        "{first}"
    );
    let (code, _, err) = common::run(&["expected", "--migrations", &format!("{m}/"), "-o", o]);
    assert_eq!(code, 0, "{err}");
    let second = std::fs::read_to_string(out_dir.join("postgres.json")).unwrap();
    assert_eq!(first, second, "re-running expected changed the file");

    let (code, out, err) = common::run(&["expected", "--check", "--migrations", m, "-o", o]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("up to date"), "{err}");

    std::fs::write(
        migrations.join("V11__audit.sql"),
        "create table audit_log (id bigint primary key, at timestamptz);\n",
    )
    .unwrap();
    let (code, out, err) = common::run(&["expected", "--check", "--migrations", m, "-o", o]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("audit_log"), "the difference is shown: {out}");
    assert!(err.contains("no longer matches"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out_dir.join("postgres.json")).unwrap(),
        first,
        "--check writes nothing"
    );
}

#[test]
fn shadow_url_uses_and_drops_a_temporary_database() {
    ensure_roles();
    let server = common::server_url();
    // Run so that its process id is known: its shadow is named after it.
    let child = Command::new(common::bin())
        .args(["snapshot", &fixture("plain"), "--shadow", &server])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let done = child.wait_with_output().unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&done.stdout).into_owned(),
        String::from_utf8_lossy(&done.stderr).into_owned(),
    );
    assert!(done.status.success(), "{err}");
    let embedded = {
        let tmp = private_tmp();
        let (code, out, err) = common::run_env(
            &["snapshot", &fixture("plain")],
            &[("TMPDIR", tmp.path().to_str().unwrap())],
        );
        assert_eq!(code, 0, "{err}");
        model(&out)
    };
    assert_eq!(model(&out), embedded);
    // Its shadow database (`schemadrift_shadow_<pid>_<random>`) is gone; other
    // processes' shadows on the shared server are theirs.
    let ours = format!("schemadrift_shadow_{pid}_");
    let left: Vec<String> = list_shadow_dbs()
        .into_iter()
        .filter(|d| d.starts_with(&ours))
        .collect();
    assert!(left.is_empty(), "shadow databases left: {left:?}");
}

#[test]
fn shadow_url_must_not_be_the_database_compared() {
    let db = TestDb::new("mig_not_shadow");
    let (code, _, err) = common::run(&["diff", &fixture("plain"), &db.url, "--shadow", &db.url]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("same database"), "{err}");
}

fn list_shadow_dbs() -> Vec<String> {
    let out = Command::new(common::pg_bin("psql"))
        .args([
            "-X",
            "-At",
            "-d",
            &common::server_url(),
            "-c",
            "select datname from pg_database where datname like 'schemadrift_shadow_%'",
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Command lines of running processes that mention `path` (as `pgrep -f`
/// would, without needing procps).
fn processes_using(path: &Path) -> Vec<String> {
    let needle = path.to_string_lossy().into_owned();
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().filter_map(|e| e.ok()) {
        if !e
            .file_name()
            .to_string_lossy()
            .bytes()
            .all(|b| b.is_ascii_digit())
        {
            continue;
        }
        if let Ok(cmd) = std::fs::read(e.path().join("cmdline")) {
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            if cmd.contains(&needle) {
                out.push(cmd);
            }
        }
    }
    out
}

/// The format each fixture folder is detected as, and its versions exactly
/// as the tool writes them in its history table, in the order it applies them.
#[test]
fn fixtures_are_read_by_their_tools_rules() {
    use schemadrift::migrations::{discover, Format, Kind};
    let cases: &[(&str, Format, &[&str])] = &[
        ("plain", Format::Sqlx, &["1", "2", "3", "10", "11", "12"]),
        (
            "sqlx",
            Format::Sqlx,
            &[
                "20240101000001",
                "20240101000002",
                "20240101000003",
                "20240101000010",
                "20240101000011",
                "20240101000012",
            ],
        ),
        (
            "golang-migrate",
            Format::GolangMigrate,
            &["1", "2", "3", "10", "11", "12"],
        ),
        ("flyway", Format::Flyway, &["1", "1.9", "1.10", "2", "10"]),
        (
            "diesel",
            Format::Diesel,
            &[
                "00000000000000",
                "20240102000000",
                "202401030000000000",
                "20240110000000",
                "20240111000000",
                "20240112000000",
            ],
        ),
        (
            "prisma",
            Format::Prisma,
            &[
                "20240101000001_users",
                "202401020000_email_index",
                "20240103000000_display_name",
                "20240110000000_posts",
                "20240110000000_posts_rls",
                "20240112_views",
            ],
        ),
        (
            "dbmate",
            Format::Dbmate,
            &[
                "20240101000001",
                "20240102000000",
                "20240103000000",
                "20240110000000",
                "20240111000000",
                "20240112000000",
            ],
        ),
        (
            "goose",
            Format::Goose,
            &[
                "1",
                "2",
                "20240101000003",
                "20240101000010",
                "20240101000011",
                "20240101000012",
            ],
        ),
        (
            "supabase_project/supabase/migrations",
            Format::Supabase,
            &[
                "20240101000001",
                "20240101000002",
                "20240101000003",
                "20240101000010",
                "20240101000011",
                "20240101000012",
            ],
        ),
    ];
    for (folder, format, want) in cases {
        let d =
            discover(Path::new(&fixture(folder)), None).unwrap_or_else(|e| panic!("{folder}: {e}"));
        assert_eq!(d.format, *format, "{folder}");
        let got: Vec<&str> = d
            .migrations
            .iter()
            .filter(|m| m.kind == Kind::Versioned)
            .map(|m| m.version.as_deref().unwrap_or("-"))
            .collect();
        assert_eq!(got, *want, "{folder}");
        for m in &d.migrations {
            assert_eq!(m.raw, std::fs::read(&m.path).unwrap(), "{}", m.display_name);
            assert!(m.files.contains(&m.path), "{:?}", m.files);
        }
    }
}

/// Apply `setup` by hand in one psql session, then the migration files in
/// another (so that it sees what the setup set with ALTER DATABASE).
fn by_hand_with_setup(url: &str, setup: &str, migrations: &[&str]) {
    psql_file(url, setup);
    let mut args = vec!["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url];
    for m in migrations {
        args.extend(["-f", m]);
    }
    let out = Command::new(common::pg_bin("psql"))
        .args(&args)
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A setup case's folder, its migrations folder, and the model of its
/// setup and `files` (in its migrations folder) applied by hand.
fn setup_case(name: &str, files: &[&str]) -> (String, String, serde_json::Value) {
    let case = fixture(&format!("setup/{name}"));
    let migrations = format!("{case}/migrations");
    let db = TestDb::new(&format!("mig_setup_{name}"));
    let files: Vec<String> = files.iter().map(|f| format!("{migrations}/{f}")).collect();
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    by_hand_with_setup(&db.url, &format!("{case}/setup.sql"), &files);
    let (code, out, err) = common::run(&["snapshot", &db.url]);
    assert_eq!(code, 0, "{err}");
    (case, migrations, model(&out))
}

#[test]
fn setup_with_a_database_search_path_holds_for_every_migration() {
    let (case, migrations, by_hand) = setup_case("search_path", &["1_accounts.sql", "2_views.sql"]);
    assert!(
        by_hand["schemas"]["app"]["tables"]["accounts"].is_object(),
        "{by_hand}"
    );

    // ALTER DATABASE in the setup, or a SET of the setup's session: the
    // migrations see it either way.
    for setup in ["setup.sql", "session.sql"] {
        let tmp = private_tmp();
        let setup = format!("{case}/{setup}");
        let (code, out, err) = common::run_env(
            &["snapshot", &migrations, "--setup", &setup],
            &[("TMPDIR", tmp.path().to_str().unwrap())],
        );
        assert_eq!(code, 0, "{setup}: {err}");
        let built = model(&out);
        assert!(
            built["schemas"]["public"]["tables"]
                .get("accounts")
                .is_none(),
            "{out}"
        );
        assert_eq!(
            built, by_hand,
            "{setup}: the replay differs from the same SQL applied by hand"
        );
        assert_no_shadow_left(tmp.path());
    }
}

#[test]
fn setup_with_api_roles_and_a_search_path() {
    let (case, migrations, by_hand) = setup_case(
        "api_roles",
        &["20240101000000_todos.sql", "20240102000000_done.sql"],
    );
    let (code, out, err) = common::run(&[
        "snapshot",
        &migrations,
        "--setup",
        &format!("{case}/setup.sql"),
        "--shadow",
        &common::server_url(),
    ]);
    assert_eq!(code, 0, "{err}");
    let built = model(&out);
    let policy = &built["schemas"]["api"]["tables"]["todos"]["policies"]["todos_owner"];
    assert_eq!(policy["roles"], serde_json::json!(["web_user"]), "{out}");
    assert_eq!(built, by_hand);
}

#[test]
fn setup_makes_the_bookkeeping_table_a_migration_alters() {
    let (case, migrations, by_hand) =
        setup_case("bookkeeping", &["1_users.up.sql", "2_audit.up.sql"]);
    let shadow = common::server_url();
    // Without it, the replay stops where the migration alters the table.
    let (code, _, err) = common::run(&["snapshot", &migrations, "--shadow", &shadow]);
    assert_eq!(code, 2);
    assert!(
        err.contains("2_audit.up.sql:2: relation \"schema_migrations\" does not exist"),
        "{err}"
    );
    // From the config file, paths relative to it.
    let work = tempfile::tempdir().unwrap();
    let cfg = work.path().join("schemadrift.toml");
    std::fs::write(
        &cfg,
        format!(
            "[postgres]\nmigrations = \"{migrations}\"\nsetup = [\"setup/books.sql\"]\nexpected = \"expected/postgres.json\"\nshadow = \"{shadow}\"\n"
        ),
    )
    .unwrap();
    std::fs::create_dir(work.path().join("setup")).unwrap();
    std::fs::copy(
        format!("{case}/setup.sql"),
        work.path().join("setup/books.sql"),
    )
    .unwrap();
    let (code, _, err) = common::run(&["expected", "-c", cfg.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read_to_string(work.path().join("expected/postgres.json")).unwrap();
    let built = model(&written);
    let table = &built["schemas"]["public"]["tables"]["schema_migrations"];
    assert!(
        table["columns"].to_string().contains("applied_at"),
        "{written}"
    );
    assert_eq!(built, by_hand);
}

#[test]
fn setup_errors_name_the_file_and_line() {
    let work = tempfile::tempdir().unwrap();
    let bad_syntax = work.path().join("syntax.sql");
    std::fs::write(
        &bad_syntax,
        "create schema app;\ncreate tabel x (id int);\n",
    )
    .unwrap();
    let folder = fixture("plain");
    // A syntax error: before any server starts.
    let (code, _, err) =
        common::run(&["snapshot", &folder, "--setup", bad_syntax.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("syntax.sql:2: syntax error at or near \"tabel\""),
        "{err}"
    );
    let missing = work.path().join("nope.sql");
    let (code, _, err) = common::run(&["snapshot", &folder, "--setup", missing.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("nope.sql") && err.contains("setup file"),
        "{err}"
    );
    // A statement that fails in the shadow.
    let failing = work.path().join("failing.sql");
    std::fs::write(&failing, "\n\nselect * from no_such_table;\n").unwrap();
    let (code, _, err) = common::run(&[
        "snapshot",
        &folder,
        "--setup",
        failing.to_str().unwrap(),
        "--shadow",
        &common::server_url(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("failing.sql:3: relation \"no_such_table\" does not exist"),
        "{err}"
    );
}

/// Flyway restores the session before each migration, and runs its SQL
/// callbacks; golang-migrate-style tools keep one session throughout.
#[test]
fn flyway_restores_the_session_between_migrations_and_runs_callbacks() {
    let dir = fixture("flyway_session");
    let (code, out, err) = common::run(&["snapshot", &dir, "--shadow", &common::server_url()]);
    assert_eq!(code, 0, "{err}");
    let m = model(&out);
    assert!(
        m["schemas"]["audit"]["tables"]["events"].is_object(),
        "{out}"
    );
    let accounts = &m["schemas"]["public"]["tables"]["accounts"];
    assert!(
        accounts.is_object(),
        "V2 runs with Flyway's search path, not V1's: {out}"
    );
    assert_eq!(accounts["comment"], "checked by afterMigrate", "{out}");
    assert!(
        m["schemas"]["reporting"].is_object(),
        "beforeMigrate ran: {out}"
    );
}
