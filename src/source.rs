//! A SOURCE -> a snapshot. What the text of a SOURCE names is decided once,
//! where it enters the program, into a [`Source`], whose only display is
//! redacted; reading dispatches on it.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Snapshot, FORMAT_VERSION, NEWEST_FORMAT_VERSION};
use crate::postgres;
use crate::redact::Dsn;

/// `--schema` and `--exclude-schema`: which schemas of a PostgreSQL source
/// to read (exact names).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaFilter {
    /// Only these schemas (every non-system schema when empty).
    pub schemas: Vec<String>,
    /// Never these.
    pub exclude_schemas: Vec<String>,
}

/// How to read a live source.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub filter: SchemaFilter,
    pub with_privileges: bool,
    /// The Neo4j database to read (overrides `?database=` in the URL).
    pub neo4j_database: Option<String>,
    /// Migrations folders: replay into a temporary database on this server
    /// instead of an embedded throwaway cluster.
    pub shadow_url: Option<Dsn>,
    /// Migrations folders: the layout (detected when None).
    pub migrations_format: Option<crate::migrations::Format>,
    /// Migrations folders: setup files run before the first migration.
    pub setup: Vec<std::path::PathBuf>,
    /// Migrations folders: the server version of the database the result is
    /// compared with, so the embedded shadow runs the same major version.
    pub target_version: Option<String>,
    /// The databases being compared: the shadow must not be one.
    pub targets: Vec<Dsn>,
    /// Connections that read a live PostgreSQL database at once (`None`:
    /// the default, see [`postgres::Options::connections`]).
    pub pg_connections: Option<usize>,
    /// Filled with the schema names each PostgreSQL source had before the
    /// filter, to check it names some schema ([`crate::filter`]).
    pub seen: crate::filter::SeenSchemas,
    /// Migrations folders against a live database: the history table, when not the
    /// tool's default.
    pub history_table: Option<crate::history::TableName>,
    /// Filled with the folder against the live database's history table, when a
    /// comparison read one ([`crate::compare::read_pair`]).
    pub applied: crate::applied::Slot,
    /// Cypher migrations against a live Neo4j: where neo4j-migrations keeps its chain.
    pub neo4j_history: crate::history::Neo4jChain,
    /// Comparisons: compare the migration tools' own tables too, rather than
    /// leave them out of both sides ([`crate::history::set_aside`]).
    pub include_bookkeeping: bool,
    /// Comparisons: filled with what was left out as bookkeeping.
    pub bookkeeping: crate::history::SetAsideLog,
}

/// What a SOURCE names. `Display` shows it without any password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A live PostgreSQL: a `postgres://` URL or a libpq `key=value` string.
    Postgres(Dsn),
    /// A live Neo4j: `neo4j://`, `neo4j+s://`, `bolt://`, `bolt+s://` (and `+ssc`).
    Neo4j(Dsn),
    /// A snapshot file.
    SnapshotFile(PathBuf),
    /// A folder of SQL migrations, replayed into a shadow database.
    Migrations(PathBuf),
    /// A folder of `.cypher` migrations (neo4j-migrations naming).
    CypherMigrations(PathBuf),
}

impl Source {
    /// Decide what `text` names: a URL by its scheme, an existing folder by
    /// its files, a `.json` or other existing file, then libpq `key=value`
    /// text (anything with an `=`, as libpq decides).
    /// What is none of these is a usage error that shows it redacted.
    pub fn parse(text: &str) -> Result<Source> {
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            return Ok(Source::Postgres(Dsn::new(text)));
        }
        if crate::neo4j::is_neo4j_url(text) {
            return Ok(Source::Neo4j(Dsn::new(text)));
        }
        let path = Path::new(text);
        if crate::neo4j::migrations::is_cypher_folder(path) {
            return Ok(Source::CypherMigrations(path.to_path_buf()));
        }
        if path.is_dir() {
            return Ok(Source::Migrations(path.to_path_buf()));
        }
        // Any other existing file is read as a snapshot: a regular file, or a
        // pipe such as `<(cat a.json)`; a special file is named when it fails.
        if lower.ends_with(".json") || std::fs::metadata(path).is_ok() {
            return Ok(Source::SnapshotFile(path.to_path_buf()));
        }
        let shown = Dsn::new(text);
        if !text.contains("://") && crate::conninfo::is_connection_string(text) {
            return Ok(Source::Postgres(shown));
        }
        if let Some((scheme, _)) = text.split_once("://") {
            return Err(Error::Usage(format!(
                "unsupported source scheme `{}://` in {shown}: expected postgres://, postgresql://, neo4j://, neo4j+s://, bolt://, bolt+s://, a snapshot .json file or a migrations folder",
                crate::redact::redact(scheme)
            )));
        }
        Err(Error::Usage(format!(
            "source `{shown}` is neither a postgres:// or neo4j:// URL, a PostgreSQL key=value connection string, an existing snapshot file, nor a migrations folder"
        )))
    }

    /// A live PostgreSQL source, as the config's `postgres = ...` names one.
    pub fn postgres(text: &str) -> Source {
        Source::Postgres(Dsn::new(text))
    }

    /// A live Neo4j source, as the config's `neo4j = ...` names one.
    pub fn neo4j(text: &str) -> Source {
        Source::Neo4j(Dsn::new(text))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Postgres(d) | Source::Neo4j(d) => d.fmt(f),
            Source::SnapshotFile(p) | Source::Migrations(p) | Source::CypherMigrations(p) => {
                p.display().fmt(f)
            }
        }
    }
}

