//! Running a parsed command line: the one place that joins sources, the
//! differ, reports and alerts together.

use crate::cli::{
    AdoptArgs, AlertCommand, CheckArgs, Cli, ColorChoice, Command, DiffArgs, ExpectedArgs,
    SnapshotArgs,
};
use crate::error::{Error, Result};
use crate::io::{unless_closed, write_output, write_output_with};
use crate::redact::Dsn;
use crate::source::{self, Source};

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
        .map_err(|e| Error::Failed(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(async move {
        match cli.command {
            Command::Snapshot(args) => snapshot(args).await,
            Command::Diff(args) => diff(args).await,
            Command::Check(args) => check(args).await,
            Command::Expected(args) => expected(args).await,
            Command::Adopt(args) => adopt(args).await,
            Command::Alert(AlertCommand::Test(args)) => alert_test(args).await,
            Command::Help(args) => match crate::cli::print_help(&args.command) {
                Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
                    Err(Error::Usage(e.to_string()))
                }
                written => unless_closed(written.map_err(|source| Error::Write {
                    path: "standard output".into(),
                    source,
                }))
                .map(|()| Outcome::Clean),
            },
            Command::Completions(args) => completions(args.shell),
            Command::Man => unless_closed(write_output(None, &crate::manpage::render()))
                .map(|()| Outcome::Clean),
        }
    })
}

/// `schemadrift completions SHELL`: the script clap_complete writes from the
/// command-line definitions, so it never falls behind them.
fn completions(shell: clap_complete::Shell) -> Result<Outcome> {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    unless_closed(write_output_with(None, |w| {
        clap_complete::generate(shell, &mut cmd, "schemadrift", w);
        Ok(())
    }))?;
    Ok(Outcome::Clean)
}

/// For tests that connect without [`run`]; the connection code installs it too.
pub use crate::postgres::connect::install_crypto_provider;

async fn snapshot(args: SnapshotArgs) -> Result<Outcome> {
    crate::progress::enable_on_terminal();
    let src = match args.source {
        Some(s) => s,
        None => std::env::var("DATABASE_URL")
            .map_err(|_| Error::Usage("no SOURCE given and DATABASE_URL is not set (`postgres://` alone connects with the PG* variables, as psql does)".to_string()))?,
    };
    let src = Source::parse(&src)?;
    let opts = source::ReadOptions {
        filter: args.filter.into(),
        with_privileges: args.with_privileges,
        neo4j_database: args.database,
        shadow_url: args.shadow.shadow.map(Dsn::new),
        migrations_format: args.shadow.migrations_format,
        setup: args.shadow.setup,
        ..Default::default()
    };
    let snap = source::read(&src, &opts).await?;
    crate::filter::ensure_matched(
        &opts.filter.schemas,
        &opts.filter.exclude_schemas,
        &opts.seen,
        &crate::filter::Wording {
            place: "in the source",
            ..crate::filter::FLAGS
        },
    )?;
    unless_closed(write_output_with(args.output.as_deref(), |w| {
        snap.write_json(w)
    }))?;
    // The file counts them under `not_compared`; a person is told too.
    if let Some(pg) = &snap.postgres {
        let s = crate::report::not_compared::sentence(&pg.not_compared_total());
        if !s.is_empty() {
            eprintln!("schemadrift: not compared: {s}");
        }
    }
    // The process ends next: freeing a big model, a million small
    // allocations, would only add to the run time (70 ms at 10,000 tables).
    std::mem::forget(snap);
    Ok(Outcome::Clean)
}

