//! The library's error type: each variant renders as one sentence that names
//! the file, host or object at fault, and never a password.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad command-line usage or a source string that cannot be understood.
    #[error("{0}")]
    Usage(String),

    /// A database could not be reached or refused us.
    #[error("cannot connect to {engine} at {target}: {reason}")]
    Connect {
        engine: &'static str,
        /// The redacted URL or host.
        target: String,
        reason: String,
    },

    /// A catalog query failed after connecting.
    #[error("reading the schema of {target} failed while {doing}: {reason}")]
    Introspect {
        target: String,
        doing: String,
        reason: String,
    },

    /// A file could not be read.
    #[error("cannot read {}: {reason}", path.display())]
    Read { path: PathBuf, reason: String },

    /// A file could not be written.
    #[error("cannot write {}: {reason}", path.display())]
    Write { path: PathBuf, reason: String },

    /// A configuration file problem, with the line when known.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Config {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },

    /// A migration file that does not parse or whose statement failed on the
    /// shadow database: `path:line: PostgreSQL's message`.
    #[error("{}:{line}: {reason}", path.display())]
    Migration {
        path: PathBuf,
        line: usize,
        reason: String,
    },

    /// A migrations folder that cannot be read as one format, in one order.
    #[error("migrations folder {}: {reason}", dir.display())]
    Migrations { dir: PathBuf, reason: String },

    /// The shadow database (the throwaway server the migrations are replayed
    /// into) could not be set up, used or removed.
    #[error("shadow database: {0}")]
    Shadow(String),

    /// A snapshot file that is not a valid snapshot.
    #[error("{} is not a valid schemadrift snapshot: {reason}", path.display())]
    BadSnapshot { path: PathBuf, reason: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
