//! Publications (`CREATE PUBLICATION`), objects of the database. As
//! `pg_dump` does, a publication is created with its options alone and its
//! tables and schemas are added one by one (`ALTER PUBLICATION .. ADD`),
//! each table `ONLY` (the catalog lists an inheritance child that a table
//! without `ONLY` brought in as a member of its own). The model's table
//! names are PostgreSQL's own qualified printing, used as they stand.

use super::privileges::{self, Kind, Target};
use super::{quote, Pg};
use crate::ddl::{Alter, Statement};
use crate::model::postgres::{Publication, PublicationTable};

fn target(sql: &str) -> Target<'_> {
    Target {
        kind: Kind::Publication,
        sql,
    }
}

/// The four operations, as `publish` lists them when all are published.
const ALL_OPERATIONS: [&str; 4] = ["insert", "update", "delete", "truncate"];

/// The `WITH (...)` options that are not the defaults, as `pg_dump` writes
/// them.
fn options(p: &Publication) -> Vec<String> {
    let mut out = Vec::new();
    if p.publish != ALL_OPERATIONS {
        out.push(format!(
            "publish = {}",
            quote::literal(&p.publish.join(", "))
        ));
    }
    if p.via_partition_root {
        out.push("publish_via_partition_root = true".to_string());
    }
    if p.generated_columns {
        out.push("publish_generated_columns = stored".to_string());
    }
    out
}

/// `ONLY t (a, b) WHERE (f)`: one table of a publication.
fn table_clause(r: &Pg, table: &str, t: &PublicationTable) -> String {
    let mut s = format!("ONLY {table}");
    if !t.columns.is_empty() {
        s.push_str(&format!(" ({})", r.idents(&t.columns)));
    }
    if let Some(f) = &t.row_filter {
        s.push_str(&format!(" WHERE ({f})"));
    }
    s
}

fn add_table(r: &Pg, name: &str, table: &str, t: &PublicationTable) -> Statement {
    Statement::new(format!(
        "ALTER PUBLICATION {} ADD TABLE {}",
        r.ident(name),
        table_clause(r, table, t)
    ))
}

fn drop_table(r: &Pg, name: &str, table: &str) -> Statement {
    Statement::new(format!(
        "ALTER PUBLICATION {} DROP TABLE ONLY {table}",
        r.ident(name)
    ))
}

fn schema_clause(r: &Pg, name: &str, verb: &str, schema: &str) -> Statement {
    Statement::new(format!(
        "ALTER PUBLICATION {} {verb} TABLES IN SCHEMA {}",
        r.ident(name),
        r.ident(schema)
    ))
}

/// `CREATE PUBLICATION`, then its tables, schemas and comment.
pub fn create(r: &Pg, name: &str, p: &Publication) -> Vec<Statement> {
    let mut sql = format!("CREATE PUBLICATION {}", r.ident(name));
    if p.all_tables {
        sql.push_str(" FOR ALL TABLES");
    }
    let opts = options(p);
    if !opts.is_empty() {
        sql.push_str(&format!(" WITH ({})", opts.join(", ")));
    }
    let mut out = vec![Statement::new(sql)];
    for (table, t) in &p.tables {
        out.push(add_table(r, name, table, t));
    }
    for s in &p.schemas {
        out.push(schema_clause(r, name, "ADD", s));
    }
    let sql = r.ident(name);
    let at = target(&sql);
    out.extend(privileges::with_comment(
        r,
        at,
        p.comment.as_ref(),
        &p.privileges,
    ));
    out
}

/// `DROP PUBLICATION`.
pub fn drop(r: &Pg, name: &str) -> Statement {
    Statement::new(format!("DROP PUBLICATION {}", r.ident(name)))
}

/// Turn publication `actual` into `expected` (same name), in two parts:
/// what leaves it (tables and schemas no longer published, or published
/// otherwise), to run before the tables go, and the rest (options, tables
/// and schemas added, the comment), to run once the tables are there. A
/// change of `FOR ALL TABLES` has no alter: `None`, drop and create.
pub fn alter_parts(
    r: &Pg,
    name: &str,
    expected: &Publication,
    actual: &Publication,
) -> Option<(Vec<Statement>, Vec<Statement>)> {
    if expected.all_tables != actual.all_tables {
        return None;
    }
    let (mut leave, mut rest) = (Vec::new(), Vec::new());
    for (table, t) in &actual.tables {
        if expected.tables.get(table) != Some(t) {
            leave.push(drop_table(r, name, table));
        }
    }
    for s in &actual.schemas {
        if !expected.schemas.contains(s) {
            leave.push(schema_clause(r, name, "DROP", s));
        }
    }
    let (eo, ao) = (options(expected), options(actual));
    if eo != ao {
        // Every option, so that one back at its default is reset too.
        let publish = quote::literal(&expected.publish.join(", "));
        let mut set = vec![
            format!("publish = {publish}"),
            format!(
                "publish_via_partition_root = {}",
                expected.via_partition_root
            ),
        ];
        if expected.generated_columns != actual.generated_columns {
            let g = if expected.generated_columns {
                "stored"
            } else {
                "none"
            };
            set.push(format!("publish_generated_columns = {g}"));
        }
        rest.push(Statement::new(format!(
            "ALTER PUBLICATION {} SET ({})",
            r.ident(name),
            set.join(", ")
        )));
    }
    for (table, t) in &expected.tables {
        if actual.tables.get(table) != Some(t) {
            rest.push(add_table(r, name, table, t));
        }
    }
    for s in &expected.schemas {
        if !actual.schemas.contains(s) {
            rest.push(schema_clause(r, name, "ADD", s));
        }
    }
    let sql = r.ident(name);
    let at = target(&sql);
    rest.extend(privileges::alter_with_comment(
        r,
        at,
        (expected.comment.as_ref(), actual.comment.as_ref()),
        &expected.privileges,
        &actual.privileges,
    ));
    Some((leave, rest))
}

