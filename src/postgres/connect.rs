//! Connecting: libpq-style URL options that tokio-postgres does not know,
//! TLS through rustls, and driver errors turned into one clear sentence.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres::error::SqlState;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::error::Error;
use crate::redact::{redact_url, scrub};

/// libpq's `sslmode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    /// Encrypt, but do not verify the certificate (libpq semantics).
    Require,
    /// Verify the chain, not the host name.
    VerifyCa,
    /// Verify the chain and the host name.
    VerifyFull,
}

impl SslMode {
    fn parse(value: &str) -> Option<SslMode> {
        Some(match value {
            "disable" => SslMode::Disable,
            // `allow` tries without TLS first; we have no such mode, and
            // trying TLS first is the safer reading.
            "allow" | "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// A URL made ready for tokio-postgres.
pub struct Target {
    pub config: tokio_postgres::Config,
    pub ssl_mode: SslMode,
    /// PEM file of trusted roots (`sslrootcert`), else webpki-roots.
    pub root_cert: Option<String>,
    /// The URL with its password removed, for messages.
    pub redacted: String,
    /// The password, to scrub from any driver text.
    pub password: Option<String>,
}

/// Parse a `postgres://` URL: take out the options that tokio-postgres does
/// not understand (`sslmode` beyond disable/prefer/require, `sslrootcert`),
/// and set `application_name` and `connect_timeout` unless given.
pub fn parse(url: &str, connect_timeout: Duration) -> Result<Target, Error> {
    let redacted = redact_url(url);
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, q),
        None => (url, ""),
    };
    let mut ssl_mode = SslMode::Prefer;
    let mut root_cert = None;
    let mut kept: Vec<(String, String)> = Vec::new();
    let mut has_app_name = false;
    let mut has_timeout = false;
    let mut password_param = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(k);
        let value = decode(v);
        match key.as_str() {
            "sslmode" => {
                ssl_mode = SslMode::parse(&value).ok_or_else(|| {
                    Error::Usage(format!(
                        "invalid sslmode `{value}` in {redacted}: expected disable, allow, prefer, require, verify-ca or verify-full"
                    ))
                })?;
            }
            "sslrootcert" => root_cert = Some(value),
            "sslcert" | "sslkey" | "sslcrl" | "sslcrldir" | "sslpassword" => {
                return Err(Error::Usage(format!(
                    "the connection option `{key}` in {redacted} is not supported (schemadrift verifies servers but does not present client certificates)"
                )))
            }
            // Options of libpq's that have no effect here.
            "gssencmode" | "sslcompression" | "sslsni" | "ssl_min_protocol_version"
            | "ssl_max_protocol_version" | "requirepeer" | "krbsrvname" | "gsslib" => {}
            _ => {
                has_app_name |= key == "application_name";
                has_timeout |= key == "connect_timeout";
                if key == "password" {
                    password_param = Some(value.clone());
                }
                kept.push((key, value));
            }
        }
    }
    // libpq: a root certificate file with sslmode=require means verify-ca.
    if ssl_mode == SslMode::Require && root_cert.as_deref().is_some_and(|r| r != "system") {
        ssl_mode = SslMode::VerifyCa;
    }
    if !has_app_name {
        kept.push(("application_name".into(), "schemadrift".into()));
    }
    if !has_timeout {
        kept.push((
            "connect_timeout".into(),
            connect_timeout.as_secs().max(1).to_string(),
        ));
    }
    kept.push((
        "sslmode".into(),
        match ssl_mode {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            _ => "require",
        }
        .into(),
    ));
    let query: Vec<String> = kept
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    let rebuilt = format!("{base}?{}", query.join("&"));

    let mut config = tokio_postgres::Config::from_str(&rebuilt).map_err(|e| {
        let secret = password_from_url(url).or(password_param.clone());
        Error::Usage(format!(
            "malformed PostgreSQL URL {redacted}: {}",
            scrub(&chain(&e), secret.as_deref())
        ))
    })?;
    if config.get_hosts().is_empty() {
        config.host("localhost");
    }
    if config.get_user().is_none() {
        if let Ok(user) = std::env::var("PGUSER").or_else(|_| std::env::var("USER")) {
            config.user(user);
        }
    }
    let password = config
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    Ok(Target {
        config,
        ssl_mode,
        root_cert,
        redacted,
        password,
    })
}

fn password_from_url(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.password().map(decode))
}

