//! What each channel sends: email subject and bodies (plain text and HTML),
//! the Slack message, and the webhook's JSON body. All pure functions of an
//! [`Alert`], so their content is tested without a server.

use std::fmt::Write as _;
use std::time::SystemTime;

use serde_json::{json, Value};

use super::state::{format_time, Event};
use crate::diff::{Change, Difference};
use crate::report::check::{TargetReport, TargetStatus};
use crate::report::json::JsonTarget;
use crate::report::REPORT_FORMAT_VERSION;

/// At most this many changes are listed in a Slack message.
pub const SLACK_MAX_CHANGES: usize = 5;

/// One message for one channel about one target.
#[derive(Debug, Clone)]
pub struct Alert {
    pub event: Event,
    /// The same drift or failure again, after `remind_after`.
    pub reminder: bool,
    /// The channel it is for (named in test messages).
    pub channel: String,
    pub timestamp: SystemTime,
    /// The target's section of the check report.
    pub target: TargetReport,
}

impl Alert {
    /// The message `schemadrift alert test` sends.
    pub fn test(channel: &str, now: SystemTime) -> Alert {
        Alert {
            event: Event::Test,
            reminder: false,
            channel: channel.to_string(),
            timestamp: now,
            target: TargetReport {
                target: "(test)".to_string(),
                status: TargetStatus::Clean,
                error: None,
                report: None,
            },
        }
    }

    fn counts(&self) -> Option<String> {
        self.target
            .report
            .as_ref()
            .filter(|r| !r.changes.is_empty())
            .map(|r| r.summary.sentence())
    }

    fn changes(&self) -> &[Change] {
        self.target
            .report
            .as_ref()
            .map(|r| r.changes.as_slice())
            .unwrap_or(&[])
    }

    /// `drift detected on production: 2 changes (1 error, 1 warning, 0 infos)`
    pub fn headline(&self) -> String {
        let t = &self.target.target;
        let mut s = match self.event {
            Event::Test => format!("test alert for channel {}", self.channel),
            e => format!("{} on {t}", e.words()),
        };
        if let (Event::DriftDetected | Event::DriftChanged, Some(c)) = (self.event, self.counts()) {
            let _ = write!(s, ": {c}");
        }
        if self.reminder {
            s = format!("reminder: {s}");
        }
        s
    }

    /// The email subject.
    pub fn subject(&self) -> String {
        format!("[schemadrift] {}", self.headline())
    }

    /// The sentence that opens every message.
    fn opening(&self) -> String {
        let t = &self.target.target;
        let at = format_time(self.timestamp);
        let again = if self.reminder {
            " It is unchanged since the last alert and is still not fixed."
        } else {
            ""
        };
        match self.event {
            Event::DriftDetected => format!(
                "The schema of target `{t}` has drifted from the expected schema (checked at {at}).{again}"
            ),
            Event::DriftChanged => format!(
                "The drift of target `{t}` has changed since the last alert (checked at {at})."
            ),
            Event::DriftResolved => format!(
                "The drift of target `{t}` is resolved: it matches the expected schema again (checked at {at})."
            ),
            Event::CheckFailed => format!(
                "The check of target `{t}` could not run (at {at}).{again}"
            ),
            Event::Test => format!(
                "This is a test alert from schemadrift to channel `{}` (sent at {at}). If you can read it, the channel works.",
                self.channel
            ),
        }
    }

    /// The plain-text email body: the opening, then the failure or the text
    /// report of the target (without color).
    pub fn plain_text(&self) -> String {
        let mut out = self.opening();
        out.push_str("\n\n");
        if let Some(e) = &self.target.error {
            out.push_str(e);
            out.push('\n');
        } else if let Some(r) = &self.target.report {
            if !r.changes.is_empty() {
                let mut buf = Vec::new();
                crate::report::text::render(r, false, &mut buf).expect("writing to memory");
                out.push_str(&String::from_utf8_lossy(&buf));
            }
        }
        out.push_str("\n-- \nschemadrift\n");
        out
    }

