//! Event triggers (`CREATE EVENT TRIGGER`), objects of the database. The
//! model's function is PostgreSQL's own qualified printing
//! (`regprocedure`), used as it stands.

use super::privileges::{self, Kind, Target};
use super::{quote, Pg};
use crate::ddl::{Alter, Statement};
use crate::model::postgres::EventTrigger;

fn target(sql: &str) -> Target<'_> {
    Target {
        kind: Kind::EventTrigger,
        sql,
    }
}

/// `ALTER EVENT TRIGGER .. DISABLE` / `ENABLE [REPLICA|ALWAYS]`.
fn enabled(r: &Pg, name: &str, state: &str) -> Statement {
    let how = match state {
        "disabled" => "DISABLE",
        "replica" => "ENABLE REPLICA",
        "always" => "ENABLE ALWAYS",
        _ => "ENABLE",
    };
    Statement::new(format!("ALTER EVENT TRIGGER {} {how}", r.ident(name)))
}

/// `CREATE EVENT TRIGGER`, its enabled state when not the default, its
/// comment.
pub fn create(r: &Pg, name: &str, x: &EventTrigger) -> Vec<Statement> {
    let mut sql = format!("CREATE EVENT TRIGGER {} ON {}", r.ident(name), x.event);
    if !x.tags.is_empty() {
        let tags: Vec<String> = x.tags.iter().map(|t| quote::literal(t)).collect();
        sql.push_str(&format!(" WHEN TAG IN ({})", tags.join(", ")));
    }
    sql.push_str(&format!(" EXECUTE FUNCTION {}", x.function));
    let mut out = vec![Statement::new(sql)];
    if x.enabled != "origin" {
        out.push(enabled(r, name, &x.enabled));
    }
    let sql = r.ident(name);
    let at = target(&sql);
    out.extend(privileges::with_comment(
        r,
        at,
        x.comment.as_ref(),
        &x.privileges,
    ));
    out
}

/// `DROP EVENT TRIGGER`.
pub fn drop(r: &Pg, name: &str) -> Statement {
    Statement::new(format!("DROP EVENT TRIGGER {}", r.ident(name)))
}

/// Turn event trigger `actual` into `expected` (same name): the enabled
/// state and the comment alter; another event, tags or function has no
/// alter (drop and create).
pub fn alter(r: &Pg, name: &str, expected: &EventTrigger, actual: &EventTrigger) -> Alter {
    let same = (&expected.event, &expected.tags, &expected.function)
        == (&actual.event, &actual.tags, &actual.function);
    if !same {
        let what = if expected.event != actual.event {
            "its event"
        } else if expected.tags != actual.tags {
            "its command tags"
        } else {
            "its function"
        };
        return Alter::Recreate {
            reason: what.to_string(),
            drop: vec![drop(r, name)],
            create: create(r, name, expected),
        };
    }
    let mut out = Vec::new();
    if expected.enabled != actual.enabled {
        out.push(enabled(r, name, &expected.enabled));
    }
    let sql = r.ident(name);
    let at = target(&sql);
    out.extend(privileges::alter_with_comment(
        r,
        at,
        (expected.comment.as_ref(), actual.comment.as_ref()),
        &expected.privileges,
        &actual.privileges,
    ));
    Alter::InPlace(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;
    use crate::model::postgres::Privileges;

    fn trigger() -> EventTrigger {
        EventTrigger {
            event: "ddl_command_start".into(),
            tags: vec!["CREATE TABLE".into(), "DROP TABLE".into()],
            function: "audit.on_ddl()".into(),
            enabled: "origin".into(),
            comment: None,
            privileges: Privileges::default(),
        }
    }

    #[test]
    fn event_triggers_are_created_enabled_and_recreated() {
        let r = Pg::default();
        let mut e = trigger();
        e.enabled = "replica".into();
        e.comment = Some("who changed what".into());
        assert_eq!(
            sql_of(create(&r, "audit_ddl", &e)),
            [
                "CREATE EVENT TRIGGER audit_ddl ON ddl_command_start \
                 WHEN TAG IN ('CREATE TABLE', 'DROP TABLE') EXECUTE FUNCTION audit.on_ddl()",
                "ALTER EVENT TRIGGER audit_ddl ENABLE REPLICA",
                "COMMENT ON EVENT TRIGGER audit_ddl IS 'who changed what'",
            ]
        );
        assert_eq!(
            sql_of(alter(&r, "audit_ddl", &trigger(), &e).into_statements()),
            [
                "ALTER EVENT TRIGGER audit_ddl ENABLE",
                "COMMENT ON EVENT TRIGGER audit_ddl IS NULL",
            ]
        );
        let mut a = trigger();
        a.tags.pop();
        match alter(&r, "audit_ddl", &trigger(), &a) {
            Alter::Recreate { reason, drop, .. } => {
                assert_eq!(reason, "its command tags");
                assert_eq!(sql_of(drop), ["DROP EVENT TRIGGER audit_ddl"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
