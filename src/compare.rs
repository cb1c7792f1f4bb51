//! Comparing two sources: read both sides (at once where they are
//! independent) and diff them, into the changes alone.
//!
//! The migration tools' own tables are left out of both sides first (unless
//! [`ReadOptions::include_bookkeeping`]) and listed in
//! [`ReadOptions::bookkeeping`].
//!
//! Two live PostgreSQL databases are read lazily: an expression that costs
//! a table's cache entry to deparse stands as a placeholder that is equal
//! on both sides exactly when its text would be (see [`postgres::LazyRead`]).
//! The diff is run, the objects whose placeholders it shows are deparsed in
//! the transactions that read them, and it is run again, until no
//! placeholder is left in it. On a 10,000-table database this spares about
//! a third of the servers' work. Nothing that holds a placeholder leaves
//! this module.

use std::collections::{BTreeMap, HashSet};

use crate::ddl::describe::Side;
use crate::diff::Change;
use crate::error::{Error, Result};
use crate::model::{PgSchema, Snapshot};
use crate::postgres::{self, LazyRead, Pick};
use crate::redact::Dsn;
use crate::source::{self, ReadOptions, Source};

/// Every difference between the two sources, sorted, before ignore rules
/// (see [`crate::diff::diff_snapshots`]).
pub async fn compare(
    expected: &Source,
    actual: &Source,
    opts: &ReadOptions,
) -> Result<Vec<Change>> {
    Ok(compare_with(expected, actual, opts, false).await?.changes)
}

/// [`compare`], and the DDL of each missing and unexpected object, rendered
/// from the side that has it (see [`crate::ddl::describe`]), for reports.
pub async fn compare_described(
    expected: &Source,
    actual: &Source,
    opts: &ReadOptions,
) -> Result<(Vec<Change>, Ddl)> {
    let c = compare_with(expected, actual, opts, true).await?;
    Ok((c.changes, c.ddl))
}

/// DDL texts by [`crate::ddl::describe::key`].
pub type Ddl = BTreeMap<String, String>;

/// What a comparison found, for a report.
#[derive(Debug, Default)]
pub struct Compared {
    /// Every difference, sorted, before ignore rules.
    pub changes: Vec<Change>,
    /// The DDL of missing and unexpected objects, when asked for.
    pub ddl: Ddl,
    /// What was not compared, by kind (see [`crate::diff::not_compared`]).
    pub not_compared: BTreeMap<String, u64>,
}

/// [`compare`], with what was not compared, and the DDL of missing and
/// unexpected objects when `describe` (see [`compare_described`]).
pub async fn compare_with(
    expected: &Source,
    actual: &Source,
    opts: &ReadOptions,
    describe: bool,
) -> Result<Compared> {
    let (Source::Postgres(e), Source::Postgres(a)) = (expected, actual) else {
        let (mut e, mut a) = read_pair(expected, actual, opts).await?;
        set_aside(&mut e, &mut a, opts);
        let mut changes = crate::diff::diff_snapshots(&e, &a);
        crate::expected::annotate(&mut changes, &e, &a);
        let ddl = if describe {
            crate::ddl::describe::ddl_of_changes(&changes, &e, &a)
        } else {
            Ddl::new()
        };
        let not_compared = crate::diff::not_compared(&e, &a);
        discard((e, a));
        return Ok(Compared {
            changes,
            ddl,
            not_compared,
        });
    };
    // Two live databases read at once already keep the CPUs busy: one
    // connection each spends less (each backend builds its own caches) and
    // finishes sooner.
    let mut o = source::pg_options(opts);
    o.connections = opts.pg_connections.unwrap_or(1);
    let (e, a) = both(e, a, move |url: Dsn| {
        let o = o.clone();
        async move { postgres::introspect_lazy(&url, &o).await }
    })
    .await;
    let ((mut es, ev, mut el), (mut as_, av, mut al)) = match (e, a) {
        (Ok(e), Ok(a)) => (e, a),
        (Err(err), other) | (other @ Ok(_), Err(err)) => {
            if let Ok((_, _, lazy)) = other {
                lazy.finish().await;
            }
            return Err(err);
        }
    };
    if !opts.include_bookkeeping {
        let found = crate::history::set_aside_pg(&mut es, &mut as_, &renamed(opts));
        opts.bookkeeping.record(found);
    }
    let eq = crate::equiv::Equiv::new(Some(ev.as_str()), Some(av.as_str()));
    let result = settle(&mut es, &mut el, &mut as_, &mut al, &eq).await;
    tokio::join!(el.finish(), al.finish());
    let result = result.map(|changes| {
        // A text still a placeholder is left out (the fields say more).
        let ddl = if describe {
            fn side<'a>(pg: &'a PgSchema, version: &'a str) -> Side<'a> {
                Side {
                    postgres: Some(pg),
                    neo4j: None,
                    server_version: Some(version),
                }
            }
            crate::ddl::describe::ddl_of_sides(&changes, side(&es, &ev), side(&as_, &av))
        } else {
            Ddl::new()
        };
        let mut not_compared = es.not_compared_total();
        for (kind, n) in as_.not_compared_total() {
            let max: &mut u64 = not_compared.entry(kind).or_default();
            *max = (*max).max(n);
        }
        Compared {
            changes,
            ddl,
            not_compared,
        }
    });
    discard((es, as_));
    result
}

