//! goose (pressly/goose): `<version>_<name>.sql` files with `-- +goose Up`
//! and `-- +goose Down` sections, read as goose's command line reads them
//! (migrate.go `collectMigrationsFS`, migration.go `NumericComponent`,
//! internal/sqlparser/parser.go `ParseSQLMigration`).

use std::path::Path;

use super::{folder_error, keep_lines, refuse_duplicates, sort_by_key, Entry, Found, Migration};
use crate::error::{Error, Result};

/// goose's `NumericComponent`: the part before the first `_` as an `int64`
/// of at least 1.
fn numeric_component(name: &str) -> std::result::Result<i64, &'static str> {
    let (before, _) = name
        .split_once('_')
        .ok_or("no `_` separates the version from the name")?;
    let n = go_parse_int(before).ok_or("the part before the first `_` is not an integer")?;
    if n < 1 {
        return Err("the version must be greater than zero");
    }
    Ok(n)
}

/// Go's `strconv.ParseInt(s, 10, 64)`: an optional sign, then decimal digits.
fn go_parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

/// goose: every `*.sql` file must be named `<version>_<name>.sql` (goose's
/// command line stops at any other), ordered by version, no version twice;
/// a numbered `.go` file is a Go migration, which only its own program runs.
pub fn goose(dir: &Path, entries: &[Entry]) -> Result<Vec<Migration>> {
    let mut items: Vec<(i64, Found)> = Vec::new();
    for e in entries.iter().filter(|e| !e.is_dir) {
        let name = e.name.as_str();
        if name.ends_with(".go") && !name.ends_with("_test.go") {
            if numeric_component(name).is_ok() {
                return Err(folder_error(
                    dir,
                    format!("{name} is a goose Go migration: only the program that registers it can run it, so this folder cannot be replayed (convert it to SQL, or build the expected schema from a database migrated by that program)"),
                ));
            }
            continue;
        }
        if !name.ends_with(".sql") {
            continue;
        }
        let version = numeric_component(name).map_err(|why| {
            folder_error(
                dir,
                format!("{name} is not a goose migration name ({why}); goose reads every .sql file here as <version>_<name>.sql"),
            )
        })?;
        let description = name
            .split_once('_')
            .map(|(_, d)| d.trim_end_matches(".sql"))
            .unwrap_or("");
        let f = Found::versioned(version.to_string(), description, e, name.to_string());
        items.push((version, f));
    }
    sort_by_key(&mut items);
    refuse_duplicates(dir, &items, "version", "which goose refuses")?;
    items
        .into_iter()
        .map(|(_, f)| f.read_with(|path, text| goose_up(path, &text)))
        .collect()
}

