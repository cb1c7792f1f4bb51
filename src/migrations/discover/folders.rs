//! One folder per migration: diesel and Prisma.

use std::cmp::Ordering;
use std::path::Path;

use super::{folder_error, refuse_duplicates, sort_by_key, Entry, Found, Kind, Migration};
use crate::error::Result;

/// diesel (diesel_migrations, migrations_internals/src/lib.rs and
/// src/file_based_migrations.rs): every entry that is not a file and not
/// hidden is a migration and must hold `up.sql`; loose files (a stray
/// `data_x.sql`, a `README.md`) are ignored. The version is the name up to
/// its first `_` with the dashes removed (`version_from_string`), and
/// migrations run in the order of those versions as strings (the
/// `MigrationVersion` is a string; `pending_migrations` sorts by it).
pub fn diesel(dir: &Path, entries: &[Entry]) -> Result<Vec<Migration>> {
    let mut items: Vec<(String, Found)> = Vec::new();
    for e in entries.iter().filter(|e| e.is_dir && !e.hidden()) {
        let up = e.path.join("up.sql");
        if !up.is_file() {
            return Err(folder_error(
                dir,
                format!(
                    "{} has no up.sql: diesel reads every folder here as a migration and stops at one without up.sql",
                    e.name
                ),
            ));
        }
        let (stamp, description) = e.name.split_once('_').unwrap_or((&e.name, ""));
        let version = stamp.replace('-', "");
        let files = ["up.sql", "down.sql", "metadata.toml"]
            .iter()
            .map(|f| e.path.join(f))
            .filter(|p| p.is_file())
            .collect();
        items.push((
            version.clone(),
            Found {
                version: Some(version),
                description: description.to_string(),
                kind: Kind::Versioned,
                path: up,
                files,
                display_name: format!("{}/up.sql", e.name),
            },
        ));
    }
    sort_by_key(&mut items);
    refuse_duplicates(
        dir,
        &items,
        "version",
        "and diesel keys its migrations by version, so it would run only one of them",
    )?;
    let mut out = Vec::with_capacity(items.len());
    for (_, f) in items {
        let m = f.read()?;
        // run_sql_from_file: `if sql.is_empty() { return Err(EmptyMigration) }`
        if m.raw.is_empty() {
            return Err(folder_error(
                dir,
                format!(
                    "{} is empty, and diesel refuses to run an empty migration",
                    m.display_name
                ),
            ));
        }
        out.push(m);
    }
    Ok(out)
}

/// Prisma (packages/migrate/src/utils/listMigrations.ts): every directory is
/// a migration whose `migration.sql` is read (`migrate deploy` fails on one
/// without it); files such as `migration_lock.toml` are ignored. The folder
/// name is the migration's name in `_prisma_migrations`, and migrations run
/// in the order of `a.path.localeCompare(b.path)`: names as strings, so equal
/// timestamp prefixes are fine and `20241231_x` sorts with the other 2024
/// names, not first.
pub fn prisma(dir: &Path, entries: &[Entry]) -> Result<Vec<Migration>> {
    let mut items: Vec<Found> = Vec::new();
    for e in entries.iter().filter(|e| e.is_dir) {
        let f = e.path.join("migration.sql");
        if !f.is_file() {
            return Err(folder_error(
                dir,
                format!(
                    "{} has no migration.sql: Prisma reads every folder here as a migration, and `prisma migrate deploy` fails on it",
                    e.name
                ),
            ));
        }
        items.push(Found {
            version: Some(e.name.clone()),
            description: e.name.clone(),
            kind: Kind::Versioned,
            path: f,
            files: vec![],
            display_name: format!("{}/migration.sql", e.name),
        });
    }
    items.sort_by(|a, b| {
        let (x, y) = (
            a.version.as_deref().unwrap_or(""),
            b.version.as_deref().unwrap_or(""),
        );
        prisma_cmp(x, y)
    });
    items.into_iter().map(Found::read).collect()
}

/// JavaScript's `a.localeCompare(b)` as Node (full ICU, root collation)
/// orders migration folder names: punctuation before digits before letters,
/// `_` before `-`, letters compared without case first and lower case first
/// on a tie. Exact for ASCII names; other characters sort after the
/// letters, by code point. (Prisma before 6.6 listed the folder in Rust and
/// compared names as bytes; the two orders differ only where one name has
/// `_`, `-` or a capital letter where the other has a digit or a letter.)
pub fn prisma_cmp(a: &str, b: &str) -> Ordering {
    let primary = |s: &str| s.chars().filter_map(primary_weight).collect::<Vec<u32>>();
    let tertiary = |s: &str| {
        s.chars()
            .filter(|c| primary_weight(*c).is_some())
            .map(|c| c.is_ascii_uppercase())
            .collect::<Vec<bool>>()
    };
    primary(a)
        .cmp(&primary(b))
        .then_with(|| tertiary(a).cmp(&tertiary(b)))
        .then_with(|| a.cmp(b))
}

