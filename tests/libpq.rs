//! libpq's conventions, as psql has them, against the real TLS cluster of
//! `scripts/test.sh` (scripts/lib/pg.sh, `SD_PG_TLS=1`): it asks the role
//! `sdt_libpq` for a password (over TCP and its socket) and lets `sdt_cert`
//! in only with a client certificate signed by the run's CA.
//!
//! `PGPASSWORD`, the password file, the other PG* variables, `key=value`
//! strings with libpq's quoting, several hosts, a Unix socket without TLS,
//! `connect_timeout` and client certificates.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Once;

/// A password with everything the two string forms must quote or encode.
const PW: &str = "p w'd\\x@:/ ";

struct Server {
    url: url::Url,
    port: u16,
    ca: String,
    cert: String,
    key: String,
    socket_dir: String,
}

fn var(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run the tests through scripts/test.sh"))
}

fn server() -> Server {
    let url = url::Url::parse(&var("SCHEMADRIFT_TEST_PG_TLS_URL")).unwrap();
    static ROLES: Once = Once::new();
    ROLES.call_once(|| {
        common::exec(
            url.as_ref(),
            &format!(
                "DO $$ BEGIN CREATE ROLE sdt_libpq LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
                 ALTER ROLE sdt_libpq PASSWORD '{}';
                 DO $$ BEGIN CREATE ROLE sdt_cert LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;",
                PW.replace('\'', "''")
            ),
        );
    });
    Server {
        port: url.port().unwrap(),
        url,
        ca: var("SCHEMADRIFT_TEST_PG_TLS_CA"),
        cert: var("SCHEMADRIFT_TEST_PG_TLS_CLIENT_CERT"),
        key: var("SCHEMADRIFT_TEST_PG_TLS_CLIENT_KEY"),
        socket_dir: var("SCHEMADRIFT_TEST_PG_TLS_SOCKET_DIR"),
    }
}

