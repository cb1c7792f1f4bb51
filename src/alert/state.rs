//! One alert per new state: fingerprints, the pure transition function, and
//! the state file.
//!
//! The file holds, per channel and target, what that channel was last told:
//! the fingerprint of the drift it knows of and of the failure it knows of,
//! each with when it was sent. It is JSON, written atomically under a lock
//! (two shards of one fleet may end at the same moment), and only what this
//! run changed is merged into what is on disk. A missing or unreadable file
//! counts as empty: the worst case is one repeated alert, never a crash.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diff::{Change, Difference};
use crate::error::{Error, Result};

/// The state file format version.
pub const STATE_VERSION: u32 = 1;

/// What happened, as receivers see it (`event` in the webhook body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Event {
    DriftDetected,
    DriftChanged,
    DriftResolved,
    CheckFailed,
    /// `schemadrift alert test`.
    Test,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::DriftDetected => "drift-detected",
            Event::DriftChanged => "drift-changed",
            Event::DriftResolved => "drift-resolved",
            Event::CheckFailed => "check-failed",
            Event::Test => "test",
        }
    }

    /// `drift detected`, for subjects and sentences.
    pub fn words(self) -> &'static str {
        match self {
            Event::DriftDetected => "drift detected",
            Event::DriftChanged => "drift changed",
            Event::DriftResolved => "drift resolved",
            Event::CheckFailed => "check failed",
            Event::Test => "test alert",
        }
    }
}

/// A fingerprint and when it was last sent to the channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    pub fingerprint: String,
    /// RFC 3339, UTC.
    pub sent_at: String,
}

/// What one channel was last told about one target. Absent = clean.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The drift the channel knows of (kept while the target is failing, so
    /// a recovery to the same drift is not announced again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift: Option<Seen>,
    /// The failure the channel knows of, while the check fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Seen>,
}

impl Entry {
    fn is_empty(&self) -> bool {
        self.drift.is_none() && self.failure.is_none()
    }
}

/// The outcome of one target's check as one channel sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observed {
    /// No changes at or above the channel's minimum severity.
    Clean,
    Drift {
        fingerprint: String,
    },
    Failed {
        fingerprint: String,
    },
}

/// What to send, if anything, and the entry to store once it is delivered
/// (or at once, when there is nothing to send).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub send: Option<Send>,
    /// `None`: remove the entry (the target is clean for this channel).
    pub next: Option<Entry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Send {
    pub event: Event,
    /// The same drift or failure again, after `remind_after`.
    pub reminder: bool,
}

/// The transition: previous entry + this run's outcome + now -> what to send
/// and what to remember. Pure, so every case is a unit test.
pub fn decide(
    prev: Option<&Entry>,
    observed: &Observed,
    now: SystemTime,
    remind_after: Option<Duration>,
) -> Decision {
    let prev = prev.cloned().unwrap_or_default();
    let stamp = format_time(now);
    let due = |s: &Seen| match (remind_after, parse_time(&s.sent_at)) {
        (Some(every), Some(at)) => now.duration_since(at).is_ok_and(|d| d >= every),
        (Some(_), None) => true, // an unreadable time: remind rather than stay silent
        (None, _) => false,
    };
    let seen = |fingerprint: &str| Seen {
        fingerprint: fingerprint.to_string(),
        sent_at: stamp.clone(),
    };
    let keep = |e: Entry| if e.is_empty() { None } else { Some(e) };
    match observed {
        Observed::Failed { fingerprint } => {
            let send = match &prev.failure {
                Some(f) if f.fingerprint == *fingerprint && !due(f) => None,
                Some(f) if f.fingerprint == *fingerprint => Some(Send {
                    event: Event::CheckFailed,
                    reminder: true,
                }),
                _ => Some(Send {
                    event: Event::CheckFailed,
                    reminder: false,
                }),
            };
            let failure = if send.is_some() {
                Some(seen(fingerprint))
            } else {
                prev.failure.clone()
            };
            Decision {
                send,
                next: keep(Entry {
                    drift: prev.drift,
                    failure,
                }),
            }
        }
        // Recovered or not failing: the failure is forgotten without a
        // message of its own, and the drift logic runs as usual.
        Observed::Clean => match prev.drift {
            Some(_) => Decision {
                send: Some(Send {
                    event: Event::DriftResolved,
                    reminder: false,
                }),
                next: None,
            },
            None => Decision {
                send: None,
                next: None,
            },
        },
        Observed::Drift { fingerprint } => {
            let (send, drift) = match &prev.drift {
                None => (
                    Some(Send {
                        event: Event::DriftDetected,
                        reminder: false,
                    }),
                    seen(fingerprint),
                ),
                Some(d) if d.fingerprint != *fingerprint => (
                    Some(Send {
                        event: Event::DriftChanged,
                        reminder: false,
                    }),
                    seen(fingerprint),
                ),
                Some(d) if due(d) => (
                    Some(Send {
                        event: Event::DriftDetected,
                        reminder: true,
                    }),
                    seen(fingerprint),
                ),
                Some(d) => (None, d.clone()),
            };
            Decision {
                send,
                next: Some(Entry {
                    drift: Some(drift),
                    failure: None,
                }),
            }
        }
    }
}

