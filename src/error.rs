//! The library's error type: each variant renders as one sentence that names
//! the file, host or object at fault, and never a password.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad command-line usage or a source string that cannot be understood.
    #[error("{0}")]
    Usage(String),

    /// A failure of the run itself, not of the user's input (the async runtime
    /// could not start, a worker task died, a target that could not be read),
    /// already written as one sentence.
    #[error("{0}")]
    Failed(String),

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

    /// A file (or standard output) could not be written. The I/O error is
    /// kept, so that a reader that went away is told apart by its kind.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

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

    /// `check` ran, its report is written, but some targets could not be checked.
    #[error("{failed} target(s) could not be checked; first: {first}")]
    CheckFailed { failed: usize, first: String },

    /// A snapshot file that is not a valid snapshot.
    #[error("{} is not a valid schemadrift snapshot: {reason}", path.display())]
    BadSnapshot { path: PathBuf, reason: String },

    /// An alert channel did not take its alert after its retries (the
    /// report was written first; the alert is tried again on the next run).
    #[error("alert channel `{channel}` did not deliver: {reason}{}", others_failed(*others))]
    AlertNotDelivered {
        channel: String,
        /// One sentence, without secrets.
        reason: String,
        /// How many more channels failed (each printed on its own line).
        others: usize,
    },
}

impl Error {
    /// Whether this is output to a reader that went away (`| head`): not a
    /// failure of the run, which ends quietly with the exit code it earned.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Write { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

fn others_failed(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => " (1 other channel failed too)".to_string(),
        n => format!(" ({n} other channels failed too)"),
    }
}

/// An error and its causes on one line, each cause once (a cause whose text
/// the line already holds is not repeated).
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s.replace('\n', " ")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
