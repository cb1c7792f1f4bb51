//! `schemadrift adopt`: the drift of ACTUAL written as the next migration of
//! a folder, in the folder's own format and naming, so that the folder
//! then builds ACTUAL.
//!
//! The migration is the fix script turned around (EXPECTED := ACTUAL,
//! ACTUAL := what the folder builds), written without the fix script's
//! session settings and transaction: the migration tool runs it in its
//! own. Tools that roll back get the fix script itself as the down
//! migration. Each tool's naming of a new migration is its own `create`
//! command's, read from its source:
//!
//! - Flyway and neo4j-migrations have no such command: the next integer
//!   after the last version's first part, as wide as it was (`V002__`), or a
//!   timestamp where the versions are timestamps.
//! - golang-migrate `migrate create -seq`: the last version plus one,
//!   zero-padded (`-digits`, here the width the folder uses); timestamped
//!   folders get `20060102150405` in UTC, its default `-format`.
//! - sqlx-cli `migrate add`: sequential (`{:04}`) when the last two
//!   versions differ by one (or the only one is 0 or 1), else a UTC
//!   `%Y%m%d%H%M%S` timestamp; `.up.sql`/`.down.sql` when the folder's
//!   migrations are reversible, else one `.sql`.
//! - diesel `migration generate`: a `%Y-%m-%d-%H%M%S` UTC folder.
//! - Prisma `migrate dev`: a `%Y%m%d%H%M%S` UTC folder with `migration.sql`.
//! - dbmate `new` and `supabase migration new`: a `20060102150405` UTC stamp.
//! - goose `create`: a UTC timestamp, or with `-s` `%05v` after the last
//!   sequential version (chosen here when the last version is not a
//!   timestamp, by goose's own test).
//! - plain folders: the last file's number plus one, as wide as it was.
//!
//! Nothing already there is replaced (files are created with `create_new`),
//! and a migration that would not run last in the tool's order is removed
//! again and refused.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::ddl::text::{self, Dialect};
use crate::ddl::FixScript;
use crate::error::{Error, Result};
use crate::migrations::{Format, Kind};

/// The folder a migration is adopted into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Sql(Format),
    /// neo4j-migrations: `V<version>__<name>.cypher`.
    Cypher,
}

/// One file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub path: PathBuf,
    pub text: String,
}

/// The name of the migration as its tool writes names: letters and digits
/// kept (lower case), every other run of characters one `_` (goose's
/// `snakeCase`, which also suits every other tool's file names).
pub fn normalize_name(name: &str) -> std::result::Result<String, String> {
    let mut out = String::new();
    let mut gap = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    if out.is_empty() {
        return Err(format!(
            "--name `{name}` has no letter or digit to name the migration file with"
        ));
    }
    Ok(out)
}

