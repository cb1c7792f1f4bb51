//! `schemadrift check`: every configured target against the expected
//! schema, concurrently, each on its own timeout, into one report.
//!
//! A cron host needs only the binary, the config file and `expected/`: the
//! expected schema is read from its committed snapshot, never rebuilt here,
//! and targets are only ever read.

use std::sync::Arc;
use std::time::Duration;

use crate::applied::Recorded;
use crate::config::{Config, Target, Unresolved};
use crate::diff::ignore::IgnoreRules;
use crate::error::{Error, Result};
use crate::fleet::{self, JobResult, Shard};
use crate::model::Snapshot;
use crate::report::check::{CheckReport, TargetReport};
use crate::report::Report;
use crate::source::{self, ReadOptions, SchemaFilter};

/// What to check and how.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Target names to check (all when empty).
    pub targets: Vec<String>,
    /// Ignore rules from the command line, added to the config's.
    pub ignore: Vec<String>,
    /// At most this many targets at once.
    pub jobs: usize,
    pub shard: Option<Shard>,
    /// Each target's time limit, connection and introspection included.
    pub timeout: Duration,
    /// Write each target's fix script (`--format sql`, `cypher`).
    pub fix: Option<crate::fix::FixOptions>,
    /// Compare the migration tools' own tables (`--include-bookkeeping`; the
    /// config's `include_bookkeeping` does it too).
    pub include_bookkeeping: bool,
}

/// One target's result with how long it took (for the summary table).
#[derive(Debug, Clone)]
pub struct Timed {
    pub report: TargetReport,
    pub duration: Duration,
}

/// The expected schemas, each loaded once for all targets. A file that
/// cannot be read fails every target that needs it with the same sentence
/// (so it is alerted), rather than aborting the run.
#[derive(Clone)]
struct Expected {
    postgres: Option<Loaded>,
    neo4j: Option<Loaded>,
    /// The PostgreSQL migrations folder, when this host has it: each target's
    /// history table is read and its expected schema is the applied migrations'.
    /// Without it, the expected file's record of its migrations serves alike.
    folder: Option<Arc<Folder>>,
    /// The config's `history_table`, when not the tool's default.
    history_table: Option<crate::history::TableName>,
    /// The config's `alert_on_pending`.
    alert_on_pending: bool,
    /// The Cypher migrations: neo4j-migrations' chain is read from each Neo4j target.
    cypher: Arc<Cypher>,
}

/// The `[neo4j]` section as `check` uses it (see [`crate::applied::neo4j`]).
struct Cypher {
    /// The folder, when this host has it; else the expected file's record serves.
    dir: Option<std::path::PathBuf>,
    fold: crate::neo4j::migrations::FoldOptions,
    history: crate::history::Neo4jChain,
    alert_on_pending: bool,
}

fn cypher_of(cfg: &Config) -> Cypher {
    Cypher {
        dir: cfg.neo4j.migrations.clone().filter(|d| d.is_dir()),
        fold: crate::neo4j::migrations::FoldOptions {
            default_lookup_indexes: cfg.neo4j.default_lookup_indexes,
        },
        history: cfg.neo4j.history.clone(),
        alert_on_pending: cfg.neo4j.alert_on_pending,
    }
}

/// The `[postgres]` migrations folder as `check` uses it (see [`crate::applied`]).
struct Folder {
    dir: std::path::PathBuf,
    format: Option<crate::migrations::Format>,
    shadow_url: Option<crate::redact::Dsn>,
    setup: Vec<std::path::PathBuf>,
}

/// The folder, when the config names one and it is here (a cron host may have only
/// `expected/`). A `migrations_format` or shadow that cannot be read is the config's error.
fn folder_of(cfg: &Config) -> Result<Option<Folder>> {
    let Some(dir) = cfg.postgres.migrations.as_ref().filter(|d| d.is_dir()) else {
        return Ok(None);
    };
    Ok(Some(Folder {
        dir: dir.clone(),
        format: cfg.migrations_format()?,
        shadow_url: cfg.shadow()?,
        setup: cfg.postgres.setup.clone(),
    }))
}

#[derive(Clone)]
struct Loaded {
    label: String,
    snapshot: std::result::Result<Arc<Snapshot>, String>,
}

impl Loaded {
    fn read(path: &std::path::Path) -> Loaded {
        Loaded {
            label: path.display().to_string(),
            snapshot: source::read_snapshot_file(path)
                .map(Arc::new)
                .map_err(|e| e.to_string()),
        }
    }
}

