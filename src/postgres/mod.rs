//! Live PostgreSQL introspection. This file does the I/O: it runs the catalog
//! queries (`queries/*.sql`, adapted to the server's version) on connections
//! sharing one exported snapshot, and reads each row into a raw record by
//! column position (`*_row`). `decode.rs` assembles the raw records into the
//! model and re-creates the texts PostgreSQL does not store; `tree.rs` reads
//! stored parse trees for the lazy live diff; `connect.rs` opens connections.

pub mod connect;
mod decode;
pub mod pgpass;
pub mod tls;
pub(crate) mod tree;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::future::try_join_all;
use futures_util::TryStreamExt;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, Row};

use crate::error::{Error, Result};
use crate::model::postgres::{BaseType, SequenceOptions};
use crate::model::PgSchema;
use crate::redact::Dsn;
use connect::db_message;
use decode::*;

/// What to read and how patiently.
#[derive(Debug, Clone)]
pub struct Options {
    /// Only these schemas (empty: every non-system schema).
    pub schemas: Vec<String>,
    /// Leave these schemas out.
    pub exclude_schemas: Vec<String>,
    /// Where the schema names are recorded before filtering, so that a
    /// filter that names no schema can be reported (see [`crate::filter`]).
    pub seen: crate::filter::SeenSchemas,
    /// Capture owners and grants.
    pub with_privileges: bool,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// `statement_timeout` for each catalog query.
    pub statement_timeout: Duration,
    /// `lock_timeout` (we take no locks on user tables, but catalog access can wait).
    pub lock_timeout: Duration,
    /// Connections that read the catalogs at once, in one exported snapshot
    /// (at least 1; the queries form two groups, so more than 2 add nothing).
    /// One is best when other reads compete for the same CPUs, as when two
    /// live databases are compared or a fleet is checked with `--jobs`.
    pub connections: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            schemas: vec![],
            exclude_schemas: vec![],
            seen: Default::default(),
            with_privileges: false,
            connect_timeout: Duration::from_secs(10),
            statement_timeout: Duration::from_secs(120),
            lock_timeout: Duration::from_secs(5),
            connections: GROUPS,
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
/// reads, as any query of the view would, and newer servers' `pg_get_expr`
/// takes it briefly on the table whose expression it prints (the queries
/// avoid that where the expression names no column); `lock_timeout` bounds
/// those waits.
pub async fn introspect(url: &Dsn, opts: &Options) -> Result<(PgSchema, String)> {
    let (schema, version, _) = introspect_with::<Nothing>(url, opts, None).await?;
    Ok((schema, version))
}

/// Something read in the snapshot's own read-only transaction, beside the
/// catalogs, so that the schema and it are one moment's: a migration tool's
/// history table, say. It is read through the role's own `search_path`, as
/// the tool's unqualified name would be found.
pub trait AlsoRead: Sync {
    type Output: Send;
    /// What reading it is, for an error: `reading Flyway's history table`.
    fn doing(&self) -> String;
    /// Read it; the error is one sentence.
    fn read<'a>(
        &'a self,
        client: &'a Client,
    ) -> impl std::future::Future<Output = std::result::Result<Self::Output, String>> + Send + 'a;
}

/// No [`AlsoRead`]: `introspect_with::<Nothing>(url, opts, None)`.
pub enum Nothing {}

impl AlsoRead for Nothing {
    type Output = Nothing;
    fn doing(&self) -> String {
        match *self {}
    }
    async fn read(&self, _: &Client) -> std::result::Result<Nothing, String> {
        match *self {}
    }
}

/// [`introspect`], and `also` read in the same read-only transaction.
pub async fn introspect_with<R: AlsoRead>(
    url: &Dsn,
    opts: &Options,
    also: Option<&R>,
) -> Result<(PgSchema, String, Option<R::Output>)> {
    let target = connect::parse(url, opts.connect_timeout)?;
    let (client, conn) = connect::connect(&target, opts.connect_timeout).await?;
    let result = read_schema(&client, &target, opts, false, also).await;
    let _ = client.batch_execute("ROLLBACK").await;
    drop(client);
    let _ = conn.await;
    result.map(|read| (assemble(read.raw), read.version, read.also))
}

/// [`introspect`] for a comparison of two live databases: the expressions
/// that PostgreSQL deparses only after building a table's cache entry (a
/// CHECK, an index's expressions and predicate, a trigger's WHEN, a policy,
/// a view's query) stand in the model as placeholders (see `tree.rs`), and
/// the transaction stays open so that [`LazyRead::resolve`] can deparse
/// those the diff shows. A tree that could print differently in another
/// database is deparsed before this returns.
pub async fn introspect_lazy(url: &Dsn, opts: &Options) -> Result<(PgSchema, String, LazyRead)> {
    let target = connect::parse(url, opts.connect_timeout)?;
    let (client, conn) = connect::connect(&target, opts.connect_timeout).await?;
    let read = match read_schema::<Nothing>(&client, &target, opts, true, None).await {
        Ok(read) => read,
        Err(e) => {
            drop(client);
            let _ = conn.await;
            return Err(e);
        }
    };
    let (mut schema, pending) = assemble_lazy(read.raw);
    let mut lazy = LazyRead {
        client,
        conn,
        redacted: target.redacted,
        password: target.password,
        pending,
        environment: read.environment,
    };
    if let Err(e) = lazy.resolve_where(&mut schema, |d| d.now).await {
        lazy.finish().await;
        return Err(e);
    }
    Ok((schema, read.version, lazy))
}

/// Whether `text` holds a placeholder a lazy read left for an expression.
pub fn holds_placeholder(text: &str) -> bool {
    text.contains(tree::MARK)
}

/// The tables (schema, name) whose placeholders `text` holds, in order.
pub fn placeholder_tables<'a>(text: &'a str, found: &mut Vec<(&'a str, &'a str)>) {
    tree::tables_in(text, found)
}

/// Which pending objects of a [`LazyRead`] to deparse.
#[derive(Debug, Clone, Copy)]
pub enum Pick<'a> {
    All,
    /// Those of these tables (schema, name): views, or the tables their
    /// constraints, indexes, triggers and policies belong to.
    Tables(&'a HashSet<(String, String)>),
}

/// A lazy read's open transaction and the expressions it has not deparsed.
pub struct LazyRead {
    client: Client,
    conn: tokio::task::JoinHandle<()>,
    redacted: String,
    password: Option<String>,
    pending: Vec<Deferred>,
    environment: String,
}

impl LazyRead {
    /// What decides how PostgreSQL prints an expression besides its tree:
    /// two reads share placeholders only when these are equal.
    pub fn environment(&self) -> &str {
        &self.environment
    }

