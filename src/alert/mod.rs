//! Alerts: tell the right people once per new state, reliably.
//!
//! After `check` has written its report, each configured channel (email
//! over SMTP, a Slack incoming webhook, a signed JSON webhook) is given the
//! events for the targets it follows: `drift-detected`, `drift-changed`,
//! `drift-resolved`, `check-failed`. What each channel was last told lives in
//! a small state file ([`state`]), so an unchanged drift is not sent again
//! until `remind_after` has passed, and a delivery that fails is tried again
//! on the next run (its state is only updated once it is delivered).
//!
//! Channels are an enum rather than a trait object: three closed kinds,
//! matched exhaustively, like `Change`; [`deliver::Notifier`] is the one
//! place that knows how each one sends.

pub mod deliver;
pub mod message;
pub mod sign;
pub mod state;

use std::time::SystemTime;

use crate::config::{Alerts, Channel};
use crate::diff::Severity;
use crate::error::Error;
use crate::report::check::{CheckReport, TargetReport, TargetStatus};

use deliver::Notifier;
use message::Alert;
use state::{Decision, Observed, Update};

/// A channel that did not take its alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub channel: String,
    /// One sentence, without secrets.
    pub reason: String,
}

/// How a target looks to one channel: failures always count; drift counts
/// only through its changes at or above the channel's minimum severity.
pub fn observe(t: &TargetReport, min_severity: Severity) -> Observed {
    match (t.status, &t.report) {
        (TargetStatus::Failed, _) | (_, None) => Observed::Failed {
            fingerprint: state::failure_fingerprint(t.error.as_deref().unwrap_or("failed")),
        },
        (_, Some(r)) => {
            // `Severity` orders the most severe first.
            let relevant: Vec<_> = r
                .changes
                .iter()
                .filter(|c| c.severity() <= min_severity)
                .collect();
            if relevant.is_empty() {
                Observed::Clean
            } else {
                Observed::Drift {
                    fingerprint: state::fingerprint(relevant),
                }
            }
        }
    }
}

fn follows(ch: &Channel, target: &str) -> bool {
    ch.targets
        .as_ref()
        .is_none_or(|ts| ts.iter().any(|t| t == target))
}

/// One channel's work for this run.
struct Plan<'a> {
    channel: &'a Channel,
    /// (alert, entry to store once delivered).
    alerts: Vec<(Alert, Option<state::Entry>)>,
}

/// Send what `report` calls for to every channel, then store the new state.
/// Returns the channels that failed; `Err` only when the state file cannot
/// be written. Progress and warnings go to standard error (`quiet`: only
/// warnings and failures).
pub async fn after_check(
    alerts: &Alerts,
    report: &CheckReport,
    now: SystemTime,
    quiet: bool,
) -> Result<Vec<Failure>, Error> {
    if alerts.channels.is_empty() {
        return Ok(Vec::new());
    }
    let (prev, warning) = state::load(&alerts.state_file);
    if let Some(w) = warning {
        eprintln!("schemadrift: warning: {w}");
    }
    let mut updates: Vec<Update> = Vec::new();
    let mut plans = Vec::new();
    for (name, ch) in &alerts.channels {
        let mut plan = Plan {
            channel: ch,
            alerts: Vec::new(),
        };
        for t in report.targets.iter().filter(|t| follows(ch, &t.target)) {
            let before = prev.get(name, &t.target);
            let Decision { send, next } = state::decide(
                before,
                &observe(t, ch.min_severity),
                now,
                alerts.remind_after,
            );
            match send {
                Some(s) => plan.alerts.push((
                    Alert {
                        event: s.event,
                        reminder: s.reminder,
                        channel: name.clone(),
                        timestamp: now,
                        target: t.clone(),
                    },
                    next,
                )),
                None if before != next.as_ref() => {
                    updates.push((name.clone(), t.target.clone(), next));
                }
                None => {}
            }
        }
        if !plan.alerts.is_empty() {
            plans.push(plan);
        }
    }
    let results =
        futures_util::future::join_all(plans.into_iter().map(|p| run_plan(p, quiet))).await;
    let mut failures = Vec::new();
    for (delivered, failure) in results {
        updates.extend(delivered);
        failures.extend(failure);
    }
    state::save(&alerts.state_file, &updates)?;
    Ok(failures)
}

