//! The `[alerts]` section of `schemadrift.toml`: where the state file lives,
//! the reminder interval, delivery limits, and the named channels.
//!
//! Values are kept uninterpolated ([`Setting`]) until a channel is about to
//! send, so a run that alerts no one needs none of their variables; those
//! that may hold secrets (URLs, passwords, header values) are [`Secret`]s,
//! which `Debug` never shows.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::{Ctx, Setting};
use crate::diff::Severity;
use crate::error::Result;

/// The default state file, relative to the config file.
pub const DEFAULT_STATE_FILE: &str = ".schemadrift-state.json";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlerts {
    state_file: Option<Spanned<String>>,
    remind_after: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    connect_timeout: Option<Spanned<String>>,
    retries: Option<Spanned<u32>>,
    backoff: Option<Spanned<String>>,
    max_retry_after: Option<Spanned<String>>,
    #[serde(default)]
    channels: BTreeMap<String, Spanned<RawChannel>>,
}

/// Every key any channel type has; which ones a type accepts is checked after.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannel {
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    targets: Option<Spanned<Vec<String>>>,
    min_severity: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    connect_timeout: Option<Spanned<String>>,
    retries: Option<Spanned<u32>>,
    backoff: Option<Spanned<String>>,
    max_retry_after: Option<Spanned<String>>,
    // email
    host: Option<Spanned<String>>,
    port: Option<Spanned<u16>>,
    tls: Option<Spanned<String>>,
    username: Option<Spanned<String>>,
    password: Option<Spanned<String>>,
    from: Option<Spanned<String>>,
    to: Option<Spanned<Vec<Spanned<String>>>>,
    // email and webhook
    ca_file: Option<Spanned<String>>,
    // slack and webhook
    url: Option<Spanned<String>>,
    // webhook
    secret: Option<Spanned<String>>,
    headers: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
}

/// A config value that may hold a secret: shown as `***` by `Debug`.
#[derive(Clone)]
pub struct Secret(pub Setting);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// The loaded `[alerts]` section.
#[derive(Debug, Clone)]
pub struct Alerts {
    /// Absolute, or relative to the working directory (already joined to the
    /// config file's directory).
    pub state_file: PathBuf,
    /// Send an unchanged drift or failure again after this long; never when `None`.
    pub remind_after: Option<Duration>,
    /// By name, in name order.
    pub channels: BTreeMap<String, Channel>,
}

/// Timeouts and retries of one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    /// Time to open the connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Time for one whole attempt.
    pub timeout: Duration,
    /// Attempts after the first one.
    pub retries: u32,
    /// The wait before the first retry, doubled for each further one.
    pub backoff: Duration,
    /// The longest `Retry-After` honoured; longer ones are cut to this.
    pub max_retry_after: Duration,
}

impl Default for Delivery {
    fn default() -> Self {
        Delivery {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            retries: 3,
            backoff: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// One named channel.
#[derive(Debug, Clone)]
pub struct Channel {
    pub name: String,
    /// The line of its table in the config file.
    pub line: usize,
    /// Only these targets alert here; every target when `None`.
    pub targets: Option<Vec<String>>,
    /// Drift whose changes are all below this does not alert here.
    pub min_severity: Severity,
    pub delivery: Delivery,
    pub kind: ChannelKind,
}

#[derive(Debug, Clone)]
pub enum ChannelKind {
    Email(EmailConfig),
    Slack(SlackConfig),
    Webhook(WebhookConfig),
}

impl ChannelKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            ChannelKind::Email(_) => "email",
            ChannelKind::Slack(_) => "slack",
            ChannelKind::Webhook(_) => "webhook",
        }
    }
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain text (a relay on localhost).
    None,
    /// Plain connection upgraded with STARTTLS, which is required.
    Starttls,
    /// TLS from the first byte (SMTPS, port 465).
    Tls,
}

#[derive(Debug, Clone)]
pub struct EmailConfig {
    pub host: Setting,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<Setting>,
    pub password: Option<Secret>,
    pub from: Setting,
    pub to: Vec<Setting>,
    pub ca_file: Option<Setting>,
}

#[derive(Debug, Clone)]
pub struct SlackConfig {
    /// The incoming-webhook URL; its path is itself a secret.
    pub url: Secret,
}

#[derive(Debug, Clone)]
pub struct WebhookConfig {
    pub url: Secret,
    /// The HMAC-SHA256 key the body is signed with.
    pub secret: Option<Secret>,
    /// Extra headers (`Authorization`, ...); values are treated as secrets.
    pub headers: BTreeMap<String, Secret>,
    pub ca_file: Option<Setting>,
}