/// [`alter_parts`] as one alter.
pub fn alter(r: &Pg, name: &str, expected: &Publication, actual: &Publication) -> Alter {
    match alter_parts(r, name, expected, actual) {
        Some((mut leave, rest)) => {
            leave.extend(rest);
            Alter::InPlace(leave)
        }
        None => Alter::Recreate {
            reason: "FOR ALL TABLES".to_string(),
            drop: vec![drop(r, name)],
            create: create(r, name, expected),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;
    use crate::model::postgres::Privileges;

    fn publication() -> Publication {
        Publication {
            all_tables: false,
            tables: [
                ("care.visits".to_string(), PublicationTable::default()),
                (
                    "care.pets".to_string(),
                    PublicationTable {
                        columns: vec!["id".into(), "Name".into()],
                        row_filter: Some("(id > 0)".into()),
                    },
                ),
            ]
            .into(),
            schemas: vec![],
            publish: ALL_OPERATIONS.map(String::from).to_vec(),
            via_partition_root: false,
            generated_columns: false,
            comment: None,
            privileges: Privileges::default(),
        }
    }

    #[test]
    fn publications_are_created_with_their_tables_then_altered() {
        let r = Pg::default();
        let mut e = publication();
        e.publish = vec!["insert".into(), "update".into()];
        e.via_partition_root = true;
        e.schemas = vec!["stock".into()];
        e.comment = Some("to the warehouse".into());
        assert_eq!(
            sql_of(create(&r, "changes", &e)),
            [
                "CREATE PUBLICATION changes WITH (publish = 'insert, update', \
                 publish_via_partition_root = true)",
                "ALTER PUBLICATION changes ADD TABLE ONLY care.pets (id, \"Name\") WHERE ((id > 0))",
                "ALTER PUBLICATION changes ADD TABLE ONLY care.visits",
                "ALTER PUBLICATION changes ADD TABLES IN SCHEMA stock",
                "COMMENT ON PUBLICATION changes IS 'to the warehouse'",
            ]
        );
        let (leave, rest) = alter_parts(&r, "changes", &publication(), &e).unwrap();
        assert_eq!(
            sql_of(leave),
            ["ALTER PUBLICATION changes DROP TABLES IN SCHEMA stock"]
        );
        assert_eq!(
            sql_of(rest),
            [
                "ALTER PUBLICATION changes SET (publish = 'insert, update, delete, truncate', \
                 publish_via_partition_root = false)",
                "COMMENT ON PUBLICATION changes IS NULL",
            ]
        );
        let mut a = publication();
        a.tables.get_mut("care.pets").unwrap().row_filter = None;
        a.tables.remove("care.visits");
        a.tables
            .insert("care.owners".into(), PublicationTable::default());
        let (leave, rest) = alter_parts(&r, "changes", &publication(), &a).unwrap();
        assert_eq!(
            sql_of(leave),
            [
                "ALTER PUBLICATION changes DROP TABLE ONLY care.owners",
                "ALTER PUBLICATION changes DROP TABLE ONLY care.pets",
            ]
        );
        assert_eq!(
            sql_of(rest),
            [
                "ALTER PUBLICATION changes ADD TABLE ONLY care.pets (id, \"Name\") WHERE ((id > 0))",
                "ALTER PUBLICATION changes ADD TABLE ONLY care.visits",
            ]
        );
        let mut all = publication();
        all.all_tables = true;
        all.tables.clear();
        match alter(&r, "changes", &all, &publication()) {
            Alter::Recreate { drop, create, .. } => {
                assert_eq!(sql_of(drop), ["DROP PUBLICATION changes"]);
                assert_eq!(
                    sql_of(create),
                    ["CREATE PUBLICATION changes FOR ALL TABLES"]
                );
            }
            other => panic!("{other:?}"),
        }
    }
}
