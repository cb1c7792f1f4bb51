//! Delivery that holds: each channel as a [`Notifier`], every attempt on a
//! time limit, retries with exponential backoff on connection errors,
//! timeouts, 5xx and SMTP 4xx replies, `Retry-After` honoured on 429, and
//! no retry where retrying cannot help (other 4xx, SMTP 5xx, bad certificates).
//!
//! Every message that leaves this module has been scrubbed of the channel's
//! secrets (password, webhook secret, header values, and the URL, of which
//! only the scheme and host are ever shown).

use std::future::Future;
use std::time::{Duration, SystemTime};

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, RETRY_AFTER};

use super::message::Alert;
use super::sign;
use crate::config::{Channel, ChannelKind, Delivery, Setting, SmtpTls};
use crate::error::chain;

/// Why one attempt failed, and whether another could succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Worth another try, after `after` if the server said so.
    Retry {
        reason: String,
        after: Option<Duration>,
    },
    /// Trying again will not help.
    Fatal(String),
}

/// The wait before retry number `n` (0-based): `backoff * 2^n`, at most a
/// minute (or `backoff` itself, if that is longer).
pub fn backoff_delay(d: &Delivery, n: u32) -> Duration {
    let cap = Duration::from_secs(60).max(d.backoff);
    d.backoff
        .checked_mul(1u32.checked_shl(n).unwrap_or(u32::MAX))
        .unwrap_or(cap)
        .min(cap)
}

/// Run `attempt` until it succeeds, fails for good, or the retries are spent.
/// `what` names the server in the timeout sentence (`POST to https://host`).
pub async fn with_retries<F, Fut>(d: &Delivery, what: &str, mut attempt: F) -> Result<(), String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), Attempt>>,
{
    let mut n = 0u32;
    loop {
        let r = match tokio::time::timeout(d.timeout, attempt()).await {
            Ok(r) => r,
            Err(_) => Err(Attempt::Retry {
                reason: format!(
                    "{what}: no answer within {}",
                    humantime::format_duration(d.timeout)
                ),
                after: None,
            }),
        };
        match r {
            Ok(()) => return Ok(()),
            Err(Attempt::Fatal(reason)) => return Err(reason),
            Err(Attempt::Retry { reason, after }) => {
                if n >= d.retries {
                    return Err(if n == 0 {
                        reason
                    } else {
                        format!("{reason} (gave up after {} attempts)", n + 1)
                    });
                }
                let wait = match after {
                    Some(a) => a.min(d.max_retry_after),
                    None => backoff_delay(d, n),
                };
                tokio::time::sleep(wait).await;
                n += 1;
            }
        }
    }
}

/// A channel ready to send: variables resolved, client built.
pub struct Notifier {
    pub name: String,
    delivery: Delivery,
    kind: Ready,
    /// Every secret value, removed from any message we show.
    secrets: Vec<String>,
}

enum Ready {
    Email {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
        to: Vec<Mailbox>,
        /// `smtp.example.com:587`.
        server: String,
    },
    Slack {
        client: reqwest::Client,
        url: reqwest::Url,
    },
    Webhook {
        client: reqwest::Client,
        url: reqwest::Url,
        secret: Option<Vec<u8>>,
        headers: HeaderMap,
    },
}