/// `SystemTime` as `YYYYMMDDHHMMSS` in UTC.
pub fn utc_stamp(now: SystemTime) -> String {
    // 2026-12-04T19:24:11Z
    humantime::format_rfc3339_seconds(now)
        .to_string()
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// diesel's `%Y-%m-%d-%H%M%S`.
fn diesel_stamp(now: SystemTime) -> String {
    let s = utc_stamp(now);
    format!("{}-{}-{}-{}", &s[0..4], &s[4..6], &s[6..8], &s[8..14])
}

/// goose's test of a timestamp version: it parses as `20060102150405`
/// (14 digits of a real date and time) and is after 1970.
fn is_timestamp(v: &str) -> bool {
    let d = v.as_bytes();
    if d.len() != 14 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = |a: usize, b: usize| v[a..b].parse::<u32>().unwrap_or(99);
    let (y, mo, da, h, mi, s) = (n(0, 4), n(4, 6), n(6, 8), n(8, 10), n(10, 12), n(12, 14));
    y > 1970 && (1..=12).contains(&mo) && (1..=31).contains(&da) && h < 24 && mi < 60 && s < 60
}

/// `digits` plus one, at least as wide as it was (`009` -> `010`).
fn next_number(digits: &str) -> String {
    let mut n: Vec<u8> = digits.bytes().collect();
    let mut i = n.len();
    loop {
        if i == 0 {
            n.insert(0, b'1');
            break;
        }
        i -= 1;
        if n[i] == b'9' {
            n[i] = b'0';
        } else {
            n[i] += 1;
            break;
        }
    }
    String::from_utf8(n).expect("digits")
}

/// What the folder's last migration is called, for the next name.
#[derive(Debug, Clone)]
pub struct Last {
    /// The version's leading digits as the file name writes them
    /// (`0002` of `0002_x.up.sql`, `1` of `V1_2__x.sql`), empty for none.
    pub digits: String,
    /// The whole version as the tool reads it (sqlx's integer).
    pub version: Option<String>,
    /// The version before it (sqlx looks at the last two).
    pub before: Option<String>,
    /// The folder the last migration's file is in (Flyway's subfolders).
    pub folder: PathBuf,
    /// sqlx: the folder's migrations are `.up.sql`/`.down.sql` pairs.
    pub reversible: bool,
    /// Plain folders: what follows the number (`_` of `01_x.sql`, `-` of
    /// `01-x.sql`), kept for the next file.
    pub separator: char,
}

/// The last migration of a SQL folder as its tool orders them (repeatables
/// and callbacks are not numbered).
pub fn last_sql(dir: &Path, d: &crate::migrations::Discovered) -> Last {
    let numbered: Vec<&crate::migrations::Migration> = d
        .migrations
        .iter()
        .filter(|m| matches!(m.kind, Kind::Versioned | Kind::Baseline))
        .collect();
    let last = numbered.last();
    let file = |m: &crate::migrations::Migration| {
        m.display_name
            .rsplit('/')
            .next()
            .unwrap_or(&m.display_name)
            .to_string()
    };
    let mut separator = '_';
    let digits = last.map_or(String::new(), |m| {
        let name = match d.format {
            // diesel and Prisma: the folder's name.
            Format::Diesel | Format::Prisma => m
                .display_name
                .split('/')
                .next()
                .unwrap_or_default()
                .to_string(),
            _ => file(m),
        };
        let name = match d.format {
            Format::Flyway => name.trim_start_matches(['V', 'v', 'B', 'b']).to_string(),
            _ => name,
        };
        let digits = crate::migrations::discover::leading_digits(&name);
        if let Some(c) = name[digits.len()..]
            .chars()
            .next()
            .filter(|c| !c.is_alphanumeric())
        {
            separator = c;
        }
        digits.to_string()
    });
    Last {
        separator,
        digits,
        version: last.and_then(|m| m.version.clone()),
        before: numbered
            .len()
            .checked_sub(2)
            .and_then(|i| numbered[i].version.clone()),
        folder: last
            .and_then(|m| m.path.parent().map(Path::to_path_buf))
            .filter(|p| d.format == Format::Flyway && p.starts_with(dir))
            .unwrap_or_else(|| dir.to_path_buf()),
        reversible: d
            .migrations
            .first()
            .is_some_and(|m| file(m).to_ascii_lowercase().ends_with(".up.sql")),
    }
}

/// The last migration of a Cypher folder.
pub fn last_cypher(dir: &Path) -> Result<Last> {
    let (files, _) = crate::neo4j::migrations::discover(dir)?;
    let digits = files.last().map_or(String::new(), |f| {
        let name = f
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        crate::migrations::discover::leading_digits(name.trim_start_matches(['V', 'v'])).to_string()
    });
    Ok(Last {
        digits,
        version: None,
        before: None,
        folder: dir.to_path_buf(),
        reversible: false,
        separator: '_',
    })
}

/// The migration's text: a header naming where it came from, then the
/// statements.
fn body(dialect: Dialect, actual: &str, fix: &FixScript) -> String {
    let c = dialect.comment();
    format!(
        "{c} Adopted by schemadrift: the drift of {actual}, written as a migration.\n\n{}",
        text::migration(fix, dialect)
    )
}

/// goose runs a statement up to a line that ends in `;`: a statement of
/// several lines (a function body) goes between StatementBegin and End.
fn goose_section(fix: &FixScript) -> String {
    let mut out = String::new();
    for s in &fix.statements {
        for h in &s.hazards {
            out.push_str(&format!("-- hazard {}: {}\n", h.code(), h.describe()));
        }
        if s.sql.contains('\n') {
            out.push_str(&format!(
                "-- +goose StatementBegin\n{s}\n-- +goose StatementEnd\n"
            ));
        } else {
            out.push_str(&format!("{s}\n"));
        }
        out.push('\n');
    }
    out
}

/// The files of the next migration in `dir` for `up` (and `down`, the
/// way back, where the tool has one).
pub fn plan(
    layout: Layout,
    last: &Last,
    name: &str,
    now: SystemTime,
    actual: &str,
    up: &FixScript,
    down: &FixScript,
) -> std::result::Result<Vec<NewFile>, String> {
    let stamp = utc_stamp(now);
    let seq = |width_default: usize| -> String {
        if last.digits.is_empty() {
            format!("{:0width_default$}", 1)
        } else {
            next_number(&last.digits)
        }
    };
    let dir = &last.folder;
    let file = |p: String, text: String| NewFile {
        path: dir.join(p),
        text,
    };
    let up_sql = body(Dialect::Postgres, actual, up);
    let down_sql = body(Dialect::Postgres, actual, down);
    Ok(match layout {
        Layout::Cypher => {
            let v = if is_timestamp(&last.digits) {
                stamp
            } else {
                seq(1)
            };
            vec![file(
                format!("V{v}__{name}.cypher"),
                body(Dialect::Cypher, actual, up),
            )]
        }
        Layout::Sql(format) => match format {
            Format::Flyway => {
                let v = if is_timestamp(&last.digits) {
                    stamp
                } else {
                    seq(1)
                };
                vec![file(format!("V{v}__{name}.sql"), up_sql)]
            }
            Format::GolangMigrate => {
                let v = if is_timestamp(&last.digits) {
                    stamp
                } else {
                    seq(6)
                };
                vec![
                    file(format!("{v}_{name}.up.sql"), up_sql),
                    file(format!("{v}_{name}.down.sql"), down_sql),
                ]
            }
            Format::Sqlx => {
                let parse = |v: &Option<String>| v.as_deref().and_then(|v| v.parse::<i64>().ok());
                let sequential = match (parse(&last.version), parse(&last.before)) {
                    (Some(l), Some(b)) => l - b == 1,
                    (Some(l), None) => l == 0 || l == 1,
                    _ => false,
                };
                let v = match parse(&last.version) {
                    Some(l) if sequential => format!("{:04}", l + 1),
                    _ => stamp,
                };
                if last.reversible {
                    vec![
                        file(format!("{v}_{name}.up.sql"), up_sql),
                        file(format!("{v}_{name}.down.sql"), down_sql),
                    ]
                } else {
                    vec![file(format!("{v}_{name}.sql"), up_sql)]
                }
            }
            Format::Diesel => {
                let folder = format!("{}_{name}", diesel_stamp(now));
                vec![
                    file(format!("{folder}/up.sql"), up_sql),
                    file(format!("{folder}/down.sql"), down_sql),
                ]
            }
            Format::Prisma => vec![file(format!("{stamp}_{name}/migration.sql"), up_sql)],
            Format::Dbmate => vec![file(
                format!("{stamp}_{name}.sql"),
                format!("-- migrate:up\n{}\n-- migrate:down\n{}", up_sql, down_sql),
            )],
            Format::Goose => {
                let v = if last.digits.is_empty() || is_timestamp(&last.digits) {
                    stamp
                } else {
                    let n: u64 = last.digits.parse().map_err(|_| {
                        format!("the last goose version `{}` is not a number", last.digits)
                    })?;
                    format!("{:05}", n + 1)
                };
                let header = format!(
                    "-- Adopted by schemadrift: the drift of {actual}, written as a migration.\n\n"
                );
                vec![file(
                    format!("{v}_{name}.sql"),
                    format!(
                        "{header}-- +goose Up\n{}-- +goose Down\n{}",
                        goose_section(up),
                        goose_section(down)
                    ),
                )]
            }
            Format::Supabase => vec![file(format!("{stamp}_{name}.sql"), up_sql)],
            Format::Plain => {
                if last.digits.is_empty() {
                    return Err(
                        "the folder's last migration has no leading number, so there is no next \
                         name in a plain folder's order (number the files, e.g. 001_init.sql)"
                            .to_string(),
                    );
                }
                vec![file(
                    format!("{}{}{name}.sql", next_number(&last.digits), last.separator),
                    up_sql,
                )]
            }
        },
    })
}

/// ACTUAL's graph schema with what the folder leaves to the server left
/// open again, on the objects both have: a name the folder does not give,
/// an index provider it does not name, settings it does not spell out.
/// The differ compares those only where the folder (its EXPECTED) gives
/// them, so they are no drift to adopt; turned around into a migration,
/// they would drop and create again objects the report does not list
/// (the server's default lookup indexes, a fulltext index's analyzer).
pub fn open_as_folder(
    have: &crate::model::Neo4jSchema,
    built: &crate::model::Neo4jSchema,
) -> crate::model::Neo4jSchema {
    let mut out = have.clone();
    let keep = |o: &mut std::collections::BTreeMap<String, serde_json::Value>,
                b: &std::collections::BTreeMap<String, serde_json::Value>| {
        o.retain(|k, _| b.contains_key(k));
    };
    for (id, x) in out.indexes.iter_mut() {
        if let Some(b) = built.indexes.get(id) {
            if b.name.is_none() {
                x.name = None;
            }
            if b.provider.is_none() {
                x.provider = None;
            }
            keep(&mut x.options, &b.options);
        }
    }
    for (id, c) in out.constraints.iter_mut() {
        if let Some(b) = built.constraints.get(id) {
            if b.name.is_none() {
                c.name = None;
            }
            if b.index_provider.is_none() {
                c.index_provider = None;
            }
            keep(&mut c.options, &b.options);
        }
    }
    out
}

/// Write `files`, each created new: nothing there is replaced. On an error
/// what this call wrote is removed again.
pub fn write(files: &[NewFile]) -> Result<()> {
    let mut done: Vec<PathBuf> = Vec::new();
    let mut made_dirs: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for f in files {
            if let Some(parent) = f.path.parent() {
                if !parent.exists() {
                    std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                        path: parent.to_path_buf(),
                        source,
                    })?;
                    made_dirs.push(parent.to_path_buf());
                }
            }
            let mut out = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&f.path)
                .map_err(|source| {
                    if source.kind() == std::io::ErrorKind::AlreadyExists {
                        Error::Usage(format!(
                            "{} already exists: adopt never replaces a file (give another --name, or wait a second for a new timestamp)",
                            f.path.display()
                        ))
                    } else {
                        Error::Write {
                            path: f.path.clone(),
                            source,
                        }
                    }
                })?;
            done.push(f.path.clone());
            use std::io::Write;
            out.write_all(f.text.as_bytes())
                .and_then(|()| out.sync_all())
                .map_err(|source| Error::Write {
                    path: f.path.clone(),
                    source,
                })?;
        }
        Ok(())
    })();
    if result.is_err() {
        remove(&done, &made_dirs);
    }
    result
}

