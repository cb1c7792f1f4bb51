//! Operators (`CREATE OPERATOR`), written as `pg_dump`'s dumpOpr writes
//! them: keyed `name(left, right)` in their schema, the commutator and
//! negator as `OPERATOR(schema.name)`. An operator that names a commutator
//! or negator not made yet leaves a shell in its place, which the `CREATE
//! OPERATOR` of that one fills in: two operators that name each other are
//! created in either order. Only the estimators alter; another function,
//! commutator, negator, `HASHES` or `MERGES` is a new operator.

use super::privileges::{self, Kind, Target};
use super::Pg;
use crate::ddl::{Alter, Hazard, Statement};
use crate::model::postgres::Operator;

/// `name`, `left` and `right` of key `name(left, right)`.
pub fn split_key(key: &str) -> (&str, &str, &str) {
    let (name, rest) = key.split_once('(').unwrap_or((key, ""));
    let args = rest.strip_suffix(')').unwrap_or(rest);
    let (left, right) = args.split_once(", ").unwrap_or((args, "NONE"));
    (name, left, right)
}

/// `schema.name(left, right)`, as `DROP`, `ALTER` and `COMMENT ON` name it.
fn sql(r: &Pg, schema: &str, key: &str) -> String {
    format!("{}.{key}", r.ident(schema))
}

fn target(q: &str) -> Target<'_> {
    Target {
        kind: Kind::Operator,
        sql: q,
    }
}

/// `CREATE OPERATOR`, its comment and owner.
pub fn create(r: &Pg, schema: &str, key: &str, o: &Operator) -> Vec<Statement> {
    let (name, left, right) = split_key(key);
    let mut opts = vec![format!("FUNCTION = {}", o.function)];
    if left != "NONE" {
        opts.push(format!("LEFTARG = {left}"));
    }
    if right != "NONE" {
        opts.push(format!("RIGHTARG = {right}"));
    }
    if let Some(c) = &o.commutator {
        opts.push(format!("COMMUTATOR = OPERATOR({c})"));
    }
    if let Some(n) = &o.negator {
        opts.push(format!("NEGATOR = OPERATOR({n})"));
    }
    if o.merges {
        opts.push("MERGES".to_string());
    }
    if o.hashes {
        opts.push("HASHES".to_string());
    }
    if let Some(f) = &o.restrict {
        opts.push(format!("RESTRICT = {f}"));
    }
    if let Some(f) = &o.join {
        opts.push(format!("JOIN = {f}"));
    }
    let mut out = vec![Statement::new(format!(
        "CREATE OPERATOR {}.{name} ({})",
        r.ident(schema),
        opts.join(", ")
    ))];
    let q = sql(r, schema, key);
    out.extend(privileges::with_comment(
        r,
        target(&q),
        o.comment.as_ref(),
        &o.privileges,
    ));
    out
}

/// `DROP OPERATOR`.
pub fn drop(r: &Pg, schema: &str, key: &str) -> Statement {
    Statement::new(format!("DROP OPERATOR {}", sql(r, schema, key)))
}