    /// How many objects still stand as placeholders.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Deparse the pending objects that `pick` selects, in the transaction
    /// they were read in, and put their text in `schema` (the model this
    /// read returned). Returns how many were deparsed.
    pub async fn resolve(&mut self, schema: &mut PgSchema, pick: Pick<'_>) -> Result<usize> {
        match pick {
            Pick::All => self.resolve_where(schema, |_| true).await,
            Pick::Tables(tables) => {
                // One lookup per object without building a pair of Strings.
                let wanted: HashSet<(&str, &str)> = tables
                    .iter()
                    .map(|(s, t)| (s.as_str(), t.as_str()))
                    .collect();
                self.resolve_where(schema, |d| {
                    wanted.contains(&(d.schema.as_str(), d.table.as_str()))
                })
                .await
            }
        }
    }

    async fn resolve_where(
        &mut self,
        schema: &mut PgSchema,
        pick: impl Fn(&Deferred) -> bool,
    ) -> Result<usize> {
        let (now, rest): (Vec<Deferred>, Vec<Deferred>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(pick);
        self.pending = rest;
        if now.is_empty() {
            return Ok(0);
        }
        let kinds = [
            DeferredKind::Constraint,
            DeferredKind::Index,
            DeferredKind::Trigger,
            DeferredKind::Policy,
            DeferredKind::View,
        ];
        let oids: Vec<Vec<u32>> = kinds
            .iter()
            .map(|k| now.iter().filter(|d| d.kind == *k).map(|d| d.oid).collect())
            .collect();
        let fail = |e: tokio_postgres::Error| Error::Introspect {
            target: self.redacted.clone(),
            doing: "deparsing expressions".to_string(),
            reason: crate::redact::scrub(&db_message(&e), self.password.as_deref()),
        };
        let rows = self
            .client
            .query(
                queries::DEPARSE,
                &[&oids[0], &oids[1], &oids[2], &oids[3], &oids[4]],
            )
            .await
            .map_err(fail)?;
        let mut texts: HashMap<(DeferredKind, u32), Vec<Option<String>>> = HashMap::new();
        for r in rows {
            let (kind, oid, t): (i32, u32, Vec<Option<String>>) = (
                r.try_get("kind").map_err(fail)?,
                r.try_get("oid").map_err(fail)?,
                r.try_get("texts").map_err(fail)?,
            );
            let kind = usize::try_from(kind).ok().and_then(|k| kinds.get(k));
            if let Some(kind) = kind {
                texts.insert((*kind, oid), t);
            }
        }
        for d in &now {
            let Some(t) = texts.remove(&(d.kind, d.oid)) else {
                return Err(Error::Introspect {
                    target: self.redacted.clone(),
                    doing: "deparsing expressions".to_string(),
                    reason: format!(
                        "{}.{} {} (OID {}) is no longer in the catalogs",
                        d.schema, d.table, d.name, d.oid
                    ),
                });
            };
            patch(schema, d, t);
        }
        Ok(now.len())
    }

    /// End the transaction and close the connection.
    pub async fn finish(self) {
        let _ = self.client.batch_execute("ROLLBACK").await;
        drop(self.client);
        let _ = self.conn.await;
    }
}

/// The catalog queries, one per object kind.
pub mod queries {
    pub const SCHEMAS: &str = include_str!("queries/schemas.sql");
    pub const SCHEMA_NAMES: &str = include_str!("queries/schema_names.sql");
    pub const EXTENSIONS: &str = include_str!("queries/extensions.sql");
    pub const PUBLICATIONS: &str = include_str!("queries/publications.sql");
    pub const PUBLICATION_TABLES: &str = include_str!("queries/publication_tables.sql");
    pub const EVENT_TRIGGERS: &str = include_str!("queries/event_triggers.sql");
    pub const CASTS: &str = include_str!("queries/casts.sql");
    pub const DEFAULT_PRIVILEGES: &str = include_str!("queries/default_privileges.sql");
    pub const FOREIGN_DATA_WRAPPERS: &str = include_str!("queries/foreign_data_wrappers.sql");
    pub const FOREIGN_SERVERS: &str = include_str!("queries/foreign_servers.sql");
    pub const USER_MAPPINGS: &str = include_str!("queries/user_mappings.sql");
    pub const SUBSCRIPTIONS: &str = include_str!("queries/subscriptions.sql");
    pub const ACCESS_METHODS: &str = include_str!("queries/access_methods.sql");
    pub const LANGUAGES: &str = include_str!("queries/languages.sql");
    pub const TRANSFORMS: &str = include_str!("queries/transforms.sql");
    pub const SECURITY_LABELS: &str = include_str!("queries/security_labels.sql");
    pub const RELATIONS: &str = include_str!("queries/relations.sql");
    pub const FOREIGN_TABLES: &str = include_str!("queries/foreign_tables.sql");
    pub const COLUMNS: &str = include_str!("queries/columns.sql");
    pub const COLUMN_DEFAULTS: &str = include_str!("queries/column_defaults.sql");
    pub const COLUMN_COMMENTS: &str = include_str!("queries/column_comments.sql");
    pub const COLUMN_GRANTS: &str = include_str!("queries/column_grants.sql");
    pub const CONSTRAINTS: &str = include_str!("queries/constraints.sql");
    pub const INDEXES: &str = include_str!("queries/indexes.sql");
    pub const SEQUENCES: &str = include_str!("queries/sequences.sql");
    pub const FUNCTIONS: &str = include_str!("queries/functions.sql");
    pub const TRIGGERS: &str = include_str!("queries/triggers.sql");
    pub const RULES: &str = include_str!("queries/rules.sql");
    pub const STATISTICS: &str = include_str!("queries/statistics.sql");
    pub const POLICIES: &str = include_str!("queries/policies.sql");
    pub const ENUMS: &str = include_str!("queries/enums.sql");
    pub const DOMAINS: &str = include_str!("queries/domains.sql");
    pub const COMPOSITE_TYPES: &str = include_str!("queries/composite_types.sql");
    pub const RANGE_TYPES: &str = include_str!("queries/range_types.sql");
    pub const BASE_TYPES: &str = include_str!("queries/base_types.sql");
    pub const OPCLASSES: &str = include_str!("queries/opclasses.sql");
    pub const COLLATIONS: &str = include_str!("queries/collations.sql");
    pub const COLLATION_DEFINITIONS: &str = include_str!("queries/collation_definitions.sql");
    pub const OPERATORS: &str = include_str!("queries/operators.sql");
    pub const TEXT_SEARCH_CONFIGURATIONS: &str =
        include_str!("queries/text_search_configurations.sql");
    pub const TEXT_SEARCH_DICTIONARIES: &str = include_str!("queries/text_search_dictionaries.sql");
    pub const TEXT_SEARCH_PARSERS: &str = include_str!("queries/text_search_parsers.sql");
    pub const TEXT_SEARCH_TEMPLATES: &str = include_str!("queries/text_search_templates.sql");
    pub const OPERATOR_FAMILIES: &str = include_str!("queries/operator_families.sql");
    pub const OPERATOR_CLASSES: &str = include_str!("queries/operator_classes.sql");
    pub const CONVERSIONS: &str = include_str!("queries/conversions.sql");
    pub const KEYWORDS: &str = include_str!("queries/keywords.sql");
    pub const IDENTITIES: &str = include_str!("queries/identities.sql");
    pub const DEPARSE: &str = include_str!("queries/deparse.sql");
    pub const TYPES: &str = include_str!("queries/types.sql");
    pub const NOT_COMPARED: &str = include_str!("queries/not_compared.sql");
}

/// What [`read_schema`] read.
struct Read<T> {
    raw: Raw,
    /// e.g. `PostgreSQL 17.2`.
    version: String,
    /// See [`LazyRead::environment`].
    environment: String,
    /// What [`AlsoRead`] read, when asked.
    also: Option<T>,
}

/// Run the catalog queries in a read-only transaction, which is left open.
/// `lazy`: read the expressions listed in [`introspect_lazy`] as trees.
async fn read_schema<R: AlsoRead>(
    client: &Client,
    target: &connect::Target,
    opts: &Options,
    lazy: bool,
    also: Option<&R>,
) -> Result<Read<R::Output>> {
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
                    pg_catalog.current_setting('server_version_num')::integer, \
                    pg_catalog.concat_ws(' ', \
                        pg_catalog.current_setting('server_version_num'), \
                        pg_catalog.current_setting('server_encoding'), \
                        pg_catalog.current_setting('bytea_output'), \
                        pg_catalog.current_setting('standard_conforming_strings'), \
                        pg_catalog.current_setting('lc_monetary'))",
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
    let environment: String = version_row
        .try_get(2)
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

    // What else is read, found as its tool finds it: through the role's own
    // search_path (the session's, before this transaction emptied it).
    let also = match also {
        Some(also) => {
            let also_fail = |reason: String| Error::Introspect {
                target: target.redacted.clone(),
                doing: also.doing(),
                reason,
            };
            client
                .batch_execute("SET LOCAL search_path TO DEFAULT")
                .await
                .map_err(|e| also_fail(db_message(&e)))?;
            let read = also.read(client).await.map_err(also_fail)?;
            client
                .batch_execute("SET LOCAL search_path = ''")
                .await
                .map_err(|e| also_fail(db_message(&e)))?;
            Some(read)
        }
        None => None,
    };

    // Filters are globs: matched against the schemas there are, so the
    // catalog queries take exact names.
    let (include, exclude) = if opts.schemas.is_empty() && opts.exclude_schemas.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let names: Vec<String> = client
            .query(queries::SCHEMA_NAMES, &[])
            .await
            .and_then(|rows| rows.iter().map(|r| r.try_get(0)).collect())
            .map_err(|e| fail("reading the schema names", &e))?;
        opts.seen.record(&names);
        crate::filter::expand(&opts.schemas, &opts.exclude_schemas, &names)
    };
    let privs = opts.with_privileges;
    // Reading a subscription's connection string takes a privilege on the
    // column (a superuser's): without it the query fails whatever it
    // filters, so it is not run, and not_compared.sql counts them instead.
    let read_subscriptions: bool = client
        .query_one(
            "SELECT pg_catalog.has_column_privilege(\
                 'pg_catalog.pg_subscription', 'subconninfo', 'SELECT')",
            &[],
        )
        .await
        .and_then(|r| r.try_get(0))
        .map_err(|e| fail("checking whether subscriptions may be read", &e))?;
    let params: [&(dyn ToSql + Sync); 3] = [&include, &exclude, &privs];

