//! Finding the migration files of a folder and putting them in the order the
//! migration tool that wrote them applies them, by that tool's own rules as
//! its source has them (each tool's file quotes the source where a rule
//! surprises): which entries are migrations, which it ignores, which it
//! refuses, how it reads the version and how it orders them.
//!
//! The layout is detected from what belongs to one tool only: Flyway's
//! `V1__x.sql`, golang-migrate's `1_x.up.sql`, diesel's `<stamp>/up.sql` and
//! Prisma's `<stamp>/migration.sql` folders, goose's `-- +goose Up` and
//! dbmate's `-- migrate:up` annotations, the Supabase CLI's
//! `supabase/migrations` folder; then numbered `<version>_<name>.sql` files
//! are sqlx's, and anything else is a plain folder. Entries the chosen tool
//! ignores are ignored; entries it refuses are errors. A folder in which two
//! tools' files meet is an error listing them, and naming the
//! `--migrations-format` choices that read the folder without error.

mod dbmate;
pub(crate) mod flyway;
mod folders;
mod goose;
mod numbered;

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub use dbmate::dbmate_up;
pub use folders::prisma_cmp;
pub use goose::goose_up;

/// The migration folder layouts schemadrift understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Plain,
    Flyway,
    GolangMigrate,
    Sqlx,
    Diesel,
    Prisma,
    Dbmate,
    Goose,
    Supabase,
}

impl Format {
    /// Every format (a new one goes here too), for `--migrations-format`
    /// and the config's `migrations_format`.
    pub const ALL: &'static [Format] = &[
        Format::Plain,
        Format::Flyway,
        Format::GolangMigrate,
        Format::Sqlx,
        Format::Diesel,
        Format::Prisma,
        Format::Dbmate,
        Format::Goose,
        Format::Supabase,
    ];

    /// The name `--migrations-format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Plain => "plain",
            Format::Flyway => "flyway",
            Format::GolangMigrate => "golang-migrate",
            Format::Sqlx => "sqlx",
            Format::Diesel => "diesel",
            Format::Prisma => "prisma",
            Format::Dbmate => "dbmate",
            Format::Goose => "goose",
            Format::Supabase => "supabase",
        }
    }

    /// Which files are migrations, and in what order (`--help` shows it).
    pub fn about(self) -> &'static str {
        match self {
            Format::Plain => {
                "`.sql` files applied in natural name order (`2_x.sql` before `10_x.sql`)"
            }
            Format::Flyway => {
                "Flyway: `V<version>__<name>.sql` (in subfolders too), then `R__<name>.sql`; callbacks run"
            }
            Format::GolangMigrate => {
                "golang-migrate: `<version>_<name>.up.<ext>`; `.down.` files ignored"
            }
            Format::Sqlx => {
                "sqlx: `<version>_<name>.sql` or `<version>_<name>.up.sql`; `.down.sql` ignored"
            }
            Format::Diesel => "diesel: `<stamp>_<name>/up.sql`; loose files ignored",
            Format::Prisma => {
                "Prisma: `<name>/migration.sql`, in the order of the folder names as strings"
            }
            Format::Dbmate => {
                "dbmate: `<version>...sql` with `-- migrate:up` / `-- migrate:down` sections"
            }
            Format::Goose => {
                "goose: `<version>_<name>.sql` with `-- +goose Up` / `-- +goose Down` sections"
            }
            Format::Supabase => {
                "Supabase CLI: `supabase/migrations/<timestamp>_<name>.sql`, in name order"
            }
        }
    }

    /// The format named `name` (any case).
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// The tool's name as people write it, for messages.
    pub fn tool(self) -> &'static str {
        match self {
            Format::Plain => "plain",
            Format::Flyway => "Flyway",
            Format::GolangMigrate => "golang-migrate",
            Format::Sqlx => "sqlx",
            Format::Diesel => "diesel",
            Format::Prisma => "Prisma",
            Format::Dbmate => "dbmate",
            Format::Goose => "goose",
            Format::Supabase => "the Supabase CLI",
        }
    }
}

