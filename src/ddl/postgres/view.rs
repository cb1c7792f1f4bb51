//! Views and materialized views (a materialized view's indexes are in
//! [`super::index`], with no column list).

use std::collections::{BTreeMap, BTreeSet};

use super::privileges::{self, Kind, Target};
use super::{
    alter_comment, alter_options, column, index, rule, statistics, trigger, with_options, Name, Pg,
};
use crate::ddl::{Alter, Hazard, Statement};
use crate::model::postgres::{ColumnSettings, MaterializedView, Privileges, View};

/// The query as `pg_get_viewdef` printed it, without its `;`.
fn query(definition: &str) -> &str {
    definition.trim_end().trim_end_matches(';').trim_end()
}

fn column_comments(
    r: &Pg,
    at: Name,
    expected: &BTreeMap<String, String>,
    actual: &BTreeMap<String, String>,
) -> Vec<Statement> {
    let mut names: Vec<&String> = expected.keys().chain(actual.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|c| {
            alter_comment(
                &format!("COLUMN {}.{}", r.qual(at), r.ident(c)),
                expected.get(c),
                actual.get(c),
            )
        })
        .collect()
}

/// Column grants by column, as [`View::column_grants`].
type ColumnGrants = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// The `GRANT`s and `REVOKE`s (`GRANT SELECT (col) ON TABLE v ..`) that
/// turn the columns' grants `actual` into `expected`, once the relation's
/// own privileges went from `privileges.1` to `privileges.0`: a
/// relation-level `REVOKE` takes the privilege from every column too.
fn column_grants(
    r: &Pg,
    at: Name,
    kind: Kind,
    expected: &ColumnGrants,
    actual: &ColumnGrants,
    privileges: (&Privileges, &Privileges),
) -> Vec<Statement> {
    let revoked = privileges::revoked(r, kind, privileges.0, privileges.1);
    let none = BTreeMap::new();
    let q = r.qual(at);
    let mut out = Vec::new();
    for c in expected
        .keys()
        .chain(actual.keys())
        .collect::<BTreeSet<_>>()
    {
        let left = privileges::after_revokes(actual.get(c).unwrap_or(&none), &revoked);
        let e = expected.get(c).unwrap_or(&none);
        out.extend(privileges::column_grants(r, &q, c, e, &left));
    }
    out
}

fn view_sql(r: &Pg, at: Name, v: &View, or_replace: bool) -> String {
    format!(
        "CREATE {}VIEW {}{} AS\n{}",
        if or_replace { "OR REPLACE " } else { "" },
        r.qual(at),
        with_options(&v.options),
        query(&v.definition)
    )
}

/// `CREATE VIEW` with its options (`check_option`, `security_barrier`,
/// `security_invoker` are all storage options), comments, owner and
/// grants. Its triggers are [`create_view_triggers`].
pub fn create_view(r: &Pg, at: Name, v: &View) -> Vec<Statement> {
    let q = r.qual(at);
    let mut out = vec![Statement::new(view_sql(r, at, v, false))];
    out.extend(extras(
        r,
        at,
        target(&q, Kind::View),
        v.comment.as_ref(),
        &v.column_comments,
        &v.privileges,
        &v.column_grants,
    ));
    out
}

/// Comments (of the relation and its columns), owner and grants (of the
/// relation and its columns) of a new view or materialized view.
fn extras(
    r: &Pg,
    at: Name,
    target: Target,
    comment: Option<&String>,
    column: &BTreeMap<String, String>,
    p: &Privileges,
    grants: &ColumnGrants,
) -> Vec<Statement> {
    let kind = target.kind;
    let mut out = privileges::with_comment(r, target, comment, p);
    out.extend(column_comments(r, at, column, &BTreeMap::new()));
    let as_created = Privileges {
        owner: p.owner.clone(),
        grants: None,
    };
    let none = BTreeMap::new();
    out.extend(column_grants(r, at, kind, grants, &none, (p, &as_created)));
    out
}

/// What changes of a view's or materialized view's comments, owner and
/// grants.
fn alter_extras(
    r: &Pg,
    at: Name,
    target: Target,
    comments: (Option<&String>, Option<&String>),
    column: (&BTreeMap<String, String>, &BTreeMap<String, String>),
    p: (&Privileges, &Privileges),
    grants: (&ColumnGrants, &ColumnGrants),
) -> Vec<Statement> {
    let kind = target.kind;
    let mut out = privileges::alter_with_comment(r, target, comments, p.0, p.1);
    out.extend(column_comments(r, at, column.0, column.1));
    out.extend(column_grants(r, at, kind, grants.0, grants.1, p));
    out
}

