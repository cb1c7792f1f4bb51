//! The JSON reports: versioned public formats, documented in
//! src/report/json-report.md. The types here are their only source: the
//! library's own types (`Change`, `Report`, the model) are turned into them
//! field by field, so renaming anything inside the program cannot change
//! what consumers read. Change them on purpose, with the documentation.

use std::io::{self, Write};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::check::{CheckReport, TargetReport};
use super::{Report, REPORT_FORMAT_VERSION};
use crate::diff::{Change, Difference, Provenance};

/// `schemadrift diff --format json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonReport {
    pub format_version: u32,
    pub expected_source: String,
    pub actual_source: String,
    pub changes: Vec<JsonChange>,
    pub summary: JsonSummary,
    /// What was not compared, counted by kind; absent when everything was.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub not_compared: BTreeMap<String, u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrations: Option<JsonMigrations>,
    /// The migration tools' own tables (and neo4j-migrations' schema) left
    /// out of the comparison; absent when none was (json-report.md, "Bookkeeping").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bookkeeping: Vec<JsonBookkeeping>,
}

/// A bookkeeping table (or neo4j-migrations constraint or index) left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonBookkeeping {
    /// `public._prisma_migrations`, or a Neo4j object as a change names it.
    pub object: String,
    /// Who keeps it: `Flyway`, `golang-migrate`, `dbmate or Rails`, ...
    pub tool: String,
    /// The sides that have it: `expected`, `actual`, or both.
    pub sides: Vec<String>,
}

impl From<&crate::history::SetAside> for JsonBookkeeping {
    fn from(b: &crate::history::SetAside) -> JsonBookkeeping {
        JsonBookkeeping {
            object: b.object.clone(),
            tool: b.tool.to_string(),
            sides: [("expected", b.in_expected), ("actual", b.in_actual)]
                .into_iter()
                .filter(|(_, on)| *on)
                .map(|(side, _)| side.to_string())
                .collect(),
        }
    }
}

/// Where the live database stands in its migrations (json-report.md, "Migrations").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonMigrations {
    pub format: String,
    pub table: String,
    pub applied: Vec<String>,
    pub pending: Vec<String>,
    pub unknown: Vec<String>,
    pub edited: Vec<String>,
    pub failed: Vec<String>,
}

impl From<&super::Migrations> for JsonMigrations {
    fn from(m: &super::Migrations) -> JsonMigrations {
        JsonMigrations {
            format: m.format.clone(),
            table: m.table.clone(),
            applied: m.applied.clone(),
            pending: m.pending.clone(),
            unknown: m.unknown.clone(),
            edited: m.edited.clone(),
            failed: m.failed.clone(),
        }
    }
}

/// One change: `fields` for `changed`, `definition` for `missing` and
/// `unexpected`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonChange {
    pub code: String,
    /// `missing`, `unexpected` or `changed`.
    pub kind: String,
    pub object_type: String,
    pub object: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<JsonField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<Value>,
    /// The DDL: for `missing` and `unexpected` the statement that creates
    /// the object, for `changed` the statements that turn ACTUAL's into
    /// EXPECTED's. Absent where none can be written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    /// The migration file and line that created or last altered the
    /// object, when the expected side records its migrations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration: Option<Provenance>,
}

/// One differing attribute, `null` where a side has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonField {
    pub field: String,
    pub expected: Value,
    pub actual: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonSummary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub total: usize,
    pub ignored: usize,
}

impl From<&Report> for JsonReport {
    fn from(r: &Report) -> JsonReport {
        let s = &r.summary;
        JsonReport {
            format_version: REPORT_FORMAT_VERSION,
            expected_source: r.expected_source.clone(),
            actual_source: r.actual_source.clone(),
            changes: r
                .changes
                .iter()
                .map(|c| JsonChange {
                    sql: r.ddl_of(c).map(str::to_string),
                    ..JsonChange::from(c)
                })
                .collect(),
            summary: JsonSummary {
                errors: s.errors,
                warnings: s.warnings,
                infos: s.infos,
                total: s.total,
                ignored: s.ignored,
            },
            not_compared: r.not_compared.clone(),
            migrations: r.migrations.as_ref().map(JsonMigrations::from),
            bookkeeping: r.bookkeeping.iter().map(JsonBookkeeping::from).collect(),
        }
    }
}

impl From<&Change> for JsonChange {
    fn from(c: &Change) -> JsonChange {
        let (fields, definition) = match c.difference() {
            Difference::Missing { definition } | Difference::Unexpected { definition } => {
                (Vec::new(), Some(definition.to_value()))
            }
            Difference::Changed { fields } => (
                fields
                    .iter()
                    .map(|f| JsonField {
                        field: f.field.clone(),
                        expected: f.expected.clone(),
                        actual: f.actual.clone(),
                    })
                    .collect(),
                None,
            ),
        };
        JsonChange {
            code: c.code().name().to_string(),
            kind: c.kind().as_str().to_string(),
            object_type: c.object_type().name().to_string(),
            object: c.object().to_string(),
            severity: c.severity().as_str().to_string(),
            fields,
            definition,
            sql: None,
            migration: c.migration().cloned(),
        }
    }
}