/// Run `schemadrift snapshot SOURCE` with no PG* variable from the test's
/// own environment, a private HOME, and `env` set.
fn snapshot(source: &str, home: &Path, env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(common::bin());
    cmd.args(["snapshot", source])
        .env("NO_COLOR", "1")
        .env("HOME", home);
    for (k, _) in std::env::vars() {
        if k.starts_with("PG") || k == "DATABASE_URL" {
            cmd.env_remove(k);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    // Whatever happened, the password is nowhere.
    for text in [&stdout, &stderr] {
        assert!(!text.contains(PW.trim()), "the password leaked:\n{text}");
        assert!(!text.contains("p w'd"), "the password leaked:\n{text}");
    }
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

fn ok((code, out, err): (i32, String, String)) -> String {
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"format_version\""), "{out}");
    out
}

fn fails((code, out, err): (i32, String, String), needles: &[&str]) -> String {
    assert_eq!(code, 2, "{out}{err}");
    for n in needles {
        assert!(err.contains(n), "`{n}` not in: {err}");
    }
    err
}

/// libpq's key=value quoting of a value.
fn quoted(v: &str) -> String {
    format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn private_file(dir: &Path, name: &str, text: &str, mode: u32) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    p
}

#[test]
fn pgpassword_and_both_string_forms() {
    let s = server();
    let home = tempfile::tempdir().unwrap();
    let kv = format!(
        "host=127.0.0.1 port={} user=sdt_libpq dbname=postgres",
        s.port
    );
    let out = ok(snapshot(&kv, home.path(), &[("PGPASSWORD", PW)]));
    assert!(out.contains(&format!("\"source\": \"{kv}\"")), "{out}");
    // The password quoted in the string itself, and percent-encoded in a URI.
    ok(snapshot(
        &format!("{kv} password={}", quoted(PW)),
        home.path(),
        &[],
    ));
    let enc: String = url::form_urlencoded::byte_serialize(PW.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    ok(snapshot(
        &format!("postgresql://sdt_libpq:{enc}@127.0.0.1:{}/postgres", s.port),
        home.path(),
        &[],
    ));
    fails(
        snapshot(&kv, home.path(), &[("PGPASSWORD", "wrong")]),
        &["password authentication failed for user \"sdt_libpq\""],
    );
    fails(
        snapshot(&kv, home.path(), &[]),
        &["asks for a password and none was given"],
    );
}

#[test]
fn the_password_file_as_libpq_reads_it() {
    let s = server();
    let home = tempfile::tempdir().unwrap();
    let kv = format!(
        "host=127.0.0.1 port={} user=sdt_libpq dbname=postgres",
        s.port
    );
    let escaped = PW.replace('\\', "\\\\").replace(':', "\\:");
    let line = format!("127.0.0.1:{}:postgres:sdt_libpq:{escaped}\n", s.port);
    let pgpass = private_file(
        home.path(),
        ".pgpass",
        &format!("# mine\nother:*:*:*:nope\n{line}"),
        0o600,
    );
    ok(snapshot(&kv, home.path(), &[]));
    // A file others may read is ignored, with libpq's warning.
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = fails(snapshot(&kv, home.path(), &[]), &["asks for a password"]);
    assert!(
        err.contains(&format!(
            "warning: password file \"{}\" has group or world access; permissions should be u=rw (0600) or less",
            pgpass.display()
        )),
        "{err}"
    );
    // PGPASSFILE names another file; passfile= in the string wins over it.
    let elsewhere = tempfile::tempdir().unwrap();
    let other = private_file(elsewhere.path(), "pw", &line, 0o600);
    ok(snapshot(
        &kv,
        home.path(),
        &[("PGPASSFILE", other.to_str().unwrap())],
    ));
    let wrong = private_file(
        elsewhere.path(),
        "bad",
        "*:*:*:sdt_libpq:not-the-password\n",
        0o600,
    );
    ok(snapshot(
        &format!("{kv} passfile={}", other.display()),
        home.path(),
        &[("PGPASSFILE", wrong.to_str().unwrap())],
    ));
    fails(
        snapshot(&kv, home.path(), &[("PGPASSFILE", wrong.to_str().unwrap())]),
        &[&format!(
            "password retrieved from file \"{}\"",
            wrong.display()
        )],
    );
}

#[test]
fn pg_variables_fill_in_what_the_string_leaves_out() {
    let s = server();
    let home = tempfile::tempdir().unwrap();
    let port = s.port.to_string();
    let base = [
        ("PGHOST", "127.0.0.1"),
        ("PGPORT", port.as_str()),
        ("PGUSER", "sdt_libpq"),
        ("PGDATABASE", "postgres"),
        ("PGPASSWORD", PW),
    ];
    for source in ["postgres://", "postgresql:///postgres", "dbname=postgres"] {
        let mut env = base.to_vec();
        env.extend([
            ("PGSSLMODE", "verify-full"),
            ("PGSSLROOTCERT", s.ca.as_str()),
        ]);
        ok(snapshot(source, home.path(), &env));
    }
    // PGSSLMODE is used: verify-full without the private CA is refused.
    let mut env = base.to_vec();
    env.push(("PGSSLMODE", "verify-full"));
    fails(snapshot("postgres://", home.path(), &env), &["certificate"]);
    // PGDATABASE is used.
    let mut env = base.to_vec();
    env[3] = ("PGDATABASE", "sdt_no_such_db");
    fails(
        snapshot("postgres://", home.path(), &env),
        &["database \"sdt_no_such_db\" does not exist"],
    );
}

#[test]
fn a_unix_socket_host_does_not_try_tls() {
    let s = server();
    let home = tempfile::tempdir().unwrap();
    // The server offers TLS; a socket is never encrypted (sslmode is
    // ignored for sockets, as in libpq).
    for extra in ["", " sslmode=require", " sslmode=prefer"] {
        ok(snapshot(
            &format!(
                "host={} port={} user=postgres dbname=postgres{extra}",
                s.socket_dir, s.port
            ),
            home.path(),
            &[],
        ));
    }
    let enc: String = url::form_urlencoded::byte_serialize(s.socket_dir.as_bytes()).collect();
    ok(snapshot(
        &format!("postgres://postgres@{enc}:{}/postgres", s.port),
        home.path(),
        &[],
    ));
    // PGHOST naming the socket directory, and a password over the socket.
    let port = s.port.to_string();
    ok(snapshot(
        "dbname=postgres user=sdt_libpq",
        home.path(),
        &[
            ("PGHOST", &s.socket_dir),
            ("PGPORT", &port),
            ("PGPASSWORD", PW),
        ],
    ));
}

#[test]
fn connect_timeout_bounds_each_hosts_start_up() {
    let silent = common::silent_server();
    let home = tempfile::tempdir().unwrap();
    let kv = format!("host=127.0.0.1 port={silent} user=x dbname=y sslmode=disable");
    fails(
        snapshot(&format!("{kv} connect_timeout=3"), home.path(), &[]),
        &["did not complete the start-up within 3 seconds"],
    );
    // Below 2 s is 2 s, as in libpq; PGCONNECT_TIMEOUT is the default.
    fails(
        snapshot(&format!("{kv} connect_timeout=1"), home.path(), &[]),
        &["within 2 seconds"],
    );
    fails(
        snapshot(&kv, home.path(), &[("PGCONNECT_TIMEOUT", "2")]),
        &["within 2 seconds"],
    );
}

#[test]
fn client_certificates() {
    let s = server();
    let home = tempfile::tempdir().unwrap();
    let base = format!(
        "host=127.0.0.1 port={} user=sdt_cert dbname=postgres sslmode=verify-full sslrootcert={}",
        s.port, s.ca
    );
    ok(snapshot(
        &format!("{base} sslcert={} sslkey={}", s.cert, s.key),
        home.path(),
        &[],
    ));
    // The URI form, and the PG* variables.
    ok(snapshot(
        &format!(
            "postgres://sdt_cert@127.0.0.1:{}/postgres?sslmode=verify-full&sslrootcert={}&sslcert={}&sslkey={}",
            s.port, s.ca, s.cert, s.key
        ),
        home.path(),
        &[],
    ));
    ok(snapshot(
        &base,
        home.path(),
        &[("PGSSLCERT", &s.cert), ("PGSSLKEY", &s.key)],
    ));
    // Without one the server refuses (hostssl ... cert).
    fails(
        snapshot(&base, home.path(), &[]),
        &["connection requires a valid client certificate"],
    );
    fails(
        snapshot(
            &format!("{base} sslcert=/nonexistent/client.crt"),
            home.path(),
            &[],
        ),
        &["the sslcert \"/nonexistent/client.crt\" does not exist"],
    );
    // libpq's defaults: ~/.postgresql/postgresql.crt and .key.
    let dot = home.path().join(".postgresql");
    std::fs::create_dir(&dot).unwrap();
    std::fs::copy(&s.cert, dot.join("postgresql.crt")).unwrap();
    let key_text = std::fs::read_to_string(&s.key).unwrap();
    let key = private_file(&dot, "postgresql.key", &key_text, 0o600);
    ok(snapshot(&base, home.path(), &[]));
    // A key others can read is refused, in libpq's words.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    fails(
        snapshot(&base, home.path(), &[]),
        &["has group or world access; file must have permissions u=rw (0600) or less"],
    );
    // The key of another certificate (the CA's).
    let ca_key = Path::new(&s.ca).with_file_name("ca.key");
    let other = private_file(
        &dot,
        "other.key",
        &std::fs::read_to_string(ca_key).unwrap(),
        0o600,
    );
    fails(
        snapshot(
            &format!("{base} sslcert={} sslkey={}", s.cert, other.display()),
            home.path(),
            &[],
        ),
        &["certificate does not match private key file"],
    );
}

#[test]
fn several_hosts_are_tried_in_turn() {
    let s = server();
    let home = tempfile::tempdir().unwrap();
    let closed = common::closed_port();
    ok(snapshot(
        &format!(
            "host=127.0.0.1,localhost port={closed},{} user=postgres dbname=postgres",
            s.port
        ),
        home.path(),
        &[],
    ));
    ok(snapshot(
        &format!(
            "postgres://postgres@127.0.0.1:{closed},127.0.0.1:{}/postgres",
            s.port
        ),
        home.path(),
        &[],
    ));
    fails(
        snapshot(
            &format!("host=127.0.0.1,localhost port={closed} user=postgres dbname=postgres"),
            home.path(),
            &[],
        ),
        &[
            "host 127.0.0.1: connection refused",
            "host localhost: connection refused",
        ],
    );
    // target_session_attrs, checked on each host as libpq does.
    let kv = format!(
        "host=127.0.0.1 port={} user=postgres dbname=postgres",
        s.port
    );
    ok(snapshot(
        &format!("{kv} target_session_attrs=read-write"),
        home.path(),
        &[],
    ));
    ok(snapshot(
        &format!("{kv} target_session_attrs=prefer-standby"),
        home.path(),
        &[],
    ));
    fails(
        snapshot(
            &format!("{kv} target_session_attrs=standby"),
            home.path(),
            &[],
        ),
        &["server is not in hot standby mode"],
    );
    let _ = &s.url;
}