/// Read any source into a snapshot.
pub async fn read(src: &Source, opts: &ReadOptions) -> Result<Snapshot> {
    match src {
        Source::Postgres(url) => {
            let (schema, version) = postgres::introspect(url, &pg_options(opts)).await?;
            Ok(pg_snapshot(url, schema, version))
        }
        Source::Neo4j(url) => {
            let neo_opts = crate::neo4j::Options {
                database: opts.neo4j_database.clone(),
                ..Default::default()
            };
            let (schema, version) = crate::neo4j::introspect(url, &neo_opts).await?;
            Ok(neo4j_snapshot(url, schema, version))
        }
        Source::CypherMigrations(dir) => read_cypher_folder(dir, &Default::default()),
        Source::Migrations(dir) => crate::expected::build_expected(dir, &build_options(opts)).await,
        Source::SnapshotFile(path) => {
            // Parsing is CPU work: on a blocking thread, so that the two
            // files of a diff are parsed at the same time.
            let (file, filter, seen) = (path.clone(), opts.filter.clone(), opts.seen.clone());
            let task = tokio::task::spawn_blocking(move || {
                let mut snap = read_snapshot_file(&file)?;
                apply_schema_filter(&mut snap, &filter, &seen);
                Ok(snap)
            });
            task.await.map_err(|e| Error::Read {
                path: path.clone(),
                reason: e.to_string(),
            })?
        }
    }
}

/// How to build the expected schema of a migrations folder.
pub fn build_options(opts: &ReadOptions) -> crate::migrations::BuildOptions {
    crate::migrations::BuildOptions {
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
    }
}

/// The adapter's options for reading a live PostgreSQL source.
pub fn pg_options(opts: &ReadOptions) -> postgres::Options {
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

/// The snapshot of a live PostgreSQL database read from `url`.
pub fn pg_snapshot(url: &Dsn, schema: crate::model::PgSchema, version: String) -> Snapshot {
    Snapshot {
        format_version: FORMAT_VERSION,
        source: url.to_string(),
        server_version: Some(version),
        taken_at: now_rfc3339(),
        postgres: Some(schema),
        neo4j: None,
        migrations: None,
    }
}

/// The snapshot of a live Neo4j database read from `url`.
pub fn neo4j_snapshot(url: &Dsn, schema: crate::model::Neo4jSchema, version: String) -> Snapshot {
    Snapshot {
        format_version: FORMAT_VERSION,
        source: url.to_string(),
        server_version: Some(version),
        taken_at: now_rfc3339(),
        postgres: None,
        neo4j: Some(schema),
        migrations: None,
    }
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
        // Objects in no schema are left out when schemas are chosen by
        // name, as a live read leaves them out (not_compared.sql).
        if !filter.schemas.is_empty() {
            pg.not_compared.clear();
            pg.publications.clear();
            pg.event_triggers.clear();
            pg.casts.clear();
            pg.foreign_data_wrappers.clear();
            pg.foreign_servers.clear();
            pg.subscriptions.clear();
            pg.access_methods.clear();
            pg.languages.clear();
            pg.transforms.clear();
            pg.security_labels.clear();
        }
        // Default privileges of a schema follow it; the database-wide
        // ones are left out when schemas are chosen by name.
        pg.default_privileges.retain(|_, d| match &d.schema {
            Some(s) => crate::filter::selects(&filter.schemas, &filter.exclude_schemas, s),
            None => filter.schemas.is_empty(),
        });
        // A publication lists the tables and schemas of the compared
        // schemas only (publications.sql).
        let kept = |s: &str| pg.schemas.contains_key(s);
        let mut publications = std::mem::take(&mut pg.publications);
        for p in publications.values_mut() {
            p.schemas.retain(|s| kept(s));
            p.tables.retain(|t, _| {
                let names = crate::ddl::postgres::refs::qualified_names(t);
                names.first().is_none_or(|(s, _)| kept(s))
            });
        }
        pg.publications = publications;
    }
}

/// The expected Neo4j schema of a folder of Cypher migrations. Like a
/// replayed SQL folder it depends on the files only: a fixed `taken_at`. It
/// records each migration's version, file, checksum and change set
/// (`format_version` 2, see [`crate::expected`]).
pub fn read_cypher_folder(
    dir: &Path,
    opts: &crate::neo4j::migrations::FoldOptions,
) -> Result<Snapshot> {
    read_cypher_folder_at(dir, opts, &|_| true)
}

