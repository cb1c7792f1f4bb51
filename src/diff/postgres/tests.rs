//! Unit tests of the PostgreSQL rules on small hand-built schemas.

use std::collections::BTreeMap;

use serde_json::json;

use super::*;
use crate::diff::{sort_changes, ChangeKind};

pub(crate) fn col(name: &str, ty: &str) -> Column {
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

fn table(cols: Vec<Column>) -> Table {
    Table {
        columns: cols,
        ..Table::default()
    }
}

pub(crate) fn seq(owned_by: Option<&str>) -> Sequence {
    Sequence {
        data_type: "integer".into(),
        start: 1,
        increment: 1,
        min_value: 1,
        max_value: 2147483647,
        cache: 1,
        cycle: false,
        owned_by: owned_by.map(String::from),
        comment: None,
        privileges: Privileges::default(),
    }
}

pub(super) fn cons(kind: ConstraintKind, def: &str, cols: &[&str]) -> Constraint {
    Constraint {
        kind,
        definition: def.into(),
        columns: cols.iter().map(|s| s.to_string()).collect(),
        deferrable: false,
        initially_deferred: false,
        validated: true,
        no_inherit: false,
        foreign_key: None,
        comment: None,
    }
}

fn idx(keys: &[&str]) -> Index {
    Index {
        method: "btree".into(),
        unique: false,
        nulls_not_distinct: false,
        keys: keys
            .iter()
            .map(|k| IndexKey {
                expression: k.to_string(),
                opclass: None,
                collation: None,
                descending: false,
                nulls_not_default: false,
                statistics: None,
            })
            .collect(),
        include: vec![],
        predicate: None,
        storage_parameters: vec![],
        comment: None,
    }
}

/// A database with schema `care` holding `patients (id integer, name text)`.
fn base() -> PgSchema {
    let mut s = Schema::default();
    let mut t = table(vec![col("id", "integer"), col("name", "text")]);
    t.constraints.insert(
        "patients_pkey".into(),
        cons(ConstraintKind::PrimaryKey, "PRIMARY KEY (id)", &["id"]),
    );
    t.indexes.insert("patients_name_idx".into(), idx(&["name"]));
    s.tables.insert("patients".into(), t);
    let mut pg = PgSchema::default();
    pg.schemas.insert("care".into(), s);
    pg
}

fn patients(pg: &mut PgSchema) -> &mut Table {
    pg.schemas
        .get_mut("care")
        .unwrap()
        .tables
        .get_mut("patients")
        .unwrap()
}

fn run(e: &PgSchema, a: &PgSchema) -> Vec<Change> {
    let mut v = diff(e, a);
    sort_changes(&mut v);
    v
}

/// `(code, object, severity)` of each change.
fn brief(v: &[Change]) -> Vec<(String, String, &'static str)> {
    v.iter()
        .map(|c| {
            (
                c.code().name().to_string(),
                c.object().to_string(),
                c.severity().as_str(),
            )
        })
        .collect()
}

fn one(code: &str, object: &str, sev: &'static str) -> Vec<(String, String, &'static str)> {
    vec![(code.to_string(), object.to_string(), sev)]
}

#[test]
fn identical_is_empty() {
    assert!(run(&base(), &base()).is_empty());
}

#[test]
fn dropped_table_is_one_change_with_its_children_and_owned_sequence() {
    let mut e = base();
    patients(&mut e).columns[0].default = Some("nextval('care.patients_id_seq'::regclass)".into());
    e.schemas
        .get_mut("care")
        .unwrap()
        .sequences
        .insert("patients_id_seq".into(), seq(Some("care.patients.id")));
    let mut a = base();
    a.schemas.get_mut("care").unwrap().tables.clear();
    let v = run(&e, &a);
    assert_eq!(brief(&v), one("table-missing", "care.patients", "error"));
    let def = v[0].definition().unwrap().to_value();
    assert_eq!(def["columns"][1]["name"], json!("name"));
    assert!(def["indexes"]["patients_name_idx"].is_object());
    assert!(def["owned_sequences"]["care.patients_id_seq"].is_object());
    // And the other way round: one unexpected table.
    let v = run(&a, &e);
    assert_eq!(
        brief(&v),
        one("table-unexpected", "care.patients", "warning")
    );
    assert_eq!(v[0].kind(), ChangeKind::Unexpected);
}

#[test]
fn dropped_schema_is_one_change() {
    let e = base();
    let a = PgSchema::default();
    assert_eq!(brief(&run(&e, &a)), one("schema-missing", "care", "error"));
}

#[test]
fn column_changes_each_have_their_code() {
    let e = base();
    let mut a = base();
    {
        let c = &mut patients(&mut a).columns[1];
        c.data_type = "character varying(80)".into();
        c.not_null = true;
        c.default = Some("'x'::text".into());
        c.collation = Some("\"C\"".into());
        c.comment = Some("the name".into());
    }
    let v = run(&e, &a);
    assert_eq!(
        brief(&v),
        vec![
            (
                "column-collation-changed".into(),
                "care.patients.name".into(),
                "warning"
            ),
            (
                "column-default-changed".into(),
                "care.patients.name".into(),
                "warning"
            ),
            (
                "column-nullability-changed".into(),
                "care.patients.name".into(),
                "error"
            ),
            (
                "column-type-changed".into(),
                "care.patients.name".into(),
                "error"
            ),
            (
                "comment-changed".into(),
                "care.patients.name".into(),
                "info"
            ),
        ]
    );
    let t = v
        .iter()
        .find(|c| c.code().name() == "column-type-changed")
        .unwrap();
    assert_eq!(t.kind(), ChangeKind::Changed);
    assert_eq!(t.fields()[0].field, "type");
    assert_eq!(t.fields()[0].expected, json!("text"));
    assert_eq!(t.fields()[0].actual, json!("character varying(80)"));
}

#[test]
fn column_added_in_the_middle_is_not_an_order_change() {
    let e = base();
    let mut a = base();
    patients(&mut a).columns.insert(1, col("email", "text"));
    assert_eq!(
        brief(&run(&e, &a)),
        one("column-unexpected", "care.patients.email", "warning")
    );
}

#[test]
fn column_order_is_info() {
    let e = base();
    let mut a = base();
    patients(&mut a).columns.reverse();
    let v = run(&e, &a);
    assert_eq!(
        brief(&v),
        one("column-order-changed", "care.patients", "info")
    );
    assert_eq!(v[0].fields()[0].expected, json!(["id", "name"]));
    assert_eq!(v[0].fields()[0].actual, json!(["name", "id"]));
}

#[test]
fn renamed_constraint_and_index_are_info() {
    let e = base();
    let mut a = base();
    let t = patients(&mut a);
    let pk = t.constraints.remove("patients_pkey").unwrap();
    t.constraints.insert("pk_patients".into(), pk);
    let i = t.indexes.remove("patients_name_idx").unwrap();
    t.indexes.insert("by_name".into(), i);
    let v = run(&e, &a);
    assert_eq!(
        brief(&v),
        vec![
            (
                "index-renamed".into(),
                "care.patients.patients_name_idx".into(),
                "info"
            ),
            (
                "constraint-renamed".into(),
                "care.patients.patients_pkey".into(),
                "info"
            ),
        ]
    );
    assert_eq!(v[1].fields()[0].actual, json!("pk_patients"));
}

#[test]
fn renamed_and_changed_index_is_missing_plus_unexpected() {
    let e = base();
    let mut a = base();
    let t = patients(&mut a);
    t.indexes.clear();
    t.indexes.insert("by_name".into(), idx(&["lower(name)"]));
    assert_eq!(
        brief(&run(&e, &a)),
        vec![
            (
                "index-unexpected".into(),
                "care.patients.by_name".into(),
                "warning"
            ),
            (
                "index-missing".into(),
                "care.patients.patients_name_idx".into(),
                "warning"
            ),
        ]
    );
}

#[test]
fn constraint_clauses_have_their_own_codes() {
    let mut e = base();
    let mut a = base();
    let fk = |def: &str, deferrable: bool, validated: bool| Constraint {
        deferrable,
        validated,
        foreign_key: Some(ForeignKey {
            references: "care.owners".into(),
            referenced_columns: vec!["id".into()],
            on_update: "no_action".into(),
            on_delete: "no_action".into(),
            match_type: "simple".into(),
        }),
        ..cons(ConstraintKind::ForeignKey, def, &["id"])
    };
    patients(&mut e).constraints.insert(
        "fk".into(),
        fk("FOREIGN KEY (id) REFERENCES care.owners(id)", false, true),
    );
    patients(&mut a).constraints.insert(
        "fk".into(),
        fk(
            "FOREIGN KEY (id) REFERENCES care.owners(id) DEFERRABLE NOT VALID",
            true,
            false,
        ),
    );
    assert_eq!(
        brief(&run(&e, &a)),
        vec![
            (
                "constraint-deferrable-changed".into(),
                "care.patients.fk".into(),
                "warning"
            ),
            (
                "constraint-validation-changed".into(),
                "care.patients.fk".into(),
                "warning"
            ),
        ]
    );
    // An action change is a changed constraint.
    let mut a2 = a.clone();
    let c = patients(&mut a2).constraints.get_mut("fk").unwrap();
    c.definition = "FOREIGN KEY (id) REFERENCES care.owners(id) ON DELETE CASCADE".into();
    c.deferrable = false;
    c.validated = true;
    c.foreign_key.as_mut().unwrap().on_delete = "cascade".into();
    let v = run(&e, &a2);
    assert_eq!(
        brief(&v),
        one("constraint-changed", "care.patients.fk", "error")
    );
    let fields: Vec<&str> = v[0].fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["definition", "foreign_key.on_delete"]);
}

