//! Indexes that do not implement a constraint, on tables and materialized
//! views.

use super::{alter_comment, alter_options, comment, with_options, Name, Pg};
use crate::ddl::{Alter, Hazard, Statement};
use crate::model::postgres::{Column, Index, IndexKey};

/// `COMMENT ON` target.
fn target(r: &Pg, schema: &str, name: &str) -> String {
    format!("INDEX {}", r.qual(Name::new(schema, name)))
}

/// Whether key text `expression` names a column, given the relation's
/// columns when the model has them (tables) or else (materialized views)
/// by its shape: the model holds a column key as the column's name and an
/// expression key as PostgreSQL printed it, which is never a bare column
/// reference.
fn is_column(expression: &str, columns: Option<&[Column]>) -> bool {
    if let Some(cols) = columns {
        return cols.iter().any(|c| c.name == expression);
    }
    use pg_query::NodeEnum;
    let Ok(parsed) = pg_query::parse(&format!("SELECT {expression}"), 0) else {
        return true;
    };
    let stmts = &parsed.protobuf.stmts;
    let target = match stmts
        .first()
        .and_then(|s| s.stmt.as_ref())
        .and_then(|n| n.node.as_ref())
    {
        Some(NodeEnum::SelectStmt(s)) if stmts.len() == 1 && s.target_list.len() == 1 => {
            s.target_list[0].node.clone()
        }
        _ => return true,
    };
    match target {
        Some(NodeEnum::ResTarget(t)) => {
            !t.name.is_empty()
                || matches!(t.val.and_then(|v| v.node), Some(NodeEnum::ColumnRef(c)) if c.fields.len() == 1)
        }
        _ => true,
    }
}

fn key(r: &Pg, k: &IndexKey, columns: Option<&[Column]>) -> String {
    let mut s = if is_column(&k.expression, columns) {
        r.ident(&k.expression).into_owned()
    } else {
        format!("({})", k.expression)
    };
    if let Some(c) = &k.collation {
        s.push_str(&format!(" COLLATE {c}"));
    }
    if let Some(o) = &k.opclass {
        s.push(' ');
        s.push_str(o);
    }
    if k.descending {
        s.push_str(" DESC");
    }
    if k.nulls_not_default {
        s.push_str(if k.descending {
            " NULLS LAST"
        } else {
            " NULLS FIRST"
        });
    }
    s
}

fn definition(
    r: &Pg,
    on: Name,
    name: &str,
    x: &Index,
    columns: Option<&[Column]>,
    concurrently: bool,
) -> String {
    let mut s = String::from("CREATE ");
    if x.unique {
        s.push_str("UNIQUE ");
    }
    s.push_str("INDEX ");
    if concurrently {
        s.push_str("CONCURRENTLY ");
    }
    let keys: Vec<String> = x.keys.iter().map(|k| key(r, k, columns)).collect();
    s.push_str(&format!(
        "{} ON {} USING {} ({})",
        r.ident(name),
        r.qual(on),
        x.method,
        keys.join(", ")
    ));
    if !x.include.is_empty() {
        s.push_str(&format!(" INCLUDE ({})", r.idents(&x.include)));
    }
    if x.nulls_not_distinct {
        s.push_str(" NULLS NOT DISTINCT");
    }
    s.push_str(&with_options(&x.storage_parameters));
    if let Some(p) = &x.predicate {
        s.push_str(&format!(" WHERE {p}"));
    }
    s
}

/// `CREATE INDEX` on table or materialized view `on` (whose `columns` the
/// model lists for a table, `None` for a materialized view), and its
/// comment. Writes wait while it builds.
pub fn create(
    r: &Pg,
    on: Name,
    name: &str,
    x: &Index,
    columns: Option<&[Column]>,
) -> Vec<Statement> {
    build(r, on, name, x, columns, false)
}

/// `CREATE INDEX CONCURRENTLY`: writes go on while it builds, but it
/// cannot run in a transaction (nor on a partitioned table).
pub fn create_concurrently(
    r: &Pg,
    on: Name,
    name: &str,
    x: &Index,
    columns: Option<&[Column]>,
) -> Vec<Statement> {
    build(r, on, name, x, columns, true)
}

fn build(
    r: &Pg,
    on: Name,
    name: &str,
    x: &Index,
    columns: Option<&[Column]>,
    concurrently: bool,
) -> Vec<Statement> {
    let mut hazards = vec![if concurrently {
        Hazard::NoTransaction
    } else {
        Hazard::Lock
    }];
    if x.unique {
        hazards.push(Hazard::MayFail);
    }
    let sql = definition(r, on, name, x, columns, concurrently);
    let mut out = vec![Statement::new(sql).with(&hazards)];
    out.extend(statistics(r, on.schema, name, x, None));
    if let Some(c) = &x.comment {
        out.push(comment(&target(r, on.schema, name), Some(c)));
    }
    out
}

/// `ALTER INDEX .. ALTER COLUMN n SET STATISTICS` for each key of `x`
/// whose statistics target is not `actual`'s (`None`: a new index, every
/// target at its default).
fn statistics(
    r: &Pg,
    schema: &str,
    name: &str,
    x: &Index,
    actual: Option<&Index>,
) -> Vec<Statement> {
    let q = r.qual(Name::new(schema, name));
    x.keys
        .iter()
        .enumerate()
        .filter(|(n, k)| {
            let was = actual
                .and_then(|a| a.keys.get(*n))
                .and_then(|k| k.statistics);
            k.statistics != was
        })
        .map(|(n, k)| {
            Statement::new(format!(
                "ALTER INDEX {q} ALTER COLUMN {} SET STATISTICS {}",
                n + 1,
                k.statistics.unwrap_or(-1)
            ))
        })
        .collect()
}