impl Alerts {
    /// Validate the raw section. `known_targets` are the config's target
    /// names (a channel limited to an unknown target is a typo);
    /// `resolve_path` joins a relative path to the config file's directory.
    pub(super) fn from_raw(
        raw: RawAlerts,
        ctx: &Ctx<'_>,
        known_targets: &[&str],
        resolve_path: &dyn Fn(&str) -> PathBuf,
    ) -> Result<Alerts> {
        let state_file = match &raw.state_file {
            Some(s) => resolve_path(s.get_ref()),
            None => resolve_path(DEFAULT_STATE_FILE),
        };
        let remind_after = match &raw.remind_after {
            Some(v) if matches!(v.get_ref().trim(), "" | "never" | "0" | "0s") => None,
            Some(v) => Some(ctx.duration(v, "remind_after")?),
            None => None,
        };
        let base = delivery(
            Delivery::default(),
            ctx,
            &raw.timeout,
            &raw.connect_timeout,
            &raw.retries,
            &raw.backoff,
            &raw.max_retry_after,
        )?;
        let mut channels = BTreeMap::new();
        for (name, spanned) in raw.channels {
            let start = spanned.span().start;
            let c = channel(&name, spanned.into_inner(), start, ctx, base, known_targets)?;
            channels.insert(name, c);
        }
        Ok(Alerts {
            state_file,
            remind_after,
            channels,
        })
    }
}

fn delivery(
    mut d: Delivery,
    ctx: &Ctx<'_>,
    timeout: &Option<Spanned<String>>,
    connect_timeout: &Option<Spanned<String>>,
    retries: &Option<Spanned<u32>>,
    backoff: &Option<Spanned<String>>,
    max_retry_after: &Option<Spanned<String>>,
) -> Result<Delivery> {
    if let Some(v) = timeout {
        d.timeout = ctx.duration(v, "timeout")?;
    }
    if let Some(v) = connect_timeout {
        d.connect_timeout = ctx.duration(v, "connect_timeout")?;
    }
    if let Some(v) = retries {
        if *v.get_ref() > 20 {
            return Err(ctx.err(v.span().start, "`retries` is at most 20"));
        }
        d.retries = *v.get_ref();
    }
    if let Some(v) = backoff {
        d.backoff = ctx.duration(v, "backoff")?;
    }
    if let Some(v) = max_retry_after {
        d.max_retry_after = ctx.duration(v, "max_retry_after")?;
    }
    for (v, key) in [(timeout, "timeout"), (connect_timeout, "connect_timeout")] {
        if let Some(v) = v {
            if ctx.duration(v, key)?.is_zero() {
                return Err(ctx.err(v.span().start, format!("`{key}` must be more than 0s")));
            }
        }
    }
    Ok(d)
}