#[test]
fn serial_and_explicit_owned_sequence_compare_equal_whatever_the_name() {
    let with_seq = |name: &str| {
        let mut pg = base();
        patients(&mut pg).columns[0].default = Some(format!("nextval('care.{name}'::regclass)"));
        patients(&mut pg).columns[0].not_null = true;
        pg.schemas
            .get_mut("care")
            .unwrap()
            .sequences
            .insert(name.into(), seq(Some("care.patients.id")));
        pg
    };
    assert!(run(&with_seq("patients_id_seq"), &with_seq("patients_id_seq")).is_empty());
    // Differently named (and quoted in the default), owned by the same
    // column: only an info rename.
    let mut e = with_seq("patients_id_seq");
    let mut a = base();
    patients(&mut a).columns[0].default = Some("nextval('care.\"Patients-Seq\"'::regclass)".into());
    patients(&mut a).columns[0].not_null = true;
    a.schemas
        .get_mut("care")
        .unwrap()
        .sequences
        .insert("Patients-Seq".into(), seq(Some("care.patients.id")));
    assert_eq!(
        brief(&run(&e, &a)),
        one("sequence-renamed", "care.patients_id_seq", "info")
    );
    // A default on a sequence the column does not own is compared as text.
    e.schemas
        .get_mut("care")
        .unwrap()
        .sequences
        .get_mut("patients_id_seq")
        .unwrap()
        .owned_by = None;
    let v = run(&e, &a);
    assert!(
        v.iter()
            .any(|c| c.code().name() == "column-default-changed"),
        "{v:#?}"
    );
}

