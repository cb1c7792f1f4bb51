//! Tables: `CREATE TABLE` with its columns, and the table's own attributes
//! (persistence, storage parameters, row-level security, partitioning,
//! inheritance, comment, owner and grants). Constraints, indexes, triggers
//! and policies have their own modules; [`create_with_parts`] puts them
//! together for a table that is missing altogether.

use super::privileges::{self, Kind, Target};
use std::collections::BTreeMap;

use super::{
    alter_options, column, comment, constraint, foreign, index, policy, rule, statistics, trigger,
    with_options, Name, Pg,
};
use crate::ddl::{Alter, Hazard, Statement};
use crate::model::postgres::{ConstraintKind, Persistence, Table};

fn target(r: &Pg, at: Name) -> String {
    format!("{} {}", at.table_kw(), r.qual(at))
}

/// `CREATE TABLE` with every column, the partition key, storage parameters
/// and persistence, then row-level security, comments, owner and grants.
///
/// A partition is created as a table of its own and attached afterwards
/// ([`attach`]), and a child of classic inheritance likewise inherits
/// afterwards ([`inherit`]), as `pg_dump` does: that keeps the model's
/// column order, and lets the partition's own indexes and constraints
/// exist before the parent's are matched to them.
pub fn create(r: &Pg, at: Name, t: &Table) -> Vec<Statement> {
    let at = at.of_table(t);
    let q = r.qual(at);
    let columns: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("    {}", column::definition(r, c)))
        .collect();
    let mut sql = format!(
        "CREATE {}{} {q} (",
        if t.persistence == Persistence::Unlogged {
            "UNLOGGED "
        } else {
            ""
        },
        at.table_kw()
    );
    if columns.is_empty() {
        sql.push(')');
    } else {
        sql.push('\n');
        sql.push_str(&columns.join(",\n"));
        sql.push_str("\n)");
    }
    if let Some(k) = &t.partition_key {
        sql.push_str(&format!(" PARTITION BY {k}"));
    }
    if let Some(am) = &t.access_method {
        sql.push_str(&format!(" USING {}", r.ident(am)));
    }
    sql.push_str(&with_options(&t.storage_parameters));
    if let Some(f) = &t.foreign {
        sql.push_str(&format!(" SERVER {}", r.ident(&f.server)));
        sql.push_str(&foreign::options_clause(r, &f.options));
    }
    let mut out = vec![Statement::new(sql)];
    // Column options as pg_dump writes them, after the table.
    if let Some(f) = &t.foreign {
        for (c, o) in &f.column_options {
            out.extend(column_options(r, at, c, o, &BTreeMap::new()));
        }
    }
    // A typed table is made with its columns and then bound to its type,
    // which takes a table whose columns are the type's.
    out.extend(t.of.as_deref().map(|ty| of(r, at, Some(ty))));
    out.extend(rls(r, at, t.rls_enabled, t.rls_forced, false, false));
    // USING INDEX waits for the index.
    if replica_identity_index(t).is_none() {
        out.extend(replica_identity_of(r, at, t, None));
    }
    out.extend(privileges::with_comment(
        r,
        priv_target(at, &q),
        t.comment.as_ref(),
        &t.privileges,
    ));
    for c in &t.columns {
        out.extend(column::settings(r, at, c, None));
        if let Some(text) = &c.comment {
            out.push(comment(&column::comment_target(r, at, &c.name), Some(text)));
        }
        out.extend(column::grants(r, at, c, None));
    }
    out
}

fn priv_target<'q>(at: Name, q: &'q str) -> Target<'q> {
    Target {
        kind: if at.foreign {
            Kind::ForeignTable
        } else {
            Kind::Table
        },
        sql: q,
    }
}

/// `ALTER FOREIGN TABLE .. ALTER COLUMN .. OPTIONS (..)` that turns a
/// column's options `actual` into `expected`, when they differ.
fn column_options(
    r: &Pg,
    at: Name,
    column: &str,
    expected: &BTreeMap<String, String>,
    actual: &BTreeMap<String, String>,
) -> Option<Statement> {
    let parts = foreign::alter_options(r, expected, actual)?;
    Some(Statement::new(format!(
        "ALTER FOREIGN TABLE {} ALTER COLUMN {}{parts}",
        r.qual(at),
        r.ident(column)
    )))
}

