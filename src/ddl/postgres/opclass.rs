//! Operator families and classes (`CREATE OPERATOR FAMILY`, `CREATE
//! OPERATOR CLASS`), written as `pg_dump`'s dumpOpfamily and dumpOpclass
//! write them: a family with the members it holds itself added by `ALTER
//! OPERATOR FAMILY .. ADD`, a class with its own members and its family
//! named. Both are keyed `name USING method` in their schema. A family's
//! members alter (`DROP` and `ADD`); a class has no alter but its comment
//! and owner, and is made anew.

use std::collections::BTreeMap;

use super::privileges::{self, Kind, Target};
use super::Pg;
use crate::ddl::{Alter, Hazard, Statement};
use crate::model::postgres::{OperatorClass, OperatorFamily};

/// `name` and `method` of key `name USING method`.
pub fn split_key(key: &str) -> (&str, &str) {
    key.rsplit_once(" USING ").unwrap_or((key, ""))
}

/// `schema.name USING method`, as `DROP`, `ALTER` and `COMMENT ON` name it.
fn sql(r: &Pg, schema: &str, key: &str) -> String {
    let (name, method) = split_key(key);
    format!(
        "{}.{} USING {}",
        r.ident(schema),
        r.ident(name),
        r.ident(method)
    )
}

/// A member as `CREATE OPERATOR CLASS` and `ALTER OPERATOR FAMILY .. ADD`
/// take it: `OPERATOR 1 <(integer,bigint)`, `FUNCTION 1 (integer, bigint)
/// btint48cmp(integer,bigint)`.
pub fn member(key: &str, value: &str) -> String {
    match key.strip_prefix("OPERATOR ") {
        Some(rest) => {
            let n = rest.split(' ').next().unwrap_or(rest);
            format!("OPERATOR {n} {value}")
        }
        None => format!("{key} {value}"),
    }
}

fn members(m: &BTreeMap<String, String>) -> Vec<String> {
    m.iter().map(|(k, v)| member(k, v)).collect()
}

/// `CREATE OPERATOR FAMILY`, the members it holds itself, its comment and
/// owner.
pub fn create_family(r: &Pg, schema: &str, key: &str, f: &OperatorFamily) -> Vec<Statement> {
    let q = sql(r, schema, key);
    let mut out = vec![Statement::new(format!("CREATE OPERATOR FAMILY {q}"))];
    if !f.members.is_empty() {
        out.push(Statement::new(format!(
            "ALTER OPERATOR FAMILY {q} ADD {}",
            members(&f.members).join(", ")
        )));
    }
    out.extend(privileges::with_comment(
        r,
        Target {
            kind: Kind::OperatorFamily,
            sql: &q,
        },
        f.comment.as_ref(),
        &f.privileges,
    ));
    out
}

/// `DROP OPERATOR FAMILY` (which drops its classes too).
pub fn drop_family(r: &Pg, schema: &str, key: &str) -> Statement {
    Statement::new(format!("DROP OPERATOR FAMILY {}", sql(r, schema, key)))
}

/// What turns family `actual` into `expected`: the members to drop (before
/// the operators and functions they name go), those to add (once those
/// are there), and the comment and owner.
pub struct FamilyAlter {
    pub drop: Option<Statement>,
    pub add: Option<Statement>,
    pub rest: Vec<Statement>,
}

/// The members, comment and owner of family `actual` made `expected`'s.
pub fn alter_family(
    r: &Pg,
    schema: &str,
    key: &str,
    expected: &OperatorFamily,
    actual: &OperatorFamily,
) -> FamilyAlter {
    let OperatorFamily {
        members: em,
        comment,
        privileges,
    } = expected;
    let q = sql(r, schema, key);
    let gone: Vec<&str> = actual
        .members
        .iter()
        .filter(|(k, v)| em.get(*k) != Some(*v))
        .map(|(k, _)| k.as_str())
        .collect();
    let new: Vec<String> = em
        .iter()
        .filter(|(k, v)| actual.members.get(*k) != Some(*v))
        .map(|(k, v)| member(k, v))
        .collect();
    let drop = (!gone.is_empty()).then(|| {
        Statement::new(format!(
            "ALTER OPERATOR FAMILY {q} DROP {}",
            gone.join(", ")
        ))
    });
    let add = (!new.is_empty())
        .then(|| Statement::new(format!("ALTER OPERATOR FAMILY {q} ADD {}", new.join(", "))));
    let rest = privileges::alter_with_comment(
        r,
        Target {
            kind: Kind::OperatorFamily,
            sql: &q,
        },
        (comment.as_ref(), actual.comment.as_ref()),
        privileges,
        &actual.privileges,
    );
    FamilyAlter { drop, add, rest }
}

/// `CREATE OPERATOR CLASS`, its comment and owner. A class with no member
/// of its own gets `STORAGE` its type, as `pg_dump` writes it (a no-op).
pub fn create_class(r: &Pg, schema: &str, key: &str, c: &OperatorClass) -> Vec<Statement> {
    let (name, method) = split_key(key);
    let mut items: Vec<String> = c.storage.iter().map(|s| format!("STORAGE {s}")).collect();
    items.extend(members(&c.members));
    if items.is_empty() {
        items.push(format!("STORAGE {}", c.for_type));
    }
    let mut out = vec![Statement::new(format!(
        "CREATE OPERATOR CLASS {}.{} {}FOR TYPE {} USING {} FAMILY {} AS {}",
        r.ident(schema),
        r.ident(name),
        if c.default { "DEFAULT " } else { "" },
        c.for_type,
        r.ident(method),
        c.family,
        items.join(", ")
    ))];
    let q = sql(r, schema, key);
    out.extend(privileges::with_comment(
        r,
        Target {
            kind: Kind::OperatorClass,
            sql: &q,
        },
        c.comment.as_ref(),
        &c.privileges,
    ));
    out
}

