//! Splitting a migration file into statements with PostgreSQL's own parser
//! (libpg_query), keeping the line each statement starts on.
//!
//! A real parser, not a regex on `;`: dollar-quoted bodies, semicolons in
//! strings and comments, `BEGIN ATOMIC` function bodies and the like are
//! split exactly as PostgreSQL would.

use std::ffi::{c_char, c_int, CStr, CString};
use std::path::Path;

use crate::error::{Error, Result};
use crate::migrations::discover::Migration;

/// One statement of a migration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement text, leading comments and whitespace removed, without
    /// its terminating semicolon.
    pub sql: String,
    /// The 1-based line of the file on which the statement starts.
    pub line: usize,
}

/// Split a migration into statements. A file that does not parse is an
/// error naming the file and the line PostgreSQL's parser stopped at.
pub fn split(m: &Migration) -> Result<Vec<Statement>> {
    split_text(&m.path, &m.sql, m.first_line_offset)
}

/// Split `sql`, the text of `path` from line `first_line_offset + 1` on.
pub fn split_text(path: &Path, sql: &str, first_line_offset: usize) -> Result<Vec<Statement>> {
    let line_at = |at: usize| line_in(sql, first_line_offset, at);
    let ranges = split_ranges(sql).map_err(|e| match e {
        SplitError::Nul(at) => Error::Migration {
            path: path.to_path_buf(),
            line: line_at(at),
            reason: "the file contains a NUL byte".into(),
        },
        SplitError::Syntax { message, cursor } => Error::Migration {
            path: path.to_path_buf(),
            line: cursor
                .map(|c| line_at(char_to_byte(sql, c)))
                .unwrap_or(first_line_offset + 1),
            reason: message,
        },
    })?;
    let mut out = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        let start = skip_trivia(sql, start, end);
        if start >= end {
            continue;
        }
        out.push(Statement {
            sql: sql[start..end].to_string(),
            line: line_at(start),
        });
    }
    Ok(out)
}

/// The 1-based line of the file at byte `at` of `sql`, which starts after
/// `first_line_offset` lines of the file.
fn line_in(sql: &str, first_line_offset: usize, at: usize) -> usize {
    let at = at.min(sql.len());
    first_line_offset + 1 + sql.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count()
}

