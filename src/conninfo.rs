//! PostgreSQL connection strings as libpq reads them: URIs
//! (`postgresql://user:pw@host1:5432,host2/db?sslmode=require`) and
//! `key=value` strings (`host=db user=app password='s3 cret'`), with the
//! environment variables (`PGHOST`, `PGPASSWORD`, ...) as defaults for what
//! the string leaves out. The rules are libpq's own
//! (src/interfaces/libpq/fe-connect.c: `conninfo_parse`,
//! `conninfo_uri_parse_options`, `conninfo_add_defaults`), so a string that
//! works with psql works here, and one psql refuses is refused.
//!
//! Unlike libpq's, no message here ever repeats a value from the string:
//! any of them may be a password.

use std::collections::BTreeMap;

/// Every keyword libpq knows, with the environment variable that supplies
/// its default (PostgreSQL 18's list).
pub const KEYWORDS: &[(&str, Option<&str>)] = &[
    ("service", Some("PGSERVICE")),
    ("user", Some("PGUSER")),
    ("password", Some("PGPASSWORD")),
    ("passfile", Some("PGPASSFILE")),
    ("channel_binding", Some("PGCHANNELBINDING")),
    ("connect_timeout", Some("PGCONNECT_TIMEOUT")),
    ("dbname", Some("PGDATABASE")),
    ("host", Some("PGHOST")),
    ("hostaddr", Some("PGHOSTADDR")),
    ("port", Some("PGPORT")),
    ("client_encoding", Some("PGCLIENTENCODING")),
    ("options", Some("PGOPTIONS")),
    ("application_name", Some("PGAPPNAME")),
    ("fallback_application_name", None),
    ("keepalives", None),
    ("keepalives_idle", None),
    ("keepalives_interval", None),
    ("keepalives_count", None),
    ("tcp_user_timeout", None),
    ("sslmode", Some("PGSSLMODE")),
    ("sslnegotiation", Some("PGSSLNEGOTIATION")),
    ("sslcompression", Some("PGSSLCOMPRESSION")),
    ("sslcert", Some("PGSSLCERT")),
    ("sslkey", Some("PGSSLKEY")),
    ("sslcertmode", Some("PGSSLCERTMODE")),
    ("sslpassword", None),
    ("sslkeylogfile", Some("PGSSLKEYLOGFILE")),
    ("sslrootcert", Some("PGSSLROOTCERT")),
    ("sslcrl", Some("PGSSLCRL")),
    ("sslcrldir", Some("PGSSLCRLDIR")),
    ("sslsni", Some("PGSSLSNI")),
    ("requirepeer", Some("PGREQUIREPEER")),
    ("ssl_min_protocol_version", Some("PGSSLMINPROTOCOLVERSION")),
    ("ssl_max_protocol_version", Some("PGSSLMAXPROTOCOLVERSION")),
    ("gssencmode", Some("PGGSSENCMODE")),
    ("krbsrvname", Some("PGKRBSRVNAME")),
    ("gsslib", Some("PGGSSLIB")),
    ("gssdelegation", Some("PGGSSDELEGATION")),
    ("replication", None),
    ("target_session_attrs", Some("PGTARGETSESSIONATTRS")),
    ("load_balance_hosts", Some("PGLOADBALANCEHOSTS")),
    ("require_auth", Some("PGREQUIREAUTH")),
    ("min_protocol_version", Some("PGMINPROTOCOLVERSION")),
    ("max_protocol_version", Some("PGMAXPROTOCOLVERSION")),
    ("scram_client_key", None),
    ("scram_server_key", None),
    ("oauth_issuer", None),
    ("oauth_client_id", None),
    ("oauth_client_secret", None),
    ("oauth_scope", None),
    ("tty", None),
];

/// Keywords whose values are secrets: never shown.
pub fn is_secret(key: &str) -> bool {
    matches!(
        key,
        "password"
            | "sslpassword"
            | "scram_client_key"
            | "scram_server_key"
            | "oauth_client_secret"
    )
}