async fn diff(args: DiffArgs) -> Result<Outcome> {
    let rules =
        crate::diff::ignore::IgnoreRules::parse_known(&args.ignore).map_err(Error::Usage)?;
    let opts = source::ReadOptions {
        filter: args.filter.into(),
        shadow_url: args.shadow.shadow.map(Dsn::new),
        migrations_format: args.shadow.migrations_format,
        setup: args.shadow.setup,
        include_bookkeeping: args.include_bookkeeping,
        ..Default::default()
    };
    let (expected, actual) = (Source::parse(&args.expected)?, Source::parse(&args.actual)?);
    source::allocate_in_large_steps();
    // A fix script needs both models whole (it writes unchanged objects
    // too: a view created again); a report needs only the changes.
    // The DDL of missing and unexpected objects only for the formats that
    // show it.
    let (compared, models) = if args.format.fix_dialect().is_some() {
        let (e, a, changes) = crate::compare::compare_models(&expected, &actual, &opts).await?;
        let compared = crate::compare::Compared {
            changes,
            ddl: Default::default(),
            not_compared: crate::diff::not_compared(&e, &a),
        };
        (compared, Some((e, a)))
    } else {
        let describe = args.format.shows_ddl();
        let compared = crate::compare::compare_with(&expected, &actual, &opts, describe).await?;
        (compared, None)
    };
    let crate::compare::Compared {
        mut changes,
        ddl,
        not_compared,
    } = compared;
    crate::filter::ensure_matched(
        &opts.filter.schemas,
        &opts.filter.exclude_schemas,
        &opts.seen,
        &crate::filter::FLAGS,
    )?;
    // The history's edited, failed and unknown migrations are drift too.
    let applied = opts.applied.take();
    if let Some(a) = &applied {
        changes.extend(a.changes(false));
        crate::diff::sort_changes(&mut changes);
    }
    let ignored = rules.apply(&mut changes);
    let mut report =
        crate::report::Report::new(&expected.to_string(), &actual.to_string(), changes, ignored);
    report.ddl = ddl;
    report.not_compared = not_compared;
    report.migrations = applied.map(|a| a.report());
    report.bookkeeping = opts.bookkeeping.take();
    if let Some((dialect, (expected, actual))) = args.format.fix_dialect().zip(models) {
        let opts = crate::fix::FixOptions {
            dialect,
            destructive: !args.no_destructive,
        };
        let sources = (
            report.expected_source.as_str(),
            report.actual_source.as_str(),
        );
        let text =
            crate::fix::script(&expected, &actual, opts, sources, ignored).map_err(Error::Usage)?;
        report.fix = Some(text);
    }
    let color = use_color(args.color, args.output.is_some());
    let mut buf = Vec::new();
    crate::report::render(&report, args.format, color, &mut buf).map_err(|source| {
        Error::Write {
            path: "the report".into(),
            source,
        }
    })?;
    // --quiet keeps standard output empty when there is nothing to say; a
    // file asked for with -o is still written.
    if !(args.quiet && report.changes.is_empty() && args.output.is_none()) {
        unless_closed(write_output(
            args.output.as_deref(),
            &String::from_utf8_lossy(&buf),
        ))?;
    }
    let outcome = outcome_of(&report.changes, args.fail_on);
    // The process ends with this command: leave the report to the OS
    // rather than free its allocations one by one.
    std::mem::forget(report);
    Ok(outcome)
}

