//! Command-line definitions.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::{migrations, report, source};

/// Every kind of SOURCE, for the help of the commands that take one (a
/// macro, so that `concat!` can put it into the help texts).
macro_rules! sources {
    () => {
        "A SOURCE is one of:
  - a live PostgreSQL: a postgres:// or postgresql:// URL, or a libpq key=value string
    (\"host=db dbname=app\"); PGHOST, PGUSER, PGPASSWORD, ~/.pgpass and the other
    libpq settings apply as in psql
  - a snapshot file: snapshots/prod.json, as `schemadrift snapshot` writes it
  - a SQL migrations folder: db/migrations (plain .sql, Flyway, golang-migrate, sqlx,
    diesel, Prisma, dbmate), replayed into a throwaway shadow database
  - a live Neo4j: a neo4j://, neo4j+s://, bolt:// or bolt+s:// URL
  - a Cypher migrations folder: db/neo4j (V1__x.cypher), folded into an expected schema"
    };
}

macro_rules! snapshot_examples {
    () => {
        "Examples:
  schemadrift snapshot postgres://app@db.internal/app -o snapshots/prod.json
  schemadrift snapshot \"host=db.internal dbname=app sslmode=verify-full\" --schema app
  schemadrift snapshot db/migrations -o expected/postgres.json"
    };
}

macro_rules! diff_help {
    () => {
        "Exit codes: 0 no differences (after --ignore rules), 1 differences, 2 error.
Ignore rules: a change code (`comment-changed`, `code:index-*`), `type:OBJECT_TYPE`, \
`severity:info`, or an object glob (`care.tmp_*`, `object:care`); the README lists the change codes."
    };
}

macro_rules! diff_examples {
    () => {
        "Examples:
  schemadrift diff snapshots/staging.json snapshots/prod.json
  schemadrift diff db/migrations \"$DATABASE_URL\" --format markdown
  schemadrift diff postgres://staging-db/app postgres://prod-db/app --ignore comment-changed"
    };
}

#[derive(Debug, Parser)]
#[command(
    name = "schemadrift",
    version,
    about = "Find schema drift between live databases and what their migrations say they should be.",
    disable_help_subcommand = true,
    after_help = "Exit codes: 0 no drift, 1 drift found, 2 error.

Examples:
  schemadrift snapshot \"$DATABASE_URL\" -o snapshots/prod.json
  schemadrift diff db/migrations \"$DATABASE_URL\"
  schemadrift check --quiet"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a snapshot of a source's schema as deterministic JSON.
    Snapshot(SnapshotArgs),
    /// Compare two sources: what EXPECTED has that ACTUAL lacks, and the reverse.
    Diff(DiffArgs),
    /// Check live targets from the config file against the expected schema.
    Check(CheckArgs),
    /// Build the expected schema from a migrations folder, by replaying it
    /// into a throwaway shadow database.
    Expected(ExpectedArgs),
    /// Write the drift of ACTUAL as the next migration of a folder, in the
    /// folder's own format and naming, so that the folder builds ACTUAL.
    Adopt(AdoptArgs),
    /// Alert channels from the config file (`alert test`).
    #[command(
        subcommand,
        disable_help_subcommand = true,
        after_help = "Examples:
  schemadrift alert test
  schemadrift alert test --config ops/schemadrift.toml --channel oncall"
    )]
    Alert(AlertCommand),
    /// Print the help of schemadrift or of one of its commands.
    #[command(after_help = "Examples:
  schemadrift help diff
  schemadrift help alert test")]
    Help(HelpArgs),
    /// Print a shell completion script on standard output.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Print the manual page, schemadrift(1), as roff on standard output.
    #[command(after_help = "Install it with \
`schemadrift man > /usr/local/share/man/man1/schemadrift.1`, or read it with \
`schemadrift man | man -l -`.")]
    Man,
}

#[derive(Debug, Args)]
pub struct HelpArgs {
    /// The command (and subcommand) to explain; none for the overview.
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// `schemadrift help [COMMAND]...`: the long help of that command.
pub fn print_help(path: &[String]) -> std::io::Result<()> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut cur = &mut cmd;
    for name in path {
        let known: Vec<String> = cur
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        cur = match cur.find_subcommand_mut(name) {
            Some(c) => c,
            None => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!(
                        "there is no command `{}` (commands: {})",
                        path.join(" "),
                        known.join(", ")
                    ),
                ))
            }
        };
    }
    cur.print_long_help()
}

