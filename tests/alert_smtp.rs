//! Email alerts against a real SMTP server on loopback: the protocol engine
//! is the `mailin` crate (the core of mailin-embedded), with STARTTLS done
//! by rustls (ring) and a CA made by rcgen in the test. Each test starts its
//! own server on its own port.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{run, run_env, TestDb};
use mailin::{response, Action, AuthMechanism, Handler, Response, SessionBuilder};

/// One message as the server received it.
#[derive(Debug, Clone, Default)]
struct Mail {
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
    authed_as: Option<String>,
    tls: bool,
}

#[derive(Clone)]
struct Server {
    port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
    connections: Arc<AtomicUsize>,
}

impl Server {
    fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

#[derive(Clone)]
struct Recorder {
    mails: Arc<Mutex<Vec<Mail>>>,
    creds: Option<(String, String)>,
    current: Mail,
}

impl Handler for Recorder {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        if self.creds.is_some() && self.current.authed_as.is_none() {
            return response::AUTHENTICATION_REQUIRED;
        }
        self.current.from = from.to_string();
        response::OK
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current.to = to.to_vec();
        self.current.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.current.tls = TLS_ACTIVE.with(|t| t.get());
        self.mails.lock().unwrap().push(self.current.clone());
        response::OK
    }

    fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
        match &self.creds {
            Some((u, p)) if u == user && p == password => {
                self.current.authed_as = Some(user.to_string());
                response::AUTH_OK
            }
            _ => response::INVALID_CREDENTIALS,
        }
    }
}

/// Start an SMTP server; with `tls`, it offers STARTTLS (and AUTH only
/// after it, as real servers do); with `creds`, it requires AUTH PLAIN.
fn start_server(tls: Option<Arc<rustls::ServerConfig>>, creds: Option<(&str, &str)>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = Server {
        port,
        mails: Arc::default(),
        connections: Arc::default(),
    };
    let mut builder = SessionBuilder::new("test-smtp");
    if tls.is_some() {
        builder.enable_start_tls();
    }
    if creds.is_some() {
        builder.enable_auth(AuthMechanism::Plain);
    }
    let recorder = Recorder {
        mails: server.mails.clone(),
        creds: creds.map(|(u, p)| (u.to_string(), p.to_string())),
        current: Mail::default(),
    };
    let conns = server.connections.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            conns.fetch_add(1, Ordering::SeqCst);
            let (b, t, r) = (builder.clone(), tls.clone(), recorder.clone());
            std::thread::spawn(move || {
                let _ = serve(stream, &b, t, r);
            });
        }
    });
    server
}

enum End {
    Closed,
    Upgrade,
}

fn session_loop<S: std::io::Read + Write, H: Handler>(
    session: &mut mailin::Session<H>,
    io: &mut BufReader<S>,
) -> std::io::Result<End> {
    let mut line = Vec::new();
    loop {
        line.clear();
        if io.read_until(b'\n', &mut line)? == 0 {
            return Ok(End::Closed);
        }
        let res = session.process(&line);
        if res.action != Action::NoReply {
            res.write_to(io.get_mut())?;
            io.get_mut().flush()?;
        }
        match res.action {
            Action::Close => return Ok(End::Closed),
            Action::UpgradeTls => return Ok(End::Upgrade),
            _ => {}
        }
    }
}

fn serve(
    stream: TcpStream,
    builder: &SessionBuilder,
    tls: Option<Arc<rustls::ServerConfig>>,
    mut handler: Recorder,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let ip = stream.peer_addr()?.ip();
    handler.current = Mail::default();
    let mut session = builder.build(ip, handler);
    let mut io = BufReader::new(stream);
    session.greeting().write_to(io.get_mut())?;
    if let End::Upgrade = session_loop(&mut session, &mut io)? {
        let stream = io.into_inner();
        let conn = rustls::ServerConnection::new(tls.expect("STARTTLS offered only with TLS"))
            .map_err(std::io::Error::other)?;
        let mut tls_io = BufReader::new(rustls::StreamOwned::new(conn, stream));
        session.tls_active();
        // One thread per connection: mails after this point came over TLS.
        TLS_ACTIVE.with(|t| t.set(true));
        session_loop(&mut session, &mut tls_io)?;
    }
    Ok(())
}