fn known(key: &str) -> bool {
    KEYWORDS.iter().any(|(k, _)| *k == key)
}

/// libpq's URI prefixes.
fn uri_prefix_len(s: &str) -> Option<usize> {
    ["postgresql://", "postgres://"]
        .iter()
        .find(|p| {
            s.get(..p.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(p))
        })
        .map(|p| p.len())
}

/// Whether `s` is a connection string to libpq: a URI, or anything with an
/// `=` in it (libpq's `recognized_connection_string`).
pub fn is_connection_string(s: &str) -> bool {
    uri_prefix_len(s).is_some() || s.contains('=')
}

/// Whether `s` is a URI rather than a `key=value` string.
pub fn is_uri(s: &str) -> bool {
    uri_prefix_len(s).is_some()
}

/// The options a connection string sets, in the order first set (the
/// last value of a repeated keyword wins, as in libpq).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnInfo {
    values: BTreeMap<String, String>,
    order: Vec<String>,
}

impl ConnInfo {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// The value of `key` unless it is empty (libpq treats most empty
    /// values as not given).
    pub fn non_empty(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|v| !v.is_empty())
    }

    pub fn set(&mut self, key: &str, value: String) {
        if !self.values.contains_key(key) {
            self.order.push(key.to_string());
        }
        self.values.insert(key.to_string(), value);
    }

    /// The keys set, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.order.iter().map(String::as_str)
    }

    /// Fill every option the string left out from its environment variable
    /// (`lookup`), as libpq's `conninfo_add_defaults` does; `PGREQUIRESSL=1`
    /// is the old spelling of `PGSSLMODE=require`.
    pub fn add_env_defaults(&mut self, lookup: &dyn Fn(&str) -> Option<String>) {
        for (key, var) in KEYWORDS {
            if self.values.contains_key(*key) {
                continue;
            }
            if let Some(v) = var.and_then(lookup) {
                self.set(key, v);
            } else if *key == "sslmode"
                && lookup("PGREQUIRESSL").is_some_and(|v| v.starts_with('1'))
            {
                self.set(key, "require".into());
            }
        }
    }

    /// Store a keyword as libpq's `conninfo_storeval` does.
    fn store(&mut self, key: &str, value: String) -> Result<(), String> {
        // `requiressl=1` is the old spelling of `sslmode=require`.
        let (key, value) = if key == "requiressl" {
            let mode = if value.starts_with('1') {
                "require"
            } else {
                "prefer"
            };
            ("sslmode", mode.to_string())
        } else {
            (key, value)
        };
        if !known(key) {
            return Err(format!("invalid connection option \"{}\"", shown(key)));
        }
        self.set(key, value);
        Ok(())
    }
}

/// A keyword as it may appear in a message: a word the user mistyped could
/// be a secret pasted in the wrong place, so only plain option-like words.
fn shown(word: &str) -> String {
    if word.len() <= 40 && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        word.to_string()
    } else {
        "(not shown)".to_string()
    }
}

/// Parse a URI or a `key=value` string (without defaults).
pub fn parse(s: &str) -> Result<ConnInfo, String> {
    match uri_prefix_len(s) {
        Some(n) => parse_uri(&s[n..]),
        None => parse_key_values(s),
    }
}

/// C's `isspace` in the C locale, which libpq's parser uses.
fn space(c: &char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r')
}

/// libpq's `conninfo_parse`: `key = value` pairs separated by whitespace;
/// a value in single quotes may hold spaces; a backslash escapes the next
/// character, quoted or not.
fn parse_key_values(s: &str) -> Result<ConnInfo, String> {
    let mut info = ConnInfo::default();
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(space).is_some() {}
        if chars.peek().is_none() {
            return Ok(info);
        }
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !space(c)) {
            name.push(c);
        }
        while chars.next_if(space).is_some() {}
        if chars.next() != Some('=') {
            // A bare word may be a secret typed without its keyword: named
            // only when it is a keyword.
            let word = if known(&name) {
                name.as_str()
            } else {
                "a word that is not an option name"
            };
            return Err(format!(
                "missing \"=\" after \"{word}\" in connection info string"
            ));
        }
        while chars.next_if(space).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    None => {
                        return Err("unterminated quoted string in connection info string".into())
                    }
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !space(c)) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        info.store(&name, value)?;
    }
}

