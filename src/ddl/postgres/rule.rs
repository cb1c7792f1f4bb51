//! Rules (`CREATE RULE`) on tables and views. The model holds a rule's
//! whole `CREATE RULE` statement as `pg_get_ruledef` prints it, names
//! qualified, so it is run as it stands.

use super::{alter_comment, comment, Name, Pg};
use crate::ddl::{Alter, Statement};
use crate::model::postgres::Rule;

/// `COMMENT ON` target.
fn target(r: &Pg, on: Name, name: &str) -> String {
    format!("RULE {} ON {}", r.ident(name), r.qual(on))
}

/// `ALTER TABLE .. DISABLE RULE` / `ENABLE REPLICA|ALWAYS RULE`.
fn enabled(r: &Pg, on: Name, name: &str, state: &str) -> Statement {
    let how = match state {
        "disabled" => "DISABLE",
        "replica" => "ENABLE REPLICA",
        "always" => "ENABLE ALWAYS",
        _ => "ENABLE",
    };
    Statement::new(format!(
        "ALTER TABLE {} {how} RULE {}",
        r.qual(on),
        r.ident(name)
    ))
}

/// `CREATE RULE`, its enabled state when not the default, its comment.
pub fn create(r: &Pg, on: Name, name: &str, x: &Rule) -> Vec<Statement> {
    let mut out = vec![Statement::new(x.definition.clone())];
    if x.enabled != "origin" {
        out.push(enabled(r, on, name, &x.enabled));
    }
    if let Some(c) = &x.comment {
        out.push(comment(&target(r, on, name), Some(c)));
    }
    out
}

/// `DROP RULE .. ON ..`.
pub fn drop(r: &Pg, on: Name, name: &str) -> Statement {
    Statement::new(format!("DROP RULE {} ON {}", r.ident(name), r.qual(on)))
}

/// Turn rule `actual` into `expected` (same name): a new definition is
/// `CREATE OR REPLACE RULE`; the enabled state and the comment alter.
pub fn alter(r: &Pg, on: Name, name: &str, expected: &Rule, actual: &Rule) -> Alter {
    let mut out = Vec::new();
    if expected.definition != actual.definition {
        let replace = match expected.definition.strip_prefix("CREATE RULE ") {
            Some(rest) => format!("CREATE OR REPLACE RULE {rest}"),
            None => expected.definition.clone(),
        };
        out.push(Statement::new(replace));
    }
    if expected.enabled != actual.enabled {
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

    const T: Name = Name {
        schema: "care",
        name: "log",
        foreign: false,
    };

    fn rule() -> Rule {
        Rule {
            definition: "CREATE RULE keep AS\n    ON DELETE TO care.log DO INSTEAD NOTHING".into(),
            enabled: "origin".into(),
            comment: None,
        }
    }

    #[test]
    fn rules_are_created_replaced_and_disabled() {
        let r = Pg::default();
        let mut e = rule();
        e.enabled = "disabled".into();
        e.comment = Some("never delete".into());
        assert_eq!(
            sql_of(create(&r, T, "keep", &e)),
            [
                "CREATE RULE keep AS\n    ON DELETE TO care.log DO INSTEAD NOTHING",
                "ALTER TABLE care.log DISABLE RULE keep",
                "COMMENT ON RULE keep ON care.log IS 'never delete'",
            ]
        );
        let mut a = rule();
        a.definition = "CREATE RULE keep AS\n    ON UPDATE TO care.log DO INSTEAD NOTHING".into();
        assert_eq!(
            sql_of(alter(&r, T, "keep", &rule(), &a).into_statements()),
            ["CREATE OR REPLACE RULE keep AS\n    ON DELETE TO care.log DO INSTEAD NOTHING"]
        );
        assert_eq!(
            sql_of(alter(&r, T, "keep", &rule(), &e).into_statements()),
            [
                "ALTER TABLE care.log ENABLE RULE keep",
                "COMMENT ON RULE keep ON care.log IS NULL",
            ]
        );
        assert_eq!(drop(&r, T, "keep").sql, "DROP RULE keep ON care.log");
    }
}
