//! The SARIF 2.1.0 report, for GitHub code scanning and other SARIF
//! viewers: one run of the tool `schemadrift`, one result per change
//! (`ruleId` the change code, `level` from the severity: error, warning,
//! note), each code described once under `tool.driver.rules`.
//!
//! Code scanning places a result on a file of the repository. A change of a
//! migration (edited, failed, pending) is placed on the migration's file when
//! the folder has it. Other changes carry no migration file and line yet, so a
//! result's file is the expected schema it was compared against (`expected/postgres.json`) when
//! that is a file; the object itself is the result's logical location. A
//! live EXPECTED (a URL) gives results without a file, which SARIF allows
//! and code scanning refuses. A `check` target that could not be checked is
//! a tool execution notification, and makes the invocation unsuccessful.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{json, Value};

use super::Report;
use crate::diff::{Change, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// One report's part of the run: `target` names it in `check`.
pub struct Part<'a> {
    pub target: Option<&'a str>,
    pub report: Option<&'a Report>,
    /// Why the target could not be checked.
    pub error: Option<&'a str>,
}

/// A diff report as SARIF.
pub fn render(r: &Report, w: &mut impl Write) -> io::Result<()> {
    render_parts(
        &[Part {
            target: None,
            report: Some(r),
            error: None,
        }],
        w,
    )
}

/// Several targets' reports as one SARIF run.
pub fn render_parts(parts: &[Part], w: &mut impl Write) -> io::Result<()> {
    let codes: BTreeMap<&str, usize> = {
        let mut codes: Vec<&str> = parts
            .iter()
            .filter_map(|p| p.report)
            .flat_map(|r| r.changes.iter().map(|c| c.code().name()))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes.into_iter().enumerate().map(|(i, c)| (c, i)).collect()
    };
    let rules: Vec<Value> = codes.keys().map(|code| rule(code)).collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    let mut notes = Vec::new();
    for p in parts {
        if let Some(e) = p.error {
            notifications.push(json!({
                "level": "error",
                "message": { "text": format!("target `{}`: {e}", p.target.unwrap_or("?")) },
            }));
        }
        if let Some(r) = p.report {
            // Said as a note, which does not fail the invocation.
            if let Some(line) = r.not_compared_line() {
                let text = match p.target {
                    Some(t) => format!("target `{t}`: {line}"),
                    None => line,
                };
                notes.push(json!({ "level": "note", "message": { "text": text } }));
            }
            for c in &r.changes {
                results.push(result(c, codes[c.code().name()], p.target, r));
            }
        }
    }
    let successful = notifications.is_empty();
    notifications.extend(notes);
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "schemadrift",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": successful,
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *w, &log)?;
    writeln!(w)
}

/// `column-type-changed` -> a rule with the sentence `Column type changed.`
fn rule(code: &str) -> Value {
    let mut text: String = code.replace('-', " ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    json!({
        "id": code,
        "shortDescription": { "text": format!("{text}.") },
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result(c: &Change, rule_index: usize, target: Option<&str>, r: &Report) -> Value {
    let text = super::junit::message(c);
    let (text, name) = match target {
        Some(t) => (format!("{t}: {text}"), format!("{t}/{}", c.object())),
        None => (text, c.object().to_string()),
    };
    let mut location = json!({
        "logicalLocations": [{ "fullyQualifiedName": name, "kind": c.object_type().name() }],
    });
    // A migration's own file, when the folder has it (code scanning annotates it).
    let migration_file = (c.object_type() == crate::diff::ObjectType::Migration)
        .then(|| r.migrations.as_ref()?.files.get(c.object()))
        .flatten();
    if let Some(file) = migration_file {
        location["physicalLocation"] = json!({
            "artifactLocation": { "uri": uri(file) },
            "region": { "startLine": 1 },
        });
    } else if let Some(file) = expected_file(c, &r.expected_source) {
        location["physicalLocation"] = json!({ "artifactLocation": { "uri": uri(file) } });
    }
    json!({
        "ruleId": c.code().name(),
        "ruleIndex": rule_index,
        "level": level(c.severity()),
        "message": { "text": text },
        "locations": [location],
        // The same drift is the same alert from one run to the next, whatever
        // the file's lines.
        "partialFingerprints": { "schemadrift/v1": format!("{}|{}|{}", target.unwrap_or(""), c.code().name(), c.object()) },
    })
}

/// The expected schema file a change was found against: `check` names one
/// per engine (`expected/postgres.json + expected/neo4j.json`), Neo4j's last.
fn expected_file<'a>(c: &Change, expected_source: &'a str) -> Option<&'a str> {
    let labels: Vec<&str> = expected_source.split(" + ").collect();
    let label = if c.object().starts_with("neo4j:") {
        labels.last()
    } else {
        labels.first()
    }?;
    (!label.is_empty() && !label.contains("://")).then_some(*label)
}

/// A path as a URI reference: relative paths stay relative (to the
/// repository, as code scanning wants), absolute ones become `file://`.
fn uri(path: &str) -> String {
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.trim_start_matches("./").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample::sample_report;

    #[test]
    fn sarif_report() {
        let mut buf = Vec::new();
        render(&sample_report(), &mut buf).unwrap();
        insta::assert_snapshot!(String::from_utf8(buf).unwrap());
    }

    #[test]
    fn levels_rules_and_files() {
        let mut r = sample_report();
        r.expected_source = "expected/postgres.json + expected/neo 4j.json".into();
        r.changes[0] = r.changes[0]
            .clone()
            .with_object("neo4j:constraint:uniqueness:node:Person(email)");
        let mut buf = Vec::new();
        render(&r, &mut buf).unwrap();
        let v: Value = serde_json::from_slice(&buf).unwrap();
        let run = &v["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), r.changes.len());
        for (res, c) in results.iter().zip(&r.changes) {
            let i = res["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], c.code().name());
            assert_eq!(res["ruleId"], c.code().name());
            let want = match c.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            assert_eq!(res["level"], want);
        }
        // Each code once.
        let mut ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
        let file = |i: usize| {
            results[i]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].clone()
        };
        assert_eq!(file(0), "expected/neo%204j.json");
        assert_eq!(file(1), "expected/postgres.json");
    }

    #[test]
    fn a_live_expected_source_has_no_file() {
        let mut r = sample_report();
        r.expected_source = "postgres://app@db/app".into();
        let mut buf = Vec::new();
        render(&r, &mut buf).unwrap();
        let v: Value = serde_json::from_slice(&buf).unwrap();
        let loc = &v["runs"][0]["results"][0]["locations"][0];
        assert!(loc.get("physicalLocation").is_none(), "{loc}");
        assert_eq!(
            loc["logicalLocations"][0]["fullyQualifiedName"],
            r.changes[0].object()
        );
    }
}
