//! A SOURCE string -> a snapshot: dispatch on what the string names.

use std::path::Path;

use crate::cli::SchemaFilter;
use crate::error::{Error, Result};
use crate::model::{Snapshot, FORMAT_VERSION};
use crate::postgres;
use crate::redact::redact_url;

/// How to read a live source.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub filter: SchemaFilter,
    pub with_privileges: bool,
    /// The Neo4j database to read (overrides `?database=` in the URL).
    pub neo4j_database: Option<String>,
    /// Migrations folders: replay into a temporary database on this server
    /// instead of an embedded throwaway cluster.
    pub shadow_url: Option<String>,
    /// Migrations folders: the layout (detected when None).
    pub migrations_format: Option<crate::migrations::Format>,
    /// Migrations folders: setup files run before the first migration.
    pub setup: Vec<std::path::PathBuf>,
    /// Migrations folders: the server version of the database the result is
    /// compared with, so the embedded shadow runs the same major version.
    pub target_version: Option<String>,
    /// URLs of the databases being compared: the shadow must not be one.
    pub targets: Vec<String>,
    /// Connections that read a live PostgreSQL database at once (`None`:
    /// the default, see [`postgres::Options::connections`]).
    pub pg_connections: Option<usize>,
    /// Filled with the schema names each PostgreSQL source had before the
    /// filter, to check it names some schema ([`crate::filter`]).
    pub seen: crate::filter::SeenSchemas,
    /// Read every text in full, never as a placeholder (a fix script
    /// writes unchanged objects too: a view created again).
    pub full_text: bool,
}

/// What kind of thing a SOURCE string names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    Postgres,
    SnapshotFile,
    /// `neo4j://`, `neo4j+s://`, `bolt://`, `bolt+s://` (and `+ssc`).
    Neo4j,
    /// A folder of `.cypher` migrations (neo4j-migrations naming).
    Neo4jMigrations,
    /// A folder of SQL migrations, replayed into a shadow database.
    Migrations,
}

pub fn classify(src: &str) -> Result<SourceKind> {
    let lower = src.to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        return Ok(SourceKind::Postgres);
    }
    if crate::neo4j::is_neo4j_url(src) {
        return Ok(SourceKind::Neo4j);
    }
    if crate::neo4j::migrations::is_cypher_folder(Path::new(src)) {
        return Ok(SourceKind::Neo4jMigrations);
    }
    if Path::new(src).is_dir() {
        return Ok(SourceKind::Migrations);
    }
    // Any other existing file is read as a snapshot: a regular file, or a
    // pipe such as `<(cat a.json)`; a special file is named when it fails.
    if lower.ends_with(".json") || std::fs::metadata(src).is_ok() {
        return Ok(SourceKind::SnapshotFile);
    }
    if !src.contains("://") && postgres::conninfo::is_connection_string(src) {
        return Ok(SourceKind::Postgres);
    }
    if let Some((scheme, _)) = src.split_once("://") {
        return Err(Error::Usage(format!(
            "unsupported source scheme `{scheme}://` in {}: expected postgres://, postgresql://, neo4j://, neo4j+s://, bolt://, bolt+s://, a snapshot .json file or a migrations folder",
            redact_url(src)
        )));
    }
    Err(Error::Usage(format!(
        "source `{}` is neither a postgres:// or neo4j:// URL, a PostgreSQL key=value connection string, an existing snapshot file, nor a migrations folder",
        redact_url(src)
    )))
}