impl fmt::Display for Format {
    /// The `--migrations-format` value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a discovered script is to its tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A migration applied once and recorded under its version.
    Versioned,
    /// Flyway `R__<name>.sql`: applied after the versioned ones, recorded
    /// with no version (identified by its description).
    Repeatable,
    /// Flyway `B<version>__<name>.sql`: the starting point of a new
    /// database, recorded under its version.
    Baseline,
    /// A Flyway callback script (`beforeMigrate.sql`, `afterEachMigrate__x.sql`)
    /// and its event: run at that event, never recorded.
    Callback(&'static str),
}

/// One script to replay, in order, with what its tool records about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The version exactly as the tool writes it in its history table:
    /// Flyway `1.10` (from `V1_10__x.sql`), golang-migrate, goose and sqlx
    /// integers (`20240101000000`), diesel's folder stamp without dashes,
    /// Prisma's whole folder name, dbmate's and Supabase's leading digits as
    /// written (`0001`). None where the tool records none: plain folders,
    /// Flyway repeatables and callbacks.
    pub version: Option<String>,
    /// The description as the tool records it (Flyway and sqlx: the name
    /// part with `_` as spaces; goose, dbmate, Supabase, diesel and
    /// golang-migrate: the name part as written; Prisma: the folder name).
    pub description: String,
    pub kind: Kind,
    /// The file replayed, as the folder path given joined with its name.
    pub path: PathBuf,
    /// Every file that belongs to the migration (diesel's `up.sql`,
    /// `down.sql`, `metadata.toml`; golang-migrate's `.up` and `.down`), sorted.
    pub files: Vec<PathBuf>,
    /// The name within the folder, e.g. `V2__users.sql` or `2024_init/up.sql`.
    pub display_name: String,
    /// The bytes of `path` as read, for the tools' checksums.
    pub raw: Vec<u8>,
    /// The SQL to run: the whole file, or (goose, dbmate) the file with every
    /// line outside its up sections blanked, so that lines keep their numbers.
    pub sql: String,
    /// Lines of the file before `sql` starts, so that line `n` of `sql` is
    /// line `n + first_line_offset` of the file.
    pub first_line_offset: usize,
}

/// The migrations of a folder in the order they run, and the format they were read as.
#[derive(Debug, Clone)]
pub struct Discovered {
    pub format: Format,
    pub migrations: Vec<Migration>,
}

/// One directory entry.
pub(crate) struct Entry {
    pub name: String,
    pub path: PathBuf,
    /// A directory (or a link to one).
    pub is_dir: bool,
}

impl Entry {
    fn hidden(&self) -> bool {
        self.name.starts_with('.')
    }
}

/// Read `dir`, choose its format (or use `format`), and return its
/// migrations in the order they apply.
pub fn discover(dir: &Path, format: Option<Format>) -> Result<Discovered> {
    let entries = list(dir)?;
    let format = match format {
        Some(f) => f,
        None => detect(dir, &entries)?,
    };
    let migrations = read_as(dir, &entries, format)?;
    if migrations.is_empty() {
        return Err(folder_error(
            dir,
            format!(
                "no {} migrations found in this folder{}",
                format.tool(),
                format_hint(format)
            ),
        ));
    }
    Ok(Discovered { format, migrations })
}

fn format_hint(format: Format) -> &'static str {
    match format {
        Format::Plain => " (no .sql files)",
        Format::Flyway => " (V<version>__<name>.sql or R__<name>.sql)",
        Format::GolangMigrate => " (<version>_<name>.up.sql)",
        Format::Sqlx => " (<version>_<name>.sql)",
        Format::Diesel => " (<stamp>_<name>/up.sql)",
        Format::Prisma => " (<name>/migration.sql)",
        Format::Dbmate => " (<version>_<name>.sql)",
        Format::Goose => " (<version>_<name>.sql)",
        Format::Supabase => " (<timestamp>_<name>.sql)",
    }
}

