//! Access methods (`CREATE ACCESS METHOD`), objects of the database. The
//! handler is PostgreSQL's own qualified printing (`regproc`), used as it
//! stands. An access method has no alter but its comment: another type or
//! handler is a new access method.

use super::{alter_comment, comment, Pg};
use crate::ddl::{Alter, Statement};
use crate::model::postgres::AccessMethod;

fn target(r: &Pg, name: &str) -> String {
    format!("ACCESS METHOD {}", r.ident(name))
}

/// `CREATE ACCESS METHOD`, and its comment.
pub fn create(r: &Pg, name: &str, x: &AccessMethod) -> Vec<Statement> {
    let AccessMethod {
        kind,
        handler,
        comment: text,
    } = x;
    let sql = format!(
        "CREATE {} TYPE {} HANDLER {handler}",
        target(r, name),
        kind.to_ascii_uppercase()
    );
    let mut out = vec![Statement::new(sql)];
    if let Some(c) = text {
        out.push(comment(&target(r, name), Some(c)));
    }
    out
}

/// `DROP ACCESS METHOD` (without CASCADE: the tables, indexes and operator
/// classes that use it are dropped first, by their own changes).
pub fn drop(r: &Pg, name: &str) -> Statement {
    Statement::new(format!("DROP {}", target(r, name)))
}

/// Turn access method `actual` into `expected` (same name): the comment
/// alters; another type or handler has no alter (drop and create).
pub fn alter(r: &Pg, name: &str, expected: &AccessMethod, actual: &AccessMethod) -> Alter {
    let what = if expected.kind != actual.kind {
        Some("its type")
    } else if expected.handler != actual.handler {
        Some("its handler")
    } else {
        None
    };
    if let Some(what) = what {
        return Alter::Recreate {
            reason: what.to_string(),
            drop: vec![drop(r, name)],
            create: create(r, name, expected),
        };
    }
    let target = target(r, name);
    let c = alter_comment(&target, expected.comment.as_ref(), actual.comment.as_ref());
    Alter::InPlace(c.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;

    #[test]
    fn access_methods_are_created_commented_and_made_again() {
        let r = Pg::default();
        let x = AccessMethod {
            kind: "index".into(),
            handler: "bthandler".into(),
            comment: Some("a btree".into()),
        };
        assert_eq!(
            sql_of(create(&r, "Care_idx", &x)),
            [
                "CREATE ACCESS METHOD \"Care_idx\" TYPE INDEX HANDLER bthandler",
                "COMMENT ON ACCESS METHOD \"Care_idx\" IS 'a btree'",
            ]
        );
        let mut y = x.clone();
        y.comment = None;
        assert_eq!(
            sql_of(alter(&r, "am", &y, &x).into_statements()),
            ["COMMENT ON ACCESS METHOD am IS NULL"]
        );
        y.handler = "hashhandler".into();
        match alter(&r, "am", &y, &x) {
            Alter::Recreate { reason, drop, .. } => {
                assert_eq!(reason, "its handler");
                assert_eq!(sql_of(drop), ["DROP ACCESS METHOD am"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