    // Every catalog query: the group it runs in (see `GROUPS`), what it
    // reads, and where each row goes. Rows are decoded as they arrive, so
    // that they never pile up in memory. Within a group, in the order run:
    // the most expensive first.
    // A slice, not an array of a stated length: a query added needs no count.
    let table: &[(usize, &'static str, &str, Push)] = &[
        (DEPARSING, "constraints", queries::CONSTRAINTS, |raw, r| {
            raw.constraints.push(constraint_row(r)?);
            Ok(())
        }),
        (DEPARSING, "indexes", queries::INDEXES, |raw, r| {
            raw.indexes.push(index_row(r)?);
            Ok(())
        }),
        (DEPARSING, "triggers", queries::TRIGGERS, |raw, r| {
            raw.triggers.push(trigger_row(r)?);
            Ok(())
        }),
        (DEPARSING, "rules", queries::RULES, |raw, r| {
            raw.rules.push(rule_row(r)?);
            Ok(())
        }),
        (
            DEPARSING,
            "extended statistics",
            queries::STATISTICS,
            |raw, r| {
                raw.statistics.push(statistics_row(r)?);
                Ok(())
            },
        ),
        (DEPARSING, "policies", queries::POLICIES, |raw, r| {
            raw.policies.push(policy_row(r)?);
            Ok(())
        }),
        (
            DEPARSING,
            "column defaults",
            queries::COLUMN_DEFAULTS,
            |raw, r| {
                if let Some(default) = r.get("default_expr")? {
                    let (table, position) = (r.get("table_oid")?, r.get("position")?);
                    raw.column_defaults.push((table, position, default));
                }
                Ok(())
            },
        ),
        (THE_REST, "columns", queries::COLUMNS, |raw, r| {
            raw.columns.push(column_row(r)?);
            Ok(())
        }),
        (
            THE_REST,
            "tables and views",
            queries::RELATIONS,
            |raw, r| {
                raw.relations.push(relation_row(r)?);
                Ok(())
            },
        ),
        (THE_REST, "sequences", queries::SEQUENCES, |raw, r| {
            raw.sequences.push(sequence_row(r)?);
            Ok(())
        }),
        (
            THE_REST,
            "identity sequences",
            queries::IDENTITIES,
            |raw, r| {
                raw.identities.push(identity_row(r)?);
                Ok(())
            },
        ),
        (
            THE_REST,
            "column comments",
            queries::COLUMN_COMMENTS,
            |raw, r| {
                let (table, position) = (r.get("table_oid")?, r.get("position")?);
                raw.column_comments
                    .push((table, position, r.get("comment")?));
                Ok(())
            },
        ),
        (
            THE_REST,
            "column grants",
            queries::COLUMN_GRANTS,
            |raw, r| {
                let (table, position) = (r.get("table_oid")?, r.get("position")?);
                raw.column_grants.push((table, position, r.get("acl")?));
                Ok(())
            },
        ),
        (THE_REST, "functions", queries::FUNCTIONS, |raw, r| {
            raw.functions.push(function_row(r)?);
            Ok(())
        }),
        (THE_REST, "enums", queries::ENUMS, |raw, r| {
            raw.enums.push(enum_row(r)?);
            Ok(())
        }),
        (THE_REST, "domains", queries::DOMAINS, |raw, r| {
            raw.domains.push(domain_row(r)?);
            Ok(())
        }),
        (
            THE_REST,
            "composite types",
            queries::COMPOSITE_TYPES,
            |raw, r| {
                raw.composite_types.push(composite_row(r)?);
                Ok(())
            },
        ),
        (THE_REST, "range types", queries::RANGE_TYPES, |raw, r| {
            raw.range_types.push(RawRangeType {
                schema: r.get("schema")?,
                name: r.get("name")?,
                subtype: r.get("subtype")?,
                subtype_opclass: r.get("subtype_opclass")?,
                collation: r.get("collation")?,
                canonical: r.get("canonical")?,
                subtype_diff: r.get("subtype_diff")?,
                multirange_type_name: r.get("multirange_type_name")?,
                comment: r.get("comment")?,
                privileges: privileges_of(r)?,
            });
            Ok(())
        }),
        (THE_REST, "base types", queries::BASE_TYPES, |raw, r| {
            raw.base_types.push(base_type_row(r)?);
            Ok(())
        }),
        (
            THE_REST,
            "operator classes",
            queries::OPCLASSES,
            |raw, r| {
                raw.opclasses.push(named_oid_row(r)?);
                Ok(())
            },
        ),
        (THE_REST, "collations", queries::COLLATIONS, |raw, r| {
            if let (oid, Some(name)) = named_oid_row(r)? {
                raw.collations.push((oid, name));
            }
            Ok(())
        }),
        (
            THE_REST,
            "collation definitions",
            queries::COLLATION_DEFINITIONS,
            |raw, r| {
                raw.collation_definitions.push(collation_row(r)?);
                Ok(())
            },
        ),
        (THE_REST, "operators", queries::OPERATORS, |raw, r| {
            raw.operators.push(operator_row(r)?);
            Ok(())
        }),
        (
            THE_REST,
            "text search configurations",
            queries::TEXT_SEARCH_CONFIGURATIONS,
            |raw, r| {
                let row = RawTextSearchConfiguration {
                    schema: r.get("schema")?,
                    name: r.get("name")?,
                    parser: r.get("parser")?,
                    mappings: r.get("mappings")?,
                    comment: r.get("comment")?,
                    privileges: privileges_of(r)?,
                };
                raw.text_search.configurations.push(row);
                Ok(())
            },
        ),
        (
            THE_REST,
            "operator families",
            queries::OPERATOR_FAMILIES,
            |raw, r| {
                raw.operator_families.push(RawOperatorFamily {
                    schema: r.get("schema")?,
                    name: r.get("name")?,
                    member_keys: r.get("member_keys")?,
                    member_values: r.get("member_values")?,
                    comment: r.get("comment")?,
                    privileges: privileges_of(r)?,
                });
                Ok(())
            },
        ),
        (
            THE_REST,
            "text search dictionaries",
            queries::TEXT_SEARCH_DICTIONARIES,
            |raw, r| {
                let row = RawTextSearchDictionary {
                    schema: r.get("schema")?,
                    name: r.get("name")?,
                    template: r.get("template")?,
                    options: r.get("options")?,
                    comment: r.get("comment")?,
                    privileges: privileges_of(r)?,
                };
                raw.text_search.dictionaries.push(row);
                Ok(())
            },
        ),
        (
            THE_REST,
            "text search parsers",
            queries::TEXT_SEARCH_PARSERS,
            |raw, r| {
                let row = RawTextSearchParser {
                    schema: r.get("schema")?,
                    name: r.get("name")?,
                    start: r.get("start")?,
                    gettoken: r.get("gettoken")?,
                    end: r.get("end")?,
                    lextypes: r.get("lextypes")?,
                    headline: r.get("headline")?,
                    comment: r.get("comment")?,
                };
                raw.text_search.parsers.push(row);
                Ok(())
            },
        ),
        (
            THE_REST,
            "text search templates",
            queries::TEXT_SEARCH_TEMPLATES,
            |raw, r| {
                let row = RawTextSearchTemplate {
                    schema: r.get("schema")?,
                    name: r.get("name")?,
                    init: r.get("init")?,
                    lexize: r.get("lexize")?,
                    comment: r.get("comment")?,
                };
                raw.text_search.templates.push(row);
                Ok(())
            },
        ),
        (
            THE_REST,
            "operator class definitions",
            queries::OPERATOR_CLASSES,
            |raw, r| {
                raw.operator_classes.push(RawOperatorClass {
                    schema: r.get("schema")?,
                    name: r.get("name")?,
                    for_type: r.get("for_type")?,
                    default: r.get("default")?,
                    storage: r.get("storage")?,
                    family: r.get("family")?,
                    member_keys: r.get("member_keys")?,
                    member_values: r.get("member_values")?,
                    comment: r.get("comment")?,
                    privileges: privileges_of(r)?,
                });
                Ok(())
            },
        ),
        (THE_REST, "conversions", queries::CONVERSIONS, |raw, r| {
            raw.conversions.push(RawConversion {
                schema: r.get("schema")?,
                name: r.get("name")?,
                for_encoding: r.get("for_encoding")?,
                to_encoding: r.get("to_encoding")?,
                function: r.get("function")?,
                default: r.get("default")?,
                comment: r.get("comment")?,
                privileges: privileges_of(r)?,
            });
            Ok(())
        }),
        (THE_REST, "types", queries::TYPES, |raw, r| {
            if let (oid, Some(name)) = named_oid_row(r)? {
                raw.types.push((oid, name));
            }
            Ok(())
        }),
        (THE_REST, "keywords", queries::KEYWORDS, |raw, r| {
            raw.keywords.push(r.get("word")?);
            Ok(())
        }),
        (THE_REST, "schemas", queries::SCHEMAS, |raw, r| {
            raw.schemas.push(schema_row(r)?);
            Ok(())
        }),
        (THE_REST, "extensions", queries::EXTENSIONS, |raw, r| {
            raw.extensions.push(extension_row(r)?);
            Ok(())
        }),
        (
            THE_REST,
            "event triggers",
            queries::EVENT_TRIGGERS,
            |raw, r| {
                raw.event_triggers.push(RawEventTrigger {
                    name: r.get("name")?,
                    event: r.get("event")?,
                    tags: r.get("tags")?,
                    function: r.get("function")?,
                    enabled: r.get("enabled")?,
                    comment: r.get("comment")?,
                    privileges: privileges_of(r)?,
                });
                Ok(())
            },
        ),
        (THE_REST, "casts", queries::CASTS, |raw, r| {
            raw.casts.push(RawCast {
                name: r.get("name")?,
                method: r.get("method")?,
                function: r.get("function")?,
                context: r.get("context")?,
                comment: r.get("comment")?,
            });
            Ok(())
        }),
        (
            THE_REST,
            "default privileges",
            queries::DEFAULT_PRIVILEGES,
            |raw, r| {
                raw.default_privileges.push(RawDefaultPrivileges {
                    name: r.get("name")?,
                    role: r.get("role")?,
                    schema: r.get("schema")?,
                    on: r.get("on")?,
                    acl: r.get("acl")?,
                });
                Ok(())
            },
        ),
        (
            THE_REST,
            "foreign-data wrappers",
            queries::FOREIGN_DATA_WRAPPERS,
            |raw, r| {
                raw.foreign_data_wrappers.push(RawForeignDataWrapper {
                    name: r.get("name")?,
                    handler: r.get("handler")?,
                    validator: r.get("validator")?,
                    options: options_of(r)?,
                    comment: r.get("comment")?,
                    privileges: privileges_of(r)?,
                });
                Ok(())
            },
        ),
        (
            THE_REST,
            "foreign servers",
            queries::FOREIGN_SERVERS,
            |raw, r| {
                raw.foreign_servers.push(RawForeignServer {
                    name: r.get("name")?,
                    wrapper: r.get("wrapper")?,
                    server_type: r.get("server_type")?,
                    version: r.get("version")?,
                    options: options_of(r)?,
                    comment: r.get("comment")?,
                    privileges: privileges_of(r)?,
                });
                Ok(())
            },
        ),
        (
            THE_REST,
            "foreign tables",
            queries::FOREIGN_TABLES,
            |raw, r| {
                raw.foreign_tables.push(RawForeignTable {
                    table_oid: r.get("table_oid")?,
                    column: r.get("column_name")?,
                    server: r.get("server")?,
                    options: options_of(r)?,
                });
                Ok(())
            },
        ),
        (
            THE_REST,
            "user mappings",
            queries::USER_MAPPINGS,
            |raw, r| {
                raw.user_mappings.push(RawUserMapping {
                    server: r.get("server")?,
                    role: r.get("role")?,
                    options: options_of(r)?,
                });
                Ok(())
            },
        ),
        (
            THE_REST,
            "subscriptions",
            queries::SUBSCRIPTIONS,
            |raw, r| {
                // The connection string goes no further than this: what is
                // kept has no secret in it.
                let conninfo: String = r.get("conninfo")?;
                raw.subscriptions.push(RawSubscription {
                    name: r.get("name")?,
                    conninfo: crate::conninfo::settings(&conninfo),
                    publications: r.get("publications")?,
                    enabled: r.get("enabled")?,
                    slot_name: r.get("slot_name")?,
                    binary: r.get("binary")?,
                    streaming: r.get("streaming")?,
                    two_phase: r.get("two_phase")?,
                    disable_on_error: r.get("disable_on_error")?,
                    password_required: r.get("password_required")?,
                    run_as_owner: r.get("run_as_owner")?,
                    origin: r.get("origin")?,
                    failover: r.get("failover")?,
                    synchronous_commit: r.get("synchronous_commit")?,
                    comment: r.get("comment")?,
                    privileges: privileges_of(r)?,
                });
                let target: String = r.get("label_target")?;
                let providers: Vec<String> = r.get("label_providers")?;
                let labels: Vec<String> = r.get("labels")?;
                for (provider, label) in providers.into_iter().zip(labels) {
                    raw.security_labels.push(RawSecurityLabel {
                        schema: None,
                        target: target.clone(),
                        provider,
                        label,
                    });
                }
                Ok(())
            },
        ),
        (
            THE_REST,
            "security labels",
            queries::SECURITY_LABELS,
            |raw, r| {
                raw.security_labels.push(RawSecurityLabel {
                    schema: r.get("schema")?,
                    target: r.get("target")?,
                    provider: r.get("provider")?,
                    label: r.get("label")?,
                });
                Ok(())
            },
        ),
        (
            THE_REST,
            "access methods",
            queries::ACCESS_METHODS,
            |raw, r| {
                raw.access_methods.push(RawAccessMethod {
                    name: r.get("name")?,
                    kind: r.get("kind")?,
                    handler: r.get("handler")?,
                    comment: r.get("comment")?,
                });
                Ok(())
            },
        ),
        (THE_REST, "languages", queries::LANGUAGES, |raw, r| {
            raw.languages.push(RawLanguage {
                name: r.get("name")?,
                trusted: r.get("trusted")?,
                handler: r.get("handler")?,
                inline: r.get("inline")?,
                validator: r.get("validator")?,
                comment: r.get("comment")?,
                privileges: privileges_of(r)?,
            });
            Ok(())
        }),
        (THE_REST, "transforms", queries::TRANSFORMS, |raw, r| {
            raw.transforms.push(RawTransform {
                type_name: r.get("type")?,
                language: r.get("language")?,
                from_sql: r.get("from_sql")?,
                to_sql: r.get("to_sql")?,
                comment: r.get("comment")?,
            });
            Ok(())
        }),
        (THE_REST, "publications", queries::PUBLICATIONS, |raw, r| {
            raw.publications.push(publication_row(r)?);
            Ok(())
        }),
        (
            THE_REST,
            "publication tables",
            queries::PUBLICATION_TABLES,
            |raw, r| {
                raw.publication_tables.push(RawPublicationTable {
                    publication: r.get("publication")?,
                    table: r.get("table_name")?,
                    columns: r.get("columns")?,
                    row_filter: r.get("row_filter")?,
                });
                Ok(())
            },
        ),
        (
            THE_REST,
            "what is not compared",
            queries::NOT_COMPARED,
            |raw, r| {
                let row = (r.get("schema")?, r.get("kind")?, r.get("count")?);
                raw.not_compared.push(row);
                Ok(())
            },
        ),
    ];
    let queries: Vec<Query> = table
        .iter()
        .filter(|&&(_, _, sql, _)| read_subscriptions || sql != queries::SUBSCRIPTIONS)
        .map(|&(group, what, sql, push)| Query {
            group,
            what,
            sql: lazy_query(&adapt_query(sql, version_num), lazy),
            push,
            hash_joins: [queries::COLUMNS, queries::CONSTRAINTS].contains(&sql),
        })
        .collect();
    let next_group = AtomicUsize::new(0);
    let progress = crate::progress::Progress::new(queries.len(), ("read", "catalog queries"));
    let jobs = Jobs {
        queries: &queries,
        next: &next_group,
        params: &params,
        fail: &fail,
        progress: &progress,
    };
    // The first connection starts at once; helpers join in when connected
    // and in the exported snapshot. A helper that cannot connect or import
    // the snapshot takes no work, and the others do it.
    let helper = |snapshot: String| {
        let (jobs, settings) = (&jobs, &settings);
        async move {
            let Ok((c, conn)) = connect::connect(target, opts.connect_timeout).await else {
                return Ok(Raw::default());
            };
            let begun = c
                .batch_execute(&format!(
                    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\n\
                     SET TRANSACTION SNAPSHOT '{snapshot}';\n{settings}"
                ))
                .await;
            let result = match begun {
                Ok(()) => run_jobs(&c, jobs).await,
                Err(_) => Ok(Raw::default()),
            };
            drop(c);
            let _ = conn.await;
            result
        }
    };
    let helpers = snapshot
        .map(|s| vec![s; opts.connections.clamp(1, GROUPS) - 1])
        .unwrap_or_default()
        .into_iter()
        .map(helper);
    let (mut raw, others) = tokio::try_join!(run_jobs(client, &jobs), try_join_all(helpers))?;
    for other in others {
        raw.absorb(other);
    }
    raw.with_privileges = privs;
    Ok(Read {
        raw,
        version,
        environment,
        also,
    })
}

/// A catalog query of a lazy read ([`introspect_lazy`]) when `lazy`: the
/// queries mark where they choose between deparsing and reading a tree
/// with `/*lazy*/false`, which becomes `true`.
fn lazy_query(sql: &str, lazy: bool) -> String {
    if lazy {
        sql.replace("/*lazy*/false", "true")
    } else {
        sql.to_string()
    }
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

/// Puts one row of a catalog query where it belongs in [`Raw`].
type Push = fn(&mut Raw, &mut Fields) -> RowResult<()>;

/// A row whose columns are found by name once per statement, not at every
/// row: a decoder reads a statement's rows in the same order every time,
/// so the k-th read of a row takes the column that the k-th read of the
/// rows before found, when it asks for the same name. Looking up each name
/// in every row cost about 3 % of the client's CPU in a live diff of
/// 10,000 tables.
struct Fields<'a> {
    row: &'a Row,
    /// The names read so far in this statement, in order, and their columns.
    order: &'a mut Vec<(&'static str, usize)>,
    next: usize,
}