/// `DROP INDEX` (an index lives in its table's schema).
pub fn drop(r: &Pg, schema: &str, name: &str) -> Statement {
    Statement::new(format!("DROP INDEX {}", r.qual(Name::new(schema, name))))
}

/// `ALTER INDEX .. RENAME TO ..`.
pub fn rename(r: &Pg, schema: &str, from: &str, to: &str) -> Statement {
    Statement::new(format!(
        "ALTER INDEX {} RENAME TO {}",
        r.qual(Name::new(schema, from)),
        r.ident(to)
    ))
}

/// Turn index `actual` into `expected` (same name): storage parameters
/// (`ALTER INDEX .. SET/RESET`), the keys' statistics targets and the
/// comment change in place; anything else is a new index: drop and create.
pub fn alter(
    r: &Pg,
    on: Name,
    name: &str,
    expected: &Index,
    actual: &Index,
    columns: Option<&[Column]>,
) -> Alter {
    let same_build = build_of(expected) == build_of(actual);
    if !same_build {
        return Alter::Recreate {
            reason: "the index's definition".to_string(),
            drop: vec![drop(r, on.schema, name)],
            create: create(r, on, name, expected, columns),
        };
    }
    let t = target(r, on.schema, name);
    let mut out = alter_options(&t, &expected.storage_parameters, &actual.storage_parameters);
    out.extend(statistics(r, on.schema, name, expected, Some(actual)));
    out.extend(alter_comment(
        &t,
        expected.comment.as_ref(),
        actual.comment.as_ref(),
    ));
    Alter::InPlace(out)
}

/// What `CREATE INDEX` makes of `x`: not its storage parameters, its keys'
/// statistics targets nor its comment, which alter in place.
pub fn build_of(x: &Index) -> Index {
    Index {
        storage_parameters: Vec::new(),
        comment: None,
        keys: x
            .keys
            .iter()
            .map(|k| IndexKey {
                statistics: None,
                ..k.clone()
            })
            .collect(),
        ..x.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;

    fn k(e: &str) -> IndexKey {
        IndexKey {
            expression: e.into(),
            opclass: None,
            collation: None,
            descending: false,
            nulls_not_default: false,
            statistics: None,
        }
    }

    fn index(keys: Vec<IndexKey>) -> Index {
        Index {
            method: "btree".into(),
            unique: false,
            nulls_not_distinct: false,
            keys,
            include: vec![],
            predicate: None,
            storage_parameters: vec![],
            comment: None,
        }
    }

    #[test]
    fn keys_are_columns_or_expressions() {
        let r = Pg::default();
        let on = Name::new("care", "patients");
        let mut name = k("name");
        name.descending = true;
        name.nulls_not_default = true;
        let mut lower = k("lower(email)");
        lower.opclass = Some("text_pattern_ops".into());
        lower.collation = Some("\"C\"".into());
        let mut x = index(vec![name, lower, k("Order")]);
        x.unique = true;
        x.nulls_not_distinct = true;
        x.include = vec!["born".into()];
        x.storage_parameters = vec!["fillfactor=70".into()];
        x.predicate = Some("(born IS NOT NULL)".into());
        let s = create(&r, on, "patients_name_idx", &x, None);
        assert_eq!(
            s[0].sql,
            "CREATE UNIQUE INDEX patients_name_idx ON care.patients USING btree (name DESC NULLS LAST, (lower(email)) COLLATE \"C\" text_pattern_ops, \"Order\") INCLUDE (born) NULLS NOT DISTINCT WITH (fillfactor=70) WHERE (born IS NOT NULL)"
        );
        assert!(s[0].has(Hazard::Lock) && s[0].has(Hazard::MayFail));
        assert!(is_column("my col", None));
        assert!(!is_column("(a + b)", None));
        assert!(!is_column("(data ->> 'k'::text)", None));
    }

    #[test]
    fn only_parameters_and_comments_alter_in_place() {
        let r = Pg::default();
        let on = Name::new("care", "patients");
        let a = index(vec![k("name")]);
        let mut e = a.clone();
        e.storage_parameters = vec!["fillfactor=70".into()];
        e.comment = Some("by name".into());
        let sql = sql_of(alter(&r, on, "i", &e, &a, None));
        assert_eq!(
            sql,
            [
                "ALTER INDEX care.i SET (fillfactor=70)",
                "COMMENT ON INDEX care.i IS 'by name'"
            ]
        );
        let mut e = index(vec![k("name"), k("lower(email)")]);
        e.keys[1].statistics = Some(100);
        let mut a = e.clone();
        assert_eq!(
            sql_of(create(&r, on, "i", &e, None)),
            [
                "CREATE INDEX i ON care.patients USING btree (name, (lower(email)))",
                "ALTER INDEX care.i ALTER COLUMN 2 SET STATISTICS 100",
            ]
        );
        a.keys[1].statistics = None;
        assert_eq!(
            sql_of(alter(&r, on, "i", &e, &a, None)),
            ["ALTER INDEX care.i ALTER COLUMN 2 SET STATISTICS 100"]
        );
        assert_eq!(
            sql_of(alter(&r, on, "i", &a, &e, None)),
            ["ALTER INDEX care.i ALTER COLUMN 2 SET STATISTICS -1"]
        );
        let a = index(vec![k("name")]);
        let mut desc = a.clone();
        desc.keys[0].descending = true;
        assert!(matches!(
            alter(&r, on, "i", &desc, &a, None),
            Alter::Recreate { .. }
        ));
    }
}