#[test]
fn rls_disabled_is_an_error_and_enabled_a_warning() {
    let mut e = base();
    patients(&mut e).rls_enabled = true;
    patients(&mut e).rls_forced = true;
    let a = base();
    assert_eq!(
        brief(&run(&e, &a)),
        vec![
            ("rls-disabled".into(), "care.patients".into(), "error"),
            ("rls-force-disabled".into(), "care.patients".into(), "error"),
        ]
    );
    assert_eq!(
        brief(&run(&a, &e)),
        vec![
            ("rls-enabled".into(), "care.patients".into(), "warning"),
            (
                "rls-force-enabled".into(),
                "care.patients".into(),
                "warning"
            ),
        ]
    );
}

fn trigger(enabled: &str) -> Trigger {
    Trigger {
        timing: "before".into(),
        events: vec!["update".into()],
        level: "row".into(),
        columns: vec![],
        function: "care.touch()".into(),
        arguments: vec![],
        when: None,
        enabled: enabled.into(),
        old_table: None,
        new_table: None,
        constraint: false,
        deferrable: false,
        initially_deferred: false,
        comment: None,
    }
}

#[test]
fn triggers_disabled_and_changed() {
    let mut e = base();
    patients(&mut e)
        .triggers
        .insert("touch".into(), trigger("origin"));
    let mut a = base();
    let mut t = trigger("disabled");
    t.events = vec!["insert".into(), "update".into()];
    patients(&mut a).triggers.insert("touch".into(), t);
    assert_eq!(
        brief(&run(&e, &a)),
        vec![
            (
                "trigger-changed".into(),
                "care.patients.touch".into(),
                "warning"
            ),
            (
                "trigger-disabled".into(),
                "care.patients.touch".into(),
                "error"
            ),
        ]
    );
    let v = run(&a, &e);
    assert!(
        v.iter()
            .any(|c| c.code().name() == "trigger-enabled-changed"
                && c.severity() == Severity::Warning)
    );
}