fn load_expected(cfg: &Config, targets: &[Selected], folder: Option<Folder>) -> Expected {
    let ready = || targets.iter().filter_map(|t| t.as_ref().ok());
    Expected {
        folder: folder.map(Arc::new),
        history_table: cfg.postgres.history_table.clone(),
        alert_on_pending: cfg.postgres.alert_on_pending,
        cypher: Arc::new(cypher_of(cfg)),
        postgres: ready()
            .any(|t| t.postgres.is_some())
            .then(|| Loaded::read(&cfg.postgres.expected)),
        neo4j: ready()
            .any(|t| t.neo4j.is_some())
            .then(|| Loaded::read(&cfg.neo4j.expected)),
    }
}

/// A target of this run: ready to check, or failed before it starts (its
/// URL names a variable that is not set), which fails it alone.
pub type Selected = std::result::Result<Target, Unresolved>;

fn name_of(t: &Selected) -> &str {
    match t {
        Ok(t) => &t.name,
        Err(u) => &u.name,
    }
}

/// Choose the targets of this run: by name, then by shard.
pub fn select_targets(cfg: &Config, opts: &CheckOptions) -> Result<Vec<Selected>> {
    let mut targets = cfg.each_target(&opts.targets)?;
    if let Some(shard) = opts.shard {
        targets.retain(|t| shard.contains(name_of(t)));
    }
    Ok(targets)
}

/// Check `targets`; `on_done(finished)` is called as each one ends.
pub async fn run_check(
    cfg: &Config,
    targets: Vec<Selected>,
    opts: &CheckOptions,
    on_done: impl FnMut(usize),
) -> Result<Vec<Timed>> {
    // Rules are validated up front: a typo is a usage error, not a failed target.
    IgnoreRules::parse_known(&opts.ignore).map_err(Error::Usage)?;
    for t in &targets {
        let name = name_of(t);
        let ignore = cfg.targets.get(name).map(|t| t.ignore.as_slice());
        IgnoreRules::parse_known(ignore.unwrap_or_default()).map_err(|e| Error::Config {
            path: cfg.path.clone(),
            line: None,
            message: format!("target `{name}`: {e}"),
        })?;
    }
    let expected = load_expected(cfg, &targets, folder_of(cfg)?);
    // Targets checked side by side share the CPUs: one connection each.
    let pg_connections = (opts.jobs > 1).then_some(1);
    // What is left out as bookkeeping: the tools' tables, and the history table the
    // config renames; nothing when they are compared.
    let bookkeeping: Option<Arc<Vec<crate::history::TableName>>> = (!(opts.include_bookkeeping
        || cfg.include_bookkeeping))
        .then(|| Arc::new(cfg.postgres.history_table.iter().cloned().collect()));
    let results = fleet::run_all(
        targets,
        opts.jobs,
        opts.timeout,
        |t: &Selected| {
            let expected = expected.clone();
            let t = t.clone();
            let cli_ignore = opts.ignore.clone();
            let fix = opts.fix;
            let bookkeeping = bookkeeping.clone();
            async move {
                match t {
                    Ok(t) => check_one(
                        &t,
                        &expected,
                        &cli_ignore,
                        pg_connections,
                        fix,
                        bookkeeping.as_deref().map(Vec::as_slice),
                    )
                    .await
                    .map_err(|e| e.to_string()),
                    Err(u) => Err(u.error),
                }
            }
        },
        on_done,
    )
    .await;
    Ok(results
        .into_iter()
        .map(|(t, r, duration)| {
            let name = name_of(&t);
            let report = match r {
                JobResult::Done(rep) => TargetReport::checked(name, rep),
                JobResult::Failed(e) => TargetReport::failed(name, e),
                JobResult::TimedOut(d) => TargetReport::failed(
                    name,
                    format!(
                        "the check of target `{name}` did not finish within {}",
                        humantime::format_duration(d)
                    ),
                ),
            };
            Timed { report, duration }
        })
        .collect())
}

