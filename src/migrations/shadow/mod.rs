//! The shadow database the migrations are replayed into.
//!
//! Embedded (the default): a throwaway cluster made with the machine's own
//! `initdb` and `postgres`, in a private temporary directory, reachable only
//! over a unix socket in that directory (no TCP), run as an unprivileged
//! user when schemadrift runs as root. Or a server the user names with
//! `--shadow URL`, where a uniquely named temporary database is used.
//!
//! Either way the shadow is removed afterwards: on success, on error (the
//! caller's `close`), on a panic (a Drop guard), and on Ctrl-C or SIGTERM
//! (a signal task that removes every live shadow, then exits 130 or 143).
//!
//! `cleanup.rs` keeps the registry of live shadows and the signal task,
//! `server.rs` the temporary database on a named server, `embedded.rs` the
//! throwaway cluster.

mod cleanup;
mod embedded;
mod server;

use std::time::Duration;

use tokio_postgres::Client;

use crate::error::Result;
use crate::redact::Dsn;
pub use cleanup::yield_if_interrupted;
use cleanup::{install_signal_task, take, with_entry, Cleanup};
use embedded::start_embedded;
pub use embedded::{choose, find_binaries, parse_major, PgBin};
pub use server::ensure_not_target;
use server::start_on_server;

/// Where to replay.
#[derive(Debug, Clone)]
pub enum ShadowSpec {
    /// A throwaway cluster from the machine's binaries; `major` is the
    /// PostgreSQL major version to prefer (the target's), when known.
    Embedded { major: Option<u32> },
    /// A temporary database on the server at this URL.
    Url(Dsn),
}

/// A live shadow database. Call [`Shadow::close`] when done; dropping it
/// also cleans up, synchronously.
pub struct Shadow {
    /// A URL for the shadow database (unix-socket form for the embedded one).
    pub url: Dsn,
    /// What to call it in messages: the server and its version.
    pub label: String,
    /// The server's major version.
    pub major: Option<u32>,
    id: u64,
}

impl Shadow {
    /// Start (or create) the shadow database.
    pub async fn start(spec: &ShadowSpec) -> Result<Shadow> {
        install_signal_task();
        match spec {
            ShadowSpec::Embedded { major } => start_embedded(*major).await,
            ShadowSpec::Url(url) => start_on_server(url).await,
        }
    }

    /// Connect to the shadow database (for replaying).
    pub async fn connect(&self) -> Result<Client> {
        let (client, _task) = connect(&self.url).await?;
        Ok(client)
    }

    /// Record roles created on a shared shadow server, to drop them afterwards.
    pub fn created_roles(&self, roles: Vec<String>) {
        with_entry(self.id, |c| {
            if let Cleanup::Database { roles: r, .. } = c {
                r.extend(roles);
            }
        });
    }

    /// Stop the server or drop the database, and remove what was made.
    pub async fn close(self) -> Result<()> {
        let cleanup = take(self.id);
        drop(self);
        match cleanup {
            Some(c) => c.run().await,
            None => Ok(()),
        }
    }
}

impl Drop for Shadow {
    fn drop(&mut self) {
        if let Some(c) = take(self.id) {
            c.run_blocking();
        }
    }
}

/// Connect with the same URL handling (sslmode, TLS roots) as live sources.
async fn connect(url: &Dsn) -> Result<(Client, tokio::task::JoinHandle<()>)> {
    let timeout = Duration::from_secs(10);
    let target = crate::postgres::connect::parse(url, timeout)?;
    crate::postgres::connect::connect(&target, timeout).await
}

/// A random-enough suffix for temporary names (no RNG dependency needed).
fn random_suffix() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    format!("{:012x}", h.finish() & 0xffff_ffff_ffff)
}