impl<'a> Fields<'a> {
    fn new(row: &'a Row, order: &'a mut Vec<(&'static str, usize)>) -> Self {
        Fields {
            row,
            order,
            next: 0,
        }
    }

    /// The value of column `name`, as [`Row::try_get`] gives it.
    fn get<T: tokio_postgres::types::FromSql<'a>>(&mut self, name: &'static str) -> RowResult<T> {
        let k = self.next;
        self.next += 1;
        let names = self.row.columns().iter().map(|c| c.name());
        match column_of(self.order, k, name, names) {
            Some(column) => self.row.try_get(column),
            // The driver's own error for a column the query lacks.
            None => self.row.try_get(name),
        }
    }
}

/// The column that the `k`-th read of a row, of `name`, takes: the one the
/// `k`-th read found before if it asked for the same name, else the one
/// `names` (the statement's columns) has under that name, which from then
/// on is the `k`-th read's. `None` when there is no such column.
fn column_of<'n>(
    order: &mut Vec<(&'static str, usize)>,
    k: usize,
    name: &'static str,
    mut names: impl Iterator<Item = &'n str>,
) -> Option<usize> {
    match order.get(k) {
        Some(&(seen, column)) if std::ptr::eq(seen, name) || seen == name => Some(column),
        _ => {
            let column = names.position(|n| n == name)?;
            order.truncate(k);
            order.push((name, column));
            Some(column)
        }
    }
}

