//! Triggers on tables and views.

use super::{alter_comment, comment, quote, Name, Pg};
use crate::ddl::{Alter, Statement};
use crate::model::postgres::Trigger;

/// `COMMENT ON` target.
fn target(r: &Pg, on: Name, name: &str) -> String {
    format!("TRIGGER {} ON {}", r.ident(name), r.qual(on))
}

fn definition(r: &Pg, on: Name, name: &str, t: &Trigger, or_replace: bool) -> String {
    let mut s = String::from("CREATE ");
    if or_replace {
        s.push_str("OR REPLACE ");
    }
    if t.constraint {
        s.push_str("CONSTRAINT ");
    }
    s.push_str("TRIGGER ");
    s.push_str(&r.ident(name));
    s.push_str(match t.timing.as_str() {
        "before" => " BEFORE ",
        "instead_of" => " INSTEAD OF ",
        _ => " AFTER ",
    });
    let events: Vec<String> = ["insert", "delete", "update", "truncate"]
        .iter()
        .filter(|e| t.events.iter().any(|x| x == *e))
        .map(|e| {
            if *e == "update" && !t.columns.is_empty() {
                format!("UPDATE OF {}", r.idents(&t.columns))
            } else {
                e.to_ascii_uppercase()
            }
        })
        .collect();
    s.push_str(&events.join(" OR "));
    s.push_str(&format!(" ON {}", r.qual(on)));
    if t.constraint {
        if t.deferrable {
            s.push_str(" DEFERRABLE");
        }
        if t.initially_deferred {
            s.push_str(" INITIALLY DEFERRED");
        }
    }
    if t.old_table.is_some() || t.new_table.is_some() {
        s.push_str(" REFERENCING");
        if let Some(o) = &t.old_table {
            s.push_str(&format!(" OLD TABLE AS {}", r.ident(o)));
        }
        if let Some(n) = &t.new_table {
            s.push_str(&format!(" NEW TABLE AS {}", r.ident(n)));
        }
    }
    s.push_str(if t.level == "row" {
        " FOR EACH ROW"
    } else {
        " FOR EACH STATEMENT"
    });
    if let Some(w) = &t.when {
        s.push_str(&format!(" WHEN ({w})"));
    }
    // The model holds the function as `regprocedure` prints it, with its
    // (empty) argument types: `care.touch()`.
    let function = t.function.strip_suffix("()").unwrap_or(&t.function);
    let args: Vec<String> = t.arguments.iter().map(|a| quote::literal(a)).collect();
    s.push_str(&format!(
        " EXECUTE FUNCTION {function}({})",
        args.join(", ")
    ));
    s
}

/// `ALTER TABLE .. DISABLE TRIGGER` / `ENABLE REPLICA|ALWAYS TRIGGER`, for a
/// trigger that should not fire as a new one does (`origin`).
fn enabled(r: &Pg, on: Name, name: &str, state: &str) -> Statement {
    let how = match state {
        "disabled" => "DISABLE",
        "replica" => "ENABLE REPLICA",
        "always" => "ENABLE ALWAYS",
        _ => "ENABLE",
    };
    Statement::new(format!(
        "ALTER {} {} {how} TRIGGER {}",
        on.table_kw(),
        r.qual(on),
        r.ident(name)
    ))
}

/// `CREATE TRIGGER`, its enabled state when not the default, its comment.
pub fn create(r: &Pg, on: Name, name: &str, t: &Trigger) -> Vec<Statement> {
    let mut out = vec![Statement::new(definition(r, on, name, t, false))];
    out.extend(settings(r, on, name, t));
    out
}

/// What a trigger carries beyond its definition: the enabled state and the
/// comment (all a partition's clone of its parent's trigger may differ in).
pub fn settings(r: &Pg, on: Name, name: &str, t: &Trigger) -> Vec<Statement> {
    let mut out = Vec::new();
    if t.enabled != "origin" {
        out.push(enabled(r, on, name, &t.enabled));
    }
    if let Some(c) = &t.comment {
        out.push(comment(&target(r, on, name), Some(c)));
    }
    out
}