impl Notifier {
    /// Resolve a channel's variables and build its client. Errors are one
    /// sentence without the channel name (the caller adds it).
    pub fn new(ch: &Channel) -> Result<Notifier, String> {
        let resolve = |v: &Setting| v.resolve().map_err(|e| e.to_string());
        let mut secrets = Vec::new();
        let kind = match &ch.kind {
            ChannelKind::Email(e) => {
                let host = resolve(&e.host)?;
                let username = match &e.username {
                    Some(u) => Some(resolve(u)?),
                    None => None,
                };
                let password = match &e.password {
                    Some(p) => {
                        let p = resolve(&p.0)?;
                        secrets.push(p.clone());
                        Some(p)
                    }
                    None => None,
                };
                let mailbox = |v: &Setting, key: &str| -> Result<Mailbox, String> {
                    let s = resolve(v)?;
                    s.parse::<Mailbox>()
                        .map_err(|err| format!("`{key}` address `{s}` is not valid ({err})"))
                };
                let from = mailbox(&e.from, "from")?;
                let to =
                    e.to.iter()
                        .map(|t| mailbox(t, "to"))
                        .collect::<Result<Vec<_>, _>>()?;
                let params = || -> Result<TlsParameters, String> {
                    let mut b = TlsParameters::builder(host.clone());
                    if let Some(ca) = &e.ca_file {
                        let path = ca.resolve_path().map_err(|e| e.to_string())?;
                        let pem = std::fs::read(&path).map_err(|err| {
                            format!("cannot read ca_file {}: {err}", path.display())
                        })?;
                        let cert = Certificate::from_pem(&pem).map_err(|err| {
                            format!(
                                "ca_file {} holds no PEM certificate ({err})",
                                path.display()
                            )
                        })?;
                        b = b.add_root_certificate(cert);
                    }
                    b.build_rustls()
                        .map_err(|err| format!("cannot set up TLS for {host}: {err}"))
                };
                let tls = match e.tls {
                    SmtpTls::None => Tls::None,
                    SmtpTls::Starttls => Tls::Required(params()?),
                    SmtpTls::Tls => Tls::Wrapper(params()?),
                };
                let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone())
                    .port(e.port)
                    .tls(tls)
                    .timeout(Some(ch.delivery.connect_timeout));
                if let Some(u) = username {
                    b = b.credentials(Credentials::new(u, password.unwrap_or_default()));
                }
                Ready::Email {
                    transport: b.build(),
                    from,
                    to,
                    server: format!("{host}:{}", e.port),
                }
            }
            ChannelKind::Slack(s) => {
                let raw = resolve(&s.url.0)?;
                secrets.push(raw.clone());
                let url = parse_url(&raw)?;
                // The whole path of a Slack webhook URL is its credential.
                secrets.push(url.path().to_string());
                Ready::Slack {
                    client: http_client(&ch.delivery, None)?,
                    url,
                }
            }
            ChannelKind::Webhook(w) => {
                let raw = resolve(&w.url.0)?;
                secrets.push(raw.clone());
                let url = parse_url(&raw)?;
                if url.path().len() > 1 {
                    secrets.push(url.path().to_string());
                }
                let secret = match &w.secret {
                    Some(s) => {
                        let s = resolve(&s.0)?;
                        if s.is_empty() {
                            return Err("the webhook `secret` is empty".into());
                        }
                        secrets.push(s.clone());
                        Some(s.into_bytes())
                    }
                    None => None,
                };
                let mut headers = HeaderMap::new();
                for (k, v) in &w.headers {
                    let value = resolve(&v.0)?;
                    if !value.is_empty() {
                        secrets.push(value.clone());
                    }
                    let name = HeaderName::from_bytes(k.as_bytes())
                        .map_err(|_| format!("`{k}` is not a valid header name"))?;
                    let mut value = HeaderValue::from_str(&value).map_err(|_| {
                        format!("the value of header `{k}` is not a valid header value")
                    })?;
                    value.set_sensitive(true);
                    headers.insert(name, value);
                }
                let ca = match &w.ca_file {
                    Some(ca) => Some(ca.resolve_path().map_err(|e| e.to_string())?),
                    None => None,
                };
                Ready::Webhook {
                    client: http_client(&ch.delivery, ca.as_deref())?,
                    url,
                    secret,
                    headers,
                }
            }
        };
        secrets.retain(|s| s.len() >= 3);
        // Longest first, so a secret containing another is removed whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Ok(Notifier {
            name: ch.name.clone(),
            delivery: ch.delivery,
            kind,
            secrets,
        })
    }

    /// Remove every secret of this channel from `text`.
    pub fn scrub(&self, text: &str) -> String {
        let mut t = text.to_string();
        for s in &self.secrets {
            t = crate::redact::scrub(&t, Some(s));
        }
        t
    }

    /// Send one alert, with retries. The error is one scrubbed sentence.
    pub async fn send(&self, alert: &Alert) -> Result<(), String> {
        let r = match &self.kind {
            Ready::Email {
                transport,
                from,
                to,
                server,
            } => {
                let mut b = Message::builder()
                    .from(from.clone())
                    .subject(alert.subject());
                for t in to {
                    b = b.to(t.clone());
                }
                let msg = b
                    .multipart(MultiPart::alternative_plain_html(
                        alert.plain_text(),
                        alert.html(),
                    ))
                    .map_err(|e| format!("cannot build the message: {e}"))?;
                let what = format!("SMTP {server}");
                with_retries(&self.delivery, &what, || async {
                    transport
                        .send(msg.clone())
                        .await
                        .map(|_| ())
                        .map_err(|e| smtp_attempt(&e, server))
                })
                .await
            }
            Ready::Slack { client, url } => {
                let body = serde_json::to_vec(&alert.slack()).expect("JSON values serialize");
                let what = format!("POST to {}", origin(url));
                with_retries(&self.delivery, &what, || {
                    let mut h = HeaderMap::new();
                    h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                    post(client, url, h, body.clone())
                })
                .await
            }
            Ready::Webhook {
                client,
                url,
                secret,
                headers,
            } => {
                let body = alert.webhook_body();
                let what = format!("POST to {}", origin(url));
                with_retries(&self.delivery, &what, || {
                    let mut h = headers.clone();
                    h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                    h.insert(
                        "X-Schemadrift-Event",
                        HeaderValue::from_static(alert.event.as_str()),
                    );
                    // Signed at each attempt, so a retry carries a fresh time.
                    let ts = SystemTime::now()
                        .duration_since(SystemTime::UNIX_EPOCH)
                        .map(|d| d.as_secs())
                        .unwrap_or(0);
                    h.insert(sign::TIMESTAMP_HEADER, HeaderValue::from(ts));
                    if let Some(s) = secret {
                        let sig = sign::signature(s, ts, &body);
                        h.insert(
                            sign::SIGNATURE_HEADER,
                            HeaderValue::from_str(&sig).expect("hex is a valid header value"),
                        );
                    }
                    post(client, url, h, body.clone())
                })
                .await
            }
        };
        r.map_err(|e| self.scrub(&e))
    }
}

