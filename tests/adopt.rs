//! `schemadrift adopt` proven by building again: for each folder format a
//! database gets a hotfix by hand, `adopt` writes it as the folder's next
//! migration, and then `diff FOLDER ACTUAL` finds nothing. Where the tests
//! already run the migration tool itself (`SCHEMADRIFT_TOOLS_BIN`, from
//! scripts/test.sh), the tool applies the whole folder, new file included,
//! to an empty database, which then equals ACTUAL: the tool accepts the
//! file and runs it last. No drift writes nothing; bad input exits 2 with
//! one sentence and writes nothing.
mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{run, server_url, TestDb};

const BASE: &str = "CREATE SCHEMA care;
CREATE TABLE care.patients (id integer PRIMARY KEY, name text NOT NULL);
";

/// What was done to production by hand: a column with a default, an index,
/// and a function whose body has lines that end in `;` (goose splits there
/// unless told not to).
const HOTFIX: &str = "ALTER TABLE care.patients ADD COLUMN notes text DEFAULT 'none';
CREATE INDEX patients_name_idx ON care.patients (name);
CREATE FUNCTION care.patient_count() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  RETURN (SELECT count(*) FROM care.patients);
END;
$$;
";

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(p.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// `name` with a timestamp as `<stamp>` (14 digits) or `<diesel>`
/// (`2024-01-01-000000`).
fn shape(name: &str) -> String {
    let b = name.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        let run = (i..).take_while(|&j| digit(j)).count();
        let diesel = run == 4
            && [4, 7, 10].iter().all(|&k| b.get(i + k) == Some(&b'-'))
            && [5, 6, 8, 9, 11, 12, 13, 14, 15, 16]
                .iter()
                .all(|&k| digit(i + k));
        if diesel {
            out.push_str("<diesel>");
            i += 17;
        } else if run == 14 {
            out.push_str("<stamp>");
            i += 14;
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

fn adopt(actual: &str, dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let shadow = server_url();
    let mut args = vec![
        "adopt",
        actual,
        "--migrations",
        dir.to_str().unwrap(),
        "--shadow",
        &shadow,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

fn diff_clean(expected: &str, actual: &str, extra: &[&str]) {
    let shadow = server_url();
    let mut args = vec!["diff", expected, actual, "--shadow", &shadow];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "diff {expected} {actual}:\n{out}{err}");
}

/// A command from `SCHEMADRIFT_TOOLS_BIN`, if the run installed the tools.
fn tool(name: &str) -> Option<Command> {
    let dir = std::env::var("SCHEMADRIFT_TOOLS_BIN").ok()?;
    let path = Path::new(&dir).join(name);
    path.is_file().then(|| Command::new(path))
}

fn url_no_tls(db: &TestDb) -> String {
    format!("{}?sslmode=disable", db.url)
}

/// The command that applies folder `dir` to `db` with the real tool of
/// `format`, where the run has it.
fn tool_up(format: &str, db: &TestDb, dir: &Path) -> Option<Command> {
    let d = dir.to_str().unwrap();
    Some(match format {
        "flyway" => {
            let u = url::Url::parse(&db.url).unwrap();
            let mut c = tool("flyway-migrate")?;
            c.arg(format!(
                "flyway.url=jdbc:postgresql://{}:{}{}",
                u.host_str().unwrap(),
                u.port().unwrap_or(5432),
                u.path()
            ))
            .arg("flyway.user=postgres")
            .arg(format!("flyway.locations=filesystem:{d}"));
            c
        }
        "golang-migrate" => {
            let mut c = tool("migrate")?;
            c.args(["-path", d, "-database", &url_no_tls(db), "up"]);
            c
        }
        "goose" => {
            let mut c = tool("goose")?;
            c.args(["-dir", d, "postgres", &url_no_tls(db), "up"]);
            c
        }
        "dbmate" => {
            let mut c = tool("dbmate")?;
            c.args([
                "--url",
                &url_no_tls(db),
                "--migrations-dir",
                d,
                "--no-dump-schema",
                "up",
            ]);
            c
        }
        "sqlx" | "diesel" => {
            let mut c = tool("rust-migrators")?;
            c.args([format, &url_no_tls(db), d]);
            c
        }
        _ => return None,
    })
}

struct Case {
    format: &'static str,
    /// The folder before adopt.
    base: Vec<(&'static str, String)>,
    /// The files adopt adds, digits of timestamps as `9`.
    added: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    let goose = |up: &str| format!("-- +goose Up\n{up}\n-- +goose Down\nSELECT 1;\n");
    let dbmate = |up: &str| format!("-- migrate:up\n{up}\n-- migrate:down\n");
    vec![
        Case {
            format: "flyway",
            base: vec![("V001__init.sql", BASE.into())],
            added: &["V002__hotfix.sql"],
        },
        Case {
            format: "golang-migrate",
            base: vec![
                ("000001_init.up.sql", BASE.into()),
                ("000001_init.down.sql", "DROP SCHEMA care CASCADE;".into()),
            ],
            added: &["000002_hotfix.down.sql", "000002_hotfix.up.sql"],
        },
        Case {
            format: "sqlx",
            base: vec![
                ("0001_init.up.sql", BASE.into()),
                ("0001_init.down.sql", "DROP SCHEMA care CASCADE;".into()),
            ],
            added: &["0002_hotfix.down.sql", "0002_hotfix.up.sql"],
        },
        Case {
            format: "sqlx",
            base: vec![("20240101000000_init.sql", BASE.into())],
            added: &["<stamp>_hotfix.sql"],
        },
        Case {
            format: "diesel",
            base: vec![
                ("2024-01-01-000000_init/up.sql", BASE.into()),
                (
                    "2024-01-01-000000_init/down.sql",
                    "DROP SCHEMA care CASCADE;".into(),
                ),
            ],
            added: &["<diesel>_hotfix/down.sql", "<diesel>_hotfix/up.sql"],
        },
        Case {
            format: "prisma",
            base: vec![
                ("20240101000000_init/migration.sql", BASE.into()),
                ("migration_lock.toml", "provider = \"postgresql\"\n".into()),
            ],
            added: &["<stamp>_hotfix/migration.sql"],
        },
        Case {
            format: "dbmate",
            base: vec![("20240101000000_init.sql", dbmate(BASE))],
            added: &["<stamp>_hotfix.sql"],
        },
        Case {
            format: "goose",
            base: vec![("00001_init.sql", goose(BASE))],
            added: &["00002_hotfix.sql"],
        },
        Case {
            format: "goose",
            base: vec![("20240101000000_init.sql", goose(BASE))],
            added: &["<stamp>_hotfix.sql"],
        },
        Case {
            format: "plain",
            base: vec![("01-init.sql", BASE.into())],
            added: &["02-hotfix.sql"],
        },
    ]
}

/// Each format: adopt the hotfix, the folder then builds ACTUAL (by
/// schemadrift's replay and, where the run has it, by the tool itself);
/// adopting again writes nothing.
#[test]
fn adopt_in_every_folder_format_builds_actual() {
    let actual = TestDb::with_sql("adopt_actual", &format!("{BASE}{HOTFIX}"));
    for case in cases() {
        let label = format!("{} {:?}", case.format, case.base[0].0);
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("migrations");
        for (name, text) in &case.base {
            write(&dir, name, text);
        }
        let before = files(&dir);
        let (code, out, err) = adopt(&actual.url, &dir, &["--name", "Hotfix"]);
        assert_eq!(code, 0, "{label}: adopt exit {code}:\n{out}{err}");
        let after = files(&dir);
        assert!(before.is_subset(&after), "{label}: a file went away");
        let added: Vec<String> = after.difference(&before).map(|n| shape(n)).collect();
        assert_eq!(added, case.added, "{label}: {err}");
        assert!(err.contains("wrote"), "{label}: says what it wrote: {err}");
        diff_clean(dir.to_str().unwrap(), &actual.url, &[]);
        // The tool itself builds ACTUAL from the folder.
        let fresh = TestDb::new("adopt_tool");
        if let Some(mut c) = tool_up(case.format, &fresh, &dir) {
            let o = c.output().unwrap();
            assert!(
                o.status.success(),
                "{label}: the tool refused the folder:\n{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            // The tool's history table (in `public`) is its bookkeeping.
            diff_clean(&fresh.url, &actual.url, &["--schema", "care"]);
        }
        // Nothing more to adopt: nothing written.
        let (code, out, err) = adopt(&actual.url, &dir, &["--name", "again"]);
        assert_eq!(code, 0, "{label}: {out}{err}");
        assert!(err.contains("no drift"), "{label}: {err}");
        assert_eq!(files(&dir), after, "{label}: wrote something with no drift");
    }
}

/// goose splits a migration at each line ending in `;` unless the
/// statement is between StatementBegin and StatementEnd: the adopted
/// function is.
#[test]
fn goose_statements_of_several_lines_are_marked() {
    let actual = TestDb::with_sql("adopt_goose", &format!("{BASE}{HOTFIX}"));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "00001_init.sql",
        &format!("-- +goose Up\n{BASE}\n-- +goose Down\nSELECT 1;\n"),
    );
    let (code, _, err) = adopt(&actual.url, dir, &["--name", "fn"]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.join("00002_fn.sql")).unwrap();
    let begin = text
        .find("-- +goose StatementBegin\nCREATE FUNCTION")
        .expect(&text);
    let end = text[begin..].find("-- +goose StatementEnd").expect(&text);
    assert!(
        text[begin..begin + end].contains("RETURN (SELECT count(*)"),
        "{text}"
    );
    let up = text.find("-- +goose Up").unwrap();
    let down = text.find("-- +goose Down").unwrap();
    assert!(up < begin && begin < down, "{text}");
    // The down section drops what the up section made.
    assert!(
        text[down..].contains("DROP FUNCTION care.patient_count()"),
        "{text}"
    );
}

/// A Cypher folder (neo4j-migrations naming) gets `V<next>__<name>.cypher`,
/// from a Neo4j snapshot as ACTUAL, and then folds to ACTUAL.
#[test]
fn adopt_into_a_cypher_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("neo4j");
    write(
        &dir,
        "V001__init.cypher",
        "CREATE CONSTRAINT pet_id FOR (p:Pet) REQUIRE p.id IS UNIQUE;\n",
    );
    // ACTUAL: the folder plus an index made by hand, as a snapshot.
    let hot = tmp.path().join("hot");
    write(
        &hot,
        "V001__init.cypher",
        "CREATE CONSTRAINT pet_id FOR (p:Pet) REQUIRE p.id IS UNIQUE;\n\
         CREATE INDEX pet_name FOR (p:Pet) ON (p.name);\n\
         CREATE FULLTEXT INDEX visit_notes FOR (v:Visit) ON EACH [v.notes];\n",
    );
    let snap = tmp.path().join("actual.json");
    let (code, _, err) = run(&[
        "snapshot",
        hot.to_str().unwrap(),
        "-o",
        snap.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    // As a live Neo4j reports them: every object named, its provider and
    // the settings the server filled in (which the folder leaves open).
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&snap).unwrap()).unwrap();
    for x in v["neo4j"]["indexes"].as_object_mut().unwrap().values_mut() {
        if x["name"].is_null() {
            x["name"] = "index_343aff4e".into();
        }
        x["provider"] = "server-1.0".into();
        if x["kind"] == "fulltext" {
            x["options"]["fulltext.analyzer"] = "standard-no-stop-words".into();
        }
    }
    for c in v["neo4j"]["constraints"]
        .as_object_mut()
        .unwrap()
        .values_mut()
    {
        c["index_provider"] = "range-1.0".into();
    }
    std::fs::write(&snap, serde_json::to_string(&v).unwrap()).unwrap();
    let (code, out, err) = adopt(snap.to_str().unwrap(), &dir, &["--name", "pet name"]);
    assert_eq!(code, 0, "{out}{err}");
    let text = std::fs::read_to_string(dir.join("V002__pet_name.cypher")).unwrap();
    assert!(
        text.contains("CREATE RANGE INDEX pet_name FOR (n:Pet) ON (n.name)"),
        "{text}"
    );
    assert!(text.lines().all(|l| !l.starts_with("--")), "{text}");
    // Only what the report lists: no lookup index or constraint dropped and
    // created again for what the server filled in.
    assert!(!text.contains("DROP"), "{text}");
    assert!(!text.contains("LOOKUP"), "{text}");
    diff_clean(dir.to_str().unwrap(), snap.to_str().unwrap(), &[]);
    let (code, _, err) = adopt(snap.to_str().unwrap(), &dir, &[]);
    assert_eq!(code, 0);
    assert!(err.contains("no drift"), "{err}");
}

/// Bad input: exit 2, one sentence naming what is wrong, nothing written.
#[test]
fn bad_input_is_one_sentence_and_writes_nothing() {
    let actual = TestDb::with_sql("adopt_bad", &format!("{BASE}{HOTFIX}"));
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("m");
    write(&dir, "V1__init.sql", BASE);
    let d = dir.to_str().unwrap();
    let missing = tmp.path().join("nope");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "adopt",
                &actual.url,
                "--migrations",
                missing.to_str().unwrap(),
            ],
            "is not a folder",
        ),
        (
            vec!["adopt", &actual.url, "--migrations", d, "--name=--!"],
            "has no letter or digit",
        ),
        (
            vec!["adopt", d, "--migrations", d],
            "is a migrations folder",
        ),
    ];
    for (args, want) in cases {
        let before = files(&dir);
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(files(&dir), before, "{args:?}");
    }
}

/// A file of the name adopt would write is never replaced.
#[test]
fn an_existing_file_is_never_replaced() {
    let actual = TestDb::with_sql("adopt_exists", &format!("{BASE}{HOTFIX}"));
    let tmp = tempfile::tempdir().unwrap();
    let dir: PathBuf = tmp.path().join("m");
    write(&dir, "01-init.sql", BASE);
    // A plain folder whose next name is taken by a file that is not a
    // migration of the folder's (plain reads only .sql files: a directory).
    std::fs::create_dir_all(dir.join("02-hotfix.sql")).unwrap();
    let (code, out, err) = adopt(&actual.url, &dir, &["--name", "hotfix"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("02-hotfix.sql already exists"), "{err}");
    assert!(dir.join("02-hotfix.sql").is_dir());
}