const COMPLETIONS_HELP: &str = "Install:
  bash   schemadrift completions bash > /etc/bash_completion.d/schemadrift
         (or ~/.local/share/bash-completion/completions/schemadrift)
  zsh    schemadrift completions zsh > \"${fpath[1]}/_schemadrift\"
  fish   schemadrift completions fish > ~/.config/fish/completions/schemadrift.fish
  powershell  schemadrift completions powershell >> $PROFILE";

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Which schemas to read, shared by every command that reads a live source.
#[derive(Debug, Clone, Default, Args)]
pub struct SchemaArgs {
    /// Only read this schema (repeatable). Default: every non-system schema.
    #[arg(long = "schema", value_name = "SCHEMA")]
    pub schemas: Vec<String>,
    /// Leave this schema out (repeatable).
    #[arg(long = "exclude-schema", value_name = "SCHEMA")]
    pub exclude_schemas: Vec<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = snapshot_examples!(),
    after_long_help = concat!(sources!(), "\n\n", snapshot_examples!())
)]
pub struct SnapshotArgs {
    /// What to read: a PostgreSQL or Neo4j URL, a snapshot file, or a
    /// migrations folder (SQL or Cypher; listed below). Default: $DATABASE_URL.
    #[arg(value_name = "SOURCE")]
    pub source: Option<String>,
    /// Write the snapshot here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub filter: SchemaArgs,
    /// Also capture owners and grants (they usually differ between environments).
    #[arg(long)]
    pub with_privileges: bool,
    /// For a Neo4j source: the database to read (default: `?database=` in
    /// the URL, else the server's default database).
    #[arg(long, value_name = "NAME")]
    pub database: Option<String>,
    #[command(flatten)]
    pub shadow: ShadowArgs,
}

/// The least severity that makes exit 1 (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FailOn {
    /// Only errors: a lost table, column, constraint or policy, a changed
    /// type or nullability, RLS disabled.
    Error,
    /// Errors and warnings.
    Warning,
    /// Any change.
    #[default]
    Info,
}

impl FailOn {
    /// The severity at and above which a change fails the run.
    pub fn severity(self) -> crate::diff::Severity {
        match self {
            FailOn::Error => crate::diff::Severity::Error,
            FailOn::Warning => crate::diff::Severity::Warning,
            FailOn::Info => crate::diff::Severity::Info,
        }
    }
}

/// When to color the text report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
#[command(
    after_help = concat!(diff_help!(), "\n\n", diff_examples!()),
    after_long_help = concat!(sources!(), "\n\n", diff_help!(), "\n\n", diff_examples!())
)]
pub struct DiffArgs {
    /// The schema as it should be: any SOURCE (a URL, a snapshot file, a
    /// migrations folder; listed below).
    #[arg(value_name = "EXPECTED")]
    pub expected: String,
    /// The schema as it is: any SOURCE.
    #[arg(value_name = "ACTUAL")]
    pub actual: String,
    /// Report format.
    #[arg(long, default_value = "text", value_parser = one_of(report::Format::ALL, report::Format::name, report::Format::about))]
    pub format: report::Format,
    /// Write the report here (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Leave out matching changes (repeatable).
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Compare the migration tools' own tables too (flyway_schema_history,
    /// schema_migrations, _prisma_migrations, ...; neo4j-migrations'
    /// constraints), which are otherwise left out of both sides and listed.
    #[arg(long)]
    pub include_bookkeeping: bool,
    #[command(flatten)]
    pub filter: SchemaArgs,
    /// Color the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// With --format sql: leave the statements that lose data (dropping a
    /// table or a column, narrowing a type) out of the fix script, as comments.
    #[arg(long)]
    pub no_destructive: bool,
    /// Exit 1 only for changes at or above this severity; those below it
    /// are still reported.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = FailOn::Info)]
    pub fail_on: FailOn,
    /// Print nothing when there are no differences (the exit code says it).
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub shadow: ShadowArgs,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 no drift on any target, 1 drift on some target, \
2 a target could not be checked (unreachable, refused, timed out) or bad input.

Examples:
  schemadrift check
  schemadrift check --config ops/schemadrift.toml --target production --quiet
  schemadrift check --jobs 8 --timeout 2m --format junit -o drift.xml"
)]
pub struct CheckArgs {
    /// The configuration file.
    #[arg(short, long, value_name = "FILE", default_value = crate::config::DEFAULT_FILE)]
    pub config: PathBuf,
    /// Check only this target (repeatable). Default: every target.
    #[arg(long = "target", value_name = "NAME")]
    pub targets: Vec<String>,
    /// Report format.
    #[arg(long, default_value = "text", value_parser = one_of(report::Format::ALL, report::Format::name, report::Format::about))]
    pub format: report::Format,
    /// Write the report here (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Leave out matching changes (repeatable), added to the config's rules.
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Compare the migration tools' own tables too (flyway_schema_history,
    /// schema_migrations, _prisma_migrations, ...; neo4j-migrations'
    /// constraints), which are otherwise left out of both sides and listed
    /// (the config's `include_bookkeeping = true` does the same).
    #[arg(long)]
    pub include_bookkeeping: bool,
    /// Check at most N targets at once.
    #[arg(short, long, value_name = "N", default_value_t = 4, value_parser = at_least_one)]
    pub jobs: usize,
    /// Check only shard I of N (0-based), a stable subset of the targets.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<crate::fleet::Shard>,
    /// Time limit for each target (e.g. `90s`, `5m`).
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = positive_duration)]
    pub timeout: std::time::Duration,
    /// Print nothing for clean targets (a cron job that finds nothing says nothing).
    #[arg(short, long)]
    pub quiet: bool,
    /// Send no alerts and leave the alert state file alone.
    #[arg(long)]
    pub no_alerts: bool,
    /// With --format sql: leave the statements that lose data (dropping a
    /// table or a column, narrowing a type) out of the fix script, as comments.
    #[arg(long)]
    pub no_destructive: bool,
    /// Exit 1 only for drift at or above this severity; changes below it
    /// are still reported (and alerted, by each channel's `min_severity`).
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = FailOn::Info)]
    pub fail_on: FailOn,
    /// Also write the run as OpenMetrics text to FILE (atomically), for the
    /// Prometheus node exporter's textfile collector: each target's up,
    /// changes by severity and check duration, and the run's time.
    #[arg(long, value_name = "FILE")]
    pub metrics: Option<PathBuf>,
    /// Color the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// How a migrations folder (a SOURCE that is a directory) is replayed.
