//! `check --metrics FILE`: the run as OpenMetrics text, for the Prometheus
//! node exporter's textfile collector (a `*.prom` file in its directory) or
//! any scraper of OpenMetrics.
//!
//! Every family is a gauge, so the file reads the same to the collector's
//! Prometheus text parser (which takes `# UNIT` and `# EOF` for comments) and
//! to an OpenMetrics parser. A target that could not be checked is
//! `schemadrift_target_up 0` with no change counts, so an alert rule can tell
//! "clean" from "unknown". The pending-migrations gauge waits for the
//! applied-migrations reading of history tables, which does not exist yet.

use std::io::{self, Write};
use std::time::{Duration, SystemTime};

use super::check::{TargetReport, TargetStatus};
use crate::diff::Severity;

/// Render the metrics of one check run, finished at `now`.
pub fn render(
    targets: &[(&TargetReport, Duration)],
    now: SystemTime,
    w: &mut impl Write,
) -> io::Result<()> {
    family(
        w,
        "schemadrift_target_up",
        None,
        "1 when the target was checked, 0 when the check could not run.",
    )?;
    for (t, _) in targets {
        let up = u8::from(t.status != TargetStatus::Failed);
        writeln!(
            w,
            "schemadrift_target_up{{target=\"{}\"}} {up}",
            label(&t.target)
        )?;
    }
    family(
        w,
        "schemadrift_target_changes",
        None,
        "Changes between the target and its expected schema, after ignore rules, by severity.",
    )?;
    for (t, _) in targets {
        let Some(r) = &t.report else { continue };
        for (severity, n) in [
            (Severity::Error, r.summary.errors),
            (Severity::Warning, r.summary.warnings),
            (Severity::Info, r.summary.infos),
        ] {
            writeln!(
                w,
                "schemadrift_target_changes{{target=\"{}\",severity=\"{}\"}} {n}",
                label(&t.target),
                severity.as_str()
            )?;
        }
    }
    family(
        w,
        "schemadrift_check_duration_seconds",
        Some("seconds"),
        "How long the target's check took, connection and introspection included.",
    )?;
    for (t, d) in targets {
        writeln!(
            w,
            "schemadrift_check_duration_seconds{{target=\"{}\"}} {}",
            label(&t.target),
            seconds(*d)
        )?;
    }
    family(
        w,
        "schemadrift_last_check_timestamp_seconds",
        Some("seconds"),
        "When this check run finished, in seconds since the Unix epoch.",
    )?;
    let since_epoch = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    writeln!(
        w,
        "schemadrift_last_check_timestamp_seconds {}",
        seconds(since_epoch)
    )?;
    writeln!(w, "# EOF")
}

fn family(w: &mut impl Write, name: &str, unit: Option<&str>, help: &str) -> io::Result<()> {
    writeln!(w, "# TYPE {name} gauge")?;
    if let Some(u) = unit {
        writeln!(w, "# UNIT {name} {u}")?;
    }
    writeln!(w, "# HELP {name} {help}")
}

/// Seconds with millisecond precision, as a plain decimal.
fn seconds(d: Duration) -> String {
    format!("{}.{:03}", d.as_secs(), d.subsec_millis())
}

/// A label value: backslash, double quote and newline escaped.
fn label(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample::sample_report;

    #[test]
    fn metrics_of_a_run() {
        let drift = TargetReport::checked("prod \"eu\"", sample_report());
        let failed = TargetReport::failed("staging", "cannot connect".into());
        let mut buf = Vec::new();
        render(
            &[
                (&drift, Duration::from_millis(1250)),
                (&failed, Duration::from_secs(90)),
            ],
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000),
            &mut buf,
        )
        .unwrap();
        insta::assert_snapshot!(String::from_utf8(buf).unwrap());
    }
}
