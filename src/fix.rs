//! `--format sql` and `--format cypher`: the fix script that turns ACTUAL
//! into EXPECTED, made from the two snapshots (see [`crate::ddl`]).

use crate::ddl::text::{self, Dialect, Header};
use crate::ddl::{cypher, postgres};
use crate::model::Snapshot;

/// What the fix script is for and how it is written.
#[derive(Debug, Clone, Copy)]
pub struct FixOptions {
    pub dialect: Dialect,
    /// Keep the statements that lose data (`--no-destructive` turns it off).
    pub destructive: bool,
}

/// The fix script's text, or the sentence that says why there is none:
/// neither side has a schema of the script's engine, or ignore rules left
/// out changes that the script would undo.
pub fn script(
    expected: &Snapshot,
    actual: &Snapshot,
    opts: FixOptions,
    sources: (&str, &str),
    ignored: usize,
) -> Result<String, String> {
    let (engine, other_format, have) = match opts.dialect {
        Dialect::Postgres => (
            "PostgreSQL",
            "cypher",
            expected.postgres.is_some() || actual.postgres.is_some(),
        ),
        Dialect::Cypher => (
            "Neo4j",
            "sql",
            expected.neo4j.is_some() || actual.neo4j.is_some(),
        ),
    };
    if !have {
        return Err(format!(
            "--format {} writes a {engine} fix script, and neither EXPECTED nor ACTUAL has a {engine} schema (try --format {other_format})",
            match opts.dialect {
                Dialect::Postgres => "sql",
                Dialect::Cypher => "cypher",
            }
        ));
    }
    if ignored > 0 {
        return Err(format!(
            "ignore rules left out {ignored} change(s), and a fix script would undo them: \
             drop the rules for a fix script, or use another --format"
        ));
    }
    let fix = match opts.dialect {
        Dialect::Postgres => {
            let empty = crate::model::PgSchema::default();
            // The script runs against ACTUAL: its server decides the syntax.
            let r = postgres::Pg::for_server(actual.server_version.as_deref());
            let want = expected.postgres.as_ref().unwrap_or(&empty);
            // The script acts on what the differ reports: what ACTUAL spells
            // otherwise but means the same is not a change.
            let have = crate::diff::postgres::align(
                want,
                actual.postgres.as_ref().unwrap_or(&empty),
                &crate::equiv::Equiv::of(expected, actual),
            );
            postgres::fix::fix_script(&r, want, &have, opts.destructive)
        }
        Dialect::Cypher => {
            let empty = crate::model::Neo4jSchema::default();
            cypher::fix_script(
                expected.neo4j.as_ref().unwrap_or(&empty),
                actual.neo4j.as_ref().unwrap_or(&empty),
            )
        }
    };
    Ok(text::render(
        &fix,
        opts.dialect,
        Header {
            expected: sources.0,
            actual: sources.1,
            destructive: opts.destructive,
        },
    ))
}
