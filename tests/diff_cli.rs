//! `schemadrift diff` through the binary, on snapshot files (no server):
//! exit codes, formats, ignore rules, schema filters and bad input.

mod common;

use std::path::PathBuf;

use schemadrift::model::postgres::{Column, Schema, Table};
use schemadrift::model::PgSchema;

fn column(name: &str, ty: &str) -> Column {
    Column {
        name: name.into(),
        data_type: ty.into(),
        not_null: false,
        default: None,
        identity: None,
        generated: None,
        collation: None,
        storage: None,
        compression: None,
        statistics: None,
        options: vec![],
        comment: None,
        grants: Default::default(),
    }
}

/// Schemas `care` (patients: id, name) and `scratch` (notes: body).
fn schema() -> PgSchema {
    let mut pg = PgSchema::default();
    let mut care = Schema::default();
    care.tables.insert(
        "patients".into(),
        Table {
            columns: vec![column("id", "integer"), column("name", "text")],
            ..Table::default()
        },
    );
    pg.schemas.insert("care".into(), care);
    let mut scratch = Schema::default();
    scratch.tables.insert(
        "notes".into(),
        Table {
            columns: vec![column("body", "text")],
            ..Table::default()
        },
    );
    pg.schemas.insert("scratch".into(), scratch);
    pg
}

/// `schema()` drifted: a column type changed, a comment added, a table added in scratch.
fn drifted() -> PgSchema {
    let mut pg = schema();
    let t = pg
        .schemas
        .get_mut("care")
        .unwrap()
        .tables
        .get_mut("patients")
        .unwrap();
    t.columns[1].data_type = "character varying(80)".into();
    t.comment = Some("people".into());
    pg.schemas.get_mut("scratch").unwrap().tables.insert(
        "tmp_import".into(),
        Table {
            columns: vec![column("line", "text")],
            ..Table::default()
        },
    );
    pg
}

struct Files {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    base: String,
    drift: String,
}

fn files() -> Files {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().to_path_buf();
    let base = common::write_pg_snapshot(&dir, "base.json", schema())
        .display()
        .to_string();
    let drift = common::write_pg_snapshot(&dir, "drift.json", drifted())
        .display()
        .to_string();
    Files {
        _dir: d,
        dir,
        base,
        drift,
    }
}

#[test]
fn identical_snapshots_exit_0() {
    let f = files();
    let (code, out, err) = common::run(&["diff", &f.base, &f.base]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("schemadrift: no changes\n"), "{out}");
    assert_eq!(err, "");
}

#[test]
fn drift_exits_1_with_every_change_in_json() {
    let f = files();
    let (code, out, err) = common::run(&["diff", &f.base, &f.drift, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["format_version"], 1);
    let codes: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["comment-changed", "column-type-changed", "table-unexpected"]
    );
    assert_eq!(v["summary"]["total"], 3);
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["expected_source"], f.base.as_str());
}