/// Percent-decoding as libpq does it (`%XX` only; `+` stays `+`).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/' | b',' | b':')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The rustls client configuration for a mode.
pub fn tls_config(
    mode: SslMode,
    root_cert: Option<&str>,
    target: &str,
) -> Result<ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Usage(format!("cannot set up TLS for {target}: {e}")))?;
    let config = match mode {
        SslMode::Disable | SslMode::Prefer | SslMode::Require => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerification(provider)))
            .with_no_client_auth(),
        SslMode::VerifyCa | SslMode::VerifyFull => {
            let roots = Arc::new(root_store(root_cert)?);
            let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider)
                .build()
                .map_err(|e| {
                    Error::Usage(format!("cannot set up TLS verification for {target}: {e}"))
                })?;
            let verifier: Arc<dyn ServerCertVerifier> = if mode == SslMode::VerifyCa {
                Arc::new(ChainOnly(webpki))
            } else {
                webpki
            };
            builder
                .dangerous()
                .with_custom_certificate_verifier(verifier)
                .with_no_client_auth()
        }
    };
    Ok(config)
}

fn root_store(root_cert: Option<&str>) -> Result<RootCertStore, Error> {
    let mut store = RootCertStore::empty();
    match root_cert {
        None | Some("system") => {
            store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        Some(path) => {
            let bad = |reason: String| Error::Read {
                path: path.into(),
                reason: format!("{reason} (it is the sslrootcert of the connection URL)"),
            };
            let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
            let mut n = 0;
            for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
                let cert = cert.map_err(|e| bad(format!("not a PEM certificate file: {e}")))?;
                store
                    .add(cert)
                    .map_err(|e| bad(format!("unusable certificate: {e}")))?;
                n += 1;
            }
            if n == 0 {
                return Err(bad("no PEM certificate found in it".into()));
            }
        }
    }
    Ok(store)
}

/// `sslmode=require`: encrypt, accept any certificate (as libpq does).
#[derive(Debug)]
struct NoVerification(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `sslmode=verify-ca`: the chain must verify; the host name may differ.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName))
            | Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// Connect; the connection task is spawned on the current runtime.
pub async fn connect(
    target: &Target,
    timeout: Duration,
) -> Result<(tokio_postgres::Client, tokio::task::JoinHandle<()>), Error> {
    // connect_timeout bounds each TCP connect; this bounds the whole start-up
    // (TLS, authentication) against a server that accepts and then stalls.
    let overall = timeout.saturating_mul(2).max(Duration::from_secs(2));
    // sslmode=disable: no TLS connector at all. (tokio-postgres-rustls cannot
    // make one for a unix-socket host, which has no DNS name, e.g. the
    // embedded shadow database's `host=/tmp/...` URL.)
    if target.ssl_mode == SslMode::Disable {
        return start(target, overall, tokio_postgres::NoTls).await;
    }
    let tls = MakeRustlsConnect::new(tls_config(
        target.ssl_mode,
        target.root_cert.as_deref(),
        &target.redacted,
    )?);
    start(target, overall, tls).await
}

/// Connect with `tls` within `overall`, and drive the connection in a task.
async fn start<T>(
    target: &Target,
    overall: Duration,
    tls: T,
) -> Result<(tokio_postgres::Client, tokio::task::JoinHandle<()>), Error>
where
    T: tokio_postgres::tls::MakeTlsConnect<tokio_postgres::Socket>,
    T::Stream: Send + 'static,
{
    let (client, connection) = match tokio::time::timeout(overall, target.config.connect(tls)).await
    {
        Ok(Ok(pair)) => pair,
        Ok(Err(e)) => return Err(connect_error(target, &e)),
        Err(_) => {
            return Err(Error::Connect {
                engine: "PostgreSQL",
                target: target.redacted.clone(),
                reason: format!(
                    "the server did not complete the start-up within {} seconds",
                    overall.as_secs()
                ),
            })
        }
    };
    let handle = tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok((client, handle))
}

/// A driver error and its causes, as one line.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s.replace('\n', " ")
}

fn io_kind(e: &tokio_postgres::Error) -> Option<std::io::ErrorKind> {
    let mut cur = std::error::Error::source(e);
    while let Some(c) = cur {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        cur = c.source();
    }
    None
}

