//! Finding the migration files of a folder and putting them in the order the
//! migration tool that wrote them would apply them.
//!
//! Formats are detected from the names and markers of the files; a folder
//! whose files fit more than one format, or two files with the same version,
//! is an error that lists the files in conflict rather than a guess.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The migration folder layouts schemadrift understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    /// `.sql` files applied in natural name order (`2_x.sql` before `10_x.sql`).
    Plain,
    /// Flyway: `V<version>__<name>.sql`, then `R__<name>.sql`; `U...` undo files ignored.
    Flyway,
    /// golang-migrate: `<version>_<name>.up.sql`; `.down.sql` ignored.
    GolangMigrate,
    /// sqlx: `<version>_<name>.up.sql` or `<version>_<name>.sql`; `.down.sql` ignored.
    Sqlx,
    /// diesel: `<stamp>_<name>/up.sql`; `down.sql` ignored.
    Diesel,
    /// Prisma: `<stamp>_<name>/migration.sql`; `migration_lock.toml` ignored.
    Prisma,
    /// dbmate: `<version>_<name>.sql` with `-- migrate:up` / `-- migrate:down` sections.
    Dbmate,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Plain => "plain",
            Format::Flyway => "flyway",
            Format::GolangMigrate => "golang-migrate",
            Format::Sqlx => "sqlx",
            Format::Diesel => "diesel",
            Format::Prisma => "prisma",
            Format::Dbmate => "dbmate",
        })
    }
}

/// One migration, ready to split and replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The file, as the folder path given joined with its name (for messages).
    pub path: PathBuf,
    /// The name within the folder, e.g. `V2__users.sql` or `2024_init/up.sql`.
    pub display_name: String,
    /// The SQL to run (for dbmate, only the `-- migrate:up` section).
    pub sql: String,
    /// Lines of the file before `sql` starts, so that line `n` of `sql` is
    /// line `n + first_line_offset` of the file.
    pub first_line_offset: usize,
}

/// The migrations of a folder in order, and the format they were read as.
#[derive(Debug, Clone)]
pub struct Discovered {
    pub format: Format,
    pub migrations: Vec<Migration>,
}

/// Flyway callback scripts (`beforeMigrate.sql`, `afterEachMigrate__x.sql`, ...):
/// not migrations, so not replayed.
const FLYWAY_CALLBACKS: &[&str] = &[
    "beforeMigrate",
    "beforeRepeatables",
    "beforeEachMigrate",
    "beforeEachMigrateStatement",
    "afterEachMigrateStatement",
    "afterEachMigrateStatementError",
    "afterEachMigrate",
    "afterEachMigrateError",
    "afterMigrate",
    "afterMigrateApplied",
    "afterVersioned",
    "afterMigrateError",
    "beforeUndo",
    "beforeEachUndo",
    "afterEachUndo",
    "afterUndo",
    "beforeClean",
    "afterClean",
    "beforeValidate",
    "afterValidate",
    "beforeBaseline",
    "afterBaseline",
    "beforeInfo",
    "afterInfo",
    "beforeRepair",
    "afterRepair",
    "createSchema",
    "beforeConnect",
    "afterConnect",
];

/// What one directory entry looks like, before a format is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Look {
    /// `V1__x.sql`, `R__x.sql`, `U1__x.sql`, or a Flyway callback.
    Flyway,
    /// `1_x.up.sql` / `1_x.down.sql`.
    UpDown,
    /// A `.sql` file with a `-- migrate:up` marker.
    Dbmate,
    /// Any other `.sql` file.
    PlainSql,
    /// A folder holding `up.sql`.
    DieselDir,
    /// A folder holding `migration.sql`.
    PrismaDir,
}

