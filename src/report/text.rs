//! The text report, for people: changes grouped by the object they belong
//! to, severities colored on a terminal, long definitions as unified diffs.

use std::io::{self, Write};

use super::{group_of, inline, is_long, unified_diff, Report};
use crate::diff::{Change, ChangeKind, Difference, Severity};

/// At most this many lines of a missing or unexpected object's definition are
/// shown; the JSON report has all of it.
const MAX_DEFINITION_LINES: usize = 40;

/// How a detail line is colored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Removed,
    Added,
    Hunk,
}

/// The detail lines of one change, without color, shared with JUnit; a
/// missing or unexpected object as its DDL when there is `ddl`.
pub fn details(c: &Change, ddl: Option<&str>) -> Vec<(Tone, String)> {
    let mut out = Vec::new();
    match c.difference() {
        Difference::Missing { definition } | Difference::Unexpected { definition } => {
            let (what, tone) = if c.kind() == ChangeKind::Missing {
                ("in expected, not in actual", Tone::Removed)
            } else {
                ("in actual, not in expected", Tone::Added)
            };
            out.push((Tone::Plain, format!("{}: {what}", c.kind().as_str())));
            let text = match ddl {
                Some(sql) => sql.to_string(),
                None => {
                    // Short definitions on one line, longer ones pretty-printed.
                    let def = definition.to_value();
                    let compact = def.to_string();
                    if compact.chars().count() <= 100 {
                        compact
                    } else {
                        serde_json::to_string_pretty(&def).expect("JSON values serialize")
                    }
                }
            };
            let lines: Vec<&str> = text.lines().collect();
            for l in lines.iter().take(MAX_DEFINITION_LINES) {
                out.push((tone, format!("  {l}")));
            }
            if lines.len() > MAX_DEFINITION_LINES {
                out.push((
                    Tone::Plain,
                    format!(
                        "  ... {} more lines (--format json shows all)",
                        lines.len() - MAX_DEFINITION_LINES
                    ),
                ));
            }
        }
        Difference::Changed { fields } => {
            for f in super::labels::shown(fields) {
                let name = super::labels::label(c.object_type(), &f.field);
                if is_long(&f.expected) || is_long(&f.actual) {
                    out.push((Tone::Plain, format!("{name}:")));
                    for (tag, line) in unified_diff(&f.expected, &f.actual) {
                        let tone = match tag {
                            '-' => Tone::Removed,
                            '+' => Tone::Added,
                            '@' => Tone::Hunk,
                            _ => Tone::Plain,
                        };
                        let text = if tag == '@' {
                            format!("  {line}")
                        } else {
                            format!("  {tag}{line}")
                        };
                        out.push((tone, text));
                    }
                } else {
                    out.push((
                        Tone::Plain,
                        format!("{name}: {} -> {}", inline(&f.expected), inline(&f.actual)),
                    ));
                }
            }
        }
    }
    out
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn severity(&self, s: Severity) -> String {
        let label = format!("{:<7}", s.as_str());
        match s {
            Severity::Error => self.wrap("1;31", &label),
            Severity::Warning => self.wrap("33", &label),
            Severity::Info => self.wrap("36", &label),
        }
    }
    fn tone(&self, t: Tone, s: &str) -> String {
        match t {
            Tone::Plain => s.to_string(),
            Tone::Removed => self.wrap("31", s),
            Tone::Added => self.wrap("32", s),
            Tone::Hunk => self.wrap("36", s),
        }
    }
}

/// Render the text report. `color` adds ANSI colors (decided by the caller
/// from `--color`, `NO_COLOR` and whether the output is a terminal).
pub fn render(r: &Report, color: bool, w: &mut impl Write) -> io::Result<()> {
    let p = Paint(color);
    writeln!(
        w,
        "{}",
        p.wrap("1", &format!("schemadrift: {}", r.summary.sentence()))
    )?;
    writeln!(w, "expected: {}", r.expected_source)?;
    writeln!(w, "actual:   {}", r.actual_source)?;
    if r.summary.ignored > 0 {
        writeln!(w, "ignored:  {} (by --ignore rules)", r.summary.ignored)?;
    }
    if let Some(line) = r.migrations.as_ref().and_then(|m| m.pending_line()) {
        writeln!(w, "{line}")?;
    }
    if let Some(line) = r.not_compared_line() {
        writeln!(w, "{line}")?;
    }
    for line in r.bookkeeping_lines() {
        writeln!(w, "{line}")?;
    }
    let mut group: Option<String> = None;
    for c in &r.changes {
        let g = group_of(c);
        if group.as_deref() != Some(g.as_str()) {
            writeln!(w)?;
            writeln!(w, "{}", p.wrap("1", &g))?;
            group = Some(g);
        }
        writeln!(
            w,
            "  {} {}  {} {}",
            p.severity(c.severity()),
            c.code().name(),
            c.object_type().name(),
            c.object()
        )?;
        if let Some(m) = c.migration() {
            writeln!(w, "            from migration {m}")?;
        }
        for (tone, line) in details(c, r.ddl_of(c)) {
            writeln!(w, "            {}", p.tone(tone, &line))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample::sample_report;

    fn out(color: bool) -> String {
        let mut buf = Vec::new();
        render(&sample_report(), color, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn text_report() {
        insta::assert_snapshot!(out(false));
    }

    #[test]
    fn color_only_when_asked() {
        assert!(!out(false).contains('\x1b'));
        let c = out(true);
        assert!(c.contains("\x1b[1;31merror  \x1b[0m"), "{c}");
        assert!(c.contains("\x1b[32m"), "added lines are green: {c}");
    }

    #[test]
    fn bookkeeping_one_line_per_table() {
        let mut buf = Vec::new();
        render(&crate::report::sample::with_bookkeeping(), false, &mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "schemadrift: no changes\nexpected: db/migrations\nactual:   postgres://app@db.example/care\n\
             bookkeeping: ops.flyway_schema_history (Flyway)\n\
             bookkeeping: public._prisma_migrations (Prisma)\n"
        );
    }

    #[test]
    fn empty_report() {
        let r = Report::new("a.json", "b.json", vec![], 2);
        let mut buf = Vec::new();
        render(&r, false, &mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "schemadrift: no changes\nexpected: a.json\nactual:   b.json\nignored:  2 (by --ignore rules)\n"
        );
    }
}
