//! Live PostgreSQL introspection (I/O). Row decoding lives in `decode.rs`,
//! catalog queries in `queries/*.sql`.

pub mod connect;
pub mod decode;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use futures_util::future::try_join_all;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Row};

use crate::error::{Error, Result};
use crate::model::PgSchema;
use decode::*;

/// What to read and how patiently.
#[derive(Debug, Clone)]
pub struct Options {
    /// Only these schemas (empty: every non-system schema).
    pub schemas: Vec<String>,
    /// Leave these schemas out.
    pub exclude_schemas: Vec<String>,
    /// Capture owners and grants.
    pub with_privileges: bool,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// `statement_timeout` for each catalog query.
    pub statement_timeout: Duration,
    /// `lock_timeout` (we take no locks on user tables, but catalog access can wait).
    pub lock_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            schemas: vec![],
            exclude_schemas: vec![],
            with_privileges: false,
            connect_timeout: Duration::from_secs(10),
            statement_timeout: Duration::from_secs(120),
            lock_timeout: Duration::from_secs(5),
        }
    }
}

/// Read the schema of the database at `url`. Returns the model and the
/// server version (e.g. `PostgreSQL 17.2`).
///
/// Everything is read in one `REPEATABLE READ READ ONLY` transaction with an
/// empty `search_path` (so PostgreSQL qualifies every name outside
/// `pg_catalog` in the text it deparses) and fixed time zone and date
/// styles (so constants in partition bounds and defaults deparse the same
/// on every server), one query per object kind whatever the size of the
/// schema. Nothing is written and no lock is asked for, except that
/// PostgreSQL's `pg_get_viewdef` takes ACCESS SHARE on the relations a view
/// reads, as any query of the view would; `lock_timeout` bounds that wait.
pub async fn introspect(url: &str, opts: &Options) -> Result<(PgSchema, String)> {
    crate::run::install_crypto_provider();
    let target = connect::parse(url, opts.connect_timeout)?;
    let (client, conn) = connect::connect(&target, opts.connect_timeout).await?;
    let result = read_schema(&client, &target, opts).await;
    drop(client);
    let _ = conn.await;
    result
}

/// The catalog queries, one per object kind.
pub mod queries {
    pub const SCHEMAS: &str = include_str!("queries/schemas.sql");
    pub const EXTENSIONS: &str = include_str!("queries/extensions.sql");
    pub const RELATIONS: &str = include_str!("queries/relations.sql");
    pub const COLUMNS: &str = include_str!("queries/columns.sql");
    pub const CONSTRAINTS: &str = include_str!("queries/constraints.sql");
    pub const INDEXES: &str = include_str!("queries/indexes.sql");
    pub const SEQUENCES: &str = include_str!("queries/sequences.sql");
    pub const FUNCTIONS: &str = include_str!("queries/functions.sql");
    pub const TRIGGERS: &str = include_str!("queries/triggers.sql");
    pub const POLICIES: &str = include_str!("queries/policies.sql");
    pub const ENUMS: &str = include_str!("queries/enums.sql");
    pub const DOMAINS: &str = include_str!("queries/domains.sql");
    pub const COMPOSITE_TYPES: &str = include_str!("queries/composite_types.sql");
}

