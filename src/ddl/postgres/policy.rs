//! Row-level security policies.

use super::{alter_comment, comment, Name, Pg};
use crate::ddl::{Alter, Statement};
use crate::model::postgres::Policy;

/// `COMMENT ON` target.
fn target(r: &Pg, table: Name, name: &str) -> String {
    format!("POLICY {} ON {}", r.ident(name), r.qual(table))
}

/// The `TO` list: the model says `public` for PUBLIC.
fn roles(r: &Pg, p: &Policy) -> String {
    if p.roles.is_empty() {
        return "PUBLIC".to_string();
    }
    p.roles
        .iter()
        .map(|x| {
            if x == "public" {
                "PUBLIC".to_string()
            } else {
                r.ident(x).into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CREATE POLICY` and its comment.
pub fn create(r: &Pg, table: Name, name: &str, p: &Policy) -> Vec<Statement> {
    let mut s = format!(
        "CREATE POLICY {} ON {} AS {} FOR {} TO {}",
        r.ident(name),
        r.qual(table),
        if p.permissive {
            "PERMISSIVE"
        } else {
            "RESTRICTIVE"
        },
        p.command.to_ascii_uppercase(),
        roles(r, p)
    );
    if let Some(u) = &p.using {
        s.push_str(&format!(" USING ({u})"));
    }
    if let Some(w) = &p.with_check {
        s.push_str(&format!(" WITH CHECK ({w})"));
    }
    let mut out = vec![Statement::new(s)];
    if let Some(c) = &p.comment {
        out.push(comment(&target(r, table, name), Some(c)));
    }
    out
}

/// `DROP POLICY .. ON ..`.
pub fn drop(r: &Pg, table: Name, name: &str) -> Statement {
    Statement::new(format!(
        "DROP POLICY {} ON {}",
        r.ident(name),
        r.qual(table)
    ))
}

/// `ALTER POLICY .. RENAME TO ..`.
pub fn rename(r: &Pg, table: Name, from: &str, to: &str) -> Statement {
    Statement::new(format!(
        "ALTER POLICY {} ON {} RENAME TO {}",
        r.ident(from),
        r.qual(table),
        r.ident(to)
    ))
}

/// Turn policy `actual` into `expected` (same name): `ALTER POLICY` sets
/// the roles, `USING` and `WITH CHECK`; the command and permissiveness
/// cannot change, nor can an expression be taken away: drop and create.
pub fn alter(r: &Pg, table: Name, name: &str, expected: &Policy, actual: &Policy) -> Alter {
    let fixed = expected.command != actual.command
        || expected.permissive != actual.permissive
        || expected.using.is_none() && actual.using.is_some()
        || expected.with_check.is_none() && actual.with_check.is_some();
    if fixed {
        return Alter::Recreate {
            reason: "the policy's command, permissiveness or a removed expression".to_string(),
            drop: vec![drop(r, table, name)],
            create: create(r, table, name, expected),
        };
    }
    let mut clauses = Vec::new();
    if expected.roles != actual.roles {
        clauses.push(format!("TO {}", roles(r, expected)));
    }
    if expected.using != actual.using {
        if let Some(u) = &expected.using {
            clauses.push(format!("USING ({u})"));
        }
    }
    if expected.with_check != actual.with_check {
        if let Some(w) = &expected.with_check {
            clauses.push(format!("WITH CHECK ({w})"));
        }
    }
    let mut out = Vec::new();
    if !clauses.is_empty() {
        out.push(Statement::new(format!(
            "ALTER POLICY {} ON {} {}",
            r.ident(name),
            r.qual(table),
            clauses.join(" ")
        )));
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

    fn policy() -> Policy {
        Policy {
            command: "select".into(),
            permissive: true,
            roles: vec!["public".into()],
            using: Some("(email = CURRENT_USER)".into()),
            with_check: None,
            comment: None,
        }
    }

    const T: Name = Name {
        schema: "care",
        name: "patients",
        foreign: false,
    };

    #[test]
    fn policies_create_and_alter() {
        let r = Pg::default();
        assert_eq!(
            create(&r, T, "own_rows", &policy())[0].sql,
            "CREATE POLICY own_rows ON care.patients AS PERMISSIVE FOR SELECT TO PUBLIC USING ((email = CURRENT_USER))"
        );
        let mut e = policy();
        e.using = Some("true".into());
        e.roles = vec!["Nurse".into(), "doctor".into()];
        let sql = sql_of(alter(&r, T, "own_rows", &e, &policy()));
        assert_eq!(
            sql,
            ["ALTER POLICY own_rows ON care.patients TO \"Nurse\", doctor USING (true)"]
        );
        let mut restrictive = policy();
        restrictive.permissive = false;
        assert!(matches!(
            alter(&r, T, "own_rows", &restrictive, &policy()),
            Alter::Recreate { .. }
        ));
    }
}
