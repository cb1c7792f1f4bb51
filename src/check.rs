//! `schemadrift check`: every configured target against the expected
//! schema, concurrently, each on its own timeout, into one report.
//!
//! A cron host needs only the binary, the config file and `expected/`: the
//! expected schema is read from its committed snapshot, never rebuilt here,
//! and targets are only ever read.

use std::sync::Arc;
use std::time::Duration;

use crate::cli::SchemaFilter;
use crate::config::{Config, Target};
use crate::diff::ignore::IgnoreRules;
use crate::error::{Error, Result};
use crate::fleet::{self, JobResult, Shard};
use crate::model::Snapshot;
use crate::report::check::{CheckReport, TargetReport};
use crate::report::Report;
use crate::source::{self, ReadOptions};

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
}

/// One target's result with how long it took (for the summary table).
#[derive(Debug, Clone)]
pub struct Timed {
    pub report: TargetReport,
    pub duration: Duration,
}

/// The expected schema, loaded once for all targets. A file that cannot be
/// read fails every target with the same sentence (so it is alerted), rather
/// than aborting the run.
fn load_expected(cfg: &Config) -> std::result::Result<Arc<Snapshot>, String> {
    source::read_snapshot_file(&cfg.postgres.expected)
        .map(Arc::new)
        .map_err(|e| e.to_string())
}

/// Choose the targets of this run: by name, then by shard.
pub fn select_targets(cfg: &Config, opts: &CheckOptions) -> Result<Vec<Target>> {
    let mut targets = cfg.targets(&opts.targets)?;
    if let Some(shard) = opts.shard {
        targets.retain(|t| shard.contains(&t.name));
    }
    Ok(targets)
}

/// Check `targets`; `on_done(finished)` is called as each one ends.
pub async fn run_check(
    cfg: &Config,
    targets: Vec<Target>,
    opts: &CheckOptions,
    on_done: impl FnMut(usize),
) -> Result<Vec<Timed>> {
    let codes = crate::diff::postgres::CODES;
    let types = crate::diff::postgres::OBJECT_TYPES;
    // Rules are validated up front: a typo is a usage error, not a failed target.
    IgnoreRules::parse(&opts.ignore, codes, types).map_err(Error::Usage)?;
    for t in &targets {
        IgnoreRules::parse(&t.ignore, codes, types).map_err(|e| Error::Config {
            path: cfg.path.clone(),
            line: None,
            message: format!("target `{}`: {e}", t.name),
        })?;
    }
    let expected = load_expected(cfg);
    let expected_label = cfg.postgres.expected.display().to_string();
    let results = fleet::run_all(
        targets,
        opts.jobs,
        opts.timeout,
        |t: &Target| {
            let expected = expected.clone();
            let t = t.clone();
            let cli_ignore = opts.ignore.clone();
            let expected_label = expected_label.clone();
            async move {
                let expected = expected?;
                check_one(&t, &expected, &expected_label, &cli_ignore)
                    .await
                    .map_err(|e| e.to_string())
            }
        },
        on_done,
    )
    .await;
    Ok(results
        .into_iter()
        .map(|(t, r, duration)| {
            let report = match r {
                JobResult::Done(rep) => TargetReport::checked(&t.name, rep),
                JobResult::Failed(e) => TargetReport::failed(&t.name, e),
                JobResult::TimedOut(d) => TargetReport::failed(
                    &t.name,
                    format!(
                        "the check of target `{}` did not finish within {}",
                        t.name,
                        humantime::format_duration(d)
                    ),
                ),
            };
            Timed { report, duration }
        })
        .collect())
}

async fn check_one(
    t: &Target,
    expected: &Snapshot,
    expected_label: &str,
    cli_ignore: &[String],
) -> Result<Report> {
    let url = t
        .postgres
        .as_deref()
        .ok_or_else(|| Error::Usage(format!("target `{}` has no postgres URL", t.name)))?;
    let filter = SchemaFilter {
        schemas: t.schemas.clone(),
        exclude_schemas: t.exclude_schemas.clone(),
    };
    let live = source::read(
        url,
        &ReadOptions {
            filter: filter.clone(),
            ..Default::default()
        },
    )
    .await?;
    let mut expected = expected.clone();
    source::apply_schema_filter(&mut expected, &filter);
    let mut changes = crate::diff::diff_snapshots(&expected, &live);
    let mut patterns = t.ignore.clone();
    patterns.extend_from_slice(cli_ignore);
    let rules = IgnoreRules::parse(
        &patterns,
        crate::diff::postgres::CODES,
        crate::diff::postgres::OBJECT_TYPES,
    )
    .map_err(Error::Usage)?;
    let ignored = rules.apply(&mut changes);
    Ok(Report::new(expected_label, &live.source, changes, ignored))
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
