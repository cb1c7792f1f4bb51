//! The report of `schemadrift check`: one section per target, each a
//! finished diff report or the sentence that says why the check could not run.
//!
//! The JSON form is a public format beside the diff report's:
//!
//! ```json
//! {
//!   "format_version": 1,
//!   "targets": [
//!     { "target": "production", "status": "drift", "report": { ...a diff report... } },
//!     { "target": "staging", "status": "failed", "error": "cannot connect to ..." }
//!   ],
//!   "summary": { "targets": 2, "clean": 0, "drift": 1, "failed": 1,
//!                "errors": 1, "warnings": 0, "infos": 0 }
//! }
//! ```
//!
//! It holds no timestamps or durations, so the same drift gives the same
//! bytes (CI diffs, alert fingerprints).

use std::io::{self, Write};

use super::{json, junit, markdown, sarif, text, Format, Report};

/// How one target's check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetStatus {
    /// Checked: no changes after ignore rules.
    Clean,
    /// Checked: changes found.
    Drift,
    /// The check could not run (unreachable, refused, timed out, bad expected file).
    Failed,
}

impl TargetStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetStatus::Clean => "clean",
            TargetStatus::Drift => "drift",
            TargetStatus::Failed => "failed",
        }
    }
}

/// One target's section of a check report.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetReport {
    pub target: String,
    pub status: TargetStatus,
    /// Why the check failed (one sentence, no password).
    pub error: Option<String>,
    /// The diff report, when the check ran.
    pub report: Option<Report>,
}

impl TargetReport {
    pub fn checked(target: &str, report: Report) -> TargetReport {
        let status = if report.changes.is_empty() {
            TargetStatus::Clean
        } else {
            TargetStatus::Drift
        };
        TargetReport {
            target: target.to_string(),
            status,
            error: None,
            report: Some(report),
        }
    }

    pub fn failed(target: &str, error: String) -> TargetReport {
        TargetReport {
            target: target.to_string(),
            status: TargetStatus::Failed,
            error: Some(error),
            report: None,
        }
    }
}

/// Counts over all targets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckSummary {
    pub targets: usize,
    pub clean: usize,
    pub drift: usize,
    pub failed: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// Every target's section, in target-name order, and the counts.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckReport {
    /// In target-name order.
    pub targets: Vec<TargetReport>,
    pub summary: CheckSummary,
}

impl CheckReport {
    pub fn new(mut targets: Vec<TargetReport>) -> CheckReport {
        targets.sort_by(|a, b| a.target.cmp(&b.target));
        let mut s = CheckSummary {
            targets: targets.len(),
            ..CheckSummary::default()
        };
        for t in &targets {
            match t.status {
                TargetStatus::Clean => s.clean += 1,
                TargetStatus::Drift => s.drift += 1,
                TargetStatus::Failed => s.failed += 1,
            }
            if let Some(r) = &t.report {
                s.errors += r.summary.errors;
                s.warnings += r.summary.warnings;
                s.infos += r.summary.infos;
            }
        }
        CheckReport {
            targets,
            summary: s,
        }
    }

    /// `2 targets: 1 drift, 1 failed`.
    pub fn sentence(&self) -> String {
        let s = &self.summary;
        let mut parts = Vec::new();
        for (n, what) in [(s.clean, "clean"), (s.drift, "drift"), (s.failed, "failed")] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        format!(
            "{} target{}: {}",
            s.targets,
            if s.targets == 1 { "" } else { "s" },
            parts.join(", ")
        )
    }
}

/// Render a check report. In `quiet` text mode clean targets are left out
/// entirely, so a cron job that finds nothing prints nothing.
pub fn render(
    r: &CheckReport,
    format: Format,
    color: bool,
    quiet: bool,
    w: &mut impl Write,
) -> io::Result<()> {
    match format {
        Format::Json => json::render_check(r, w),
        Format::Text => render_text(r, color, quiet, w),
        Format::Markdown => render_markdown(r, w),
        Format::Sarif => sarif::render_parts(
            &r.targets
                .iter()
                .map(|t| sarif::Part {
                    target: Some(&t.target),
                    report: t.report.as_ref(),
                    error: t.error.as_deref(),
                })
                .collect::<Vec<_>>(),
            w,
        ),
        Format::Junit => junit::render_targets(
            &r.targets
                .iter()
                .map(|t| (t.target.as_str(), t.report.as_ref(), t.error.as_deref()))
                .collect::<Vec<_>>(),
            w,
        ),
        Format::Sql => render_fixes(r, "--", quiet, w),
        Format::Cypher => render_fixes(r, "//", quiet, w),
    }
}

/// Each target's fix script under a comment (`--`, `//`) naming it; a
/// target that could not be checked is a comment saying why.
fn render_fixes(r: &CheckReport, comment: &str, quiet: bool, w: &mut impl Write) -> io::Result<()> {
    let mut first = true;
    for t in &r.targets {
        if quiet && t.status == TargetStatus::Clean {
            continue;
        }
        if !first {
            writeln!(w)?;
        }
        first = false;
        writeln!(w, "{comment} == target {}: {}", t.target, t.status.as_str())?;
        if let Some(e) = &t.error {
            writeln!(w, "{comment} check failed: {e}")?;
        }
        if let Some(fix) = t.report.as_ref().and_then(|r| r.fix.as_deref()) {
            w.write_all(fix.as_bytes())?;
        }
    }
    Ok(())
}