/// A stable fingerprint of a set of changes: SHA-256 of their sorted
/// (code, object, field names and values) lines. It does not depend on the
/// order of `changes`, on definitions of whole missing or unexpected
/// objects, nor on anything that varies between runs.
pub fn fingerprint<'a>(changes: impl IntoIterator<Item = &'a Change>) -> String {
    let mut lines: Vec<String> = changes
        .into_iter()
        .map(|c| {
            let mut l = format!("{}\t{}\t{}", c.code().name(), c.kind().as_str(), c.object());
            if let Difference::Changed { fields } = c.difference() {
                let mut fields: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}={}->{}", f.field, f.expected, f.actual))
                    .collect();
                fields.sort();
                for f in fields {
                    l.push('\t');
                    l.push_str(&f);
                }
            }
            l
        })
        .collect();
    lines.sort();
    lines.dedup();
    let mut h = Sha256::new();
    h.update(b"schemadrift-drift-v1\n");
    for l in &lines {
        h.update(l.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

/// The fingerprint of a failure: its sentence.
pub fn failure_fingerprint(message: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"schemadrift-failure-v1\n");
    h.update(message.as_bytes());
    hex::encode(h.finalize())
}

pub fn format_time(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

pub fn parse_time(s: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339_weak(s).ok()
}

/// The state file's content: channel -> target -> entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    #[serde(default)]
    pub channels: BTreeMap<String, BTreeMap<String, Entry>>,
}

impl State {
    pub fn get(&self, channel: &str, target: &str) -> Option<&Entry> {
        self.channels.get(channel).and_then(|t| t.get(target))
    }

    pub fn set(&mut self, channel: &str, target: &str, entry: Option<Entry>) {
        match entry {
            Some(e) => {
                self.channels
                    .entry(channel.to_string())
                    .or_default()
                    .insert(target.to_string(), e);
            }
            None => {
                if let Some(t) = self.channels.get_mut(channel) {
                    t.remove(target);
                    if t.is_empty() {
                        self.channels.remove(channel);
                    }
                }
            }
        }
    }
}

/// Read the state file. Missing: empty, silently. Unreadable or corrupt: a
/// warning (returned, for the caller to print) and empty.
pub fn load(path: &Path) -> (State, Option<String>) {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (State::default(), None),
        Err(e) => {
            return (
                State::default(),
                Some(format!(
                    "cannot read the alert state file {} ({e}); treating it as empty, so alerts may repeat",
                    path.display()
                )),
            )
        }
    };
    match serde_json::from_str::<State>(&text) {
        Ok(s) if s.version == STATE_VERSION => (s, None),
        Ok(s) => (
            State::default(),
            Some(format!(
                "the alert state file {} has version {} (this schemadrift writes {STATE_VERSION}); treating it as empty, so alerts may repeat",
                path.display(),
                s.version
            )),
        ),
        Err(e) => (
            State::default(),
            Some(format!(
                "the alert state file {} is corrupt ({e}); treating it as empty, so alerts may repeat",
                path.display()
            )),
        ),
    }
}

/// One (channel, target) entry to store: `None` removes it.
pub type Update = (String, String, Option<Entry>);