fn channel(
    name: &str,
    r: RawChannel,
    start: usize,
    ctx: &Ctx<'_>,
    base: Delivery,
    known_targets: &[&str],
) -> Result<Channel> {
    let kind_name = match &r.kind {
        Some(k) => k.get_ref().as_str(),
        None => {
            return Err(ctx.err(
                start,
                format!(
                    "alert channel `{name}` has no `type` (\"email\", \"slack\" or \"webhook\")"
                ),
            ))
        }
    };
    // Keys each type accepts, beyond the common ones.
    let allowed: &[&str] = match kind_name {
        "email" => &[
            "host", "port", "tls", "username", "password", "from", "to", "ca_file",
        ],
        "slack" => &["url"],
        "webhook" => &["url", "secret", "headers", "ca_file"],
        other => {
            let at = r.kind.as_ref().map(|k| k.span().start).unwrap_or(start);
            return Err(ctx.err(
                at,
                format!("alert channel `{name}`: unknown type `{other}` (expected \"email\", \"slack\" or \"webhook\")"),
            ));
        }
    };
    let present: [(&str, Option<usize>); 11] = [
        ("host", r.host.as_ref().map(|v| v.span().start)),
        ("port", r.port.as_ref().map(|v| v.span().start)),
        ("tls", r.tls.as_ref().map(|v| v.span().start)),
        ("username", r.username.as_ref().map(|v| v.span().start)),
        ("password", r.password.as_ref().map(|v| v.span().start)),
        ("from", r.from.as_ref().map(|v| v.span().start)),
        ("to", r.to.as_ref().map(|v| v.span().start)),
        ("ca_file", r.ca_file.as_ref().map(|v| v.span().start)),
        ("url", r.url.as_ref().map(|v| v.span().start)),
        ("secret", r.secret.as_ref().map(|v| v.span().start)),
        ("headers", r.headers.as_ref().map(|v| v.span().start)),
    ];
    for (key, at) in present {
        if let Some(at) = at {
            if !allowed.contains(&key) {
                return Err(ctx.err(
                    at,
                    format!("alert channel `{name}`: `{key}` is not a setting of a `{kind_name}` channel"),
                ));
            }
        }
    }
    let required = |v: Option<Spanned<String>>, key: &str| {
        v.map(|v| ctx.setting(&v)).ok_or_else(|| {
            ctx.err(
                start,
                format!("alert channel `{name}` ({kind_name}) needs `{key}`"),
            )
        })
    };
    let targets = match &r.targets {
        Some(t) => {
            for n in t.get_ref() {
                if !known_targets.contains(&n.as_str()) {
                    return Err(ctx.err(
                        t.span().start,
                        format!(
                            "alert channel `{name}`: there is no target `{n}` (targets: {})",
                            if known_targets.is_empty() {
                                "none".to_string()
                            } else {
                                known_targets.join(", ")
                            }
                        ),
                    ));
                }
            }
            Some(t.get_ref().clone())
        }
        None => None,
    };
    let min_severity = match &r.min_severity {
        None => Severity::Info,
        Some(s) => match s.get_ref().as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            other => {
                return Err(ctx.err(
                    s.span().start,
                    format!("alert channel `{name}`: min_severity `{other}` is not \"error\", \"warning\" or \"info\""),
                ))
            }
        },
    };
    let delivery = delivery(
        base,
        ctx,
        &r.timeout,
        &r.connect_timeout,
        &r.retries,
        &r.backoff,
        &r.max_retry_after,
    )?;
    let kind = match kind_name {
        "email" => {
            let tls = match &r.tls {
                None => SmtpTls::Starttls,
                Some(t) => match t.get_ref().as_str() {
                    "none" => SmtpTls::None,
                    "starttls" => SmtpTls::Starttls,
                    "tls" => SmtpTls::Tls,
                    other => {
                        return Err(ctx.err(
                            t.span().start,
                            format!("alert channel `{name}`: tls `{other}` is not \"none\", \"starttls\" or \"tls\""),
                        ))
                    }
                },
            };
            let port = r.port.map(|p| *p.get_ref()).unwrap_or(match tls {
                SmtpTls::None => 25,
                SmtpTls::Starttls => 587,
                SmtpTls::Tls => 465,
            });
            if tls == SmtpTls::None && r.username.is_some() {
                let at = r.tls.as_ref().map(|t| t.span().start).unwrap_or(start);
                return Err(ctx.err(
                    at,
                    format!("alert channel `{name}` would send its password in clear text: use tls = \"starttls\" or \"tls\" with a username"),
                ));
            }
            if r.password.is_some() && r.username.is_none() {
                return Err(ctx.err(
                    start,
                    format!("alert channel `{name}` has a `password` but no `username`"),
                ));
            }
            let to = match r.to {
                Some(t) if !t.get_ref().is_empty() => {
                    t.get_ref().iter().map(|a| ctx.setting(a)).collect()
                }
                Some(t) => {
                    return Err(ctx.err(
                        t.span().start,
                        format!("alert channel `{name}`: `to` lists no address"),
                    ))
                }
                None => return Err(required(None, "to").unwrap_err()),
            };
            ChannelKind::Email(EmailConfig {
                host: required(r.host, "host")?,
                port,
                tls,
                username: r.username.as_ref().map(|u| ctx.setting(u)),
                password: r.password.as_ref().map(|p| Secret(ctx.setting(p))),
                from: required(r.from, "from")?,
                to,
                ca_file: r.ca_file.as_ref().map(|c| ctx.setting(c)),
            })
        }
        "slack" => ChannelKind::Slack(SlackConfig {
            url: Secret(required(r.url, "url")?),
        }),
        _ => ChannelKind::Webhook(WebhookConfig {
            url: Secret(required(r.url, "url")?),
            secret: r.secret.as_ref().map(|s| Secret(ctx.setting(s))),
            headers: r
                .headers
                .map(|h| {
                    h.into_inner()
                        .into_iter()
                        .map(|(k, v)| (k, Secret(ctx.setting(&v))))
                        .collect()
                })
                .unwrap_or_default(),
            ca_file: r.ca_file.as_ref().map(|c| ctx.setting(c)),
        }),
    };
    Ok(Channel {
        name: name.to_string(),
        line: ctx.line(start),
        targets,
        min_severity,
        delivery,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(Path::new("/srv/sd.toml"), text)
    }

    const TARGETS: &str = "[targets.production]\npostgres = \"postgres://p/app\"\n[targets.staging]\npostgres = \"postgres://s/app\"\n";

    #[test]
    fn full_example_parses() {
        let text = format!(
            r#"{TARGETS}
[alerts]
remind_after = "24h"
retries = 2

[alerts.channels.oncall]
type = "slack"
url = "${{SLACK_WEBHOOK}}"
targets = ["production"]
min_severity = "warning"

[alerts.channels.dba]
type = "email"
host = "smtp.example.com"
username = "drift"
password = "${{SMTP_PASSWORD}}"
from = "schemadrift <drift@example.com>"
to = ["dba@example.com", "ops@example.com"]
ca_file = "certs/ca.pem"
timeout = "5s"

[alerts.channels.hook]
type = "webhook"
url = "https://hooks.example.com/x"
secret = "${{HOOK_SECRET}}"
headers = {{ Authorization = "Bearer ${{HOOK_TOKEN}}" }}
"#
        );
        let cfg = parse(&text).unwrap();
        let a = cfg.alerts.as_ref().unwrap();
        assert_eq!(a.state_file, PathBuf::from("/srv/.schemadrift-state.json"));
        assert_eq!(a.remind_after, Some(Duration::from_secs(24 * 3600)));
        let oncall = &a.channels["oncall"];
        assert_eq!(oncall.targets, Some(vec!["production".to_string()]));
        assert_eq!(oncall.min_severity, Severity::Warning);
        assert_eq!(oncall.delivery.retries, 2);
        let dba = &a.channels["dba"];
        assert_eq!(dba.delivery.timeout, Duration::from_secs(5));
        assert_eq!(dba.delivery.retries, 2);
        match &dba.kind {
            ChannelKind::Email(e) => {
                assert_eq!(e.port, 587);
                assert_eq!(e.tls, SmtpTls::Starttls);
                assert_eq!(e.to.len(), 2);
            }
            other => panic!("{other:?}"),
        }
        match &a.channels["hook"].kind {
            ChannelKind::Webhook(w) => {
                assert_eq!(w.headers.len(), 1);
                assert!(!format!("{w:?}").contains("HOOK_TOKEN"));
            }
            other => panic!("{other:?}"),
        }
        // Variables stay unresolved until a channel sends.
        assert_eq!(a.channels.len(), 3);
    }

    fn err(text: &str) -> String {
        parse(&format!("{TARGETS}{text}")).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_file_line_and_channel() {
        let e = err("[alerts.channels.x]\ntype = \"slack\"\nurl = \"u\"\nsecret = \"s\"\n");
        assert_eq!(
            e,
            "/srv/sd.toml:8: alert channel `x`: `secret` is not a setting of a `slack` channel"
        );
        let e = err("[alerts.channels.x]\ntype = \"pager\"\n");
        assert!(
            e.starts_with("/srv/sd.toml:6: alert channel `x`: unknown type `pager`"),
            "{e}"
        );
        let e = err("[alerts.channels.x]\ntype = \"slack\"\nurll = \"u\"\n");
        assert!(e.starts_with("/srv/sd.toml:7: unknown field `urll`"), "{e}");
        let e = err("[alerts.channels.x]\ntype = \"slack\"\n");
        assert!(e.contains("alert channel `x` (slack) needs `url`"), "{e}");
        let e = err("[alerts.channels.x]\ntype = \"slack\"\nurl = \"u\"\ntargets = [\"prod\"]\n");
        assert!(
            e.contains("there is no target `prod` (targets: production, staging)"),
            "{e}"
        );
        let e = err("[alerts]\nremind_after = \"soon\"\n");
        assert!(e.starts_with("/srv/sd.toml:6: `remind_after`"), "{e}");
        let e =
            err("[alerts.channels.x]\ntype = \"email\"\nhost = \"h\"\nfrom = \"a@b\"\nto = []\n");
        assert!(e.contains("`to` lists no address"), "{e}");
        let e =
            err("[alerts.channels.x]\ntype = \"webhook\"\nurl = \"u\"\nmin_severity = \"fatal\"\n");
        assert!(e.contains("min_severity `fatal`"), "{e}");
        let e = err("[alerts.channels.x]\ntype = \"email\"\nhost = \"h\"\nfrom = \"a@b\"\nto = [\"c@d\"]\ntls = \"none\"\nusername = \"u\"\n");
        assert!(
            e.starts_with(
                "/srv/sd.toml:10: alert channel `x` would send its password in clear text"
            ),
            "{e}"
        );
    }

    #[test]
    fn unset_variable_is_reported_only_when_resolved() {
        let cfg = parse(&format!(
            "{TARGETS}[alerts.channels.x]\ntype = \"slack\"\nurl = \"${{SD_TEST_ALERT_UNSET}}\"\n"
        ))
        .unwrap();
        let ChannelKind::Slack(s) = &cfg.alerts.as_ref().unwrap().channels["x"].kind else {
            panic!()
        };
        let e = s.url.0.resolve().unwrap_err().to_string();
        assert_eq!(
            e,
            "/srv/sd.toml:7: environment variable SD_TEST_ALERT_UNSET is not set"
        );
    }
}
