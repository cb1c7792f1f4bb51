//! Schemas (namespaces) and extensions.

use super::privileges::{self, Kind, Target};
use super::{quote, Pg};
use crate::ddl::{Alter, Hazard, Statement};
use crate::model::postgres::{Extension, Schema};

/// `CREATE SCHEMA`, its comment, owner and grants (not its objects).
pub fn create(r: &Pg, name: &str, s: &Schema) -> Vec<Statement> {
    let q = r.ident(name);
    let mut out = vec![Statement::new(format!("CREATE SCHEMA {q}"))];
    out.extend(privileges::with_comment(
        r,
        target(&q),
        s.comment.as_ref(),
        &s.privileges,
    ));
    out
}

fn target(q: &str) -> Target<'_> {
    Target {
        kind: Kind::Schema,
        sql: q,
    }
}

/// `DROP SCHEMA`: it must be empty by then (its objects are dropped first).
pub fn drop(r: &Pg, name: &str) -> Statement {
    Statement::new(format!("DROP SCHEMA {}", r.ident(name)))
}

/// The schema's own attributes: comment, owner, grants.
pub fn alter(r: &Pg, name: &str, expected: &Schema, actual: &Schema) -> Alter {
    let q = r.ident(name);
    Alter::InPlace(privileges::alter_with_comment(
        r,
        target(&q),
        (expected.comment.as_ref(), actual.comment.as_ref()),
        &expected.privileges,
        &actual.privileges,
    ))
}

/// `CREATE EXTENSION .. WITH SCHEMA .. VERSION ..`.
pub fn create_extension(r: &Pg, name: &str, e: &Extension) -> Statement {
    Statement::new(format!(
        "CREATE EXTENSION {} WITH SCHEMA {} VERSION {}",
        r.ident(name),
        r.ident(&e.schema),
        quote::literal(&e.version)
    ))
}

/// `DROP EXTENSION`: drops the objects it installed, and fails while
/// anything of the user's depends on them.
pub fn drop_extension(r: &Pg, name: &str) -> Statement {
    Statement::new(format!("DROP EXTENSION {}", r.ident(name))).with(&[Hazard::DataLoss])
}

/// Whether version `a` is older than `b`, part by part (`1.7` < `1.10`),
/// numerically where both parts are numbers.
fn older(a: &str, b: &str) -> bool {
    let parts = |v: &str| -> Vec<String> { v.split(['.', '-']).map(String::from).collect() };
    let (pa, pb) = (parts(a), parts(b));
    for (x, y) in pa.iter().zip(&pb) {
        let o = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            _ => x.cmp(y),
        };
        if o != std::cmp::Ordering::Equal {
            return o == std::cmp::Ordering::Less;
        }
    }
    pa.len() < pb.len()
}

/// `ALTER EXTENSION .. UPDATE TO` and `SET SCHEMA`. An extension's scripts
/// may offer no path from one version to the other, and a
/// non-relocatable extension cannot move: both then fail. No extension
/// ships scripts that go back a version: an older one is a drop (of
/// everything that uses the extension) and a create.
pub fn alter_extension(r: &Pg, name: &str, expected: &Extension, actual: &Extension) -> Alter {
    if older(&expected.version, &actual.version) {
        return Alter::Recreate {
            reason: "an extension cannot go back a version".to_string(),
            drop: vec![drop_extension(r, name)],
            create: vec![create_extension(r, name, expected)],
        };
    }
    let q = r.ident(name);
    let mut out = Vec::new();
    if expected.schema != actual.schema {
        out.push(
            Statement::new(format!(
                "ALTER EXTENSION {q} SET SCHEMA {}",
                r.ident(&expected.schema)
            ))
            .with(&[Hazard::MayFail]),
        );
    }
    if expected.version != actual.version {
        out.push(
            Statement::new(format!(
                "ALTER EXTENSION {q} UPDATE TO {}",
                quote::literal(&expected.version)
            ))
            .with(&[Hazard::MayFail]),
        );
    }
    Alter::InPlace(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_versions_go_forward_in_place_and_back_by_recreating() {
        assert!(older("1.7", "1.8"));
        assert!(older("1.9", "1.10"));
        assert!(!older("2.0", "1.10"));
        assert!(older("1.0", "1.0.1"));
        let r = Pg::default();
        let ext = |v: &str| Extension {
            version: v.into(),
            default_version: None,
            schema: "public".into(),
        };
        let up = alter_extension(&r, "hstore", &ext("1.8"), &ext("1.7"));
        assert_eq!(
            up.statements()[0].sql,
            "ALTER EXTENSION hstore UPDATE TO '1.8'"
        );
        match alter_extension(&r, "hstore", &ext("1.7"), &ext("1.8")) {
            Alter::Recreate { drop, create, .. } => {
                assert_eq!(drop[0].sql, "DROP EXTENSION hstore");
                assert_eq!(
                    create[0].sql,
                    "CREATE EXTENSION hstore WITH SCHEMA public VERSION '1.7'"
                );
            }
            other => panic!("{other:?}"),
        }
    }
}