    /// The HTML alternative: the same content, with a table of changes and
    /// the full text report in a `<pre>`.
    pub fn html(&self) -> String {
        let mut h = String::new();
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body style=\"font-family: sans-serif\">\n<h2>{}</h2>\n<p>{}</p>\n",
            esc(&self.subject()),
            esc(&self.headline()),
            esc(&self.opening())
        );
        if let Some(e) = &self.target.error {
            let _ = writeln!(h, "<pre>{}</pre>", esc(e));
        }
        let changes = self.changes();
        if !changes.is_empty() {
            h.push_str("<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\" style=\"border-collapse: collapse\">\n<tr><th>Severity</th><th>Code</th><th>Type</th><th>Object</th><th>Detail</th></tr>\n");
            for c in changes {
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                    c.severity().as_str(),
                    esc(c.code().name()),
                    esc(c.object_type().name()),
                    esc(c.object()),
                    esc(&short_detail(c))
                );
            }
            h.push_str("</table>\n");
            if let Some(r) = &self.target.report {
                let mut buf = Vec::new();
                crate::report::text::render(r, false, &mut buf).expect("writing to memory");
                let _ = writeln!(
                    h,
                    "<h3>Full report</h3>\n<pre>{}</pre>",
                    esc(&String::from_utf8_lossy(&buf))
                );
            }
        }
        h.push_str("<p style=\"color: #666\">schemadrift</p>\n</body></html>\n");
        h
    }

    /// The Slack incoming-webhook payload: a summary line, the most severe
    /// changes, and how many more there are.
    pub fn slack(&self) -> Value {
        let icon = match self.event {
            Event::DriftDetected => ":rotating_light:",
            Event::DriftChanged => ":arrows_counterclockwise:",
            Event::DriftResolved => ":white_check_mark:",
            Event::CheckFailed => ":x:",
            Event::Test => ":wave:",
        };
        let mut text = format!("{icon} *schemadrift: {}*", slack_esc(&self.headline()));
        if let Some(e) = &self.target.error {
            let _ = write!(text, "\n{}", slack_esc(e));
        }
        if self.event == Event::Test {
            let _ = write!(text, "\n{}", slack_esc(&self.opening()));
        }
        if matches!(self.event, Event::DriftDetected | Event::DriftChanged) {
            let mut changes: Vec<&Change> = self.changes().iter().collect();
            // Most severe first; the report order within a severity.
            changes.sort_by_key(|c| c.severity());
            for c in changes.iter().take(SLACK_MAX_CHANGES) {
                let _ = write!(
                    text,
                    "\n• *{}* `{}` {} `{}`",
                    c.severity().as_str(),
                    slack_esc(c.code().name()),
                    slack_esc(c.object_type().name()),
                    slack_esc(c.object())
                );
                let d = short_detail(c);
                if !d.is_empty() {
                    let _ = write!(text, ": {}", slack_esc(&d));
                }
            }
            if changes.len() > SLACK_MAX_CHANGES {
                let _ = write!(text, "\n_and {} more_", changes.len() - SLACK_MAX_CHANGES);
            }
        }
        json!({ "text": text })
    }

    /// The webhook body: the target's section of the JSON check report plus
    /// `event`, `reminder`, `target` and `timestamp` (RFC 3339, UTC).
    pub fn webhook_body(&self) -> Vec<u8> {
        let target = JsonTarget::from(&self.target);
        let mut v = serde_json::to_value(&target).expect("reports serialize");
        let obj = v.as_object_mut().expect("a target report is an object");
        obj.insert("format_version".into(), json!(REPORT_FORMAT_VERSION));
        obj.insert("event".into(), json!(self.event.as_str()));
        obj.insert("reminder".into(), json!(self.reminder));
        obj.insert("timestamp".into(), json!(format_time(self.timestamp)));
        if self.event == Event::Test {
            obj.insert("channel".into(), json!(self.channel));
            obj.insert("message".into(), json!(self.opening()));
        }
        serde_json::to_vec(&v).expect("JSON values serialize")
    }
}

/// One line about a change: the first changed field, or which side has it.
fn short_detail(c: &Change) -> String {
    match c.difference() {
        Difference::Missing { .. } => "in expected, not in actual".to_string(),
        Difference::Unexpected { .. } => "in actual, not in expected".to_string(),
        Difference::Changed { fields } => {
            let mut parts = Vec::new();
            for f in fields {
                if crate::report::is_long(&f.expected) || crate::report::is_long(&f.actual) {
                    parts.push(format!("{} changed", f.field));
                } else {
                    parts.push(format!(
                        "{}: {} -> {}",
                        f.field,
                        crate::report::inline(&f.expected),
                        crate::report::inline(&f.actual)
                    ));
                }
            }
            parts.join("; ")
        }
    }
}