/// Both sources read whole, with every text in full (never a
/// placeholder), and every difference between them, sorted, before ignore
/// rules: for what needs the models themselves, such as a fix script.
pub async fn compare_models(
    expected: &Source,
    actual: &Source,
    opts: &ReadOptions,
) -> Result<(Snapshot, Snapshot, Vec<Change>)> {
    let (mut e, mut a) = read_pair(expected, actual, opts).await?;
    set_aside(&mut e, &mut a, opts);
    let mut changes = crate::diff::diff_snapshots(&e, &a);
    crate::expected::annotate(&mut changes, &e, &a);
    Ok((e, a, changes))
}

/// Leave the migration tools' own tables (and neo4j-migrations' schema) out of
/// both sides, unless `opts` asks to compare them; what was left out goes to
/// `opts.bookkeeping` for the report (see [`crate::history::set_aside`]).
fn set_aside(e: &mut Snapshot, a: &mut Snapshot, opts: &ReadOptions) {
    if !opts.include_bookkeeping {
        let found = crate::history::set_aside(e, a, &renamed(opts));
        opts.bookkeeping.record(found);
    }
}

/// The history table a configuration renamed or moved, recognised by its layout.
fn renamed(opts: &ReadOptions) -> Vec<crate::history::TableName> {
    opts.history_table.iter().cloned().collect()
}

/// Diff two lazily read schemas until no placeholder is left in the
/// changes, deparsing (on both sides) every pending object of each table
/// a placeholder in the changes belongs to.
async fn settle(
    es: &mut PgSchema,
    el: &mut LazyRead,
    as_: &mut PgSchema,
    al: &mut LazyRead,
    eq: &crate::equiv::Equiv,
) -> Result<Vec<Change>> {
    // Placeholders are shared only by servers that print alike.
    let mut everything = el.environment() != al.environment();
    let mut round = 0;
    loop {
        round += 1;
        if everything {
            let (re, ra) = tokio::join!(el.resolve(es, Pick::All), al.resolve(as_, Pick::All));
            re?;
            ra?;
        }
        let mut changes = crate::diff::postgres::diff_with(es, as_, eq);
        crate::diff::sort_changes(&mut changes);
        let tables = placeholder_tables(&changes);
        if tables.is_empty() || el.pending() + al.pending() == 0 {
            return Ok(changes);
        }
        let (re, ra) = tokio::join!(
            el.resolve(es, Pick::Tables(&tables)),
            al.resolve(as_, Pick::Tables(&tables))
        );
        // A placeholder of no pending object (text that merely looks like
        // one): deparse everything left, and the next diff is final. So
        // after a few rounds, which resolving a table at a time never needs.
        everything = re? + ra? == 0 || round >= 3;
    }
}

