//! The canonical model: plain serde data, deterministic JSON.
//!
//! Named sets are `BTreeMap`s so that a snapshot always serializes the same
//! way; a `Vec` is used only where order means something (column position,
//! index key parts, enum labels). Objects refer to each other by qualified
//! name, never by pointer or OID, so two databases built by different routes
//! give equal values.

pub mod neo4j;
pub mod postgres;

use serde::{Deserialize, Serialize};

pub use neo4j::Neo4jSchema;
pub use postgres::PgSchema;

/// The snapshot file format version. Bump it on any incompatible change.
pub const FORMAT_VERSION: u32 = 1;

/// The newest format version read: 2 is an expected file that records its
/// migrations (`migrations`), otherwise as 1.
pub const NEWEST_FORMAT_VERSION: u32 = 2;

/// One schema at one moment, as written to a snapshot file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub format_version: u32,
    /// Where the snapshot came from, with any password removed.
    pub source: String,
    /// The engine that produced it and its version, e.g. `PostgreSQL 17.2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_version: Option<String>,
    /// When it was taken (RFC 3339, UTC, whole seconds).
    pub taken_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres: Option<PgSchema>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neo4j: Option<Neo4jSchema>,
    /// An expected file's record of its migrations (`format_version` 2):
    /// each one's version, file, checksum and change set. Kept as JSON
    /// here; `crate::expected` reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrations: Option<serde_json::Value>,
}

impl Snapshot {
    /// A snapshot that holds no engine at all: the neutral side to fill in
    /// when several sources are compared as one.
    pub fn empty() -> Snapshot {
        Snapshot {
            format_version: FORMAT_VERSION,
            source: String::new(),
            server_version: None,
            taken_at: String::new(),
            postgres: None,
            neo4j: None,
            migrations: None,
        }
    }

    /// Serialize as the canonical snapshot file text: pretty JSON, trailing newline.
    pub fn to_json(&self) -> String {
        let mut buf = Vec::new();
        self.write_json(&mut buf)
            .expect("the model always serializes");
        String::from_utf8(buf).expect("JSON is UTF-8")
    }

    /// Stream the canonical snapshot text (the bytes of [`Snapshot::to_json`]).
    pub fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *w, self)?;
        w.write_all(b"\n")
    }
}
