//! Live PostgreSQL introspection (I/O). Row decoding lives in `decode.rs`,
//! catalog queries in `queries/*.sql`.

use std::time::Duration;

use crate::error::{Error, Result};
use crate::model::PgSchema;

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
pub async fn introspect(url: &str, _opts: &Options) -> Result<(PgSchema, String)> {
    Err(Error::Connect {
        engine: "PostgreSQL",
        target: crate::redact::redact_url(url),
        reason: "not implemented yet".into(),
    })
}