/// libpq's `conninfo_uri_decode`: `%XX` only (`+` stays `+`), and `%00` is
/// refused. `what` names the part in the error, never its value.
fn uri_decode(s: &str, what: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
        match (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
            (Some(h), Some(l)) => {
                let c = (h * 16 + l) as u8;
                if c == 0 {
                    return Err(format!("forbidden value %00 in the URI's {what}"));
                }
                out.push(c);
                i += 3;
            }
            _ => return Err(format!("invalid percent-encoded token in the URI's {what}")),
        }
    }
    String::from_utf8(out).map_err(|_| format!("the URI's {what} is not valid UTF-8 once decoded"))
}

/// libpq's `conninfo_uri_parse_options`, on what follows the prefix:
/// `[user[:password]@][host][:port][,host[:port]]...[/dbname][?key=value&...]`.
fn parse_uri(rest: &str) -> Result<ConnInfo, String> {
    let mut info = ConnInfo::default();
    let mut p = rest;
    // Credentials: only when an `@` comes before the first `/`.
    let before_slash = p.find('/').unwrap_or(p.len());
    if let Some(at) = p[..before_slash].find('@') {
        let creds = &p[..at];
        let (user, password) = match creds.find(':') {
            Some(c) => (&creds[..c], Some(&creds[c + 1..])),
            None => (creds, None),
        };
        if !user.is_empty() {
            info.set("user", uri_decode(user, "user name")?);
        }
        if let Some(pw) = password.filter(|pw| !pw.is_empty()) {
            info.set("password", uri_decode(pw, "password")?);
        }
        p = &p[at + 1..];
    }
    // Hosts and ports.
    let mut hosts = Vec::new();
    let mut ports = Vec::new();
    let mut any_port = false;
    let mut terminator;
    loop {
        let host;
        if let Some(r) = p.strip_prefix('[') {
            let end = r.find(']').ok_or(
                "end of string reached when looking for matching \"]\" in IPv6 host address in URI",
            )?;
            if end == 0 {
                return Err("IPv6 host address may not be empty in URI".into());
            }
            host = &r[..end];
            p = &r[end + 1..];
            if let Some(c) = p
                .chars()
                .next()
                .filter(|c| !matches!(c, ':' | '/' | '?' | ','))
            {
                return Err(format!(
                    "unexpected character \"{c}\" after an IPv6 host address in URI (expected \":\" or \"/\")"
                ));
            }
        } else {
            let end = p.find([':', '/', '?', ',']).unwrap_or(p.len());
            host = &p[..end];
            p = &p[end..];
        }
        hosts.push(host);
        terminator = p.chars().next();
        let mut port = "";
        if terminator == Some(':') {
            let r = &p[1..];
            let end = r.find(['/', '?', ',']).unwrap_or(r.len());
            port = &r[..end];
            any_port = true;
            p = &r[end..];
            terminator = p.chars().next();
        }
        ports.push(port);
        if terminator != Some(',') {
            break;
        }
        p = &p[1..];
    }
    let hosts = hosts.join(",");
    if !hosts.is_empty() {
        info.set("host", uri_decode(&hosts, "host")?);
    }
    if any_port {
        info.set("port", uri_decode(&ports.join(","), "port")?);
    }
    if terminator == Some('/') {
        let r = &p[1..];
        let end = r.find('?').unwrap_or(r.len());
        if end > 0 {
            info.set("dbname", uri_decode(&r[..end], "database name")?);
        }
        p = &r[end..];
        terminator = p.chars().next();
    }
    if terminator == Some('?') {
        let params = &p[1..];
        let count = params.split('&').count();
        for (i, param) in params.split('&').enumerate() {
            // libpq stops at the end of the string, so `a=1&` is fine.
            if param.is_empty() && i + 1 == count {
                continue;
            }
            let (key, value) = param.split_once('=').ok_or_else(|| {
                let word = if known(param) { param } else { "(not shown)" };
                format!("missing key/value separator \"=\" in URI query parameter \"{word}\"")
            })?;
            if value.contains('=') {
                return Err(format!(
                    "extra key/value separator \"=\" in URI query parameter \"{}\"",
                    shown(key)
                ));
            }
            let key = uri_decode(key, "query parameter name")?;
            let value = uri_decode(value, &format!("value of {}", shown(&key)))?;
            // JDBC's spelling, which libpq accepts.
            let (key, value) = if key == "ssl" && value == "true" {
                ("sslmode".to_string(), "require".to_string())
            } else {
                (key, value)
            };
            info.store(&key, value)
                .map_err(|_| format!("invalid URI query parameter \"{}\"", shown(&key)))?;
        }
    }
    Ok(info)
}