impl Look {
    fn describe(self) -> &'static str {
        match self {
            Look::Flyway => "Flyway (V<version>__<name>.sql)",
            Look::UpDown => "golang-migrate/sqlx (<version>_<name>.up.sql)",
            Look::Dbmate => "dbmate (-- migrate:up)",
            Look::PlainSql => "plain .sql",
            Look::DieselDir => "diesel (<stamp>_<name>/up.sql)",
            Look::PrismaDir => "Prisma (<stamp>_<name>/migration.sql)",
        }
    }
}

struct Entry {
    name: String,
    path: PathBuf,
    is_dir: bool,
}

/// Read `dir`, choose its format (or use `format`), and return its
/// migrations in the order they apply.
pub fn discover(dir: &Path, format: Option<Format>) -> Result<Discovered> {
    let entries = list(dir)?;
    let format = match format {
        Some(f) => f,
        None => detect(dir, &entries)?,
    };
    let migrations = match format {
        Format::Plain => plain(dir, &entries)?,
        Format::Sqlx => sqlx(dir, &entries)?,
        Format::Flyway => flyway(dir, &entries)?,
        Format::GolangMigrate => updown(dir, &entries)?,
        Format::Diesel => per_folder(dir, &entries, "up.sql", Format::Diesel)?,
        Format::Prisma => per_folder(dir, &entries, "migration.sql", Format::Prisma)?,
        Format::Dbmate => dbmate(dir, &entries)?,
    };
    if migrations.is_empty() {
        return Err(folder_error(
            dir,
            format!("no {format} migrations found in this folder"),
        ));
    }
    Ok(Discovered { format, migrations })
}

fn folder_error(dir: &Path, reason: String) -> Error {
    Error::Migrations {
        dir: dir.to_path_buf(),
        reason,
    }
}

