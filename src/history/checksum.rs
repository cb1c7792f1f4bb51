//! Each tool's own checksum of a migration file, reproduced from its source,
//! so that a file edited after it was applied is told from one that was not.
//!
//! golang-migrate, goose, dbmate and diesel keep no checksum.

use sha2::{Digest, Sha256, Sha384};

use super::{ClassifyOptions, Tool};

/// CRC-32 (IEEE 802.3, as `java.util.zip.CRC32`), fed in pieces.
#[derive(Debug, Clone)]
pub struct Crc32(u32);

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

impl Default for Crc32 {
    fn default() -> Self {
        Crc32(0xFFFF_FFFF)
    }
}

impl Crc32 {
    /// Feed more bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        let mut c = self.0;
        for &b in bytes {
            c = CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
        }
        self.0 = c;
    }

    /// The checksum of everything fed so far.
    pub fn value(&self) -> u32 {
        self.0 ^ 0xFFFF_FFFF
    }
}

/// The lines of `text` as `java.io.BufferedReader::readLine` returns them: split at
/// `\n`, `\r` or `\r\n`, terminators dropped, no empty last line for a final terminator.
fn java_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(&text[start..i]);
                i += 1;
                start = i;
            }
            b'\r' => {
                lines.push(&text[start..i]);
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < bytes.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// Flyway's checksum (`ChecksumCalculator`): the file read as UTF-8 text (malformed bytes
/// become U+FFFD, as Java's decoder makes them), a byte-order mark dropped from the first
/// line, then a CRC-32 over each line's UTF-8 bytes without its line ending; stored as a
/// signed 32-bit integer. So it ignores line endings and a BOM, and nothing else.
pub fn flyway(bytes: &[u8]) -> i32 {
    let text = String::from_utf8_lossy(bytes);
    let mut crc = Crc32::default();
    for (i, line) in java_lines(&text).into_iter().enumerate() {
        let line = if i == 0 {
            line.strip_prefix('\u{feff}').unwrap_or(line)
        } else {
            line
        };
        crc.update(line.as_bytes());
    }
    crc.value() as i32
}

/// sqlx's checksum (`sqlx-core` `migrate/source.rs`): the SHA-384 of the file's text as read,
/// byte for byte (a BOM and CRLFs included), or of the text with the characters of
/// `sqlx.toml`'s `migrate.ignored-chars` removed when there are any. In lowercase hex, as
/// `encode(checksum, 'hex')` prints the `bytea` column. `None` when the file is not UTF-8
/// (sqlx refuses to read it).
pub fn sqlx(bytes: &[u8], ignored_chars: &[char]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let digest = if ignored_chars.is_empty() {
        Sha384::digest(text.as_bytes())
    } else {
        let mut h = Sha384::new();
        for fragment in text.split(|c| ignored_chars.contains(&c)) {
            h.update(fragment.as_bytes());
        }
        h.finalize()
    };
    Some(hex::encode(digest))
}

fn sha256_bytes(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// Prisma's checksum (`schema-connector` `checksum.rs`): the SHA-256 of `migration.sql`'s
/// text in lowercase hex, two digits per byte. `None` when the file is not UTF-8.
pub fn prisma(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    Some(hex::encode(sha256_bytes(text)))
}

/// Whether `migration.sql` matches a recorded Prisma checksum as Prisma decides it
/// (`script_matches_checksum`): the file as it is, with CRLF turned to LF, or with LF
/// turned to CRLF (git may have changed them); and, for the checksums an early engine
/// wrote without zero-padding (any length other than 64), each byte in hex unpadded.
pub fn prisma_matches(bytes: &[u8], recorded: &str) -> bool {
    matches(Tool::Prisma, recorded, &prisma_accepted(bytes))
}

/// The checksums of the three texts [`prisma_matches`] tries, in its order, without
/// repeats.
fn prisma_accepted(bytes: &[u8]) -> Vec<String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for v in [
        text.to_string(),
        text.replace("\r\n", "\n"),
        text.replace('\n', "\r\n"),
    ] {
        let sum = hex::encode(sha256_bytes(&v));
        if !out.contains(&sum) {
            out.push(sum);
        }
    }
    out
}

/// The checksums `tool` accepts for a file, as its table stores them, the one it
/// records first: Flyway's CRC32, sqlx's SHA-384 (of the text without `sqlx.toml`'s
/// ignored characters), Prisma's SHA-256 of the file as it is and with its line
/// endings changed (see [`prisma_matches`]), neo4j-migrations' in the mode it was
/// told, else in each of its modes. Empty for the tools that record none, and for a
/// file the tool refuses to read.
pub fn accepted(tool: Tool, bytes: &[u8], opts: &ClassifyOptions) -> Vec<String> {
    match tool {
        Tool::Flyway => vec![flyway(bytes).to_string()],
        Tool::Sqlx => sqlx(bytes, &opts.sqlx_ignored_chars).into_iter().collect(),
        Tool::Prisma => prisma_accepted(bytes),
        Tool::Neo4jMigrations => {
            let modes: Vec<Neo4jChecksumMode> = match opts.neo4j_mode {
                Some(m) => vec![m],
                None => [(false, false), (false, true), (true, false)]
                    .into_iter()
                    .map(|(flyway_compatible, autocrlf)| Neo4jChecksumMode {
                        flyway_compatible,
                        autocrlf,
                    })
                    .collect(),
            };
            let mut out: Vec<String> = Vec::new();
            for sum in modes.into_iter().filter_map(|m| neo4j_migrations(bytes, m)) {
                if !out.contains(&sum) {
                    out.push(sum);
                }
            }
            out
        }
        Tool::GolangMigrate | Tool::Goose | Tool::Dbmate | Tool::Diesel => Vec::new(),
    }
}

/// Whether the checksum a history table records is one of `accepted` (see
/// [`accepted`]), compared as the tool compares them: sqlx's hex in any case, a
/// Prisma checksum of any length but 64 with each byte in hex unpadded.
pub fn matches(tool: Tool, recorded: &str, accepted: &[String]) -> bool {
    accepted.iter().any(|c| match tool {
        Tool::Prisma if !recorded.is_empty() && recorded.len() != 64 => {
            hex::decode(c).is_ok_and(|digest| {
                digest.iter().map(|b| format!("{b:x}")).collect::<String>() == recorded
            })
        }
        Tool::Prisma => c == recorded,
        Tool::Sqlx => c.eq_ignore_ascii_case(recorded.trim()),
        _ => c == recorded.trim(),
    })
}

/// How neo4j-migrations was configured to checksum its scripts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Neo4jChecksumMode {
    /// `--use-flyway-compatible-checksums`: Flyway's algorithm, as a signed integer.
    pub flyway_compatible: bool,
    /// `--autocrlf`: CRLF turned to LF in each statement first.
    pub autocrlf: bool,
}

