//! Connection strings that never show their password.
//!
//! A connection string is parsed once, where it enters the program, into a
//! [`Dsn`], whose only display is redacted: errors, reports, logs and alerts
//! print a `Dsn` and so cannot leak what they never see. Only the code that
//! connects asks for the text itself ([`Dsn::expose`]).
//!
//! Redaction knows three shapes: a URL (`postgres://user:secret@host/db`,
//! `?password=`), a libpq `key=value` string (`host=db password=secret`), and
//! anything else, such as a mistyped URL (`postgres:app:secret@db/app`),
//! where whatever could be a credential is masked. PostgreSQL's own forms
//! (a URI, `key=value`) are read by libpq's rules, in
//! [`crate::conninfo`], the parser the connection code uses.

use std::fmt;

/// A connection string (a URL or libpq `key=value` text) that may hold a
/// password. `Display` and `Debug` show it redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Dsn {
    text: String,
    shown: String,
}

impl Dsn {
    pub fn new(text: impl Into<String>) -> Dsn {
        let text = text.into();
        let shown = redact(&text);
        Dsn { text, shown }
    }

    /// The text itself, password and all: only for the code that connects.
    pub fn expose(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Dsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Debug for Dsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Dsn({:?})", self.shown)
    }
}

/// `text` without its password, whatever its shape (see the module
/// documentation).
pub fn redact(text: &str) -> String {
    if text.contains("://") {
        return redact_url(text);
    }
    if crate::conninfo::is_connection_string(text) {
        return crate::conninfo::redact(text);
    }
    mask_unknown(text)
}

/// A URL-style connection string without its password: the userinfo's
/// password is removed and `password=` query parameters dropped. A string
/// that does not parse as a URL has any `user:secret@` cut down to `user@`
/// and every password parameter's value masked.
fn redact_url(input: &str) -> String {
    // PostgreSQL's own forms (a libpq URI with several hosts, a key=value
    // string) by libpq's rules.
    let pg = crate::conninfo::is_uri(input)
        || (!input.contains("://") && crate::conninfo::is_connection_string(input));
    if pg {
        return crate::conninfo::redact(input);
    }
    if let Ok(mut url) = url::Url::parse(input) {
        if url.password().is_some() {
            let _ = url.set_password(None);
        }
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| !is_secret_key(k))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let had_query = url.query().is_some();
        if had_query {
            if pairs.is_empty() {
                url.set_query(None);
            } else {
                url.query_pairs_mut().clear().extend_pairs(pairs);
            }
        }
        return url.to_string();
    }
    // Not a URL: cut any `scheme://user:secret@` by hand.
    let cut = match (input.find("://"), input.rfind('@')) {
        (Some(s), Some(at)) if at > s + 3 => {
            let userinfo = &input[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}{}", &input[..s + 3], user, &input[at..])
        }
        _ => input.to_string(),
    };
    mask_secret_values(&cut)
}

/// Text that is neither a URL nor `key=value` pairs: everything before the
/// last `@` but a leading `scheme:` is masked (`postgres:app:s3cret@db`
/// shows as `postgres:***@db`), and so is everything from a password key on.
fn mask_unknown(text: &str) -> String {
    let masked = match text.rfind('@') {
        Some(at) => {
            let scheme = text
                .find(':')
                .filter(|&c| {
                    c < at
                        && text[..c]
                            .chars()
                            .all(|ch| ch.is_ascii_alphanumeric() || "+-.".contains(ch))
                })
                .map_or(0, |c| c + 1);
            format!("{}***{}", &text[..scheme], &text[at..])
        }
        None => text.to_string(),
    };
    mask_secret_values(&masked)
}

/// Mask the value of every `…password=` in `text`: to the next `&` in a URL
/// query, else to the end (an unparseable value may hold spaces).
fn mask_secret_values(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let Some(at) = lower.find("password") else {
        return text.to_string();
    };
    let rest = &lower[at + "password".len()..];
    let Some(eq) = rest.trim_start().strip_prefix('=') else {
        // A password key without a value, or the word in a host name.
        let next = at + "password".len();
        return format!("{}{}", &text[..next], mask_secret_values(&text[next..]));
    };
    let value = text.len() - eq.len();
    match text
        .contains("://")
        .then(|| text[value..].find('&'))
        .flatten()
    {
        Some(amp) => format!(
            "{}***{}",
            &text[..value],
            mask_secret_values(&text[value + amp..])
        ),
        None => format!("{}***", &text[..value]),
    }
}

fn is_secret_key(k: &str) -> bool {
    let k = k.to_ascii_lowercase();
    k == "pass" || k == "passwd" || k.ends_with("password")
}