/// Merge `updates` into the file as it is now on disk and write it
/// atomically, holding an exclusive lock on `<file>.lock` meanwhile, so runs
/// that end together (shards) do not lose each other's entries.
pub fn save(path: &Path, updates: &[Update]) -> Result<()> {
    if updates.is_empty() {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let lock_path = path.with_file_name(format!(
        "{}.lock",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "state".into())
    ));
    let _lock = FileLock::acquire(&lock_path)?;
    // The warning, if any, was already given when the run began.
    let (mut state, _) = load(path);
    state.version = STATE_VERSION;
    for (channel, target, entry) in updates {
        state.set(channel, target, entry.clone());
    }
    let mut text = serde_json::to_string_pretty(&state).expect("state serializes");
    text.push('\n');
    crate::io::write_file(path, text.as_bytes())
}

/// An exclusive `flock` held until dropped.
struct FileLock(std::fs::File);

impl FileLock {
    fn acquire(path: &Path) -> Result<FileLock> {
        use std::os::unix::io::AsRawFd;
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|source| Error::Write {
                path: path.to_path_buf(),
                source,
            })?;
        // SAFETY: flock on a file descriptor we own, for the life of `f`.
        let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
        if rc != 0 {
            return Err(Error::Write {
                path: path.to_path_buf(),
                source: std::io::Error::last_os_error(),
            });
        }
        Ok(FileLock(f))
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        use std::os::unix::io::AsRawFd;
        // SAFETY: unlocking the descriptor locked in `acquire`.
        unsafe {
            libc::flock(self.0.as_raw_fd(), libc::LOCK_UN);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Code, Definition, FieldChange, ObjectType};
    use serde_json::json;

    fn t(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
    }

    fn drift(f: &str) -> Observed {
        Observed::Drift {
            fingerprint: f.into(),
        }
    }

    fn failed(f: &str) -> Observed {
        Observed::Failed {
            fingerprint: f.into(),
        }
    }

    /// Run a sequence of outcomes through `decide`, storing each next entry
    /// (as if every send were delivered); returns the events sent.
    fn run(steps: &[(u64, Observed)], remind: Option<Duration>) -> Vec<Option<(Event, bool)>> {
        let mut entry: Option<Entry> = None;
        steps
            .iter()
            .map(|(at, o)| {
                let d = decide(entry.as_ref(), o, t(*at), remind);
                entry = d.next;
                d.send.map(|s| (s.event, s.reminder))
            })
            .collect()
    }

    #[test]
    fn drift_same_then_resolved() {
        let got = run(
            &[
                (0, Observed::Clean),
                (10, drift("a")),
                (20, drift("a")),
                (30, Observed::Clean),
                (40, Observed::Clean),
            ],
            None,
        );
        assert_eq!(
            got,
            vec![
                None,
                Some((Event::DriftDetected, false)),
                None,
                Some((Event::DriftResolved, false)),
                None
            ]
        );
    }

    #[test]
    fn changed_drift_is_its_own_event() {
        let got = run(&[(0, drift("a")), (1, drift("b")), (2, drift("b"))], None);
        assert_eq!(
            got,
            vec![
                Some((Event::DriftDetected, false)),
                Some((Event::DriftChanged, false)),
                None
            ]
        );
    }

    #[test]
    fn reminders_after_the_interval_only() {
        let every = Some(Duration::from_secs(100));
        let got = run(
            &[
                (0, drift("a")),
                (99, drift("a")),
                (100, drift("a")),
                (150, drift("a")),
                (201, drift("a")),
            ],
            every,
        );
        assert_eq!(
            got,
            vec![
                Some((Event::DriftDetected, false)),
                None,
                Some((Event::DriftDetected, true)),
                None,
                Some((Event::DriftDetected, true)),
            ]
        );
    }

    #[test]
    fn failures_once_per_message_with_reminders_then_back_to_drift_logic() {
        let every = Some(Duration::from_secs(100));
        let got = run(
            &[
                (0, drift("a")),
                (10, failed("refused")),
                (20, failed("refused")),
                (30, failed("timeout")),
                (130, failed("timeout")),
                // Recovered with the drift it had before: only the reminder
                // that was due anyway (sent at 0, every 100).
                (140, drift("a")),
                (150, failed("refused")),
                (160, Observed::Clean),
            ],
            every,
        );
        assert_eq!(
            got,
            vec![
                Some((Event::DriftDetected, false)),
                Some((Event::CheckFailed, false)),
                None,
                Some((Event::CheckFailed, false)),
                Some((Event::CheckFailed, true)),
                Some((Event::DriftDetected, true)),
                Some((Event::CheckFailed, false)),
                Some((Event::DriftResolved, false)),
            ]
        );
    }