fn render_text(r: &CheckReport, color: bool, quiet: bool, w: &mut impl Write) -> io::Result<()> {
    let bold = |s: &str| {
        if color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut first = true;
    for t in &r.targets {
        if quiet && t.status == TargetStatus::Clean {
            continue;
        }
        if !first {
            writeln!(w)?;
        }
        first = false;
        match (&t.report, &t.error) {
            (_, Some(e)) => writeln!(
                w,
                "{}",
                bold(&format!("== {}: check failed: {e}", t.target))
            )?,
            (Some(rep), None) => {
                writeln!(
                    w,
                    "{}",
                    bold(&format!("== {}: {}", t.target, status_line(t.status, rep)))
                )?;
                if t.status != TargetStatus::Drift {
                    // A drifted target's report below has these lines itself.
                    for line in rep.bookkeeping_lines() {
                        writeln!(w, "{line}")?;
                    }
                }
                if t.status == TargetStatus::Drift {
                    // The target's header already says what the report's
                    // first line would.
                    let mut buf = Vec::new();
                    text::render(rep, color, &mut buf)?;
                    let body = String::from_utf8_lossy(&buf);
                    w.write_all(
                        body.split_once('\n')
                            .map_or("", |(_, rest)| rest)
                            .as_bytes(),
                    )?;
                }
            }
            (None, None) => writeln!(w, "== {}: {}", t.target, t.status.as_str())?,
        }
    }
    Ok(())
}

fn status_line(status: TargetStatus, rep: &Report) -> String {
    let pending = rep.migrations.as_ref().and_then(|m| m.pending_line());
    match (status, pending) {
        // A drifted target's report has the line itself.
        (TargetStatus::Clean, Some(line)) => format!("{}; {line}", clean_line(rep)),
        _ => clean_line_or_drift(status, rep),
    }
}

fn clean_line(rep: &Report) -> String {
    clean_line_or_drift(TargetStatus::Clean, rep)
}

fn clean_line_or_drift(status: TargetStatus, rep: &Report) -> String {
    match status {
        TargetStatus::Clean => {
            let mut notes = Vec::new();
            if rep.summary.ignored > 0 {
                notes.push(format!("{} ignored by rules", rep.summary.ignored));
            }
            notes.extend(rep.not_compared_line());
            if notes.is_empty() {
                "no drift".to_string()
            } else {
                format!("no drift ({})", notes.join("; "))
            }
        }
        _ => format!("drift, {}", rep.summary.sentence()),
    }
}

fn render_markdown(r: &CheckReport, w: &mut impl Write) -> io::Result<()> {
    writeln!(w, "## schemadrift check: {}", r.sentence())?;
    writeln!(w)?;
    writeln!(w, "| Target | Status | Errors | Warnings | Info |")?;
    writeln!(w, "| --- | --- | --- | --- | --- |")?;
    for t in &r.targets {
        let (e, wa, i) = t
            .report
            .as_ref()
            .map(|r| (r.summary.errors, r.summary.warnings, r.summary.infos))
            .unwrap_or_default();
        writeln!(
            w,
            "| `{}` | {} | {e} | {wa} | {i} |",
            t.target,
            t.status.as_str()
        )?;
    }
    for t in &r.targets {
        match (&t.report, &t.error) {
            (_, Some(e)) => {
                writeln!(w)?;
                writeln!(w, "### `{}`: check failed", t.target)?;
                writeln!(w)?;
                writeln!(w, "{}", e.replace('\n', " "))?;
            }
            (Some(rep), None) if t.status == TargetStatus::Clean => {
                if let Some(line) = rep.migrations.as_ref().and_then(|m| m.pending_line()) {
                    writeln!(w)?;
                    writeln!(w, "### `{}`: no drift", t.target)?;
                    writeln!(w)?;
                    writeln!(w, "{line}")?;
                }
                // A clean target has no section but for its pending
                // migrations and what it did not compare.
                if let Some(line) = rep.not_compared_line() {
                    writeln!(w)?;
                    writeln!(w, "`{}`: {line}.", t.target)?;
                }
                if !rep.bookkeeping.is_empty() {
                    writeln!(w)?;
                    writeln!(w, "`{}`: left out as bookkeeping:", t.target)?;
                    markdown::bookkeeping_list(rep, w)?;
                }
            }
            (Some(rep), None) if t.status == TargetStatus::Drift => {
                writeln!(w)?;
                writeln!(w, "### `{}`: {}", t.target, rep.summary.sentence())?;
                writeln!(w)?;
                // Without the report's own heading, which the line above replaces.
                let mut buf = Vec::new();
                markdown::render(rep, &mut buf)?;
                let body = String::from_utf8_lossy(&buf);
                let body = body.split_once("\n\n").map_or("", |(_, rest)| rest);
                w.write_all(body.as_bytes())?;
            }
            _ => {}
        }
    }
    Ok(())
}