thread_local! {
    /// Whether this connection's thread has upgraded to TLS.
    static TLS_ACTIVE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A CA and a server certificate for 127.0.0.1 signed by it; returns the
/// server config and the CA's PEM (for the channel's `ca_file`).
fn tls_config() -> (Arc<rustls::ServerConfig>, String) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "schemadrift test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let leaf_params =
        CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![leaf.der().clone()], key)
    .unwrap();
    (Arc::new(config), ca_cert.pem())
}

fn email_channel(port: u16, extra: &str) -> String {
    format!(
        r#"
[alerts]
retries = 2
backoff = "100ms"
timeout = "10s"

[alerts.channels.mail]
type = "email"
host = "127.0.0.1"
port = {port}
from = "schemadrift <drift@example.com>"
to = ["dba@example.com", "oncall@example.com"]
{extra}
"#
    )
}

fn write_config(dir: &Path, text: &str) -> String {
    let p = dir.join("schemadrift.toml");
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

fn parse(m: &Mail) -> mail_parser::Message<'_> {
    mail_parser::MessageParser::default()
        .parse(&m.data)
        .expect("a MIME message")
}

#[test]
fn starttls_with_private_ca_and_auth() {
    let (tls, ca_pem) = tls_config();
    let server = start_server(Some(tls), Some(("drift", "s3cret-PW-42")));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), &ca_pem).unwrap();
    let cfg = write_config(
        dir.path(),
        &email_channel(
            server.port,
            "tls = \"starttls\"\nusername = \"drift\"\npassword = \"${SD_TEST_SMTP_PASSWORD}\"\nca_file = \"ca.pem\"\n",
        ),
    );
    let env = [("SD_TEST_SMTP_PASSWORD", "s3cret-PW-42")];
    let (code, out, err) = run_env(&["alert", "test", "-c", &cfg], &env);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("alert `mail`: test message delivered"),
        "{err}"
    );
    let mails = server.mails();
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert!(m.tls, "the mail came over STARTTLS");
    assert_eq!(m.authed_as.as_deref(), Some("drift"));
    assert_eq!(m.from, "drift@example.com");
    assert_eq!(m.to, vec!["dba@example.com", "oncall@example.com"]);
    let msg = parse(m);
    assert_eq!(
        msg.subject(),
        Some("[schemadrift] test alert for channel mail")
    );
    assert!(msg
        .body_text(0)
        .unwrap()
        .contains("This is a test alert from schemadrift to channel `mail`"));

    // A wrong password is refused (535) and not retried; it is never shown.
    let before = server.connections.load(Ordering::SeqCst);
    let (code, _, err) = run_env(
        &["alert", "test", "-c", &cfg],
        &[("SD_TEST_SMTP_PASSWORD", "wrong-PW-77")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("alert channel `mail` did not deliver"),
        "{err}"
    );
    assert!(err.contains("535"), "{err}");
    assert!(!err.contains("wrong-PW-77"), "{err}");
    assert_eq!(server.connections.load(Ordering::SeqCst) - before, 1);

    // Without the private CA the server's certificate is not trusted.
    let cfg2 = write_config(
        dir.path(),
        &email_channel(
            server.port,
            "tls = \"starttls\"\nusername = \"drift\"\npassword = \"${SD_TEST_SMTP_PASSWORD}\"\n",
        ),
    );
    let (code, _, err) = run_env(&["alert", "test", "-c", &cfg2], &env);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.to_lowercase().contains("certificate") || err.contains("tls"),
        "{err}"
    );
    assert!(!err.contains("s3cret-PW-42"), "{err}");
    assert_eq!(server.mails().len(), 1);
}

