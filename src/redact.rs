//! Removing passwords from connection strings before they are shown or stored.

/// Replace the password of a URL-style connection string with nothing, and
/// drop `password=` query parameters. Strings that do not parse as URLs are
/// returned with any `user:pass@` part cut down to `user@`.
pub fn redact_url(input: &str) -> String {
    // PostgreSQL's own forms (a libpq URI with several hosts, a key=value
    // string) by libpq's rules.
    let pg = crate::postgres::conninfo::is_uri(input)
        || (!input.contains("://") && crate::postgres::conninfo::is_connection_string(input));
    if pg {
        return crate::postgres::conninfo::redact(input);
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
    match (input.find("://"), input.rfind('@')) {
        (Some(s), Some(at)) if at > s + 3 => {
            let userinfo = &input[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}{}", &input[..s + 3], user, &input[at..])
        }
        _ => input.to_string(),
    }
}

fn is_secret_key(k: &str) -> bool {
    let k = k.to_ascii_lowercase();
    k == "password" || k == "pass" || k == "passwd" || k.ends_with("password") || k == "sslpassword"
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
    }

    #[test]
    fn scrub_replaces_secret() {
        assert_eq!(
            scrub("auth failed for hunter2", Some("hunter2")),
            "auth failed for ***"
        );
        assert_eq!(scrub("x", None), "x");
    }
}