/// What differs in the foreign part of two foreign tables that has an
/// alter: the table's options and its columns' (of the columns `expected`
/// has: one that goes takes its options along).
fn alter_foreign(r: &Pg, at: Name, expected: &Table, actual: &Table) -> Vec<Statement> {
    let (Some(e), Some(a)) = (&expected.foreign, &actual.foreign) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(parts) = foreign::alter_options(r, &e.options, &a.options) {
        out.push(Statement::new(format!(
            "ALTER FOREIGN TABLE {}{parts}",
            r.qual(at)
        )));
    }
    let none = BTreeMap::new();
    for c in &expected.columns {
        let (eo, ao) = (
            e.column_options.get(&c.name).unwrap_or(&none),
            a.column_options.get(&c.name).unwrap_or(&none),
        );
        out.extend(column_options(r, at, &c.name, eo, ao));
    }
    out
}

/// The table and everything in it, in an order that works: the table,
/// its constraints (foreign keys last), indexes, then attaching it to its
/// partitioned parent or inheriting, then triggers and policies. The
/// objects the table refers to (types, sequences, functions, referenced
/// tables) must exist first.
pub fn create_with_parts(r: &Pg, at: Name, t: &Table, parent: Option<&Table>) -> Vec<Statement> {
    let at = at.of_table(t);
    let mut out = create(r, at, t);
    let (fks, keys): (Vec<_>, Vec<_>) = t
        .constraints
        .iter()
        .partition(|(_, c)| c.kind == ConstraintKind::ForeignKey);
    for (n, c) in keys.into_iter().chain(fks) {
        out.extend(constraint::create(r, at, n, c));
    }
    for (n, x) in &t.indexes {
        out.extend(index::create(r, at, n, x, Some(&t.columns)));
    }
    for (n, x) in &t.statistics {
        out.extend(statistics::create(r, at, n, x));
    }
    if replica_identity_index(t).is_some() {
        out.extend(replica_identity_of(r, at, t, None));
    }
    out.extend(cluster_of(r, at, t, None));
    out.extend(attach(r, at, t));
    out.extend(inherit_all(r, at, t));
    for (n, tr) in &t.triggers {
        match parent.and_then(|p| cloned_trigger(p, n, tr)) {
            // Attaching made it: only its own settings are left.
            Some(parent_trigger) => {
                if tr.enabled != parent_trigger.enabled {
                    out.extend(trigger::settings(r, at, n, tr));
                } else if let Some(c) = &tr.comment {
                    out.push(comment(
                        &format!("TRIGGER {} ON {}", r.ident(n), r.qual(at)),
                        Some(c),
                    ));
                }
            }
            None => out.extend(trigger::create(r, at, n, tr)),
        }
    }
    for (n, x) in &t.rules {
        out.extend(rule::create(r, at, n, x));
    }
    for (n, p) in &t.policies {
        out.extend(policy::create(r, at, n, p));
    }
    out
}

/// The trigger of partitioned `parent` that trigger `name` of one of its
/// partitions is the clone of: PostgreSQL makes it, with the same name,
/// when the partition is attached or the parent's row trigger created.
pub fn cloned_trigger<'a>(
    parent: &'a Table,
    name: &str,
    t: &crate::model::postgres::Trigger,
) -> Option<&'a crate::model::postgres::Trigger> {
    let p = parent.triggers.get(name)?;
    let same = |x: &crate::model::postgres::Trigger| crate::model::postgres::Trigger {
        enabled: String::new(),
        comment: None,
        ..x.clone()
    };
    (p.level == "row" && same(p) == same(t)).then_some(p)
}

/// `ALTER TABLE parent ATTACH PARTITION .. <bound>`, for a partition. The
/// partition is scanned to check its rows fit the bound, and the parent's
/// indexes are matched to the partition's (or built on it).
pub fn attach(r: &Pg, at: Name, t: &Table) -> Option<Statement> {
    let p = t.partition_of.as_ref()?;
    Some(
        Statement::new(format!(
            "ALTER TABLE {} ATTACH PARTITION {} {}",
            p.parent,
            r.qual(at),
            p.bound
        ))
        .with(&[Hazard::Lock, Hazard::MayFail]),
    )
}