fn parse_url(raw: &str) -> Result<reqwest::Url, String> {
    let url =
        reqwest::Url::parse(raw).map_err(|e| format!("the `url` is not a valid URL ({e})"))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(format!(
            "the `url` must be http:// or https://, not {other}://"
        )),
    }
}

/// `https://hooks.slack.com`: all of a URL that may be shown.
fn origin(url: &reqwest::Url) -> String {
    url.origin().ascii_serialization()
}

fn http_client(d: &Delivery, ca_file: Option<&std::path::Path>) -> Result<reqwest::Client, String> {
    let mut b = reqwest::Client::builder()
        .connect_timeout(d.connect_timeout)
        .timeout(d.timeout)
        .user_agent(concat!("schemadrift/", env!("CARGO_PKG_VERSION")))
        // A redirect would carry the signature and headers elsewhere.
        .redirect(reqwest::redirect::Policy::none());
    if let Some(path) = ca_file {
        let pem = std::fs::read(path)
            .map_err(|e| format!("cannot read ca_file {}: {e}", path.display()))?;
        let cert = reqwest::Certificate::from_pem(&pem)
            .map_err(|e| format!("ca_file {} holds no PEM certificate ({e})", path.display()))?;
        b = b.add_root_certificate(cert);
    }
    b.build()
        .map_err(|e| format!("cannot set up the HTTP client: {}", chain(&e)))
}