/// neo4j-migrations' checksum of a `.cypher` file (`DefaultCypherResource`). By default a
/// CRC-32 over the UTF-8 bytes of each statement, in order, as an unsigned decimal string:
/// statements are the text between `;` + line break, each trimmed (Java's `trim`: every
/// character up to U+0020), a final `;` dropped, empty ones skipped, and a `:use db` line split
/// out as its own statement, put before the rest of its statement. Comments count. With
/// `flyway_compatible`, Flyway's algorithm as a signed decimal string. `None` when
/// neo4j-migrations itself refuses the file (two `:use` in one multi-line statement).
pub fn neo4j_migrations(bytes: &[u8], mode: Neo4jChecksumMode) -> Option<String> {
    if mode.flyway_compatible {
        return Some(flyway(bytes).to_string());
    }
    let text = String::from_utf8_lossy(bytes);
    let mut crc = Crc32::default();
    for statement in neo4j_statements(&text, mode.autocrlf)? {
        crc.update(statement.as_bytes());
    }
    Some(crc.value().to_string())
}

/// Java's `String.trim()`.
fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// The tokens of a `java.util.Scanner` with the delimiter `;(?:\r?\n|\r)`.
fn split_cypher(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] == b';' {
            let end = match (bytes.get(i + 1), bytes.get(i + 2)) {
                (Some(b'\r'), Some(b'\n')) => Some(i + 3),
                (Some(b'\n'), _) | (Some(b'\r'), _) => Some(i + 2),
                _ => None,
            };
            if let Some(end) = end {
                parts.push(&text[start..i]);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    parts.push(&text[start..]);
    parts
}

/// Where the pattern `(?i):use +([a-z][a-z\d.\-]{2,62})(?:;?(?:\r?\n|\r)?)?` matches at
/// `at`, and the end of the match.
fn use_match_at(s: &[u8], at: usize) -> Option<usize> {
    let rest = &s[at..];
    if rest.len() < 4 || !rest[..4].eq_ignore_ascii_case(b":use") {
        return None;
    }
    let mut i = at + 4;
    let spaces = s[i..].iter().take_while(|&&b| b == b' ').count();
    if spaces == 0 {
        return None;
    }
    i += spaces;
    if !s.get(i).is_some_and(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let name_rest = s[i + 1..]
        .iter()
        .take(62)
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        .count();
    if name_rest < 2 {
        return None;
    }
    i += 1 + name_rest;
    if s.get(i) == Some(&b';') {
        i += 1;
    }
    match (s.get(i), s.get(i + 1)) {
        (Some(b'\r'), Some(b'\n')) => i += 2,
        (Some(b'\n'), _) | (Some(b'\r'), _) => i += 1,
        _ => {}
    }
    Some(i)
}

/// neo4j-migrations' statements of a script (`DefaultCypherResource.readStatements`).
fn neo4j_statements(text: &str, autocrlf: bool) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for token in split_cypher(text) {
        let trimmed = java_trim(token);
        let trimmed = java_trim(trimmed.strip_suffix(';').unwrap_or(trimmed));
        let statement = if autocrlf {
            trimmed.replace("\r\n", "\n")
        } else {
            trimmed.to_string()
        };
        if statement.is_empty() {
            continue;
        }
        let multi_line = statement.contains('\n');
        let s = statement.as_bytes();
        let mut rest = String::new();
        let (mut tail, mut uses, mut i) = (0, 0, 0);
        while i < s.len() {
            match use_match_at(s, i) {
                Some(end) => {
                    uses += 1;
                    if uses > 1 && multi_line {
                        return None;
                    }
                    rest.push_str(&statement[tail..i]);
                    out.push(java_trim(&statement[i..end]).to_string());
                    tail = end;
                    // An empty match cannot happen: the next search starts after this one.
                    i = end;
                }
                None => i += 1,
            }
        }
        rest.push_str(&statement[tail..]);
        if !rest.is_empty() {
            out.push(rest);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        let mut c = Crc32::default();
        c.update(b"123456789");
        assert_eq!(c.value(), 0xCBF4_3926);
    }

    #[test]
    fn flyway_ignores_line_endings_and_a_bom_but_not_blank_lines() {
        let lf = flyway(b"CREATE TABLE a (id int);\nSELECT 1;\n");
        assert_eq!(lf, flyway(b"CREATE TABLE a (id int);\r\nSELECT 1;\r\n"));
        assert_eq!(lf, flyway(b"CREATE TABLE a (id int);\rSELECT 1;"));
        assert_eq!(
            lf,
            flyway("\u{feff}CREATE TABLE a (id int);\nSELECT 1;\n".as_bytes())
        );
        // Lines are concatenated without separators: where the line breaks fall does not
        // matter, but any other character does.
        assert_eq!(lf, flyway(b"CREATE TABLE a (id int);SELECT 1;"));
        assert_ne!(lf, flyway(b"CREATE TABLE a (id int); SELECT 1;"));
        assert_ne!(lf, flyway(b"CREATE TABLE a (id bigint);\nSELECT 1;\n"));
        // The CRC-32 of the concatenated lines, as a signed integer.
        let mut c = Crc32::default();
        c.update(b"CREATE TABLE a (id int);SELECT 1;");
        assert_eq!(lf, c.value() as i32);
        assert_eq!(flyway(b""), 0);
    }

    #[test]
    fn java_lines_split_like_buffered_reader() {
        assert_eq!(java_lines("a\n\nb"), ["a", "", "b"]);
        assert_eq!(java_lines("a\r\r\nb\n"), ["a", "", "b"]);
        assert_eq!(java_lines("\n"), [""]);
        assert!(java_lines("").is_empty());
    }

    #[test]
    fn sqlx_is_sha384_of_the_exact_bytes() {
        let sql = b"CREATE TABLE t (id bigint);\n";
        let sum = sqlx(sql, &[]).unwrap();
        assert_eq!(sum.len(), 96);
        assert_eq!(sum, hex::encode(Sha384::digest(sql)));
        assert_ne!(sum, sqlx(b"CREATE TABLE t (id bigint);\r\n", &[]).unwrap());
        // SHA-384("abc"), FIPS 180-2's example.
        assert_eq!(
            sqlx(b"abc", &[]).unwrap(),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed\
             8086072ba1e7cc2358baeca134c825a7"
        );
        assert_eq!(sqlx(b"\xff", &[]), None);
    }

    #[test]
    fn sqlx_ignored_chars_are_left_out() {
        let ignored = [' ', '\t', '\r', '\n', '\u{feff}'];
        let a = sqlx(
            "\u{feff}create table t (\r\n\tid int\r\n);\r\n".as_bytes(),
            &ignored,
        );
        assert_eq!(a, sqlx(b"createtablet(idint);", &[]));
        assert_eq!(a, sqlx(b"create table t (\n  id int\n);\n", &ignored));
    }

    #[test]
    fn prisma_is_zero_padded_sha256_hex_and_line_ending_agnostic() {
        // Prisma's own test value.
        assert_eq!(
            prisma(b"hello").unwrap(),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
        for (a, b) in [
            ("ab\ncd\nef\ngh\rab", "ab\r\ncd\r\nef\r\ngh\rab"),
            ("ab\ncd\n", "ab\r\ncd\r\n"),
        ] {
            assert!(prisma_matches(a.as_bytes(), &prisma(b.as_bytes()).unwrap()));
            assert!(prisma_matches(b.as_bytes(), &prisma(a.as_bytes()).unwrap()));
        }
        assert!(!prisma_matches(b"abc", &prisma(b"abcd").unwrap()));
        assert!(!prisma_matches(b"abc\n", &prisma(b"abc").unwrap()));
        // An early engine's unpadded checksum still matches.
        let unpadded: String = Sha256::digest(b"hello")
            .iter()
            .map(|b| format!("{b:x}"))
            .collect();
        assert_ne!(unpadded.len(), 64);
        assert!(prisma_matches(b"hello", &unpadded));
    }

    #[test]
    fn neo4j_statements_split_trim_and_drop_the_final_semicolon() {
        let text = "// create\nCREATE CONSTRAINT a FOR (n:A) REQUIRE n.id IS UNIQUE;\n\n  MATCH (n) RETURN n ;\r\nRETURN 1;";
        let got = neo4j_statements(text, false).unwrap();
        assert_eq!(
            got,
            [
                "// create\nCREATE CONSTRAINT a FOR (n:A) REQUIRE n.id IS UNIQUE",
                "MATCH (n) RETURN n",
                "RETURN 1"
            ]
        );
        let mut c = Crc32::default();
        for s in &got {
            c.update(s.as_bytes());
        }
        assert_eq!(
            neo4j_migrations(text.as_bytes(), Neo4jChecksumMode::default()).unwrap(),
            c.value().to_string()
        );
        // A `;` inside a line does not split.
        assert_eq!(
            neo4j_statements("RETURN ';' AS x;\n", false).unwrap(),
            ["RETURN ';' AS x"]
        );
        // Blank statements are skipped; whitespace between statements does not count.
        assert_eq!(
            neo4j_migrations(b"RETURN 1;\n;\n\nRETURN 2;\n", Default::default()),
            neo4j_migrations(b"RETURN 1;\nRETURN 2;", Default::default())
        );
    }

    #[test]
    fn neo4j_use_statements_are_split_out_first() {
        assert_eq!(
            neo4j_statements(":use movies\nCREATE (n:Movie)", false).unwrap(),
            [":use movies", "CREATE (n:Movie)"]
        );
        assert_eq!(
            neo4j_statements("CREATE (n) :USE other RETURN n", false).unwrap(),
            [":USE other", "CREATE (n)  RETURN n"]
        );
        // Too short for a database name: not a `:use`.
        assert_eq!(
            neo4j_statements(":use ab\nRETURN 1", false).unwrap(),
            [":use ab\nRETURN 1"]
        );
        assert_eq!(
            neo4j_statements(":use one\n:use two\nRETURN 1", false),
            None
        );
    }

    #[test]
    fn neo4j_autocrlf_and_flyway_mode() {
        let crlf = b"MATCH (n)\r\nRETURN n;\r\n";
        let lf = b"MATCH (n)\nRETURN n;\n";
        let auto = Neo4jChecksumMode {
            autocrlf: true,
            ..Default::default()
        };
        assert_ne!(
            neo4j_migrations(crlf, Default::default()),
            neo4j_migrations(lf, Default::default())
        );
        assert_eq!(neo4j_migrations(crlf, auto), neo4j_migrations(lf, auto));
        let fw = Neo4jChecksumMode {
            flyway_compatible: true,
            ..Default::default()
        };
        assert_eq!(neo4j_migrations(lf, fw).unwrap(), flyway(lf).to_string());
    }
}