/// Whether `text` has a `-- +goose Up` annotation (for detection).
pub fn has_up_annotation(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_end_matches('\r');
        l.trim().starts_with("--")
            && l.contains("+goose")
            && matches!(extract_annotation(l), Ok(Annotation::Up))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Annotation {
    Up,
    Down,
    StatementBegin,
    StatementEnd,
    NoTransaction,
    EnvsubOn,
    EnvsubOff,
}

/// parser.go `extractAnnotation`: no leading white space; every `--` and
/// the first `+goose` removed; the rest, trimmed, one of the annotations
/// without regard to case.
fn extract_annotation(line: &str) -> std::result::Result<Annotation, String> {
    if line.starts_with(' ') || line.starts_with('\t') {
        return Err(format!(
            "the annotation line {line:?} starts with white space, which goose refuses"
        ));
    }
    let cmd = line.replace("--", "").replacen("+goose", "", 1);
    if cmd.contains("+goose") {
        return Err(format!(
            "{line:?} holds more than one `+goose`, which goose refuses"
        ));
    }
    let cmd = cmd.trim();
    if cmd.is_empty() {
        return Err(format!("{line:?} is an empty goose annotation"));
    }
    const ALL: [(&str, Annotation); 7] = [
        ("Up", Annotation::Up),
        ("Down", Annotation::Down),
        ("StatementBegin", Annotation::StatementBegin),
        ("StatementEnd", Annotation::StatementEnd),
        ("NO TRANSACTION", Annotation::NoTransaction),
        ("ENVSUB ON", Annotation::EnvsubOn),
        ("ENVSUB OFF", Annotation::EnvsubOff),
    ];
    ALL.iter()
        .find(|(s, _)| s.eq_ignore_ascii_case(cmd))
        .map(|(_, a)| *a)
        .ok_or_else(|| format!("`{cmd}` is not a goose annotation (Up, Down, StatementBegin, StatementEnd, NO TRANSACTION, ENVSUB ON, ENVSUB OFF)"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Up,
    BeginUp,
    EndUp,
    Down,
    BeginDown,
    EndDown,
}

/// parser.go `endsWithSemicolon`: the last white-space separated word
/// before any word starting with `--` ends in `;`.
fn ends_with_semicolon(line: &str) -> bool {
    let mut prev = "";
    for word in line.split_whitespace() {
        if word.starts_with("--") {
            break;
        }
        prev = word;
    }
    prev.ends_with(';')
}

/// The up direction of a goose migration, as goose's parser reads it: the
/// file with every line that goose does not send in the up direction blanked
/// (annotations, the down section, comments between statements), and
/// `ENVSUB ON` lines expanded from the environment as goose expands them.
/// The errors goose stops with are errors here, at their line.
pub fn goose_up(path: &Path, text: &str) -> Result<String> {
    let env = |k: &str| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned());
    goose_up_with(path, text, &env)
}

fn goose_up_with(path: &Path, text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<String> {
    let err = |line: usize, reason: String| Error::Migration {
        path: path.to_path_buf(),
        line: line + 1,
        reason,
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut keep = vec![false; lines.len()];
    let mut replaced: Vec<Option<String>> = vec![None; lines.len()];
    let mut state = State::Start;
    let mut envsub = false;
    // The lines of the statement being read (goose's `buf`), and whether it
    // has any text yet.
    let mut buf: Vec<usize> = Vec::new();
    let mut buf_text = String::new();
    let mut last = 0;
    for (i, raw) in lines.iter().enumerate() {
        last = i;
        // bufio.Scanner drops the line end, `\r\n` included.
        let line = raw.trim_end_matches('\n').trim_end_matches('\r');
        if state == State::Start && line.trim().is_empty() {
            continue;
        }
        if line.trim().starts_with("--") && line.contains("+goose") {
            let a = extract_annotation(line).map_err(|e| err(i, e))?;
            match a {
                Annotation::Up => {
                    if state != State::Start {
                        return Err(err(
                            i,
                            "a second `-- +goose Up` annotation, which goose refuses".into(),
                        ));
                    }
                    state = State::Up;
                    continue;
                }
                Annotation::Down => {
                    if !matches!(state, State::Up | State::EndUp) {
                        return Err(err(i, "`-- +goose Down` must follow a `-- +goose Up` section (goose refuses this file)".into()));
                    }
                    if !buf_text.trim().is_empty() {
                        return Err(missing_semicolon(path, &buf, &lines));
                    }
                    state = State::Down;
                    continue;
                }
                Annotation::StatementBegin => {
                    state = match state {
                        State::Up | State::EndUp => State::BeginUp,
                        State::Down | State::EndDown => State::BeginDown,
                        _ => return Err(err(i, "`-- +goose StatementBegin` must come after `-- +goose Up` or `-- +goose Down`, outside another StatementBegin (goose refuses this file)".into())),
                    };
                    continue;
                }
                Annotation::StatementEnd => {
                    // No `continue`: the line goes on through the state machine.
                    state = match state {
                        State::BeginUp => State::EndUp,
                        State::BeginDown => State::EndDown,
                        _ => return Err(err(i, "`-- +goose StatementEnd` without a `-- +goose StatementBegin` before it (goose refuses this file)".into())),
                    };
                }
                Annotation::NoTransaction => continue,
                Annotation::EnvsubOn => {
                    envsub = true;
                    continue;
                }
                Annotation::EnvsubOff => {
                    envsub = false;
                    continue;
                }
            }
        }
        // Comments and empty lines before a statement are not part of it.
        if buf_text.is_empty() && (line.trim().starts_with("--") || line.is_empty()) {
            continue;
        }
        if !matches!(state, State::EndUp | State::EndDown) {
            let mut l = line.to_string();
            if envsub {
                l = expand(line, env).map_err(|e| {
                    err(
                        i,
                        format!("goose's variable substitution (ENVSUB ON) failed: {e}"),
                    )
                })?;
                if l != line {
                    replaced[i] = Some(format!("{l}{}", &raw[line.len()..]));
                }
            }
            buf.push(i);
            buf_text.push_str(&l);
            buf_text.push('\n');
        }
        match state {
            State::Up | State::BeginUp | State::EndUp => {}
            State::Down | State::BeginDown | State::EndDown => {
                buf.clear();
                buf_text.clear();
                continue;
            }
            State::Start => {
                return Err(err(
                    i,
                    "SQL before the `-- +goose Up` annotation, which goose refuses".into(),
                ))
            }
        }
        let end = match state {
            State::Up => ends_with_semicolon(line),
            State::EndUp => {
                state = State::Up;
                true
            }
            _ => false,
        };
        if end {
            for &j in &buf {
                keep[j] = true;
            }
            buf.clear();
            buf_text.clear();
        }
    }
    match state {
        State::Start => {
            return Err(err(
                last,
                "no `-- +goose Up` annotation, which every goose migration starts with".into(),
            ))
        }
        State::BeginUp | State::BeginDown => {
            return Err(err(
                last,
                "a `-- +goose StatementBegin` without its `-- +goose StatementEnd`".into(),
            ))
        }
        _ => {}
    }
    if !buf_text.trim().is_empty() {
        return Err(missing_semicolon(path, &buf, &lines));
    }
    let kept = keep_lines(text, |i| keep[i]);
    if replaced.iter().all(Option::is_none) {
        return Ok(kept);
    }
    // Put the expanded lines in place of the kept originals.
    let mut out = String::with_capacity(kept.len());
    for (i, line) in kept.split_inclusive('\n').enumerate() {
        match replaced.get(i).and_then(Option::as_ref) {
            Some(r) if keep[i] => out.push_str(r),
            _ => out.push_str(line),
        }
    }
    Ok(out)
}

fn missing_semicolon(path: &Path, buf: &[usize], lines: &[&str]) -> Error {
    let first = buf.first().copied().unwrap_or(0);
    let text = lines.get(first).map(|l| l.trim()).unwrap_or("");
    Error::Migration {
        path: path.to_path_buf(),
        line: first + 1,
        reason: format!("the statement starting `{text}` does not end with a `;` at the end of a line, so goose never sends it (missing semicolon?)"),
    }
}

// ---------------------------------------------------------------------------
// ENVSUB: github.com/mfridman/interpolate (parser.go), as goose uses it.

enum Item {
    Text(String),
    Var(String),
    /// `${X:-default}`: the default when X is unset or empty.
    EmptyDefault(String, Vec<Item>),
    /// `${X-default}`: the default when X is unset.
    UnsetDefault(String, Vec<Item>),
    /// `${X:offset}` / `${X:offset:length}`.
    Substring(String, i64, Option<i64>),
    /// `${X?message}`: an error when X is unset.
    Required(String, Vec<Item>),
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }
    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }
    fn rest(&self) -> &str {
        &self.s[self.pos..]
    }
    fn scan_until(&mut self, stop: impl Fn(char) -> bool) -> String {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if stop(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
        self.s[start..self.pos].to_string()
    }

    fn expression(&mut self, stop: Option<char>) -> std::result::Result<Vec<Item>, String> {
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                break;
            }
            if self.rest().starts_with("\\\\") {
                self.pos += 2;
                out.push(Item::Text("\\\\".into()));
                continue;
            }
            if self.rest().starts_with("\\$") || self.rest().starts_with("$$") {
                self.pos += 2;
                out.push(Item::Text("$".into()));
                continue;
            }
            if self.rest().starts_with("$(") {
                self.pos += 2;
                out.push(Item::Text("$(".into()));
                continue;
            }
            if c == '$' && self.pos < self.s.len() - 1 {
                out.push(self.expansion()?);
                continue;
            }
            let c = self.next().expect("peeked");
            let text = self.scan_until(|r| r == '$' || r == '\\' || Some(r) == stop);
            out.push(Item::Text(format!("{c}{text}")));
        }
        Ok(out)
    }

    fn identifier(&mut self) -> std::result::Result<String, String> {
        match self.peek() {
            Some(c) if c.is_alphabetic() => {}
            c => {
                return Err(format!(
                    "expected a variable name to start with a letter, got {}",
                    c.map(|c| format!("`{c}`"))
                        .unwrap_or_else(|| "the end of the line".into())
                ))
            }
        }
        Ok(self.scan_until(|r| !r.is_alphabetic() && !r.is_numeric() && r != '_'))
    }

    fn expansion(&mut self) -> std::result::Result<Item, String> {
        self.next(); // `$`
        if self.peek() != Some('{') {
            return Ok(Item::Var(self.identifier()?));
        }
        self.next();
        let id = self.identifier()?;
        if self.peek() == Some('}') {
            self.next();
            return Ok(Item::Var(id));
        }
        let item = match self.next() {
            Some(':') if self.peek() == Some('-') => {
                self.next();
                Item::EmptyDefault(id, self.expression(Some('}'))?)
            }
            Some(':') => {
                let off = self.scan_until(|r| r == ':' || r == '}');
                let off: i64 = off
                    .trim()
                    .parse()
                    .map_err(|_| format!("cannot read the offset `{off}`"))?;
                let len = if self.peek() == Some('}') {
                    None
                } else {
                    self.next();
                    let l = self.scan_until(|r| r == '}');
                    Some(
                        l.trim()
                            .parse::<i64>()
                            .map_err(|_| format!("cannot read the length `{l}`"))?,
                    )
                };
                Item::Substring(id, off, len)
            }
            Some('-') => Item::UnsetDefault(id, self.expression(Some('}'))?),
            Some('?') => Item::Required(id, self.expression(Some('}'))?),
            c => return Err(format!("expected an operator after `${{{id}`, got {c:?}")),
        };
        match self.next() {
            Some('}') => Ok(item),
            c => Err(format!(
                "expected `}}` to close `${{{}`, got {c:?}",
                name_of(&item)
            )),
        }
    }
}

fn name_of(i: &Item) -> &str {
    match i {
        Item::Text(t) => t,
        Item::Var(n)
        | Item::EmptyDefault(n, _)
        | Item::UnsetDefault(n, _)
        | Item::Substring(n, _, _)
        | Item::Required(n, _) => n,
    }
}

fn eval(
    items: &[Item],
    env: &dyn Fn(&str) -> Option<String>,
) -> std::result::Result<String, String> {
    let mut out = String::new();
    for it in items {
        match it {
            Item::Text(t) => out.push_str(t),
            Item::Var(n) => out.push_str(&env(n).unwrap_or_default()),
            Item::EmptyDefault(n, d) => match env(n) {
                Some(v) if !v.is_empty() => out.push_str(&v),
                _ => out.push_str(&eval(d, env)?),
            },
            Item::UnsetDefault(n, d) => match env(n) {
                Some(v) => out.push_str(&v),
                None => out.push_str(&eval(d, env)?),
            },
            Item::Substring(n, off, len) => {
                let v: Vec<char> = env(n).unwrap_or_default().chars().collect();
                let total = v.len() as i64;
                let mut from = *off;
                if from < 0 {
                    from += total;
                }
                let from = from.clamp(0, total);
                let to = match len {
                    None => total,
                    Some(l) if *l >= 0 => (from + l).min(total),
                    Some(l) => (total + l).max(from).min(total),
                };
                out.extend(&v[from as usize..to as usize]);
            }
            Item::Required(n, msg) => match env(n) {
                Some(v) => out.push_str(&v),
                None => {
                    let m = eval(msg, env)?;
                    let m = if m.is_empty() {
                        "not set".to_string()
                    } else {
                        m
                    };
                    return Err(format!("${n}: {m}"));
                }
            },
        }
    }
    Ok(out)
}

/// Expand `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:o:l}`, `${X?m}` in one line.
fn expand(line: &str, env: &dyn Fn(&str) -> Option<String>) -> std::result::Result<String, String> {
    let mut p = Parser { s: line, pos: 0 };
    let items = p.expression(None)?;
    eval(&items, env)
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{discover, Format};
    use super::*;

    fn up(text: &str) -> String {
        goose_up_with(Path::new("m.sql"), text, &|k| match k {
            "SCHEMA" => Some("app".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        })
        .unwrap()
    }

    fn up_err(text: &str) -> String {
        goose_up_with(Path::new("m.sql"), text, &|_| None)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn up_section_with_statement_blocks_keeps_line_numbers() {
        let text = "-- a header comment\n\
-- +goose Up\n\
-- +goose NO TRANSACTION\n\
create table t (id int);\n\
\n\
-- +goose StatementBegin\n\
create function f() returns int language plpgsql as $$\n\
begin\n\
  return 1;\n\
end;\n\
$$;\n\
-- +goose StatementEnd\n\
create index concurrently t_i on t (id); -- trailing comment\n\
\n\
-- +goose Down\n\
drop table t;\n";
        let got = up(text);
        let lines: Vec<&str> = got.split('\n').collect();
        assert_eq!(lines[3], "create table t (id int);");
        assert_eq!(
            lines[6],
            "create function f() returns int language plpgsql as $$"
        );
        assert_eq!(lines[10], "$$;");
        assert_eq!(lines[11], "", "the StatementEnd line is not sent");
        assert!(lines[12].starts_with("create index concurrently"));
        assert!(!got.contains("drop table"), "{got}");
        assert!(!got.contains("+goose"), "{got}");
        assert_eq!(got.matches('\n').count(), text.matches('\n').count());
    }

    #[test]
    fn annotations_are_case_insensitive_and_crlf_is_fine() {
        let got = up("--  +goose up\r\nselect 1;\r\n--+goose DOWN\r\nselect 2;\r\n");
        assert_eq!(got, "\nselect 1;\r\n\n\n");
    }

    #[test]
    fn what_goose_refuses() {
        assert!(up_err("select 1;\n").contains("m.sql:1: SQL before the `-- +goose Up`"));
        assert!(up_err("").contains("no `-- +goose Up`"));
        assert!(up_err("-- +goose Up\nselect 1\n")
            .contains("m.sql:2: the statement starting `select 1` does not end with a `;`"));
        assert!(up_err("-- +goose Up\nselect 1\n-- +goose Down\n").contains("missing semicolon"));
        assert!(
            up_err("-- +goose Up\n-- +goose StatementBegin\nselect 1;\n")
                .contains("without its `-- +goose StatementEnd`")
        );
        assert!(up_err("-- +goose Up\n-- +goose StatementEnd\n").contains("m.sql:2:"));
        assert!(up_err("-- +goose Up\n  -- +goose Down\n").contains("white space"));
        assert!(up_err("-- +goose Up\n-- +goose Sideways\n")
            .contains("`Sideways` is not a goose annotation"));
        assert!(up_err("-- +goose Up\n-- +goose Up\n").contains("second"));
        // A `;` inside a trailing comment does not end the statement.
        assert!(up_err("-- +goose Up\nselect 1 -- done;\n").contains("missing semicolon"));
    }

    #[test]
    fn envsub_expands_as_goose_does() {
        let got = up("-- +goose Up\n-- +goose ENVSUB ON\ncreate schema ${SCHEMA};\ncreate table ${SCHEMA:-x}.t (v text default '${MISSING:-none}${EMPTY-unset}$$');\n-- +goose ENVSUB OFF\nselect '${SCHEMA}';\n");
        assert_eq!(
            got,
            "\n\ncreate schema app;\ncreate table app.t (v text default 'none$');\n\nselect '${SCHEMA}';\n"
        );
        let e = up_err("-- +goose Up\n-- +goose ENVSUB ON\nselect '${NEEDED?set it}';\n");
        assert!(
            e.contains("m.sql:3:") && e.contains("$NEEDED: set it"),
            "{e}"
        );
        let e = up_err("-- +goose Up\n-- +goose ENVSUB ON\nselect $1;\n");
        assert!(e.contains("start with a letter"), "{e}");
        let env = |k: &str| (k == "V").then(|| "abcdef".to_string());
        assert_eq!(
            expand("${V:1:2}|${V:-2}|${V:4}|$V|\\\\|\\$V|$(x)|$", &env).unwrap(),
            "bc|abcdef|ef|abcdef|\\\\|$V|$(x)|$"
        );
    }

    #[test]
    fn folder_order_versions_and_refusals() {
        let m = "-- +goose Up\nselect 1;\n";
        let d = folder(&[
            ("20240102000000_b.sql", m),
            ("00001_a.sql", m),
            ("helpers.go", "package x"),
            ("README.md", ""),
        ]);
        let r = discover(d.path(), None).unwrap();
        assert_eq!(r.format, Format::Goose);
        assert_eq!(names(&r), ["00001_a.sql", "20240102000000_b.sql"]);
        assert_eq!(versions(&r), [Some("1"), Some("20240102000000")]);
        assert_eq!(r.migrations[0].description, "a");

        let d = folder(&[("1_a.sql", m), ("seed.sql", "select 1;")]);
        let e = discover(d.path(), Some(Format::Goose))
            .unwrap_err()
            .to_string();
        assert!(e.contains("seed.sql is not a goose migration name"), "{e}");
        let d = folder(&[("1_a.sql", m), ("0_b.sql", m)]);
        let e = discover(d.path(), Some(Format::Goose))
            .unwrap_err()
            .to_string();
        assert!(e.contains("greater than zero"), "{e}");
        let d = folder(&[("1_a.sql", m), ("01_b.sql", m)]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(e.contains("(version 1)"), "{e}");
        let d = folder(&[("1_a.sql", m), ("2_b.go", "package x")]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(e.contains("2_b.go is a goose Go migration"), "{e}");
    }
}
