//! Running a parsed command line: the one place that joins sources, the
//! differ, reports and alerts together.

use std::io::Write;
use std::path::Path;

use crate::cli::{Cli, Command, SnapshotArgs};
use crate::error::{Error, Result};
use crate::source;

/// What a successful run found, mapped to an exit code as diff(1) does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report.
    Clean,
    /// Differences (drift) were found.
    Drift,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Drift => 1,
        }
    }
}

pub fn run(cli: Cli) -> Result<Outcome> {
    install_crypto_provider();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(async move {
        match cli.command {
            Command::Snapshot(args) => snapshot(args).await,
        }
    })
}

/// rustls needs exactly one process-wide crypto provider; install ring's.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

async fn snapshot(args: SnapshotArgs) -> Result<Outcome> {
    let src = match args.source {
        Some(s) => s,
        None => std::env::var("DATABASE_URL")
            .map_err(|_| Error::Usage("no SOURCE given and DATABASE_URL is not set".to_string()))?,
    };
    let opts = source::ReadOptions {
        filter: args.filter,
        with_privileges: args.with_privileges,
    };
    let snap = source::read(&src, &opts).await?;
    write_output(args.output.as_deref(), &snap.to_json())?;
    Ok(Outcome::Clean)
}

/// Write `text` to `path` atomically (temp file + rename), or to stdout.
pub fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(p) => write_atomic(p, text.as_bytes()),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|_| out.flush())
                .map_err(|e| Error::Write {
                    path: "standard output".into(),
                    reason: e.to_string(),
                })
        }
    }
}

/// Write a file so that readers see either the old or the new content, never half.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let err = |e: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(e)
    })
}