/// Escape text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Slack's three control characters in message text.
fn slack_esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Code, FieldChange, ObjectType, Severity};
    use crate::report::Report;
    use std::time::Duration;

    fn change(i: usize, severity: Severity) -> Change {
        let fields = vec![FieldChange {
            field: "type".into(),
            expected: json!("integer"),
            actual: json!("text"),
        }];
        let (code, ty) = (Code::ColumnTypeChanged, ObjectType::Column);
        Change::changed(code, ty, format!("app.t.c{i:02}"), fields).with_severity(severity)
    }

    fn alert(event: Event, changes: Vec<Change>) -> Alert {
        Alert {
            event,
            reminder: false,
            channel: "oncall".into(),
            timestamp: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            target: TargetReport::checked(
                "production",
                Report::new("expected.json", "postgres://db/app", changes, 0),
            ),
        }
    }

    #[test]
    fn slack_lists_the_most_severe_and_counts_the_rest() {
        let mut changes: Vec<Change> = (0..6).map(|i| change(i, Severity::Info)).collect();
        changes.push(change(6, Severity::Error));
        changes.push(change(7, Severity::Warning));
        let v = alert(Event::DriftDetected, changes).slack();
        let text = v["text"].as_str().unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            ":rotating_light: *schemadrift: drift detected on production: 8 changes (1 error, 1 warning, 6 infos)*"
        );
        assert_eq!(
            lines[1],
            "• *error* `column-type-changed` column `app.t.c06`: type: integer -&gt; text"
        );
        assert!(lines[2].starts_with("• *warning* "), "{text}");
        assert!(lines[3].contains("`app.t.c00`"), "{text}");
        assert_eq!(lines.len(), 1 + SLACK_MAX_CHANGES + 1);
        assert_eq!(lines[6], "_and 3 more_");
    }

    #[test]
    fn slack_without_more() {
        let v = alert(Event::DriftChanged, vec![change(0, Severity::Warning)]).slack();
        let text = v["text"].as_str().unwrap();
        assert!(!text.contains("more"), "{text}");
        assert!(
            text.starts_with(":arrows_counterclockwise: *schemadrift: drift changed on production")
        );
    }

    #[test]
    fn failed_and_resolved_messages() {
        let mut a = alert(Event::CheckFailed, vec![]);
        a.target = TargetReport::failed("staging", "cannot connect to <db> at x".into());
        assert_eq!(a.subject(), "[schemadrift] check failed on staging");
        assert!(a.plain_text().contains("cannot connect to <db> at x"));
        assert!(a.html().contains("cannot connect to &lt;db&gt; at x"));
        assert!(a.slack()["text"]
            .as_str()
            .unwrap()
            .contains("\ncannot connect to &lt;db&gt; at x"));
        a.reminder = true;
        assert_eq!(
            a.subject(),
            "[schemadrift] reminder: check failed on staging"
        );

        let r = alert(Event::DriftResolved, vec![]);
        assert_eq!(r.subject(), "[schemadrift] drift resolved on production");
        assert!(r.plain_text().contains("matches the expected schema again"));
    }

    #[test]
    fn email_bodies_carry_the_report() {
        let a = alert(Event::DriftDetected, vec![change(0, Severity::Error)]);
        assert_eq!(
            a.subject(),
            "[schemadrift] drift detected on production: 1 change (1 error, 0 warnings, 0 infos)"
        );
        let text = a.plain_text();
        assert!(text.contains("checked at 2023-11-14T22:13:20Z"), "{text}");
        assert!(
            text.contains("error   column-type-changed  column app.t.c00"),
            "{text}"
        );
        assert!(!text.contains('\x1b'));
        let html = a.html();
        assert!(html.contains("<td><code>app.t.c00</code></td>"), "{html}");
        assert!(html.contains("type: integer -&gt; text"), "{html}");
    }

    #[test]
    fn webhook_body_is_the_target_report_plus_event() {
        let a = alert(Event::DriftDetected, vec![change(0, Severity::Error)]);
        let v: Value = serde_json::from_slice(&a.webhook_body()).unwrap();
        assert_eq!(v["event"], "drift-detected");
        assert_eq!(v["target"], "production");
        assert_eq!(v["timestamp"], "2023-11-14T22:13:20Z");
        assert_eq!(v["status"], "drift");
        assert_eq!(v["reminder"], false);
        assert_eq!(v["report"]["changes"][0]["object"], "app.t.c00");
    }
}