/// `s` with every secret left out, for messages and snapshot files; a
/// string that does not parse is shown without anything that could be one.
pub fn redact(s: &str) -> String {
    match (uri_prefix_len(s), parse(s)) {
        (Some(n), Ok(info)) => {
            let mut out = s[..n].to_string();
            if let Some(u) = info.get("user") {
                out.push_str(&encode(u));
                out.push('@');
            }
            // Hosts and ports as written, after the last `@` (an unencoded
            // `@` in a password would otherwise show its end); the rest of
            // the URI is rebuilt from the options.
            let rest = &s[n..];
            let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
            out.push_str(authority.rsplit('@').next().unwrap_or_default());
            if let Some(db) = info.get("dbname") {
                out.push('/');
                out.push_str(&encode(db));
            }
            let query: Vec<String> = info
                .keys()
                .filter(|k| !matches!(*k, "user" | "password" | "host" | "port" | "dbname"))
                .filter(|k| !is_secret(k))
                .map(|k| format!("{}={}", k, encode(info.get(k).unwrap_or_default())))
                .collect();
            if !query.is_empty() {
                out.push('?');
                out.push_str(&query.join("&"));
            }
            out
        }
        (None, Ok(info)) => info
            .keys()
            .filter(|k| !is_secret(k))
            .map(|k| format!("{k}={}", quote(info.get(k).unwrap_or_default())))
            .collect::<Vec<_>>()
            .join(" "),
        (Some(n), Err(_)) => format!("{}(a URI that does not parse)", &s[..n]),
        (None, Err(_)) => "(a connection string that does not parse)".to_string(),
    }
}

/// What a connection string sets, by keyword, with the value of every
/// secret keyword ([`is_secret`]) replaced by [`crate::redact::SECRET`]: a
/// URI and `key=value` text that say the same give the same map. A string
/// that does not parse (PostgreSQL checked it with its own libpq, which may
/// know a keyword this one does not) is kept as [`redact`] shows it, under
/// the key `(unparsed)`.
pub fn settings(s: &str) -> BTreeMap<String, String> {
    match parse(s) {
        Ok(info) => info
            .values
            .into_iter()
            .map(|(k, v)| {
                let v = if is_secret(&k) {
                    crate::redact::SECRET.to_string()
                } else {
                    v
                };
                (k, v)
            })
            .collect(),
        Err(_) => [("(unparsed)".to_string(), redact(s))].into(),
    }
}

