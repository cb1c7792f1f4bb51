//! The JUnit XML report, for CI test views: one test case per change
//! (errors and warnings fail, infos pass with their details as output), or
//! one passing case when there is no drift.

use std::io::{self, Write};

use super::{group_of, text, Report};
use crate::diff::{Change, Difference, Severity};

/// Escape text for XML attributes and content, dropping characters XML 1.0
/// cannot hold at all.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// One line that says what changed: `column care.t.c changed: type`.
pub(crate) fn message(c: &Change) -> String {
    let what = match c.difference() {
        Difference::Missing { .. } => "missing (in expected, not in actual)".to_string(),
        Difference::Unexpected { .. } => "unexpected (in actual, not in expected)".to_string(),
        Difference::Changed { fields } => {
            let fields: Vec<String> = super::labels::shown(fields)
                .map(|f| super::labels::label(c.object_type(), &f.field))
                .collect();
            format!("changed: {}", fields.join(", "))
        }
    };
    format!("{} {} {what}", c.object_type().name(), c.object())
}

pub fn render(r: &Report, w: &mut impl Write) -> io::Result<()> {
    let failures = r.summary.errors + r.summary.warnings;
    let tests = r.changes.len().max(1);
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<testsuites name="schemadrift" tests="{tests}" failures="{failures}" errors="0" skipped="0">"#
    )?;
    write_suite(r, "schemadrift diff", w)?;
    writeln!(w, "</testsuites>")
}

/// One `<testsuite>` for one diff report; returns (tests, failures).
fn write_suite(r: &Report, name: &str, w: &mut impl Write) -> io::Result<(usize, usize)> {
    let failures = r.summary.errors + r.summary.warnings;
    let tests = r.changes.len().max(1);
    writeln!(
        w,
        r#"  <testsuite name="{}" tests="{tests}" failures="{failures}" errors="0" skipped="0">"#,
        xml(name)
    )?;
    writeln!(w, "    <properties>")?;
    writeln!(
        w,
        r#"      <property name="expected" value="{}"/>"#,
        xml(&r.expected_source)
    )?;
    writeln!(
        w,
        r#"      <property name="actual" value="{}"/>"#,
        xml(&r.actual_source)
    )?;
    writeln!(
        w,
        r#"      <property name="ignored" value="{}"/>"#,
        r.summary.ignored
    )?;
    if let Some(line) = r.not_compared_line() {
        writeln!(
            w,
            r#"      <property name="not_compared" value="{}"/>"#,
            xml(line.trim_start_matches("not compared: "))
        )?;
    }
    writeln!(w, "    </properties>")?;
    if r.changes.is_empty() {
        writeln!(
            w,
            r#"    <testcase classname="schemadrift" name="no drift"/>"#
        )?;
    }
    for c in &r.changes {
        let body: Vec<String> = text::details(c, r.ddl_of(c))
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        let body = xml(&body.join("\n"));
        write!(
            w,
            r#"    <testcase classname="{}" name="{} {}">"#,
            xml(&group_of(c)),
            xml(c.code().name()),
            xml(c.object())
        )?;
        match c.severity() {
            Severity::Error | Severity::Warning => {
                writeln!(w)?;
                writeln!(
                    w,
                    r#"      <failure type="{}" message="{}">{body}</failure>"#,
                    c.severity().as_str(),
                    xml(&message(c))
                )?;
            }
            Severity::Info => {
                writeln!(w)?;
                writeln!(
                    w,
                    "      <system-out>info: {}\n{body}</system-out>",
                    xml(&message(c))
                )?;
            }
        }
        writeln!(w, "    </testcase>")?;
    }
    writeln!(w, "  </testsuite>")?;
    Ok((tests, failures))
}

/// The JUnit report of `check`: one test suite per target; a target whose
/// check failed is one test case in error.
pub fn render_targets(
    targets: &[(&str, Option<&Report>, Option<&str>)],
    w: &mut impl Write,
) -> io::Result<()> {
    let mut suites = Vec::new();
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for (name, report, error) in targets {
        let mut buf = Vec::new();
        match (report, error) {
            (_, Some(e)) => {
                tests += 1;
                errors += 1;
                writeln!(
                    buf,
                    r#"  <testsuite name="{}" tests="1" failures="0" errors="1" skipped="0">"#,
                    xml(name)
                )?;
                writeln!(
                    buf,
                    r#"    <testcase classname="schemadrift" name="check {}">"#,
                    xml(name)
                )?;
                writeln!(
                    buf,
                    r#"      <error type="check-failed" message="{}"/>"#,
                    xml(e)
                )?;
                writeln!(buf, "    </testcase>")?;
                writeln!(buf, "  </testsuite>")?;
            }
            (Some(r), None) => {
                let (t, f) = write_suite(r, &format!("schemadrift {name}"), &mut buf)?;
                tests += t;
                failures += f;
            }
            (None, None) => {}
        }
        suites.push(buf);
    }
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<testsuites name="schemadrift" tests="{tests}" failures="{failures}" errors="{errors}" skipped="0">"#
    )?;
    for s in suites {
        w.write_all(&s)?;
    }
    writeln!(w, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample::sample_report;

    #[test]
    fn junit_report() {
        let mut buf = Vec::new();
        render(&sample_report(), &mut buf).unwrap();
        insta::assert_snapshot!(String::from_utf8(buf).unwrap());
    }

    #[test]
    fn escapes_xml() {
        assert_eq!(
            xml(r#"a<b & "c" 'd'>"#),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
        assert_eq!(xml("x\u{1}y\nz"), "xy\nz");
    }

    #[test]
    fn no_drift_is_one_passing_case() {
        let r = Report::new("a", "b", vec![], 0);
        let mut buf = Vec::new();
        render(&r, &mut buf).unwrap();
        let s = String::from_utf8(buf).unwrap();
        assert!(s.contains(r#"tests="1" failures="0""#), "{s}");
        assert!(
            s.contains(r#"<testcase classname="schemadrift" name="no drift"/>"#),
            "{s}"
        );
    }
}
