//! Procedural languages (`CREATE LANGUAGE`), objects of the database. The
//! handler, inline and validator functions are PostgreSQL's own qualified
//! printing (`regproc`), used as they stand. `ALTER LANGUAGE` changes only
//! the name and owner; `CREATE OR REPLACE LANGUAGE` gives a language
//! another trust or other functions in place, keeping its owner, grants
//! and the functions written in it (PostgreSQL's
//! `CreateProceduralLanguage`).

use super::privileges::{self, Kind, Target};
use super::Pg;
use crate::ddl::{Alter, Statement};
use crate::model::postgres::Language;

fn target(sql: &str) -> Target<'_> {
    Target {
        kind: Kind::Language,
        sql,
    }
}

/// `CREATE [OR REPLACE] [TRUSTED] LANGUAGE .. HANDLER .. [INLINE ..]
/// [VALIDATOR ..]`, as `pg_dump` writes it.
fn definition(r: &Pg, name: &str, x: &Language, or_replace: bool) -> Statement {
    let mut sql = format!(
        "CREATE {}{}LANGUAGE {} HANDLER {}",
        if or_replace { "OR REPLACE " } else { "" },
        if x.trusted { "TRUSTED " } else { "" },
        r.ident(name),
        x.handler
    );
    if let Some(f) = &x.inline {
        sql.push_str(&format!(" INLINE {f}"));
    }
    if let Some(f) = &x.validator {
        sql.push_str(&format!(" VALIDATOR {f}"));
    }
    Statement::new(sql)
}

/// `CREATE LANGUAGE`, its comment, owner and grants.
pub fn create(r: &Pg, name: &str, x: &Language) -> Vec<Statement> {
    let mut out = vec![definition(r, name, x, false)];
    let sql = r.ident(name);
    out.extend(privileges::with_comment(
        r,
        target(&sql),
        x.comment.as_ref(),
        &x.privileges,
    ));
    out
}

/// `DROP LANGUAGE` (without CASCADE: the functions written in it and the
/// transforms for it are dropped first, by their own changes).
pub fn drop(r: &Pg, name: &str) -> Statement {
    Statement::new(format!("DROP LANGUAGE {}", r.ident(name)))
}

/// `ALTER LANGUAGE .. RENAME TO`.
pub fn rename(r: &Pg, from: &str, to: &str) -> Statement {
    Statement::new(format!(
        "ALTER LANGUAGE {} RENAME TO {}",
        r.ident(from),
        r.ident(to)
    ))
}

/// Language `actual` turned into `expected` (same name): `CREATE OR
/// REPLACE LANGUAGE` when its trust or functions differ (run before the
/// old functions may be dropped), then its comment, owner and grants.
pub fn alter_parts(
    r: &Pg,
    name: &str,
    expected: &Language,
    actual: &Language,
) -> (Option<Statement>, Vec<Statement>) {
    let Language {
        trusted,
        handler,
        inline,
        validator,
        comment,
        privileges,
    } = expected;
    let replace = (*trusted != actual.trusted
        || *handler != actual.handler
        || *inline != actual.inline
        || *validator != actual.validator)
        .then(|| definition(r, name, expected, true));
    let sql = r.ident(name);
    let rest = privileges::alter_with_comment(
        r,
        target(&sql),
        (comment.as_ref(), actual.comment.as_ref()),
        privileges,
        &actual.privileges,
    );
    (replace, rest)
}

/// [`alter_parts`] as one in-place alter.
pub fn alter(r: &Pg, name: &str, expected: &Language, actual: &Language) -> Alter {
    let (replace, rest) = alter_parts(r, name, expected, actual);
    Alter::InPlace(replace.into_iter().chain(rest).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;
    use crate::model::postgres::Privileges;

    fn language() -> Language {
        Language {
            trusted: true,
            handler: "care.pl_call".into(),
            inline: Some("care.pl_inline".into()),
            validator: Some("care.pl_check".into()),
            comment: Some("the clinic's".into()),
            privileges: Privileges::default(),
        }
    }

    #[test]
    fn languages_are_created_replaced_and_dropped() {
        let r = Pg::default();
        let x = language();
        assert_eq!(
            sql_of(create(&r, "PlCare", &x)),
            [
                "CREATE TRUSTED LANGUAGE \"PlCare\" HANDLER care.pl_call \
                 INLINE care.pl_inline VALIDATOR care.pl_check",
                "COMMENT ON LANGUAGE \"PlCare\" IS 'the clinic''s'",
            ]
        );
        let bare = Language {
            trusted: false,
            inline: None,
            validator: None,
            comment: None,
            ..x.clone()
        };
        assert_eq!(
            sql_of(create(&r, "pl", &bare)),
            ["CREATE LANGUAGE pl HANDLER care.pl_call"]
        );
        assert_eq!(drop(&r, "pl").to_string(), "DROP LANGUAGE pl;");
        // Another handler and trust: replaced in place; the comment too.
        let (replace, rest) = alter_parts(&r, "pl", &bare, &x);
        assert_eq!(
            replace.map(|s| s.to_string()).as_deref(),
            Some("CREATE OR REPLACE LANGUAGE pl HANDLER care.pl_call;")
        );
        assert_eq!(sql_of(rest), ["COMMENT ON LANGUAGE pl IS NULL"]);
        let (replace, rest) = alter_parts(&r, "pl", &x, &x);
        assert!(replace.is_none() && rest.is_empty());
    }

    #[test]
    fn owners_and_usage_grants_of_languages() {
        let r = Pg::default();
        let mut x = language();
        x.comment = None;
        x.privileges = Privileges {
            owner: Some("Owner".into()),
            grants: Some(
                [
                    ("Owner".to_string(), vec!["USAGE".to_string()]),
                    ("app".to_string(), vec!["USAGE".to_string()]),
                ]
                .into(),
            ),
        };
        assert_eq!(
            sql_of(create(&r, "pl", &x))[1..],
            [
                "ALTER LANGUAGE pl OWNER TO \"Owner\"",
                "REVOKE USAGE ON LANGUAGE pl FROM PUBLIC",
                "GRANT USAGE ON LANGUAGE pl TO app",
            ]
        );
        let mut a = x.clone();
        a.privileges.grants = None;
        match alter(&r, "pl", &x, &a) {
            Alter::InPlace(st) => assert_eq!(
                sql_of(st),
                [
                    "REVOKE USAGE ON LANGUAGE pl FROM PUBLIC",
                    "GRANT USAGE ON LANGUAGE pl TO app",
                ]
            ),
            other => panic!("{other:?}"),
        }
    }
}