/// Read any source into a snapshot.
pub async fn read(src: &str, opts: &ReadOptions) -> Result<Snapshot> {
    match classify(src)? {
        SourceKind::Postgres => {
            let (schema, version) = postgres::introspect(src, &pg_options(opts)).await?;
            Ok(pg_snapshot(src, schema, version))
        }
        SourceKind::Neo4j => {
            let neo_opts = crate::neo4j::Options {
                database: opts.neo4j_database.clone(),
                ..Default::default()
            };
            let (schema, version) = crate::neo4j::introspect(src, &neo_opts).await?;
            Ok(Snapshot {
                format_version: FORMAT_VERSION,
                source: redact_url(src),
                server_version: Some(version),
                taken_at: now_rfc3339(),
                postgres: None,
                neo4j: Some(schema),
            })
        }
        SourceKind::Neo4jMigrations => read_cypher_folder(Path::new(src), &Default::default()),
        SourceKind::Migrations => {
            let build = crate::migrations::BuildOptions {
                format: opts.migrations_format,
                shadow_url: opts.shadow_url.clone(),
                target_version: opts.target_version.clone(),
                targets: opts.targets.clone(),
                setup: opts.setup.clone(),
                introspect: postgres::Options {
                    schemas: opts.filter.schemas.clone(),
                    exclude_schemas: opts.filter.exclude_schemas.clone(),
                    seen: opts.seen.clone(),
                    with_privileges: opts.with_privileges,
                    ..Default::default()
                },
            };
            crate::migrations::build_expected(Path::new(src), &build).await
        }
        SourceKind::SnapshotFile => {
            // Parsing is CPU work: on a blocking thread, so that the two
            // files of a diff are parsed at the same time.
            let path = Path::new(src).to_path_buf();
            let (filter, seen) = (opts.filter.clone(), opts.seen.clone());
            tokio::task::spawn_blocking(move || {
                let mut snap = read_snapshot_file(&path)?;
                apply_schema_filter(&mut snap, &filter, &seen);
                Ok(snap)
            })
            .await
            .map_err(|e| Error::Read {
                path: Path::new(src).to_path_buf(),
                reason: e.to_string(),
            })?
        }
    }
}

fn pg_options(opts: &ReadOptions) -> postgres::Options {
    let defaults = postgres::Options::default();
    postgres::Options {
        schemas: opts.filter.schemas.clone(),
        exclude_schemas: opts.filter.exclude_schemas.clone(),
        seen: opts.seen.clone(),
        with_privileges: opts.with_privileges,
        connections: opts.pg_connections.unwrap_or(defaults.connections),
        ..defaults
    }
}

fn pg_snapshot(src: &str, schema: crate::model::PgSchema, version: String) -> Snapshot {
    Snapshot {
        format_version: FORMAT_VERSION,
        source: redact_url(src),
        server_version: Some(version),
        taken_at: now_rfc3339(),
        postgres: Some(schema),
        neo4j: None,
    }
}

/// Read the two sides of a comparison and compare them: every difference,
/// sorted, before ignore rules (see [`crate::diff::diff_snapshots`]).
///
/// Two live PostgreSQL databases are read lazily: an expression that costs
/// a table's cache entry to deparse stands as a placeholder that is equal
/// on both sides exactly when its text would be (see
/// [`postgres::tree`]). The diff is run, the objects whose placeholders
/// it shows are deparsed in the transactions that read them, and it is run
/// again, until no placeholder is left in it. On a 10,000-table database
/// this spares about a third of the servers' work.
pub async fn compare(
    expected: &str,
    actual: &str,
    opts: &ReadOptions,
) -> Result<(Snapshot, Snapshot, Vec<crate::diff::Change>)> {
    if opts.full_text
        || classify(expected)? != SourceKind::Postgres
        || classify(actual)? != SourceKind::Postgres
    {
        let (e, a) = read_pair(expected, actual, opts).await?;
        let changes = crate::diff::diff_snapshots(&e, &a);
        return Ok((e, a, changes));
    }
    // Two live databases read at once already keep the CPUs busy: one
    // connection each spends less (each backend builds its own caches) and
    // finishes sooner.
    let mut o = pg_options(opts);
    o.connections = opts.pg_connections.unwrap_or(1);
    let (e, a) = both(expected, actual, move |src| {
        let o = o.clone();
        async move { postgres::introspect_lazy(&src, &o).await }
    })
    .await;
    let (e, a) = match (e, a) {
        (Ok(e), Ok(a)) => (e, a),
        (Err(err), other) | (other @ Ok(_), Err(err)) => {
            if let Ok((_, _, lazy)) = other {
                lazy.finish().await;
            }
            return Err(err);
        }
    };
    let ((es, ev, mut el), (as_, av, mut al)) = (e, a);
    let (mut e, mut a) = (pg_snapshot(expected, es, ev), pg_snapshot(actual, as_, av));
    let result = settle(&mut e, &mut el, &mut a, &mut al).await;
    tokio::join!(el.finish(), al.finish());
    Ok((e, a, result?))
}