/// Byte offset of the 1-based character position `pos` (PostgreSQL's error
/// cursor counts characters), clamped to the text.
pub fn char_to_byte(text: &str, pos: usize) -> usize {
    text.char_indices()
        .nth(pos.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(text.len())
}

/// Skip whitespace and comments (`--` to end of line, nested `/* */`).
fn skip_trivia(s: &str, mut i: usize, end: usize) -> usize {
    let b = s.as_bytes();
    while i < end {
        if b[i].is_ascii_whitespace() {
            i += 1;
        } else if b[i..end].starts_with(b"--") {
            while i < end && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..end].starts_with(b"/*") {
            let mut depth = 0;
            while i < end {
                if b[i..end].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..end].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else {
            break;
        }
    }
    i
}

#[derive(Debug)]
enum SplitError {
    /// A NUL byte at this offset: C strings cannot carry it.
    Nul(usize),
    /// The parser's message and its 1-based character cursor, if any.
    Syntax {
        message: String,
        cursor: Option<usize>,
    },
}

// libpg_query's split entry point, declared here (with the same layout as
// its pg_query.h) because the pg_query crate's safe wrapper drops the error
// cursor, and without it a syntax error could only be placed on the file,
// not the line. The library itself is linked by the pg_query crate.
#[repr(C)]
struct PgQueryError {
    message: *mut c_char,
    funcname: *mut c_char,
    filename: *mut c_char,
    lineno: c_int,
    cursorpos: c_int,
    context: *mut c_char,
}

#[repr(C)]
struct PgQuerySplitStmt {
    stmt_location: c_int,
    stmt_len: c_int,
}

#[repr(C)]
struct PgQuerySplitResult {
    stmts: *mut *mut PgQuerySplitStmt,
    n_stmts: c_int,
    stderr_buffer: *mut c_char,
    error: *mut PgQueryError,
}

extern "C" {
    fn pg_query_split_with_parser(input: *const c_char) -> PgQuerySplitResult;
    fn pg_query_free_split_result(result: PgQuerySplitResult);
}

/// Byte ranges of the statements of `sql`, as PostgreSQL's parser splits them.
fn split_ranges(sql: &str) -> std::result::Result<Vec<(usize, usize)>, SplitError> {
    let input = CString::new(sql).map_err(|e| SplitError::Nul(e.nul_position()))?;
    // SAFETY: `input` is a valid NUL-terminated string that outlives the
    // call; the result is read according to pg_query.h and freed once.
    unsafe {
        let result = pg_query_split_with_parser(input.as_ptr());
        let out = if !result.error.is_null() {
            let err = &*result.error;
            let message = if err.message.is_null() {
                "syntax error".to_string()
            } else {
                CStr::from_ptr(err.message).to_string_lossy().into_owned()
            };
            let cursor = (err.cursorpos > 0).then_some(err.cursorpos as usize);
            Err(SplitError::Syntax { message, cursor })
        } else {
            let mut v = Vec::with_capacity(result.n_stmts.max(0) as usize);
            for i in 0..result.n_stmts.max(0) as usize {
                let st = &**result.stmts.add(i);
                let start = (st.stmt_location.max(0) as usize).min(sql.len());
                let end = (start + st.stmt_len.max(0) as usize).min(sql.len());
                v.push((start, end));
            }
            Ok(v)
        };
        pg_query_free_split_result(result);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn mig(sql: &str, offset: usize) -> Migration {
        Migration {
            version: Some("1".into()),
            description: "x".into(),
            kind: crate::migrations::discover::Kind::Versioned,
            path: PathBuf::from("db/V1__x.sql"),
            files: vec![PathBuf::from("db/V1__x.sql")],
            display_name: "V1__x.sql".into(),
            raw: sql.as_bytes().to_vec(),
            sql: sql.into(),
            first_line_offset: offset,
        }
    }

    fn stmts(sql: &str) -> Vec<(String, usize)> {
        split(&mig(sql, 0))
            .unwrap()
            .into_iter()
            .map(|s| (s.sql, s.line))
            .collect()
    }

    #[test]
    fn dollar_quoted_body_with_semicolons() {
        let sql = "create function f() returns int language plpgsql as $body$\nbegin\n  perform 1;\n  return 2;\nend\n$body$;\n\nselect f();\n";
        let s = stmts(sql);
        assert_eq!(s.len(), 2);
        assert!(
            s[0].0.starts_with("create function f()") && s[0].0.ends_with("$body$"),
            "{:?}",
            s[0]
        );
        assert_eq!(s[1], ("select f()".to_string(), 8));
    }

    #[test]
    fn semicolons_in_strings_and_comments() {
        let sql = "-- header; not a statement\ninsert into t values ('a;b', E'c\\';d');\n/* block; comment /* nested; */ */\nselect 'x;'\n;";
        let s = stmts(sql);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(
            s[0],
            ("insert into t values ('a;b', E'c\\';d')".to_string(), 2)
        );
        assert_eq!(s[1], ("select 'x;'\n".to_string(), 4));
    }

    #[test]
    fn transaction_blocks_are_separate_statements() {
        let s = stmts("BEGIN;\ncreate table a (id int);\nCOMMIT;\n");
        let texts: Vec<&str> = s.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(texts, ["BEGIN", "create table a (id int)", "COMMIT"]);
        assert_eq!(s.iter().map(|x| x.1).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn concurrently_and_add_value() {
        let s = stmts(
            "create index concurrently i on t (a);\nalter type mood add value 'meh' after 'ok';",
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].0, "create index concurrently i on t (a)");
        assert_eq!(
            s[1],
            ("alter type mood add value 'meh' after 'ok'".to_string(), 2)
        );
    }

    #[test]
    fn begin_atomic_body() {
        let sql = "create function g() returns int language sql\nbegin atomic\n  select 1;\n  select 2;\nend;\nselect 3;";
        let s = stmts(sql);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[1], ("select 3".to_string(), 6));
    }

    #[test]
    fn empty_and_comment_only_files() {
        assert!(stmts("").is_empty());
        assert!(stmts("-- nothing\n/* here */\n;;\n").is_empty());
    }

    #[test]
    fn line_offset_for_dbmate_sections() {
        let s = split(&mig("\ncreate table t (id int);", 5)).unwrap();
        assert_eq!(s[0].line, 7);
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let sql = "create table a (id int);\n-- é ü unicode before the error\ncreate table b (id int);\ncreate tabel c (id int);\n";
        let e = split(&mig(sql, 0)).unwrap_err().to_string();
        assert_eq!(e, "db/V1__x.sql:4: syntax error at or near \"tabel\"");
        let e = split(&mig("\n\nselect (1;", 10)).unwrap_err().to_string();
        assert!(e.starts_with("db/V1__x.sql:13: syntax error"), "{e}");
    }

    #[test]
    fn syntax_error_at_end_of_input() {
        let e = split(&mig("select 1;\ncreate table t (\n  id int,\n", 0))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("db/V1__x.sql:") && e.contains("syntax error at end of input"),
            "{e}"
        );
    }

    #[test]
    fn nul_byte_is_reported() {
        let e = split(&mig("select 1;\nselect '\0';", 0))
            .unwrap_err()
            .to_string();
        assert_eq!(e, "db/V1__x.sql:2: the file contains a NUL byte");
    }
}