/// A catalog query, adapted to the server.
struct Query {
    /// `DEPARSING` or `THE_REST`.
    group: usize,
    /// What it reads, for errors.
    what: &'static str,
    sql: String,
    push: Push,
    /// Planned with hash joins only (`enable_nestloop` off): a query that
    /// reads every row of large catalogs, whose row estimates can tempt
    /// the planner into a probe per row.
    hash_joins: bool,
}

/// The catalog queries shared by the connections that run them.
struct Jobs<'a> {
    queries: &'a [Query],
    next: &'a AtomicUsize,
    params: &'a [&'a (dyn ToSql + Sync)],
    fail: &'a (dyn Fn(&str, &tokio_postgres::Error) -> Error + Sync),
    progress: &'a crate::progress::Progress,
}

/// Takes queries off the shared list and runs them on `c` until none is
/// left, decoding rows as they arrive; returns what this connection read.
/// The parameters of every catalog query, as its header says: `$1` only
/// these schemas, `$2` leave these out, `$3` read owners and grants.
const PARAM_TYPES: [Type; 3] = [Type::TEXT_ARRAY, Type::TEXT_ARRAY, Type::BOOL];

async fn run_jobs(c: &Client, jobs: &Jobs<'_>) -> Result<Raw> {
    let mut raw = Raw::default();
    loop {
        let g = jobs.next.fetch_add(1, Ordering::Relaxed);
        if g >= GROUPS {
            return Ok(raw);
        }
        for q in jobs.queries.iter().filter(|q| q.group == g) {
            let (what, push) = (q.what, q.push);
            let reading = |e: tokio_postgres::Error| (jobs.fail)(&format!("reading {what}"), &e);
            if q.hash_joins {
                c.batch_execute("SET LOCAL enable_nestloop = off")
                    .await
                    .map_err(reading)?;
            }
            // Typed, so that a query may leave a parameter out (an object
            // of the database reads `$1` and `$3` but not `$2`).
            let stmt = c
                .prepare_typed(&q.sql, &PARAM_TYPES)
                .await
                .map_err(reading)?;
            let rows = c
                .query_raw(&stmt, jobs.params.iter().copied())
                .await
                .map_err(reading)?;
            futures_util::pin_mut!(rows);
            let mut order = Vec::new();
            while let Some(row) = rows.try_next().await.map_err(reading)? {
                push(&mut raw, &mut Fields::new(&row, &mut order))
                    .map_err(|e| (jobs.fail)(&format!("decoding {what}"), &e))?;
            }
            if q.hash_joins {
                c.batch_execute("RESET enable_nestloop")
                    .await
                    .map_err(reading)?;
            }
            jobs.progress.step(what);
        }
    }
}

