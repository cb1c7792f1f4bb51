//! Table constraints: primary keys, unique, check, exclusion and foreign
//! keys, each added with `ALTER TABLE .. ADD CONSTRAINT name <definition>`
//! from `pg_get_constraintdef`'s text.

use super::{alter_comment, comment, Name, Pg};
use crate::ddl::{Alter, Hazard, Statement};
use crate::model::postgres::{Constraint, ConstraintKind};

/// `COMMENT ON` target.
fn target(r: &Pg, table: Name, name: &str) -> String {
    format!("CONSTRAINT {} ON {}", r.ident(name), r.qual(table))
}

/// `ALTER TABLE .. ADD CONSTRAINT ..` and its comment. Adding a key builds
/// its index; a validated check or foreign key scans the table.
pub fn create(r: &Pg, table: Name, name: &str, c: &Constraint) -> Vec<Statement> {
    let hazards: &[Hazard] = match c.kind {
        ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclusion => {
            &[Hazard::Lock, Hazard::MayFail]
        }
        ConstraintKind::Check | ConstraintKind::ForeignKey if c.validated => {
            &[Hazard::Lock, Hazard::MayFail]
        }
        ConstraintKind::Check | ConstraintKind::ForeignKey => &[],
    };
    let mut out = vec![Statement::new(format!(
        "ALTER {} {} ADD CONSTRAINT {} {}",
        table.table_kw(),
        r.qual(table),
        r.ident(name),
        c.definition
    ))
    .with(hazards)];
    if let Some(t) = &c.comment {
        out.push(comment(&target(r, table, name), Some(t)));
    }
    out
}

/// `ALTER TABLE .. DROP CONSTRAINT ..`. A key that foreign keys reference
/// cannot go before they do.
pub fn drop(r: &Pg, table: Name, name: &str) -> Statement {
    Statement::new(format!(
        "ALTER {} {} DROP CONSTRAINT {}",
        table.table_kw(),
        r.qual(table),
        r.ident(name)
    ))
}

/// `ALTER TABLE .. RENAME CONSTRAINT` (a key's index is renamed with it).
pub fn rename(r: &Pg, table: Name, from: &str, to: &str) -> Statement {
    Statement::new(format!(
        "ALTER {} {} RENAME CONSTRAINT {} TO {}",
        table.table_kw(),
        r.qual(table),
        r.ident(from),
        r.ident(to)
    ))
}

/// The definition without the clauses that can change in place: `NOT
/// VALID` (validated later), `DEFERRABLE`/`INITIALLY DEFERRED` (altered on
/// a foreign key).
fn core(definition: &str) -> &str {
    let mut d = definition;
    for suffix in [" NOT VALID", " INITIALLY DEFERRED", " DEFERRABLE"] {
        d = d.strip_suffix(suffix).unwrap_or(d);
    }
    d
}

/// Turn constraint `actual` into `expected` (same name): `VALIDATE
/// CONSTRAINT`, `ALTER CONSTRAINT .. DEFERRABLE` (foreign keys only),
/// `COMMENT ON`; anything else (the columns, the condition, the referenced
/// table, the actions) has no alter: drop and add.
pub fn alter(r: &Pg, table: Name, name: &str, expected: &Constraint, actual: &Constraint) -> Alter {
    let recreate = |reason: &str| Alter::Recreate {
        reason: reason.to_string(),
        drop: vec![drop(r, table, name)],
        create: create(r, table, name, expected),
    };
    if expected.kind != actual.kind || core(&expected.definition) != core(&actual.definition) {
        return recreate("the constraint's definition");
    }
    let deferral = (expected.deferrable, expected.initially_deferred)
        != (actual.deferrable, actual.initially_deferred);
    if deferral && expected.kind != ConstraintKind::ForeignKey {
        return recreate("deferrability of a constraint other than a foreign key");
    }
    if !expected.validated && actual.validated {
        return recreate("a validated constraint made NOT VALID");
    }
    let t = format!("{} {}", table.table_kw(), r.qual(table));
    let n = r.ident(name);
    let mut out = Vec::new();
    if deferral {
        let mut s = format!("ALTER {t} ALTER CONSTRAINT {n}");
        s.push_str(if expected.deferrable {
            " DEFERRABLE"
        } else {
            " NOT DEFERRABLE"
        });
        s.push_str(if expected.initially_deferred {
            " INITIALLY DEFERRED"
        } else {
            " INITIALLY IMMEDIATE"
        });
        out.push(Statement::new(s));
    }
    if expected.validated && !actual.validated {
        out.push(
            Statement::new(format!("ALTER {t} VALIDATE CONSTRAINT {n}")).with(&[Hazard::MayFail]),
        );
    }
    out.extend(alter_comment(
        &target(r, table, name),
        expected.comment.as_ref(),
        actual.comment.as_ref(),
    ));
    Alter::InPlace(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;
    use crate::model::postgres::ForeignKey;

    const T: Name = Name {
        schema: "care",
        name: "visits",
        foreign: false,
    };

    fn fk(def: &str) -> Constraint {
        Constraint {
            kind: ConstraintKind::ForeignKey,
            definition: def.into(),
            columns: vec!["patient_id".into()],
            deferrable: def.contains(" DEFERRABLE"),
            initially_deferred: def.contains("INITIALLY DEFERRED"),
            validated: !def.contains("NOT VALID"),
            no_inherit: false,
            foreign_key: Some(ForeignKey {
                references: "care.patients".into(),
                referenced_columns: vec!["id".into()],
                on_update: "no_action".into(),
                on_delete: "no_action".into(),
                match_type: "simple".into(),
            }),
            comment: None,
        }
    }

    #[test]
    fn foreign_keys_alter_in_place_where_they_can() {
        let r = Pg::default();
        let plain = fk("FOREIGN KEY (patient_id) REFERENCES care.patients(id)");
        let deferred = fk(
            "FOREIGN KEY (patient_id) REFERENCES care.patients(id) DEFERRABLE INITIALLY DEFERRED",
        );
        let not_valid = fk("FOREIGN KEY (patient_id) REFERENCES care.patients(id) NOT VALID");
        assert_eq!(
            sql_of(alter(&r, T, "visits_patient_fk", &deferred, &plain)),
            ["ALTER TABLE care.visits ALTER CONSTRAINT visits_patient_fk DEFERRABLE INITIALLY DEFERRED"]
        );
        assert_eq!(
            sql_of(alter(&r, T, "visits_patient_fk", &plain, &not_valid)),
            ["ALTER TABLE care.visits VALIDATE CONSTRAINT visits_patient_fk"]
        );
        let cascade = fk("FOREIGN KEY (patient_id) REFERENCES care.patients(id) ON DELETE CASCADE");
        match alter(&r, T, "visits_patient_fk", &cascade, &plain) {
            Alter::Recreate { drop, create, .. } => {
                assert_eq!(
                    drop[0].sql,
                    "ALTER TABLE care.visits DROP CONSTRAINT visits_patient_fk"
                );
                assert_eq!(
                    create[0].sql,
                    "ALTER TABLE care.visits ADD CONSTRAINT visits_patient_fk FOREIGN KEY (patient_id) REFERENCES care.patients(id) ON DELETE CASCADE"
                );
                assert!(create[0].has(Hazard::Lock));
            }
            other => panic!("{other:?}"),
        }
        assert!(alter(&r, T, "visits_patient_fk", &plain, &plain).is_empty());
    }
}
