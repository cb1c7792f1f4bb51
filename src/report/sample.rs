//! A report with every kind of change, for the renderers' tests.

use serde_json::json;

use super::Report;
use crate::diff::{Change, ChangeKind, FieldChange, Severity};

fn field(f: &str, e: serde_json::Value, a: serde_json::Value) -> FieldChange {
    FieldChange {
        field: f.into(),
        expected: e,
        actual: a,
    }
}

pub fn sample_report() -> Report {
    let c = |code: &str, kind, ty: &str, obj: &str, sev, fields, def| Change {
        code: code.into(),
        kind,
        object_type: ty.into(),
        object: obj.into(),
        severity: sev,
        fields,
        definition: def,
    };
    let mut changes = vec![
        c(
            "column-missing",
            ChangeKind::Missing,
            "column",
            "care.patients.email",
            Severity::Error,
            vec![],
            Some(json!({"name": "email", "type": "text", "not_null": true})),
        ),
        c(
            "column-type-changed",
            ChangeKind::Changed,
            "column",
            "care.patients.name",
            Severity::Error,
            vec![field("type", json!("text"), json!("character varying(80)"))],
            None,
        ),
        c(
            "index-unexpected",
            ChangeKind::Unexpected,
            "index",
            "care.patients.patients_name_hotfix_idx",
            Severity::Warning,
            vec![],
            Some(json!({"method": "btree", "keys": [{"expression": "name"}]})),
        ),
        c(
            "comment-changed",
            ChangeKind::Changed,
            "table",
            "care.patients",
            Severity::Info,
            vec![field("comment", json!("People <in> care & \"treated\""), json!(null))],
            None,
        ),
        c(
            "view-definition-changed",
            ChangeKind::Changed,
            "view",
            "care.active_patients",
            Severity::Warning,
            vec![field(
                "definition",
                json!(" SELECT patients.id,\n    patients.name\n   FROM care.patients\n  WHERE patients.active;"),
                json!(" SELECT patients.id,\n    patients.name,\n    patients.email\n   FROM care.patients\n  WHERE patients.active;"),
            )],
            None,
        ),
        c(
            "policy-changed",
            ChangeKind::Changed,
            "policy",
            "care.patients.own_rows",
            Severity::Error,
            vec![
                field("roles", json!(["app"]), json!(["app", "public"])),
                field("using", json!("(owner = CURRENT_USER)"), json!("true")),
            ],
            None,
        ),
        c(
            "constraint-renamed",
            ChangeKind::Changed,
            "constraint",
            "care.patients.patients_age_check",
            Severity::Info,
            vec![field("name", json!("patients_age_check"), json!("age_positive|x"))],
            None,
        ),
    ];
    crate::diff::sort_changes(&mut changes);
    Report::new(
        "expected/postgres.json",
        "postgres://app@db.example/care",
        changes,
        1,
    )
}