async fn read_schema(
    client: &Client,
    target: &connect::Target,
    opts: &Options,
) -> Result<(PgSchema, String)> {
    let fail = |doing: &str, e: &tokio_postgres::Error| Error::Introspect {
        target: target.redacted.clone(),
        doing: doing.to_string(),
        reason: crate::redact::scrub(&db_message(e), target.password.as_deref()),
    };
    let settings = session_settings(opts);
    client
        .batch_execute(&format!(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\n{settings}"
        ))
        .await
        .map_err(|e| fail("starting a read-only transaction", &e))?;

    let version_row = client
        .query_one(
            "SELECT pg_catalog.current_setting('server_version'), \
                    pg_catalog.current_setting('server_version_num')::integer",
            &[],
        )
        .await
        .map_err(|e| fail("reading the server version", &e))?;
    let version: String = version_row
        .try_get(0)
        .map_err(|e| fail("reading the server version", &e))?;
    let version_num: i32 = version_row
        .try_get(1)
        .map_err(|e| fail("reading the server version", &e))?;
    let version = format!(
        "PostgreSQL {}",
        version.split_whitespace().next().unwrap_or(&version)
    );

    // Export the transaction's snapshot so that more connections can read
    // the very same state of the catalogs concurrently. A server that
    // refuses (an old or restricted one) is read on this connection alone;
    // the failed statement aborted the transaction, so it starts again.
    let snapshot: Option<String> = match client
        .query_one("SELECT pg_catalog.pg_export_snapshot()", &[])
        .await
    {
        Ok(row) => row.try_get(0).ok(),
        Err(_) => {
            client
                .batch_execute(&format!(
                    "ROLLBACK;\nBEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\n{settings}"
                ))
                .await
                .map_err(|e| fail("starting a read-only transaction", &e))?;
            None
        }
    };

    let include: Vec<String> = opts.schemas.clone();
    let exclude: Vec<String> = opts.exclude_schemas.clone();
    let privs = opts.with_privileges;
    let params: [&(dyn ToSql + Sync); 3] = [&include, &exclude, &privs];

    // One entry per query, in the order the results are decoded below.
    let kinds: [(&str, &str); 13] = [
        ("schemas", queries::SCHEMAS),
        ("extensions", queries::EXTENSIONS),
        ("tables and views", queries::RELATIONS),
        ("columns", queries::COLUMNS),
        ("constraints", queries::CONSTRAINTS),
        ("indexes", queries::INDEXES),
        ("sequences", queries::SEQUENCES),
        ("functions", queries::FUNCTIONS),
        ("triggers", queries::TRIGGERS),
        ("policies", queries::POLICIES),
        ("enums", queries::ENUMS),
        ("domains", queries::DOMAINS),
        ("composite types", queries::COMPOSITE_TYPES),
    ];
    let next_job = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Vec<Row>>>> = kinds.iter().map(|_| Mutex::new(None)).collect();

    let adapted: Vec<(&str, String)> = kinds
        .iter()
        .map(|(what, sql)| (*what, adapt_query(sql, version_num)))
        .collect();
    let adapted: Vec<(&str, &str)> = adapted.iter().map(|(w, q)| (*w, q.as_str())).collect();
    let jobs = Jobs {
        kinds: &adapted,
        next: &next_job,
        slots: &slots,
        params: &params,
        fail: &fail,
    };
    // The first connection starts at once; helpers join in when connected
    // and in the exported snapshot. A helper that cannot connect or import
    // the snapshot takes no work, and the others do it.
    let helper = |snapshot: String| {
        let (jobs, settings) = (&jobs, &settings);
        async move {
            let Ok((c, conn)) = connect::connect(target, opts.connect_timeout).await else {
                return Ok(());
            };
            let begun = c
                .batch_execute(&format!(
                    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\n\
                     SET TRANSACTION SNAPSHOT '{snapshot}';\n{settings}"
                ))
                .await;
            let result = match begun {
                Ok(()) => run_jobs(&c, jobs).await,
                Err(_) => Ok(()),
            };
            drop(c);
            let _ = conn.await;
            result
        }
    };
    let helpers = snapshot
        .map(|s| vec![s; HELPER_CONNECTIONS])
        .unwrap_or_default()
        .into_iter()
        .map(helper);
    tokio::try_join!(run_jobs(client, &jobs), try_join_all(helpers))?;
    let _ = client.batch_execute("ROLLBACK").await;

    let results: Vec<Vec<Row>> = slots
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .unwrap_or_default()
        })
        .collect();
    let mut it = results.into_iter();
    let mut next = || it.next().unwrap_or_default();
    let (schemas, extensions, relations, columns, constraints, indexes) =
        (next(), next(), next(), next(), next(), next());
    let (sequences, functions, triggers, policies, enums, domains, composites) =
        (next(), next(), next(), next(), next(), next(), next());

    let decode_fail = |what: &str, e: tokio_postgres::Error| fail(&format!("decoding {what}"), &e);
    let raw = Raw {
        with_privileges: privs,
        schemas: map(&schemas, schema_row).map_err(|e| decode_fail("schemas", e))?,
        extensions: map(&extensions, extension_row).map_err(|e| decode_fail("extensions", e))?,
        relations: map(&relations, relation_row).map_err(|e| decode_fail("tables", e))?,
        columns: map(&columns, column_row).map_err(|e| decode_fail("columns", e))?,
        constraints: map(&constraints, constraint_row)
            .map_err(|e| decode_fail("constraints", e))?,
        indexes: map(&indexes, index_row).map_err(|e| decode_fail("indexes", e))?,
        sequences: map(&sequences, sequence_row).map_err(|e| decode_fail("sequences", e))?,
        functions: map(&functions, function_row).map_err(|e| decode_fail("functions", e))?,
        triggers: map(&triggers, trigger_row).map_err(|e| decode_fail("triggers", e))?,
        policies: map(&policies, policy_row).map_err(|e| decode_fail("policies", e))?,
        enums: map(&enums, enum_row).map_err(|e| decode_fail("enums", e))?,
        domains: map(&domains, domain_row).map_err(|e| decode_fail("domains", e))?,
        composite_types: map(&composites, composite_row)
            .map_err(|e| decode_fail("composite types", e))?,
    };
    Ok((assemble(raw), version))
}