#[derive(Debug, Clone, Default, Args)]
pub struct ShadowArgs {
    /// Replay migrations into a temporary database on this server (created
    /// and dropped again) instead of a throwaway cluster started from the
    /// machine's PostgreSQL binaries. Never one of the databases compared.
    #[arg(long, value_name = "URL", env = "SCHEMADRIFT_SHADOW_URL")]
    pub shadow: Option<String>,
    /// The migrations folder's layout. Default: detected from the file names.
    #[arg(long, value_name = "FORMAT", value_parser = one_of(migrations::Format::ALL, migrations::Format::name, |f| Some(f.about())))]
    pub migrations_format: Option<migrations::Format>,
    /// A plain SQL file run in the shadow before the first migration, as the
    /// real deployment prepares its database (schemas, roles, extensions, a
    /// database-level search_path); repeatable, run in order. Replaces the
    /// config file's `setup`.
    #[arg(long = "setup", value_name = "FILE")]
    pub setup: Vec<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 written (with --check: up to date), 1 (--check) the \
expected file no longer matches the migrations, 2 error (a migration that fails names its file and line).\n\
The file's `taken_at` is fixed (1970-01-01T00:00:00Z): it depends on the migrations only, so \
re-running gives the same bytes.

Examples:
  schemadrift expected --migrations db/migrations -o expected
  schemadrift expected --migrations db/migrations -o expected --check
  schemadrift expected --migrations db/migrations --shadow postgres://ci-db/postgres"
)]
pub struct ExpectedArgs {
    /// The configuration file whose `[postgres]` and `[neo4j]` sections name
    /// the migrations folders and expected files; used when neither
    /// --migrations nor --neo4j-migrations is given.
    #[arg(short, long, value_name = "FILE", default_value = crate::config::DEFAULT_FILE)]
    pub config: PathBuf,
    /// The SQL migrations folder (plain .sql, Flyway, golang-migrate, sqlx,
    /// diesel, Prisma, dbmate, goose or Supabase); written to `OUT_DIR/postgres.json`.
    #[arg(long, value_name = "DIR")]
    pub migrations: Option<PathBuf>,
    /// The Cypher migrations folder (`V1__x.cypher`); written to `OUT_DIR/neo4j.json`.
    #[arg(long, value_name = "DIR")]
    pub neo4j_migrations: Option<PathBuf>,
    /// Where to write `postgres.json` and `neo4j.json` (with --migrations or
    /// --neo4j-migrations; default `expected`).
    #[arg(short, long, value_name = "OUT_DIR")]
    pub output: Option<PathBuf>,
    /// Write nothing; exit 1 and show the difference when a committed
    /// expected file no longer matches what its migrations produce.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub shadow: ShadowArgs,
    #[command(flatten)]
    pub filter: SchemaArgs,
    /// Also capture owners and grants.
    #[arg(long)]
    pub with_privileges: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 the migration was written, or there was no drift (nothing written), \
2 error (nothing written).
The new migration is named as the folder's tool names one: Flyway V<next>__NAME.sql, \
golang-migrate <next>_NAME.up.sql and .down.sql, sqlx as its folder (sequential or timestamp, \
reversible or not), diesel <stamp>_NAME/up.sql and down.sql, Prisma <stamp>_NAME/migration.sql, \
dbmate and goose one file with their up and down sections, Supabase <stamp>_NAME.sql, \
plain <next>_NAME.sql, a Cypher folder V<next>__NAME.cypher. Timestamps are UTC. \
It never writes to a database and never replaces a file.

Examples:
  schemadrift adopt \"$DATABASE_URL\" --migrations db/migrations --name orders_hotfix
  schemadrift adopt snapshots/prod.json --migrations db/migrations
  schemadrift adopt bolt://graph.internal:7687 --migrations db/neo4j --name visit_index",
    after_long_help = concat!(sources!(), "\n\n", "Exit codes: 0 the migration was written, or there was no drift (nothing written), \
2 error (nothing written).

Examples:
  schemadrift adopt \"$DATABASE_URL\" --migrations db/migrations --name orders_hotfix
  schemadrift adopt snapshots/prod.json --migrations db/migrations")
)]
pub struct AdoptArgs {
    /// The schema as it is, whose drift the migration makes official: any
    /// SOURCE (a URL, a snapshot file; listed below). Read only.
    #[arg(value_name = "ACTUAL")]
    pub actual: String,
    /// The migrations folder (SQL, in any format `expected` reads, or
    /// Cypher) that gets the new migration.
    #[arg(long, value_name = "DIR")]
    pub migrations: PathBuf,
    /// What the migration is called (the name part of its file name).
    #[arg(long, value_name = "NAME", default_value = "adopted_drift")]
    pub name: String,
    #[command(flatten)]
    pub filter: SchemaArgs,
    #[command(flatten)]
    pub shadow: ShadowArgs,
}