/// `ALTER TABLE .. REPLICA IDENTITY ..` that gives table `t` its replica
/// identity, when it differs from `actual`'s (`None`: a new table, whose
/// replica identity is the default). `USING INDEX` needs the index.
pub fn replica_identity_of(
    r: &Pg,
    at: Name,
    t: &Table,
    actual: Option<&Table>,
) -> Option<Statement> {
    let wanted = t.replica_identity.as_deref();
    if wanted == actual.and_then(|a| a.replica_identity.as_deref()) {
        return None;
    }
    let clause = match wanted {
        None => "DEFAULT".to_string(),
        Some(x) => match x.strip_prefix("using index ") {
            Some(index) => format!("USING INDEX {}", r.ident(index)),
            None => x.to_ascii_uppercase(),
        },
    };
    Some(Statement::new(format!(
        "ALTER TABLE {} REPLICA IDENTITY {clause}",
        r.qual(at)
    )))
}

/// `ALTER TABLE .. CLUSTER ON ..` (or `SET WITHOUT CLUSTER`) when table
/// `t`'s clustering index differs from `actual`'s (`None`: a new table,
/// clustered on none). The index must be there.
pub fn cluster_of(r: &Pg, at: Name, t: &Table, actual: Option<&Table>) -> Option<Statement> {
    let wanted = t.clustered_on.as_deref();
    if wanted == actual.and_then(|a| a.clustered_on.as_deref()) {
        return None;
    }
    let q = r.qual(at);
    Some(Statement::new(match wanted {
        Some(index) => format!("ALTER TABLE {q} CLUSTER ON {}", r.ident(index)),
        None => format!("ALTER TABLE {q} SET WITHOUT CLUSTER"),
    }))
}

/// What table `t` says of its index (or key) `index`, made just now: that
/// it is the replica identity, or the index the table is clustered on.
pub fn on_index(r: &Pg, at: Name, t: &Table, index: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    if replica_identity_index(t) == Some(index) {
        out.extend(replica_identity_of(r, at, t, None));
    }
    if t.clustered_on.as_deref() == Some(index) {
        out.extend(cluster_of(r, at, t, None));
    }
    out
}

/// The index (or key constraint) that is table `t`'s replica identity.
pub fn replica_identity_index(t: &Table) -> Option<&str> {
    t.replica_identity.as_deref()?.strip_prefix("using index ")
}

/// `ALTER <what> SET ACCESS METHOD ..` (PostgreSQL 15+), `heap` for none:
/// the rows are written anew.
pub fn set_access_method(what: &str, r: &Pg, method: Option<&str>) -> Statement {
    Statement::new(format!(
        "ALTER {what} SET ACCESS METHOD {}",
        r.ident(method.unwrap_or("heap"))
    ))
    .with(&[Hazard::Rewrite])
}

/// `ALTER TABLE parent DETACH PARTITION ..`.
pub fn detach(r: &Pg, at: Name, parent: &str) -> Statement {
    Statement::new(format!(
        "ALTER TABLE {parent} DETACH PARTITION {}",
        r.qual(at)
    ))
}

/// `ALTER TABLE .. INHERIT parent`: the table must already have the
/// parent's columns and check constraints.
pub fn inherit(r: &Pg, at: Name, parent: &str) -> Statement {
    Statement::new(format!("ALTER {} INHERIT {parent}", target(r, at)))
}

/// `ALTER TABLE .. NO INHERIT parent`.
pub fn no_inherit(r: &Pg, at: Name, parent: &str) -> Statement {
    Statement::new(format!("ALTER {} NO INHERIT {parent}", target(r, at)))
}

/// [`inherit`] for each parent, in order.
pub fn inherit_all(r: &Pg, at: Name, t: &Table) -> Vec<Statement> {
    t.inherits.iter().map(|p| inherit(r, at, p)).collect()
}

/// `DROP TABLE`: its rows are lost (`DROP FOREIGN TABLE`: its rows are
/// the server's, and stay).
pub fn drop(r: &Pg, at: Name) -> Statement {
    let s = Statement::new(format!("DROP {}", target(r, at)));
    if at.foreign {
        s
    } else {
        s.with(&[Hazard::DataLoss])
    }
}