/// The groups of catalog queries that connections take, each group run in
/// order on one connection.
///
/// PostgreSQL deparses an expression that names columns (a CHECK, an index
/// predicate or expression, a trigger's WHEN, a policy) only after it has
/// opened the table and built its relation cache entry, which costs more
/// than the deparsing. A backend builds an entry once and keeps it, so the
/// queries that deparse such expressions share a connection (`DEPARSING`):
/// on 10,000 tables, spreading them over three connections cost 0.35 s more
/// server time. The other group, the rest of the work, runs beside it.
const GROUPS: usize = 2;
const DEPARSING: usize = 0;
const THE_REST: usize = 1;

/// The `SET LOCAL`s of every reading transaction.
///
/// No parallel workers: a worker is another backend that builds its own
/// catalog caches, and on 10,000 tables the columns query's two workers
/// cost 0.3-0.4 s more server CPU than they saved, for no gain in time
/// when the cores are busy (two live databases compared, a fleet checked
/// with `--jobs`). Nor should a drift check take workers that the
/// database's own queries could use.
fn session_settings(opts: &Options) -> String {
    format!(
        "SET LOCAL statement_timeout = {};\n\
         SET LOCAL lock_timeout = {};\n\
         SET LOCAL search_path = '';\n\
         SET LOCAL timezone = 'UTC';\n\
         SET LOCAL datestyle = 'ISO, YMD';\n\
         SET LOCAL intervalstyle = 'postgres';\n\
         SET LOCAL extra_float_digits = 3;\n\
         SET LOCAL quote_all_identifiers = off;\n\
         SET LOCAL work_mem = '64MB';\n\
         SET LOCAL max_parallel_workers_per_gather = 0;",
        opts.statement_timeout.as_millis().max(1),
        opts.lock_timeout.as_millis().max(1),
    )
}

type RowResult<T> = std::result::Result<T, tokio_postgres::Error>;

/// A row's `option_names` and `option_values` (`pg_options_to_table`) as
/// a map, the value of an option that may be a secret replaced where it is
/// read (`redact::option_value`): it goes no further.
fn options_of(r: &mut Fields) -> RowResult<std::collections::BTreeMap<String, String>> {
    let names: Vec<String> = r.get("option_names")?;
    let values: Vec<String> = r.get("option_values")?;
    Ok(names
        .into_iter()
        .zip(values)
        .map(|(k, v)| {
            let v = crate::redact::option_value(&k, v);
            (k, v)
        })
        .collect())
}