/// `DROP OPERATOR CLASS`.
pub fn drop_class(r: &Pg, schema: &str, key: &str) -> Statement {
    Statement::new(format!("DROP OPERATOR CLASS {}", sql(r, schema, key)))
}

/// Turn class `actual` into `expected`: the comment and owner alter;
/// another type, DEFAULT, STORAGE, family or members is a new class
/// (which fails while an index uses the old one).
pub fn alter_class(
    r: &Pg,
    schema: &str,
    key: &str,
    expected: &OperatorClass,
    actual: &OperatorClass,
) -> Alter {
    let OperatorClass {
        for_type,
        default,
        storage,
        family,
        members,
        comment,
        privileges,
    } = expected;
    let same = *for_type == actual.for_type
        && *default == actual.default
        && *storage == actual.storage
        && *family == actual.family
        && *members == actual.members;
    if !same {
        return Alter::Recreate {
            reason: "no ALTER OPERATOR CLASS changes its type, family or members".to_string(),
            drop: vec![drop_class(r, schema, key).with(&[Hazard::MayFail])],
            create: create_class(r, schema, key, expected),
        };
    }
    let q = sql(r, schema, key);
    Alter::InPlace(privileges::alter_with_comment(
        r,
        Target {
            kind: Kind::OperatorClass,
            sql: &q,
        },
        (comment.as_ref(), actual.comment.as_ref()),
        privileges,
        &actual.privileges,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;
    use crate::model::postgres::Privileges;

    fn family() -> OperatorFamily {
        OperatorFamily {
            members: [
                (
                    "OPERATOR 1 (integer, bigint)".to_string(),
                    "<(integer,bigint)".to_string(),
                ),
                (
                    "FUNCTION 1 (integer, bigint)".to_string(),
                    "btint48cmp(integer,bigint)".to_string(),
                ),
            ]
            .into(),
            comment: None,
            privileges: Privileges::default(),
        }
    }

    fn class() -> OperatorClass {
        OperatorClass {
            for_type: "integer".into(),
            default: false,
            storage: None,
            family: "app.fam".into(),
            members: [
                (
                    "OPERATOR 1 (integer, integer)".to_string(),
                    ">(integer,integer)".to_string(),
                ),
                (
                    "FUNCTION 1 (integer, integer)".to_string(),
                    "btint4cmp(integer,integer)".to_string(),
                ),
            ]
            .into(),
            comment: Some("backwards".into()),
            privileges: Privileges::default(),
        }
    }

    #[test]
    fn families_and_classes_are_created_as_pg_dump_writes_them() {
        let r = Pg::default();
        assert_eq!(
            sql_of(create_family(&r, "app", "fam USING btree", &family())),
            [
                "CREATE OPERATOR FAMILY app.fam USING btree",
                "ALTER OPERATOR FAMILY app.fam USING btree ADD \
                 FUNCTION 1 (integer, bigint) btint48cmp(integer,bigint), \
                 OPERATOR 1 <(integer,bigint)",
            ]
        );
        assert_eq!(
            sql_of(create_class(&r, "app", "rev USING btree", &class())),
            [
                "CREATE OPERATOR CLASS app.rev FOR TYPE integer USING btree FAMILY app.fam AS \
                 FUNCTION 1 (integer, integer) btint4cmp(integer,integer), \
                 OPERATOR 1 >(integer,integer)",
                "COMMENT ON OPERATOR CLASS app.rev USING btree IS 'backwards'",
            ]
        );
        let bare = OperatorClass {
            default: true,
            members: BTreeMap::new(),
            comment: None,
            ..class()
        };
        assert_eq!(
            sql_of(create_class(&r, "app", "rev USING btree", &bare)),
            [
                "CREATE OPERATOR CLASS app.rev DEFAULT FOR TYPE integer USING btree \
              FAMILY app.fam AS STORAGE integer"
            ]
        );
    }

    #[test]
    fn a_familys_members_alter_and_a_class_is_made_anew() {
        let r = Pg::default();
        let mut a = family();
        a.members.insert(
            "FUNCTION 1 (integer, bigint)".into(),
            "other(integer,bigint)".into(),
        );
        a.members.remove("OPERATOR 1 (integer, bigint)");
        let x = alter_family(&r, "app", "fam USING btree", &family(), &a);
        assert_eq!(
            sql_of(x.drop.into_iter().chain(x.add)),
            [
                "ALTER OPERATOR FAMILY app.fam USING btree DROP FUNCTION 1 (integer, bigint)",
                "ALTER OPERATOR FAMILY app.fam USING btree ADD \
                 FUNCTION 1 (integer, bigint) btint48cmp(integer,bigint), \
                 OPERATOR 1 <(integer,bigint)",
            ]
        );
        let mut other = class();
        other.default = true;
        match alter_class(&r, "app", "rev USING btree", &class(), &other) {
            Alter::Recreate { drop, .. } => {
                assert_eq!(sql_of(drop), ["DROP OPERATOR CLASS app.rev USING btree"])
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(split_key("a USING b USING gist"), ("a USING b", "gist"));
    }
}
