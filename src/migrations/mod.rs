//! Migrations folders: discover and order the files, split them into
//! statements with PostgreSQL's parser, and replay them into a throwaway
//! shadow database. [`crate::expected::build_expected`] puts these together
//! and introspects the shadow with the same adapter as live databases, so
//! both sides are normalised by PostgreSQL itself.

pub mod discover;
pub mod leftovers;
pub mod replay;
pub mod shadow;
pub mod split;

use std::path::Path;

pub use discover::{discover, Discovered, Format, Kind, Migration};
pub use shadow::{Shadow, ShadowSpec};
pub use split::{split, Statement};

use crate::postgres;
use crate::redact::Dsn;

/// The `taken_at` of every snapshot built from migrations. Such a snapshot
/// depends on the migration files only, not on when it was built, so it
/// carries a fixed time: re-running `schemadrift expected` gives a
/// byte-identical file (on the same PostgreSQL version), and git shows a
/// change only when the schema changes.
pub const MIGRATIONS_TAKEN_AT: &str = "1970-01-01T00:00:00Z";

/// How to build the expected schema of a migrations folder.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The folder layout; detected when None.
    pub format: Option<Format>,
    /// Replay into a temporary database on this server instead of an
    /// embedded cluster.
    pub shadow_url: Option<Dsn>,
    /// The server version of the database the result will be compared with
    /// (`PostgreSQL 15.4`, `15.4 (Debian ...)`): the embedded shadow uses the
    /// same major version when its binaries are installed.
    pub target_version: Option<String>,
    /// The databases being checked: `shadow_url` must not be one.
    pub targets: Vec<Dsn>,
    /// Plain SQL files run in the shadow, in order, before the first
    /// migration (schemas, roles, extensions, a database-level search_path).
    pub setup: Vec<std::path::PathBuf>,
    /// What to read from the shadow (schemas, privileges, timeouts).
    pub introspect: postgres::Options,
}

/// The `source` of a snapshot built from `dir`: `migrations:db/migrations`
/// (the path as given, without `./` or a trailing slash, so that the file
/// does not change with how the folder was typed).
pub fn source_name(dir: &Path) -> String {
    let s = dir.to_string_lossy();
    let mut s: &str = &s;
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    let s = s.trim_end_matches('/');
    format!("migrations:{}", if s.is_empty() { "." } else { s })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_names_are_stable() {
        assert_eq!(
            source_name(Path::new("db/migrations")),
            "migrations:db/migrations"
        );
        assert_eq!(
            source_name(Path::new("./db/migrations/")),
            "migrations:db/migrations"
        );
        assert_eq!(source_name(Path::new("./")), "migrations:.");
    }
}