#[test]
fn enum_labels() {
    let en = |labels: &[&str]| Enum {
        labels: labels.iter().map(|s| s.to_string()).collect(),
        comment: None,
        privileges: Privileges::default(),
    };
    let mut e = base();
    e.schemas
        .get_mut("care")
        .unwrap()
        .enums
        .insert("mood".into(), en(&["sad", "ok", "happy"]));
    let mut a = base();
    a.schemas
        .get_mut("care")
        .unwrap()
        .enums
        .insert("mood".into(), en(&["ok", "sad", "great"]));
    assert_eq!(
        brief(&run(&e, &a)),
        vec![
            ("enum-label-missing".into(), "care.mood".into(), "error"),
            (
                "enum-label-unexpected".into(),
                "care.mood".into(),
                "warning"
            ),
            (
                "enum-labels-reordered".into(),
                "care.mood".into(),
                "warning"
            ),
        ]
    );
}

#[test]
fn privileges_only_when_both_sides_have_them() {
    let mut e = base();
    patients(&mut e).privileges.owner = Some("app".into());
    let mut grants = BTreeMap::new();
    grants.insert("reporting".to_string(), vec!["SELECT".to_string()]);
    patients(&mut e).privileges.grants = Some(grants);
    let a = base();
    assert!(run(&e, &a).is_empty(), "neither side captured privileges");
    e.with_privileges = true;
    let mut a = a;
    a.with_privileges = true;
    let v = run(&e, &a);
    assert_eq!(
        brief(&v),
        one("privileges-changed", "care.patients", "warning")
    );
    let fields: Vec<&str> = v[0].fields().iter().map(|f| f.field.as_str()).collect();
    // A NULL ACL (default privileges) against an explicit one: the whole ACL.
    assert_eq!(fields, ["owner", "grants"]);
    // Two explicit ACLs: grantee by grantee.
    patients(&mut a).privileges.grants = Some(BTreeMap::new());
    let v = run(&e, &a);
    let fields: Vec<&str> = v[0].fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["owner", "grants.reporting"]);
}

#[test]
fn column_grants_only_with_privileges_grantee_by_grantee() {
    let mut e = base();
    let grant = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let col = &mut patients(&mut e).columns[0];
    col.grants.insert("reader".into(), grant(&["SELECT"]));
    col.grants.insert("PUBLIC".into(), grant(&["REFERENCES"]));
    let mut a = base();
    let col = &mut patients(&mut a).columns[0];
    col.grants
        .insert("reader".into(), grant(&["SELECT", "UPDATE"]));
    col.grants.insert("auditor".into(), grant(&["SELECT"]));
    assert!(run(&e, &a).is_empty(), "neither side captured privileges");
    e.with_privileges = true;
    a.with_privileges = true;
    let v = run(&e, &a);
    let name = &patients(&mut e).columns[0].name;
    assert_eq!(
        brief(&v),
        one(
            "privileges-changed",
            &format!("care.patients.{name}"),
            "warning"
        )
    );
    assert_eq!(v[0].object_type(), ObjectType::Column);
    let fields: Vec<&str> = v[0].fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["grants.PUBLIC", "grants.auditor", "grants.reader"]);
}

#[test]
fn view_column_grants_column_by_column() {
    let with = |grants: serde_json::Value| {
        let mut pg = base();
        let s = pg.schemas.get_mut("care").unwrap();
        let v = json!({"definition": " SELECT 1 AS a, 2 AS b;", "column_grants": grants});
        s.views
            .insert("v".into(), serde_json::from_value(v.clone()).unwrap());
        s.materialized_views
            .insert("m".into(), serde_json::from_value(v).unwrap());
        pg.with_privileges = true;
        pg
    };
    let e = with(json!({"a": {"reader": ["SELECT"]}}));
    let a = with(json!({"a": {"reader": ["SELECT", "UPDATE"]}, "b": {"PUBLIC": ["SELECT"]}}));
    let v = run(&e, &a);
    let seen: Vec<(String, String, Vec<String>)> = v
        .iter()
        .map(|c| {
            (
                c.code().name().to_string(),
                c.object().to_string(),
                c.fields().iter().map(|f| f.field.clone()).collect(),
            )
        })
        .collect();
    let change = |o: &str, f: &str| ("privileges-changed".into(), o.into(), vec![f.into()]);
    assert_eq!(
        seen,
        [
            change("care.m.a", "grants.reader"),
            change("care.m.b", "grants.PUBLIC"),
            change("care.v.a", "grants.reader"),
            change("care.v.b", "grants.PUBLIC"),
        ]
    );
    assert!(v.iter().all(|c| c.object_type() == ObjectType::Column));
    let (mut e, mut a) = (e, a);
    e.with_privileges = false;
    a.with_privileges = false;
    assert!(run(&e, &a).is_empty(), "neither side captured privileges");
}

