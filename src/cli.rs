//! Command-line definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "schemadrift",
    version,
    about = "Find schema drift between live databases and what their migrations say they should be.",
    after_help = "Exit codes: 0 no drift, 1 drift found, 2 error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a snapshot of a source's schema as deterministic JSON.
    Snapshot(SnapshotArgs),
}

/// Which schemas to read, shared by every command that reads a live source.
#[derive(Debug, Clone, Default, Args)]
pub struct SchemaFilter {
    /// Only read this schema (repeatable). Default: every non-system schema.
    #[arg(long = "schema", value_name = "SCHEMA")]
    pub schemas: Vec<String>,
    /// Leave this schema out (repeatable).
    #[arg(long = "exclude-schema", value_name = "SCHEMA")]
    pub exclude_schemas: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// A `postgres://` or `postgresql://` URL. Default: $DATABASE_URL.
    #[arg(value_name = "SOURCE")]
    pub source: Option<String>,
    /// Write the snapshot here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub filter: SchemaFilter,
    /// Also capture owners and grants (they usually differ between environments).
    #[arg(long)]
    pub with_privileges: bool,
}