/// Turn operator `actual` into `expected` (same key): the estimators,
/// comment and owner alter; anything else is a new operator.
pub fn alter(r: &Pg, schema: &str, key: &str, expected: &Operator, actual: &Operator) -> Alter {
    let Operator {
        function,
        commutator,
        negator,
        restrict,
        join,
        hashes,
        merges,
        comment: _,    // altered below
        privileges: _, // likewise
    } = expected;
    let what = if *function != actual.function {
        Some("its function")
    } else if *commutator != actual.commutator {
        Some("its commutator")
    } else if *negator != actual.negator {
        Some("its negator")
    } else if *hashes != actual.hashes || *merges != actual.merges {
        Some("HASHES or MERGES")
    } else {
        None
    };
    if let Some(what) = what {
        return Alter::Recreate {
            reason: format!("no ALTER OPERATOR changes {what}"),
            // Fails while an index, constraint or view uses it.
            drop: vec![drop(r, schema, key).with(&[Hazard::MayFail])],
            create: create(r, schema, key, expected),
        };
    }
    let q = sql(r, schema, key);
    let mut set = Vec::new();
    let mut estimator = |word: &str, e: &Option<String>, a: &Option<String>| {
        if e != a {
            set.push(format!("{word} = {}", e.as_deref().unwrap_or("NONE")));
        }
    };
    estimator("RESTRICT", restrict, &actual.restrict);
    estimator("JOIN", join, &actual.join);
    let mut out = Vec::new();
    if !set.is_empty() {
        out.push(Statement::new(format!(
            "ALTER OPERATOR {q} SET ({})",
            set.join(", ")
        )));
    }
    out.extend(privileges::alter_with_comment(
        r,
        target(&q),
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

    fn eq() -> Operator {
        Operator {
            function: "app.eq".into(),
            commutator: Some("app.===".into()),
            negator: Some("app.!==".into()),
            restrict: Some("eqsel".into()),
            join: Some("eqjoinsel".into()),
            hashes: true,
            merges: true,
            comment: None,
            privileges: Privileges::default(),
        }
    }

    #[test]
    fn operators_are_created_as_pg_dump_writes_them() {
        let r = Pg::default();
        let mut o = eq();
        o.comment = Some("same".into());
        o.privileges.owner = Some("app_admin".into());
        assert_eq!(
            sql_of(create(&r, "app", "===(integer, app.flag)", &o)),
            [
                "CREATE OPERATOR app.=== (FUNCTION = app.eq, LEFTARG = integer, \
                 RIGHTARG = app.flag, COMMUTATOR = OPERATOR(app.===), \
                 NEGATOR = OPERATOR(app.!==), MERGES, HASHES, RESTRICT = eqsel, \
                 JOIN = eqjoinsel)",
                "COMMENT ON OPERATOR app.===(integer, app.flag) IS 'same'",
                "ALTER OPERATOR app.===(integer, app.flag) OWNER TO app_admin",
            ]
        );
        let prefix = Operator {
            function: "int4um".into(),
            commutator: None,
            negator: None,
            restrict: None,
            join: None,
            hashes: false,
            merges: false,
            ..eq()
        };
        assert_eq!(
            sql_of(create(&r, "My App", "-(NONE, integer)", &prefix)),
            ["CREATE OPERATOR \"My App\".- (FUNCTION = int4um, RIGHTARG = integer)"]
        );
        assert_eq!(
            sql_of(vec![drop(&r, "My App", "-(NONE, integer)")]),
            ["DROP OPERATOR \"My App\".-(NONE, integer)"]
        );
    }

    #[test]
    fn estimators_alter_and_the_rest_makes_it_anew() {
        let r = Pg::default();
        let key = "===(integer, app.flag)";
        let mut a = eq();
        a.restrict = None;
        a.join = Some("scalarltjoinsel".into());
        assert_eq!(
            sql_of(alter(&r, "app", key, &eq(), &a).into_statements()),
            ["ALTER OPERATOR app.===(integer, app.flag) SET (RESTRICT = eqsel, JOIN = eqjoinsel)"]
        );
        assert_eq!(
            sql_of(alter(&r, "app", key, &a, &eq()).into_statements()),
            ["ALTER OPERATOR app.===(integer, app.flag) SET (RESTRICT = NONE, JOIN = scalarltjoinsel)"]
        );
        let mut other = eq();
        other.commutator = None;
        match alter(&r, "app", key, &eq(), &other) {
            Alter::Recreate { reason, drop, .. } => {
                assert_eq!(reason, "no ALTER OPERATOR changes its commutator");
                assert_eq!(sql_of(drop), ["DROP OPERATOR app.===(integer, app.flag)"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(split_key(key), ("===", "integer", "app.flag"));
    }
}
