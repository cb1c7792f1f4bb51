//! TLS for PostgreSQL connections through rustls, with libpq's settings:
//! `sslmode`, `sslrootcert` (a file, `system`, or `~/.postgresql/root.crt`),
//! `sslcrl`/`sslcrldir`, client certificates (`sslcert`/`sslkey`, by default
//! `~/.postgresql/postgresql.crt` and `.key`, with libpq's permission check
//! on the key), `sslcertmode`, `sslsni` and the protocol version bounds.
//! Messages about files are libpq's (src/interfaces/libpq/fe-secure-openssl.c).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{
    CertificateDer, CertificateRevocationListDer, PrivateKeyDer, ServerName, UnixTime,
};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

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
    pub fn parse(value: &str) -> Option<SslMode> {
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

    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    fn verifies(self) -> bool {
        matches!(self, SslMode::VerifyCa | SslMode::VerifyFull)
    }
}

/// Where the trusted roots come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roots {
    /// A PEM file (`sslrootcert=FILE`, or `~/.postgresql/root.crt`).
    File(PathBuf),
    /// The Mozilla root store (`sslrootcert=system`, or no file at all).
    System,
}

/// Everything the TLS set-up of one connection string needs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: SslMode,
    pub roots: Roots,
    /// Certificate revocation lists: PEM files (`sslcrl`, the files of
    /// `sslcrldir`, or `~/.postgresql/root.crl`).
    pub crls: Vec<PathBuf>,
    /// The client certificate and key files to present, when the
    /// certificate file exists (libpq goes on without one when it does not).
    pub client: Option<(PathBuf, PathBuf)>,
    /// Lowest and highest TLS versions allowed (12 or 13).
    pub versions: (u8, u8),
    /// Send the host name in the handshake (`sslsni`).
    pub sni: bool,
}

/// Parse `ssl_min_protocol_version`/`ssl_max_protocol_version` (libpq's
/// names, any case; empty: no bound) into a version number 10-13.
pub fn protocol_version(value: &str) -> Option<Option<u8>> {
    Some(Some(match value.to_ascii_lowercase().as_str() {
        "" => return Some(None),
        "tlsv1" => 10,
        "tlsv1.1" => 11,
        "tlsv1.2" => 12,
        "tlsv1.3" => 13,
        _ => return None,
    }))
}

/// The rustls client configuration. Errors are one sentence (a file's
/// problem in libpq's words).
pub fn client_config(s: &Settings) -> Result<ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let versions: Vec<&'static rustls::SupportedProtocolVersion> =
        [(12, &rustls::version::TLS12), (13, &rustls::version::TLS13)]
            .into_iter()
            .filter(|(v, _)| (s.versions.0..=s.versions.1).contains(v))
            .map(|(_, v)| v)
            .collect();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&versions)
        .map_err(|e| format!("cannot set up TLS: {e}"))?;
    let verifier: Arc<dyn ServerCertVerifier> = if s.mode.verifies() {
        let roots = Arc::new(root_store(&s.roots)?);
        let mut crls = Vec::new();
        for path in &s.crls {
            crls.extend(read_crls(path)?);
        }
        let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider)
            .with_crls(crls)
            .build()
            .map_err(|e| format!("cannot set up TLS verification: {e}"))?;
        if s.mode == SslMode::VerifyCa {
            Arc::new(ChainOnly(webpki))
        } else {
            webpki
        }
    } else {
        Arc::new(NoVerification(provider))
    };
    let builder = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match &s.client {
        None => builder.with_no_client_auth(),
        Some((cert, key)) => {
            let chain = read_certs(cert)?;
            let key_der = read_key(key)?;
            let signing = rustls::crypto::ring::default_provider()
                .key_provider
                .load_private_key(key_der)
                .map_err(|e| {
                    format!("could not load private key file \"{}\": {e}", key.display())
                })?;
            let certified = rustls::sign::CertifiedKey::new(chain, signing);
            // A key of another certificate is refused here, as libpq does.
            // webpki reads X.509 v3 only; an older certificate (`openssl
            // x509 -req` makes v1 ones), which libpq takes, is compared here.
            let mismatch = match certified.keys_match() {
                Ok(()) => false,
                Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch)) => true,
                Err(_) => match (certified.key.public_key(), certified.cert.first()) {
                    (Some(k), Some(c)) => cert_spki(c).is_some_and(|spki| spki != k.as_ref()),
                    _ => false,
                },
            };
            if mismatch {
                return Err(format!(
                    "certificate does not match private key file \"{}\"",
                    key.display()
                ));
            }
            builder.with_client_cert_resolver(Arc::new(rustls::sign::SingleCertAndKey::from(
                certified,
            )))
        }
    };
    config.enable_sni = s.sni;
    // What libpq 17 and later send; servers that do not know ALPN ignore it.
    config.alpn_protocols = vec![b"postgresql".to_vec()];
    Ok(config)
}