#[test]
fn every_format_renders() {
    let f = files();
    for (format, needle) in [
        ("text", "column-type-changed  column care.patients.name"),
        (
            "markdown",
            "| error | `column-type-changed` | column `care.patients.name` |",
        ),
        ("junit", r#"<failure type="error""#),
        ("json", r#""code": "column-type-changed""#),
    ] {
        let (code, out, err) = common::run(&["diff", &f.base, &f.drift, "--format", format]);
        assert_eq!(code, 1, "{format}: {err}");
        assert!(out.contains(needle), "{format}: {out}");
    }
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let f = files();
    let (_, out, _) = common::run(&["diff", &f.base, &f.drift, "--color", "always"]);
    assert!(out.contains("\x1b["), "{out}");
    // Not a terminal (a pipe), and NO_COLOR set by common::run: plain.
    let (_, out, _) = common::run(&["diff", &f.base, &f.drift]);
    assert!(!out.contains('\x1b'), "{out}");
    let (_, out, _) = common::run(&["diff", &f.base, &f.drift, "--color", "never"]);
    assert!(!out.contains('\x1b'), "{out}");
}

#[test]
fn ignore_rules_can_make_it_clean() {
    let f = files();
    let (code, out, _) = common::run(&[
        "diff",
        &f.base,
        &f.drift,
        "--ignore",
        "comment-changed",
        "--ignore",
        "scratch.tmp_*",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["changes"].as_array().unwrap().len(), 1);
    assert_eq!(v["summary"]["ignored"], 2);
    let (code, out, err) = common::run(&[
        "diff",
        &f.base,
        &f.drift,
        "--ignore",
        "comment-changed",
        "--ignore",
        "scratch.tmp_*",
        "--ignore",
        "type:column",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ignored:  3"), "{out}");
}

#[test]
fn a_mistyped_ignore_rule_is_an_error() {
    let f = files();
    let (code, out, err) = common::run(&["diff", &f.base, &f.drift, "--ignore", "coment-changed"]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("`coment-changed`"), "{err}");
}

#[test]
fn schema_filters_apply_to_files() {
    let f = files();
    let (code, out, _) = common::run(&[
        "diff",
        &f.base,
        &f.drift,
        "--exclude-schema",
        "care",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let objects: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["object"].as_str().unwrap())
        .collect();
    assert_eq!(objects, ["scratch.tmp_import"]);
    let (code, _, _) = common::run(&[
        "diff",
        &f.base,
        &f.drift,
        "--schema",
        "care",
        "--ignore",
        "type:column",
        "--ignore",
        "comment-changed",
    ]);
    assert_eq!(code, 0);
}

#[test]
fn output_file_is_written_and_stdout_left_empty() {
    let f = files();
    let target = f.dir.join("report.md");
    let (code, out, err) = common::run(&[
        "diff",
        &f.base,
        &f.drift,
        "--format",
        "markdown",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, "");
    let md = std::fs::read_to_string(&target).unwrap();
    assert!(
        md.starts_with("### schemadrift: 3 changes (1 error, 1 warning, 1 info)"),
        "{md}"
    );
}

/// Bad input: one sentence on stderr naming the file, nothing on stdout, exit 2.
fn assert_bad(args: &[&str], needles: &[&str]) {
    let (code, out, err) = common::run(args);
    assert_eq!(code, 2, "{args:?}: {out}{err}");
    assert_eq!(out, "", "{args:?}");
    assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: `{n}` not in: {err}");
    }
}

#[test]
fn malformed_snapshot_is_exit_2() {
    let f = files();
    let p = f.dir.join("bad.json");
    std::fs::write(&p, "{ this is not json").unwrap();
    let p = p.display().to_string();
    assert_bad(
        &["diff", &p, &f.base],
        &[&p, "not a valid schemadrift snapshot", "line 1"],
    );
    assert_bad(&["diff", &f.base, &p], &[&p]);
}

#[test]
fn truncated_snapshot_is_exit_2() {
    let f = files();
    let text = std::fs::read_to_string(&f.drift).unwrap();
    let p = f.dir.join("truncated.json");
    std::fs::write(&p, &text[..text.len() / 2]).unwrap();
    let p = p.display().to_string();
    assert_bad(
        &["diff", &f.base, &p],
        &[&p, "not a valid schemadrift snapshot"],
    );
}

#[test]
fn unknown_format_version_is_exit_2() {
    let f = files();
    let text = std::fs::read_to_string(&f.base).unwrap();
    let p = f.dir.join("future.json");
    std::fs::write(
        &p,
        text.replacen("\"format_version\": 1", "\"format_version\": 99", 1),
    )
    .unwrap();
    let p = p.display().to_string();
    assert_bad(
        &["diff", &p, &f.base],
        &[&p, "format_version 99 is not supported"],
    );
}

#[test]
fn missing_file_is_exit_2() {
    let f = files();
    let p = f.dir.join("nowhere.json").display().to_string();
    assert_bad(&["diff", &f.base, &p], &["nowhere.json"]);
}

#[test]
fn a_snapshot_with_an_unknown_field_is_exit_2() {
    let f = files();
    let text = std::fs::read_to_string(&f.base).unwrap();
    let p = f.dir.join("extra.json");
    std::fs::write(
        &p,
        text.replacen("\"source\"", "\"sauce\": 1, \"source\"", 1),
    )
    .unwrap();
    let p = p.display().to_string();
    assert_bad(&["diff", &p, &f.base], &[&p, "sauce"]);
}

/// Text and Markdown show a missing or unexpected object as the DDL that
/// creates it, also when two live databases are read lazily (an index
/// expression is deparsed before it is shown).
#[test]
fn missing_and_unexpected_objects_are_shown_as_ddl() {
    let want = common::TestDb::with_sql(
        "ddl_want",
        "CREATE SCHEMA app; CREATE TABLE app.p (id integer PRIMARY KEY, name text);
         CREATE INDEX p_lower_idx ON app.p (lower(name)) WHERE id > 0;",
    );
    let have = common::TestDb::with_sql(
        "ddl_have",
        "CREATE SCHEMA app; CREATE TABLE app.p (id integer PRIMARY KEY, name text);
         CREATE TABLE app.tmp (line text NOT NULL);",
    );
    let (code, text, err) = common::run(&["diff", &want.url, &have.url]);
    assert_eq!(code, 1, "{err}");
    assert!(
        text.contains(
            "CREATE INDEX p_lower_idx ON app.p USING btree ((lower(name))) WHERE (id > 0);"
        ),
        "{text}"
    );
    assert!(text.contains("CREATE TABLE app.tmp (\n"), "{text}");
    assert!(!text.contains("\"keys\""), "{text}");
    let (code, md, _) = common::run(&["diff", &want.url, &have.url, "--format", "markdown"]);
    assert_eq!(code, 1);
    assert!(md.contains("```sql\nCREATE TABLE app.tmp ("), "{md}");
    // JSON keeps the fields.
    let (_, json, _) = common::run(&["diff", &want.url, &have.url, "--format", "json"]);
    assert!(json.contains("\"keys\""), "{json}");
}

/// A changed attribute is named as DDL names it, a foreign key change is
/// shown once (by the clause that changed, not again as its whole
/// definition), and JSON keeps its fields and adds each change's SQL.
#[test]
fn changed_attributes_speak_sql_and_json_adds_the_statements() {
    let base = "CREATE SCHEMA app; CREATE TABLE app.owners (id integer PRIMARY KEY);";
    let want = common::TestDb::with_sql(
        "sql_want",
        &format!(
            "{base} CREATE TABLE app.pets (id integer, owner integer NOT NULL
               REFERENCES app.owners ON DELETE CASCADE);
             ALTER TABLE app.pets ENABLE ROW LEVEL SECURITY;"
        ),
    );
    let have = common::TestDb::with_sql(
        "sql_have",
        &format!(
            "{base} CREATE TABLE app.pets (id integer, owner integer
               REFERENCES app.owners);"
        ),
    );
    let (code, text, err) = common::run(&["diff", &want.url, &have.url]);
    assert_eq!(code, 1, "{err}");
    assert!(text.contains("ROW LEVEL SECURITY: true -> false"), "{text}");
    assert!(text.contains("NOT NULL: true -> false"), "{text}");
    assert!(text.contains("ON DELETE: "), "{text}");
    assert!(!text.contains("definition:"), "{text}");
    assert!(!text.contains("rls_enabled"), "{text}");
    let (_, md, _) = common::run(&["diff", &want.url, &have.url, "--format", "markdown"]);
    assert!(md.contains("ROW LEVEL SECURITY: `true` → `false`"), "{md}");
    assert!(!md.contains("definition:"), "{md}");
    let (_, json, _) = common::run(&["diff", &want.url, &have.url, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let change = |object: &str, code: &str| {
        v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["object"] == object && c["code"] == code)
            .unwrap_or_else(|| panic!("no {code} of {object}: {json}"))
            .clone()
    };
    let rls = change("app.pets", "rls-disabled");
    assert_eq!(rls["fields"][0]["field"], "rls_enabled", "{json}");
    assert_eq!(
        rls["sql"], "ALTER TABLE app.pets ENABLE ROW LEVEL SECURITY;",
        "{json}"
    );
    let nn = change("app.pets.owner", "column-nullability-changed");
    assert_eq!(
        nn["sql"], "ALTER TABLE app.pets ALTER COLUMN owner SET NOT NULL;",
        "{json}"
    );
    let fk = change("app.pets.pets_owner_fkey", "constraint-changed");
    let fields: Vec<&str> = fk["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"definition"),
        "JSON keeps its fields: {json}"
    );
    assert!(fields.contains(&"foreign_key.on_delete"), "{json}");
    assert!(
        fk["sql"].as_str().unwrap().contains("ON DELETE CASCADE"),
        "{json}"
    );
}
