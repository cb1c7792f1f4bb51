//! dbmate (amacneil/dbmate, pkg/dbmate/db.go `FindMigrations`,
//! pkg/dbmate/migration.go `parseMigrationContents`).

use std::path::Path;

use super::{keep_lines, leading_digits, refuse_duplicates, Entry, Found, Migration};
use crate::error::{Error, Result};

/// dbmate: files matching `^(\d+).*\.sql$` (others ignored), the leading
/// digits as written being the version, applied in the order of their file
/// names as strings (`sort.Slice(... FileName < FileName)`, so `10_x.sql`
/// runs before `2_x.sql`).
pub fn dbmate(dir: &Path, entries: &[Entry]) -> Result<Vec<Migration>> {
    let mut items: Vec<(String, Found)> = Vec::new();
    for e in entries.iter().filter(|e| !e.is_dir) {
        let digits = leading_digits(&e.name);
        if digits.is_empty() || !e.name.ends_with(".sql") || e.name.len() < digits.len() + 4 {
            continue;
        }
        let description = e.name[digits.len()..e.name.len() - 4].trim_start_matches('_');
        let f = Found::versioned(digits.to_string(), description, e, e.name.clone());
        items.push((digits.to_string(), f));
    }
    // `entries` is in name order already.
    refuse_duplicates(
        dir,
        &items,
        "version",
        "and dbmate would fail on the second (its schema_migrations table keys on the version)",
    )?;
    items
        .into_iter()
        .map(|(_, f)| f.read_with(|path, text| dbmate_up(path, &text)))
        .collect()
}

/// Whether a line (from its start) is `-- migrate:<which>` as dbmate's
/// `(?m)^--\s*migrate:up(\s*$|\s+\S+)` has it: at the start of the line,
/// followed by white space or the end.
fn is_directive(line: &str, which: &str) -> bool {
    let Some(rest) = line.strip_prefix("--") else {
        return false;
    };
    let rest = rest.trim_start_matches([' ', '\t', '\r', '\x0c']);
    let Some(rest) = rest.strip_prefix("migrate:") else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(which) else {
        return false;
    };
    rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n', '\x0c'])
}

/// Whether `text` has a `-- migrate:up` directive (for detection).
pub fn has_up_marker(text: &str) -> bool {
    text.lines().any(|l| is_directive(l, "up"))
}

/// The up blocks of a dbmate migration: the file with every line outside
/// its `-- migrate:up` ... `-- migrate:down` blocks blanked. dbmate allows
/// several up/down pairs in one file and runs each up block in turn. The
/// errors dbmate stops with are errors here.
pub fn dbmate_up(path: &Path, text: &str) -> Result<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let err = |line: usize, reason: &str| Error::Migration {
        path: path.to_path_buf(),
        line: line + 1,
        reason: reason.to_string(),
    };
    let ups: Vec<usize> = (0..lines.len())
        .filter(|&i| is_directive(lines[i], "up"))
        .collect();
    let Some(&first) = ups.first() else {
        return Err(err(
            0,
            "no `-- migrate:up` line, which dbmate requires in every migration",
        ));
    };
    // statementsPrecedeMigrateBlocks: only empty and comment lines before it.
    if let Some(i) = (0..first).find(|&i| {
        let t = lines[i].trim();
        !t.is_empty() && !t.starts_with("--")
    }) {
        return Err(err(
            i,
            "a statement before the `-- migrate:up` line, which dbmate refuses",
        ));
    }
    let mut keep = vec![false; lines.len()];
    for (k, &start) in ups.iter().enumerate() {
        let end = ups.get(k + 1).copied().unwrap_or(lines.len());
        let downs: Vec<usize> = (start..end)
            .filter(|&i| is_directive(lines[i], "down"))
            .collect();
        match downs.as_slice() {
            [] => {
                return Err(err(start, "this `-- migrate:up` block has no `-- migrate:down` line after it, which dbmate requires"))
            }
            [down] => keep[start + 1..*down].iter_mut().for_each(|k| *k = true),
            [_, second, ..] => {
                return Err(err(*second, "a second `-- migrate:down` without a `-- migrate:up` before it, which dbmate refuses"))
            }
        }
    }
    Ok(keep_lines(text, |i| keep[i]))
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{discover, Format};
    use super::*;

    fn up(text: &str) -> std::result::Result<String, String> {
        dbmate_up(Path::new("m.sql"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn up_blocks_keep_their_lines() {
        let body = "-- a comment\n-- migrate:up transaction:false\ncreate table t (id int);\n\n-- migrate:down\ndrop table t;\n";
        assert_eq!(up(body).unwrap(), "\n\ncreate table t (id int);\n\n\n\n");
        let two = "-- migrate:up\nselect 1;\n-- migrate:down\nselect 2;\n-- migrate:up\nselect 3;\n-- migrate:down\n";
        assert_eq!(up(two).unwrap(), "\nselect 1;\n\n\n\nselect 3;\n\n");
        // Indented or glued markers are not markers.
        let odd = "-- migrate:up\n  -- migrate:down\n-- migrate:upgrade\n-- migrate:down\r\n";
        assert_eq!(
            up(odd).unwrap(),
            "\n  -- migrate:down\n-- migrate:upgrade\n\n"
        );
    }

    #[test]
    fn what_dbmate_refuses() {
        assert!(up("select 1;")
            .unwrap_err()
            .contains("m.sql:1: no `-- migrate:up`"));
        assert!(up("create type t;\n-- migrate:up\n-- migrate:down\n")
            .unwrap_err()
            .contains("m.sql:1: a statement before"));
        assert!(up("-- migrate:up\nselect 1;\n")
            .unwrap_err()
            .contains("no `-- migrate:down`"));
        assert!(up("-- migrate:up\n-- migrate:down\n-- migrate:down\n")
            .unwrap_err()
            .contains("m.sql:3: a second `-- migrate:down`"));
    }

    #[test]
    fn name_order_and_versions_as_written() {
        let m = "-- migrate:up\nselect 1;\n-- migrate:down\n";
        let d = folder(&[
            ("2_b.sql", m),
            ("10_c.sql", m),
            ("001.sql", m),
            // bionic-gpt has such a name: dbmate reads it like any other.
            ("3_perms copy.sql", m),
            ("schema.sql", "create table t ();"),
            ("README.md", ""),
        ]);
        let r = discover(d.path(), None).unwrap();
        assert_eq!(r.format, Format::Dbmate);
        assert_eq!(
            names(&r),
            ["001.sql", "10_c.sql", "2_b.sql", "3_perms copy.sql"]
        );
        assert_eq!(
            versions(&r),
            [Some("001"), Some("10"), Some("2"), Some("3")]
        );
        let d = folder(&[("1_a.sql", m), ("1_b.sql", m)]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(e.contains("1_a.sql and 1_b.sql (version 1)"), "{e}");
    }
}
