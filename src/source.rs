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
}

/// What kind of thing a SOURCE string names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    Postgres,
    SnapshotFile,
}

pub fn classify(src: &str) -> Result<SourceKind> {
    let lower = src.to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        return Ok(SourceKind::Postgres);
    }
    if lower.ends_with(".json") || Path::new(src).is_file() {
        return Ok(SourceKind::SnapshotFile);
    }
    if let Some((scheme, _)) = src.split_once("://") {
        return Err(Error::Usage(format!(
            "unsupported source scheme `{scheme}://` in {}: expected postgres:// or postgresql://, or a snapshot .json file",
            redact_url(src)
        )));
    }
    Err(Error::Usage(format!(
        "source `{}` is neither a postgres:// URL nor an existing snapshot file",
        redact_url(src)
    )))
}

/// Read any source into a snapshot.
pub async fn read(src: &str, opts: &ReadOptions) -> Result<Snapshot> {
    match classify(src)? {
        SourceKind::Postgres => {
            let pg_opts = postgres::Options {
                schemas: opts.filter.schemas.clone(),
                exclude_schemas: opts.filter.exclude_schemas.clone(),
                with_privileges: opts.with_privileges,
                ..Default::default()
            };
            let (schema, version) = postgres::introspect(src, &pg_opts).await?;
            Ok(Snapshot {
                format_version: FORMAT_VERSION,
                source: redact_url(src),
                server_version: Some(version),
                taken_at: now_rfc3339(),
                postgres: Some(schema),
            })
        }
        SourceKind::SnapshotFile => {
            let mut snap = read_snapshot_file(Path::new(src))?;
            apply_schema_filter(&mut snap, &opts.filter);
            Ok(snap)
        }
    }
}

/// Apply `--schema`/`--exclude-schema` to a loaded snapshot as introspection
/// applies them to a live database (exact names; extensions are database-wide
/// and kept), so a file and a live source filtered alike compare alike.
pub fn apply_schema_filter(snap: &mut Snapshot, filter: &SchemaFilter) {
    if let Some(pg) = snap.postgres.as_mut() {
        pg.schemas.retain(|name, _| {
            (filter.schemas.is_empty() || filter.schemas.contains(name))
                && !filter.exclude_schemas.contains(name)
        });
    }
}

/// Read and validate a snapshot file.
pub fn read_snapshot_file(path: &Path) -> Result<Snapshot> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    parse_snapshot(path, &text)
}

pub fn parse_snapshot(path: &Path, text: &str) -> Result<Snapshot> {
    let bad = |reason: String| Error::BadSnapshot {
        path: path.to_path_buf(),
        reason,
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        bad(format!(
            "invalid JSON at line {} column {}: {}",
            e.line(),
            e.column(),
            strip_pos(&e)
        ))
    })?;
    match value.get("format_version").and_then(|v| v.as_u64()) {
        Some(v) if v == FORMAT_VERSION as u64 => {}
        Some(v) => return Err(bad(format!(
            "format_version {v} is not supported (this schemadrift reads version {FORMAT_VERSION})"
        ))),
        None => return Err(bad("it has no numeric `format_version` field".into())),
    }
    serde_json::from_str(text).map_err(|e| {
        bad(format!(
            "{} (line {} column {})",
            strip_pos(&e),
            e.line(),
            e.column()
        ))
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
