//! Migration discovery by file name: a folder of files named by the input
//! (one name a line; a name ending in `/` is a folder with `up.sql` or
//! `migration.sql`) is read in every format without a panic, and the order
//! found is the same each time and holds only files that are there.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use schemadrift::migrations::discover::{natural_cmp, prisma_cmp};
use schemadrift::migrations::{discover, Format};

fn dir() -> &'static Path {
    static D: OnceLock<tempfile::TempDir> = OnceLock::new();
    D.get_or_init(|| tempfile::tempdir().unwrap()).path()
}

const FORMATS: [Option<Format>; 10] = [
    None,
    Some(Format::Plain),
    Some(Format::Flyway),
    Some(Format::GolangMigrate),
    Some(Format::Sqlx),
    Some(Format::Diesel),
    Some(Format::Prisma),
    Some(Format::Dbmate),
    Some(Format::Goose),
    Some(Format::Supabase),
];

/// What the files hold, in turn: plain SQL, a dbmate file, a goose file.
const BODIES: [&str; 3] = [
    "SELECT 1;\n",
    "-- migrate:up\nSELECT 1;\n-- migrate:down\n",
    "-- +goose Up\nSELECT 1;\n-- +goose Down\n",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let root = dir().join("m");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir(&root).unwrap();
    let names: Vec<&str> = text.lines().take(32).collect();
    for (i, name) in names.iter().enumerate() {
        let folder = name.strip_suffix('/');
        let base = folder.unwrap_or(name);
        if base.is_empty()
            || base.len() > 100
            || base.contains(['/', '\0'])
            || base == "."
            || base == ".."
        {
            continue;
        }
        let path = root.join(base);
        let sql = BODIES[i % 3];
        match folder {
            Some(_) => {
                if std::fs::create_dir(&path).is_ok() {
                    let file = if i % 2 == 0 {
                        "up.sql"
                    } else {
                        "migration.sql"
                    };
                    let _ = std::fs::write(path.join(file), sql);
                }
            }
            None => {
                let _ = std::fs::write(&path, sql);
            }
        }
    }
    for format in FORMATS {
        let first = discover(&root, format);
        let again = discover(&root, format);
        match (first, again) {
            (Ok(a), Ok(b)) => {
                assert_eq!(
                    a.migrations, b.migrations,
                    "the order changed between two reads"
                );
                for m in &a.migrations {
                    assert!(m.path.exists(), "{} is not there", m.path.display());
                }
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            _ => panic!("one read failed and the other did not"),
        }
    }
    // Natural order and Prisma's collation are total orders: antisymmetric
    // and transitive.
    for cmp in [natural_cmp, prisma_cmp] {
        for a in &names {
            for b in &names {
                assert_eq!(cmp(a, b), cmp(b, a).reverse(), "{a:?} {b:?}");
                for c in names.iter().take(8) {
                    if cmp(a, b).is_le() && cmp(b, c).is_le() {
                        assert!(cmp(a, c).is_le(), "{a:?} <= {b:?} <= {c:?}");
                    }
                }
            }
        }
    }
});