/// One sentence for a failed connection attempt.
pub fn connect_error(target: &Target, e: &tokio_postgres::Error) -> Error {
    let full = chain(e);
    let user = target.config.get_user().unwrap_or("(none)");
    let db = target.config.get_dbname().unwrap_or(user);
    let reason = if let Some(db_err) = e.as_db_error() {
        let code = db_err.code();
        if *code == SqlState::INVALID_PASSWORD {
            format!("password authentication failed for user \"{user}\"; check the user name and password")
        } else if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
            format!("the server rejected the login: {}", db_err.message())
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            format!("database \"{db}\" does not exist on this server")
        } else {
            format!("the server refused the connection: {}", db_err.message())
        }
    } else if full.contains("server does not support TLS") {
        format!(
            "the server does not accept TLS connections, but sslmode={} requires TLS (use sslmode=prefer or sslmode=disable to connect without it)",
            target.ssl_mode.name()
        )
    } else if full.starts_with("error performing TLS handshake") {
        format!(
            "the TLS handshake failed ({})",
            strip_prefix(&full, "error performing TLS handshake: ")
        )
    } else if full.contains("password missing") {
        "the server asks for a password and the URL has none".to_string()
    } else if full.starts_with("authentication error") {
        format!(
            "authentication failed ({})",
            strip_prefix(&full, "authentication error: ")
        )
    } else {
        match io_kind(e) {
            Some(std::io::ErrorKind::ConnectionRefused) => {
                "connection refused: is the server running and accepting TCP connections on that host and port?".to_string()
            }
            Some(std::io::ErrorKind::TimedOut) => {
                "the connection timed out: the host is unreachable or a firewall drops the packets".to_string()
            }
            _ if full.contains("timeout") || full.contains("timed out") => {
                "the connection timed out: the host is unreachable or a firewall drops the packets".to_string()
            }
            _ if full.contains("lookup") || full.contains("resolve") || full.contains("Name or service not known") => {
                format!("the host name cannot be resolved ({})", strip_prefix(&full, "error connecting to server: "))
            }
            _ => strip_prefix(&full, "error connecting to server: ").to_string(),
        }
    };
    Error::Connect {
        engine: "PostgreSQL",
        target: target.redacted.clone(),
        reason: scrub(&reason, target.password.as_deref()),
    }
}

fn strip_prefix<'a>(s: &'a str, prefix: &str) -> &'a str {
    s.strip_prefix(prefix).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_postgres::config::SslMode as PgSslMode;

    fn t(url: &str) -> Target {
        parse(url, Duration::from_secs(7)).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn libpq_ssl_modes_are_mapped() {
        assert_eq!(t("postgres://h/db").ssl_mode, SslMode::Prefer);
        assert_eq!(
            t("postgres://h/db?sslmode=disable").ssl_mode,
            SslMode::Disable
        );
        assert_eq!(
            t("postgres://h/db?sslmode=require").ssl_mode,
            SslMode::Require
        );
        let full = t("postgres://h/db?sslmode=verify-full&sslrootcert=/tmp/ca.pem");
        assert_eq!(full.ssl_mode, SslMode::VerifyFull);
        assert_eq!(full.root_cert.as_deref(), Some("/tmp/ca.pem"));
        assert_eq!(full.config.get_ssl_mode(), PgSslMode::Require);
        // libpq: require plus a CA file verifies the chain.
        assert_eq!(
            t("postgres://h/db?sslmode=require&sslrootcert=/x.pem").ssl_mode,
            SslMode::VerifyCa
        );
    }

    #[test]
    fn application_name_and_timeout_are_set_unless_given() {
        let a = t("postgres://u:p@h:5433/db");
        assert_eq!(a.config.get_application_name(), Some("schemadrift"));
        assert_eq!(
            a.config.get_connect_timeout(),
            Some(&Duration::from_secs(7))
        );
        assert_eq!(a.config.get_ports(), [5433]);
        assert_eq!(a.config.get_dbname(), Some("db"));
        assert_eq!(a.password.as_deref(), Some("p"));
        let b = t("postgres://h/db?application_name=mine&connect_timeout=3");
        assert_eq!(b.config.get_application_name(), Some("mine"));
        assert_eq!(
            b.config.get_connect_timeout(),
            Some(&Duration::from_secs(3))
        );
    }

    #[test]
    fn bad_urls_are_usage_errors_without_password() {
        for url in [
            "postgres://u:pw-SECRET-123@h:notaport/db",
            "postgres://u:pw-SECRET-123@h/db?sslmode=bogus",
            "postgres://u:pw-SECRET-123@h/db?nosuchoption=1",
            "postgres://u:pw-SECRET-123@h/db?sslcert=/x",
        ] {
            let e = match parse(url, Duration::from_secs(1)) {
                Err(e) => e,
                Ok(_) => panic!("{url} parsed"),
            };
            assert!(matches!(e, Error::Usage(_)), "{e:?}");
            let text = e.to_string();
            assert!(!text.contains("pw-SECRET-123"), "{text}");
            assert!(!text.contains('\n'), "{text}");
        }
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(decode("a%20b%2Fc"), "a b/c");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(encode("a b/c"), "a%20b/c");
    }
}
