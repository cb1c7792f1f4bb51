//! Extended statistics (`CREATE STATISTICS`) on tables. A statistics object
//! is in a schema of its own (its table's unless the model says another),
//! and is named by its key among its table's (see
//! [`Statistics::name`]).

use super::{alter_comment, comment, Name, Pg};
use crate::ddl::{Alter, Statement};
use crate::model::postgres::Statistics;

/// Every kind, in PostgreSQL's order: what `CREATE STATISTICS` gathers
/// when it names none.
const ALL_KINDS: [&str; 3] = ["ndistinct", "dependencies", "mcv"];

/// `schema.name` of statistics object `key` on table `on`.
fn qual(r: &Pg, on: Name, key: &str, x: &Statistics) -> String {
    r.qual(Name::new(x.schema_in(on.schema), x.name(key)))
}

/// `CREATE STATISTICS`, its target, comment and owner.
pub fn create(r: &Pg, on: Name, key: &str, x: &Statistics) -> Vec<Statement> {
    let q = qual(r, on, key, x);
    let mut sql = format!("CREATE STATISTICS {q}");
    if !x.kinds.is_empty() && x.kinds != ALL_KINDS {
        sql.push_str(&format!(" ({})", x.kinds.join(", ")));
    }
    let keys: Vec<String> = x
        .columns
        .iter()
        .map(|c| r.ident(c).into_owned())
        .chain(x.expressions.iter().map(|e| format!("({e})")))
        .collect();
    sql.push_str(&format!(" ON {} FROM {}", keys.join(", "), r.qual(on)));
    let mut out = vec![Statement::new(sql)];
    if let Some(t) = x.target {
        out.push(target(&q, Some(t)));
    }
    if let Some(c) = &x.comment {
        out.push(comment(&format!("STATISTICS {q}"), Some(c)));
    }
    if let Some(o) = &x.privileges.owner {
        out.push(owner(r, &q, o));
    }
    out
}

/// `ALTER STATISTICS .. SET STATISTICS` (`-1`: the default).
fn target(q: &str, t: Option<i32>) -> Statement {
    Statement::new(format!(
        "ALTER STATISTICS {q} SET STATISTICS {}",
        t.unwrap_or(-1)
    ))
}

fn owner(r: &Pg, q: &str, role: &str) -> Statement {
    Statement::new(format!("ALTER STATISTICS {q} OWNER TO {}", r.ident(role)))
}

/// `DROP STATISTICS`.
pub fn drop(r: &Pg, on: Name, key: &str, x: &Statistics) -> Statement {
    Statement::new(format!("DROP STATISTICS {}", qual(r, on, key, x)))
}

/// Turn statistics object `actual` into `expected` (same key): another
/// schema is `SET SCHEMA`, the target, comment and owner alter; other
/// kinds, columns or expressions make a new object: drop and create.
pub fn alter(r: &Pg, on: Name, key: &str, expected: &Statistics, actual: &Statistics) -> Alter {
    let Statistics {
        schema: _, // moved below
        kinds,
        columns,
        expressions,
        target: _, // altered below
        comment: _,
        privileges: _,
    } = expected;
    if *kinds != actual.kinds || *columns != actual.columns || *expressions != actual.expressions {
        return Alter::Recreate {
            reason: "the statistics object's definition".to_string(),
            drop: vec![drop(r, on, key, actual)],
            create: create(r, on, key, expected),
        };
    }
    let mut out = Vec::new();
    let mut q = qual(r, on, key, actual);
    if expected.schema != actual.schema {
        let to = expected.schema_in(on.schema);
        out.push(Statement::new(format!(
            "ALTER STATISTICS {q} SET SCHEMA {}",
            r.ident(to)
        )));
        q = qual(r, on, key, expected);
    }
    if expected.target != actual.target {
        out.push(target(&q, expected.target));
    }
    out.extend(alter_comment(
        &format!("STATISTICS {q}"),
        expected.comment.as_ref(),
        actual.comment.as_ref(),
    ));
    if let Some(o) = &expected.privileges.owner {
        if actual.privileges.owner.as_ref() != Some(o) {
            out.push(owner(r, &q, o));
        }
    }
    Alter::InPlace(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;
    use crate::model::postgres::Privileges;

    const T: Name = Name {
        schema: "care",
        name: "visits",
        foreign: false,
    };

    fn stats(columns: &[&str]) -> Statistics {
        Statistics {
            schema: None,
            kinds: ALL_KINDS.iter().map(|k| k.to_string()).collect(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            expressions: vec![],
            target: None,
            comment: None,
            privileges: Privileges::default(),
        }
    }

    #[test]
    fn created_with_their_kinds_keys_target_and_comment() {
        let r = Pg::default();
        assert_eq!(
            sql_of(create(&r, T, "visits_vet", &stats(&["vet", "Order"]))),
            ["CREATE STATISTICS care.visits_vet ON vet, \"Order\" FROM care.visits"]
        );
        let mut x = stats(&["vet"]);
        x.kinds = vec!["ndistinct".into(), "mcv".into()];
        x.expressions = vec!["lower(species)".into(), "(at + 1)".into()];
        x.schema = Some("stats".into());
        x.target = Some(500);
        x.comment = Some("vet by species".into());
        assert_eq!(
            sql_of(create(&r, T, "v", &x)),
            [
                "CREATE STATISTICS stats.v (ndistinct, mcv) ON vet, (lower(species)), ((at + 1)) FROM care.visits",
                "ALTER STATISTICS stats.v SET STATISTICS 500",
                "COMMENT ON STATISTICS stats.v IS 'vet by species'",
            ]
        );
        assert_eq!(drop(&r, T, "v", &x).sql, "DROP STATISTICS stats.v");
        // Keyed apart from one of the same name in the table's schema.
        assert_eq!(drop(&r, T, "stats.v", &x).sql, "DROP STATISTICS stats.v");
    }

    #[test]
    fn target_schema_and_comment_alter_in_place_the_rest_recreates() {
        let r = Pg::default();
        let a = stats(&["vet", "at"]);
        let mut e = a.clone();
        e.schema = Some("stats".into());
        e.target = Some(0);
        e.comment = Some("c".into());
        assert_eq!(
            sql_of(alter(&r, T, "s", &e, &a).into_statements()),
            [
                "ALTER STATISTICS care.s SET SCHEMA stats",
                "ALTER STATISTICS stats.s SET STATISTICS 0",
                "COMMENT ON STATISTICS stats.s IS 'c'",
            ]
        );
        assert_eq!(
            sql_of(alter(&r, T, "s", &a, &e).into_statements()),
            [
                "ALTER STATISTICS stats.s SET SCHEMA care",
                "ALTER STATISTICS care.s SET STATISTICS -1",
                "COMMENT ON STATISTICS care.s IS NULL",
            ]
        );
        let mut fewer = a.clone();
        fewer.kinds = vec!["mcv".into()];
        assert!(matches!(
            alter(&r, T, "s", &fewer, &a),
            Alter::Recreate { .. }
        ));
    }
}