/// [`read_cypher_folder`] with only the migrations whose file name `keep` accepts (the
/// ones a database has applied).
pub fn read_cypher_folder_at(
    dir: &Path,
    opts: &crate::neo4j::migrations::FoldOptions,
    keep: &dyn Fn(&str) -> bool,
) -> Result<Snapshot> {
    use crate::neo4j::migrations;
    let (files, _skipped) = migrations::discover(dir)?;
    let mut folder = migrations::Folder::new(opts);
    let mut record = crate::expected::Neo4jRecorder::new(&folder.schema);
    for f in &files {
        let name = migrations::file_name(&f.path);
        if !keep(&name) {
            continue;
        }
        let raw = std::fs::read(&f.path).map_err(|e| Error::Read {
            path: f.path.clone(),
            reason: e.to_string(),
        })?;
        let text = String::from_utf8(raw.clone()).map_err(|e| Error::Read {
            path: f.path.clone(),
            reason: e.to_string(),
        })?;
        folder.fold_file(&f.path, &text)?;
        let statements: Vec<crate::migrations::Statement> = crate::neo4j::cypher::split(&text)
            .map(|v| {
                v.into_iter()
                    .map(|s| crate::migrations::Statement {
                        sql: s.text,
                        line: s.line,
                    })
                    .collect()
            })
            .unwrap_or_default();
        record.step(
            migrations::tool_version(&name),
            name,
            &raw,
            &statements,
            &folder.schema,
        );
    }
    Ok(Snapshot {
        format_version: crate::expected::EXPECTED_FORMAT_VERSION,
        source: crate::migrations::source_name(dir),
        taken_at: crate::migrations::MIGRATIONS_TAKEN_AT.to_string(),
        neo4j: Some(folder.schema),
        migrations: Some(serde_json::to_value(record.finish()).expect("the record serializes")),
        ..Snapshot::empty()
    })
}

/// Read and validate a snapshot file.
pub fn read_snapshot_file(path: &Path) -> Result<Snapshot> {
    if let Some(what @ ("a directory" | "a socket")) = crate::io::special_kind(path) {
        return Err(Error::Read {
            path: path.to_path_buf(),
            reason: format!("it is {what}, not a snapshot file"),
        });
    }
    crate::io::read_text(path, |text| parse_snapshot(path, text))
}

pub fn parse_snapshot(path: &Path, text: &str) -> Result<Snapshot> {
    let bad = |reason: String| Error::BadSnapshot {
        path: path.to_path_buf(),
        reason,
    };
    let unsupported = |v: u64| {
        bad(format!(
            "format_version {v} is not supported (this schemadrift reads versions {FORMAT_VERSION} to {NEWEST_FORMAT_VERSION})"
        ))
    };
    // One pass in the common case; the file is looked at again only to
    // explain a failure (a newer format is the likeliest cause).
    match serde_json::from_str::<Snapshot>(text) {
        Ok(snap) if snap.format_version == FORMAT_VERSION && snap.migrations.is_none() => Ok(snap),
        Ok(snap) if snap.format_version == NEWEST_FORMAT_VERSION => {
            match crate::expected::MigrationsRecord::of(&snap) {
                Ok(_) => Ok(snap),
                Err(e) => Err(bad(e.0)),
            }
        }
        Ok(snap) if snap.format_version == FORMAT_VERSION => Err(bad(
            "it has a `migrations` record, which format_version 1 does not have".into(),
        )),
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
                }) if !(u64::from(FORMAT_VERSION)..=u64::from(NEWEST_FORMAT_VERSION))
                    .contains(&v.as_u64().unwrap_or(0)) =>
                {
                    match v.as_u64() {
                        Some(n) => Err(unsupported(n)),
                        None => Err(bad("its `format_version` is not a number".into())),
                    }
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &Source) -> &'static str {
        match s {
            Source::Postgres(_) => "postgres",
            Source::Neo4j(_) => "neo4j",
            Source::SnapshotFile(_) => "file",
            Source::Migrations(_) => "migrations",
            Source::CypherMigrations(_) => "cypher",
        }
    }

    #[test]
    fn a_source_is_parsed_once_and_shown_without_its_password() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().to_str().unwrap();
        let cases = [
            (
                "postgres://app:s3cret@db/app",
                "postgres",
                "postgres://app@db/app",
            ),
            (
                "host=db user=app password=s3cret",
                "postgres",
                "host=db user=app",
            ),
            ("BOLT://neo4j:s3cret@graph", "neo4j", "bolt://neo4j@graph"),
            ("snapshots/prod.json", "file", "snapshots/prod.json"),
            (dir, "migrations", dir),
        ];
        for (text, want, shown) in cases {
            let s = Source::parse(text).unwrap();
            assert_eq!(kind(&s), want, "{text}");
            assert_eq!(s.to_string(), shown);
            assert!(!format!("{s:?}").contains("s3cret"));
        }
        for bad in [
            "postgres:app:s3cret@db/app",
            "mysql://u:s3cret@h/db",
            "no-such-thing",
        ] {
            let e = Source::parse(bad).unwrap_err();
            assert!(matches!(e, Error::Usage(_)), "{bad}");
            assert!(!e.to_string().contains("s3cret"), "{e}");
        }
    }
}