/// The SubjectPublicKeyInfo (with its header) of a DER certificate of any
/// X.509 version: the seventh element of the TBSCertificate, after the
/// optional `[0]` version.
pub fn cert_spki(cert: &[u8]) -> Option<&[u8]> {
    /// (header length, whole length) of the DER element at the start of `d`.
    fn element(d: &[u8]) -> Option<(usize, usize)> {
        let first = *d.get(1)?;
        let (header, len) = if first < 0x80 {
            (2, first as usize)
        } else {
            let n = (first & 0x7f) as usize;
            if n == 0 || n > 4 {
                return None;
            }
            let mut len = 0usize;
            for i in 0..n {
                len = (len << 8) | *d.get(2 + i)? as usize;
            }
            (2 + n, len)
        };
        let whole = header.checked_add(len)?;
        (whole <= d.len()).then_some((header, whole))
    }
    let (header, whole) = element(cert)?;
    let body = &cert[header..whole];
    let (header, whole) = element(body)?;
    let mut tbs = &body[header..whole];
    if tbs.first() == Some(&0xA0) {
        tbs = &tbs[element(tbs)?.1..];
    }
    // serialNumber, signature, issuer, validity, subject.
    for _ in 0..5 {
        tbs = &tbs[element(tbs)?.1..];
    }
    let (_, whole) = element(tbs)?;
    Some(&tbs[..whole])
}

fn read_file(path: &Path, what: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("could not read {what} \"{}\": {e}", path.display()))
}

fn root_store(roots: &Roots) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    match roots {
        Roots::System => store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        Roots::File(path) => {
            let pem = read_file(path, "root certificate file")?;
            let mut n = 0;
            for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
                let cert = cert.map_err(|e| {
                    format!(
                        "could not read root certificate file \"{}\": {e}",
                        path.display()
                    )
                })?;
                store.add(cert).map_err(|e| {
                    format!(
                        "could not read root certificate file \"{}\": {e}",
                        path.display()
                    )
                })?;
                n += 1;
            }
            if n == 0 {
                return Err(format!(
                    "could not read root certificate file \"{}\": no PEM certificate in it",
                    path.display()
                ));
            }
        }
    }
    Ok(store)
}

fn read_crls(path: &Path) -> Result<Vec<CertificateRevocationListDer<'static>>, String> {
    let pem = read_file(path, "SSL certificate revocation list file")?;
    rustls_pemfile::crls(&mut pem.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            format!(
                "could not read SSL certificate revocation list file \"{}\": {e}",
                path.display()
            )
        })
}

/// A certificate chain: PEM, or one DER certificate (libpq takes both).
fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = read_file(path, "certificate file")?;
    let chain: Vec<_> = rustls_pemfile::certs(&mut bytes.as_slice())
        .collect::<Result<_, _>>()
        .map_err(|e| {
            format!(
                "could not read certificate file \"{}\": {e}",
                path.display()
            )
        })?;
    if !chain.is_empty() {
        return Ok(chain);
    }
    if bytes.first() == Some(&0x30) {
        return Ok(vec![CertificateDer::from(bytes)]);
    }
    Err(format!(
        "could not read certificate file \"{}\": no certificate in it",
        path.display()
    ))
}