/// `ALTER TABLE .. RENAME TO ..`.
pub fn rename(r: &Pg, at: Name, to: &str) -> Statement {
    Statement::new(format!("ALTER {} RENAME TO {}", target(r, at), r.ident(to)))
}

/// The statements that turn row-level security from (`actual_enabled`,
/// `actual_forced`) into (`enabled`, `forced`).
fn rls(
    r: &Pg,
    at: Name,
    enabled: bool,
    forced: bool,
    actual_enabled: bool,
    actual_forced: bool,
) -> Vec<Statement> {
    let q = r.qual(at);
    let mut out = Vec::new();
    if enabled != actual_enabled {
        out.push(Statement::new(format!(
            "ALTER TABLE {q} {} ROW LEVEL SECURITY",
            if enabled { "ENABLE" } else { "DISABLE" }
        )));
    }
    if forced != actual_forced {
        out.push(Statement::new(format!(
            "ALTER TABLE {q} {} ROW LEVEL SECURITY",
            if forced { "FORCE" } else { "NO FORCE" }
        )));
    }
    out
}

/// The table's own attributes, from `actual` to `expected`: persistence,
/// storage parameters, row-level security, the partition it is attached
/// to (detach and attach), its inheritance parents, comment, owner and
/// grants. A new partition key has no alter: the table is recreated.
///
/// Columns, constraints, indexes, triggers and policies are compared by
/// their own modules. Column order is not an attribute PostgreSQL can
/// change at all (only a new table would have it).
pub fn alter(r: &Pg, at: Name, expected: &Table, actual: &Table) -> Alter {
    let new_method = expected.access_method != actual.access_method;
    let server = |t: &Table| t.foreign.as_ref().map(|f| f.server.clone());
    let new_server = server(expected) != server(actual);
    if expected.partition_key != actual.partition_key
        || (new_method && r.version < 150000)
        || new_server
    {
        let reason = if new_method && r.version < 150000 {
            "the access method (SET ACCESS METHOD is PostgreSQL 15's)"
        } else if expected.foreign.is_none() || actual.foreign.is_none() {
            "a foreign table on one side only"
        } else if new_server {
            "its server (a foreign table has no alter of its server)"
        } else {
            "the partition key"
        };
        return Alter::Recreate {
            reason: reason.to_string(),
            drop: vec![drop(r, at.of_table(actual))],
            create: create_with_parts(r, at, expected, None),
        };
    }
    let at = at.of_table(expected);
    let q = r.qual(at);
    let mut out = unlink(r, at, expected, actual);
    if expected.persistence != actual.persistence {
        out.push(
            Statement::new(format!(
                "ALTER TABLE {q} SET {}",
                match expected.persistence {
                    Persistence::Permanent => "LOGGED",
                    Persistence::Unlogged => "UNLOGGED",
                }
            ))
            .with(&[Hazard::Rewrite]),
        );
    }
    if new_method {
        out.push(set_access_method(
            &format!("TABLE {q}"),
            r,
            expected.access_method.as_deref(),
        ));
    }
    out.extend(alter_options(
        &target(r, at),
        &expected.storage_parameters,
        &actual.storage_parameters,
    ));
    out.extend(rls(
        r,
        at,
        expected.rls_enabled,
        expected.rls_forced,
        actual.rls_enabled,
        actual.rls_forced,
    ));
    out.extend(replica_identity_of(r, at, expected, Some(actual)));
    out.extend(cluster_of(r, at, expected, Some(actual)));
    out.extend(alter_foreign(r, at, expected, actual));
    out.extend(privileges::alter_with_comment(
        r,
        priv_target(at, &q),
        (expected.comment.as_ref(), actual.comment.as_ref()),
        &expected.privileges,
        &actual.privileges,
    ));
    out.extend(link(r, at, expected, actual));
    Alter::InPlace(out)
}

/// The first half of a new place in a hierarchy: detach from a partitioned
/// parent that changes, `NO INHERIT` from parents that go (from all of
/// them when the order changes). A table's inherited columns can be
/// dropped or changed only after this.
pub fn unlink(r: &Pg, at: Name, expected: &Table, actual: &Table) -> Vec<Statement> {
    let mut out = Vec::new();
    if actual.of.is_some() && retyped(expected, actual) {
        out.push(of(r, at, None));
    }
    if expected.partition_of != actual.partition_of {
        if let Some(a) = &actual.partition_of {
            out.push(detach(r, at, &a.parent));
        }
    }
    out.extend(inherits(r, at, &expected.inherits, &actual.inherits).0);
    out
}