const SCHEMA: &str = "
CREATE SCHEMA shop;
CREATE TABLE shop.items (id bigint PRIMARY KEY, name text NOT NULL, price numeric(8,2));
";

/// A config with one drifted `production` target and the given alert section.
fn drifted_target(dir: &Path, alerts: &str) -> (String, TestDb, TestDb) {
    let pristine = TestDb::with_sql("alert_smtp_expected", SCHEMA);
    let prod = TestDb::with_sql("alert_smtp_prod", SCHEMA);
    prod.exec("CREATE INDEX items_hotfix_idx ON shop.items (price); ALTER TABLE shop.items ALTER COLUMN name DROP NOT NULL;");
    let expected = dir.join("expected.json");
    let (code, _, err) = run(&["snapshot", &pristine.url, "-o", expected.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let text = format!(
        "[postgres]\nexpected = \"expected.json\"\n\n[targets.production]\npostgres = \"{}\"\n{alerts}",
        prod.url
    );
    (write_config(dir, &text), pristine, prod)
}

#[test]
fn drift_email_has_subject_plain_report_and_html_alternative() {
    let server = start_server(None, None);
    let dir = tempfile::tempdir().unwrap();
    let (cfg, _e, _p) = drifted_target(dir.path(), &email_channel(server.port, "tls = \"none\""));
    let (code, out, err) = run(&["check", "-c", &cfg]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("alert `mail`: sent drift-detected for target `production`"),
        "{err}"
    );
    let mails = server.mails();
    assert_eq!(mails.len(), 1, "{err}");
    let m = &mails[0];
    assert_eq!(m.to, vec!["dba@example.com", "oncall@example.com"]);
    let raw = String::from_utf8_lossy(&m.data);
    assert!(raw.contains("multipart/alternative"), "{raw}");
    let msg = parse(m);
    assert_eq!(
        msg.subject(),
        Some("[schemadrift] drift detected on production: 2 changes (1 error, 1 warning, 0 infos)")
    );
    let to: Vec<String> = msg
        .to()
        .unwrap()
        .iter()
        .filter_map(|a| a.address().map(str::to_string))
        .collect();
    assert_eq!(to, vec!["dba@example.com", "oncall@example.com"]);
    let text = msg.body_text(0).unwrap();
    for needle in [
        "The schema of target `production` has drifted",
        "schemadrift: 2 changes",
        "index-unexpected",
        "shop.items.items_hotfix_idx",
        "column-nullability-changed",
    ] {
        assert!(text.contains(needle), "{needle} missing in\n{text}");
    }
    assert!(!text.contains('\x1b'), "no color in mail");
    let html = msg.body_html(0).unwrap();
    assert!(html.contains("<table"), "{html}");
    assert!(
        html.contains("<code>shop.items.items_hotfix_idx</code>"),
        "{html}"
    );

    // The same drift again: nothing sent.
    let (code, _, err) = run(&["check", "-c", &cfg]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(server.mails().len(), 1, "{err}");
}

#[test]
fn smtp_server_down_is_retried_then_exit_2_naming_the_channel() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let (cfg, _e, _p) = drifted_target(dir.path(), &email_channel(port, "tls = \"none\""));
    let report = dir.path().join("report.json");
    let started = Instant::now();
    let (code, out, err) = run(&[
        "check",
        "-c",
        &cfg,
        "--format",
        "json",
        "-o",
        report.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("alert channel `mail` did not deliver"),
        "{err}"
    );
    assert!(err.contains("gave up after 3 attempts"), "{err}");
    // Two backoffs: 100 ms, then 200 ms.
    assert!(started.elapsed() >= Duration::from_millis(300));
    // The report was written before the alert was tried.
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(v["targets"][0]["status"], "drift");
    // Nothing was recorded as sent, so the next run tries again.
    let state =
        std::fs::read_to_string(dir.path().join(".schemadrift-state.json")).unwrap_or_default();
    assert!(!state.contains("production"), "{state}");
}