#[test]
fn default_privileges_only_with_privileges_grantee_by_grantee() {
    let grant = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let dp = |g: &[(&str, &[&str])]| DefaultPrivileges {
        role: "app".into(),
        schema: Some("care".into()),
        on: "tables".into(),
        grants: g.iter().map(|(k, p)| (k.to_string(), grant(p))).collect(),
    };
    let key = "FOR ROLE app IN SCHEMA care ON TABLES";
    let mut e = base();
    e.default_privileges
        .insert(key.into(), dp(&[("reader", &["SELECT"])]));
    let wide = DefaultPrivileges {
        schema: None,
        on: "functions".into(),
        ..dp(&[("app", &["EXECUTE"])])
    };
    e.default_privileges
        .insert("FOR ROLE app ON FUNCTIONS".into(), wide);
    let mut a = base();
    a.default_privileges.insert(
        key.into(),
        dp(&[("reader", &["SELECT", "UPDATE"]), ("PUBLIC", &["SELECT"])]),
    );
    assert!(run(&e, &a).is_empty(), "neither side captured privileges");
    e.with_privileges = true;
    assert!(run(&e, &a).is_empty(), "one side captured privileges");
    a.with_privileges = true;
    let v = run(&e, &a);
    assert_eq!(
        brief(&v),
        [
            one("default-privileges-changed", key, "warning"),
            one(
                "default-privileges-missing",
                "FOR ROLE app ON FUNCTIONS",
                "error"
            ),
        ]
        .concat()
    );
    assert_eq!(v[0].object_type(), ObjectType::DefaultPrivileges);
    let fields: Vec<&str> = v[0].fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["grants.PUBLIC", "grants.reader"]);
}

#[test]
fn dropped_partitioned_table_is_one_change() {
    let mut e = base();
    let s = e.schemas.get_mut("care").unwrap();
    let mut parent = table(vec![col("at", "date")]);
    parent.partition_key = Some("RANGE (at)".into());
    s.tables.insert("events".into(), parent);
    for y in ["2024", "2025"] {
        let mut p = table(vec![col("at", "date")]);
        p.partition_of = Some(PartitionOf {
            parent: "care.events".into(),
            bound: format!("FOR VALUES FROM ('{y}-01-01') TO ('{y}-12-31')"),
        });
        s.tables.insert(format!("events_{y}"), p);
    }
    let a = base();
    let v = run(&e, &a);
    assert_eq!(brief(&v), one("table-missing", "care.events", "error"));
    let def = v[0].definition().unwrap().to_value();
    let parts = def["partitions"].as_object().unwrap();
    assert_eq!(parts.len(), 2);
}

#[test]
fn core_definition_strips_only_trailing_clauses() {
    assert_eq!(
        core_definition(
            "FOREIGN KEY (a) REFERENCES s.t(id) DEFERRABLE INITIALLY DEFERRED NOT VALID"
        ),
        "FOREIGN KEY (a) REFERENCES s.t(id)"
    );
    assert_eq!(
        core_definition("CHECK ((x > 0)) NO INHERIT"),
        "CHECK ((x > 0))"
    );
    assert_eq!(
        core_definition("CHECK ((note <> 'NOT VALID'::text))"),
        "CHECK ((note <> 'NOT VALID'::text))"
    );
}

#[test]
fn split_qualified_handles_quotes() {
    assert_eq!(split_qualified("care.s").unwrap(), ["care", "s"]);
    assert_eq!(
        split_qualified("\"My.Schema\".\"a\"\"b\"").unwrap(),
        ["My.Schema", "a\"b"]
    );
    assert_eq!(split_qualified("care.\"it''s\"").unwrap(), ["care", "it's"]);
}

#[test]
fn many_tables_compare_as_one_thread_would() {
    // Enough tables for two threads, with changes in both halves.
    let many = |drift: bool| {
        let mut s = Schema::default();
        for i in 0..2 * PARALLEL_TABLES {
            let ty = if drift && i % 100 == 7 {
                "bigint"
            } else {
                "integer"
            };
            s.tables.insert(
                format!("t{i:04}"),
                table(vec![col("id", ty), col("name", "text")]),
            );
        }
        let mut pg = PgSchema::default();
        pg.schemas.insert("care".into(), s);
        pg
    };
    let (e, a) = (many(false), many(true));
    let v = diff(&e, &a);
    let want: Vec<String> = (0..2 * PARALLEL_TABLES)
        .filter(|i| i % 100 == 7)
        .map(|i| format!("care.t{i:04}.id"))
        .collect();
    let got: Vec<String> = v.iter().map(|c| c.object().to_string()).collect();
    assert_eq!(got, want);
    assert!(v.iter().all(|c| c.code().name() == "column-type-changed"));
    assert!(diff(&e, &e).is_empty());
}