/// The second half: attach to the expected parent, `INHERIT` the parents
/// to add. The table needs the parent's columns (and constraints) first.
pub fn link(r: &Pg, at: Name, expected: &Table, actual: &Table) -> Vec<Statement> {
    let mut out = Vec::new();
    if let Some(ty) = expected.of.as_deref().filter(|_| retyped(expected, actual)) {
        out.push(of(r, at, Some(ty)));
    }
    if expected.partition_of != actual.partition_of {
        out.extend(attach(r, at, expected));
    }
    out.extend(inherits(r, at, &expected.inherits, &actual.inherits).1);
    out
}

/// `ALTER TABLE .. OF type` (the table's columns must be the type's), or
/// `NOT OF`.
fn of(r: &Pg, at: Name, ty: Option<&str>) -> Statement {
    Statement::new(match ty {
        Some(ty) => format!("ALTER TABLE {} OF {ty}", r.qual(at)),
        None => format!("ALTER TABLE {} NOT OF", r.qual(at)),
    })
}

/// Whether a typed table is bound to its type anew: another type, or
/// columns that change (a typed table's columns change only with its type,
/// so it is unbound first and bound again once they are right).
fn retyped(expected: &Table, actual: &Table) -> bool {
    let shape = |t: &Table| -> Vec<(String, String)> {
        t.columns
            .iter()
            .map(|c| (c.name.clone(), c.data_type.clone()))
            .collect()
    };
    expected.of != actual.of || shape(expected) != shape(actual)
}

