//! `check --metrics FILE`: the run as OpenMetrics text, for the Prometheus
//! node exporter's textfile collector (a `*.prom` file in its directory) or
//! any scraper of OpenMetrics.
//!
//! Every family is a gauge, so the file reads the same to the collector's
//! Prometheus text parser (which takes `# UNIT` and `# EOF` for comments) and
//! to an OpenMetrics parser. A target that could not be checked is
//! `schemadrift_target_up 0` with no change counts, so an alert rule can tell
//! "clean" from "unknown". `schemadrift_target_pending_migrations` is there for
//! each target whose history table was read (a migrations folder in the
//! config and the folder's tool's table in the database).

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
    let migrations = |t: &TargetReport| t.report.as_ref().and_then(|r| r.migrations.clone());
    if targets.iter().any(|(t, _)| migrations(t).is_some()) {
        family(
            w,
            "schemadrift_target_pending_migrations",
            None,
            "Migrations in the folder that the target's history table does not record as applied.",
        )?;
    }
    for (t, _) in targets {
        let Some(m) = migrations(t) else {
            continue;
        };
        writeln!(
            w,
            "schemadrift_target_pending_migrations{{target=\"{}\"}} {}",
            label(&t.target),
            m.pending.len()
        )?;
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

/// The first line of every metrics file schemadrift writes.
const FIRST_LINE: &str = "# TYPE schemadrift_target_up gauge";

/// Whether `--metrics FILE` may write `path`: it is absent, or a file an
/// earlier run wrote. Anything else (a file of the user's, a directory, a
/// device, a FIFO) is left alone, with the sentence that says why.
pub fn may_replace(path: &std::path::Path) -> Result<(), String> {
    use std::io::Read;
    let meta = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(format!(
                "cannot read --metrics file {}: {e}",
                path.display()
            ))
        }
        Ok(m) => m,
    };
    let mut head = vec![0; FIRST_LINE.len()];
    let ours = meta.is_file()
        && std::fs::File::open(path)
            .and_then(|mut f| f.read_exact(&mut head))
            .is_ok()
        && head == FIRST_LINE.as_bytes();
    if ours {
        Ok(())
    } else {
        Err(format!(
            "--metrics {} exists and is not a metrics file schemadrift wrote: \
             remove it or choose another path",
            path.display()
        ))
    }
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
    fn pending_migrations_only_for_targets_whose_history_was_read() {
        let mut with = sample_report();
        with.migrations = Some(crate::report::Migrations {
            pending: vec!["11".into(), "12".into()],
            ..Default::default()
        });
        let a = TargetReport::checked("a", with);
        let b = TargetReport::checked("b", sample_report());
        let mut buf = Vec::new();
        let d = Duration::from_millis(5);
        render(&[(&a, d), (&b, d)], SystemTime::UNIX_EPOCH, &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(
            text.contains("# TYPE schemadrift_target_pending_migrations gauge\n"),
            "{text}"
        );
        assert!(
            text.contains("\nschemadrift_target_pending_migrations{target=\"a\"} 2\n"),
            "{text}"
        );
        assert!(
            !text.contains("schemadrift_target_pending_migrations{target=\"b\"}"),
            "{text}"
        );
        let mut none = Vec::new();
        render(&[(&b, d)], SystemTime::UNIX_EPOCH, &mut none).unwrap();
        assert!(!String::from_utf8(none).unwrap().contains("pending"));
    }

    #[test]
    fn only_an_earlier_metrics_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("schemadrift.prom");
        assert_eq!(may_replace(&p), Ok(()));
        let mut buf = Vec::new();
        render(&[], SystemTime::UNIX_EPOCH, &mut buf).unwrap();
        std::fs::write(&p, &buf).unwrap();
        assert_eq!(may_replace(&p), Ok(()));
        std::fs::write(&p, "node_load1 0.5\n").unwrap();
        let e = may_replace(&p).unwrap_err();
        assert!(e.contains("is not a metrics file schemadrift wrote"), "{e}");
        assert!(may_replace(dir.path()).is_err());
    }

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