/// `schemadrift check --format json`: one section per target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonCheckReport {
    pub format_version: u32,
    pub targets: Vec<JsonTarget>,
    pub summary: JsonCheckSummary,
}

/// One target's section; also the body of a webhook alert (with the
/// alert's own fields added).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonTarget {
    pub target: String,
    /// `clean`, `drift` or `failed`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<JsonReport>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonCheckSummary {
    pub targets: usize,
    pub clean: usize,
    pub drift: usize,
    pub failed: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl From<&TargetReport> for JsonTarget {
    fn from(t: &TargetReport) -> JsonTarget {
        JsonTarget {
            target: t.target.clone(),
            status: t.status.as_str().to_string(),
            error: t.error.clone(),
            report: t.report.as_ref().map(JsonReport::from),
        }
    }
}

impl From<&CheckReport> for JsonCheckReport {
    fn from(r: &CheckReport) -> JsonCheckReport {
        let s = &r.summary;
        JsonCheckReport {
            format_version: REPORT_FORMAT_VERSION,
            targets: r.targets.iter().map(JsonTarget::from).collect(),
            summary: JsonCheckSummary {
                targets: s.targets,
                clean: s.clean,
                drift: s.drift,
                failed: s.failed,
                errors: s.errors,
                warnings: s.warnings,
                infos: s.infos,
            },
        }
    }
}

/// Pretty JSON and a newline, as every JSON output is written.
fn write_pretty(value: &impl Serialize, w: &mut impl Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value)?;
    writeln!(w)
}

pub fn render(r: &Report, w: &mut impl Write) -> io::Result<()> {
    write_pretty(&JsonReport::from(r), w)
}

pub fn render_check(r: &CheckReport, w: &mut impl Write) -> io::Result<()> {
    write_pretty(&JsonCheckReport::from(r), w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Code;
    use crate::report::sample::sample_report;

    #[test]
    fn json_report() {
        let mut buf = Vec::new();
        render(&sample_report(), &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        insta::assert_snapshot!(text);
    }

    #[test]
    fn bookkeeping_is_listed_with_its_sides() {
        let v = serde_json::to_value(JsonReport::from(&crate::report::sample::with_bookkeeping()))
            .unwrap();
        assert_eq!(
            v["bookkeeping"],
            serde_json::json!([
                {"object": "ops.flyway_schema_history", "tool": "Flyway", "sides": ["expected", "actual"]},
                {"object": "public._prisma_migrations", "tool": "Prisma", "sides": ["actual"]},
            ])
        );
        let none = serde_json::to_value(JsonReport::from(&sample_report())).unwrap();
        assert!(none.get("bookkeeping").is_none(), "{none}");
    }

    #[test]
    fn round_trips() {
        let r = JsonReport::from(&sample_report());
        let text = serde_json::to_string_pretty(&r).unwrap();
        let back: JsonReport = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
    }

    /// src/report/json-report.md documents exactly the codes there are, each
    /// with its default severity.
    #[test]
    fn the_documentation_lists_every_code_and_its_severity() {
        let doc = include_str!("json-report.md");
        let section = doc
            .split("\n## ")
            .find(|s| s.starts_with("Change codes"))
            .expect("json-report.md has a `## Change codes` section");
        // Its tables, the Neo4j subsection's included.
        let mut documented = std::collections::BTreeMap::new();
        for row in section.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = row.split(" | ").collect();
            let codes: Vec<&str> = cells[0].split(" / ").collect();
            let severities: Vec<&str> = cells[2].split(" / ").collect();
            assert_eq!(codes.len(), severities.len(), "{row}");
            for (code, severity) in codes.iter().zip(severities) {
                let code = code.trim_start_matches("| ").trim_matches('`');
                let severity = severity.split_whitespace().next().unwrap_or("");
                let before = documented.insert(code.to_string(), severity.to_string());
                assert!(before.is_none(), "{code} is documented twice");
            }
        }
        let known: std::collections::BTreeMap<String, String> = Code::ALL
            .iter()
            .map(|c| (c.name().to_string(), c.severity().as_str().to_string()))
            .collect();
        let differ: Vec<_> = known
            .iter()
            .filter(|(c, s)| documented.get(*c) != Some(*s))
            .chain(documented.iter().filter(|(c, _)| !known.contains_key(*c)))
            .collect();
        assert!(
            differ.is_empty(),
            "json-report.md and Code disagree on these (code, severity): {differ:?}"
        );
    }
}