/// libpq's check before it loads a key: a regular file that its group and
/// others cannot read (0640 is allowed for a file owned by root, so that a
/// group can share a system-wide key).
pub fn check_key_file(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let md = std::fs::metadata(path).map_err(|_| {
        format!(
            "certificate present, but not private key file \"{}\"",
            path.display()
        )
    })?;
    if !md.is_file() {
        return Err(format!(
            "private key file \"{}\" is not a regular file",
            path.display()
        ));
    }
    let loose = if md.uid() == 0 {
        md.mode() & 0o037
    } else {
        md.mode() & 0o077
    };
    if loose != 0 {
        return Err(format!(
            "private key file \"{}\" has group or world access; file must have permissions u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) or less if owned by root",
            path.display()
        ));
    }
    Ok(())
}

/// A private key: PEM (PKCS#1, PKCS#8, SEC1) or DER. An encrypted one
/// would need `sslpassword`, which rustls cannot use: say so.
fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>, String> {
    check_key_file(path)?;
    let bytes = read_file(path, "private key file")?;
    let text = String::from_utf8_lossy(&bytes);
    if text.contains("ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED") {
        return Err(format!(
            "private key file \"{}\" is encrypted, and schemadrift cannot decrypt keys (sslpassword): store it decrypted (openssl pkey -in KEY -out NEW), mode 0600",
            path.display()
        ));
    }
    let bad = |why: String| {
        format!(
            "could not load private key file \"{}\": {why}",
            path.display()
        )
    };
    match rustls_pemfile::private_key(&mut bytes.as_slice()) {
        Ok(Some(key)) => Ok(key),
        Ok(None) => PrivateKeyDer::try_from(bytes.clone()).map_err(|e| bad(e.to_string())),
        Err(e) => Err(bad(e.to_string())),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn key_files_others_can_read_are_refused_as_libpq_does() {
        let d = tempfile::tempdir().unwrap();
        let k = d.path().join("client.key");
        std::fs::write(&k, "x").unwrap();
        for (mode, ok) in [(0o600, true), (0o400, true), (0o640, false), (0o604, false)] {
            std::fs::set_permissions(&k, std::fs::Permissions::from_mode(mode)).unwrap();
            // Files here are owned by whoever runs the tests: as root, 0640
            // is allowed (a root-owned key shared with a group).
            let owned_by_root = std::fs::metadata(&k).map(|m| {
                use std::os::unix::fs::MetadataExt;
                m.uid() == 0
            });
            let want = ok || (mode == 0o640 && owned_by_root.unwrap());
            let got = check_key_file(&k);
            assert_eq!(got.is_ok(), want, "{mode:o}: {got:?}");
            if let Err(e) = got {
                assert!(e.contains("has group or world access"), "{e}");
            }
        }
        let e = check_key_file(&d.path().join("none.key")).unwrap_err();
        assert!(
            e.starts_with("certificate present, but not private key file"),
            "{e}"
        );
        let e = check_key_file(d.path()).unwrap_err();
        assert!(e.contains("is not a regular file"), "{e}");
    }

    #[test]
    fn the_public_key_of_a_certificate() {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["db.example".into()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        use rcgen::PublicKeyData;
        assert_eq!(
            cert_spki(cert.der()),
            Some(key.subject_public_key_info().as_slice())
        );
        assert_eq!(cert_spki(&cert.der()[..40]), None);
        assert_eq!(cert_spki(b""), None);
        assert_eq!(cert_spki(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), None);
    }

    #[test]
    fn protocol_versions() {
        assert_eq!(protocol_version("TLSv1.2"), Some(Some(12)));
        assert_eq!(protocol_version("tlsv1.3"), Some(Some(13)));
        assert_eq!(protocol_version(""), Some(None));
        assert_eq!(protocol_version("SSLv3"), None);
    }
}
