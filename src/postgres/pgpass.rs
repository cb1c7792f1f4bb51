//! The password file (`~/.pgpass`, `PGPASSFILE`, `passfile=`), read as
//! libpq's `passwordFromFile` reads it (src/interfaces/libpq/fe-connect.c):
//! lines `hostname:port:database:username:password`, `*` matching anything
//! in the first four fields, `\` escaping `:` and `\`, `#` lines ignored,
//! the first matching line winning; and a file that is not a plain file,
//! or that its group or others may read, ignored with a warning.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// What a connection looks its password up by.
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    /// The host as given (`localhost` for the default socket directory).
    pub host: &'a str,
    pub port: &'a str,
    pub dbname: &'a str,
    pub user: &'a str,
}

/// libpq's `pwdfMatchesString`: does the field at the start of `line`
/// match `token`? Returns the rest of the line after its `:`.
fn field<'a>(line: &'a str, token: &str) -> Option<&'a str> {
    if let Some(rest) = line.strip_prefix("*:") {
        return Some(rest);
    }
    let mut chars = line.char_indices();
    let mut want = token.chars();
    while let Some((i, mut c)) = chars.next() {
        let mut escaped = false;
        if c == '\\' {
            match chars.next() {
                Some((_, next)) => {
                    c = next;
                    escaped = true;
                }
                None => return None,
            }
        }
        let next = want.next();
        if c == ':' && !escaped && next.is_none() {
            return Some(&line[i + 1..]);
        }
        // (An unescaped `:` still matches a `:` in the token, as in libpq.)
        if next != Some(c) {
            return None;
        }
    }
    None
}

/// The password field: up to an unescaped `:` or the end, de-escaped.
fn password(rest: &str) -> String {
    let mut out = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ':' => break,
            '\\' if chars.peek().is_some() => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// The password of the first line of `text` that matches `key`.
pub fn find(text: &str, key: Key) -> Option<String> {
    if key.dbname.is_empty() || key.user.is_empty() {
        return None;
    }
    for line in text.split('\n') {
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let rest = field(line, key.host)
            .and_then(|r| field(r, key.port))
            .and_then(|r| field(r, key.dbname))
            .and_then(|r| field(r, key.user));
        if let Some(rest) = rest {
            return Some(password(rest));
        }
    }
    None
}

/// Look `key` up in the password file at `path`. A missing file is no
/// password; one that is not a plain file, or that its group or others can
/// read, is ignored with a warning (libpq's words) through `warn`.
pub fn lookup(path: &Path, key: Key, warn: &mut dyn FnMut(String)) -> Option<String> {
    let md = std::fs::metadata(path).ok()?;
    if !md.is_file() {
        warn(format!(
            "password file \"{}\" is not a plain file",
            path.display()
        ));
        return None;
    }
    if md.permissions().mode() & 0o077 != 0 {
        warn(format!(
            "password file \"{}\" has group or world access; permissions should be u=rw (0600) or less",
            path.display()
        ));
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    find(&String::from_utf8_lossy(&bytes), key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key<'a>(host: &'a str, port: &'a str, dbname: &'a str, user: &'a str) -> Key<'a> {
        Key {
            host,
            port,
            dbname,
            user,
        }
    }

    #[test]
    fn the_first_matching_line_wins_with_wildcards_and_escapes() {
        let text = "\
# comment:*:*:*:nope
db.example:5432:app:alice:first
*:*:app:alice:second
my\\:host:5432:*:bob:p\\:w\\\\d:extra
*:*:*:*:fallback
";
        assert_eq!(
            find(text, key("db.example", "5432", "app", "alice")).as_deref(),
            Some("first")
        );
        assert_eq!(
            find(text, key("other", "5433", "app", "alice")).as_deref(),
            Some("second")
        );
        assert_eq!(
            find(text, key("other", "5433", "x", "carol")).as_deref(),
            Some("fallback")
        );
        // `\:` in a field, and a password de-escaped and cut at an unescaped `:`.
        assert_eq!(
            find(text, key("my:host", "5432", "db", "bob")).as_deref(),
            Some("p:w\\d")
        );
    }

    #[test]
    fn partial_fields_and_empty_keys_do_not_match() {
        let text = "db:5432:app:alice:pw\r\n";
        assert_eq!(
            find(text, key("db", "5432", "app", "alice")).as_deref(),
            Some("pw")
        );
        assert_eq!(find(text, key("d", "5432", "app", "alice")), None);
        assert_eq!(find(text, key("db", "543", "app", "alice")), None);
        assert_eq!(find(text, key("db", "5432", "app", "alic")), None);
        assert_eq!(
            find("db:5432:app:alice", key("db", "5432", "app", "alice")),
            None
        );
        assert_eq!(find("*:*:*:*:pw", key("db", "5432", "", "alice")), None);
        // `*` only as a whole field.
        assert_eq!(find("d*:*:*:*:pw", key("db", "5432", "x", "y")), None);
        // An empty password field is an empty password.
        assert_eq!(
            find("*:*:*:*:", key("db", "5432", "x", "y")).as_deref(),
            Some("")
        );
        assert_eq!(find("# *:*:*:*:pw\n", key("db", "1", "x", "y")), None);
        // libpq lets an unescaped `:` match a `:` of the host (an IPv6 address).
        assert_eq!(
            find("::1:5432:*:*:pw", key("::1", "5432", "x", "y")).as_deref(),
            Some("pw")
        );
    }

    #[test]
    fn a_file_others_can_read_is_ignored_with_libpqs_warning() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("pgpass");
        std::fs::write(&p, "*:*:*:*:pw\n").unwrap();
        let k = key("db", "5432", "app", "alice");
        let mut warnings = Vec::new();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(
            lookup(&p, k, &mut |w| warnings.push(w)).as_deref(),
            Some("pw")
        );
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert_eq!(lookup(&p, k, &mut |w| warnings.push(w)), None);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o604)).unwrap();
        assert_eq!(lookup(&p, k, &mut |w| warnings.push(w)), None);
        assert_eq!(lookup(d.path(), k, &mut |w| warnings.push(w)), None);
        assert_eq!(
            lookup(&d.path().join("none"), k, &mut |w| warnings.push(w)),
            None
        );
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0]
            .contains("has group or world access; permissions should be u=rw (0600) or less"));
        assert!(warnings[2].contains("is not a plain file"));
    }
}
