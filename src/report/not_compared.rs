//! What a comparison left out, said out loud: "not compared: 2 column compressions,
//! 1 transform". A drift detector that skips an object kind in silence
//! reads as "no drift" where there may be drift; every report names the
//! kinds it did not compare instead (src/report/json-report.md).

use std::collections::BTreeMap;

/// Every kind the catalog query `not_compared.sql` counts: its JSON name,
/// and how one and several read in a sentence.
pub const KINDS: &[(&str, &str, &str)] = &[
    (
        "column_compression",
        "column compression",
        "column compressions",
    ),
    (
        "extension_member_grant",
        "grant of an extension's object",
        "grants of extensions' objects",
    ),
    (
        "index_statistics_target",
        "index statistics target",
        "index statistics targets",
    ),
    // Counted only when the role may not read their connection strings
    // (else they are compared).
    (
        "subscription",
        "subscription (this role may not read its connection string)",
        "subscriptions (this role may not read their connection strings)",
    ),
];

/// `2 column compressions, 1 transform`, in the order of the kinds' names; empty when
/// nothing was left out. A kind this build does not know (from a snapshot
/// a newer one wrote) reads as its name.
pub fn sentence(counts: &BTreeMap<String, u64>) -> String {
    counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(kind, n)| {
            let words = KINDS.iter().find(|(k, _, _)| k == kind);
            let word = match words {
                Some((_, one, _)) if *n == 1 => one.to_string(),
                Some((_, _, many)) => many.to_string(),
                None => kind.replace('_', " "),
            };
            format!("{n} {word}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_counts_each_kind() {
        let counts: BTreeMap<String, u64> = [
            ("column_compression".to_string(), 2),
            ("transform".to_string(), 1),
            ("something_new".to_string(), 4),
            ("something_else".to_string(), 0),
        ]
        .into();
        assert_eq!(
            sentence(&counts),
            "2 column compressions, 4 something new, 1 transform"
        );
        assert_eq!(sentence(&BTreeMap::new()), "");
    }

    fn counted() -> crate::report::Report {
        let mut r = crate::report::sample::sample_report();
        r.not_compared = [
            ("column_compression".to_string(), 2),
            ("transform".to_string(), 1),
        ]
        .into();
        r
    }

    fn render(r: &crate::report::Report, format: crate::report::Format) -> String {
        let mut buf = Vec::new();
        crate::report::render(r, format, false, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn every_diff_format_says_what_was_not_compared() {
        use crate::report::Format;
        let r = counted();
        let text = render(&r, Format::Text);
        assert!(
            text.contains("\nnot compared: 2 column compressions, 1 transform\n"),
            "{text}"
        );
        let md = render(&r, Format::Markdown);
        assert!(
            md.contains(" Not compared: 2 column compressions, 1 transform.\n"),
            "{md}"
        );
        let junit = render(&r, Format::Junit);
        assert!(
            junit.contains(
                r#"<property name="not_compared" value="2 column compressions, 1 transform"/>"#
            ),
            "{junit}"
        );
        let json: serde_json::Value = serde_json::from_str(&render(&r, Format::Json)).unwrap();
        assert_eq!(
            json["not_compared"],
            serde_json::json!({"column_compression": 2, "transform": 1})
        );
        let sarif: serde_json::Value = serde_json::from_str(&render(&r, Format::Sarif)).unwrap();
        let inv = &sarif["runs"][0]["invocations"][0];
        assert_eq!(inv["executionSuccessful"], true, "{inv}");
        assert_eq!(
            inv["toolExecutionNotifications"],
            serde_json::json!([{
                "level": "note",
                "message": { "text": "not compared: 2 column compressions, 1 transform" }
            }])
        );
        // Nothing is said when everything was compared.
        let plain = crate::report::sample::sample_report();
        for f in [
            Format::Text,
            Format::Markdown,
            Format::Junit,
            Format::Json,
            Format::Sarif,
        ] {
            let out = render(&plain, f);
            assert!(!out.to_lowercase().contains("not compared"), "{out}");
            assert!(!out.contains("not_compared"), "{out}");
        }
    }

    #[test]
    fn every_check_format_says_it_per_target() {
        use crate::report::check::{render, CheckReport, TargetReport};
        use crate::report::Format;
        let mut clean = crate::report::Report::new("e", "a", vec![], 0);
        clean.not_compared = [("column_compression".to_string(), 3)].into();
        let report = CheckReport::new(vec![
            TargetReport::checked("prod", counted()),
            TargetReport::checked("stage", clean),
        ]);
        let out = |f: Format| {
            let mut buf = Vec::new();
            render(&report, f, false, false, &mut buf).unwrap();
            String::from_utf8(buf).unwrap()
        };
        let text = out(Format::Text);
        assert!(
            text.contains("\nnot compared: 2 column compressions, 1 transform\n"),
            "{text}"
        );
        assert!(
            text.contains("== stage: no drift (not compared: 3 column compressions)\n"),
            "{text}"
        );
        let md = out(Format::Markdown);
        assert!(
            md.contains(" Not compared: 2 column compressions, 1 transform.\n"),
            "{md}"
        );
        assert!(
            md.contains("\n`stage`: not compared: 3 column compressions.\n"),
            "{md}"
        );
        let junit = out(Format::Junit);
        assert!(junit.contains(r#"<property name="not_compared" value="3 column compressions"/>"#));
        assert!(junit.contains(
            r#"<property name="not_compared" value="2 column compressions, 1 transform"/>"#
        ));
        let json: serde_json::Value = serde_json::from_str(&out(Format::Json)).unwrap();
        assert_eq!(
            json["targets"][1]["report"]["not_compared"],
            serde_json::json!({"column_compression": 3})
        );
        let sarif: serde_json::Value = serde_json::from_str(&out(Format::Sarif)).unwrap();
        let notes = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
        assert_eq!(
            notes[1]["message"]["text"],
            "target `stage`: not compared: 3 column compressions"
        );
    }

    /// The catalog query counts exactly the kinds named here, and the JSON
    /// report's documentation lists each of them.
    #[test]
    fn the_query_the_names_and_the_documentation_agree() {
        let sql = crate::postgres::queries::NOT_COMPARED;
        let mut counted: Vec<&str> = KINDS
            .iter()
            .map(|(k, _, _)| *k)
            .filter(|k| sql.contains(&format!("'{k}'")))
            .collect();
        counted.sort_unstable();
        let named: Vec<&str> = KINDS.iter().map(|(k, _, _)| *k).collect();
        assert_eq!(counted, named, "a kind is named but never counted");
        // Every quoted kind in the query's counts is named.
        for line in sql.lines().filter(|l| l.contains("pg_catalog.count(*)")) {
            for (i, part) in line.split('\'').enumerate() {
                if i % 2 == 1 && part.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    assert!(named.contains(&part), "`{part}` is counted but not named");
                }
            }
        }
        let doc = include_str!("json-report.md");
        for k in named {
            assert!(
                doc.contains(&format!("| `{k}` |")),
                "json-report.md does not document `{k}`"
            );
        }
        let mut sorted = KINDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, KINDS, "KINDS is kept in name order");
    }
}