/// The CLDR root collation's order of the ASCII characters (control
/// characters other than white space are ignorable).
const ROOT_ORDER: &str =
    "\t\n\u{b}\u{c}\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";

fn primary_weight(c: char) -> Option<u32> {
    if c.is_ascii() {
        let lower = c.to_ascii_lowercase();
        return ROOT_ORDER.find(lower).map(|i| i as u32 + 1);
    }
    Some(0x1000 + c as u32)
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{discover, Format};
    use super::*;

    #[test]
    fn diesel_ignores_loose_files_and_orders_by_stamp() {
        let d = folder(&[
            ("00000000000000_diesel_initial_setup/up.sql", "select 0;"),
            ("00000000000000_diesel_initial_setup/down.sql", ""),
            ("2024-01-10-120000_b/up.sql", "select 2;"),
            ("2024-01-10-120000_b/down.sql", ""),
            ("2024-01-02-120000_a/up.sql", "select 1;"),
            (
                "2024-01-02-120000_a/metadata.toml",
                "run_in_transaction = false",
            ),
            ("data_fix.sql", "select 'not a migration';"),
            ("README.md", ""),
            (".keep", ""),
        ]);
        for format in [None, Some(Format::Diesel)] {
            let r = discover(d.path(), format).unwrap();
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
                versions(&r),
                [
                    Some("00000000000000"),
                    Some("20240102120000"),
                    Some("20240110120000")
                ]
            );
            assert_eq!(r.migrations[1].files.len(), 2, "up.sql and metadata.toml");
            assert_eq!(r.migrations[2].files.len(), 2, "up.sql and down.sql");
            assert_eq!(
                r.migrations[2].path,
                d.path().join("2024-01-10-120000_b/up.sql")
            );
        }
    }

    #[test]
    fn diesel_stamps_of_both_forms_compare_as_strings() {
        // diesel 1 wrote 2019-02-26-002946_x, diesel 2 writes
        // 2025-08-01-000016-0000_x (Lemmy has both): as numbers every
        // 18-digit version would come after every 14-digit one.
        let d = folder(&[
            ("2025-09-19-090047_c/up.sql", "select 3;"),
            ("2025-08-01-000016-0000_a/up.sql", "select 1;"),
            ("2025-09-15-090401_b/up.sql", "select 2;"),
            ("2025-10-08-084508-0000_d/up.sql", "select 4;"),
        ]);
        let r = discover(d.path(), None).unwrap();
        assert_eq!(
            versions(&r),
            [
                Some("202508010000160000"),
                Some("20250915090401"),
                Some("20250919090047"),
                Some("202510080845080000")
            ]
        );
    }

    #[test]
    fn diesel_refuses_what_diesel_refuses() {
        let d = folder(&[("1_a/up.sql", "select 1;"), ("2_b/down.sql", "")]);
        let e = discover(d.path(), Some(Format::Diesel))
            .unwrap_err()
            .to_string();
        assert!(e.contains("2_b has no up.sql"), "{e}");
        let d = folder(&[
            ("2024-01-01_a/up.sql", "select 1;"),
            ("20240101_b/up.sql", "select 2;"),
        ]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(e.contains("(version 20240101)"), "{e}");
        let d = folder(&[("1_a/up.sql", "")]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(e.contains("1_a/up.sql is empty"), "{e}");
    }

    #[test]
    fn prisma_orders_names_as_strings() {
        let d = folder(&[
            ("migration_lock.toml", "provider = \"postgresql\""),
            ("20250217000000_b/migration.sql", ""),
            ("20250217000000_a/migration.sql", ""),
            ("20241231_x/migration.sql", ""),
            ("202310122339_y/migration.sql", ""),
            ("20240102030405_z/migration.sql", ""),
        ]);
        let r = discover(d.path(), None).unwrap();
        assert_eq!(r.format, Format::Prisma);
        assert_eq!(
            names(&r),
            [
                "202310122339_y/migration.sql",
                "20240102030405_z/migration.sql",
                "20241231_x/migration.sql",
                "20250217000000_a/migration.sql",
                "20250217000000_b/migration.sql"
            ]
        );
        assert_eq!(versions(&r)[0], Some("202310122339_y"));
    }

    #[test]
    fn prisma_folder_without_migration_sql() {
        let d = folder(&[("1_a/migration.sql", ""), ("2_b/notes.txt", "")]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(e.contains("2_b has no migration.sql"), "{e}");
    }

    #[test]
    fn locale_compare_order() {
        let mut v = vec![
            "b",
            "B",
            "a_b",
            "a-b",
            "a0",
            "A",
            "a",
            "20241231000000_y",
            "20241231_x",
            "é",
        ];
        v.sort_by(|a, b| prisma_cmp(a, b));
        assert_eq!(
            v,
            [
                "20241231_x",
                "20241231000000_y",
                "a",
                "A",
                "a_b",
                "a-b",
                "a0",
                "b",
                "B",
                "é"
            ]
        );
    }
}