/// A catalog query for a server of `server_version_num` `version`. The
/// files are written for the newest PostgreSQL; a fragment that differs on
/// older ones is written `/*<NNNNNN:OLD*/NEW/*end*/` and becomes `OLD` when
/// `version` is below `NNNNNN` (else `NEW`, and the markers go too).
pub fn adapt_query(sql: &str, version: i32) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(start) = rest.find("/*<") {
        let marker = &rest[start + 3..];
        let parsed = marker.split_once(':').and_then(|(num, tail)| {
            let num: i32 = num.parse().ok()?;
            let (old, tail) = tail.split_once("*/")?;
            let (new, tail) = tail.split_once("/*end*/")?;
            Some((num, old, new, tail))
        });
        let Some((num, old, new, tail)) = parsed else {
            // Not a marker (e.g. the convention quoted in a comment).
            out.push_str(&rest[..start + 3]);
            rest = marker;
            continue;
        };
        out.push_str(&rest[..start]);
        out.push_str(if version < num { old } else { new });
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// The catalog queries shared by the connections that run them.
struct Jobs<'a> {
    kinds: &'a [(&'a str, &'a str)],
    next: &'a AtomicUsize,
    slots: &'a [Mutex<Option<Vec<Row>>>],
    params: &'a [&'a (dyn ToSql + Sync)],
    fail: &'a dyn Fn(&str, &tokio_postgres::Error) -> Error,
}

/// Takes queries off the shared list and runs them on `c` until none is left.
async fn run_jobs(c: &Client, jobs: &Jobs<'_>) -> Result<()> {
    loop {
        let j = jobs.next.fetch_add(1, Ordering::Relaxed);
        let Some(&k) = ORDER.get(j) else {
            return Ok(());
        };
        let (what, sql) = jobs.kinds[k];
        let stmt = c
            .prepare(sql)
            .await
            .map_err(|e| (jobs.fail)(&format!("reading {what}"), &e))?;
        let n = stmt.params().len();
        let rows = c
            .query(&stmt, &jobs.params[..n])
            .await
            .map_err(|e| (jobs.fail)(&format!("reading {what}"), &e))?;
        *jobs.slots[k].lock().unwrap_or_else(|p| p.into_inner()) = Some(rows);
    }
}

/// The order connections take the queries of `read_schema` in: the most
/// expensive first, so that the cheap ones fill the gaps.
const ORDER: [usize; 13] = [5, 4, 3, 2, 6, 8, 9, 7, 10, 11, 12, 0, 1];

/// Connections opened besides the first to run the catalog queries
/// concurrently, all in one exported snapshot.
const HELPER_CONNECTIONS: usize = 2;

/// The `SET LOCAL`s of every reading transaction.
fn session_settings(opts: &Options) -> String {
    format!(
        "SET LOCAL statement_timeout = {};\n\
         SET LOCAL lock_timeout = {};\n\
         SET LOCAL search_path = '';\n\
         SET LOCAL timezone = 'UTC';\n\
         SET LOCAL datestyle = 'ISO, YMD';\n\
         SET LOCAL intervalstyle = 'postgres';\n\
         SET LOCAL extra_float_digits = 3;",
        opts.statement_timeout.as_millis().max(1),
        opts.lock_timeout.as_millis().max(1),
    )
}

/// PostgreSQL's own message for a server error, else the driver's chain.
fn db_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => {
            let mut s = d.message().to_string();
            if let Some(detail) = d.detail() {
                s.push_str(&format!(" ({detail})"));
            }
            s
        }
        None => connect::chain(e),
    }
}

type RowResult<T> = std::result::Result<T, tokio_postgres::Error>;

fn map<T>(rows: &[Row], f: fn(&Row) -> RowResult<T>) -> RowResult<Vec<T>> {
    rows.iter().map(f).collect()
}