/// `NO INHERIT` and `INHERIT` so that the parents are `expected`, in order
/// (a parent added goes last): (the statements that unlink, those that link).
fn inherits(
    r: &Pg,
    at: Name,
    expected: &[String],
    actual: &[String],
) -> (Vec<Statement>, Vec<Statement>) {
    let mut unlink = Vec::new();
    let mut kept: Vec<&String> = Vec::new();
    for p in actual {
        if expected.contains(p) {
            kept.push(p);
        } else {
            unlink.push(no_inherit(r, at, p));
        }
    }
    let in_order = kept.iter().zip(expected).all(|(k, e)| *k == e);
    if !in_order {
        for p in kept.drain(..) {
            unlink.push(no_inherit(r, at, p));
        }
    }
    let link = expected[kept.len()..]
        .iter()
        .map(|p| inherit(r, at, p))
        .collect();
    (unlink, link)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;
    use crate::model::postgres::{Column, PartitionOf};

    fn table() -> Table {
        Table {
            columns: vec![Column {
                name: "id".into(),
                data_type: "integer".into(),
                not_null: true,
                default: None,
                identity: None,
                generated: None,
                collation: None,
                storage: None,
                compression: None,
                statistics: None,
                options: vec![],
                comment: Some("the key".into()),
                grants: Default::default(),
            }],
            ..Default::default()
        }
    }

    const T: Name = Name {
        schema: "care",
        name: "events_2024",
        foreign: false,
    };

    fn both((mut a, b): (Vec<Statement>, Vec<Statement>)) -> Vec<Statement> {
        a.extend(b);
        a
    }

    #[test]
    fn tables_are_created_with_their_attributes() {
        let r = Pg::default();
        let mut t = table();
        t.persistence = Persistence::Unlogged;
        t.storage_parameters = vec!["fillfactor=70".into()];
        t.rls_enabled = true;
        t.rls_forced = true;
        t.comment = Some("events".into());
        assert_eq!(
            sql_of(create(&r, T, &t)),
            [
                "CREATE UNLOGGED TABLE care.events_2024 (\n    id integer NOT NULL\n) WITH (fillfactor=70)",
                "ALTER TABLE care.events_2024 ENABLE ROW LEVEL SECURITY",
                "ALTER TABLE care.events_2024 FORCE ROW LEVEL SECURITY",
                "COMMENT ON TABLE care.events_2024 IS 'events'",
                "COMMENT ON COLUMN care.events_2024.id IS 'the key'",
            ]
        );
    }

    #[test]
    fn clustering_waits_for_its_index() {
        let mut e = table();
        e.clustered_on = Some("events_at_idx".into());
        let q = "care.events_2024";
        assert!(!sql_of(create(&Pg::new(150000), T, &e))
            .iter()
            .any(|s| s.contains("CLUSTER")));
        assert_eq!(
            sql_of(create_with_parts(&Pg::new(150000), T, &e, None)).last(),
            Some(&format!("ALTER TABLE {q} CLUSTER ON events_at_idx"))
        );
        assert_eq!(
            sql_of(on_index(&Pg::new(150000), T, &e, "events_at_idx")),
            [format!("ALTER TABLE {q} CLUSTER ON events_at_idx")]
        );
        assert_eq!(
            sql_of(alter(&Pg::new(150000), T, &table(), &e).into_statements()),
            [format!("ALTER TABLE {q} SET WITHOUT CLUSTER")]
        );
    }

    #[test]
    fn access_method_and_replica_identity() {
        let mut e = table();
        e.access_method = Some("care_heap".into());
        e.replica_identity = Some("full".into());
        let q = "care.events_2024";
        assert_eq!(
            sql_of(create(&Pg::new(150000), T, &e)),
            [
                format!("CREATE TABLE {q} (\n    id integer NOT NULL\n) USING care_heap"),
                format!("ALTER TABLE {q} REPLICA IDENTITY FULL"),
                format!("COMMENT ON COLUMN {q}.id IS 'the key'"),
            ]
        );
        let a = table();
        assert_eq!(
            sql_of(alter(&Pg::new(150000), T, &a, &e).into_statements()),
            [
                format!("ALTER TABLE {q} SET ACCESS METHOD heap"),
                format!("ALTER TABLE {q} REPLICA IDENTITY DEFAULT"),
            ]
        );
        // Before PostgreSQL 15 a new access method is a new table.
        assert!(matches!(
            alter(&Pg::new(140000), T, &e, &a),
            Alter::Recreate { .. }
        ));
        // USING INDEX once the index is there.
        e.replica_identity = Some("using index Events_key".into());
        assert_eq!(sql_of(create(&Pg::new(150000), T, &e)).len(), 2);
        assert_eq!(
            sql_of(create_with_parts(&Pg::new(150000), T, &e, None)).last(),
            Some(&format!(
                "ALTER TABLE {q} REPLICA IDENTITY USING INDEX \"Events_key\""
            ))
        );
    }

    #[test]
    fn partitions_detach_and_attach() {
        let r = Pg::default();
        let mut e = table();
        e.partition_of = Some(PartitionOf {
            parent: "care.events".into(),
            bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')".into(),
        });
        let mut a = e.clone();
        a.partition_of.as_mut().unwrap().bound =
            "FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')".into();
        assert_eq!(
            sql_of(alter(&r, T, &e, &a).into_statements()),
            [
                "ALTER TABLE care.events DETACH PARTITION care.events_2024",
                "ALTER TABLE care.events ATTACH PARTITION care.events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
            ]
        );
        let mut keyed = e.clone();
        keyed.partition_key = Some("RANGE (id)".into());
        assert!(matches!(alter(&r, T, &keyed, &e), Alter::Recreate { .. }));
    }

    #[test]
    fn inheritance_keeps_the_parents_order() {
        let r = Pg::default();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            sql_of(both(inherits(&r, T, &s(&["a.p", "a.q"]), &s(&["a.p"])))),
            ["ALTER TABLE care.events_2024 INHERIT a.q"]
        );
        assert_eq!(
            sql_of(both(inherits(
                &r,
                T,
                &s(&["a.q", "a.p"]),
                &s(&["a.p", "a.q", "a.r"])
            ))),
            [
                "ALTER TABLE care.events_2024 NO INHERIT a.r",
                "ALTER TABLE care.events_2024 NO INHERIT a.p",
                "ALTER TABLE care.events_2024 NO INHERIT a.q",
                "ALTER TABLE care.events_2024 INHERIT a.q",
                "ALTER TABLE care.events_2024 INHERIT a.p",
            ]
        );
    }
}
