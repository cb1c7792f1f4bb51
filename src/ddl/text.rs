//! A fix script as the text `--format sql` and `--format cypher` print.
//!
//! PostgreSQL: the session settings of [`postgres::script::preamble`], then
//! the statements that cannot run in a transaction block or whose result
//! must be committed before use (`ALTER TYPE .. ADD VALUE`), each on its
//! own, then everything else in one `BEGIN` .. `COMMIT`, so that a failing
//! statement leaves ACTUAL as it was. Neo4j runs each schema command in a
//! transaction of its own: the statements follow one another. Each hazard
//! is a comment above the statement that has it; what `--no-destructive`
//! left out closes the script, commented out.

use std::fmt::Write;

use super::{postgres, FixScript, Hazard, Statement};

/// Which language the script is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    Cypher,
}

/// What the script's header says it is for.
#[derive(Debug, Clone, Copy)]
pub struct Header<'a> {
    pub expected: &'a str,
    pub actual: &'a str,
    /// Whether statements that lose data were kept (else the header says
    /// how many were left out).
    pub destructive: bool,
}

impl Dialect {
    /// What starts a comment line.
    pub fn comment(self) -> &'static str {
        match self {
            Dialect::Postgres => "--",
            Dialect::Cypher => "//",
        }
    }
}

/// A script's text being written.
struct Out {
    text: String,
    dialect: Dialect,
}

impl Out {
    /// Each line of `text` as a comment.
    fn comment(&mut self, text: &str) {
        for line in text.lines() {
            let _ = writeln!(self.text, "{} {line}", self.dialect.comment());
        }
    }

    /// The statement, its hazards as comments above it.
    fn statement(&mut self, s: &Statement) {
        for h in &s.hazards {
            self.comment(&format!("hazard {}: {}", h.code(), h.describe()));
        }
        let _ = writeln!(self.text, "{s}");
    }

    /// The statement and its hazards, all as comments.
    fn commented(&mut self, s: &Statement) {
        let mut one = Out {
            text: String::new(),
            dialect: self.dialect,
        };
        one.statement(s);
        self.comment(&one.text);
    }
}

/// Whether `s` goes before the transaction: it cannot run in one, or what
/// it adds cannot be used until it commits.
fn outside(s: &Statement) -> bool {
    s.has(Hazard::NoTransaction) || s.has(Hazard::CommitBeforeUse)
}

/// The script's text. A script with nothing to do says so in one comment.
pub fn render(fix: &FixScript, dialect: Dialect, h: Header) -> String {
    let mut out = Out {
        text: String::new(),
        dialect,
    };
    out.comment("schemadrift fix script: run against ACTUAL to make it match EXPECTED.");
    out.comment(&format!("EXPECTED: {}", h.expected));
    out.comment(&format!("ACTUAL:   {}", h.actual));
    if fix.is_empty() && fix.unsupported.is_empty() {
        out.comment("Nothing to do: ACTUAL matches EXPECTED.");
        return out.text;
    }
    for u in &fix.unsupported {
        out.comment(&format!("Not written: {u}"));
    }
    for r in &fix.recreated {
        out.comment(&format!("Dropped and created again: {r}"));
    }
    for t in &fix.column_order {
        out.comment(&format!(
            "Column order: {t} keeps its own (PostgreSQL cannot move a column; \
             new columns are added last)"
        ));
    }
    if !h.destructive {
        out.comment(&format!(
            "--no-destructive: {} statement(s) that lose data left out (listed at the end)",
            fix.left_out.len()
        ));
    }
    out.text.push('\n');
    match dialect {
        Dialect::Postgres => {
            for s in postgres::script::preamble() {
                out.statement(&s);
            }
            out.text.push('\n');
            let (before, within): (Vec<&Statement>, Vec<&Statement>) =
                fix.statements.iter().partition(|s| outside(s));
            for s in &before {
                out.statement(s);
            }
            if !before.is_empty() {
                out.text.push('\n');
            }
            if !within.is_empty() {
                out.text.push_str("BEGIN;\n\n");
                for s in &within {
                    out.statement(s);
                    out.text.push('\n');
                }
                out.text.push_str("COMMIT;\n");
            }
        }
        Dialect::Cypher => {
            for s in &fix.statements {
                out.statement(s);
                out.text.push('\n');
            }
        }
    }
    if !fix.left_out.is_empty() {
        out.text.push('\n');
        out.comment(
            "Left out by --no-destructive (they lose data); run them yourself if you mean it:",
        );
        for s in &fix.left_out {
            out.commented(s);
        }
    }
    out.text
}

/// The statements of a migration that `adopt` writes: each hazard a
/// comment above its statement, and neither the fix script's session
/// settings (they would outlast the migration in the tool's session) nor a
/// transaction (the tool runs the migration in its own).
pub fn migration(fix: &FixScript, dialect: Dialect) -> String {
    let mut out = Out {
        text: String::new(),
        dialect,
    };
    for u in &fix.unsupported {
        out.comment(&format!("Not written: {u}"));
    }
    for s in &fix.statements {
        out.statement(s);
        out.text.push('\n');
    }
    out.text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header<'static> {
        Header {
            expected: "expected/postgres.json",
            actual: "postgres://db/app",
            destructive: true,
        }
    }

    #[test]
    fn statements_run_in_one_transaction_after_those_that_cannot() {
        let fix = FixScript {
            statements: vec![
                Statement::new("DROP TABLE app.tmp").with(&[Hazard::DataLoss]),
                Statement::new("ALTER TYPE app.mood ADD VALUE 'ok'")
                    .with(&[Hazard::CommitBeforeUse]),
                Statement::new("ALTER TABLE app.t ALTER COLUMN m SET DEFAULT 'ok'"),
            ],
            ..Default::default()
        };
        let text = render(&fix, Dialect::Postgres, header());
        let add = text.find("ADD VALUE").unwrap();
        let begin = text.find("BEGIN;").unwrap();
        let drop = text.find("DROP TABLE").unwrap();
        let commit = text.find("COMMIT;").unwrap();
        assert!(add < begin && begin < drop && drop < commit, "{text}");
        assert!(
            text.contains("-- hazard data-loss: drops data that this script cannot bring back\nDROP TABLE app.tmp;"),
            "{text}"
        );
        assert!(text.starts_with("-- schemadrift fix script"), "{text}");
    }

    #[test]
    fn left_out_statements_are_comments() {
        let fix = FixScript {
            left_out: vec![Statement::new("DROP TABLE app.tmp").with(&[Hazard::DataLoss])],
            ..Default::default()
        };
        let text = render(&fix, Dialect::Postgres, header());
        assert!(text.contains("-- DROP TABLE app.tmp;"), "{text}");
        assert!(!text.lines().any(|l| l.starts_with("DROP")), "{text}");
        assert!(!text.contains("BEGIN"), "{text}");
    }

    #[test]
    fn nothing_to_do_is_one_comment() {
        let text = render(&FixScript::default(), Dialect::Cypher, header());
        assert!(text.ends_with("// Nothing to do: ACTUAL matches EXPECTED.\n"));
        assert!(text.lines().all(|l| l.starts_with("// ")), "{text}");
    }
}