/// The tables (schema, name) of the placeholders in `changes`.
fn placeholder_tables(changes: &[Change]) -> HashSet<(String, String)> {
    fn walk(v: &serde_json::Value, out: &mut HashSet<(String, String)>) {
        match v {
            serde_json::Value::String(s) => {
                let mut found = Vec::new();
                postgres::placeholder_tables(s, &mut found);
                out.extend(
                    found
                        .into_iter()
                        .map(|(s, t)| (s.to_string(), t.to_string())),
                );
            }
            serde_json::Value::Array(items) => items.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(m) => m.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = HashSet::new();
    for c in changes {
        for f in c.fields() {
            walk(&f.expected, &mut out);
            walk(&f.actual, &mut out);
        }
        if let Some(d) = c.definition() {
            walk(&d.to_value(), &mut out);
        }
    }
    out
}

/// Read the two sides of a comparison. When one side is a migrations folder
/// and the other is not, the other side is read first: its server version
/// picks the embedded shadow's PostgreSQL major version, and a live URL is
/// one the `--shadow` server must not be.
pub async fn read_pair(
    expected: &Source,
    actual: &Source,
    opts: &ReadOptions,
) -> Result<(Snapshot, Snapshot)> {
    let mut o = opts.clone();
    for s in [expected, actual] {
        if let Source::Postgres(url) = s {
            o.targets.push(url.clone());
        }
    }
    let is_migrations = |s: &Source| matches!(s, Source::Migrations(_));
    let migrations_side = match (is_migrations(expected), is_migrations(actual)) {
        (true, false) => Some(false),
        (false, true) => Some(true),
        _ => None,
    };
    if let Some(pair) = read_at_applied(expected, actual, &o).await? {
        return Ok(pair);
    }
    // A Cypher folder, or an expected file recording one, and a live Neo4j: in
    // either order, the expected side at the migrations the live side applied.
    match (expected, actual) {
        (cypher, Source::Neo4j(url)) => {
            if let Some((e, a)) = read_neo4j_at_applied(cypher, url, &o).await? {
                return Ok((e, a));
            }
        }
        (Source::Neo4j(url), cypher) => {
            if let Some((e, a)) = read_neo4j_at_applied(cypher, url, &o).await? {
                return Ok((a, e));
            }
        }
        _ => {}
    }
    match migrations_side {
        Some(actual_is_migrations) => {
            let (m, other) = if actual_is_migrations {
                (actual, expected)
            } else {
                (expected, actual)
            };
            let other = source::read(other, opts).await?;
            o.target_version = o.target_version.or(other.server_version.clone());
            let m = source::read(m, &o).await?;
            Ok(if actual_is_migrations {
                (other, m)
            } else {
                (m, other)
            })
        }
        None => {
            let (e, a) = both(expected, actual, move |src: Source| {
                let o = o.clone();
                async move { source::read(&src, &o).await }
            })
            .await;
            Ok((e?, a?))
        }
    }
}

/// A migrations folder, or an expected file that records its migrations, against a
/// live database (either way round) that has the history table of the folder's tool:
/// the live schema and its history read in one transaction, then the folder's (or
/// file's) schema at the applied versions (see [`crate::applied`]), the standing
/// left in `opts.applied`. `None` when neither side is such a pair or the folder's
/// format has no history table; the whole folder (the file as it is) when the
/// database has no such table.
async fn read_at_applied(
    expected: &Source,
    actual: &Source,
    opts: &ReadOptions,
) -> Result<Option<(Snapshot, Snapshot)>> {
    use crate::applied::Recorded;
    use std::sync::Arc;
    let (other, url, live_is_expected) = match (expected, actual) {
        (Source::Migrations(_) | Source::SnapshotFile(_), Source::Postgres(url)) => {
            (expected, url, false)
        }
        (Source::Postgres(url), Source::Migrations(_) | Source::SnapshotFile(_)) => {
            (actual, url, true)
        }
        _ => return Ok(None),
    };
    let in_order = |live: Snapshot, other: Snapshot| {
        Some(if live_is_expected {
            (live, other)
        } else {
            (other, live)
        })
    };
    // A file is read first: whether its record names a history table decides how
    // the database is read. One without (format_version 1) is compared whole.
    let recorded = match other {
        Source::Migrations(dir) => {
            let found = crate::migrations::discover(dir, opts.migrations_format)?;
            let dir = dir.clone();
            Recorded::Folder { dir, found }
        }
        _ => match Recorded::of_file(Arc::new(source::read(other, opts).await?)) {
            Ok(r) => r,
            Err(file) => {
                let live = source::read(&Source::Postgres(url.clone()), opts).await?;
                return Ok(in_order(live, Arc::unwrap_or_clone(file)));
            }
        },
    };
    let Some(spec) = recorded
        .format()
        .and_then(|f| crate::applied::history_spec(f, opts.history_table.as_ref()))
    else {
        // A folder whose tool keeps no history (a file's record always names one).
        return Ok(None);
    };
    let (schema, version, history) =
        crate::history::introspect_with_history(url, &source::pg_options(opts), Some(&spec))
            .await?;
    // The history table stays in `live`: it is left out with every other tool's
    // bookkeeping (see [`set_aside`]).
    let live = source::pg_snapshot(url, schema, version);
    let mut build = source::build_options(opts);
    build.target_version = build.target_version.or(live.server_version.clone());
    let Some(h) = history else {
        let whole = match recorded {
            Recorded::File { snapshot, .. } => Arc::unwrap_or_clone(snapshot),
            Recorded::Folder { dir, found } => {
                crate::expected::build_discovered(&dir, found, &build).await?
            }
        };
        return Ok(in_order(live, whole));
    };
    let mut applied = recorded.classify(&h);
    applied.live_is_expected = live_is_expected;
    let at_applied = match recorded {
        Recorded::File { snapshot, .. } => Arc::unwrap_or_clone(
            crate::applied::expected_from_file(snapshot, &applied, &other.to_string())?,
        ),
        Recorded::Folder { dir, found } => {
            crate::applied::expected_at_applied(&dir, found, &applied, &build).await?
        }
    };
    opts.applied.set(applied);
    Ok(in_order(live, at_applied))
}

/// A Cypher migrations folder, or an expected file that records one, against a live
/// Neo4j: the live schema and neo4j-migrations' chain read together, then the
/// expected schema at the applied migrations, the folder's standing left in
/// `opts.applied` (neo4j-migrations' own constraints and index are bookkeeping, set
/// aside as every tool's, [`crate::history::set_aside`]). `None` when `cypher` is neither; the whole folder when there is no chain.
/// Returns (expected, live).
async fn read_neo4j_at_applied(
    cypher: &Source,
    url: &Dsn,
    opts: &ReadOptions,
) -> Result<Option<(Snapshot, Snapshot)>> {
    use crate::applied::neo4j as n4m;
    let file = match cypher {
        Source::CypherMigrations(_) => None,
        Source::SnapshotFile(path) => {
            let snap = source::read_snapshot_file(path)?;
            if !n4m::records_cypher(&snap) {
                return Ok(None);
            }
            Some((path, snap))
        }
        _ => return Ok(None),
    };
    let neo_opts = crate::neo4j::Options {
        database: opts.neo4j_database.clone(),
        history: Some(opts.neo4j_history.clone()),
        ..Default::default()
    };
    let (schema, version, history) = crate::neo4j::introspect_with_history(url, &neo_opts).await?;
    let live = source::neo4j_snapshot(url, schema, version);
    let Some(h) = history else {
        let expected = match (cypher, file) {
            (_, Some((_, snap))) => snap,
            (Source::CypherMigrations(dir), None) => {
                source::read_cypher_folder(dir, &Default::default())?
            }
            _ => unreachable!("a folder or a file"),
        };
        return Ok(Some((expected, live)));
    };
    let (applied, expected) = match (cypher, file) {
        (_, Some((path, snap))) => {
            let a = n4m::classify_file(&h, &snap).expect("the file records Cypher migrations");
            let e = n4m::file_at_applied(&snap, &a, path)?;
            (a, e)
        }
        (Source::CypherMigrations(dir), None) => {
            let a = n4m::classify_folder(&h, dir)?;
            let e = n4m::folder_at_applied(dir, &a, &Default::default())?;
            (a, e)
        }
        _ => unreachable!("a folder or a file"),
    };
    opts.applied.set(applied);
    Ok(Some((expected, live)))
}

/// `read(expected)` and `read(actual)` at once, each on its own task, so
/// that the two are decoded and assembled on two threads.
async fn both<S, T, F, Fut>(expected: &S, actual: &S, read: F) -> (Result<T>, Result<T>)
where
    S: Clone,
    T: Send + 'static,
    F: Fn(S) -> Fut,
    Fut: std::future::Future<Output = Result<T>> + Send + 'static,
{
    let (e, a) = tokio::join!(
        tokio::spawn(read(expected.clone())),
        tokio::spawn(read(actual.clone()))
    );
    let joined = |r: std::result::Result<Result<T>, tokio::task::JoinError>| {
        r.map_err(|e| Error::Failed(format!("reading a source failed: {e}")))?
    };
    (joined(e), joined(a))
}

/// Free what was read on a thread of its own: two large models are millions
/// of allocations (0.05 s of CPU for two 10,000-table files), and a command
/// that ends next need not wait for them.
fn discard<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}