/// Remove files this run wrote, and the folders it made for them.
pub fn remove(files: &[PathBuf], dirs: &[PathBuf]) {
    for p in files {
        let _ = std::fs::remove_file(p);
    }
    for d in dirs.iter().rev() {
        let _ = std::fs::remove_dir(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_goose_writes_them() {
        assert_eq!(
            normalize_name("Add Visits Index").unwrap(),
            "add_visits_index"
        );
        assert_eq!(normalize_name("hotfix--2024!").unwrap(), "hotfix_2024");
        assert!(normalize_name("--").unwrap_err().contains("--name `--`"));
    }

    #[test]
    fn numbers_keep_their_width() {
        assert_eq!(next_number("009"), "010");
        assert_eq!(next_number("1"), "2");
        assert_eq!(next_number("99"), "100");
        assert_eq!(next_number("000001"), "000002");
    }

    #[test]
    fn timestamps_by_goose_rule() {
        assert!(is_timestamp("20240101120000"));
        assert!(!is_timestamp("00000000000001"));
        assert!(!is_timestamp("20241301120000"));
        assert!(!is_timestamp("0001"));
    }

    #[test]
    fn utc_stamps() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_733_340_251);
        assert_eq!(utc_stamp(t), "20241204192411");
        assert_eq!(diesel_stamp(t), "2024-12-04-192411");
    }
}