/// Diff two lazily read snapshots until no placeholder is left in the
/// changes, deparsing (on both sides) every pending object of each table
/// a placeholder in the changes belongs to.
async fn settle(
    e: &mut Snapshot,
    el: &mut postgres::LazyRead,
    a: &mut Snapshot,
    al: &mut postgres::LazyRead,
) -> Result<Vec<crate::diff::Change>> {
    let eq = crate::equiv::Equiv::of(e, a);
    let (Some(es), Some(as_)) = (e.postgres.as_mut(), a.postgres.as_mut()) else {
        return Ok(Vec::new());
    };
    // Placeholders are shared only by servers that print alike.
    let mut everything = el.environment() != al.environment();
    let mut round = 0;
    loop {
        round += 1;
        if everything {
            let (re, ra) = tokio::join!(el.resolve(es, |_| true), al.resolve(as_, |_| true));
            re?;
            ra?;
        }
        let mut changes = crate::diff::postgres::diff_with(es, as_, &eq);
        crate::diff::sort_changes(&mut changes);
        let tables = placeholder_tables(&changes);
        if tables.is_empty() || el.pending() + al.pending() == 0 {
            return Ok(changes);
        }
        let pick = |d: &postgres::decode::Deferred| {
            tables.contains(&(d.schema.as_str(), d.table.as_str()))
        };
        let (re, ra) = tokio::join!(el.resolve(es, pick), al.resolve(as_, pick));
        // A placeholder of no pending object (text that merely looks like
        // one): deparse everything left, and the next diff is final. So
        // after a few rounds, which resolving a table at a time never needs.
        everything = re? + ra? == 0 || round >= 3;
    }
}