/// One POST, classified.
async fn post(
    client: &reqwest::Client,
    url: &reqwest::Url,
    headers: HeaderMap,
    body: Vec<u8>,
) -> Result<(), Attempt> {
    let at = origin(url);
    let resp = client
        .post(url.clone())
        .headers(headers)
        .body(body)
        .send()
        .await
        .map_err(|e| Attempt::Retry {
            reason: if e.is_timeout() {
                format!("POST to {at}: no answer in time")
            } else {
                format!("POST to {at} failed: {}", chain(&e.without_url()))
            },
            after: None,
        })?;
    let status = resp.status();
    if status.is_success() {
        return Ok(());
    }
    let retry_after = resp
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let text = resp.text().await.unwrap_or_default();
    let snippet: String = text.trim().chars().take(200).collect();
    let reason = format!(
        "POST to {at} answered {status}{}",
        if snippet.is_empty() {
            String::new()
        } else {
            format!(": {}", snippet.replace('\n', " "))
        }
    );
    if status.as_u16() == 429 {
        Err(Attempt::Retry {
            reason,
            after: retry_after,
        })
    } else if status.is_server_error() {
        Err(Attempt::Retry {
            reason,
            after: None,
        })
    } else {
        Err(Attempt::Fatal(reason))
    }
}

fn smtp_attempt(e: &lettre::transport::smtp::Error, server: &str) -> Attempt {
    let reason = format!("sending mail through {server} failed: {}", chain(e));
    if e.is_permanent() || e.is_tls() {
        Attempt::Fatal(reason)
    } else {
        Attempt::Retry {
            reason,
            after: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn d(retries: u32) -> Delivery {
        Delivery {
            connect_timeout: Duration::from_secs(1),
            timeout: Duration::from_millis(200),
            retries,
            backoff: Duration::from_millis(1),
            max_retry_after: Duration::from_millis(5),
        }
    }

    #[test]
    fn backoff_doubles_up_to_a_cap() {
        let mut x = Delivery::default();
        assert_eq!(backoff_delay(&x, 0), Duration::from_secs(1));
        assert_eq!(backoff_delay(&x, 3), Duration::from_secs(8));
        assert_eq!(backoff_delay(&x, 40), Duration::from_secs(60));
        x.backoff = Duration::from_secs(90);
        assert_eq!(backoff_delay(&x, 2), Duration::from_secs(90));
    }

    #[tokio::test]
    async fn retries_retryable_then_succeeds_and_stops_on_fatal() {
        let n = AtomicU32::new(0);
        let r = with_retries(&d(3), "x", || async {
            if n.fetch_add(1, Ordering::SeqCst) < 2 {
                Err(Attempt::Retry {
                    reason: "503".into(),
                    after: Some(Duration::from_secs(3600)), // capped to 5 ms
                })
            } else {
                Ok(())
            }
        })
        .await;
        assert_eq!(r, Ok(()));
        assert_eq!(n.load(Ordering::SeqCst), 3);

        let n = AtomicU32::new(0);
        let r = with_retries(&d(3), "x", || async {
            n.fetch_add(1, Ordering::SeqCst);
            Err(Attempt::Fatal("400 Bad Request".into()))
        })
        .await;
        assert_eq!(r, Err("400 Bad Request".to_string()));
        assert_eq!(n.load(Ordering::SeqCst), 1);

        let r = with_retries(&d(2), "x", || async {
            Err(Attempt::Retry {
                reason: "refused".into(),
                after: None,
            })
        })
        .await;
        assert_eq!(r, Err("refused (gave up after 3 attempts)".to_string()));

        // An attempt that hangs is cut by the timeout and retried.
        let r = with_retries(&d(1), "x", || async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok(())
        })
        .await;
        assert_eq!(
            r,
            Err("x: no answer within 200ms (gave up after 2 attempts)".to_string())
        );
    }
}
