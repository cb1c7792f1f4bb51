//! Transforms (`CREATE TRANSFORM`), objects of the database, keyed `FOR
//! type LANGUAGE language`. The type and the functions are PostgreSQL's
//! own qualified printing (`format_type`, `regprocedure`), used as they
//! stand. `CREATE OR REPLACE TRANSFORM` gives one other functions in place
//! (PostgreSQL's `CreateTransform`).

use super::{alter_comment, comment, Pg};
use crate::ddl::{Alter, Statement};
use crate::model::postgres::Transform;

/// `FOR type LANGUAGE language`, the language quoted where it must be.
fn target(r: &Pg, key: &str) -> String {
    let (type_name, language) = Transform::split_key(key);
    format!("FOR {type_name} LANGUAGE {}", r.ident(language))
}

fn definition(r: &Pg, key: &str, x: &Transform, or_replace: bool) -> Statement {
    let functions: Vec<String> = [("FROM", &x.from_sql), ("TO", &x.to_sql)]
        .into_iter()
        .filter_map(|(way, f)| f.as_ref().map(|f| format!("{way} SQL WITH FUNCTION {f}")))
        .collect();
    Statement::new(format!(
        "CREATE {}TRANSFORM {} ({})",
        if or_replace { "OR REPLACE " } else { "" },
        target(r, key),
        functions.join(", ")
    ))
}

/// `CREATE TRANSFORM`, and its comment.
pub fn create(r: &Pg, key: &str, x: &Transform) -> Vec<Statement> {
    let mut out = vec![definition(r, key, x, false)];
    if let Some(c) = &x.comment {
        out.push(comment(&format!("TRANSFORM {}", target(r, key)), Some(c)));
    }
    out
}

/// `DROP TRANSFORM` (without CASCADE: the functions written in its
/// language that take or return its type depend on it, and are dropped
/// first by their own changes).
pub fn drop(r: &Pg, key: &str) -> Statement {
    Statement::new(format!("DROP TRANSFORM {}", target(r, key)))
}

/// Transform `actual` turned into `expected` (same key): `CREATE OR
/// REPLACE TRANSFORM` when its functions differ, then its comment.
pub fn alter_parts(
    r: &Pg,
    key: &str,
    expected: &Transform,
    actual: &Transform,
) -> (Option<Statement>, Vec<Statement>) {
    let Transform {
        from_sql,
        to_sql,
        comment,
    } = expected;
    let replace = (*from_sql != actual.from_sql || *to_sql != actual.to_sql)
        .then(|| definition(r, key, expected, true));
    let on = format!("TRANSFORM {}", target(r, key));
    let rest = alter_comment(&on, comment.as_ref(), actual.comment.as_ref());
    (replace, rest.into_iter().collect())
}

/// [`alter_parts`] as one in-place alter.
pub fn alter(r: &Pg, key: &str, expected: &Transform, actual: &Transform) -> Alter {
    let (replace, rest) = alter_parts(r, key, expected, actual);
    Alter::InPlace(replace.into_iter().chain(rest).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;

    #[test]
    fn transforms_are_created_replaced_and_dropped() {
        let r = Pg::default();
        let key = Transform::key("care.mood", "PlCare");
        assert_eq!(key, "FOR care.mood LANGUAGE PlCare");
        let x = Transform {
            from_sql: Some("care.mood_out(internal)".into()),
            to_sql: Some("care.mood_in(internal)".into()),
            comment: Some("moods".into()),
        };
        assert_eq!(
            sql_of(create(&r, &key, &x)),
            [
                "CREATE TRANSFORM FOR care.mood LANGUAGE \"PlCare\" (FROM SQL WITH FUNCTION \
                 care.mood_out(internal), TO SQL WITH FUNCTION care.mood_in(internal))",
                "COMMENT ON TRANSFORM FOR care.mood LANGUAGE \"PlCare\" IS 'moods'",
            ]
        );
        assert_eq!(
            drop(&r, &key).to_string(),
            "DROP TRANSFORM FOR care.mood LANGUAGE \"PlCare\";"
        );
        let mut y = x.clone();
        y.to_sql = None;
        y.comment = None;
        let (replace, rest) = alter_parts(&r, &key, &y, &x);
        assert_eq!(
            replace.map(|s| s.to_string()).as_deref(),
            Some(
                "CREATE OR REPLACE TRANSFORM FOR care.mood LANGUAGE \"PlCare\" \
                 (FROM SQL WITH FUNCTION care.mood_out(internal));"
            )
        );
        assert_eq!(
            sql_of(rest),
            ["COMMENT ON TRANSFORM FOR care.mood LANGUAGE \"PlCare\" IS NULL"]
        );
    }
}