/// The tables (schema, name) of the placeholders in `changes`.
fn placeholder_tables(changes: &[crate::diff::Change]) -> std::collections::HashSet<(&str, &str)> {
    fn walk<'a>(v: &'a serde_json::Value, out: &mut Vec<(&'a str, &'a str)>) {
        match v {
            serde_json::Value::String(s) => postgres::tree::tables_in(s, out),
            serde_json::Value::Array(items) => items.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(m) => m.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for c in changes {
        for f in &c.fields {
            walk(&f.expected, &mut out);
            walk(&f.actual, &mut out);
        }
        if let Some(d) = &c.definition {
            walk(d, &mut out);
        }
    }
    out.into_iter().collect()
}

/// Read the two sides of a comparison. When one side is a migrations folder
/// and the other is not, the other side is read first: its server version
/// picks the embedded shadow's PostgreSQL major version, and a live URL is
/// one the `--shadow` server must not be.
pub async fn read_pair(
    expected: &str,
    actual: &str,
    opts: &ReadOptions,
) -> Result<(Snapshot, Snapshot)> {
    let (ke, ka) = (classify(expected)?, classify(actual)?);
    let mut o = opts.clone();
    for (s, k) in [(expected, &ke), (actual, &ka)] {
        if *k == SourceKind::Postgres {
            o.targets.push(s.to_string());
        }
    }
    let migrations_side = match (&ke, &ka) {
        (SourceKind::Migrations, k) if *k != SourceKind::Migrations => Some(false),
        (k, SourceKind::Migrations) if *k != SourceKind::Migrations => Some(true),
        _ => None,
    };
    match migrations_side {
        Some(actual_is_migrations) => {
            let (m, other) = if actual_is_migrations {
                (actual, expected)
            } else {
                (expected, actual)
            };
            let other = read(other, opts).await?;
            o.target_version = o.target_version.or(other.server_version.clone());
            let m = read(m, &o).await?;
            Ok(if actual_is_migrations {
                (other, m)
            } else {
                (m, other)
            })
        }
        None => {
            let (e, a) = both(expected, actual, move |src| {
                let o = o.clone();
                async move { read(&src, &o).await }
            })
            .await;
            Ok((e?, a?))
        }
    }
}

/// `read(expected)` and `read(actual)` at once, each on its own task, so
/// that the two are decoded and assembled on two threads.
async fn both<T, F, Fut>(expected: &str, actual: &str, read: F) -> (Result<T>, Result<T>)
where
    T: Send + 'static,
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<T>> + Send + 'static,
{
    let (e, a) = tokio::join!(
        tokio::spawn(read(expected.to_string())),
        tokio::spawn(read(actual.to_string()))
    );
    let joined = |r: std::result::Result<Result<T>, tokio::task::JoinError>| {
        r.map_err(|e| Error::Usage(format!("reading a source failed: {e}")))?
    };
    (joined(e), joined(a))
}

/// Let the allocator grow its heaps in large steps before large snapshot
/// files are parsed. Parsing makes millions of small allocations on worker
/// threads, and glibc grows a thread's arena a page at a time, one
/// `mprotect` call per step: 66,000 calls, a third of the parse time, for two
/// 49 MB files. With a top pad as large as an arena's heap (64 MiB), each
/// heap is made usable at once. Only the address space grows: pages are
/// still touched, and counted, as they are used.
pub fn allocate_in_large_steps() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tuning parameter of glibc's malloc.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}

/// Apply `--schema`/`--exclude-schema` to a loaded snapshot as introspection
/// applies them to a live database (names or globs; extensions are
/// database-wide and kept), so a file and a live source filtered alike
/// compare alike. The names it had are recorded in `seen`.
pub fn apply_schema_filter(
    snap: &mut Snapshot,
    filter: &SchemaFilter,
    seen: &crate::filter::SeenSchemas,
) {
    if let Some(pg) = snap.postgres.as_mut() {
        if filter.schemas.is_empty() && filter.exclude_schemas.is_empty() {
            return;
        }
        seen.record(pg.schemas.keys());
        pg.schemas.retain(|name, _| {
            crate::filter::selects(&filter.schemas, &filter.exclude_schemas, name)
        });
    }
}

/// The expected Neo4j schema of a folder of Cypher migrations. Like a
/// replayed SQL folder it depends on the files only: a fixed `taken_at`.
pub fn read_cypher_folder(
    dir: &Path,
    opts: &crate::neo4j::migrations::FoldOptions,
) -> Result<Snapshot> {
    let (schema, _stats) = crate::neo4j::migrations::expected_from_folder_with(dir, opts)?;
    Ok(Snapshot {
        source: crate::migrations::source_name(dir),
        taken_at: crate::migrations::MIGRATIONS_TAKEN_AT.to_string(),
        neo4j: Some(schema),
        ..Snapshot::empty()
    })
}

/// Read and validate a snapshot file.
pub fn read_snapshot_file(path: &Path) -> Result<Snapshot> {
    let kind = special_kind(path);
    if let Some(what @ ("a directory" | "a socket")) = kind {
        return Err(Error::Read {
            path: path.to_path_buf(),
            reason: format!("it is {what}, not a snapshot file"),
        });
    }
    let read_error = |e: std::io::Error| Error::Read {
        path: path.to_path_buf(),
        reason: match kind {
            Some(what) => format!("it is {what} ({e})"),
            None => e.to_string(),
        },
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    if let Some(map) = MappedFile::new(&file) {
        let text = std::str::from_utf8(map.bytes()).map_err(|_| {
            read_error(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "stream did not contain valid UTF-8",
            ))
        })?;
        return parse_snapshot(path, text);
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut &file, &mut text).map_err(read_error)?;
    parse_snapshot(path, &text)
}

/// What a path that is not a regular file is, for messages (None for a
/// regular file, or when it cannot be looked at: opening it says why).
fn special_kind(path: &Path) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = std::fs::metadata(path).ok()?.file_type();
    Some(if t.is_dir() {
        "a directory"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_fifo() {
        "a pipe"
    } else {
        return None;
    })
}

/// A regular file mapped read-only into memory. Parsing a large snapshot
/// from the page cache's own pages spares copying it into fresh memory, a
/// page fault per 4 KiB: 50 ms of the 49 MB file's 0.3 s. The files are
/// written whole, by rename, so the mapping does not change under the parse
/// (a file truncated in place meanwhile would end the process with SIGBUS).
struct MappedFile {
    ptr: *mut libc::c_void,
    len: usize,
}

impl MappedFile {
    /// None for what cannot be mapped (an empty file, a pipe): read it instead.
    fn new(file: &std::fs::File) -> Option<MappedFile> {
        use std::os::fd::AsRawFd;
        let meta = file.metadata().ok()?;
        let len = usize::try_from(meta.len()).ok()?;
        if !meta.is_file() || len == 0 {
            return None;
        }
        // SAFETY: a fresh private read-only mapping of an open file; it is
        // only read through `bytes` and unmapped once, on drop.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_POPULATE,
                file.as_raw_fd(),
                0,
            )
        };
        (ptr != libc::MAP_FAILED).then_some(MappedFile { ptr, len })
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: `ptr` maps `len` readable bytes for as long as `self` lives.
        unsafe { std::slice::from_raw_parts(self.ptr.cast::<u8>(), self.len) }
    }
}