async fn check(args: CheckArgs) -> Result<Outcome> {
    use crate::report::check::TargetStatus;
    use std::io::IsTerminal;
    if let Some(path) = &args.metrics {
        crate::report::metrics::may_replace(path).map_err(Error::Usage)?;
    }
    let cfg = crate::config::Config::load(&args.config)?;
    let opts = crate::check::CheckOptions {
        targets: args.targets.clone(),
        ignore: args.ignore.clone(),
        jobs: args.jobs,
        shard: args.shard,
        timeout: args.timeout,
        fix: args
            .format
            .fix_dialect()
            .map(|dialect| crate::fix::FixOptions {
                dialect,
                destructive: !args.no_destructive,
            }),
        include_bookkeeping: args.include_bookkeeping,
    };
    let targets = crate::check::select_targets(&cfg, &opts)?;
    let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let bar = progress_bar(interactive && targets.len() > 1, targets.len());
    let results = crate::check::run_check(&cfg, targets, &opts, |n| {
        if let Some(b) = &bar {
            b.set_position(n as u64);
        }
    })
    .await?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let report = crate::check::report_of(&results);
    let color = use_color(args.color, args.output.is_some());
    let mut buf = Vec::new();
    crate::report::check::render(&report, args.format, color, args.quiet, &mut buf).map_err(
        |source| Error::Write {
            path: "the report".into(),
            source,
        },
    )?;
    // The report is written before anything else can fail.
    unless_closed(write_output(
        args.output.as_deref(),
        &String::from_utf8_lossy(&buf),
    ))?;
    if let Some(path) = &args.metrics {
        let timed: Vec<_> = results.iter().map(|t| (&t.report, t.duration)).collect();
        crate::io::write_file_with(path, |mut w| {
            crate::report::metrics::render(&timed, std::time::SystemTime::now(), &mut w)
        })?;
    }
    // The table is for a person watching: never in a log or a pipe.
    if results.len() > 1 && interactive && !args.quiet {
        eprint!("{}", crate::check::summary_table(&results));
    }
    // Alerts only now, with the report safely written.
    let alert_error = match &cfg.alerts {
        Some(alerts) if !args.no_alerts => {
            let now = std::time::SystemTime::now();
            match crate::alert::after_check(alerts, &report, now, args.quiet).await {
                Ok(failures) => crate::alert::failures_error(failures),
                Err(e) => Some(e),
            }
        }
        _ => None,
    };
    let failed = report
        .targets
        .iter()
        .filter(|t| t.status == TargetStatus::Failed);
    let outcome = outcome_of(
        report
            .targets
            .iter()
            .filter_map(|t| t.report.as_ref())
            .flat_map(|r| &r.changes),
        args.fail_on,
    );
    if let Some(first) = failed.clone().next() {
        if let Some(e) = &alert_error {
            eprintln!("schemadrift: {e}");
        }
        return Err(Error::CheckFailed {
            failed: failed.count(),
            first: format!(
                "{}: {}",
                first.target,
                first.error.as_deref().unwrap_or("failed")
            ),
        });
    }
    if let Some(e) = alert_error {
        return Err(e);
    }
    Ok(outcome)
}

/// Drift when some change is at or above `fail_on`; below it, changes are
/// reported but the run is clean.
fn outcome_of<'a>(
    changes: impl IntoIterator<Item = &'a crate::diff::Change>,
    fail_on: crate::cli::FailOn,
) -> Outcome {
    let least = fail_on.severity();
    // Severities order most severe first.
    if changes.into_iter().any(|c| c.severity() <= least) {
        Outcome::Drift
    } else {
        Outcome::Clean
    }
}

/// `schemadrift alert test`: exit 0 when every channel took its message.
async fn alert_test(args: crate::cli::AlertTestArgs) -> Result<Outcome> {
    let cfg = crate::config::Config::load(&args.config)?;
    let channels = cfg.alert_channels(args.channel.as_deref())?;
    let failures = crate::alert::send_test(channels).await;
    match crate::alert::failures_error(failures) {
        Some(e) => Err(e),
        None => Ok(Outcome::Clean),
    }
}

fn progress_bar(show: bool, len: usize) -> Option<indicatif::ProgressBar> {
    if !show {
        return None;
    }
    let b = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("checking {pos}/{len} targets {wide_bar} {elapsed}")
    {
        b.set_style(style);
    }
    Some(b)
}