/// Send one channel's alerts in order; stop at the first that fails (the
/// rest are retried on the next run along with it).
async fn run_plan(plan: Plan<'_>, quiet: bool) -> (Vec<Update>, Option<Failure>) {
    let name = &plan.channel.name;
    let notifier = match Notifier::new(plan.channel) {
        Ok(n) => n,
        Err(reason) => {
            return (
                Vec::new(),
                Some(Failure {
                    channel: name.clone(),
                    reason,
                }),
            )
        }
    };
    let mut delivered = Vec::new();
    for (alert, next) in plan.alerts {
        match notifier.send(&alert).await {
            Ok(()) => {
                if !quiet {
                    eprintln!(
                        "schemadrift: alert `{name}`: sent {}{} for target `{}`",
                        alert.event.as_str(),
                        if alert.reminder { " (reminder)" } else { "" },
                        alert.target.target
                    );
                }
                delivered.push((name.clone(), alert.target.target.clone(), next));
            }
            Err(reason) => {
                return (
                    delivered,
                    Some(Failure {
                        channel: name.clone(),
                        reason: format!(
                            "{} for target `{}` not sent: {reason}",
                            alert.event.as_str(),
                            alert.target.target
                        ),
                    }),
                )
            }
        }
    }
    (delivered, None)
}

/// `schemadrift alert test`: a test message to each of `channels`, all at
/// once. Returns the channels that failed.
pub async fn send_test(channels: Vec<&Channel>) -> Vec<Failure> {
    let now = SystemTime::now();
    let results = futures_util::future::join_all(channels.into_iter().map(|ch| async move {
        let r = match Notifier::new(ch) {
            Ok(n) => n.send(&Alert::test(&ch.name, now)).await,
            Err(e) => Err(e),
        };
        (ch.name.clone(), r)
    }))
    .await;
    let mut failures = Vec::new();
    for (name, r) in results {
        match r {
            Ok(()) => eprintln!("schemadrift: alert `{name}`: test message delivered"),
            Err(reason) => failures.push(Failure {
                channel: name,
                reason,
            }),
        }
    }
    failures
}

/// The error for failed channels: the first named, the others printed.
pub fn failures_error(failures: Vec<Failure>) -> Option<Error> {
    let mut it = failures.into_iter();
    let first = it.next()?;
    let mut others = 0;
    for f in it {
        eprintln!(
            "schemadrift: alert channel `{}` did not deliver: {}",
            f.channel, f.reason
        );
        others += 1;
    }
    Some(Error::AlertNotDelivered {
        channel: first.channel,
        reason: first.reason,
        others,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Change, Definition, ObjectType};
    use crate::report::Report;

    fn change(sev: Severity) -> Change {
        let def = Definition::DomainConstraint(String::new());
        let object = format!("app.t.{}", sev.as_str());
        Change::unexpected(ObjectType::Index, object, def).with_severity(sev)
    }

    #[test]
    fn min_severity_filters_what_a_channel_sees() {
        let t = TargetReport::checked(
            "prod",
            Report::new("e", "a", vec![change(Severity::Info)], 0),
        );
        assert_eq!(observe(&t, Severity::Warning), Observed::Clean);
        assert!(matches!(
            observe(&t, Severity::Info),
            Observed::Drift { .. }
        ));
        let t2 = TargetReport::checked(
            "prod",
            Report::new(
                "e",
                "a",
                vec![change(Severity::Info), change(Severity::Warning)],
                0,
            ),
        );
        // The info change does not move a warning channel's fingerprint.
        let t3 = TargetReport::checked(
            "prod",
            Report::new("e", "a", vec![change(Severity::Warning)], 0),
        );
        assert_eq!(
            observe(&t2, Severity::Warning),
            observe(&t3, Severity::Warning)
        );
        assert_ne!(observe(&t2, Severity::Info), observe(&t3, Severity::Info));
        let f = TargetReport::failed("prod", "refused".into());
        assert!(matches!(
            observe(&f, Severity::Error),
            Observed::Failed { .. }
        ));
    }
}
