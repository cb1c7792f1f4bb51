//! Reading a history table from PostgreSQL, read-only.
//!
//! Every step is a plain `SELECT`, and nothing is queried that could fail and abort
//! the caller's transaction: the table, the role's right to read it and its columns
//! are looked up in the catalog first.

use tokio_postgres::{Client, GenericClient};

use crate::model::PgSchema;
use crate::postgres;
use crate::redact::Dsn;

use crate::ddl::postgres::quote::always_quoted;

use super::{History, HistoryError, Record, RecordKind, RecordState, TableName, Tool};

/// `tool`'s history table `table`, read in a snapshot's own transaction
/// ([`crate::postgres::introspect_with`]): `None` when there is no such table.
struct InSnapshot<'a> {
    tool: Tool,
    table: &'a TableName,
}

impl postgres::AlsoRead for InSnapshot<'_> {
    type Output = Option<History>;

    fn doing(&self) -> String {
        format!("reading {}'s history table", self.tool)
    }

    async fn read<'a>(&'a self, client: &'a Client) -> Result<Option<History>, String> {
        read(client, self.tool, self.table)
            .await
            .map_err(|e| e.to_string())
    }
}

/// [`postgres::introspect`], and the migration tool's history table `history` read in
/// the same read-only transaction (so the schema and the versions it is at are one
/// moment's), through the role's own `search_path` as the tool's unqualified name would
/// be. `None` in the result: no such table, or none asked for.
pub async fn introspect_with_history(
    url: &Dsn,
    opts: &postgres::Options,
    history: Option<&(Tool, TableName)>,
) -> crate::error::Result<(PgSchema, String, Option<History>)> {
    let also = history.map(|(tool, table)| InSnapshot { tool: *tool, table });
    let (schema, version, read) = postgres::introspect_with(url, opts, also.as_ref()).await?;
    Ok((schema, version, read.flatten()))
}

/// The columns each tool's table must have to be read as the tool's.
fn required_columns(tool: Tool) -> &'static [&'static str] {
    match tool {
        Tool::Flyway => &[
            "installed_rank",
            "version",
            "description",
            "type",
            "script",
            "checksum",
            "success",
        ],
        Tool::GolangMigrate => &["version", "dirty"],
        Tool::Goose => &["id", "version_id", "is_applied"],
        Tool::Dbmate | Tool::Diesel => &["version"],
        Tool::Sqlx => &["version", "description", "success", "checksum"],
        Tool::Prisma => &[
            "id",
            "checksum",
            "finished_at",
            "migration_name",
            "rolled_back_at",
            "started_at",
        ],
        Tool::Neo4jMigrations => &[],
    }
}

/// Tools that look for an unqualified table only in the current schema (the first of the
/// `search_path` that exists) and create it there: golang-migrate (`CURRENT_SCHEMA()`),
/// dbmate (the first schema of the `search_path`) and Flyway (the connection's schema).
/// The others' unqualified queries resolve through the whole `search_path`.
fn uses_current_schema(tool: Tool) -> bool {
    matches!(tool, Tool::GolangMigrate | Tool::Dbmate | Tool::Flyway)
}

