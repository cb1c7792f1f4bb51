//! The Markdown report, for pull-request comments and CI job summaries: a
//! summary line, a table of changes, and collapsible details for
//! definitions and long values.

use std::io::{self, Write};

use super::{inline, is_long, unified_diff, Report};
use crate::diff::{Change, Difference};

/// Inline code that survives any backticks inside it.
fn code(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let longest = longest_run(s, '`');
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        if c == ch {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// Make text safe inside a table cell: no pipe ends the cell, no newline ends the row.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('\r', "")
        .replace('\n', "<br>")
}

fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A fenced block that no line of `body` can close early.
fn fenced(w: &mut impl Write, lang: &str, body: &str) -> io::Result<()> {
    let fence = "`".repeat(longest_run(body, '`').max(2) + 1);
    writeln!(w, "{fence}{lang}")?;
    writeln!(w, "{body}")?;
    writeln!(w, "{fence}")
}

fn summary_cell(c: &Change) -> String {
    match c.difference() {
        Difference::Missing { .. } => "in expected, not in actual".to_string(),
        Difference::Unexpected { .. } => "in actual, not in expected".to_string(),
        Difference::Changed { fields } => super::labels::shown(fields)
            .map(|f| {
                let name = super::labels::label(c.object_type(), &f.field);
                if is_long(&f.expected) || is_long(&f.actual) {
                    format!("{name}: see details")
                } else {
                    format!(
                        "{name}: {} → {}",
                        code(&inline(&f.expected)),
                        code(&inline(&f.actual))
                    )
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// Does this change need a collapsible section below the table?
fn has_details(c: &Change) -> bool {
    match c.difference() {
        Difference::Missing { .. } | Difference::Unexpected { .. } => true,
        Difference::Changed { fields } => fields
            .iter()
            .any(|f| is_long(&f.expected) || is_long(&f.actual)),
    }
}

/// The tables left out as bookkeeping, a list item each:
/// ``- bookkeeping: `public._prisma_migrations` (Prisma)``.
pub fn bookkeeping_list(r: &Report, w: &mut impl Write) -> io::Result<()> {
    if r.bookkeeping.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    for b in &r.bookkeeping {
        writeln!(w, "- bookkeeping: {} ({})", code(&b.object), b.tool)?;
    }
    Ok(())
}

pub fn render(r: &Report, w: &mut impl Write) -> io::Result<()> {
    writeln!(w, "### schemadrift: {}", r.summary.sentence())?;
    writeln!(w)?;
    write!(
        w,
        "Expected {}, actual {}.",
        code(&r.expected_source),
        code(&r.actual_source)
    )?;
    if r.summary.ignored > 0 {
        write!(w, " {} more ignored by rules.", r.summary.ignored)?;
    }
    if let Some(line) = r.not_compared_line() {
        write!(w, " {}{}.", line[..1].to_uppercase(), &line[1..])?;
    }
    writeln!(w)?;
    if let Some(line) = r.migrations.as_ref().and_then(|m| m.pending_line()) {
        writeln!(w)?;
        writeln!(w, "{line}")?;
    }
    bookkeeping_list(r, w)?;
    if r.changes.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    writeln!(w, "| Severity | Code | Object | Details |")?;
    writeln!(w, "| --- | --- | --- | --- |")?;
    for c in &r.changes {
        writeln!(
            w,
            "| {} | {} | {} {} | {} |",
            c.severity().as_str(),
            code(c.code().name()),
            c.object_type().name(),
            cell(&code(c.object())),
            cell(&summary_cell(c)),
        )?;
    }
    for c in r.changes.iter().filter(|c| has_details(c)) {
        writeln!(w)?;
        writeln!(w, "<details>")?;
        writeln!(
            w,
            "<summary>{} <code>{}</code>: {}</summary>",
            c.object_type().name(),
            html(c.object()),
            html(c.code().name())
        )?;
        writeln!(w)?;
        match c.difference() {
            Difference::Missing { definition } | Difference::Unexpected { definition } => {
                if let Some(ddl) = r.ddl_of(c) {
                    let lang = if c.object().starts_with("neo4j:") {
                        "cypher"
                    } else {
                        "sql"
                    };
                    fenced(w, lang, ddl)?;
                } else {
                    let body = serde_json::to_string_pretty(&definition.to_value())
                        .expect("JSON values serialize");
                    fenced(w, "json", &body)?;
                }
            }
            Difference::Changed { fields } => {
                for f in super::labels::shown(fields)
                    .filter(|f| is_long(&f.expected) || is_long(&f.actual))
                {
                    writeln!(
                        w,
                        "{}:",
                        code(&super::labels::label(c.object_type(), &f.field))
                    )?;
                    writeln!(w)?;
                    let body: Vec<String> = unified_diff(&f.expected, &f.actual)
                        .into_iter()
                        .map(|(tag, line)| {
                            if tag == '@' {
                                line
                            } else {
                                format!("{tag}{line}")
                            }
                        })
                        .collect();
                    fenced(w, "diff", &body.join("\n"))?;
                }
            }
        }
        writeln!(w)?;
        writeln!(w, "</details>")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample::sample_report;

    #[test]
    fn markdown_report() {
        let mut buf = Vec::new();
        render(&sample_report(), &mut buf).unwrap();
        insta::assert_snapshot!(String::from_utf8(buf).unwrap());
    }

    #[test]
    fn bookkeeping_one_item_per_table() {
        let mut buf = Vec::new();
        render(&crate::report::sample::with_bookkeeping(), &mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "### schemadrift: no changes\n\n\
             Expected `db/migrations`, actual `postgres://app@db.example/care`.\n\n\
             - bookkeeping: `ops.flyway_schema_history` (Flyway)\n\
             - bookkeeping: `public._prisma_migrations` (Prisma)\n"
        );
    }

    #[test]
    fn escaping() {
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(cell("a|b\nc"), "a\\|b<br>c");
        assert_eq!(html("<a & b>"), "&lt;a &amp; b&gt;");
        let mut buf = Vec::new();
        fenced(&mut buf, "diff", "x\n```\ny").unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "````diff\nx\n```\ny\n````\n"
        );
    }
}