fn read_as(dir: &Path, entries: &[Entry], format: Format) -> Result<Vec<Migration>> {
    match format {
        Format::Plain => numbered::plain(dir, entries),
        Format::Sqlx => numbered::sqlx(dir, entries),
        Format::GolangMigrate => numbered::golang_migrate(dir, entries),
        Format::Supabase => numbered::supabase(dir, entries),
        Format::Flyway => flyway::flyway(dir, entries),
        Format::Diesel => folders::diesel(dir, entries),
        Format::Prisma => folders::prisma(dir, entries),
        Format::Dbmate => dbmate::dbmate(dir, entries),
        Format::Goose => goose::goose(dir, entries),
    }
}

pub(crate) fn folder_error(dir: &Path, reason: String) -> Error {
    Error::Migrations {
        dir: dir.to_path_buf(),
        reason,
    }
}

/// Every entry of `dir`, hidden ones included (some tools count them),
/// sorted by name as bytes (Go's `os.ReadDir` order).
fn list(dir: &Path) -> Result<Vec<Entry>> {
    let read_err = |e: std::io::Error| Error::Read {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    };
    let mut out = Vec::new();
    for ent in std::fs::read_dir(dir).map_err(read_err)? {
        let ent = ent.map_err(read_err)?;
        let name = ent.file_name().to_string_lossy().into_owned();
        let path = dir.join(&name);
        // Follow symlinks: a linked migration is still a migration.
        let is_dir = path.is_dir();
        out.push(Entry { name, path, is_dir });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

pub(crate) fn utf8(path: &Path, raw: &[u8]) -> Result<String> {
    String::from_utf8(raw.to_vec()).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        reason: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// What a tool says about one migration, before its file is read.
pub(crate) struct Found {
    pub version: Option<String>,
    pub description: String,
    pub kind: Kind,
    pub path: PathBuf,
    pub files: Vec<PathBuf>,
    pub display_name: String,
}

impl Found {
    /// An ordinary migration: one file, recorded under `version`.
    pub fn versioned(
        version: String,
        description: &str,
        entry: &Entry,
        display_name: String,
    ) -> Found {
        Found {
            version: Some(version),
            description: description.to_string(),
            kind: Kind::Versioned,
            path: entry.path.clone(),
            files: vec![],
            display_name,
        }
    }

    /// Read the file and run it whole.
    pub fn read(self) -> Result<Migration> {
        self.read_with(|_, text| Ok(text))
    }

    /// Read the file; `up` turns its text into the SQL to run.
    pub fn read_with(self, up: impl FnOnce(&Path, String) -> Result<String>) -> Result<Migration> {
        let raw = read_bytes(&self.path)?;
        let text = utf8(&self.path, &raw)?;
        let sql = up(&self.path, text)?;
        let mut files = self.files;
        if files.is_empty() {
            files.push(self.path.clone());
        }
        files.sort();
        Ok(Migration {
            version: self.version,
            description: self.description,
            kind: self.kind,
            path: self.path,
            files,
            display_name: self.display_name,
            raw,
            sql,
            first_line_offset: 0,
        })
    }
}

pub(crate) fn is_sql(name: &str) -> bool {
    name.len() > 4 && name.to_ascii_lowercase().ends_with(".sql")
}

/// Leading ASCII digits of `s` (possibly empty).
pub(crate) fn leading_digits(s: &str) -> &str {
    let end = s
        .bytes()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(s.len());
    &s[..end]
}

/// Replace every line of `text` outside `keep` (half-open line ranges,
/// 0-based) with an empty line, so that the SQL kept is where it was.
pub(crate) fn keep_lines(text: &str, keep: impl Fn(usize) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if keep(i) {
            out.push_str(line);
        } else if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Detection

fn detect(dir: &Path, entries: &[Entry]) -> Result<Format> {
    let mut claims: BTreeMap<Format, Vec<&str>> = BTreeMap::new();
    let mut other_sql: Vec<&str> = Vec::new();
    for e in entries.iter().filter(|e| !e.hidden()) {
        let name = e.name.as_str();
        if e.is_dir {
            if e.path.join("up.sql").is_file() {
                claims.entry(Format::Diesel).or_default().push(name);
            } else if e.path.join("migration.sql").is_file() {
                claims.entry(Format::Prisma).or_default().push(name);
            }
            continue;
        }
        if name == "migration_lock.toml" {
            claims.entry(Format::Prisma).or_default().push(name);
            continue;
        }
        if !is_sql(name) {
            continue;
        }
        if flyway::is_migration_name(name) {
            claims.entry(Format::Flyway).or_default().push(name);
        } else if numbered::parse_golang_migrate(name).is_some() {
            claims.entry(Format::GolangMigrate).or_default().push(name);
        } else {
            let text = String::from_utf8_lossy(&read_bytes(&e.path)?).into_owned();
            if goose::has_up_annotation(&text) {
                claims.entry(Format::Goose).or_default().push(name);
            } else if dbmate::has_up_marker(&text) {
                claims.entry(Format::Dbmate).or_default().push(name);
            } else {
                other_sql.push(name);
            }
        }
    }
    if claims.is_empty() {
        if flyway::in_subfolders(entries) {
            return Ok(Format::Flyway);
        }
        if other_sql.is_empty() {
            return Err(folder_error(
                dir,
                "no migrations found in this folder (no .sql files, no <name>/up.sql or <name>/migration.sql folders)".into(),
            ));
        }
        if numbered::is_supabase_dir(dir)
            && other_sql
                .iter()
                .any(|n| numbered::parse_supabase(n).is_some())
        {
            return Ok(Format::Supabase);
        }
        if other_sql.iter().all(|n| numbered::is_sqlx_name(n)) {
            return Ok(Format::Sqlx);
        }
        return Ok(Format::Plain);
    }
    if claims.len() == 1 {
        let (format, _) = claims.into_iter().next().expect("one claim");
        return Ok(format);
    }
    let mut parts: Vec<String> = claims
        .iter()
        .map(|(f, names)| format!("{}: {}", f.tool(), list_names(names)))
        .collect();
    if !other_sql.is_empty() {
        parts.push(format!("other .sql files: {}", list_names(&other_sql)));
    }
    // Advise only what works: a format whose tool reads this folder as it is.
    let workable: Vec<String> = claims
        .keys()
        .filter(|f| read_as(dir, entries, **f).is_ok_and(|m| !m.is_empty()))
        .map(|f| format!("--migrations-format {f}"))
        .collect();
    let advice = if workable.is_empty() {
        "keep one format per folder (no single tool reads this folder without an error)".to_string()
    } else {
        format!(
            "keep one format per folder, or name the tool that applies it: {} (that tool's own rules then decide what the other files are)",
            workable.join(" or ")
        )
    };
    Err(folder_error(
        dir,
        format!(
            "this folder mixes migration formats, so which files run and in what order is ambiguous ({}); {advice}",
            parts.join("; ")
        ),
    ))
}

pub(crate) fn list_names(names: &[&str]) -> String {
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

/// Sort `(key, found)` pairs by key, then by name.
pub(crate) fn sort_by_key<K: Ord>(items: &mut [(K, Found)]) {
    items.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.display_name.cmp(&b.1.display_name))
    });
}

/// Refuse two scripts with the same key (version or description), naming
/// both, with `why` the tool refuses them.
pub(crate) fn refuse_duplicates<K: Ord + fmt::Display>(
    dir: &Path,
    items: &[(K, Found)],
    what: &str,
    why: &str,
) -> Result<()> {
    let mut sorted: Vec<(&K, &str)> = items
        .iter()
        .map(|(k, f)| (k, f.display_name.as_str()))
        .collect();
    sorted.sort();
    let dups: Vec<String> = sorted
        .windows(2)
        .filter(|w| w[0].0 == w[1].0)
        .map(|w| format!("{} and {} ({what} {})", w[0].1, w[1].1, w[0].0))
        .collect();
    if dups.is_empty() {
        return Ok(());
    }
    Err(folder_error(
        dir,
        format!(
            "two migrations have the same {what}, {why}: {}",
            dups.join("; ")
        ),
    ))
}

// ---------------------------------------------------------------------------
// Natural order

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
pub(crate) fn num_cmp(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
pub(crate) mod testing {
    /// A temporary folder holding `files` (paths may name subfolders).
    pub fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for (name, body) in files {
            let p = d.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, body).unwrap();
        }
        d
    }

    pub fn names(d: &super::Discovered) -> Vec<&str> {
        d.migrations
            .iter()
            .map(|m| m.display_name.as_str())
            .collect()
    }

    pub fn versions(d: &super::Discovered) -> Vec<Option<&str>> {
        d.migrations.iter().map(|m| m.version.as_deref()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

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
    fn detection_by_what_is_specific_to_one_tool() {
        let cases: &[(&[(&str, &str)], Format)] = &[
            (&[("V1__a.sql", ""), ("seed.sql", "")], Format::Flyway),
            (
                &[("1_a.up.sql", ""), ("1_a.down.sql", "")],
                Format::GolangMigrate,
            ),
            (
                &[("1_a/up.sql", ""), ("data_x.sql", ""), ("README.md", "")],
                Format::Diesel,
            ),
            (
                &[
                    ("20240101_a/migration.sql", ""),
                    ("migration_lock.toml", ""),
                ],
                Format::Prisma,
            ),
            (
                &[("1_a.sql", "-- migrate:up\n-- migrate:down\n")],
                Format::Dbmate,
            ),
            (&[("1_a.sql", "-- +goose Up\nselect 1;\n")], Format::Goose),
            (&[("1_a.sql", ""), ("20240101_b.sql", "")], Format::Sqlx),
            (&[("1_a.sql", ""), ("schema.sql", "")], Format::Plain),
            (&[("init.sql", "")], Format::Plain),
            (&[("v1/V1__a.sql", "")], Format::Flyway),
        ];
        for (files, want) in cases {
            let d = folder(files);
            let got = detect(d.path(), &list(d.path()).unwrap()).unwrap();
            assert_eq!(got, *want, "{files:?}");
        }
    }

    #[test]
    fn supabase_by_its_folder() {
        let d = tempfile::tempdir().unwrap();
        let m = d.path().join("supabase/migrations");
        std::fs::create_dir_all(&m).unwrap();
        std::fs::write(m.join("20240101000000_a.sql"), "").unwrap();
        let got = discover(&m, None).unwrap();
        assert_eq!(got.format, Format::Supabase);
    }

    #[test]
    fn mixed_formats_are_ambiguous_and_the_advice_works() {
        let d = folder(&[("V1__a.sql", ""), ("2_b.up.sql", ""), ("3_c.sql", "")]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(e.contains("mixes migration formats"), "{e}");
        assert!(
            e.contains("V1__a.sql") && e.contains("2_b.up.sql") && e.contains("3_c.sql"),
            "{e}"
        );
        assert!(
            e.contains("--migrations-format flyway or --migrations-format golang-migrate"),
            "{e}"
        );
        // Each piece of advice reads the folder.
        let f = discover(d.path(), Some(Format::Flyway)).unwrap();
        assert_eq!(names(&f), ["V1__a.sql"]);
        let g = discover(d.path(), Some(Format::GolangMigrate)).unwrap();
        assert_eq!(names(&g), ["2_b.up.sql"]);
    }

    #[test]
    fn mixed_annotations_with_no_workable_format() {
        let d = folder(&[
            ("1_a.sql", "-- +goose Up\nselect 1;\n"),
            ("2_b.sql", "-- migrate:up\nselect 2;\n-- migrate:down\n"),
        ]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(e.contains("dbmate: 2_b.sql; goose: 1_a.sql"), "{e}");
        assert!(e.contains("no single tool reads this folder"), "{e}");
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
    fn blanked_lines_keep_their_numbers() {
        let t = "a\nb\nc\nd";
        assert_eq!(keep_lines(t, |i| i == 1 || i == 3), "\nb\n\nd");
    }
}
