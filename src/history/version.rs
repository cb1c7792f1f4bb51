//! When a version in the folder and a version in the table are the same one,
//! and which comes first, as each tool decides it.

use std::cmp::Ordering;

use super::Tool;

/// A version as its tool compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Key {
    /// golang-migrate (`uint`), goose and sqlx (`int64`) parse the file name's digits:
    /// `0001` and `1` are one version.
    Int(i128),
    /// Flyway's `MigrationVersion`: numeric parts separated by `.` or `_`, compared part
    /// by part, missing parts as 0 (`1.0` is `1`); leading zeros dropped.
    Parts(Vec<String>),
    /// dbmate, diesel, Prisma and neo4j-migrations compare the strings.
    Text(String),
}

impl Key {
    pub(crate) fn new(tool: Tool, version: &str) -> Key {
        match tool {
            Tool::GolangMigrate | Tool::Goose | Tool::Sqlx => match version.trim().parse() {
                Ok(n) => Key::Int(n),
                Err(_) => Key::Text(version.to_string()),
            },
            Tool::Flyway => {
                let parts: Option<Vec<String>> = version
                    .split(['.', '_'])
                    .map(|p| {
                        (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())).then(|| {
                            let t = p.trim_start_matches('0');
                            if t.is_empty() { "0" } else { t }.to_string()
                        })
                    })
                    .collect();
                match parts {
                    Some(mut parts) => {
                        while parts.len() > 1 && parts.last().is_some_and(|p| p == "0") {
                            parts.pop();
                        }
                        Key::Parts(parts)
                    }
                    None => Key::Text(version.to_string()),
                }
            }
            Tool::Dbmate | Tool::Diesel | Tool::Prisma | Tool::Neo4jMigrations => {
                Key::Text(version.to_string())
            }
        }
    }
}

/// A folder's version as the tool writes it in its table: integers without leading zeros
/// (golang-migrate, goose and sqlx store numbers), Flyway's `_` as `.`.
pub(crate) fn as_recorded(tool: Tool, version: &str) -> String {
    match (Key::new(tool, version), tool) {
        (Key::Int(n), _) => n.to_string(),
        (_, Tool::Flyway) => version.replace('_', "."),
        _ => version.to_string(),
    }
}

fn cmp_digits(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Key::Int(a), Key::Int(b)) => a.cmp(b),
            (Key::Parts(a), Key::Parts(b)) => {
                for i in 0..a.len().max(b.len()) {
                    let x = a.get(i).map_or("0", String::as_str);
                    let y = b.get(i).map_or("0", String::as_str);
                    match cmp_digits(x, y) {
                        Ordering::Equal => {}
                        o => return o,
                    }
                }
                Ordering::Equal
            }
            (Key::Text(a), Key::Text(b)) => a.cmp(b),
            // Mixed kinds only for malformed versions: a fixed, arbitrary order.
            (a, b) => rank(a).cmp(&rank(b)),
        }
    }
}

fn rank(k: &Key) -> u8 {
    match k {
        Key::Int(_) => 0,
        Key::Parts(_) => 1,
        Key::Text(_) => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_versions_ignore_leading_zeros() {
        for tool in [Tool::GolangMigrate, Tool::Goose, Tool::Sqlx] {
            assert_eq!(Key::new(tool, "0001"), Key::new(tool, "1"));
            assert!(Key::new(tool, "9") < Key::new(tool, "10"));
            assert!(Key::new(tool, "20240102030405") > Key::new(tool, "99"));
        }
    }

    #[test]
    fn flyway_versions_compare_part_by_part() {
        let k = |v| Key::new(Tool::Flyway, v);
        assert_eq!(k("1.0"), k("1"));
        assert_eq!(k("1_1"), k("1.1"));
        assert_eq!(k("001.01"), k("1.1"));
        assert!(k("1.9") < k("1.10"));
        assert!(k("1.10") < k("2"));
        assert!(k("1.0.1") > k("1"));
        assert!(k("20240102030405") > k("3"));
    }

    #[test]
    fn versions_as_the_tools_write_them() {
        assert_eq!(as_recorded(Tool::GolangMigrate, "0001"), "1");
        assert_eq!(as_recorded(Tool::Sqlx, "20240102030405"), "20240102030405");
        assert_eq!(as_recorded(Tool::Flyway, "1_10"), "1.10");
        assert_eq!(as_recorded(Tool::Flyway, "001"), "001");
        assert_eq!(as_recorded(Tool::Dbmate, "001"), "001");
    }

    #[test]
    fn string_versions_match_exactly() {
        for tool in [Tool::Dbmate, Tool::Diesel, Tool::Prisma] {
            assert_ne!(Key::new(tool, "001"), Key::new(tool, "1"));
        }
        assert!(Key::new(Tool::Prisma, "20241231_x") > Key::new(Tool::Prisma, "202310122339_y"));
    }
}
