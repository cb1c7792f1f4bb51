//! Standalone sequences (an identity's sequence belongs to its column).

use super::privileges::{self, Kind, Target};
use super::{quote, Name, Pg};
use crate::ddl::{Alter, Hazard, Statement};
use crate::model::postgres::{Sequence, SequenceOptions};

fn priv_target(q: &str) -> Target<'_> {
    Target {
        kind: Kind::Sequence,
        sql: q,
    }
}

/// `CREATE SEQUENCE` with every option spelled out, its comment, owner and
/// grants. `OWNED BY` is [`owned_by`], once the owning table exists.
pub fn create(r: &Pg, at: Name, s: &Sequence) -> Vec<Statement> {
    let q = r.qual(at);
    let mut out = vec![Statement::new(format!(
        "CREATE SEQUENCE {q} AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {}{}",
        s.data_type,
        s.increment,
        s.min_value,
        s.max_value,
        s.start,
        s.cache,
        if s.cycle { " CYCLE" } else { " NO CYCLE" }
    ))];
    out.extend(privileges::with_comment(
        r,
        priv_target(&q),
        s.comment.as_ref(),
        &s.privileges,
    ));
    out
}

/// `ALTER SEQUENCE .. OWNED BY schema.table.column` (or `NONE`).
pub fn owned_by(r: &Pg, at: Name, owner: Option<&str>) -> Statement {
    Statement::new(format!(
        "ALTER SEQUENCE {} OWNED BY {}",
        r.qual(at),
        owner.unwrap_or("NONE")
    ))
}

/// `DROP SEQUENCE`: its current value is lost.
pub fn drop(r: &Pg, at: Name) -> Statement {
    Statement::new(format!("DROP SEQUENCE {}", r.qual(at))).with(&[Hazard::DataLoss])
}

/// `ALTER SEQUENCE .. RENAME TO ..`.
pub fn rename(r: &Pg, at: Name, to: &str) -> Statement {
    Statement::new(format!(
        "ALTER SEQUENCE {} RENAME TO {}",
        r.qual(at),
        r.ident(to)
    ))
}

fn sequence_options(s: &Sequence) -> SequenceOptions {
    SequenceOptions {
        data_type: s.data_type.clone(),
        start: s.start,
        increment: s.increment,
        min_value: s.min_value,
        max_value: s.max_value,
        cache: s.cache,
        cycle: s.cycle,
    }
}

/// The options of `e` that differ from `a` (all but the type), as `ALTER
/// SEQUENCE` clauses each after `prefix` (`SET ` for an identity column's
/// sequence): `INCREMENT BY 5`, `NO CYCLE`.
pub(crate) fn option_changes(
    e: &SequenceOptions,
    a: &SequenceOptions,
    prefix: &str,
) -> Vec<String> {
    let mut v = Vec::new();
    let mut put = |differs: bool, clause: String| {
        if differs {
            v.push(format!("{prefix}{clause}"));
        }
    };
    put(
        e.increment != a.increment,
        format!("INCREMENT BY {}", e.increment),
    );
    put(
        e.min_value != a.min_value,
        format!("MINVALUE {}", e.min_value),
    );
    put(
        e.max_value != a.max_value,
        format!("MAXVALUE {}", e.max_value),
    );
    put(e.start != a.start, format!("START WITH {}", e.start));
    put(e.cache != a.cache, format!("CACHE {}", e.cache));
    put(
        e.cycle != a.cycle,
        if e.cycle { "CYCLE" } else { "NO CYCLE" }.to_string(),
    );
    v
}

/// One `ALTER SEQUENCE` with the options that differ, then `OWNED BY`,
/// comment, owner and grants. The current value is left where it is.
pub fn alter(r: &Pg, at: Name, expected: &Sequence, actual: &Sequence) -> Alter {
    let q = r.qual(at);
    let (e, a) = (expected, actual);
    let mut options = Vec::new();
    if e.data_type != a.data_type {
        options.push(format!("AS {}", e.data_type));
    }
    options.extend(option_changes(
        &sequence_options(e),
        &sequence_options(a),
        "",
    ));
    let mut out = Vec::new();
    if !options.is_empty() {
        // A narrower range fails while the current value is outside it.
        // On the side the sequence starts from, the value is first moved
        // in, forward (a sequence that has not reached the new start
        // jumps to it); on the side it runs towards, it fails.
        let ascending = e.increment > 0;
        let start_side = if ascending && e.min_value > a.min_value {
            Some(format!("GREATEST(last_value, {})", e.min_value))
        } else if !ascending && e.max_value < a.max_value {
            Some(format!("LEAST(last_value, {})", e.max_value))
        } else {
            None
        };
        if let Some(value) = start_side {
            out.push(Statement::new(format!(
                "SELECT pg_catalog.setval({}, {value}, is_called) FROM {q}",
                quote::literal(&q)
            )));
        }
        let far_side = if ascending {
            e.max_value < a.max_value
        } else {
            e.min_value > a.min_value
        };
        let hazards: &[Hazard] = if far_side { &[Hazard::MayFail] } else { &[] };
        out.push(Statement::new(format!("ALTER SEQUENCE {q} {}", options.join(" "))).with(hazards));
    }
    if e.owned_by != a.owned_by {
        out.push(owned_by(r, at, e.owned_by.as_deref()));
    }
    out.extend(privileges::alter_with_comment(
        r,
        priv_target(&q),
        (e.comment.as_ref(), a.comment.as_ref()),
        &e.privileges,
        &a.privileges,
    ));
    Alter::InPlace(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;

    fn seq() -> Sequence {
        Sequence {
            data_type: "bigint".into(),
            start: 1,
            increment: 1,
            min_value: 1,
            max_value: i64::MAX,
            cache: 1,
            cycle: false,
            owned_by: None,
            comment: None,
            privileges: Default::default(),
        }
    }

    #[test]
    fn sequences_create_and_alter() {
        let r = Pg::default();
        let at = Name::new("care", "ids");
        assert_eq!(
            create(&r, at, &seq())[0].sql,
            "CREATE SEQUENCE care.ids AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE"
        );
        let mut e = seq();
        e.data_type = "integer".into();
        e.max_value = 2147483647;
        e.increment = 5;
        e.owned_by = Some("care.patients.id".into());
        let sql = sql_of(alter(&r, at, &e, &seq()));
        assert_eq!(
            sql,
            [
                "ALTER SEQUENCE care.ids AS integer INCREMENT BY 5 MAXVALUE 2147483647",
                "ALTER SEQUENCE care.ids OWNED BY care.patients.id",
            ]
        );
    }
}