/// Found through the catalogs alone, never by resolving a name (`to_regclass` fails,
/// aborting the transaction, on a schema the role may not use). Without a schema: the
/// first schema of the effective `search_path` that has the table, or the current
/// schema for the tools that look only there.
const LOCATE: &str = "\
SELECT n.nspname::text, c.relname::text,
       has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT'),
       array(SELECT a.attname::text FROM pg_catalog.pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN unnest(current_schemas(false)) WITH ORDINALITY AS p(schema, ord) ON p.schema = n.nspname
WHERE c.relname = $2::text
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND CASE WHEN $1::text IS NOT NULL THEN n.nspname = $1::text
           WHEN $3 THEN n.nspname = current_schema()
           ELSE p.ord IS NOT NULL END
ORDER BY p.ord
LIMIT 1";

fn query_error(tool: Tool, e: &tokio_postgres::Error) -> HistoryError {
    HistoryError::Query {
        tool,
        reason: crate::postgres::connect::db_message(e),
    }
}

/// Read `tool`'s history table at `table`. `Ok(None)` when there is no such table: the
/// tool never ran there, or its table is elsewhere.
pub async fn read<C: GenericClient + Sync>(
    client: &C,
    tool: Tool,
    table: &TableName,
) -> Result<Option<History>, HistoryError> {
    if tool == Tool::Neo4jMigrations {
        return Err(HistoryError::NotPostgres(tool));
    }
    let located = client
        .query_opt(
            LOCATE,
            &[&table.schema, &table.name, &uses_current_schema(tool)],
        )
        .await
        .map_err(|e| query_error(tool, &e))?;
    let Some(row) = located else {
        return Ok(None);
    };
    let schema: String = row.get(0);
    let name: String = row.get(1);
    let readable: bool = row.get(2);
    let columns: Vec<String> = row.get(3);
    if let Some(column) = required_columns(tool)
        .iter()
        .find(|c| !columns.iter().any(|have| have == *c))
    {
        return Err(HistoryError::Shape {
            tool,
            schema,
            table: name,
            column,
        });
    }
    if !readable {
        return Err(HistoryError::Permission {
            tool,
            schema,
            table: name,
        });
    }
    let qualified = format!("{}.{}", always_quoted(&schema), always_quoted(&name));
    let sql = match tool {
        Tool::Flyway => format!(
            "SELECT version::text, description::text, script::text, checksum::text, \
             type::text, success FROM {qualified} ORDER BY installed_rank"
        ),
        Tool::GolangMigrate => {
            format!("SELECT version::text, dirty FROM {qualified} ORDER BY version")
        }
        Tool::Goose => {
            format!("SELECT version_id::text, is_applied FROM {qualified} ORDER BY id")
        }
        Tool::Dbmate | Tool::Diesel => {
            format!("SELECT version::text FROM {qualified} ORDER BY version")
        }
        Tool::Sqlx => format!(
            "SELECT version::text, description::text, encode(checksum, 'hex'), success \
             FROM {qualified} ORDER BY version"
        ),
        Tool::Prisma => format!(
            "SELECT migration_name::text, checksum::text, finished_at IS NOT NULL, \
             rolled_back_at IS NOT NULL FROM {qualified} ORDER BY started_at, id"
        ),
        Tool::Neo4jMigrations => unreachable!("returned above"),
    };
    let rows = client
        .query(sql.as_str(), &[])
        .await
        .map_err(|e| query_error(tool, &e))?;
    let records = rows
        .iter()
        .map(|row| {
            let text = |i: usize| row.get::<_, Option<String>>(i);
            let plain = |version: Option<String>, state| Record {
                version,
                description: None,
                script: None,
                checksum: None,
                kind: RecordKind::Versioned,
                state,
            };
            match tool {
                Tool::Flyway => flyway_record(
                    text(0),
                    text(1),
                    text(2),
                    text(3),
                    text(4).unwrap_or_default(),
                    row.get::<_, Option<bool>>(5).unwrap_or(false),
                ),
                Tool::GolangMigrate => plain(
                    text(0),
                    if row.get::<_, Option<bool>>(1).unwrap_or(false) {
                        RecordState::Failed
                    } else {
                        RecordState::Applied
                    },
                ),
                Tool::Goose => {
                    let version = text(0);
                    let mut r = plain(
                        version.clone(),
                        if row.get::<_, Option<bool>>(1).unwrap_or(false) {
                            RecordState::Applied
                        } else {
                            RecordState::Removed
                        },
                    );
                    // goose writes version 0 when it creates its table.
                    if version.as_deref() == Some("0") {
                        r.kind = RecordKind::Marker;
                    }
                    r
                }
                Tool::Dbmate | Tool::Diesel => plain(text(0), RecordState::Applied),
                Tool::Sqlx => Record {
                    description: text(1),
                    checksum: text(2),
                    ..plain(
                        text(0),
                        if row.get::<_, Option<bool>>(3).unwrap_or(false) {
                            RecordState::Applied
                        } else {
                            RecordState::Failed
                        },
                    )
                },
                Tool::Prisma => {
                    let finished: bool = row.get(2);
                    let rolled_back: bool = row.get(3);
                    Record {
                        script: text(0).map(|n| format!("{n}/migration.sql")),
                        checksum: text(1),
                        ..plain(
                            text(0),
                            if rolled_back {
                                RecordState::RolledBack
                            } else if finished {
                                RecordState::Applied
                            } else {
                                RecordState::Failed
                            },
                        )
                    }
                }
                Tool::Neo4jMigrations => unreachable!("returned above"),
            }
        })
        .collect();
    Ok(Some(History {
        tool,
        schema,
        table: name,
        records,
    }))
}

/// One `flyway_schema_history` row. `type` tells Flyway's own rows apart: `SCHEMA` (it
/// created the schemas), `BASELINE`, `DELETE` (`flyway repair` marking a missing
/// migration deleted) and the `UNDO_*` rows of an undone migration.
fn flyway_record(
    version: Option<String>,
    description: Option<String>,
    script: Option<String>,
    checksum: Option<String>,
    kind: String,
    success: bool,
) -> Record {
    let (kind, state) = match kind.as_str() {
        "SCHEMA" => (RecordKind::Marker, RecordState::Applied),
        "BASELINE" => (RecordKind::Baseline, RecordState::Applied),
        "DELETE" => (RecordKind::Versioned, RecordState::Removed),
        k if k.starts_with("UNDO_") => (RecordKind::Versioned, RecordState::Removed),
        _ => (
            if version.is_some() {
                RecordKind::Versioned
            } else {
                RecordKind::Repeatable
            },
            if success {
                RecordState::Applied
            } else {
                RecordState::Failed
            },
        ),
    };
    // A deleted or undone repeatable is matched by its description like the others.
    let kind = if version.is_none() && kind == RecordKind::Versioned {
        RecordKind::Repeatable
    } else {
        kind
    };
    Record {
        version,
        description,
        script,
        checksum,
        kind,
        state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flyway_rows_by_type() {
        let r = |v: Option<&str>, t: &str, ok| {
            let r = flyway_record(v.map(String::from), None, None, None, t.into(), ok);
            (r.kind, r.state)
        };
        use RecordKind::*;
        use RecordState::*;
        assert_eq!(r(Some("1"), "SQL", true), (Versioned, Applied));
        assert_eq!(r(Some("1"), "SQL", false), (Versioned, Failed));
        assert_eq!(r(None, "SQL", true), (Repeatable, Applied));
        assert_eq!(r(Some("0"), "SCHEMA", true), (Marker, Applied));
        assert_eq!(r(Some("1"), "BASELINE", true), (Baseline, Applied));
        assert_eq!(r(Some("1"), "DELETE", true), (Versioned, Removed));
        assert_eq!(r(None, "DELETE", true), (Repeatable, Removed));
        assert_eq!(r(Some("1"), "UNDO_SQL", true), (Versioned, Removed));
    }
}