/// What stands for the value of an option that may be a secret (see
/// [`is_secret_option`]) in the model, and so in every snapshot, report and
/// fix script: the value itself is never kept.
pub const SECRET: &str = "********";

/// Whether an option of a foreign-data wrapper, server, user mapping or
/// foreign table may hold a secret (`password`, postgres_fdw's
/// `sslpassword`, other wrappers' `secret`, `token`, ...): its value is not
/// read into the model but stands as [`SECRET`], so such options compare
/// by their presence only.
pub fn is_secret_option(name: &str) -> bool {
    let k = name.to_ascii_lowercase();
    ["pass", "passwd", "pwd"].contains(&k.as_str())
        || [
            "password",
            "passwd",
            "secret",
            "token",
            "credential",
            "passphrase",
        ]
        .iter()
        .any(|w| k.contains(w))
}

/// `value`, or [`SECRET`] when option `name` may hold a secret.
pub fn option_value(name: &str, value: String) -> String {
    if is_secret_option(name) {
        SECRET.to_string()
    } else {
        value
    }
}

/// Remove every occurrence of `secret` from `text` (for driver messages that
/// might echo a password back).
pub fn scrub(text: &str, secret: Option<&str>) -> String {
    match secret {
        Some(s) if !s.is_empty() => text.replace(s, "***"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_password_from_userinfo() {
        assert_eq!(
            redact_url("postgres://alice:s3cret@db.example:5432/app"),
            "postgres://alice@db.example:5432/app"
        );
    }

    #[test]
    fn removes_password_query_parameter_and_keeps_others() {
        let r = redact_url("postgres://db/app?sslmode=require&password=s3cret");
        assert_eq!(r, "postgres://db/app?sslmode=require");
        assert!(!r.contains("s3cret"));
    }

    #[test]
    fn leaves_url_without_password_alone() {
        assert_eq!(redact_url("postgres://db/app"), "postgres://db/app");
    }

    #[test]
    fn unparsable_string_is_cut_by_hand() {
        let r = redact_url("postgres://bob:p@ss:w@rd@[bad/db");
        assert!(!r.contains("ss:w"), "{r}");
        assert!(r.starts_with("postgres://bob@"), "{r}");
        let r = redact_url("neo4j://h:notaport/db?x=0&password=s3cret&x=1");
        assert_eq!(r, "neo4j://h:notaport/db?x=0&password=***&x=1");
    }

    #[test]
    fn secret_options_are_told_apart() {
        for k in [
            "password",
            "PASSWORD",
            "sslpassword",
            "passwd",
            "pwd",
            "aws_secret",
            "api_token",
        ] {
            assert!(is_secret_option(k), "{k}");
            assert_eq!(option_value(k, "s3cret".into()), SECRET);
        }
        for k in ["user", "host", "passfile", "sslkey", "dbname", "filename"] {
            assert!(!is_secret_option(k), "{k}");
            assert_eq!(option_value(k, "v".into()), "v");
        }
    }

    #[test]
    fn scrub_replaces_secret() {
        assert_eq!(
            scrub("auth failed for hunter2", Some("hunter2")),
            "auth failed for ***"
        );
        assert_eq!(scrub("x", None), "x");
    }

    /// Every shape a source can have, and none shows its password.
    #[test]
    fn no_shape_shows_its_password() {
        let cases = [
            ("postgres://app:s3cret@db/app", "postgres://app@db/app"),
            ("postgres://db/app?password=s3cret", "postgres://db/app"),
            ("bolt://neo4j:s3cret@graph:7687", "bolt://neo4j@graph:7687"),
            (
                "host=db user=app password=s3cret dbname=app",
                "host=db user=app dbname=app",
            ),
            (
                "host=db password = 's3 cret' sslpassword=s3cret user='a b'",
                "host=db user='a b'",
            ),
            ("postgres:app:s3cret@db/app", "postgres:***@db/app"),
            ("app:s3cret@db/app", "app:***@db/app"),
            ("s3cret@db/app", "***@db/app"),
            (
                "host=db password='s3 cret",
                "(a connection string that does not parse)",
            ),
            ("postgres://u:s3cret@h:bad/db", "postgres://u@h:bad/db"),
            ("db/migrations", "db/migrations"),
        ];
        for (text, shown) in cases {
            let d = Dsn::new(text);
            assert_eq!(d.to_string(), shown, "{text}");
            assert!(!format!("{d:?}").contains("s3"), "{text}");
            assert_eq!(d.expose(), text);
        }
    }
}
