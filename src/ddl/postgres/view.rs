//! Views and materialized views (a materialized view's indexes are in
//! [`super::index`], with no column list).

use std::collections::BTreeMap;

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
    ));
    out
}

/// Comments (of the relation and its columns), owner and grants of a new
/// view or materialized view.
fn extras(
    r: &Pg,
    at: Name,
    target: Target,
    comment: Option<&String>,
    column: &BTreeMap<String, String>,
    p: &Privileges,
) -> Vec<Statement> {
    let mut out = privileges::with_comment(r, target, comment, p);
    out.extend(column_comments(r, at, column, &BTreeMap::new()));
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
) -> Vec<Statement> {
    let mut out = privileges::alter_with_comment(r, target, comments, p.0, p.1);
    out.extend(column_comments(r, at, column.0, column.1));
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
        }
    }

    const V: Name = Name {
        schema: "care",
        name: "named",
        foreign: false,
    };

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
