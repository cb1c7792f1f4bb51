//! Casts (`CREATE CAST`), objects of the database, keyed `(source AS
//! target)` with both types as `format_type` prints them (qualified), which
//! is also how SQL names a cast (`DROP CAST (a AS b)`). A cast has no
//! alter but its comment: another function, method or context is a new
//! cast.

use super::{alter_comment, comment, Pg};
use crate::ddl::{Alter, Statement};
use crate::model::postgres::Cast;

fn target(key: &str) -> String {
    format!("CAST {key}")
}

/// `CREATE CAST`, and its comment.
pub fn create(_r: &Pg, key: &str, x: &Cast) -> Vec<Statement> {
    let how = match (x.method.as_str(), &x.function) {
        ("function", Some(f)) => format!("WITH FUNCTION {f}"),
        ("inout", _) => "WITH INOUT".to_string(),
        _ => "WITHOUT FUNCTION".to_string(),
    };
    let context = match x.context.as_str() {
        "assignment" => " AS ASSIGNMENT",
        "implicit" => " AS IMPLICIT",
        _ => "",
    };
    let mut out = vec![Statement::new(format!("CREATE CAST {key} {how}{context}"))];
    if let Some(c) = &x.comment {
        out.push(comment(&target(key), Some(c)));
    }
    out
}

/// `DROP CAST`.
pub fn drop(_r: &Pg, key: &str) -> Statement {
    Statement::new(format!("DROP CAST {key}"))
}

/// Turn cast `actual` into `expected` (same types): the comment alters;
/// another method, function or context has no alter (drop and create).
pub fn alter(r: &Pg, key: &str, expected: &Cast, actual: &Cast) -> Alter {
    let Cast {
        method,
        function,
        context,
        comment: _, // altered below
    } = expected;
    let what = if *method != actual.method {
        Some("its method")
    } else if *function != actual.function {
        Some("its function")
    } else if *context != actual.context {
        Some("its context")
    } else {
        None
    };
    if let Some(what) = what {
        return Alter::Recreate {
            reason: what.to_string(),
            drop: vec![drop(r, key)],
            create: create(r, key, expected),
        };
    }
    let mut out = Vec::new();
    out.extend(alter_comment(
        &target(key),
        expected.comment.as_ref(),
        actual.comment.as_ref(),
    ));
    Alter::InPlace(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;

    fn cast() -> Cast {
        Cast {
            method: "function".into(),
            function: Some("app.to_f(app.celsius)".into()),
            context: "assignment".into(),
            comment: None,
        }
    }

    #[test]
    fn casts_are_created_commented_and_recreated() {
        let r = Pg::default();
        let key = "(app.celsius AS app.fahrenheit)";
        let mut e = cast();
        e.comment = Some("by formula".into());
        assert_eq!(
            sql_of(create(&r, key, &e)),
            [
                "CREATE CAST (app.celsius AS app.fahrenheit) \
                 WITH FUNCTION app.to_f(app.celsius) AS ASSIGNMENT",
                "COMMENT ON CAST (app.celsius AS app.fahrenheit) IS 'by formula'",
            ]
        );
        let binary = Cast {
            method: "binary".into(),
            function: None,
            context: "implicit".into(),
            comment: None,
        };
        assert_eq!(
            sql_of(create(&r, "(app.a AS text)", &binary)),
            ["CREATE CAST (app.a AS text) WITHOUT FUNCTION AS IMPLICIT"]
        );
        let inout = Cast {
            method: "inout".into(),
            context: "explicit".into(),
            ..binary
        };
        assert_eq!(
            sql_of(create(&r, "(app.a AS text)", &inout)),
            ["CREATE CAST (app.a AS text) WITH INOUT"]
        );
        assert_eq!(
            sql_of(alter(&r, key, &cast(), &e).into_statements()),
            ["COMMENT ON CAST (app.celsius AS app.fahrenheit) IS NULL"]
        );
        let mut a = cast();
        a.context = "implicit".into();
        match alter(&r, key, &cast(), &a) {
            Alter::Recreate { reason, drop, .. } => {
                assert_eq!(reason, "its context");
                assert_eq!(sql_of(drop), ["DROP CAST (app.celsius AS app.fahrenheit)"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