fn privileges_of(r: &mut Fields) -> RowResult<RawPrivileges> {
    Ok(RawPrivileges {
        owner: r.get("owner")?,
        acl: r.get("acl")?,
    })
}

/// A row of `base_types.sql`: every column is read, a shell's too, so
/// that each row reads its columns in the same order.
fn base_type_row(r: &mut Fields) -> RowResult<RawBaseType> {
    let schema = r.get("schema")?;
    let name = r.get("name")?;
    let shell: bool = r.get("shell")?;
    let input: Option<String> = r.get("input")?;
    let output: Option<String> = r.get("output")?;
    let base = BaseType {
        input: input.unwrap_or_default(),
        output: output.unwrap_or_default(),
        receive: r.get("receive")?,
        send: r.get("send")?,
        typmod_in: r.get("typmod_in")?,
        typmod_out: r.get("typmod_out")?,
        analyze: r.get("analyze")?,
        subscript: r.get("subscript")?,
        internal_length: r.get("internal_length")?,
        passed_by_value: r.get("passed_by_value")?,
        alignment: r.get("alignment")?,
        storage: r.get("storage")?,
        category: r.get("category")?,
        preferred: r.get("preferred")?,
        default: r.get("default")?,
        element: r.get("element")?,
        delimiter: r.get("delimiter")?,
        collatable: r.get("collatable")?,
        comment: None,
        privileges: Default::default(),
    };
    Ok(RawBaseType {
        schema,
        name,
        definition: (!shell).then_some(base),
        comment: r.get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn schema_row(r: &mut Fields) -> RowResult<RawSchema> {
    Ok(RawSchema {
        name: r.get("name")?,
        comment: r.get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn extension_row(r: &mut Fields) -> RowResult<RawExtension> {
    Ok(RawExtension {
        name: r.get("name")?,
        version: r.get("version")?,
        schema: r.get("schema")?,
        default_version: r.get("default_version")?,
    })
}

fn publication_row(r: &mut Fields) -> RowResult<RawPublication> {
    Ok(RawPublication {
        name: r.get("name")?,
        all_tables: r.get("all_tables")?,
        publish_insert: r.get("publish_insert")?,
        publish_update: r.get("publish_update")?,
        publish_delete: r.get("publish_delete")?,
        publish_truncate: r.get("publish_truncate")?,
        via_partition_root: r.get("via_partition_root")?,
        generated_columns: r.get("generated_columns")?,
        schemas: r.get("schemas")?,
        comment: r.get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn relation_row(r: &mut Fields) -> RowResult<RawRelation> {
    Ok(RawRelation {
        oid: r.get("oid")?,
        schema: r.get("schema")?,
        name: r.get("name")?,
        kind: r.get("kind")?,
        persistence: r.get("persistence")?,
        rls_enabled: r.get("rls_enabled")?,
        rls_forced: r.get("rls_forced")?,
        partition_key: r.get("partition_key")?,
        partition_parent: r.get("partition_parent")?,
        partition_bound: r.get("partition_bound")?,
        inherits: r.get("inherits")?,
        options: r.get("options")?,
        access_method: r.get("access_method")?,
        of_type: r.get("of_type")?,
        clustered_on: r.get("clustered_on")?,
        replica_identity: r.get("replica_identity")?,
        definition: r.get("definition")?,
        definition_tree: r
            .get::<Option<&str>>("definition_tree")?
            .map(tree::Tree::read),
        comment: r.get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn named_oid_row(r: &mut Fields) -> RowResult<(u32, Option<String>)> {
    Ok((r.get("oid")?, r.get("name")?))
}

fn column_row(r: &mut Fields) -> RowResult<RawColumn> {
    Ok(RawColumn {
        table_oid: r.get("table_oid")?,
        position: r.get("position")?,
        name: r.get("name")?,
        data_type: r.get("type")?,
        not_null: r.get("not_null")?,
        default: None,
        identity: r.get("identity")?,
        generated: r.get("generated")?,
        collation_oid: r.get("collation_oid")?,
        type_collation_oid: r.get("type_collation_oid")?,
        storage: r.get("storage")?,
        compression: r.get("compression")?,
        statistics: r.get("statistics")?,
        options: r.get::<Option<Vec<String>>>("options")?.unwrap_or_default(),
        comment: None,
        grants: Vec::new(),
    })
}

fn identity_row(r: &mut Fields) -> RowResult<RawIdentity> {
    Ok(RawIdentity {
        table_oid: r.get("table_oid")?,
        position: r.get("position")?,
        sequence: sequence_options(r)?,
    })
}

/// The options of a sequence, as `sequences.sql` and `identities.sql` name them.
fn sequence_options(r: &mut Fields) -> RowResult<SequenceOptions> {
    Ok(SequenceOptions {
        data_type: r.get("data_type")?,
        start: r.get("start")?,
        increment: r.get("increment")?,
        min_value: r.get("min_value")?,
        max_value: r.get("max_value")?,
        cache: r.get("cache")?,
        cycle: r.get("cycle")?,
    })
}

fn constraint_row(r: &mut Fields) -> RowResult<RawConstraint> {
    Ok(RawConstraint {
        table_oid: r.get("table_oid")?,
        name: r.get("name")?,
        kind: r.get("kind")?,
        definition: r.get("definition")?,
        tree: r.get::<Option<&str>>("tree")?.map(tree::Tree::read),
        oid: r.get("oid")?,
        attnums: r.get("attnums")?,
        deferrable: r.get("deferrable")?,
        initially_deferred: r.get("initially_deferred")?,
        validated: r.get("validated")?,
        no_inherit: r.get("no_inherit")?,
        fk_references: r.get("fk_references")?,
        fk_table_oid: r.get("fk_table_oid")?,
        fk_attnums: r.get("fk_attnums")?,
        fk_columns_elsewhere: r.get("fk_columns_elsewhere")?,
        on_update: r.get("on_update")?,
        on_delete: r.get("on_delete")?,
        match_type: r.get("match_type")?,
        comment: r.get("comment")?,
    })
}

fn index_row(r: &mut Fields) -> RowResult<RawIndex> {
    Ok(RawIndex {
        table_oid: r.get("table_oid")?,
        name: r.get("name")?,
        method: r.get("method")?,
        unique: r.get("is_unique")?,
        nulls_not_distinct: r.get("nulls_not_distinct")?,
        key_count: r.get("key_count")?,
        attnums: r.get("attnums")?,
        opclass_oids: r.get("opclass_oids")?,
        collation_oids: r.get("collation_oids")?,
        key_options: r.get("key_options")?,
        key_exprs: r.get("key_exprs")?,
        key_type_collations: r.get("key_type_collations")?,
        key_statistics: r.get("key_statistics")?,
        predicate: r.get("predicate")?,
        key_exprs_tree: r
            .get::<Option<&str>>("key_exprs_tree")?
            .map(tree::Tree::read),
        predicate_tree: r
            .get::<Option<&str>>("predicate_tree")?
            .map(tree::Tree::read),
        oid: r.get("oid")?,
        options: r.get("options")?,
        comment: r.get("comment")?,
    })
}

fn sequence_row(r: &mut Fields) -> RowResult<RawSequence> {
    Ok(RawSequence {
        schema: r.get("schema")?,
        name: r.get("name")?,
        options: sequence_options(r)?,
        owned_by: r.get("owned_by")?,
        comment: r.get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn function_row(r: &mut Fields) -> RowResult<RawFunction> {
    Ok(RawFunction {
        schema: r.get("schema")?,
        name: r.get("name")?,
        identity: r.get("identity")?,
        kind: r.get("kind")?,
        arguments: r.get("arguments")?,
        returns: r.get("returns")?,
        language: r.get("language")?,
        volatility: r.get("volatility")?,
        strict: r.get("strict")?,
        security_definer: r.get("security_definer")?,
        leakproof: r.get("leakproof")?,
        parallel: r.get("parallel")?,
        settings: r.get("settings")?,
        cost: r.get("cost")?,
        rows: r.get("rows")?,
        support: r.get("support")?,
        source: r.get("source")?,
        library: r.get("library")?,
        transforms: r.get("transforms")?,
        sql_body_definition: r.get("sql_body_definition")?,
        aggregate: r
            .get::<Option<tokio_postgres::types::Json<crate::model::postgres::Aggregate>>>(
                "aggregate",
            )?
            .map(|j| j.0),
        comment: r.get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn trigger_row(r: &mut Fields) -> RowResult<RawTrigger> {
    Ok(RawTrigger {
        table_oid: r.get("table_oid")?,
        name: r.get("name")?,
        tgtype: r.get("tgtype")?,
        columns: r.get("columns")?,
        function: r.get("function")?,
        args: r.get("args")?,
        nargs: r.get("nargs")?,
        definition: r.get("definition")?,
        when_tree: r.get::<Option<&str>>("when_tree")?.map(tree::Tree::read),
        when_text: None,
        oid: r.get("oid")?,
        enabled: r.get("enabled")?,
        old_table: r.get("old_table")?,
        new_table: r.get("new_table")?,
        is_constraint: r.get("is_constraint")?,
        deferrable: r.get("deferrable")?,
        initially_deferred: r.get("initially_deferred")?,
        comment: r.get("comment")?,
    })
}

fn rule_row(r: &mut Fields) -> RowResult<RawRule> {
    Ok(RawRule {
        table_oid: r.get("table_oid")?,
        name: r.get("name")?,
        definition: r.get("definition")?,
        enabled: r.get("enabled")?,
        comment: r.get("comment")?,
    })
}

fn statistics_row(r: &mut Fields) -> RowResult<RawStatistics> {
    Ok(RawStatistics {
        table_oid: r.get("table_oid")?,
        name: r.get("name")?,
        schema: r.get("schema")?,
        kinds: r.get("kinds")?,
        columns: r.get("columns")?,
        expressions: r.get("expressions")?,
        target: r.get("target")?,
        comment: r.get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn policy_row(r: &mut Fields) -> RowResult<RawPolicy> {
    Ok(RawPolicy {
        table_oid: r.get("table_oid")?,
        name: r.get("name")?,
        command: r.get("command")?,
        permissive: r.get("permissive")?,
        roles: r.get("roles")?,
        using: r.get("using_expr")?,
        with_check: r.get("with_check")?,
        using_tree: r.get::<Option<&str>>("using_tree")?.map(tree::Tree::read),
        with_check_tree: r
            .get::<Option<&str>>("with_check_tree")?
            .map(tree::Tree::read),
        oid: r.get("oid")?,
        comment: r.get("comment")?,
    })
}

fn enum_row(r: &mut Fields) -> RowResult<RawEnum> {
    Ok(RawEnum {
        schema: r.get("schema")?,
        name: r.get("name")?,
        labels: r.get("labels")?,
        comment: r.get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn domain_row(r: &mut Fields) -> RowResult<RawDomain> {
    Ok(RawDomain {
        schema: r.get("schema")?,
        name: r.get("name")?,
        base_type: r.get("base_type")?,
        not_null: r.get("not_null")?,
        default: r.get("default_expr")?,
        collation: r.get("collation")?,
        constraint_names: r.get("constraint_names")?,
        constraint_definitions: r.get("constraint_definitions")?,
        comment: r.get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn composite_row(r: &mut Fields) -> RowResult<RawCompositeType> {
    Ok(RawCompositeType {
        schema: r.get("schema")?,
        name: r.get("name")?,
        attribute_names: r.get("attribute_names")?,
        attribute_types: r.get("attribute_types")?,
        attribute_collations: r.get("attribute_collations")?,
        comment: r.get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn collation_row(r: &mut Fields) -> RowResult<RawCollation> {
    Ok(RawCollation {
        schema: r.get("schema")?,
        name: r.get("name")?,
        provider: r.get("provider")?,
        locale: r.get("locale")?,
        lc_collate: r.get("lc_collate")?,
        lc_ctype: r.get("lc_ctype")?,
        deterministic: r.get("deterministic")?,
        rules: r.get("rules")?,
        comment: r.get("comment")?,
        privileges: privileges_of(r)?,
    })
}

fn operator_row(r: &mut Fields) -> RowResult<RawOperator> {
    Ok(RawOperator {
        schema: r.get("schema")?,
        name: r.get("name")?,
        function: r.get("function")?,
        commutator: r.get("commutator")?,
        negator: r.get("negator")?,
        restrict: r.get("restrict")?,
        join: r.get("join")?,
        hashes: r.get("hashes")?,
        merges: r.get("merges")?,
        comment: r.get("comment")?,
        privileges: privileges_of(r)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_name_once_and_again_when_the_reads_change() {
        let names = ["oid", "name", "kind", "comment"];
        let mut order = Vec::new();
        let read = |order: &mut Vec<_>, reads: &[&'static str]| -> Vec<Option<usize>> {
            reads
                .iter()
                .enumerate()
                .map(|(k, name)| column_of(order, k, name, names.iter().copied()))
                .collect()
        };
        // Read in another order than the statement's.
        assert_eq!(
            read(&mut order, &["name", "oid", "comment"]),
            [Some(1), Some(0), Some(3)]
        );
        assert_eq!(order, [("name", 1), ("oid", 0), ("comment", 3)]);
        // The same reads again take the remembered columns.
        assert_eq!(
            read(&mut order, &["name", "oid", "comment"]),
            [Some(1), Some(0), Some(3)]
        );
        // A row read differently (a read left out) is looked up again from
        // where it differs, and that becomes the order.
        assert_eq!(read(&mut order, &["name", "kind"]), [Some(1), Some(2)]);
        assert_eq!(order, [("name", 1), ("kind", 2)]);
        // A name the statement lacks.
        assert_eq!(read(&mut order, &["name", "owner"]), [Some(1), None]);
        assert_eq!(order, [("name", 1), ("kind", 2)]);
    }

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