#[derive(Debug, Subcommand)]
pub enum AlertCommand {
    /// Send a test message to each alert channel (or the one named).
    #[command(
        after_help = "Exit codes: 0 every channel took its message, 2 some did not (each named).

Examples:
  schemadrift alert test
  schemadrift alert test --config ops/schemadrift.toml --channel oncall"
    )]
    Test(AlertTestArgs),
}

#[derive(Debug, Args)]
pub struct AlertTestArgs {
    /// The configuration file.
    #[arg(short, long, value_name = "FILE", default_value = crate::config::DEFAULT_FILE)]
    pub config: PathBuf,
    /// Only this channel.
    #[arg(long, value_name = "NAME")]
    pub channel: Option<String>,
}

/// `--jobs`: 0 would check nothing and report every target as timed out.
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// `--timeout`: a zero limit would fail every target before it starts.
fn positive_duration(s: &str) -> Result<std::time::Duration, String> {
    let d = humantime::parse_duration(s).map_err(|e| e.to_string())?;
    if d.is_zero() {
        return Err("must be longer than 0s (e.g. `90s`, `5m`)".into());
    }
    Ok(d)
}

impl From<SchemaArgs> for source::SchemaFilter {
    fn from(a: SchemaArgs) -> Self {
        source::SchemaFilter {
            schemas: a.schemas,
            exclude_schemas: a.exclude_schemas,
        }
    }
}

/// A parser for one of the library's closed sets of names (`all`, each
/// named by `name` and described by `about`): the library's own types know
/// nothing of clap.
fn one_of<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    name: fn(T) -> &'static str,
    about: fn(T) -> Option<&'static str>,
) -> impl TypedValueParser<Value = T> {
    let values = all
        .iter()
        .map(|v| PossibleValue::new(name(*v)).help(about(*v)));
    PossibleValuesParser::new(values).map(move |chosen| {
        *all.iter()
            .find(|v| name(**v) == chosen)
            .expect("clap allows only the possible values")
    })
}
