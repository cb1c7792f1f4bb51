//! Drift reports: a finished list of changes, rendered for people (text),
//! scripts (JSON, a documented public format: src/report/json-report.md), pull
//! requests (Markdown), CI test views (JUnit XML) and code scanning (SARIF).
//!
//! Renderers write to any `std::io::Write`, so tests capture them without
//! touching standard output. Every renderer matches every `ChangeKind`.

pub mod check;
pub mod json;
pub mod junit;
pub mod labels;
pub mod markdown;
pub mod metrics;
pub mod not_compared;
pub mod sarif;
pub mod text;

use std::io::{self, Write};

use serde_json::Value;

use crate::diff::{Change, Severity};

/// The JSON report format version. Bump it on any incompatible change.
pub const REPORT_FORMAT_VERSION: u32 = 1;

/// A finished diff, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The EXPECTED source as given, with any password removed.
    pub expected_source: String,
    /// The ACTUAL source as given, with any password removed.
    pub actual_source: String,
    /// Sorted by object, then code.
    pub changes: Vec<Change>,
    pub summary: Summary,
    /// The fix script's text, when `--format sql` or `cypher` asked for it
    /// (never part of the JSON report).
    pub fix: Option<String>,
    /// The DDL of missing and unexpected objects, by
    /// [`crate::ddl::describe::key`]: text and Markdown show it instead of
    /// the object's fields (never part of the JSON report).
    pub ddl: std::collections::BTreeMap<String, String>,
    /// What was not compared, counted by kind (`column_compression`, `transform`,
    /// ...; see [`crate::diff::not_compared`]): every format says so.
    pub not_compared: std::collections::BTreeMap<String, u64>,
    /// Where the live database stands in its migrations, when EXPECTED is a
    /// migrations folder and ACTUAL has the folder's history table.
    pub migrations: Option<Migrations>,
    /// The migration tools' own tables (and neo4j-migrations' constraints and
    /// index) left out of the comparison: one line each in text and Markdown,
    /// listed in JSON.
    pub bookkeeping: Vec<crate::history::SetAside>,
}

/// The migrations folder against the target's history table (see [`crate::applied`]).
/// Each list holds versions as the tool writes them in its table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Migrations {
    /// The folder's format (`flyway`, `golang-migrate`, ...).
    pub format: String,
    /// `schema.table` of the history table.
    pub table: String,
    pub applied: Vec<String>,
    /// Not applied yet: not drift.
    pub pending: Vec<String>,
    pub unknown: Vec<String>,
    pub edited: Vec<String>,
    pub failed: Vec<String>,
    /// The file of each migration the folder has, by version (SARIF's locations;
    /// never part of the JSON report).
    pub files: std::collections::BTreeMap<String, String>,
}

impl Migrations {
    /// `2 migrations pending: 11, 12`, or `None` when none is.
    pub fn pending_line(&self) -> Option<String> {
        match self.pending.len() {
            0 => None,
            1 => Some(format!("1 migration pending: {}", self.pending[0])),
            n => Some(format!(
                "{n} migrations pending: {}",
                self.pending.join(", ")
            )),
        }
    }
}

/// Counts of the reported changes (after ignore rules).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub total: usize,
    /// Changes left out by ignore rules (not in `changes`).
    pub ignored: usize,
}

impl Report {
    pub fn new(
        expected_source: &str,
        actual_source: &str,
        changes: Vec<Change>,
        ignored: usize,
    ) -> Report {
        let mut summary = Summary {
            total: changes.len(),
            ignored,
            ..Summary::default()
        };
        for c in &changes {
            match c.severity() {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        Report {
            expected_source: expected_source.to_string(),
            actual_source: actual_source.to_string(),
            changes,
            summary,
            fix: None,
            ddl: Default::default(),
            not_compared: Default::default(),
            migrations: None,
            bookkeeping: Vec::new(),
        }
    }

    /// `not compared: 2 column compressions, 1 transform`, or `None` when everything
    /// was compared.
    pub fn not_compared_line(&self) -> Option<String> {
        let s = not_compared::sentence(&self.not_compared);
        (!s.is_empty()).then(|| format!("not compared: {s}"))
    }

    /// `bookkeeping: public._prisma_migrations (Prisma)`, one per table left out.
    pub fn bookkeeping_lines(&self) -> impl Iterator<Item = String> + '_ {
        self.bookkeeping
            .iter()
            .map(|b| format!("bookkeeping: {}", b.line()))
    }

    /// The DDL of change `c`'s object, when it is missing or unexpected and
    /// could be rendered.
    pub fn ddl_of(&self, c: &Change) -> Option<&str> {
        if self.ddl.is_empty() {
            return None;
        }
        self.ddl
            .get(&crate::ddl::describe::key(c))
            .map(String::as_str)
    }
}

/// The output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
    Junit,
    /// The PostgreSQL fix script: run against ACTUAL, it makes it match EXPECTED.
    Sql,
    /// The Neo4j fix script, in Cypher.
    Cypher,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

impl Format {
    /// The fix script's language, for `sql` and `cypher`.
    pub fn fix_dialect(self) -> Option<crate::ddl::text::Dialect> {
        match self {
            Format::Sql => Some(crate::ddl::text::Dialect::Postgres),
            Format::Cypher => Some(crate::ddl::text::Dialect::Cypher),
            _ => None,
        }
    }