/// `DROP TRIGGER .. ON ..`.
pub fn drop(r: &Pg, on: Name, name: &str) -> Statement {
    Statement::new(format!("DROP TRIGGER {} ON {}", r.ident(name), r.qual(on)))
}

/// `ALTER TRIGGER .. RENAME TO ..`.
pub fn rename(r: &Pg, on: Name, from: &str, to: &str) -> Statement {
    Statement::new(format!(
        "ALTER TRIGGER {} ON {} RENAME TO {}",
        r.ident(from),
        r.qual(on),
        r.ident(to)
    ))
}

/// Turn trigger `actual` into `expected` (same name): the enabled state
/// and the comment alter in place; a new definition is `CREATE OR REPLACE
/// TRIGGER` from PostgreSQL 14 (not for constraint triggers), else drop
/// and create.
pub fn alter(r: &Pg, on: Name, name: &str, expected: &Trigger, actual: &Trigger) -> Alter {
    let strip = |t: &Trigger| Trigger {
        enabled: String::new(),
        comment: None,
        ..t.clone()
    };
    let mut out = Vec::new();
    let redefined = strip(expected) != strip(actual);
    if redefined {
        if r.version < 140000 || expected.constraint || actual.constraint {
            return Alter::Recreate {
                reason: "the trigger's definition".to_string(),
                drop: vec![drop(r, on, name)],
                create: create(r, on, name, expected),
            };
        }
        out.push(Statement::new(definition(r, on, name, expected, true)));
    }
    if expected.enabled != actual.enabled || redefined && expected.enabled != "origin" {
        out.push(enabled(r, on, name, &expected.enabled));
    }
    out.extend(alter_comment(
        &target(r, on, name),
        expected.comment.as_ref(),
        actual.comment.as_ref(),
    ));
    Alter::InPlace(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;

    fn trigger() -> Trigger {
        Trigger {
            timing: "before".into(),
            events: vec!["insert".into(), "update".into()],
            level: "row".into(),
            columns: vec![],
            function: "care.touch()".into(),
            arguments: vec![],
            when: None,
            enabled: "origin".into(),
            old_table: None,
            new_table: None,
            constraint: false,
            deferrable: false,
            initially_deferred: false,
            comment: None,
        }
    }

    const T: Name = Name {
        schema: "care",
        name: "patients",
        foreign: false,
    };

    #[test]
    fn triggers_spell_every_clause() {
        let r = Pg::default();
        let mut t = trigger();
        t.columns = vec!["name".into(), "Email".into()];
        t.when = Some("(old.* IS DISTINCT FROM new.*)".into());
        t.arguments = vec!["a".into(), "it's".into()];
        t.enabled = "replica".into();
        let s = create(&r, T, "patients_touch", &t);
        assert_eq!(
            s[0].sql,
            "CREATE TRIGGER patients_touch BEFORE INSERT OR UPDATE OF name, \"Email\" ON care.patients FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION care.touch('a', 'it''s')"
        );
        assert_eq!(
            s[1].sql,
            "ALTER TABLE care.patients ENABLE REPLICA TRIGGER patients_touch"
        );
        let mut a = trigger();
        a.timing = "after".into();
        a.level = "statement".into();
        a.events = vec!["delete".into()];
        a.old_table = Some("gone".into());
        assert_eq!(
            create(&r, T, "audit", &a)[0].sql,
            "CREATE TRIGGER audit AFTER DELETE ON care.patients REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION care.touch()"
        );
    }

    #[test]
    fn new_definitions_replace_from_14() {
        let a = trigger();
        let mut e = trigger();
        e.timing = "after".into();
        e.enabled = "disabled".into();
        let sql = sql_of(alter(&Pg::new(140000), T, "t", &e, &a));
        assert_eq!(
            sql,
            [
                "CREATE OR REPLACE TRIGGER t AFTER INSERT OR UPDATE ON care.patients FOR EACH ROW EXECUTE FUNCTION care.touch()",
                "ALTER TABLE care.patients DISABLE TRIGGER t",
            ]
        );
        assert!(matches!(
            alter(&Pg::new(130000), T, "t", &e, &a),
            Alter::Recreate { .. }
        ));
    }
}