fn list(dir: &Path) -> Result<Vec<Entry>> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::Read {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    let mut out = Vec::new();
    for ent in rd {
        let ent = ent.map_err(|e| Error::Read {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        let name = ent.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = dir.join(&name);
        // Follow symlinks: a linked migration is still a migration.
        let is_dir = path.is_dir();
        out.push(Entry { name, path, is_dir });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

fn is_sql(name: &str) -> bool {
    name.len() > 4 && name.to_ascii_lowercase().ends_with(".sql")
}

fn has_dbmate_marker(sql: &str) -> bool {
    sql.lines().any(|l| is_marker(l, "up"))
}

/// `-- migrate:up` (dbmate allows options after it, e.g. `transaction:false`).
fn is_marker(line: &str, which: &str) -> bool {
    let t = line.trim();
    let Some(rest) = t.strip_prefix("--") else {
        return false;
    };
    let rest = rest.trim_start();
    match rest.strip_prefix("migrate:") {
        Some(r) => {
            r == which
                || r.starts_with(&format!("{which} "))
                || r.starts_with(&format!("{which}\t"))
        }
        None => false,
    }
}

fn look_of(entry: &Entry) -> Result<Option<Look>> {
    if entry.is_dir {
        if entry.path.join("up.sql").is_file() {
            return Ok(Some(Look::DieselDir));
        }
        if entry.path.join("migration.sql").is_file() {
            return Ok(Some(Look::PrismaDir));
        }
        return Ok(None);
    }
    let name = entry.name.as_str();
    if !is_sql(name) {
        return Ok(None);
    }
    if parse_flyway(name).is_some() {
        return Ok(Some(Look::Flyway));
    }
    if parse_updown(name).is_some() {
        return Ok(Some(Look::UpDown));
    }
    if has_dbmate_marker(&read(&entry.path)?) {
        return Ok(Some(Look::Dbmate));
    }
    Ok(Some(Look::PlainSql))
}

fn detect(dir: &Path, entries: &[Entry]) -> Result<Format> {
    let mut looks: BTreeMap<Look, Vec<&str>> = BTreeMap::new();
    for e in entries {
        if let Some(l) = look_of(e)? {
            looks.entry(l).or_default().push(&e.name);
        }
    }
    if looks.is_empty() {
        return Err(folder_error(
            dir,
            "no migrations found in this folder (no .sql files, no <name>/up.sql or <name>/migration.sql folders)".into(),
        ));
    }
    if looks.len() > 1 {
        let mut parts = Vec::new();
        for (look, names) in &looks {
            parts.push(format!("{}: {}", look.describe(), list_names(names)));
        }
        return Err(folder_error(
            dir,
            format!(
                "this folder mixes migration formats, so the order to apply them is ambiguous ({}); keep one format per folder or choose one with --migrations-format",
                parts.join("; ")
            ),
        ));
    }
    let (look, _) = looks.into_iter().next().expect("one look");
    Ok(match look {
        Look::Flyway => Format::Flyway,
        Look::UpDown => Format::GolangMigrate,
        Look::Dbmate => Format::Dbmate,
        Look::PlainSql => Format::Plain,
        Look::DieselDir => Format::Diesel,
        Look::PrismaDir => Format::Prisma,
    })
}

fn list_names(names: &[&str]) -> String {
    const MAX: usize = 6;
    let mut s = names
        .iter()
        .take(MAX)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > MAX {
        s.push_str(&format!(" and {} more", names.len() - MAX));
    }
    s
}

// ---------------------------------------------------------------------------
// Natural order and versions

/// Compare names with digit runs compared as numbers: `2_x` < `10_x`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(cb.iter()) {
        let o = match (x, y) {
            (Chunk::Num(x), Chunk::Num(y)) => num_cmp(x, y),
            (Chunk::Text(x), Chunk::Text(y)) => x.cmp(y),
            (Chunk::Num(_), Chunk::Text(_)) => Ordering::Less,
            (Chunk::Text(_), Chunk::Num(_)) => Ordering::Greater,
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    ca.len().cmp(&cb.len()).then_with(|| a.cmp(b))
}

enum Chunk<'a> {
    Num(&'a str),
    Text(&'a str),
}

fn chunks(s: &str) -> Vec<Chunk<'_>> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let digit = b[i].is_ascii_digit();
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() == digit {
            i += 1;
        }
        let piece = &s[start..i];
        out.push(if digit {
            Chunk::Num(piece)
        } else {
            Chunk::Text(piece)
        });
    }
    out
}

/// Compare two decimal digit strings by value, whatever their length.
fn num_cmp(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// A dotted version such as Flyway's `1.10` (`1_10` in a file name): numeric
/// parts, trailing zero parts removed so that `1` and `1.0` are the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version(Vec<String>);

impl Version {
    fn parse(s: &str) -> Option<Version> {
        if s.is_empty() {
            return None;
        }
        let mut parts = Vec::new();
        for p in s.split(['.', '_']) {
            if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let t = p.trim_start_matches('0');
            parts.push(if t.is_empty() {
                "0".to_string()
            } else {
                t.to_string()
            });
        }
        while parts.len() > 1 && parts.last().is_some_and(|p| p == "0") {
            parts.pop();
        }
        Some(Version(parts))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let n = self.0.len().max(other.0.len());
        for i in 0..n {
            let a = self.0.get(i).map(String::as_str).unwrap_or("0");
            let b = other.0.get(i).map(String::as_str).unwrap_or("0");
            let o = num_cmp(a, b);
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

/// Sort `(version, entry)` pairs and refuse duplicate versions, naming the files.
fn sort_unique<T>(
    dir: &Path,
    mut items: Vec<(Version, T)>,
    name_of: impl Fn(&T) -> &str,
) -> Result<Vec<T>> {
    items.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| natural_cmp(name_of(&a.1), name_of(&b.1)))
    });
    let mut dups: Vec<String> = Vec::new();
    for w in items.windows(2) {
        if w[0].0 == w[1].0 {
            dups.push(format!(
                "{} and {} (version {})",
                name_of(&w[0].1),
                name_of(&w[1].1),
                w[0].0
            ));
        }
    }
    if !dups.is_empty() {
        return Err(folder_error(
            dir,
            format!(
                "two migrations have the same version, so their order is ambiguous: {}",
                dups.join("; ")
            ),
        ));
    }
    Ok(items.into_iter().map(|(_, t)| t).collect())
}

fn migration(display_name: String, file: &Path) -> Result<Migration> {
    Ok(Migration {
        path: file.to_path_buf(),
        display_name,
        sql: read(file)?,
        first_line_offset: 0,
    })
}

// ---------------------------------------------------------------------------
// Formats

/// A leading decimal version (`0001_init.sql` -> 1), if the name has one.
fn leading_number(name: &str) -> Option<&str> {
    let end = name
        .bytes()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(name.len());
    (end > 0).then(|| &name[..end])
}

fn plain(dir: &Path, entries: &[Entry]) -> Result<Vec<Migration>> {
    let mut files: Vec<&Entry> = Vec::new();
    for e in entries.iter().filter(|e| !e.is_dir && is_sql(&e.name)) {
        if parse_updown(&e.name).is_some() {
            return Err(folder_error(
                dir,
                format!("{} looks like a golang-migrate/sqlx migration, not a plain .sql file; use --migrations-format golang-migrate or sqlx", e.name),
            ));
        }
        files.push(e);
    }
    files.sort_by(|a, b| natural_cmp(&a.name, &b.name));
    // Two numbered files with the same number: which runs first is a guess.
    let mut by_number: BTreeMap<Version, Vec<&str>> = BTreeMap::new();
    for e in &files {
        if let Some(n) = leading_number(&e.name).and_then(Version::parse) {
            by_number.entry(n).or_default().push(&e.name);
        }
    }
    let dups: Vec<String> = by_number
        .iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(n, v)| format!("{} (number {n})", v.join(" and ")))
        .collect();
    if !dups.is_empty() {
        return Err(folder_error(
            dir,
            format!(
                "two migrations have the same number, so their order is ambiguous: {}",
                dups.join("; ")
            ),
        ));
    }
    files
        .into_iter()
        .map(|e| migration(e.name.clone(), &e.path))
        .collect()
}

fn sqlx(dir: &Path, entries: &[Entry]) -> Result<Vec<Migration>> {
    let mut items = Vec::new();
    let mut kinds: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in entries.iter().filter(|e| !e.is_dir && is_sql(&e.name)) {
        if let Some((v, up)) = parse_updown(&e.name) {
            kinds
                .entry("reversible (.up.sql/.down.sql)")
                .or_default()
                .push(&e.name);
            if up {
                items.push((v, e));
            }
            continue;
        }
        let lower = e.name.to_ascii_lowercase();
        let stem = &e.name[..e.name.len() - 4];
        match leading_number(stem).filter(|n| stem[n.len()..].starts_with('_')) {
            Some(n) if !lower.ends_with(".down.sql") => {
                kinds.entry("simple (<version>_<name>.sql)").or_default().push(&e.name);
                items.push((Version::parse(n).expect("digits"), e));
            }
            _ => {
                return Err(folder_error(
                    dir,
                    format!("{} is not an sqlx migration name (<version>_<name>.sql or <version>_<name>.up.sql)", e.name),
                ))
            }
        }
    }
    if kinds.len() > 1 {
        let parts: Vec<String> = kinds
            .iter()
            .map(|(k, v)| format!("{k}: {}", list_names(v)))
            .collect();
        return Err(folder_error(
            dir,
            format!(
                "this folder mixes sqlx simple and reversible migrations ({})",
                parts.join("; ")
            ),
        ));
    }
    let sorted = sort_unique(dir, items, |e| e.name.as_str())?;
    sorted
        .into_iter()
        .map(|e| migration(e.name.clone(), &e.path))
        .collect()
}

/// `<version>_<name>.up.sql` -> (version, true); `.down.sql` -> (version, false).
fn parse_updown(name: &str) -> Option<(Version, bool)> {
    let lower = name.to_ascii_lowercase();
    let (stem, up) = if let Some(s) = lower.strip_suffix(".up.sql") {
        (s, true)
    } else if let Some(s) = lower.strip_suffix(".down.sql") {
        (s, false)
    } else {
        return None;
    };
    let n = leading_number(stem)?;
    // golang-migrate: `1_name.up.sql`; also accept a bare `1.up.sql`.
    if stem.len() > n.len() && !stem[n.len()..].starts_with('_') {
        return None;
    }
    Some((Version::parse(n)?, up))
}

fn updown(dir: &Path, entries: &[Entry]) -> Result<Vec<Migration>> {
    let mut items = Vec::new();
    for e in entries.iter().filter(|e| !e.is_dir && is_sql(&e.name)) {
        match parse_updown(&e.name) {
            Some((v, true)) => items.push((v, e)),
            Some((_, false)) => {}
            None => {
                return Err(folder_error(
                    dir,
                    format!("{} is not a golang-migrate migration name (<version>_<name>.up.sql or .down.sql)", e.name),
                ))
            }
        }
    }
    let sorted = sort_unique(dir, items, |e| e.name.as_str())?;
    sorted
        .into_iter()
        .map(|e| migration(e.name.clone(), &e.path))
        .collect()
}

#[derive(Debug, PartialEq, Eq)]
enum FlywayKind {
    Versioned(Version),
    Repeatable(String),
    Undo,
    Callback,
}

/// Parse a Flyway file name: `V1_2__desc.sql`, `R__desc.sql`, `U1__desc.sql`,
/// or a callback such as `afterMigrate.sql`.
fn parse_flyway(name: &str) -> Option<FlywayKind> {
    let stem = name
        .strip_suffix(".sql")
        .or_else(|| name.strip_suffix(".SQL"))?;
    let base = stem.split("__").next().unwrap_or(stem);
    if FLYWAY_CALLBACKS.contains(&base) {
        return Some(FlywayKind::Callback);
    }
    let (prefix, rest) = stem.split_at(1);
    let (version, desc) = rest.split_once("__")?;
    match prefix {
        "V" => Version::parse(version).map(FlywayKind::Versioned),
        "U" => Version::parse(version).map(|_| FlywayKind::Undo),
        "R" if version.is_empty() => Some(FlywayKind::Repeatable(desc.to_string())),
        _ => None,
    }
}

fn flyway(dir: &Path, entries: &[Entry]) -> Result<Vec<Migration>> {
    let mut versioned = Vec::new();
    let mut repeatable: Vec<(String, &Entry)> = Vec::new();
    for e in entries.iter().filter(|e| !e.is_dir && is_sql(&e.name)) {
        match parse_flyway(&e.name) {
            Some(FlywayKind::Versioned(v)) => versioned.push((v, e)),
            Some(FlywayKind::Repeatable(d)) => repeatable.push((d, e)),
            Some(FlywayKind::Undo) | Some(FlywayKind::Callback) => {}
            None => {
                return Err(folder_error(
                    dir,
                    format!("{} is not a Flyway migration name (V<version>__<name>.sql, R__<name>.sql or U<version>__<name>.sql)", e.name),
                ))
            }
        }
    }
    let mut out: Vec<&Entry> = sort_unique(dir, versioned, |e| e.name.as_str())?;
    // Flyway applies repeatables after the versioned migrations, ordered by description.
    repeatable.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
    out.extend(repeatable.into_iter().map(|(_, e)| e));
    out.into_iter()
        .map(|e| migration(e.name.clone(), &e.path))
        .collect()
}

/// diesel and Prisma: one folder per migration, ordered by the folder name's
/// leading version (`2024-01-02-030405` or `20240102030405`).
fn per_folder(dir: &Path, entries: &[Entry], file: &str, format: Format) -> Result<Vec<Migration>> {
    let mut items = Vec::new();
    for e in entries {
        if !e.is_dir {
            // migration_lock.toml, README.md, .keep: not migrations. A loose
            // .sql file, though, would be silently skipped: refuse it.
            if is_sql(&e.name) {
                return Err(folder_error(
                    dir,
                    format!("{} is a loose .sql file in a {format} folder, where each migration is a folder holding {file}", e.name),
                ));
            }
            continue;
        }
        let f = e.path.join(file);
        if !f.is_file() {
            return Err(folder_error(
                dir,
                format!(
                    "{} has no {file}, which every {format} migration has",
                    e.name
                ),
            ));
        }
        let stamp: String = e
            .name
            .split('_')
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| *c != '-')
            .collect();
        let v = Version::parse(&stamp).ok_or_else(|| {
            folder_error(
                dir,
                format!(
                    "{} does not start with a version or timestamp (<stamp>_<name>)",
                    e.name
                ),
            )
        })?;
        items.push((v, e));
    }
    let sorted = sort_unique(dir, items, |e| e.name.as_str())?;
    sorted
        .into_iter()
        .map(|e| {
            let f = e.path.join(file);
            migration(format!("{}/{file}", e.name), &f)
        })
        .collect()
}

fn dbmate(dir: &Path, entries: &[Entry]) -> Result<Vec<Migration>> {
    let mut items = Vec::new();
    for e in entries.iter().filter(|e| !e.is_dir && is_sql(&e.name)) {
        let v = leading_number(&e.name)
            .and_then(Version::parse)
            .ok_or_else(|| {
                folder_error(
                    dir,
                    format!(
                        "{} is not a dbmate migration name (<version>_<name>.sql)",
                        e.name
                    ),
                )
            })?;
        items.push((v, e));
    }
    let sorted = sort_unique(dir, items, |e| e.name.as_str())?;
    let mut out = Vec::new();
    for e in sorted {
        let text = read(&e.path)?;
        let (sql, offset) = dbmate_up(&text).ok_or_else(|| {
            folder_error(
                dir,
                format!(
                    "{} has no `-- migrate:up` line, which every dbmate migration has",
                    e.name
                ),
            )
        })?;
        out.push(Migration {
            path: e.path.clone(),
            display_name: e.name.clone(),
            sql,
            first_line_offset: offset,
        });
    }
    Ok(out)
}

/// The `-- migrate:up` section of a dbmate file (up to `-- migrate:down` or
/// the end) and the number of lines before it, marker included.
pub fn dbmate_up(text: &str) -> Option<(String, usize)> {
    let mut up_start: Option<usize> = None; // byte offset after the marker line
    let mut offset_lines = 0;
    let mut pos = 0;
    let mut end = text.len();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let next = pos + line.len();
        match up_start {
            None if is_marker(line, "up") => {
                up_start = Some(next);
                offset_lines = i + 1;
            }
            Some(_) if is_marker(line, "down") => {
                end = pos;
                break;
            }
            _ => {}
        }
        pos = next;
    }
    let start = up_start?;
    Some((text[start..end].to_string(), offset_lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for (name, body) in files {
            let p = d.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, body).unwrap();
        }
        d
    }

    fn names(d: &Discovered) -> Vec<&str> {
        d.migrations
            .iter()
            .map(|m| m.display_name.as_str())
            .collect()
    }

    #[test]
    fn natural_order() {
        let mut v = vec![
            "10_x.sql",
            "2_x.sql",
            "1_a.sql",
            "001_b.sql",
            "b.sql",
            "a.sql",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            [
                "1_a.sql",
                "001_b.sql",
                "2_x.sql",
                "10_x.sql",
                "a.sql",
                "b.sql"
            ]
        );
    }

    #[test]
    fn plain_folder_in_natural_order() {
        let d = folder(&[
            ("10_ten.sql", "select 10;"),
            ("2_two.sql", "select 2;"),
            ("1_one.sql", "select 1;"),
            ("README.md", ""),
        ]);
        let r = discover(d.path(), None).unwrap();
        assert_eq!(r.format, Format::Plain);
        assert_eq!(names(&r), ["1_one.sql", "2_two.sql", "10_ten.sql"]);
        assert_eq!(r.migrations[0].sql, "select 1;");
        assert_eq!(r.migrations[0].path, d.path().join("1_one.sql"));
    }

    #[test]
    fn plain_duplicate_numbers_are_ambiguous() {
        let d = folder(&[("1_a.sql", ""), ("01_b.sql", "")]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(e.contains("1_a.sql and 01_b.sql (number 1)"), "{e}");
        assert!(e.contains("ambiguous"), "{e}");
    }

    #[test]
    fn flyway_versions_numeric_and_repeatables_last() {
        let d = folder(&[
            ("V10__ten.sql", ""),
            ("V2__two.sql", ""),
            ("V1_10__one_ten.sql", ""),
            ("V1.9__one_nine.sql", ""),
            ("V1__one.sql", ""),
            ("R__b_views.sql", ""),
            ("R__a_funcs.sql", ""),
            ("U2__undo_two.sql", ""),
            ("afterMigrate.sql", ""),
        ]);
        let r = discover(d.path(), None).unwrap();
        assert_eq!(r.format, Format::Flyway);
        assert_eq!(
            names(&r),
            [
                "V1__one.sql",
                "V1.9__one_nine.sql",
                "V1_10__one_ten.sql",
                "V2__two.sql",
                "V10__ten.sql",
                "R__a_funcs.sql",
                "R__b_views.sql"
            ]
        );
    }

    #[test]
    fn flyway_same_version_is_ambiguous() {
        let d = folder(&[("V1_1__a.sql", ""), ("V1.1__b.sql", ""), ("V2__c.sql", "")]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(
            e.contains("V1.1__b.sql and V1_1__a.sql (version 1.1)"),
            "{e}"
        );
    }

    #[test]
    fn flyway_bad_name_in_flyway_folder() {
        let d = folder(&[("V1__a.sql", ""), ("Vx__b.sql", "")]);
        let e = discover(d.path(), Some(Format::Flyway))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("Vx__b.sql is not a Flyway migration name"),
            "{e}"
        );
    }

    #[test]
    fn golang_migrate_ups_only() {
        let d = folder(&[
            ("10_c.up.sql", ""),
            ("10_c.down.sql", ""),
            ("2_b.up.sql", ""),
            ("2_b.down.sql", ""),
            ("1_a.up.sql", ""),
        ]);
        let r = discover(d.path(), None).unwrap();
        assert_eq!(r.format, Format::GolangMigrate);
        assert_eq!(names(&r), ["1_a.up.sql", "2_b.up.sql", "10_c.up.sql"]);
    }

    #[test]
    fn golang_migrate_duplicate_version() {
        let d = folder(&[("1_a.up.sql", ""), ("001_b.up.sql", "")]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(e.contains("1_a.up.sql and 001_b.up.sql (version 1)"), "{e}");
    }

    #[test]
    fn sqlx_simple_and_reversible() {
        let d = folder(&[("20240102_b.sql", ""), ("20240101_a.sql", "")]);
        let r = discover(d.path(), Some(Format::Sqlx)).unwrap();
        assert_eq!(names(&r), ["20240101_a.sql", "20240102_b.sql"]);
        let d = folder(&[("2_b.up.sql", ""), ("2_b.down.sql", ""), ("1_a.up.sql", "")]);
        let r = discover(d.path(), Some(Format::Sqlx)).unwrap();
        assert_eq!(names(&r), ["1_a.up.sql", "2_b.up.sql"]);
        let d = folder(&[("2_b.up.sql", ""), ("1_a.sql", "")]);
        let e = discover(d.path(), Some(Format::Sqlx))
            .unwrap_err()
            .to_string();
        assert!(e.contains("mixes sqlx simple and reversible"), "{e}");
    }

    #[test]
    fn diesel_folders() {
        let d = folder(&[
            ("00000000000000_diesel_initial_setup/up.sql", "select 0;"),
            ("00000000000000_diesel_initial_setup/down.sql", ""),
            ("2024-01-10-120000_b/up.sql", "select 2;"),
            ("2024-01-10-120000_b/down.sql", ""),
            ("2024-01-02-120000_a/up.sql", "select 1;"),
            ("2024-01-02-120000_a/down.sql", ""),
        ]);
        let r = discover(d.path(), None).unwrap();
        assert_eq!(r.format, Format::Diesel);
        assert_eq!(
            names(&r),
            [
                "00000000000000_diesel_initial_setup/up.sql",
                "2024-01-02-120000_a/up.sql",
                "2024-01-10-120000_b/up.sql"
            ]
        );
        assert_eq!(
            r.migrations[2].path,
            d.path().join("2024-01-10-120000_b/up.sql")
        );
    }

    #[test]
    fn prisma_folders() {
        let d = folder(&[
            ("migration_lock.toml", "provider = \"postgresql\""),
            ("20240110120000_b/migration.sql", ""),
            ("20240102120000_a/migration.sql", ""),
        ]);
        let r = discover(d.path(), None).unwrap();
        assert_eq!(r.format, Format::Prisma);
        assert_eq!(
            names(&r),
            [
                "20240102120000_a/migration.sql",
                "20240110120000_b/migration.sql"
            ]
        );
    }

    #[test]
    fn dbmate_up_section_with_line_offset() {
        let body = "-- a comment\n-- migrate:up\ncreate table t (id int);\n\n-- migrate:down\ndrop table t;\n";
        let d = folder(&[
            ("20240102_b.sql", body),
            (
                "20240101_a.sql",
                "-- migrate:up transaction:false\nselect 1;\n",
            ),
        ]);
        let r = discover(d.path(), None).unwrap();
        assert_eq!(r.format, Format::Dbmate);
        assert_eq!(names(&r), ["20240101_a.sql", "20240102_b.sql"]);
        assert_eq!(r.migrations[1].sql, "create table t (id int);\n\n");
        assert_eq!(r.migrations[1].first_line_offset, 2);
        assert_eq!(r.migrations[0].sql, "select 1;\n");
    }

    #[test]
    fn dbmate_without_up_marker_is_an_error() {
        let d = folder(&[("20240101_a.sql", "select 1;")]);
        let e = discover(d.path(), Some(Format::Dbmate))
            .unwrap_err()
            .to_string();
        assert!(e.contains("20240101_a.sql has no `-- migrate:up`"), "{e}");
    }

    #[test]
    fn mixed_formats_are_ambiguous_and_listed() {
        let d = folder(&[("V1__a.sql", ""), ("2_b.up.sql", ""), ("3_c.sql", "")]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(e.contains("mixes migration formats"), "{e}");
        assert!(
            e.contains("V1__a.sql") && e.contains("2_b.up.sql") && e.contains("3_c.sql"),
            "{e}"
        );
    }

    #[test]
    fn empty_folder_is_an_error() {
        let d = folder(&[("README.md", "")]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(e.contains("no migrations found"), "{e}");
    }

    #[test]
    fn missing_folder_is_a_read_error() {
        let e = discover(Path::new("/nonexistent/migrations"), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("/nonexistent/migrations"), "{e}");
    }

    #[test]
    fn versions() {
        let v = |s| Version::parse(s).unwrap();
        assert!(v("1.9") < v("1.10"));
        assert_eq!(v("1_1"), v("1.1"));
        assert_eq!(v("1"), v("1.0"));
        assert!(v("2") > v("1.99"));
        assert!(Version::parse("1.x").is_none());
    }
}
