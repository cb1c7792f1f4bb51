//! A report with every kind of change, for the renderers' tests.

use serde_json::json;

use super::Report;
use crate::diff::{Change, Code, ColumnDefinition, Definition, FieldChange, ObjectType};
use crate::model::postgres::{Column, Index, IndexKey};

fn field(f: &str, e: serde_json::Value, a: serde_json::Value) -> FieldChange {
    FieldChange {
        field: f.into(),
        expected: e,
        actual: a,
    }
}

pub fn sample_report() -> Report {
    let changed = |code, ty, obj: &str, fields| Change::changed(code, ty, obj.into(), fields);
    let email = Column {
        name: "email".into(),
        data_type: "text".into(),
        not_null: true,
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
    };
    let hotfix = Index {
        method: "btree".into(),
        unique: false,
        nulls_not_distinct: false,
        keys: vec![IndexKey {
            expression: "name".into(),
            opclass: None,
            collation: None,
            descending: false,
            nulls_not_default: false,
            statistics: None,
        }],
        include: vec![],
        predicate: None,
        storage_parameters: vec![],
        comment: None,
    };
    let mut changes = vec![
        Change::missing(
            ObjectType::Column,
            "care.patients.email".into(),
            Definition::Column(Box::new(ColumnDefinition {
                column: email,
                owned_sequences: Default::default(),
                position: None,
            })),
        ),
        changed(
            Code::ColumnTypeChanged,
            ObjectType::Column,
            "care.patients.name",
            vec![field("type", json!("text"), json!("character varying(80)"))],
        ),
        Change::unexpected(
            ObjectType::Index,
            "care.patients.patients_name_hotfix_idx".into(),
            Definition::Index(Box::new(hotfix)),
        ),
        changed(
            Code::CommentChanged,
            ObjectType::Table,
            "care.patients",
            vec![field("comment", json!("People <in> care & \"treated\""), json!(null))],
        ),
        changed(
            Code::ViewDefinitionChanged,
            ObjectType::View,
            "care.active_patients",
            vec![field(
                "definition",
                json!(" SELECT patients.id,\n    patients.name\n   FROM care.patients\n  WHERE patients.active;"),
                json!(" SELECT patients.id,\n    patients.name,\n    patients.email\n   FROM care.patients\n  WHERE patients.active;"),
            )],
        ),
        changed(
            Code::PolicyChanged,
            ObjectType::Policy,
            "care.patients.own_rows",
            vec![
                field("roles", json!(["app"]), json!(["app", "public"])),
                field("using", json!("(owner = CURRENT_USER)"), json!("true")),
            ],
        ),
        changed(
            Code::ConstraintRenamed,
            ObjectType::Constraint,
            "care.patients.patients_age_check",
            vec![field("name", json!("patients_age_check"), json!("age_positive|x"))],
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

/// A clean report that left two tools' tables out as bookkeeping.
pub fn with_bookkeeping() -> Report {
    let mut r = Report::new("db/migrations", "postgres://app@db.example/care", vec![], 0);
    let b = |object: &str, tool, in_expected| crate::history::SetAside {
        object: object.to_string(),
        tool,
        in_expected,
        in_actual: true,
    };
    r.bookkeeping = vec![
        b("ops.flyway_schema_history", "Flyway", true),
        b("public._prisma_migrations", "Prisma", false),
    ];
    r
}