    /// Whether the report shows DDL ([`Report::ddl`]): text, Markdown and
    /// JUnit show a missing or unexpected object as its DDL, JSON has a
    /// `sql` string per change.
    pub fn shows_ddl(self) -> bool {
        matches!(
            self,
            Format::Text | Format::Markdown | Format::Junit | Format::Json
        )
    }
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: &'static [Format] = &[
        Format::Text,
        Format::Json,
        Format::Markdown,
        Format::Junit,
        Format::Sql,
        Format::Cypher,
        Format::Sarif,
    ];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Junit => "junit",
            Format::Sql => "sql",
            Format::Cypher => "cypher",
            Format::Sarif => "sarif",
        }
    }

    /// What a format is, where its name does not say (`--help` shows it).
    pub fn about(self) -> Option<&'static str> {
        match self {
            Format::Text | Format::Json | Format::Markdown | Format::Junit => None,
            Format::Sql => {
                Some("The PostgreSQL fix script: run against ACTUAL, it makes it match EXPECTED")
            }
            Format::Cypher => Some("The Neo4j fix script, in Cypher"),
            Format::Sarif => Some("SARIF 2.1.0, for GitHub code scanning"),
        }
    }
}

/// Render `report` in `format`; `color` only affects text.
pub fn render(report: &Report, format: Format, color: bool, w: &mut impl Write) -> io::Result<()> {
    match format {
        Format::Text => text::render(report, color, w),
        Format::Json => json::render(report, w),
        Format::Markdown => markdown::render(report, w),
        Format::Junit => junit::render(report, w),
        // Made from the two schemas (`crate::fix`), not from the changes.
        Format::Sql | Format::Cypher => w.write_all(report.fix.as_deref().unwrap_or("").as_bytes()),
        Format::Sarif => sarif::render(report, w),
    }
}

impl Summary {
    /// `3 changes (1 error, 1 warning, 1 info)`, or `no changes`.
    pub fn sentence(&self) -> String {
        if self.total == 0 {
            return "no changes".to_string();
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{} ({}, {}, {})",
            plural(self.total, "change", "changes"),
            plural(self.errors, "error", "errors"),
            plural(self.warnings, "warning", "warnings"),
            plural(self.infos, "info", "infos"),
        )
    }
}

/// Is this value too long for one line of a report? Then renderers show it
/// as a unified diff (text, Markdown) rather than inline.
pub fn is_long(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('\n') || s.chars().count() > 80,
        _ => false,
    }
}

/// A field value for inline display: strings bare, absent as `(none)`,
/// everything else as compact JSON.
pub fn inline(v: &Value) -> String {
    match v {
        Value::Null => "(none)".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The text of a long value for diffing: strings as they are, others as pretty JSON.
fn diff_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => serde_json::to_string_pretty(other).expect("JSON values serialize"),
    }
}

/// A unified diff of two values (expected first), made with `similar`, as
/// lines of `(tag, text)` where tag is `-`, `+`, ` ` or `@` for a hunk header.
pub fn unified_diff(expected: &Value, actual: &Value) -> Vec<(char, String)> {
    let e = diff_text(expected);
    let a = diff_text(actual);
    let d = similar::TextDiff::from_lines(&e, &a);
    let mut out = Vec::new();
    for hunk in d.unified_diff().context_radius(3).iter_hunks() {
        out.push(('@', hunk.header().to_string()));
        for change in hunk.iter_changes() {
            let tag = match change.tag() {
                similar::ChangeTag::Delete => '-',
                similar::ChangeTag::Insert => '+',
                similar::ChangeTag::Equal => ' ',
            };
            let mut line = change.value().to_string();
            if line.ends_with('\n') {
                line.pop();
            }
            out.push((tag, line));
        }
    }
    out
}

/// The group a change is shown under in the text and Markdown reports: the
/// table, view or type it belongs to (its first two name segments), or the
/// schema or extension itself.
pub fn group_of(c: &Change) -> String {
    // A version is not a dotted name: `1.10.2` is one migration.
    if c.object_type() == crate::diff::ObjectType::Migration {
        return format!("migration {}", c.object());
    }
    let mut depth = 0usize;
    let mut dots = 0;
    for (i, ch) in c.object().char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                dots += 1;
                if dots == 2 {
                    return c.object()[..i].to_string();
                }
            }
            _ => {}
        }
    }
    c.object().to_string()
}

#[cfg(test)]
pub(crate) mod sample;
