//! One place that knows every live shadow, so that the signal task, `close`
//! and Drop all remove exactly what is left.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Child;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use super::embedded::stop_embedded;
use super::server::drop_database;
use crate::error::{Error, Result};
use crate::redact::Dsn;

pub(super) enum Cleanup {
    Embedded {
        dir: PathBuf,
        server: Option<Child>,
        /// initdb, while it runs.
        helper: Option<u32>,
    },
    Database {
        admin_url: Dsn,
        name: String,
        roles: Vec<String>,
    },
}

fn registry() -> &'static Mutex<BTreeMap<u64, Cleanup>> {
    static R: OnceLock<Mutex<BTreeMap<u64, Cleanup>>> = OnceLock::new();
    R.get_or_init(|| Mutex::new(BTreeMap::new()))
}

pub(super) fn register(c: Cleanup) -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = NEXT.fetch_add(1, Ordering::SeqCst);
    registry()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(id, c);
    id
}

pub(super) fn take(id: u64) -> Option<Cleanup> {
    registry()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&id)
}

pub(super) fn with_entry<T>(id: u64, f: impl FnOnce(&mut Cleanup) -> T) -> Option<T> {
    registry()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_mut(&id)
        .map(f)
}

impl Cleanup {
    pub(super) async fn run(self) -> Result<()> {
        match self {
            Cleanup::Embedded {
                dir,
                server,
                helper,
            } => tokio::task::spawn_blocking(move || stop_embedded(&dir, server, helper))
                .await
                .map_err(|e| Error::Shadow(format!("clean-up task failed: {e}")))?,
            Cleanup::Database {
                admin_url,
                name,
                roles,
            } => drop_database(&admin_url, &name, &roles).await,
        }
    }

    /// For Drop, where nothing can be awaited.
    pub(super) fn run_blocking(self) {
        match self {
            Cleanup::Embedded {
                dir,
                server,
                helper,
            } => {
                let _ = stop_embedded(&dir, server, helper);
            }
            c @ Cleanup::Database { .. } => {
                let _ = std::thread::spawn(move || {
                    if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    {
                        let _ = rt.block_on(c.run());
                    }
                })
                .join();
            }
        }
    }
}

static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// After SIGINT/SIGTERM the signal task owns the exit: an error caused by
/// its clean-up (a server stopped under a running replay) must not race it
/// to print a misleading message and exit 2. Call on every error path.
pub async fn yield_if_interrupted() {
    if INTERRUPTED.load(Ordering::SeqCst) {
        std::future::pending::<()>().await;
    }
}

/// Install (once per process) the task that removes every live shadow on
/// SIGINT or SIGTERM and then exits as a shell would report the signal.
pub(super) fn install_signal_task() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            return;
        };
        use tokio::signal::unix::{signal, SignalKind};
        let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) else {
            return;
        };
        handle.spawn(async move {
            let code = tokio::select! {
                _ = int.recv() => 130,
                _ = term.recv() => 143,
            };
            INTERRUPTED.store(true, Ordering::SeqCst);
            let all: Vec<Cleanup> = {
                let mut r = registry().lock().unwrap_or_else(|p| p.into_inner());
                std::mem::take(&mut *r).into_values().collect()
            };
            let n = all.len();
            for c in all {
                if let Err(e) = c.run().await {
                    eprintln!("schemadrift: {e}");
                }
            }
            if n > 0 {
                eprintln!("schemadrift: interrupted; the shadow database was removed");
            } else {
                eprintln!("schemadrift: interrupted");
            }
            std::process::exit(code);
        });
    });
}
