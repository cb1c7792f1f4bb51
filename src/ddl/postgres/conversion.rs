//! Conversions between encodings (`CREATE [DEFAULT] CONVERSION`), written
//! as `pg_dump`'s dumpConversion writes them. Only the comment and owner
//! alter: another encoding, function or DEFAULT is a new conversion.

use super::privileges::{self, Kind, Target};
use super::{quote, Name, Pg};
use crate::ddl::{Alter, Statement};
use crate::model::postgres::Conversion;

fn target(q: &str) -> Target<'_> {
    Target {
        kind: Kind::Conversion,
        sql: q,
    }
}

/// `CREATE [DEFAULT] CONVERSION .. FOR .. TO .. FROM ..`, its comment and
/// owner.
pub fn create(r: &Pg, at: Name, c: &Conversion) -> Vec<Statement> {
    let q = r.qual(at);
    let mut out = vec![Statement::new(format!(
        "CREATE {}CONVERSION {q} FOR {} TO {} FROM {}",
        if c.default { "DEFAULT " } else { "" },
        quote::literal(&c.for_encoding),
        quote::literal(&c.to_encoding),
        c.function
    ))];
    out.extend(privileges::with_comment(
        r,
        target(&q),
        c.comment.as_ref(),
        &c.privileges,
    ));
    out
}

/// `DROP CONVERSION`.
pub fn drop(r: &Pg, at: Name) -> Statement {
    Statement::new(format!("DROP CONVERSION {}", r.qual(at)))
}

/// Turn conversion `actual` into `expected`: the comment and owner alter;
/// anything else is a new conversion.
pub fn alter(r: &Pg, at: Name, expected: &Conversion, actual: &Conversion) -> Alter {
    let Conversion {
        for_encoding,
        to_encoding,
        function,
        default,
        comment,
        privileges,
    } = expected;
    let same = *for_encoding == actual.for_encoding
        && *to_encoding == actual.to_encoding
        && *function == actual.function
        && *default == actual.default;
    if !same {
        return Alter::Recreate {
            reason: "no ALTER CONVERSION changes its encodings, function or DEFAULT".to_string(),
            drop: vec![drop(r, at)],
            create: create(r, at, expected),
        };
    }
    let q = r.qual(at);
    Alter::InPlace(privileges::alter_with_comment(
        r,
        target(&q),
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

    const AT: Name = Name {
        schema: "app",
        name: "latin",
    };

    fn conv() -> Conversion {
        Conversion {
            for_encoding: "LATIN1".into(),
            to_encoding: "UTF8".into(),
            function: "iso8859_1_to_utf8".into(),
            default: false,
            comment: None,
            privileges: Privileges::default(),
        }
    }

    #[test]
    fn conversions_are_created_as_pg_dump_writes_them_and_made_anew() {
        let r = Pg::default();
        let mut c = conv();
        c.default = true;
        c.comment = Some("to unicode".into());
        assert_eq!(
            sql_of(create(&r, AT, &c)),
            [
                "CREATE DEFAULT CONVERSION app.latin FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8",
                "COMMENT ON CONVERSION app.latin IS 'to unicode'",
            ]
        );
        match alter(&r, AT, &conv(), &c) {
            Alter::Recreate { drop, create, .. } => {
                assert_eq!(sql_of(drop), ["DROP CONVERSION app.latin"]);
                assert_eq!(
                    sql_of(create),
                    ["CREATE CONVERSION app.latin FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8"]
                );
            }
            other => panic!("{other:?}"),
        }
        let mut commented = conv();
        commented.comment = Some("x".into());
        assert_eq!(
            sql_of(alter(&r, AT, &commented, &conv()).into_statements()),
            ["COMMENT ON CONVERSION app.latin IS 'x'"]
        );
    }
}