/// Whether to color output bound for standard output.
pub fn use_color(choice: ColorChoice, to_file: bool) -> bool {
    use std::io::IsTerminal;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            !to_file
                && !matches!(std::env::var_os("NO_COLOR"), Some(v) if !v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// `schemadrift expected`: build `OUT_DIR/postgres.json` from the migrations,
/// or with `--check` compare it with what the migrations produce now. The
/// flags and the config become a [`crate::expected::Plan`].
async fn expected(args: ExpectedArgs) -> Result<Outcome> {
    use crate::expected::{Job, Plan};
    use std::path::PathBuf;
    crate::progress::enable_on_terminal();
    let mut fold = crate::neo4j::migrations::FoldOptions::default();
    let mut jobs = Vec::new();
    let mut shadow_url = args.shadow.shadow.clone().map(Dsn::new);
    let mut targets = Vec::new();
    let mut format = args.shadow.migrations_format;
    let mut setup = args.shadow.setup.clone();
    if args.migrations.is_some() || args.neo4j_migrations.is_some() {
        let out = args
            .output
            .clone()
            .unwrap_or_else(|| PathBuf::from("expected"));
        if let Some(d) = &args.migrations {
            jobs.push(Job::Postgres(d.clone(), out.join("postgres.json")));
        }
        if let Some(d) = &args.neo4j_migrations {
            jobs.push(Job::Neo4j(d.clone(), out.join("neo4j.json")));
        }
    } else {
        if !args.config.exists() {
            return Err(Error::Usage(format!(
                "no migrations folder given: pass --migrations DIR (or --neo4j-migrations DIR), \
                 or name it in {} under [postgres] migrations",
                args.config.display()
            )));
        }
        let cfg = crate::config::Config::load(&args.config)?;
        if let Some(d) = &cfg.postgres.migrations {
            jobs.push(Job::Postgres(d.clone(), cfg.postgres.expected.clone()));
        }
        if let Some(d) = &cfg.neo4j.migrations {
            jobs.push(Job::Neo4j(d.clone(), cfg.neo4j.expected.clone()));
        }
        fold.default_lookup_indexes = cfg.neo4j.default_lookup_indexes;
        if jobs.is_empty() {
            return Err(Error::Config {
                path: cfg.path.clone(),
                line: None,
                message: "neither [postgres] nor [neo4j] names a `migrations` folder".into(),
            });
        }
        if shadow_url.is_none() {
            shadow_url = cfg.shadow()?;
        }
        if setup.is_empty() {
            setup = cfg.postgres.setup.clone();
        }
        format = format.or(cfg.migrations_format()?);
        // The shadow must never be a target; targets whose variables are not
        // set here cannot be compared, and are not needed to build.
        for name in cfg.targets.keys() {
            if let Ok(t) = cfg.targets(std::slice::from_ref(name)) {
                targets.extend(t.into_iter().filter_map(|t| t.postgres));
            }
        }
    }
    let plan = Plan {
        jobs,
        build: crate::migrations::BuildOptions {
            format,
            shadow_url,
            targets,
            setup,
            introspect: crate::postgres::Options {
                schemas: args.filter.schemas.clone(),
                exclude_schemas: args.filter.exclude_schemas.clone(),
                with_privileges: args.with_privileges,
                ..Default::default()
            },
            ..Default::default()
        },
        fold,
        check: args.check,
        color: use_color(ColorChoice::Auto, false),
    };
    Ok(if crate::expected::update(plan).await? {
        Outcome::Drift
    } else {
        Outcome::Clean
    })
}

/// `schemadrift adopt`: ACTUAL's drift as the next migration of the folder
/// (see [`crate::adopt`]). Reads ACTUAL and the folder, writes files only
/// in the folder.
async fn adopt(args: AdoptArgs) -> Result<Outcome> {
    use crate::adopt::{self, Layout};
    let name = adopt::normalize_name(&args.name).map_err(Error::Usage)?;
    let dir = args.migrations;
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "--migrations {} is not a folder: adopt writes the next migration into an existing migrations folder",
            dir.display()
        )));
    }
    let cypher = crate::neo4j::migrations::is_cypher_folder(&dir);
    let folder = if cypher {
        Source::CypherMigrations(dir.clone())
    } else {
        Source::Migrations(dir.clone())
    };
    let actual = Source::parse(&args.actual)?;
    if matches!(actual, Source::Migrations(_) | Source::CypherMigrations(_)) {
        return Err(Error::Usage(format!(
            "ACTUAL {actual} is a migrations folder: adopt takes the schema as it is (a database URL or a snapshot file)"
        )));
    }
    let opts = source::ReadOptions {
        filter: args.filter.into(),
        shadow_url: args.shadow.shadow.map(Dsn::new),
        migrations_format: args.shadow.migrations_format,
        setup: args.shadow.setup,
        ..Default::default()
    };
    let (built, have, changes) = crate::compare::compare_models(&folder, &actual, &opts).await?;
    crate::filter::ensure_matched(
        &opts.filter.schemas,
        &opts.filter.exclude_schemas,
        &opts.seen,
        &crate::filter::FLAGS,
    )?;
    let (engine, has_engine) = if cypher {
        ("Neo4j", have.neo4j.is_some())
    } else {
        ("PostgreSQL", have.postgres.is_some())
    };
    if !has_engine {
        return Err(Error::Usage(format!(
            "ACTUAL {actual} has no {engine} schema, and {} is a {engine} migrations folder",
            dir.display()
        )));
    }
    if changes.is_empty() {
        eprintln!(
            "schemadrift: no drift: {} already builds {actual}; nothing written",
            dir.display()
        );
        return Ok(Outcome::Clean);
    }
    let (layout, last, up, down) = if cypher {
        let empty = crate::model::Neo4jSchema::default();
        let b = built.neo4j.as_ref().unwrap_or(&empty);
        let h = adopt::open_as_folder(have.neo4j.as_ref().unwrap_or(&empty), b);
        (
            Layout::Cypher,
            adopt::last_cypher(&dir)?,
            crate::ddl::cypher::fix_script(&h, b),
            crate::ddl::cypher::fix_script(b, &h),
        )
    } else {
        let found = crate::migrations::discover(&dir, opts.migrations_format)?;
        let empty = crate::model::PgSchema::default();
        let (b, h) = (
            built.postgres.as_ref().unwrap_or(&empty),
            have.postgres.as_ref().unwrap_or(&empty),
        );
        // The migration runs where ACTUAL runs: its server decides the syntax.
        let r = crate::ddl::postgres::Pg::for_server(have.server_version.as_deref());
        (
            Layout::Sql(found.format),
            adopt::last_sql(&dir, &found),
            crate::ddl::postgres::fix::fix_script(&r, h, b, true),
            crate::ddl::postgres::fix::fix_script(&r, b, h, true),
        )
    };
    if !up.unsupported.is_empty() {
        let what: Vec<String> = up.unsupported.iter().map(|u| u.to_string()).collect();
        return Err(Error::Usage(format!(
            "the drift cannot be written as a migration, so nothing was written: {}",
            what.join("; ")
        )));
    }
    let files = adopt::plan(
        layout,
        &last,
        &name,
        std::time::SystemTime::now(),
        &actual.to_string(),
        &up,
        &down,
    )
    .map_err(|reason| Error::Migrations {
        dir: dir.clone(),
        reason,
    })?;
    adopt::write(&files)?;
    // The tool must run it last, or the folder would not build ACTUAL.
    let first = &files[0].path;
    let runs_last = if cypher {
        crate::neo4j::migrations::discover(&dir)
            .map(|(f, _)| f.last().is_some_and(|m| &m.path == first))
            .unwrap_or(false)
    } else {
        crate::migrations::discover(&dir, opts.migrations_format)
            .map(|d| {
                d.migrations
                    .last()
                    .is_some_and(|m| m.files.contains(first) || &m.path == first)
            })
            .unwrap_or(false)
    };
    if !runs_last {
        let paths: Vec<_> = files.iter().map(|f| f.path.clone()).collect();
        let made: Vec<_> = files
            .iter()
            .filter_map(|f| f.path.parent())
            .filter(|p| *p != dir)
            .map(|p| p.to_path_buf())
            .collect();
        adopt::remove(&paths, &made);
        return Err(Error::Migrations {
            dir,
            reason: format!(
                "{} would not be the last migration in the tool's order, so nothing was written (rename the folder's migrations to one numbering)",
                first.display()
            ),
        });
    }
    for t in &up.column_order {
        eprintln!(
            "schemadrift: {t}: its columns keep the folder's order (PostgreSQL adds a column last and cannot move one)"
        );
    }
    for f in &files {
        eprintln!("schemadrift: wrote {}", f.path.display());
    }
    Ok(Outcome::Clean)
}