/// One target: each engine it has, read live and diffed against its
/// expected schema, in one report.
async fn check_one(
    t: &Target,
    expected: &Expected,
    cli_ignore: &[String],
    pg_connections: Option<usize>,
    fix: Option<crate::fix::FixOptions>,
    bookkeeping: Option<&[crate::history::TableName]>,
) -> Result<Report> {
    let filter = SchemaFilter {
        schemas: t.schemas.clone(),
        exclude_schemas: t.exclude_schemas.clone(),
    };
    let opts = ReadOptions {
        filter: filter.clone(),
        pg_connections,
        ..Default::default()
    };
    let seen = opts.seen.clone();
    let pick = |loaded: &Option<Loaded>| -> Result<(Arc<Snapshot>, String)> {
        let l = loaded
            .as_ref()
            .expect("loaded for every target that needs it");
        match &l.snapshot {
            Ok(s) => Ok((s.clone(), l.label.clone())),
            Err(e) => Err(Error::Failed(e.clone())),
        }
    };
    let mut want = Snapshot::empty();
    let mut have = Snapshot::empty();
    let (mut expected_labels, mut actual_labels) = (Vec::new(), Vec::new());
    // Both engines are read at once; each is bounded by the target's timeout.
    let pg = async {
        match &t.postgres {
            Some(url) => read_with_history(url, &opts, expected).await.map(Some),
            None => Ok(None),
        }
    };
    let neo = async {
        match &t.neo4j {
            Some(url) => {
                let o = crate::neo4j::Options {
                    history: Some(expected.cypher.history.clone()),
                    ..Default::default()
                };
                let (schema, version, history) =
                    crate::neo4j::introspect_with_history(url, &o).await?;
                Ok(Some((
                    source::neo4j_snapshot(url, schema, version),
                    history,
                )))
            }
            None => Ok(None),
        }
    };
    let (pg, neo) = tokio::try_join!(pg, neo)?;
    let mut applied = None;
    if let Some((live, history)) = pg {
        let (exp, label) = match history {
            Some((h, recorded)) => {
                let a = recorded.classify(&h);
                let at_applied = match recorded {
                    Recorded::Folder { dir, found } if !a.not_applied().is_empty() => {
                        let folder = expected.folder.as_deref();
                        let build = crate::migrations::BuildOptions {
                            format: Some(found.format),
                            shadow_url: folder.and_then(|f| f.shadow_url.clone()),
                            target_version: live.server_version.clone(),
                            targets: t.postgres.iter().cloned().collect(),
                            setup: folder.map(|f| f.setup.clone()).unwrap_or_default(),
                            introspect: crate::postgres::Options {
                                seen: seen.clone(),
                                ..Default::default()
                            },
                        };
                        let snap =
                            crate::applied::expected_at_applied(&dir, found, &a, &build).await?;
                        (Arc::new(snap), crate::migrations::source_name(&dir))
                    }
                    // Every migration is applied: the committed expected schema.
                    Recorded::Folder { .. } => pick(&expected.postgres)?,
                    // A cron host: the expected file's record of its migrations.
                    Recorded::File { snapshot, .. } => {
                        let (_, label) = pick(&expected.postgres)?;
                        let snap = crate::applied::expected_from_file(snapshot, &a, &label)?;
                        (snap, label)
                    }
                };
                applied = Some(a);
                at_applied
            }
            None => pick(&expected.postgres)?,
        };
        let mut exp = (*exp).clone();
        source::apply_schema_filter(&mut exp, &filter, &seen);
        crate::filter::ensure_matched(
            &filter.schemas,
            &filter.exclude_schemas,
            &seen,
            &crate::filter::Wording {
                include: "schemas",
                exclude: "exclude_schemas",
                place: "in the expected schema or the live database",
            },
        )?;
        want.postgres = exp.postgres;
        want.migrations = exp.migrations;
        have.postgres = live.postgres;
        expected_labels.push(label);
        actual_labels.push(live.source);
    }
    let mut neo_applied = None;
    if let Some((live, history)) = neo {
        let (exp, label) = match history {
            Some(h) => {
                use crate::applied::neo4j as n4m;
                let c = &expected.cypher;
                match &c.dir {
                    Some(dir) => {
                        let a = n4m::classify_folder(&h, dir)?;
                        let snap = n4m::folder_at_applied(dir, &a, &c.fold)?;
                        neo_applied = Some(a);
                        (Arc::new(snap), crate::migrations::source_name(dir))
                    }
                    None => {
                        let (snap, label) = pick(&expected.neo4j)?;
                        let path = std::path::Path::new(&label);
                        match n4m::classify_file(&h, &snap) {
                            Some(a) => {
                                let at = n4m::file_at_applied(&snap, &a, path)?;
                                neo_applied = Some(a);
                                (Arc::new(at), label)
                            }
                            None => (snap, label),
                        }
                    }
                }
            }
            None => pick(&expected.neo4j)?,
        };
        want.neo4j = exp.neo4j.clone();
        if want.migrations.is_none() {
            want.migrations = exp.migrations.clone();
        }
        have.neo4j = live.neo4j;
        expected_labels.push(label);
        actual_labels.push(live.source);
    }
    let set_aside = match bookkeeping {
        Some(renamed) => crate::history::set_aside(&mut want, &mut have, renamed),
        None => Vec::new(),
    };
    let mut changes = crate::diff::diff_snapshots(&want, &have);
    crate::expected::annotate(&mut changes, &want, &have);
    if let Some(a) = &applied {
        changes.extend(a.changes(expected.alert_on_pending));
        crate::diff::sort_changes(&mut changes);
    }
    if let Some(a) = &neo_applied {
        changes.extend(a.changes(expected.cypher.alert_on_pending));
        crate::diff::sort_changes(&mut changes);
    }
    let mut patterns = t.ignore.clone();
    patterns.extend_from_slice(cli_ignore);
    let rules = IgnoreRules::parse_known(&patterns).map_err(Error::Usage)?;
    let ignored = rules.apply(&mut changes);
    let mut report = Report::new(
        &expected_labels.join(" + "),
        &actual_labels.join(" + "),
        changes,
        ignored,
    );
    report.ddl = crate::ddl::describe::ddl_of_changes(&report.changes, &want, &have);
    report.not_compared = crate::diff::not_compared(&want, &have);
    // A target with both engines' histories lists PostgreSQL's; Neo4j's problems are
    // changes all the same.
    report.migrations = applied.or(neo_applied).map(|a| a.report());
    report.bookkeeping = set_aside;
    if let Some(opts) = fix {
        let sources = (
            report.expected_source.as_str(),
            report.actual_source.as_str(),
        );
        // A target with no script is not a failed check: its section says why.
        let text = crate::fix::script(&want, &have, opts, sources, ignored)
            .unwrap_or_else(|e| format!("{} no fix script: {e}\n", opts.dialect.comment()));
        report.fix = Some(text);
    }
    Ok(report)
}

