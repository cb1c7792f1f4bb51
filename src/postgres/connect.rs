//! Connecting as psql does: a URI or `key=value` string with libpq's
//! environment defaults (`PGHOST`, `PGUSER`, `PGPASSWORD`, `PGSSLMODE`, ...),
//! the password file, several hosts tried in turn (`host=a,b`), a Unix
//! socket without TLS, `connect_timeout` bounding each host's whole start-up,
//! TLS through rustls (see [`super::tls`]), and driver errors turned into
//! one clear sentence.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio_postgres::config::{ChannelBinding, SslNegotiation};
use tokio_postgres::error::SqlState;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::pgpass;
pub use super::tls::SslMode;
use super::tls::{self, Roots};
use crate::conninfo::{self, ConnInfo};
use crate::error::{chain, Error};
use crate::redact::{redact, scrub, Dsn};

/// rustls needs exactly one process-wide crypto provider: ring's, which
/// every TLS client here (PostgreSQL, Bolt, SMTP, HTTP) is built with.
/// Installing it again is harmless.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// libpq's `target_session_attrs`: what the server found must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Session {
    Any,
    ReadWrite,
    ReadOnly,
    Primary,
    Standby,
    PreferStandby,
}

/// One host to try.
struct Endpoint {
    config: tokio_postgres::Config,
    /// The host name, IP address or socket directory, for messages.
    host: String,
    unix: bool,
    /// The TLS server name (the host name, else the address).
    server_name: String,
    /// The password file the password came from, if it did.
    password_file: Option<PathBuf>,
}

/// A connection string made ready to connect with.
pub struct Target {
    endpoints: Vec<Endpoint>,
    pub ssl_mode: SslMode,
    tls: tls::Settings,
    /// The TLS configuration, made at the first connection that needs it.
    tls_config: OnceLock<Result<Arc<rustls::ClientConfig>, String>>,
    /// The `sslcert` given but not there (libpq then goes on without one).
    missing_cert: Option<PathBuf>,
    /// Bound on each host's whole start-up (None: `connect_timeout=0`).
    startup: Option<Duration>,
    session: Session,
    /// The endpoint that answered first: later connections (the helpers
    /// that share its snapshot) go there first.
    chosen: AtomicUsize,
    pub user: String,
    pub dbname: String,
    /// The connection string with every secret removed, for messages.
    pub redacted: String,
    /// The password (from the string, `PGPASSWORD` or the password file),
    /// to scrub from any driver text.
    pub password: Option<String>,
}

/// Connection strings that get no environment defaults and no password
/// file: the embedded shadow's own socket, which must be the same whatever
/// the environment says (a `PGOPTIONS` would change the replay).
fn private_urls() -> &'static Mutex<Vec<String>> {
    static P: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    P.get_or_init(|| Mutex::new(Vec::new()))
}

/// Mark `url` as private (see [`private_urls`]).
pub fn register_private(url: &str) {
    private_urls()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(url.to_string());
}

fn is_private(url: &str) -> bool {
    private_urls()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .any(|u| u == url)
}

/// What a connection string can draw on besides itself: the environment
/// and the files in the home directory.
pub struct Context<'a> {
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// The home directory (`~/.pgpass`, `~/.postgresql/`), if any.
    pub home: Option<PathBuf>,
    /// The operating-system user (libpq's default user name).
    pub os_user: Option<String>,
    /// Where a server's socket may be when no host is given.
    pub socket_dirs: &'a [&'a str],
}

/// Where libpq looks for the server when no host is given: Debian's
/// compiled-in directory, then upstream's.
const SOCKET_DIRS: &[&str] = &["/var/run/postgresql", "/tmp"];

/// Parse a connection string with this process's environment.
pub fn parse(dsn: &Dsn, connect_timeout: Duration) -> Result<Target, Error> {
    let url = dsn.expose();
    let env = |name: &str| std::env::var(name).ok();
    let private = is_private(url);
    let none = |_: &str| None;
    let ctx = Context {
        env: if private { &none } else { &env },
        home: if private { None } else { home_dir() },
        os_user: os_user(),
        socket_dirs: SOCKET_DIRS,
    };
    parse_with(url, connect_timeout, &ctx)
}

/// The home directory as libpq finds it: `$HOME`, else the password database.
fn home_dir() -> Option<PathBuf> {
    match std::env::var_os("HOME") {
        Some(h) if !h.is_empty() => Some(PathBuf::from(h)),
        _ => passwd_entry().map(|(_, dir)| dir),
    }
}

/// The effective user's name, as libpq's default user name.
fn os_user() -> Option<String> {
    passwd_entry().map(|(name, _)| name)
}