    #[test]
    fn recovery_to_the_known_drift_says_nothing() {
        let got = run(&[(0, drift("a")), (1, failed("x")), (2, drift("a"))], None);
        assert_eq!(
            got,
            vec![
                Some((Event::DriftDetected, false)),
                Some((Event::CheckFailed, false)),
                None
            ]
        );
    }

    #[test]
    fn failure_then_clean_recovery_without_prior_drift_says_nothing() {
        let got = run(&[(0, failed("x")), (1, Observed::Clean)], None);
        assert_eq!(got, vec![Some((Event::CheckFailed, false)), None]);
    }

    #[test]
    fn undelivered_alert_is_decided_again() {
        // The caller stores `next` only after delivery: with the old entry
        // kept, the same decision comes back on the next run.
        let d1 = decide(None, &drift("a"), t(0), None);
        let d2 = decide(None, &drift("a"), t(60), None);
        assert_eq!(d1.send, d2.send);
        assert!(d1.send.is_some());
    }

    /// A changed column, or without fields an unexpected index.
    fn change(code: Code, object: &str, fields: &[(&str, &str, &str)]) -> Change {
        if fields.is_empty() {
            let def = Definition::DomainConstraint("anything".into());
            return Change::unexpected(ObjectType::Index, object.into(), def);
        }
        let fields = fields
            .iter()
            .map(|(f, e, a)| FieldChange {
                field: f.to_string(),
                expected: json!(e),
                actual: json!(a),
            })
            .collect();
        Change::changed(code, ObjectType::Column, object.into(), fields)
    }

    #[test]
    fn fingerprint_is_order_independent_and_sensitive_to_content() {
        let a = change(Code::ColumnTypeChanged, "s.t.c", &[("type", "int", "text")]);
        let b = change(Code::IndexUnexpected, "s.t.i", &[]);
        let f1 = fingerprint([&a, &b]);
        assert_eq!(f1, fingerprint([&b, &a]));
        assert_eq!(f1.len(), 64);
        let def = Definition::DomainConstraint("other".into());
        let b2 = Change::unexpected(ObjectType::Index, "s.t.i".into(), def);
        assert_eq!(f1, fingerprint([&a, &b2]), "definitions are left out");
        let a2 = change(
            Code::ColumnTypeChanged,
            "s.t.c",
            &[("type", "int", "bigint")],
        );
        assert_ne!(f1, fingerprint([&a2, &b]));
        assert_ne!(f1, fingerprint([&a]));
        // Pinned: a change here re-alerts every fleet once; do it on purpose.
        assert_eq!(
            f1,
            "225b75dde527a6a5f567faaebeb276a5511531a93a16712694baad3257e9c42c"
        );
    }

    #[test]
    fn state_file_missing_corrupt_and_merged() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("state.json");
        let (s, w) = load(&p);
        assert_eq!(s, State::default());
        assert!(w.is_none());
        std::fs::write(&p, "{ not json").unwrap();
        let (s, w) = load(&p);
        assert_eq!(s, State::default());
        assert!(w.unwrap().contains("is corrupt"));

        let e = Entry {
            drift: Some(Seen {
                fingerprint: "f".into(),
                sent_at: format_time(t(0)),
            }),
            failure: None,
        };
        save(&p, &[("a".into(), "prod".into(), Some(e.clone()))]).unwrap();
        save(&p, &[("b".into(), "prod".into(), Some(e.clone()))]).unwrap();
        let (s, w) = load(&p);
        assert!(w.is_none());
        assert_eq!(s.get("a", "prod"), Some(&e));
        assert_eq!(s.get("b", "prod"), Some(&e));
        save(&p, &[("a".into(), "prod".into(), None)]).unwrap();
        let (s, _) = load(&p);
        assert_eq!(s.get("a", "prod"), None);
        assert!(!s.channels.contains_key("a"));
    }
}