/// The view's triggers (they need their functions to exist) and rules.
pub fn create_view_triggers(r: &Pg, at: Name, v: &View) -> Vec<Statement> {
    v.triggers
        .iter()
        .flat_map(|(n, t)| trigger::create(r, at, n, t))
        .chain(v.rules.iter().flat_map(|(n, x)| rule::create(r, at, n, x)))
        .collect()
}

fn target(q: &str, kind: Kind) -> Target<'_> {
    Target { kind, sql: q }
}

/// `DROP VIEW`.
pub fn drop_view(r: &Pg, at: Name) -> Statement {
    Statement::new(format!("DROP VIEW {}", r.qual(at)))
}

/// The output column names of a view's query, when its shape is plain
/// enough to read them (a `SELECT` list, or the first branch of a set
/// operation, as PostgreSQL names a view's columns).
fn output_columns(definition: &str) -> Option<Vec<String>> {
    use pg_query::NodeEnum;
    let parsed = pg_query::parse(query(definition), 0).ok()?;
    let stmt = parsed
        .protobuf
        .stmts
        .first()?
        .stmt
        .as_ref()?
        .node
        .as_ref()?;
    let NodeEnum::SelectStmt(s) = stmt else {
        return None;
    };
    let mut s: &pg_query::protobuf::SelectStmt = s;
    while let Some(l) = s.larg.as_deref() {
        s = l;
    }
    s.target_list
        .iter()
        .map(|t| match t.node.as_ref()? {
            NodeEnum::ResTarget(rt) if !rt.name.is_empty() => Some(rt.name.clone()),
            NodeEnum::ResTarget(rt) => match rt.val.as_ref()?.node.as_ref()? {
                NodeEnum::ColumnRef(c) => match c.fields.last()?.node.as_ref()? {
                    NodeEnum::String(s) => Some(s.sval.clone()),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Turn view `actual` into `expected`: `CREATE OR REPLACE VIEW` when the
/// new query keeps the old columns in front (it may add columns at the
/// end, and fails if a kept column's type changes); options by `ALTER VIEW
/// SET/RESET`; comments, owner and grants. A column removed, renamed or
/// moved has no alter: drop and create (with the views that read it).
pub fn alter_view(r: &Pg, at: Name, expected: &View, actual: &View) -> Alter {
    let q = r.qual(at);
    let mut out = Vec::new();
    if expected.definition != actual.definition {
        let keeps = match (
            output_columns(&expected.definition),
            output_columns(&actual.definition),
        ) {
            (Some(e), Some(a)) => e.len() >= a.len() && e[..a.len()] == a[..],
            _ => false,
        };
        if !keeps {
            let mut create = create_view(r, at, expected);
            create.extend(create_view_triggers(r, at, expected));
            return Alter::Recreate {
                reason: "a column of the view removed, renamed or moved".to_string(),
                drop: vec![drop_view(r, at)],
                create,
            };
        }
        out.push(Statement::new(view_sql(r, at, expected, true)).with(&[Hazard::MayFail]));
    } else {
        out.extend(alter_options(
            &format!("VIEW {q}"),
            &expected.options,
            &actual.options,
        ));
    }
    out.extend(alter_extras(
        r,
        at,
        target(&q, Kind::View),
        (expected.comment.as_ref(), actual.comment.as_ref()),
        (&expected.column_comments, &actual.column_comments),
        (&expected.privileges, &actual.privileges),
        (&expected.column_grants, &actual.column_grants),
    ));
    Alter::InPlace(out)
}

/// `CREATE MATERIALIZED VIEW .. WITH DATA` (the query runs: a long build
/// on large tables), its column settings, comments, owner and grants. Its
/// indexes, statistics and clustering are [`create_materialized_view_indexes`].
pub fn create_materialized_view(r: &Pg, at: Name, m: &MaterializedView) -> Vec<Statement> {
    let q = r.qual(at);
    let using = m
        .access_method
        .as_ref()
        .map(|am| format!(" USING {}", r.ident(am)))
        .unwrap_or_default();
    let mut out = vec![Statement::new(format!(
        "CREATE MATERIALIZED VIEW {q}{using}{} AS\n{}\nWITH DATA",
        with_options(&m.storage_parameters),
        query(&m.definition)
    ))
    .with(&[Hazard::Lock])];
    out.extend(column_settings(r, at, &m.column_settings, &BTreeMap::new()));
    out.extend(extras(
        r,
        at,
        target(&q, Kind::MaterializedView),
        m.comment.as_ref(),
        &m.column_comments,
        &m.privileges,
        &m.column_grants,
    ));
    out
}

/// The materialized view's indexes, the one it is clustered on, and its
/// extended statistics.
pub fn create_materialized_view_indexes(r: &Pg, at: Name, m: &MaterializedView) -> Vec<Statement> {
    let mut out: Vec<Statement> = m
        .indexes
        .iter()
        .flat_map(|(n, x)| index::create(r, at, n, x, None))
        .collect();
    out.extend(cluster_of(r, at, m, None));
    for (n, x) in &m.statistics {
        out.extend(statistics::create(r, at, n, x));
    }
    out
}

/// `ALTER MATERIALIZED VIEW .. CLUSTER ON ..` (or `SET WITHOUT CLUSTER`)
/// when `m`'s clustering index differs from `actual`'s (`None`: one made
/// just now, clustered on none). The index must be there.
pub fn cluster_of(
    r: &Pg,
    at: Name,
    m: &MaterializedView,
    actual: Option<&MaterializedView>,
) -> Option<Statement> {
    let wanted = m.clustered_on.as_deref();
    if wanted == actual.and_then(|a| a.clustered_on.as_deref()) {
        return None;
    }
    let q = r.qual(at);
    Some(Statement::new(match wanted {
        Some(index) => format!("ALTER MATERIALIZED VIEW {q} CLUSTER ON {}", r.ident(index)),
        None => format!("ALTER MATERIALIZED VIEW {q} SET WITHOUT CLUSTER"),
    }))
}

/// The column settings that turn `actual`'s into `expected`'s (a column
/// on one side only has its type's defaults on the other).
fn column_settings(
    r: &Pg,
    at: Name,
    expected: &BTreeMap<String, ColumnSettings>,
    actual: &BTreeMap<String, ColumnSettings>,
) -> Vec<Statement> {
    let mut out = Vec::new();
    for (n, a) in actual.iter().filter(|(n, _)| !expected.contains_key(*n)) {
        // Back to the defaults, named by the actual column's type.
        let none = ColumnSettings {
            data_type: a.data_type.clone(),
            ..ColumnSettings::default()
        };
        out.extend(column::settings_of(
            r,
            "MATERIALIZED VIEW",
            at,
            n,
            &none,
            Some(a),
        ));
    }
    for (n, e) in expected {
        let a = actual.get(n);
        out.extend(column::settings_of(r, "MATERIALIZED VIEW", at, n, e, a));
    }
    out
}

/// `DROP MATERIALIZED VIEW` (its rows can be computed again).
pub fn drop_materialized_view(r: &Pg, at: Name) -> Statement {
    Statement::new(format!("DROP MATERIALIZED VIEW {}", r.qual(at)))
}

/// Turn materialized view `actual` into `expected`: a new query has no
/// alter (drop and create, with its indexes); storage parameters, column
/// settings, comments, owner and grants alter in place. Its indexes and
/// statistics are compared one by one ([`index::alter`],
/// [`statistics::alter`]), and its clustering once they are there
/// ([`cluster_of`]).
pub fn alter_materialized_view(
    r: &Pg,
    at: Name,
    expected: &MaterializedView,
    actual: &MaterializedView,
) -> Alter {
    let q = r.qual(at);
    let new_method = expected.access_method != actual.access_method;
    if expected.definition != actual.definition || (new_method && r.version < 150000) {
        let mut create = create_materialized_view(r, at, expected);
        create.extend(create_materialized_view_indexes(r, at, expected));
        let reason = if expected.definition != actual.definition {
            "the materialized view's query"
        } else {
            "the access method (SET ACCESS METHOD is PostgreSQL 15's)"
        };
        return Alter::Recreate {
            reason: reason.to_string(),
            drop: vec![drop_materialized_view(r, at)],
            create,
        };
    }
    let kw = format!("MATERIALIZED VIEW {q}");
    let mut out = Vec::new();
    if new_method {
        out.push(super::table::set_access_method(
            &kw,
            r,
            expected.access_method.as_deref(),
        ));
    }
    out.extend(alter_options(
        &kw,
        &expected.storage_parameters,
        &actual.storage_parameters,
    ));
    out.extend(column_settings(
        r,
        at,
        &expected.column_settings,
        &actual.column_settings,
    ));
    out.extend(alter_extras(
        r,
        at,
        target(&q, Kind::MaterializedView),
        (expected.comment.as_ref(), actual.comment.as_ref()),
        (&expected.column_comments, &actual.column_comments),
        (&expected.privileges, &actual.privileges),
        (&expected.column_grants, &actual.column_grants),
    ));
    Alter::InPlace(out)
}

/// The entries of `m` for column `name` alone.
fn only<V: Clone>(m: &BTreeMap<String, V>, name: &str) -> BTreeMap<String, V> {
    m.get_key_value(name)
        .map(|(k, v)| (k.clone(), v.clone()))
        .into_iter()
        .collect()
}

/// Turn column `name` of view `actual` into `expected`'s: its comment and
/// grants (after the view's own privileges, [`alter_view`]).
pub fn alter_view_column(r: &Pg, at: Name, name: &str, expected: &View, actual: &View) -> Alter {
    let (ec, ac) = (
        only(&expected.column_comments, name),
        only(&actual.column_comments, name),
    );
    let mut out = column_comments(r, at, &ec, &ac);
    out.extend(column_grants(
        r,
        at,
        Kind::View,
        &only(&expected.column_grants, name),
        &only(&actual.column_grants, name),
        (&expected.privileges, &actual.privileges),
    ));
    Alter::InPlace(out)
}

/// Turn column `name` of materialized view `actual` into `expected`'s:
/// its settings, comment and grants.
pub fn alter_materialized_view_column(
    r: &Pg,
    at: Name,
    name: &str,
    expected: &MaterializedView,
    actual: &MaterializedView,
) -> Alter {
    let mut out = column_settings(
        r,
        at,
        &only(&expected.column_settings, name),
        &only(&actual.column_settings, name),
    );
    out.extend(column_comments(
        r,
        at,
        &only(&expected.column_comments, name),
        &only(&actual.column_comments, name),
    ));
    out.extend(column_grants(
        r,
        at,
        Kind::MaterializedView,
        &only(&expected.column_grants, name),
        &only(&actual.column_grants, name),
        (&expected.privileges, &actual.privileges),
    ));
    Alter::InPlace(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;

    fn view(def: &str) -> View {
        View {
            definition: def.into(),
            options: vec![],
            comment: None,
            column_comments: BTreeMap::new(),
            triggers: BTreeMap::new(),
            rules: BTreeMap::new(),
            privileges: Default::default(),
            column_grants: BTreeMap::new(),
        }
    }

    const V: Name = Name {
        schema: "care",
        name: "named",
        foreign: false,
    };

    #[test]
    fn view_column_grants_follow_the_views_own_revokes() {
        let r = Pg::new(150000);
        let g = |v: &[(&str, &[&str])]| -> BTreeMap<String, Vec<String>> {
            v.iter()
                .map(|(k, p)| (k.to_string(), p.iter().map(|s| s.to_string()).collect()))
                .collect()
        };
        let acl = |who: &[(&str, &[&str])]| Privileges {
            owner: Some("own".into()),
            grants: Some(g(who)),
        };
        let mut e = view(" SELECT 1 AS a, 2 AS b;");
        e.privileges = acl(&[("own", &["SELECT"])]);
        e.column_grants = BTreeMap::from([("a".to_string(), g(&[("reader", &["SELECT"])]))]);
        // A new view gets its columns' grants after its own.
        let created = sql_of(create_view(&r, V, &e));
        assert_eq!(
            created.last().unwrap(),
            "GRANT SELECT (a) ON TABLE care.named TO reader"
        );
        // The view's REVOKE from reader takes the column's SELECT too: it
        // is granted again; b's grant goes.
        let mut a = e.clone();
        a.privileges = acl(&[("own", &["SELECT"]), ("reader", &["SELECT"])]);
        a.column_grants
            .insert("b".into(), g(&[("reader", &["UPDATE"])]));
        let Alter::InPlace(st) = alter_view(&r, V, &e, &a) else {
            panic!("altered in place");
        };
        assert_eq!(
            sql_of(st),
            [
                "REVOKE SELECT ON TABLE care.named FROM reader",
                "GRANT SELECT (a) ON TABLE care.named TO reader",
                "REVOKE UPDATE (b) ON TABLE care.named FROM reader",
            ]
        );
        // One column alone, as a report describes it.
        let Alter::InPlace(st) = alter_view_column(&r, V, "b", &e, &a) else {
            panic!("altered in place");
        };
        assert_eq!(
            sql_of(st),
            ["REVOKE UPDATE (b) ON TABLE care.named FROM reader"]
        );
    }

    #[test]
    fn materialized_view_settings_alter_in_place() {
        let m = MaterializedView {
            definition: " SELECT 1 AS a, 'x'::text AS b;".into(),
            storage_parameters: vec![],
            access_method: None,
            indexes: BTreeMap::new(),
            statistics: BTreeMap::new(),
            clustered_on: Some("named_a".into()),
            comment: None,
            column_comments: BTreeMap::new(),
            column_settings: BTreeMap::from([(
                "b".to_string(),
                ColumnSettings {
                    data_type: "text".into(),
                    storage: Some("external".into()),
                    compression: Some("lz4".into()),
                    statistics: Some(10),
                    options: vec!["n_distinct=5".into()],
                },
            )]),
            privileges: Default::default(),
            column_grants: BTreeMap::new(),
        };
        let at = "ALTER MATERIALIZED VIEW care.named ALTER COLUMN b";
        let r = Pg::new(150000);
        let created = sql_of(create_materialized_view(&r, V, &m));
        assert_eq!(
            created[1..],
            [
                format!("{at} SET STORAGE EXTERNAL"),
                format!("{at} SET COMPRESSION lz4"),
                format!("{at} SET STATISTICS 10"),
                format!("{at} SET (n_distinct=5)"),
            ]
        );
        // Back to the defaults: named by the type before 16.
        let plain = MaterializedView {
            column_settings: BTreeMap::new(),
            clustered_on: None,
            ..m.clone()
        };
        let Alter::InPlace(st) = alter_materialized_view(&r, V, &plain, &m) else {
            panic!("altered in place");
        };
        assert_eq!(
            sql_of(st),
            [
                format!("{at} SET STORAGE EXTENDED"),
                format!("{at} SET COMPRESSION default"),
                format!("{at} SET STATISTICS -1"),
                format!("{at} RESET (n_distinct)"),
            ]
        );
        assert_eq!(
            cluster_of(&r, V, &m, Some(&plain)).map(|s| s.sql),
            Some("ALTER MATERIALIZED VIEW care.named CLUSTER ON named_a".into())
        );
        assert_eq!(
            cluster_of(&r, V, &plain, Some(&m)).map(|s| s.sql),
            Some("ALTER MATERIALIZED VIEW care.named SET WITHOUT CLUSTER".into())
        );
        assert!(cluster_of(&r, V, &m, Some(&m)).is_none());
    }

    #[test]
    fn views_replace_when_columns_are_kept() {
        let r = Pg::default();
        let a = view(" SELECT patients.id,\n    patients.name\n   FROM care.patients;");
        let e = view(" SELECT patients.id,\n    patients.name,\n    patients.email AS mail\n   FROM care.patients;");
        let sql = sql_of(alter_view(&r, V, &e, &a));
        assert_eq!(
            sql,
            ["CREATE OR REPLACE VIEW care.named AS\n SELECT patients.id,\n    patients.name,\n    patients.email AS mail\n   FROM care.patients"]
        );
        assert!(matches!(alter_view(&r, V, &a, &e), Alter::Recreate { .. }));
        assert_eq!(
            output_columns(" SELECT 1 AS a\nUNION\n SELECT 2 AS b;"),
            Some(vec!["a".to_string()])
        );
        let mut o = a.clone();
        o.options = vec!["check_option=local".into()];
        assert_eq!(
            create_view(&r, V, &o)[0].sql,
            "CREATE VIEW care.named WITH (check_option=local) AS\n SELECT patients.id,\n    patients.name\n   FROM care.patients"
        );
        let sql = sql_of(alter_view(&r, V, &o, &a));
        assert_eq!(sql, ["ALTER VIEW care.named SET (check_option=local)"]);
    }
}