/// A target's live schema and, when it has the history table of the folder's tool
/// (or, with no folder here, of the tool the expected file records), the table (read
/// in the same transaction; left out of the comparison as bookkeeping) with what it
/// is compared to.
async fn read_with_history(
    url: &crate::redact::Dsn,
    opts: &ReadOptions,
    expected: &Expected,
) -> Result<(Snapshot, Option<(crate::history::History, Recorded)>)> {
    let recorded = match &expected.folder {
        Some(folder) => Some(Recorded::Folder {
            dir: folder.dir.clone(),
            found: crate::migrations::discover(&folder.dir, folder.format)?,
        }),
        // A file that cannot be read fails the target later, with its sentence.
        None => match expected.postgres.as_ref().map(|l| &l.snapshot) {
            Some(Ok(file)) => Recorded::of_file(file.clone()).ok(),
            _ => None,
        },
    };
    let spec = recorded
        .as_ref()
        .and_then(|r| crate::applied::history_spec(r.format()?, expected.history_table.as_ref()));
    let (schema, version, history) =
        crate::history::introspect_with_history(url, &source::pg_options(opts), spec.as_ref())
            .await?;
    let live = source::pg_snapshot(url, schema, version);
    Ok((live, history.zip(recorded)))
}

/// The final report in target order.
pub fn report_of(results: &[Timed]) -> CheckReport {
    CheckReport::new(results.iter().map(|t| t.report.clone()).collect())
}

/// The end-of-run table: target, status, errors, warnings, info, duration.
pub fn summary_table(results: &[Timed]) -> String {
    let mut rows = vec![[
        "target".to_string(),
        "status".into(),
        "errors".into(),
        "warnings".into(),
        "info".into(),
        "duration".into(),
    ]];
    for t in results {
        let (e, w, i) = t
            .report
            .report
            .as_ref()
            .map(|r| (r.summary.errors, r.summary.warnings, r.summary.infos))
            .unwrap_or_default();
        rows.push([
            t.report.target.clone(),
            t.report.status.as_str().to_string(),
            e.to_string(),
            w.to_string(),
            i.to_string(),
            format!("{:.1}s", t.duration.as_secs_f64()),
        ]);
    }
    let mut widths = [0usize; 6];
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for r in &rows {
        let line: Vec<String> = r
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(k, (cell, w))| {
                if k >= 2 {
                    format!("{cell:>w$}")
                } else {
                    format!("{cell:<w$}")
                }
            })
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}