impl Drop for MappedFile {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping made in `new`, once.
        unsafe {
            libc::munmap(self.ptr, self.len);
        }
    }
}

pub fn parse_snapshot(path: &Path, text: &str) -> Result<Snapshot> {
    let bad = |reason: String| Error::BadSnapshot {
        path: path.to_path_buf(),
        reason,
    };
    let unsupported = |v: u64| {
        bad(format!(
            "format_version {v} is not supported (this schemadrift reads version {FORMAT_VERSION})"
        ))
    };
    // One pass in the common case; the file is looked at again only to
    // explain a failure (a newer format is the likeliest cause).
    match serde_json::from_str::<Snapshot>(text) {
        Ok(snap) if snap.format_version == FORMAT_VERSION => Ok(snap),
        Ok(snap) => Err(unsupported(u64::from(snap.format_version))),
        Err(e) if !e.is_syntax() && !e.is_eof() && json_kind(text).is_some() => Err(bad(format!(
            "it is {}, not a snapshot object (`{{\"format_version\": {FORMAT_VERSION}, ...}}`)",
            json_kind(text).unwrap_or_default()
        ))),
        Err(e) => {
            #[derive(serde::Deserialize)]
            struct Version {
                format_version: Option<serde_json::Value>,
            }
            match serde_json::from_str::<Version>(text) {
                Err(_) if e.is_syntax() || e.is_eof() => Err(bad(format!(
                    "invalid JSON at line {} column {}: {}",
                    e.line(),
                    e.column(),
                    strip_pos(&e)
                ))),
                Ok(Version {
                    format_version: Some(v),
                }) if v.as_u64() != Some(u64::from(FORMAT_VERSION)) => match v.as_u64() {
                    Some(n) => Err(unsupported(n)),
                    None => Err(bad("its `format_version` is not a number".into())),
                },
                Ok(Version {
                    format_version: None,
                }) => Err(bad("it has no numeric `format_version` field".into())),

                _ => Err(bad(format!(
                    "{} (line {} column {})",
                    strip_pos(&e),
                    e.line(),
                    e.column()
                ))),
            }
        }
    }
}

/// What a JSON text that is valid but not an object holds, from its first
/// character (None for an object).
fn json_kind(text: &str) -> Option<&'static str> {
    Some(match text.trim_start().chars().next()? {
        '[' => "a JSON array",
        '"' => "a JSON string",
        't' | 'f' => "a JSON boolean",
        'n' => "JSON null",
        '-' | '0'..='9' => "a JSON number",
        _ => return None,
    })
}

fn strip_pos(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// The current time as RFC 3339 UTC with whole seconds.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}