fn privileges_of(r: &Row) -> RowResult<RawPrivileges> {
    Ok(RawPrivileges {
        owner: r.try_get("owner")?,
        acl: r.try_get("acl")?,
    })
}

fn schema_row(r: &Row) -> RowResult<RawSchema> {
    Ok(RawSchema {
        name: r.try_get("name")?,
        comment: r.try_get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn extension_row(r: &Row) -> RowResult<RawExtension> {
    Ok(RawExtension {
        name: r.try_get("name")?,
        version: r.try_get("version")?,
        schema: r.try_get("schema")?,
    })
}

fn relation_row(r: &Row) -> RowResult<RawRelation> {
    Ok(RawRelation {
        oid: r.try_get("oid")?,
        schema: r.try_get("schema")?,
        name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        persistence: r.try_get("persistence")?,
        rls_enabled: r.try_get("rls_enabled")?,
        rls_forced: r.try_get("rls_forced")?,
        partition_key: r.try_get("partition_key")?,
        partition_parent: r.try_get("partition_parent")?,
        partition_bound: r.try_get("partition_bound")?,
        inherits: r.try_get("inherits")?,
        options: r.try_get("options")?,
        definition: r.try_get("definition")?,
        comment: r.try_get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn column_row(r: &Row) -> RowResult<RawColumn> {
    Ok(RawColumn {
        table_oid: r.try_get("table_oid")?,
        name: r.try_get("name")?,
        data_type: r.try_get("type")?,
        not_null: r.try_get("not_null")?,
        default: r.try_get("default_expr")?,
        identity: r.try_get("identity")?,
        generated: r.try_get("generated")?,
        collation: r.try_get("collation")?,
        seq_type: r.try_get("seq_type")?,
        seq_start: r.try_get("seq_start")?,
        seq_increment: r.try_get("seq_increment")?,
        seq_min: r.try_get("seq_min")?,
        seq_max: r.try_get("seq_max")?,
        seq_cache: r.try_get("seq_cache")?,
        seq_cycle: r.try_get("seq_cycle")?,
        comment: r.try_get("comment")?,
    })
}

fn constraint_row(r: &Row) -> RowResult<RawConstraint> {
    Ok(RawConstraint {
        table_oid: r.try_get("table_oid")?,
        name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        definition: r.try_get("definition")?,
        columns: r.try_get("columns")?,
        deferrable: r.try_get("deferrable")?,
        initially_deferred: r.try_get("initially_deferred")?,
        validated: r.try_get("validated")?,
        no_inherit: r.try_get("no_inherit")?,
        fk_references: r.try_get("fk_references")?,
        fk_columns: r.try_get("fk_columns")?,
        on_update: r.try_get("on_update")?,
        on_delete: r.try_get("on_delete")?,
        match_type: r.try_get("match_type")?,
        comment: r.try_get("comment")?,
    })
}

fn index_row(r: &Row) -> RowResult<RawIndex> {
    Ok(RawIndex {
        table_oid: r.try_get("table_oid")?,
        name: r.try_get("name")?,
        method: r.try_get("method")?,
        unique: r.try_get("is_unique")?,
        nulls_not_distinct: r.try_get("nulls_not_distinct")?,
        key_exprs: r.try_get("key_exprs")?,
        key_opclasses: r.try_get("key_opclasses")?,
        key_collations: r.try_get("key_collations")?,
        key_options: r.try_get("key_options")?,
        include: r.try_get("include")?,
        predicate: r.try_get("predicate")?,
        options: r.try_get("options")?,
        comment: r.try_get("comment")?,
    })
}

fn sequence_row(r: &Row) -> RowResult<RawSequence> {
    Ok(RawSequence {
        schema: r.try_get("schema")?,
        name: r.try_get("name")?,
        data_type: r.try_get("data_type")?,
        start: r.try_get("start")?,
        increment: r.try_get("increment")?,
        min_value: r.try_get("min_value")?,
        max_value: r.try_get("max_value")?,
        cache: r.try_get("cache")?,
        cycle: r.try_get("cycle")?,
        owned_by: r.try_get("owned_by")?,
        comment: r.try_get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn function_row(r: &Row) -> RowResult<RawFunction> {
    Ok(RawFunction {
        schema: r.try_get("schema")?,
        name: r.try_get("name")?,
        identity: r.try_get("identity")?,
        kind: r.try_get("kind")?,
        arguments: r.try_get("arguments")?,
        returns: r.try_get("returns")?,
        language: r.try_get("language")?,
        volatility: r.try_get("volatility")?,
        strict: r.try_get("strict")?,
        security_definer: r.try_get("security_definer")?,
        leakproof: r.try_get("leakproof")?,
        parallel: r.try_get("parallel")?,
        settings: r.try_get("settings")?,
        source: r.try_get("source")?,
        sql_body_definition: r.try_get("sql_body_definition")?,
        comment: r.try_get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn trigger_row(r: &Row) -> RowResult<RawTrigger> {
    Ok(RawTrigger {
        table_oid: r.try_get("table_oid")?,
        name: r.try_get("name")?,
        tgtype: r.try_get("tgtype")?,
        columns: r.try_get("columns")?,
        function: r.try_get("function")?,
        args: r.try_get("args")?,
        nargs: r.try_get("nargs")?,
        definition: r.try_get("definition")?,
        enabled: r.try_get("enabled")?,
        old_table: r.try_get("old_table")?,
        new_table: r.try_get("new_table")?,
        is_constraint: r.try_get("is_constraint")?,
        deferrable: r.try_get("deferrable")?,
        initially_deferred: r.try_get("initially_deferred")?,
        comment: r.try_get("comment")?,
    })
}

fn policy_row(r: &Row) -> RowResult<RawPolicy> {
    Ok(RawPolicy {
        table_oid: r.try_get("table_oid")?,
        name: r.try_get("name")?,
        command: r.try_get("command")?,
        permissive: r.try_get("permissive")?,
        roles: r.try_get("roles")?,
        using: r.try_get("using_expr")?,
        with_check: r.try_get("with_check")?,
        comment: r.try_get("comment")?,
    })
}

fn enum_row(r: &Row) -> RowResult<RawEnum> {
    Ok(RawEnum {
        schema: r.try_get("schema")?,
        name: r.try_get("name")?,
        labels: r.try_get("labels")?,
        comment: r.try_get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn domain_row(r: &Row) -> RowResult<RawDomain> {
    Ok(RawDomain {
        schema: r.try_get("schema")?,
        name: r.try_get("name")?,
        base_type: r.try_get("base_type")?,
        not_null: r.try_get("not_null")?,
        default: r.try_get("default_expr")?,
        collation: r.try_get("collation")?,
        constraint_names: r.try_get("constraint_names")?,
        constraint_definitions: r.try_get("constraint_definitions")?,
        comment: r.try_get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn composite_row(r: &Row) -> RowResult<RawCompositeType> {
    Ok(RawCompositeType {
        schema: r.try_get("schema")?,
        name: r.try_get("name")?,
        attribute_names: r.try_get("attribute_names")?,
        attribute_types: r.try_get("attribute_types")?,
        attribute_collations: r.try_get("attribute_collations")?,
        comment: r.try_get("comment")?,
        privileges: privileges_of(r)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adapt_query_picks_the_fragment_of_the_version() {
        let q = "SELECT /*<150000:false*/i.x/*end*/ AS a, /*<140000:NULL*/p.y/*end*/ FROM t";
        assert_eq!(adapt_query(q, 180000), "SELECT i.x AS a, p.y FROM t");
        assert_eq!(adapt_query(q, 140005), "SELECT false AS a, p.y FROM t");
        assert_eq!(adapt_query(q, 130020), "SELECT false AS a, NULL FROM t");
        assert_eq!(adapt_query("SELECT 1 /* x */", 130000), "SELECT 1 /* x */");
    }

    #[test]
    fn no_query_reads_version_dependent_columns_through_to_jsonb() {
        for q in [
            queries::INDEXES,
            queries::FUNCTIONS,
            queries::COLUMNS,
            queries::CONSTRAINTS,
        ] {
            assert!(!q.contains("to_jsonb"));
            assert!(!adapt_query(q, 130000).contains("*/i.indnullsnotdistinct"));
        }
        // The convention quoted in a header comment does not stop the scan.
        let q13 = adapt_query(queries::INDEXES, 130000);
        assert!(
            !q13.contains("i.indnullsnotdistinct") && q13.contains("false AS nulls_not_distinct")
        );
        assert!(adapt_query(queries::INDEXES, 150000).contains("i.indnullsnotdistinct AS"));
        assert!(!adapt_query(queries::FUNCTIONS, 130000).contains("p.prosqlbody"));
        {}
    }
}