fn passwd_entry() -> Option<(String, PathBuf)> {
    let mut buf = vec![0 as libc::c_char; 16384];
    // SAFETY: an all-zero passwd is a valid value to be filled in.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: getpwuid_r writes into `pwd` and `buf`, both live and sized
    // as passed; the strings read below point into `buf`.
    let rc = unsafe {
        libc::getpwuid_r(
            libc::geteuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() {
        return None;
    }
    // SAFETY: on success pw_name and pw_dir are NUL-terminated strings in `buf`.
    let (name, dir) = unsafe {
        (
            std::ffi::CStr::from_ptr(pwd.pw_name),
            std::ffi::CStr::from_ptr(pwd.pw_dir),
        )
    };
    Some((
        name.to_string_lossy().into_owned(),
        PathBuf::from(dir.to_string_lossy().into_owned()),
    ))
}

/// A warning about the password file, printed once per file and process.
fn warn_once(message: String) {
    static SEEN: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    let mut seen = SEEN
        .get_or_init(|| Mutex::new(Vec::new()))
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if !seen.contains(&message) {
        eprintln!("schemadrift: warning: {message}");
        seen.push(message);
    }
}

/// libpq's `pqParseIntParam`: an integer with optional surrounding spaces.
fn int_param(info: &ConnInfo, key: &str) -> Result<Option<i64>, String> {
    match info.non_empty(key) {
        None => Ok(None),
        Some(v) => {
            v.trim().parse::<i64>().map(Some).map_err(|_| {
                format!("invalid integer value \"{v}\" for connection option \"{key}\"")
            })
        }
    }
}

/// A comma-separated list, as libpq splits `host`, `hostaddr` and `port`.
fn list(value: Option<&str>) -> Vec<String> {
    match value {
        Some(v) if !v.is_empty() => v.split(',').map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// Parse a connection string: the string itself, then `ctx`'s environment
/// for what it leaves out, then libpq's defaults.
pub fn parse_with(url: &str, connect_timeout: Duration, ctx: &Context) -> Result<Target, Error> {
    let redacted = redact(url);
    let form = if conninfo::is_uri(url) {
        "URL"
    } else {
        "connection string"
    };
    let usage =
        |reason: String| Error::Usage(format!("malformed PostgreSQL {form} {redacted}: {reason}"));
    let mut info = conninfo::parse(url).map_err(usage)?;
    info.add_env_defaults(ctx.env);
    refuse_unsupported(&info).map_err(usage)?;

    let user = match info.non_empty("user") {
        Some(u) => u.to_string(),
        None => ctx.os_user.clone().ok_or_else(|| {
            usage("no user name given, and the local user name cannot be looked up".into())
        })?,
    };
    let dbname = info.non_empty("dbname").unwrap_or(&user).to_string();

    // Hosts, their addresses and ports, as libpq pairs them up.
    let addrs = list(info.get("hostaddr"));
    let mut hosts = list(info.get("host"));
    let count = if !addrs.is_empty() {
        addrs.len()
    } else {
        hosts.len().max(1)
    };
    if !hosts.is_empty() && hosts.len() != count {
        return Err(usage(format!(
            "could not match {} host names to {count} hostaddr values",
            hosts.len()
        )));
    }
    hosts.resize(count, String::new());
    let ports = list(info.get("port"));
    if ports.len() > 1 && ports.len() != count {
        return Err(usage(format!(
            "could not match {} port numbers to {count} hosts",
            ports.len()
        )));
    }

    let ssl_mode = ssl_mode(&info).map_err(usage)?;
    let tls = tls_settings(&info, ssl_mode, ctx).map_err(usage)?;
    let (tls, missing_cert) = tls;
    let startup = match int_param(&info, "connect_timeout").map_err(usage)? {
        // libpq: zero or less waits for ever; below 2 s is 2 s.
        Some(t) if t <= 0 => None,
        Some(t) => Some(Duration::from_secs(t.max(2) as u64)),
        None => Some(
            connect_timeout
                .saturating_mul(2)
                .max(Duration::from_secs(2)),
        ),
    };
    let session = match info.non_empty("target_session_attrs").unwrap_or("any") {
        "any" => Session::Any,
        "read-write" => Session::ReadWrite,
        "read-only" => Session::ReadOnly,
        "primary" => Session::Primary,
        "standby" => Session::Standby,
        "prefer-standby" => Session::PreferStandby,
        v => {
            return Err(usage(format!(
                "invalid target_session_attrs value: \"{v}\""
            )))
        }
    };

    let password = info.non_empty("password").map(str::to_string);
    let passfile = match info.non_empty("passfile") {
        Some(p) => Some(PathBuf::from(p)),
        None => ctx.home.as_ref().map(|h| h.join(".pgpass")),
    };
    let mut endpoints = Vec::new();
    let mut first_password = password.clone();
    for (i, given) in hosts.iter().enumerate() {
        let host = match (given.as_str(), addrs.get(i)) {
            ("", None) => default_host(ctx.socket_dirs, ports.first().map(String::as_str)),
            (h, _) => h.to_string(),
        };
        let port_text = ports
            .get(i)
            .or(ports.first())
            .map(String::as_str)
            .unwrap_or("");
        let port = match port_text {
            "" => 5432,
            p => match p.trim().parse::<u16>() {
                Ok(n) if n > 0 => n,
                _ => return Err(usage(format!("invalid port number: \"{p}\""))),
            },
        };
        let addr = match addrs.get(i).filter(|a| !a.is_empty()) {
            Some(a) => Some(
                a.parse::<std::net::IpAddr>()
                    .map_err(|_| usage(format!("could not parse network address \"{a}\"")))?,
            ),
            None => None,
        };
        let unix = host.starts_with('/') && addr.is_none();
        let (pw, pw_file) = match (&password, &passfile) {
            (Some(pw), _) => (Some(pw.clone()), None),
            (None, Some(file)) => {
                // Searched by the host as given (`localhost` for the
                // default socket directory), else the address.
                let key_host = if unix && ctx.socket_dirs.contains(&host.as_str()) {
                    "localhost".to_string()
                } else if !host.is_empty() {
                    host.clone()
                } else {
                    addr.map(|a| a.to_string()).unwrap_or_default()
                };
                let key = pgpass::Key {
                    host: &key_host,
                    port: if port_text.is_empty() {
                        "5432"
                    } else {
                        port_text
                    },
                    dbname: &dbname,
                    user: &user,
                };
                let found = pgpass::lookup(file, key, &mut warn_once);
                let from = found.as_ref().map(|_| file.clone());
                (found, from)
            }
            (None, None) => (None, None),
        };
        if first_password.is_none() {
            first_password = pw.clone();
        }
        let mut config = base_config(&info, &user, &dbname, connect_timeout).map_err(usage)?;
        if let Some(pw) = &pw {
            config.password(pw.as_str());
        }
        let server_name = match (&host, addr) {
            (h, _) if !h.is_empty() => h.clone(),
            (_, Some(a)) => a.to_string(),
            _ => String::new(),
        };
        // An address alone is also the host, so that TLS has a name to check.
        config.host(if host.is_empty() {
            server_name.as_str()
        } else {
            host.as_str()
        });
        if let (Some(a), false) = (addr, host.is_empty()) {
            config.hostaddr(a);
        }
        config.port(port);
        config.ssl_mode(if unix {
            // libpq: sslmode is ignored for Unix-domain sockets.
            tokio_postgres::config::SslMode::Disable
        } else {
            match ssl_mode {
                SslMode::Disable => tokio_postgres::config::SslMode::Disable,
                SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
                _ => tokio_postgres::config::SslMode::Require,
            }
        });
        endpoints.push(Endpoint {
            config,
            host: if host.is_empty() {
                server_name.clone()
            } else {
                host.clone()
            },
            unix,
            server_name,
            password_file: pw_file,
        });
    }
    if info.non_empty("load_balance_hosts") == Some("random") {
        shuffle(&mut endpoints);
    } else if let Some(v) = info
        .non_empty("load_balance_hosts")
        .filter(|v| *v != "disable")
    {
        return Err(usage(format!("invalid load_balance_hosts value: \"{v}\"")));
    }
    Ok(Target {
        endpoints,
        ssl_mode,
        tls,
        tls_config: OnceLock::new(),
        missing_cert,
        startup,
        session,
        chosen: AtomicUsize::new(0),
        user,
        dbname,
        redacted,
        password: first_password,
    })
}

/// Options libpq has that this client cannot honour: refused, never
/// silently dropped, since most of them are about security.
fn refuse_unsupported(info: &ConnInfo) -> Result<(), String> {
    let not = |key: &str, why: &str| {
        Err(format!(
            "the connection option `{key}` is not supported ({why})"
        ))
    };
    if info.non_empty("service").is_some() {
        return not("service", "connection service files are not read; give the settings in the connection string or the PG* variables");
    }
    if info
        .non_empty("replication")
        .is_some_and(|v| !matches!(v, "0" | "false" | "off" | "no"))
    {
        return not(
            "replication",
            "schemadrift reads catalogs; it never opens a replication connection",
        );
    }
    for key in [
        "require_auth",
        "requirepeer",
        "scram_client_key",
        "scram_server_key",
        "oauth_issuer",
        "oauth_client_id",
        "oauth_client_secret",
        "oauth_scope",
    ] {
        if info.non_empty(key).is_some() {
            return not(
                key,
                "the PostgreSQL client library schemadrift uses has no such setting",
            );
        }
    }
    match info.non_empty("gssencmode").unwrap_or("prefer") {
        "disable" | "prefer" => {}
        "require" => return not("gssencmode=require", "there is no GSSAPI encryption here"),
        v => return Err(format!("invalid gssencmode value: \"{v}\"")),
    }
    match info.non_empty("sslcertmode").unwrap_or("allow") {
        "disable" | "allow" => {}
        "require" => {
            return not(
                "sslcertmode=require",
                "rustls cannot tell whether the server asked for a certificate",
            )
        }
        v => return Err(format!("invalid sslcertmode value: \"{v}\"")),
    }
    if let Some(v) = info
        .non_empty("min_protocol_version")
        .filter(|v| *v != "3.0")
    {
        return not(
            &format!("min_protocol_version={v}"),
            "this client speaks protocol 3.0",
        );
    }
    Ok(())
}

fn ssl_mode(info: &ConnInfo) -> Result<SslMode, String> {
    let system = info.get("sslrootcert") == Some("system");
    let mode = match info.non_empty("sslmode") {
        Some(v) => SslMode::parse(v).ok_or_else(|| {
            format!("invalid sslmode `{v}`: expected disable, allow, prefer, require, verify-ca or verify-full")
        })?,
        // libpq 16: sslrootcert=system makes verify-full the default...
        None if system => SslMode::VerifyFull,
        None => SslMode::Prefer,
    };
    // ... and refuses anything weaker.
    if system && mode != SslMode::VerifyFull {
        return Err(format!(
            "weak sslmode \"{}\" may not be used with sslrootcert=system (use \"verify-full\")",
            mode.name()
        ));
    }
    Ok(mode)
}

/// The TLS settings, with libpq's default files in `~/.postgresql/`; and
/// the certificate file that was named but is not there.
fn tls_settings(
    info: &ConnInfo,
    mode: SslMode,
    ctx: &Context,
) -> Result<(tls::Settings, Option<PathBuf>), String> {
    let dot = |name: &str| ctx.home.as_ref().map(|h| h.join(".postgresql").join(name));
    let exists = |p: &Path| std::fs::metadata(p).is_ok();
    let roots = match info.non_empty("sslrootcert") {
        Some("system") => Roots::System,
        Some(p) => Roots::File(PathBuf::from(p)),
        None => match dot("root.crt").filter(|p| exists(p)) {
            Some(p) => Roots::File(p),
            // libpq would refuse verify-ca/verify-full here; schemadrift
            // trusts the Mozilla roots instead (README).
            None => Roots::System,
        },
    };
    // libpq: with a root certificate file, require verifies the chain.
    let mode = if mode == SslMode::Require && matches!(&roots, Roots::File(p) if exists(p)) {
        SslMode::VerifyCa
    } else {
        mode
    };
    let mut crls = Vec::new();
    match (info.non_empty("sslcrl"), info.non_empty("sslcrldir")) {
        (None, None) => crls.extend(dot("root.crl").filter(|p| exists(p))),
        (file, dir) => {
            crls.extend(file.map(PathBuf::from));
            if let Some(dir) = dir {
                let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                    .map_err(|e| format!("could not read sslcrldir \"{dir}\": {e}"))?
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_file())
                    .collect();
                files.sort();
                crls.extend(files);
            }
        }
    }
    let mut missing_cert = None;
    let client = if info.non_empty("sslcertmode") == Some("disable") {
        None
    } else {
        let cert = info
            .non_empty("sslcert")
            .map(PathBuf::from)
            .or_else(|| dot("postgresql.crt"));
        let key = info
            .non_empty("sslkey")
            .map(PathBuf::from)
            .or_else(|| dot("postgresql.key"));
        match (cert, key) {
            (Some(cert), Some(key)) if exists(&cert) => Some((cert, key)),
            (Some(cert), None) if exists(&cert) => {
                return Err(format!(
                    "certificate present, but not private key file (sslkey) for \"{}\"",
                    cert.display()
                ))
            }
            (Some(cert), _) => {
                if info.non_empty("sslcert").is_some() {
                    missing_cert = Some(cert);
                }
                None
            }
            _ => None,
        }
    };
    let version = |key: &str, default: Option<u8>| -> Result<Option<u8>, String> {
        match info.get(key) {
            None => Ok(default),
            Some(v) => {
                tls::protocol_version(v).ok_or_else(|| format!("invalid {key} value: \"{v}\""))
            }
        }
    };
    let min = version("ssl_min_protocol_version", Some(12))?
        .unwrap_or(10)
        .max(12);
    let max = version("ssl_max_protocol_version", None)?.unwrap_or(13);
    if max < 12 {
        return Err("ssl_max_protocol_version below TLSv1.2 is not supported (rustls speaks TLSv1.2 and TLSv1.3)".into());
    }
    if min > max {
        return Err("invalid SSL protocol version range".into());
    }
    let sni = info.non_empty("sslsni") != Some("0");
    Ok((
        tls::Settings {
            mode,
            roots,
            crls,
            client,
            versions: (min, max),
            sni,
        },
        missing_cert,
    ))
}

/// The tokio-postgres settings every host shares.
fn base_config(
    info: &ConnInfo,
    user: &str,
    dbname: &str,
    connect_timeout: Duration,
) -> Result<tokio_postgres::Config, String> {
    let mut c = tokio_postgres::Config::new();
    c.user(user).dbname(dbname);
    c.application_name(
        info.non_empty("application_name")
            .or(info.non_empty("fallback_application_name"))
            .unwrap_or("schemadrift"),
    );
    if let Some(o) = info.non_empty("options") {
        c.options(o);
    }
    // connect_timeout bounds the TCP connect here; the whole start-up is
    // bounded by `Target::startup`.
    match int_param(info, "connect_timeout")? {
        Some(t) if t > 0 => {
            c.connect_timeout(Duration::from_secs(t.max(2) as u64));
        }
        Some(_) => {}
        None => {
            c.connect_timeout(connect_timeout.max(Duration::from_secs(1)));
        }
    }
    if info.non_empty("keepalives") == Some("0") {
        c.keepalives(false);
    }
    let secs = |key: &str| -> Result<Option<Duration>, String> {
        Ok(int_param(info, key)?
            .filter(|s| *s > 0)
            .map(|s| Duration::from_secs(s as u64)))
    };
    if let Some(d) = secs("keepalives_idle")? {
        c.keepalives_idle(d);
    }
    if let Some(d) = secs("keepalives_interval")? {
        c.keepalives_interval(d);
    }
    if let Some(n) = int_param(info, "keepalives_count")?.filter(|n| *n > 0) {
        c.keepalives_retries(n as u32);
    }
    if let Some(ms) = int_param(info, "tcp_user_timeout")?.filter(|n| *n > 0) {
        c.tcp_user_timeout(Duration::from_millis(ms as u64));
    }
    c.channel_binding(
        match info.non_empty("channel_binding").unwrap_or("prefer") {
            "disable" => ChannelBinding::Disable,
            "prefer" => ChannelBinding::Prefer,
            "require" => ChannelBinding::Require,
            v => return Err(format!("invalid channel_binding value: \"{v}\"")),
        },
    );
    c.ssl_negotiation(
        match info.non_empty("sslnegotiation").unwrap_or("postgres") {
            "postgres" => SslNegotiation::Postgres,
            "direct" => SslNegotiation::Direct,
            v => return Err(format!("invalid sslnegotiation value: \"{v}\"")),
        },
    );
    Ok(c)
}

/// The host when none is given: the first default socket directory that
/// holds the server's socket, else `localhost` over TCP. (libpq would try
/// its one compiled-in directory and fail; looking in both and falling back
/// to TCP finds the local server on every distribution.)
fn default_host(dirs: &[&str], port: Option<&str>) -> String {
    let port = port.filter(|p| !p.is_empty()).unwrap_or("5432");
    dirs.iter()
        .find(|d| Path::new(d).join(format!(".s.PGSQL.{port}")).exists())
        .map(|d| d.to_string())
        .unwrap_or_else(|| "localhost".to_string())
}

/// `load_balance_hosts=random`: the hosts in a random order.
fn shuffle<T>(items: &mut [T]) {
    use std::hash::{BuildHasher, Hasher};
    for i in (1..items.len()).rev() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_usize(i);
        items.swap(i, (h.finish() % (i as u64 + 1)) as usize);
    }
}

impl Target {
    /// (host, port, database) of the first host, with local names unified:
    /// what the shadow is compared with to make sure it is not a target.
    pub fn identity(&self) -> Option<(String, u16, String)> {
        let e = self.endpoints.first()?;
        let host = e.host.to_ascii_lowercase();
        let host = match host.as_str() {
            "localhost" | "127.0.0.1" | "::1" => "localhost".to_string(),
            _ => host,
        };
        let port = e.config.get_ports().first().copied().unwrap_or(5432);
        Some((host, port, self.dbname.clone()))
    }

    fn tls_config(&self) -> Result<Arc<rustls::ClientConfig>, String> {
        self.tls_config
            .get_or_init(|| tls::client_config(&self.tls).map(Arc::new))
            .clone()
    }
}

/// Connect; the connection task is spawned on the current runtime. Hosts
/// are tried in turn (the one that answered before first), each within
/// its start-up bound, and must have the `target_session_attrs` asked for.
pub async fn connect(
    target: &Target,
    _timeout: Duration,
) -> Result<(tokio_postgres::Client, tokio::task::JoinHandle<()>), Error> {
    install_crypto_provider();
    let n = target.endpoints.len();
    let first = target
        .chosen
        .load(Ordering::Relaxed)
        .min(n.saturating_sub(1));
    let order: Vec<usize> = (0..n).map(|i| (first + i) % n).collect();
    // prefer-standby: a standby if there is one, else any server.
    let passes = match target.session {
        Session::PreferStandby => vec![Session::Standby, Session::Any],
        s => vec![s],
    };
    let mut failures: Vec<(usize, String)> = Vec::new();
    for want in passes {
        failures.clear();
        for &i in &order {
            match attempt(target, &target.endpoints[i], want).await {
                Ok(pair) => {
                    target.chosen.store(i, Ordering::Relaxed);
                    return Ok(pair);
                }
                Err(reason) => failures.push((i, reason)),
            }
        }
    }
    let reason = match failures.as_slice() {
        [(_, one)] => one.clone(),
        many => many
            .iter()
            .map(|(i, r)| format!("host {}: {r}", target.endpoints[*i].host))
            .collect::<Vec<_>>()
            .join("; "),
    };
    Err(Error::Connect {
        engine: "PostgreSQL",
        target: target.redacted.clone(),
        reason: scrub(&reason, target.password.as_deref()),
    })
}

/// One host: connect (TLS unless it is a socket or sslmode=disable), within
/// the start-up bound, then check the session attributes.
async fn attempt(
    target: &Target,
    e: &Endpoint,
    want: Session,
) -> Result<(tokio_postgres::Client, tokio::task::JoinHandle<()>), String> {
    let (client, handle) = if e.unix || target.ssl_mode == SslMode::Disable {
        start(target, e, tokio_postgres::NoTls).await?
    } else {
        let config = target.tls_config()?;
        start(
            target,
            e,
            Named {
                inner: MakeRustlsConnect::new((*config).clone()),
                name: e.server_name.clone(),
            },
        )
        .await?
    };
    if let Err(reason) = check_session(&client, want).await {
        drop(client);
        let _ = handle.await;
        return Err(reason);
    }
    Ok((client, handle))
}

/// libpq's checks of `target_session_attrs` on a fresh session.
async fn check_session(client: &tokio_postgres::Client, want: Session) -> Result<(), String> {
    if want == Session::Any {
        return Ok(());
    }
    let row = client
        .query_one(
            "SELECT pg_catalog.current_setting('transaction_read_only'), pg_catalog.pg_is_in_recovery()",
            &[],
        )
        .await
        .map_err(|e| format!("could not check target_session_attrs: {}", chain(&e)))?;
    let read_only: String = row.get(0);
    let standby: bool = row.get(1);
    let problem = match want {
        Session::ReadWrite if read_only == "on" => Some("session is read-only"),
        Session::ReadOnly if read_only != "on" => Some("session is not read-only"),
        Session::Primary if standby => Some("server is in hot standby mode"),
        Session::Standby if !standby => Some("server is not in hot standby mode"),
        _ => None,
    };
    match problem {
        Some(p) => Err(p.to_string()),
        None => Ok(()),
    }
}

/// rustls's connector with the server name fixed: the host name, or the
/// address when only `hostaddr` was given (tokio-postgres would pass an
/// empty name then, which rustls refuses).
struct Named {
    inner: MakeRustlsConnect,
    name: String,
}

impl tokio_postgres::tls::MakeTlsConnect<tokio_postgres::Socket> for Named {
    type Stream =
        <MakeRustlsConnect as tokio_postgres::tls::MakeTlsConnect<tokio_postgres::Socket>>::Stream;
    type TlsConnect = <MakeRustlsConnect as tokio_postgres::tls::MakeTlsConnect<
        tokio_postgres::Socket,
    >>::TlsConnect;
    type Error =
        <MakeRustlsConnect as tokio_postgres::tls::MakeTlsConnect<tokio_postgres::Socket>>::Error;

    fn make_tls_connect(&mut self, _host: &str) -> Result<Self::TlsConnect, Self::Error> {
        tokio_postgres::tls::MakeTlsConnect::<tokio_postgres::Socket>::make_tls_connect(
            &mut self.inner,
            &self.name,
        )
    }
}

/// Connect with `tls` within the start-up bound, and drive the connection
/// in a task.
async fn start<T>(
    target: &Target,
    e: &Endpoint,
    tls: T,
) -> Result<(tokio_postgres::Client, tokio::task::JoinHandle<()>), String>
where
    T: tokio_postgres::tls::MakeTlsConnect<tokio_postgres::Socket>,
    T::Stream: Send + 'static,
{
    let connecting = e.config.connect(tls);
    let result = match target.startup {
        Some(bound) => match tokio::time::timeout(bound, connecting).await {
            Ok(r) => r,
            Err(_) => {
                return Err(format!(
                    "the server did not complete the start-up within {} seconds",
                    bound.as_secs()
                ))
            }
        },
        None => connecting.await,
    };
    let (client, connection) = result.map_err(|err| connect_reason(target, e, &err))?;
    let handle = tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok((client, handle))
}

/// PostgreSQL's own message for a server error, with its detail and hint;
/// else the driver's error and its causes, on one line.
pub fn db_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => {
            let mut s = d.message().to_string();
            if let Some(detail) = d.detail() {
                s.push_str(&format!(" (DETAIL: {detail})"));
            }
            if let Some(hint) = d.hint() {
                s.push_str(&format!(" (HINT: {hint})"));
            }
            s
        }
        None => chain(e),
    }
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

/// One sentence for a failed connection attempt to one host.
fn connect_reason(target: &Target, ep: &Endpoint, e: &tokio_postgres::Error) -> String {
    let full = chain(e);
    let user = &target.user;
    let db = &target.dbname;
    let from_file = |s: String| match &ep.password_file {
        Some(f) => format!("{s} (password retrieved from file \"{}\")", f.display()),
        None => s,
    };
    let reason = if let Some(db_err) = e.as_db_error() {
        let code = db_err.code();
        if *code == SqlState::INVALID_PASSWORD {
            from_file(format!("password authentication failed for user \"{user}\"; check the user name and password"))
        } else if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
            let mut s = format!("the server rejected the login: {}", db_err.message());
            if let Some(c) = &target.missing_cert {
                s.push_str(&format!(
                    " (the sslcert \"{}\" does not exist)",
                    c.display()
                ));
            }
            s
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
        "the server asks for a password and none was given (in the connection string, PGPASSWORD or the password file)".to_string()
    } else if full.starts_with("authentication error") {
        from_file(format!(
            "authentication failed ({})",
            strip_prefix(&full, "authentication error: ")
        ))
    } else {
        match io_kind(e) {
            Some(std::io::ErrorKind::ConnectionRefused) => {
                "connection refused: is the server running and accepting TCP connections on that host and port?".to_string()
            }
            Some(std::io::ErrorKind::NotFound) if ep.unix => format!(
                "no server socket in {} (is the server running locally and accepting connections on that socket?)",
                ep.host
            ),
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
    scrub(&reason, target.password.as_deref())
}

/// One sentence for a failed connection attempt (for callers that connect
/// with tokio-postgres themselves).
pub fn connect_error(target: &Target, e: &tokio_postgres::Error) -> Error {
    let ep = &target.endpoints[target
        .chosen
        .load(Ordering::Relaxed)
        .min(target.endpoints.len() - 1)];
    Error::Connect {
        engine: "PostgreSQL",
        target: target.redacted.clone(),
        reason: connect_reason(target, ep, e),
    }
}

fn strip_prefix<'a>(s: &'a str, prefix: &str) -> &'a str {
    s.strip_prefix(prefix).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx_with<'a>(env: &'a dyn Fn(&str) -> Option<String>, home: Option<PathBuf>) -> Context<'a> {
        Context {
            env,
            home,
            os_user: Some("osuser".into()),
            socket_dirs: &[],
        }
    }

    fn t(url: &str) -> Target {
        t_env(url, &|_| None)
    }

    fn t_env(url: &str, env: &dyn Fn(&str) -> Option<String>) -> Target {
        parse_with(url, Duration::from_secs(7), &ctx_with(env, None))
            .unwrap_or_else(|e| panic!("{e}"))
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
        assert_eq!(full.tls.roots, Roots::File("/tmp/ca.pem".into()));
        assert_eq!(
            full.endpoints[0].config.get_ssl_mode(),
            tokio_postgres::config::SslMode::Require
        );
        // sslrootcert=system: verify-full by default, nothing weaker.
        assert_eq!(t("host=h sslrootcert=system").ssl_mode, SslMode::VerifyFull);
        let e = parse_with(
            "host=h sslrootcert=system sslmode=require",
            Duration::from_secs(1),
            &ctx_with(&|_| None, None),
        );
        assert!(e.is_err());
    }

    #[test]
    fn application_name_and_timeouts() {
        let a = t("postgres://u:p@h:5433/db");
        let c = &a.endpoints[0].config;
        assert_eq!(c.get_application_name(), Some("schemadrift"));
        assert_eq!(c.get_connect_timeout(), Some(&Duration::from_secs(7)));
        assert_eq!(a.startup, Some(Duration::from_secs(14)));
        assert_eq!(c.get_ports(), [5433]);
        assert_eq!(c.get_dbname(), Some("db"));
        assert_eq!(a.password.as_deref(), Some("p"));
        let b = t("postgres://h/db?application_name=mine&connect_timeout=3");
        assert_eq!(b.endpoints[0].config.get_application_name(), Some("mine"));
        // connect_timeout bounds the whole start-up of each host; 1 is 2; 0 is none.
        assert_eq!(b.startup, Some(Duration::from_secs(3)));
        assert_eq!(
            t("host=h connect_timeout=1").startup,
            Some(Duration::from_secs(2))
        );
        assert_eq!(t("host=h connect_timeout=0").startup, None);
        assert_eq!(
            t_env("host=h", &|v| (v == "PGCONNECT_TIMEOUT")
                .then(|| "5".into()))
            .startup,
            Some(Duration::from_secs(5))
        );
    }

    #[test]
    fn key_value_strings_and_environment_defaults() {
        let env = |v: &str| match v {
            "PGHOST" => Some("envhost".to_string()),
            "PGPORT" => Some("6543".to_string()),
            "PGUSER" => Some("envuser".to_string()),
            "PGDATABASE" => Some("envdb".to_string()),
            "PGPASSWORD" => Some("envpw".to_string()),
            "PGSSLMODE" => Some("require".to_string()),
            _ => None,
        };
        let a = t_env("dbname=app", &env);
        let c = &a.endpoints[0].config;
        assert_eq!(a.endpoints[0].host, "envhost");
        assert_eq!(c.get_ports(), [6543]);
        assert_eq!(c.get_user(), Some("envuser"));
        assert_eq!(c.get_dbname(), Some("app"));
        assert_eq!(c.get_password(), Some(&b"envpw"[..]));
        assert_eq!(a.ssl_mode, SslMode::Require);
        // The string wins over the environment.
        let b = t_env("postgres://u:pw@h:1/d?sslmode=disable", &env);
        assert_eq!(b.endpoints[0].config.get_user(), Some("u"));
        assert_eq!(b.password.as_deref(), Some("pw"));
        assert_eq!(b.ssl_mode, SslMode::Disable);
        // Defaults: the OS user, a database named after the user.
        let c = t("host=h");
        assert_eq!(c.user, "osuser");
        assert_eq!(c.dbname, "osuser");
        assert_eq!(c.redacted, "host=h");
    }

    #[test]
    fn several_hosts_ports_and_addresses() {
        let a = t("host=a,b,/run/pg port=1,2,3 hostaddr=,10.0.0.2,");
        let hosts: Vec<&str> = a.endpoints.iter().map(|e| e.host.as_str()).collect();
        assert_eq!(hosts, ["a", "b", "/run/pg"]);
        let ports: Vec<u16> = a
            .endpoints
            .iter()
            .map(|e| e.config.get_ports()[0])
            .collect();
        assert_eq!(ports, [1, 2, 3]);
        assert_eq!(
            a.endpoints[1].config.get_hostaddrs(),
            ["10.0.0.2".parse::<std::net::IpAddr>().unwrap()]
        );
        assert!(a.endpoints[2].unix && !a.endpoints[0].unix);
        // A Unix socket never tries TLS, whatever sslmode says.
        assert_eq!(
            t("host=/tmp sslmode=require").endpoints[0]
                .config
                .get_ssl_mode(),
            tokio_postgres::config::SslMode::Disable
        );
        // hostaddr alone: the address is the TLS name.
        let b = t("hostaddr=127.0.0.1");
        assert_eq!(b.endpoints[0].server_name, "127.0.0.1");
        for bad in [
            "host=a,b port=1,2,3",
            "host=a,b hostaddr=1.2.3.4",
            "host=a port=x",
            "hostaddr=nope",
        ] {
            assert!(
                parse_with(bad, Duration::from_secs(1), &ctx_with(&|_| None, None)).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_password_file_is_searched_per_host() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let pass = d.path().join(".pgpass");
        std::fs::write(
            &pass,
            "a:5432:app:u:pw-a\nlocalhost:5432:*:u:pw-local\n*:*:*:*:pw-any\n",
        )
        .unwrap();
        std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o600)).unwrap();
        let ctx = Context {
            env: &|_| None,
            home: Some(d.path().to_path_buf()),
            os_user: Some("u".into()),
            socket_dirs: &["/var/run/postgresql"],
        };
        let a = parse_with(
            "host=a,b,/var/run/postgresql dbname=app",
            Duration::from_secs(1),
            &ctx,
        )
        .unwrap();
        let pw: Vec<Option<&[u8]>> = a
            .endpoints
            .iter()
            .map(|e| e.config.get_password())
            .collect();
        assert_eq!(
            pw,
            [
                Some(&b"pw-a"[..]),
                Some(&b"pw-any"[..]),
                Some(&b"pw-local"[..])
            ]
        );
        assert_eq!(
            a.endpoints[0].password_file.as_deref(),
            Some(pass.as_path())
        );
        // A password in the string (or PGPASSWORD) wins over the file.
        let b = parse_with(
            "host=a dbname=app password=given",
            Duration::from_secs(1),
            &ctx,
        )
        .unwrap();
        assert_eq!(b.endpoints[0].config.get_password(), Some(&b"given"[..]));
        assert!(b.endpoints[0].password_file.is_none());
    }

    #[test]
    fn bad_strings_are_usage_errors_without_password() {
        for url in [
            "postgres://u:pw-SECRET-123@h:notaport/db",
            "postgres://u:pw-SECRET-123@h/db?sslmode=bogus",
            "postgres://u:pw-SECRET-123@h/db?nosuchoption=1",
            "host=h password=pw-SECRET-123 nosuchoption=1",
            "host=h password='pw-SECRET-123",
            "host=h pw-SECRET-123",
            "host=h password=pw-SECRET-123 require_auth=scram-sha-256",
            "host=h password=pw-SECRET-123 service=prod",
        ] {
            let e = match parse_with(url, Duration::from_secs(1), &ctx_with(&|_| None, None)) {
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
    fn identity_unifies_local_names() {
        assert_eq!(
            t("postgres://u@127.0.0.1/app").identity(),
            Some(("localhost".into(), 5432, "app".into()))
        );
        assert_eq!(
            t("host=DB.example port=5433 user=x").identity(),
            Some(("db.example".into(), 5433, "x".into()))
        );
    }
}
