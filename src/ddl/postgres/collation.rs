//! Collations (`CREATE COLLATION`), written as `pg_dump` writes them.
//! PostgreSQL has no statement that changes a collation's locale or
//! provider: a collation that differs is dropped and created again.

use super::privileges::{self, Kind, Target};
use super::{quote, Name, Pg};
use crate::ddl::{Alter, Hazard, Statement};
use crate::model::postgres::Collation;

fn target(q: &str) -> Target<'_> {
    Target {
        kind: Kind::Collation,
        sql: q,
    }
}

/// `CREATE COLLATION .. (provider = .., locale = ..)`, its comment and owner.
pub fn create(r: &Pg, at: Name, c: &Collation) -> Vec<Statement> {
    let q = r.qual(at);
    let mut opts = vec![format!("provider = {}", c.provider)];
    if !c.deterministic {
        opts.push("deterministic = false".to_string());
    }
    let mut set = |key: &str, v: &Option<String>| {
        if let Some(v) = v {
            opts.push(format!("{key} = {}", quote::literal(v)));
        }
    };
    set("locale", &c.locale);
    set("lc_collate", &c.lc_collate);
    set("lc_ctype", &c.lc_ctype);
    set("rules", &c.rules);
    let mut out = vec![Statement::new(format!(
        "CREATE COLLATION {q} ({})",
        opts.join(", ")
    ))];
    out.extend(privileges::with_comment(
        r,
        target(&q),
        c.comment.as_ref(),
        &c.privileges,
    ));
    out
}

/// `DROP COLLATION`.
pub fn drop(r: &Pg, at: Name) -> Statement {
    Statement::new(format!("DROP COLLATION {}", r.qual(at)))
}

/// Turn collation `actual` into `expected`: the comment and owner alter;
/// another provider, locale, determinism or rules is a new collation
/// (which fails while a column, index or domain still uses the old one).
pub fn alter(r: &Pg, at: Name, expected: &Collation, actual: &Collation) -> Alter {
    let q = r.qual(at);
    let Collation {
        provider,
        locale,
        lc_collate,
        lc_ctype,
        deterministic,
        rules,
        comment: _,    // altered below
        privileges: _, // likewise
    } = expected;
    let same = *provider == actual.provider
        && *locale == actual.locale
        && *lc_collate == actual.lc_collate
        && *lc_ctype == actual.lc_ctype
        && *deterministic == actual.deterministic
        && *rules == actual.rules;
    if !same {
        return Alter::Recreate {
            reason: "no ALTER COLLATION changes its provider, locale or rules".to_string(),
            drop: vec![drop(r, at).with(&[Hazard::MayFail])],
            create: create(r, at, expected),
        };
    }
    Alter::InPlace(privileges::alter_with_comment(
        r,
        target(&q),
        (expected.comment.as_ref(), actual.comment.as_ref()),
        &expected.privileges,
        &actual.privileges,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;
    use crate::model::postgres::Privileges;

    const AT: Name = Name {
        schema: "care",
        name: "names",
        foreign: false,
    };

    fn libc() -> Collation {
        Collation {
            provider: "libc".into(),
            locale: None,
            lc_collate: Some("C".into()),
            lc_ctype: Some("POSIX".into()),
            deterministic: true,
            rules: None,
            comment: None,
            privileges: Privileges::default(),
        }
    }

    #[test]
    fn collations_are_created_as_pg_dump_writes_them() {
        let r = Pg::default();
        let mut c = libc();
        c.comment = Some("sorts bytes".into());
        c.privileges.owner = Some("care_admin".into());
        assert_eq!(
            sql_of(create(&r, AT, &c)),
            [
                "CREATE COLLATION care.names (provider = libc, lc_collate = 'C', lc_ctype = 'POSIX')",
                "COMMENT ON COLLATION care.names IS 'sorts bytes'",
                "ALTER COLLATION care.names OWNER TO care_admin",
            ]
        );
        let icu = Collation {
            provider: "icu".into(),
            locale: Some("und-u-ks-level2".into()),
            lc_collate: None,
            lc_ctype: None,
            deterministic: false,
            rules: Some("&a < b".into()),
            ..libc()
        };
        assert_eq!(
            sql_of(create(&r, AT, &icu)),
            [
                "CREATE COLLATION care.names (provider = icu, deterministic = false, \
              locale = 'und-u-ks-level2', rules = '&a < b')"
            ]
        );
    }

    #[test]
    fn a_new_locale_is_a_new_collation_and_a_comment_alters() {
        let r = Pg::default();
        let mut other = libc();
        other.lc_ctype = Some("C".into());
        match alter(&r, AT, &libc(), &other) {
            Alter::Recreate { drop, create, .. } => {
                assert_eq!(sql_of(drop), ["DROP COLLATION care.names"]);
                assert_eq!(
                    sql_of(create),
                    ["CREATE COLLATION care.names (provider = libc, lc_collate = 'C', lc_ctype = 'POSIX')"]
                );
            }
            other => panic!("{other:?}"),
        }
        let mut commented = libc();
        commented.comment = Some("x".into());
        assert_eq!(
            sql_of(alter(&r, AT, &commented, &libc()).into_statements()),
            ["COMMENT ON COLLATION care.names IS 'x'"]
        );
    }
}
