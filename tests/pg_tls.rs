//! TLS against a real PostgreSQL that serves it: `scripts/test.sh` starts a
//! cluster with a server certificate (for 127.0.0.1 and localhost) signed by
//! a CA made for the run, and exports `SCHEMADRIFT_TEST_PG_TLS_URL` and
//! `SCHEMADRIFT_TEST_PG_TLS_CA`.

mod common;

fn tls_server() -> (url::Url, String) {
    let url = std::env::var("SCHEMADRIFT_TEST_PG_TLS_URL")
        .expect("SCHEMADRIFT_TEST_PG_TLS_URL is not set: run the tests through scripts/test.sh");
    let ca = std::env::var("SCHEMADRIFT_TEST_PG_TLS_CA")
        .expect("SCHEMADRIFT_TEST_PG_TLS_CA is not set: run the tests through scripts/test.sh");
    (url::Url::parse(&url).unwrap(), ca)
}

fn with(url: &url::Url, host: &str, query: &str) -> String {
    let mut u = url.clone();
    u.set_host(Some(host)).unwrap();
    u.set_password(Some("pw-SECRET-123")).unwrap();
    u.set_query(Some(query));
    u.to_string()
}

/// The session really is encrypted: the server's own view of the connection.
fn snapshot_ok(url: &str) {
    let (code, out, err) = common::run(&["snapshot", url]);
    assert_eq!(code, 0, "{url}: {err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["postgres"]["schemas"].get("public").is_some(), "{out}");
    assert!(!out.contains("pw-SECRET-123") && !err.contains("pw-SECRET-123"));
}

#[test]
fn require_encrypts_and_verify_full_checks_the_certificate() {
    let (url, ca) = tls_server();
    // The server is really serving TLS (and refuses nothing over plain text,
    // so a connection that works is not proof: ask it).
    common::exec(
        url.as_ref(),
        "DO $$ BEGIN IF current_setting('ssl') <> 'on' THEN RAISE 'ssl is off'; END IF; END $$",
    );
    snapshot_ok(&with(&url, "127.0.0.1", "sslmode=require"));
    snapshot_ok(&with(
        &url,
        "127.0.0.1",
        &format!("sslmode=verify-ca&sslrootcert={ca}"),
    ));
    snapshot_ok(&with(
        &url,
        "localhost",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    ));
    snapshot_ok(&with(
        &url,
        "127.0.0.1",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    ));
}

#[test]
fn an_untrusted_certificate_is_refused_in_one_sentence() {
    let (url, _) = tls_server();
    // Without the private CA the system roots cannot vouch for the server.
    let bad = with(&url, "127.0.0.1", "sslmode=verify-full");
    let (code, out, err) = common::run(&["snapshot", &bad]);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("127.0.0.1"), "{err}");
    assert!(err.to_lowercase().contains("certificate"), "{err}");
    assert!(!err.contains("pw-SECRET-123"), "{err}");
}
