//! Folders of numbered files: plain, sqlx, golang-migrate, the Supabase CLI.

use std::collections::BTreeMap;
use std::path::Path;

use super::{
    folder_error, is_sql, leading_digits, natural_cmp, num_cmp, refuse_duplicates, Entry, Found,
    Kind, Migration,
};
use crate::error::Result;

/// Every `.sql` file, in natural name order (`2_x.sql` before `10_x.sql`);
/// two files with the same leading number are an ambiguity, not a guess.
pub fn plain(dir: &Path, entries: &[Entry]) -> Result<Vec<Migration>> {
    let mut files: Vec<&Entry> = Vec::new();
    for e in entries
        .iter()
        .filter(|e| !e.is_dir && !e.hidden() && is_sql(&e.name))
    {
        if parse_golang_migrate(&e.name).is_some() {
            return Err(folder_error(
                dir,
                format!("{} looks like a golang-migrate/sqlx migration, not a plain .sql file; use --migrations-format golang-migrate or sqlx", e.name),
            ));
        }
        files.push(e);
    }
    files.sort_by(|a, b| natural_cmp(&a.name, &b.name));
    let mut by_number: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for e in &files {
        let n = leading_digits(&e.name);
        if !n.is_empty() {
            let n = n.trim_start_matches('0');
            let n = if n.is_empty() { "0" } else { n };
            by_number.entry(n.to_string()).or_default().push(&e.name);
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
        .map(|e| {
            Found {
                version: None,
                description: e.name[..e.name.len() - 4].to_string(),
                kind: Kind::Versioned,
                path: e.path.clone(),
                files: vec![],
                display_name: e.name.clone(),
            }
            .read()
        })
        .collect()
}

// ---------------------------------------------------------------------------
// sqlx (sqlx-core/src/migrate/source.rs, `resolve_blocking_with_config`)

/// sqlx's reading of a file name: split at the first `_`; the rest must end
/// in `.sql` (else the file is ignored); the part before must parse as an
/// `i64` (else sqlx stops with an error). `Err(())` is that error.
#[allow(clippy::result_unit_err)]
pub fn parse_sqlx(name: &str) -> Option<std::result::Result<(i64, SqlxType, String), ()>> {
    let (version, rest) = name.split_once('_')?;
    if !rest.ends_with(".sql") {
        return None;
    }
    let Ok(version) = version.parse::<i64>() else {
        return Some(Err(()));
    };
    let ty = if rest.ends_with(".up.sql") {
        SqlxType::Up
    } else if rest.ends_with(".down.sql") {
        SqlxType::Down
    } else {
        SqlxType::Simple
    };
    // `parts[1].trim_end_matches(migration_type.suffix()).replace('_', " ")`
    let suffix = match ty {
        SqlxType::Simple => ".sql",
        SqlxType::Up => ".up.sql",
        SqlxType::Down => ".down.sql",
    };
    let description = rest.trim_end_matches(suffix).replace('_', " ");
    Some(Ok((version, ty, description)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlxType {
    Simple,
    Up,
    Down,
}

/// A name sqlx reads as a simple migration (for detection).
pub fn is_sqlx_name(name: &str) -> bool {
    matches!(parse_sqlx(name), Some(Ok((_, SqlxType::Simple, _))))
}

/// sqlx: regular files (links followed) named `<i64>_<description>.sql`,
/// `.up.sql` or `.down.sql`, sorted by version; other names ignored; simple
/// and reversible migrations may share a folder (the migrator runs both).
pub fn sqlx(dir: &Path, entries: &[Entry]) -> Result<Vec<Migration>> {
    let mut items: Vec<(i64, Found)> = Vec::new();
    let mut downs: BTreeMap<i64, Vec<std::path::PathBuf>> = BTreeMap::new();
    for e in entries.iter().filter(|e| !e.is_dir) {
        let (version, ty, description) = match parse_sqlx(&e.name) {
            None => continue,
            Some(Ok(p)) => p,
            Some(Err(())) => {
                return Err(folder_error(
                    dir,
                    format!(
                        "{} is not an sqlx migration name: sqlx reads every `<version>_<name>.sql` file here and stops when the part before the first `_` is not an integer (`01_foo.sql`)",
                        e.name
                    ),
                ))
            }
        };
        if ty == SqlxType::Down {
            downs.entry(version).or_default().push(e.path.clone());
            continue;
        }
        let f = Found::versioned(version.to_string(), &description, e, e.name.clone());
        items.push((version, f));
    }
    // `migrations.sort_by_key(|(m, _)| m.version)`: stable, so name order within a version.
    items.sort_by_key(|(v, _)| *v);
    refuse_duplicates(
        dir,
        &items,
        "version",
        "and sqlx would fail on the second (its _sqlx_migrations table keys on the version)",
    )?;
    items
        .into_iter()
        .map(|(v, mut f)| {
            f.files.push(f.path.clone());
            f.files.extend(downs.remove(&v).unwrap_or_default());
            f.read()
        })
        .collect()
}

// ---------------------------------------------------------------------------
// golang-migrate (source/parse.go, source/iofs/iofs.go)

/// golang-migrate's `^([0-9]+)_(.*)\.(down|up)\.(.*)$`, with the version as
/// `ParseUint` reads it: (version, identifier, is_up). Any extension.
pub fn parse_golang_migrate(name: &str) -> Option<(u64, &str, bool)> {
    let digits = leading_digits(name);
    if digits.is_empty() {
        return None;
    }
    let rest = name[digits.len()..].strip_prefix('_')?;
    // `(.*)` is greedy: the direction is the last `.up.` / `.down.` in the name.
    let (at, up) = [(".up.", true), (".down.", false)]
        .iter()
        .filter_map(|(pat, up)| rest.rfind(pat).map(|i| (i, *up)))
        .max_by_key(|(i, _)| *i)?;
    let version = digits.parse::<u64>().ok()?;
    Some((version, &rest[..at], up))
}

/// golang-migrate: files matching its pattern, others ignored; two files
/// with the same version and direction are an error; ups run in version order.
pub fn golang_migrate(dir: &Path, entries: &[Entry]) -> Result<Vec<Migration>> {
    let mut seen: BTreeMap<(u64, bool), &str> = BTreeMap::new();
    let mut ups: BTreeMap<u64, Found> = BTreeMap::new();
    let mut downs: BTreeMap<u64, std::path::PathBuf> = BTreeMap::new();
    for e in entries.iter().filter(|e| !e.is_dir) {
        let Some((version, ident, up)) = parse_golang_migrate(&e.name) else {
            continue;
        };
        if let Some(other) = seen.insert((version, up), &e.name) {
            return Err(folder_error(
                dir,
                format!(
                    "two migrations have the same version, which golang-migrate refuses: {other} and {} (version {version})",
                    e.name
                ),
            ));
        }
        if up {
            let f = Found::versioned(version.to_string(), ident, e, e.name.clone());
            ups.insert(version, f);
        } else {
            downs.insert(version, e.path.clone());
        }
    }
    ups.into_iter()
        .map(|(v, mut f)| {
            f.files.push(f.path.clone());
            f.files.extend(downs.remove(&v));
            f.read()
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Supabase CLI (pkg/migration/list.go, file.go)

/// `supabase/migrations` (the CLI's fixed place), however the path was typed.
pub fn is_supabase_dir(dir: &Path) -> bool {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    dir.file_name().is_some_and(|n| n == "migrations")
        && dir
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|n| n == "supabase")
}

/// The CLI's `^([0-9]+)_(.*)\.sql$`: (version as written, name).
pub fn parse_supabase(name: &str) -> Option<(&str, &str)> {
    let digits = leading_digits(name);
    if digits.is_empty() {
        return None;
    }
    let rest = name[digits.len()..].strip_prefix('_')?;
    let rest = rest.strip_suffix(".sql")?;
    Some((digits, rest))
}

/// The CLI's `shouldSkip`: an old `<14 digits>_init.sql` (the unanchored
/// `([0-9]{14})_init\.sql`, before 20211209000000) is skipped when it is the
/// very first entry of the folder.
fn supabase_old_init(name: &str) -> bool {
    let b = name.as_bytes();
    for start in 0..b.len() {
        let end = start + 14;
        if end > b.len() || !b[start..end].iter().all(u8::is_ascii_digit) {
            continue;
        }
        if name[end..].starts_with("_init.sql") {
            return num_cmp(&name[start..end], "20211209000000").is_lt();
        }
    }
    false
}

/// The Supabase CLI: files named `<digits>_<name>.sql` in name order (Go's
/// `os.ReadDir`), others skipped; the first entry, hidden ones counted, is
/// skipped when it is an old `_init.sql`.
pub fn supabase(dir: &Path, entries: &[Entry]) -> Result<Vec<Migration>> {
    let mut items: Vec<(String, Found)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if e.is_dir {
            continue;
        }
        // list.go: `if i == 0 && shouldSkip(filename)`: the index counts every
        // entry, so a `.gitkeep` (which sorts first) keeps the init file in.
        if i == 0 && supabase_old_init(&e.name) {
            continue;
        }
        let Some((version, name)) = parse_supabase(&e.name) else {
            continue;
        };
        let f = Found::versioned(version.to_string(), name, e, e.name.clone());
        items.push((version.to_string(), f));
    }
    refuse_duplicates(
        dir,
        &items,
        "version",
        "and the Supabase CLI would fail on the second (its schema_migrations table keys on the version)",
    )?;
    items.into_iter().map(|(_, f)| f.read()).collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{discover, Format};
    use super::*;

    #[test]
    fn plain_folder_in_natural_order() {
        let d = folder(&[
            ("10-ten.sql", "select 10;"),
            ("2-two.sql", "select 2;"),
            ("1-one.sql", "select 1;"),
            ("README.md", ""),
        ]);
        let r = discover(d.path(), None).unwrap();
        assert_eq!(r.format, Format::Plain);
        assert_eq!(names(&r), ["1-one.sql", "2-two.sql", "10-ten.sql"]);
        assert_eq!(r.migrations[0].sql, "select 1;");
        assert_eq!(r.migrations[0].raw, b"select 1;");
        assert_eq!(r.migrations[0].path, d.path().join("1-one.sql"));
        assert_eq!(versions(&r), [None, None, None]);
    }

    #[test]
    fn plain_duplicate_numbers_are_ambiguous() {
        let d = folder(&[("1_a.sql", ""), ("01_b.sql", "")]);
        let e = discover(d.path(), Some(Format::Plain))
            .unwrap_err()
            .to_string();
        assert!(e.contains("1_a.sql and 01_b.sql (number 1)"), "{e}");
        assert!(e.contains("ambiguous"), "{e}");
    }

    #[test]
    fn sqlx_simple_is_detected_with_integer_versions() {
        let d = folder(&[
            ("20240102_b_c.sql", ""),
            ("20240101_a.sql", ""),
            ("003_x.sql", ""),
            ("README.md", ""),
            ("schema.sql.bak", ""),
        ]);
        let r = discover(d.path(), None).unwrap();
        assert_eq!(r.format, Format::Sqlx);
        assert_eq!(
            names(&r),
            ["003_x.sql", "20240101_a.sql", "20240102_b_c.sql"]
        );
        assert_eq!(
            versions(&r),
            [Some("3"), Some("20240101"), Some("20240102")]
        );
        assert_eq!(r.migrations[2].description, "b c");
    }

    #[test]
    fn sqlx_runs_simple_and_reversible_together() {
        // sqlx's migrator runs both kinds; only `sqlx migrate add` minds.
        let d = folder(&[
            ("2_b.up.sql", ""),
            ("2_b.down.sql", ""),
            ("1_a.sql", ""),
            ("3_c.sql", ""),
        ]);
        let r = discover(d.path(), Some(Format::Sqlx)).unwrap();
        assert_eq!(names(&r), ["1_a.sql", "2_b.up.sql", "3_c.sql"]);
        assert_eq!(r.migrations[1].files.len(), 2);
        assert_eq!(r.migrations[1].description, "b");
    }

    #[test]
    fn sqlx_refuses_what_sqlx_refuses() {
        let d = folder(&[("1_a.sql", ""), ("seed_data.sql", "")]);
        let e = discover(d.path(), Some(Format::Sqlx))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("seed_data.sql is not an sqlx migration name"),
            "{e}"
        );
        let d = folder(&[("1_a.sql", ""), ("01_b.sql", "")]);
        let e = discover(d.path(), Some(Format::Sqlx))
            .unwrap_err()
            .to_string();
        assert!(e.contains("01_b.sql and 1_a.sql (version 1)"), "{e}");
    }

    #[test]
    fn golang_migrate_ups_only_any_extension() {
        let d = folder(&[
            ("10_c.up.sql", ""),
            ("10_c.down.sql", ""),
            ("2_b.up.sql", ""),
            ("2_b.down.sql", ""),
            ("0001_a.up.sql", ""),
            ("1.up.sql", ""),
            ("notes.sql", ""),
        ]);
        let r = discover(d.path(), Some(Format::GolangMigrate)).unwrap();
        assert_eq!(names(&r), ["0001_a.up.sql", "2_b.up.sql", "10_c.up.sql"]);
        assert_eq!(versions(&r), [Some("1"), Some("2"), Some("10")]);
        assert_eq!(r.migrations[2].files.len(), 2);
        assert_eq!(
            parse_golang_migrate("3_x.up.y.down.sql"),
            Some((3, "x.up.y", false))
        );
        assert_eq!(parse_golang_migrate("3_.up.txt"), Some((3, "", true)));
        assert_eq!(parse_golang_migrate("3x_a.up.sql"), None);
    }

    #[test]
    fn golang_migrate_duplicate_version() {
        let d = folder(&[("1_a.up.sql", ""), ("001_b.up.sql", "")]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(e.contains("001_b.up.sql and 1_a.up.sql (version 1)"), "{e}");
    }

    #[test]
    fn supabase_name_order_and_the_old_init_file() {
        let d = tempfile::tempdir().unwrap();
        let m = d.path().join("supabase/migrations");
        std::fs::create_dir_all(&m).unwrap();
        for n in [
            "20211208000000_init.sql",
            "20240101000000_b.sql",
            "2_short.sql",
            "notes.md",
            "seed.sql",
        ] {
            std::fs::write(m.join(n), "").unwrap();
        }
        let r = discover(&m, None).unwrap();
        assert_eq!(r.format, Format::Supabase);
        // Names as strings: `2_short` after the timestamps.
        assert_eq!(names(&r), ["20240101000000_b.sql", "2_short.sql"]);
        assert_eq!(versions(&r), [Some("20240101000000"), Some("2")]);
        // A .gitkeep sorts first, so the CLI no longer skips the init file.
        std::fs::write(m.join(".gitkeep"), "").unwrap();
        let r = discover(&m, None).unwrap();
        assert_eq!(
            names(&r),
            [
                "20211208000000_init.sql",
                "20240101000000_b.sql",
                "2_short.sql"
            ]
        );
    }
}