/// `key=value` text of `settings` (as [`settings`] gives them) in the
/// order of the keywords, without the secret ones (the [`settings`] never
/// held their values): what may be written into a script.
pub fn without_secrets(settings: &BTreeMap<String, String>) -> String {
    settings
        .iter()
        .filter(|(k, _)| !is_secret(k) && k.as_str() != "(unparsed)")
        .map(|(k, v)| format!("{k}={}", quote(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Percent-encode what a URI part cannot hold as it is.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A `key=value` value, quoted when it must be.
fn quote(v: &str) -> String {
    if !v.is_empty()
        && !v
            .chars()
            .any(|c| c.is_whitespace() || c == '\'' || c == '\\')
    {
        return v.to_string();
    }
    let mut out = String::from("'");
    for c in v.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_hold_no_secret_and_read_both_forms_alike() {
        let uri = settings("postgresql://rep:s3cret@db.example:5433/app?sslmode=require");
        let kv = settings(
            "dbname=app  sslmode=require host=db.example port=5433 user=rep password='s3cret'",
        );
        assert_eq!(uri, kv);
        assert_eq!(uri["password"], crate::redact::SECRET);
        assert!(!format!("{uri:?}").contains("s3cret"));
        assert_eq!(
            without_secrets(&uri),
            "dbname=app host=db.example port=5433 sslmode=require user=rep"
        );
        let odd = settings("host='a b' sslpassword=x application_name=it\\'s");
        assert_eq!(odd["sslpassword"], crate::redact::SECRET);
        assert_eq!(
            without_secrets(&odd),
            "application_name='it\\'s' host='a b'"
        );
        let bad = settings("host=db password=s3cret nosuchkey=1");
        assert_eq!(bad.keys().collect::<Vec<_>>(), ["(unparsed)"]);
        assert!(!format!("{bad:?}").contains("s3cret"));
        assert_eq!(without_secrets(&bad), "");
    }

    fn kv(s: &str) -> Vec<(String, String)> {
        let info = parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        info.keys()
            .map(|k| (k.to_string(), info.get(k).unwrap().to_string()))
            .collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn key_value_strings_follow_libpq_quoting() {
        assert_eq!(
            kv("host=db user=app password=s3cret dbname=app"),
            pairs(&[
                ("host", "db"),
                ("user", "app"),
                ("password", "s3cret"),
                ("dbname", "app")
            ])
        );
        // Spaces around `=`, quoted values with escapes, unquoted escapes.
        assert_eq!(
            kv("  host = db   password = 'it\\'s a \\\\ pw'  options='-c search_path=x'"),
            pairs(&[
                ("host", "db"),
                ("password", "it's a \\ pw"),
                ("options", "-c search_path=x")
            ])
        );
        assert_eq!(kv("password=a\\ b"), pairs(&[("password", "a b")]));
        assert_eq!(kv("password=''"), pairs(&[("password", "")]));
        // The last value wins; requiressl is sslmode.
        assert_eq!(
            kv("port=1 port=2 requiressl=1"),
            pairs(&[("port", "2"), ("sslmode", "require")])
        );
        assert_eq!(kv(""), pairs(&[]));
    }

    #[test]
    fn key_value_errors_never_show_a_value() {
        for (s, want) in [
            (
                "host=db s3cret",
                "missing \"=\" after \"a word that is not an option name\"",
            ),
            (
                "host=db password s3cret",
                "missing \"=\" after \"password\"",
            ),
            ("password='s3cret", "unterminated quoted string"),
            (
                "host=db passwrod=s3cret",
                "invalid connection option \"passwrod\"",
            ),
            (
                "host=db p@ss=x",
                "invalid connection option \"(not shown)\"",
            ),
        ] {
            let e = parse(s).unwrap_err();
            assert!(e.contains(want), "{s}: {e}");
            assert!(!e.contains("s3cret"), "{e}");
        }
        // A word that is not option-like is not shown.
        let e = parse("host=db p@ssw0rd!").unwrap_err();
        assert!(!e.contains("p@ssw0rd"), "{e}");
    }

    #[test]
    fn uris_follow_libpq() {
        assert_eq!(
            kv("postgresql://app:s%40cret@db.example:5433/app%20db?sslmode=require&application_name=x"),
            pairs(&[
                ("user", "app"),
                ("password", "s@cret"),
                ("host", "db.example"),
                ("port", "5433"),
                ("dbname", "app db"),
                ("sslmode", "require"),
                ("application_name", "x")
            ])
        );
        // Several hosts, IPv6, a socket directory, ports for some hosts only.
        assert_eq!(
            kv("postgres://h1:5432,[::1]:5433,%2Fvar%2Frun%2Fpostgresql/db"),
            pairs(&[
                ("host", "h1,::1,/var/run/postgresql"),
                ("port", "5432,5433,"),
                ("dbname", "db")
            ])
        );
        assert_eq!(kv("postgres://"), pairs(&[]));
        assert_eq!(kv("postgres:///app"), pairs(&[("dbname", "app")]));
        assert_eq!(
            kv("postgres://u@/app?host=/tmp&ssl=true"),
            pairs(&[
                ("user", "u"),
                ("dbname", "app"),
                ("host", "/tmp"),
                ("sslmode", "require")
            ])
        );
        // A password with an unencoded `@`: libpq takes the first one.
        assert_eq!(
            kv("postgres://u:p@ss@h/d"),
            pairs(&[
                ("user", "u"),
                ("password", "p"),
                ("host", "ss@h"),
                ("dbname", "d")
            ])
        );
        assert_eq!(
            kv("postgres://h/d?sslmode=require&"),
            pairs(&[("host", "h"), ("dbname", "d"), ("sslmode", "require")])
        );
        assert!(parse("postgres://h/d?sslmode=require&&port=1").is_err());
    }

    #[test]
    fn uri_errors_never_show_a_value() {
        for (s, want) in [
            (
                "postgres://u:s3cret%zz@h/d",
                "invalid percent-encoded token in the URI's password",
            ),
            ("postgres://u:s3cret%00@h/d", "forbidden value %00"),
            ("postgres://h/d?sslmode", "missing key/value separator"),
            (
                "postgres://h/d?password=a=s3cret",
                "extra key/value separator",
            ),
            (
                "postgres://h/d?bogus=s3cret",
                "invalid URI query parameter \"bogus\"",
            ),
            ("postgres://[::1/d", "matching \"]\""),
            ("postgres://[]/d", "may not be empty"),
        ] {
            let e = parse(s).unwrap_err();
            assert!(e.contains(want), "{s}: {e}");
            assert!(!e.contains("s3cret"), "{e}");
        }
    }

    #[test]
    fn environment_fills_what_the_string_leaves_out() {
        let env = |name: &str| match name {
            "PGHOST" => Some("envhost".to_string()),
            "PGUSER" => Some("envuser".to_string()),
            "PGPASSWORD" => Some("envpw".to_string()),
            "PGREQUIRESSL" => Some("1".to_string()),
            _ => None,
        };
        let mut info = parse("host=db dbname=app").unwrap();
        info.add_env_defaults(&env);
        assert_eq!(info.get("host"), Some("db"));
        assert_eq!(info.get("user"), Some("envuser"));
        assert_eq!(info.get("password"), Some("envpw"));
        assert_eq!(info.get("sslmode"), Some("require"));
        let mut info = parse("sslmode=disable").unwrap();
        info.add_env_defaults(&env);
        assert_eq!(info.get("sslmode"), Some("disable"));
    }

    #[test]
    fn redaction_leaves_out_every_secret() {
        assert_eq!(
            redact("host=db user=app password=s3cret dbname='my db'"),
            "host=db user=app dbname='my db'"
        );
        assert_eq!(
            redact("postgresql://app:s3cret@h1:5432,h2/app?sslmode=require&password=s3cret"),
            "postgresql://app@h1:5432,h2/app?sslmode=require"
        );
        assert_eq!(redact("postgres://h/d"), "postgres://h/d");
        assert_eq!(redact("postgres://u:p@ss@h/d"), "postgres://u@h/d");
        for bad in [
            "host=db password='s3cret",
            "postgres://u:s3cret%zz@h/d",
            "host=db s3cret",
        ] {
            let r = redact(bad);
            assert!(!r.contains("s3cret"), "{bad}: {r}");
        }
    }

    #[test]
    fn what_counts_as_a_connection_string() {
        assert!(is_connection_string("host=db"));
        assert!(is_connection_string("postgres://x"));
        assert!(is_connection_string("PostgreSQL://x"));
        assert!(!is_connection_string("snapshots/prod.json"));
        assert!(is_uri("postgresql://"));
        assert!(!is_uri("host=db"));
    }
}
