//! DDL rendered from the model: PostgreSQL SQL and Neo4j Cypher.
//!
//! A report shows a missing object as the statement that would create it, a
//! fix script turns ACTUAL into EXPECTED, and `adopt` writes the reverse as a
//! migration: all three are made of the [`Statement`]s built here. Each kind
//! of object has `create`, `drop` and `alter(expected, actual)`; `alter`
//! answers [`Alter::Recreate`] where the database has no statement that
//! changes the attribute in place, so that a script builder knows to drop
//! and create it again together with what depends on it.
//!
//! Everything is rendered from the model alone, never from the text a
//! migration was written in, so what is rendered is what the database
//! printed: creating it in another database and reading it back gives the
//! same model (`tests/ddl_postgres.rs` proves this for every fixture).

pub mod cypher;
pub mod describe;
pub mod postgres;
pub mod text;

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

/// One statement, with what running it risks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// The statement, without a terminating `;`.
    pub sql: String,
    /// Sorted, without duplicates.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hazards: Vec<Hazard>,
}

impl Statement {
    pub fn new(sql: impl Into<String>) -> Statement {
        Statement {
            sql: sql.into(),
            hazards: Vec::new(),
        }
    }

    /// The same statement, also carrying `hazards`.
    pub fn with(mut self, hazards: &[Hazard]) -> Statement {
        self.hazards.extend_from_slice(hazards);
        self.hazards.sort();
        self.hazards.dedup();
        self
    }

    pub fn has(&self, hazard: Hazard) -> bool {
        self.hazards.contains(&hazard)
    }
}

impl fmt::Display for Statement {
    /// The statement with its terminator, as a script holds it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{};", self.sql)
    }
}

/// What can go wrong when a statement runs against a database in use: the
/// script builder comments these above the statement, and
/// `--no-destructive` leaves out the statements that lose data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hazard {
    /// Drops data that the script cannot bring back (a table, a column, a
    /// sequence's position, values a narrower type cannot hold).
    DataLoss,
    /// Rewrites the whole table (or rebuilds its indexes) under an ACCESS
    /// EXCLUSIVE lock: reads and writes wait for it.
    Rewrite,
    /// Scans or builds while holding a lock that blocks writes (an index
    /// built without CONCURRENTLY, a constraint validated, a materialized
    /// view filled).
    Lock,
    /// Fails when the data already there does not satisfy it.
    MayFail,
    /// Cannot run inside a transaction block (`CREATE INDEX CONCURRENTLY`).
    NoTransaction,
    /// What it adds cannot be used in the transaction that added it (`ALTER
    /// TYPE .. ADD VALUE`): commit before a statement that uses it.
    CommitBeforeUse,
}

impl Hazard {
    /// A stable kebab-case code, as serialized.
    pub fn code(self) -> &'static str {
        match self {
            Hazard::DataLoss => "data-loss",
            Hazard::Rewrite => "rewrite",
            Hazard::Lock => "lock",
            Hazard::MayFail => "may-fail",
            Hazard::NoTransaction => "no-transaction",
            Hazard::CommitBeforeUse => "commit-before-use",
        }
    }

    /// One line for a comment above the statement.
    pub fn describe(self) -> &'static str {
        match self {
            Hazard::DataLoss => "drops data that this script cannot bring back",
            Hazard::Rewrite => "rewrites the table under an ACCESS EXCLUSIVE lock",
            Hazard::Lock => "holds a lock that blocks writes while it scans or builds",
            Hazard::MayFail => "fails if the existing data does not satisfy it",
            Hazard::NoTransaction => "cannot run inside a transaction block",
            Hazard::CommitBeforeUse => "what it adds cannot be used before its transaction commits",
        }
    }
}

/// How to turn ACTUAL into EXPECTED for one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Alter {
    /// These statements, in order (none when the two are equal).
    InPlace(Vec<Statement>),
    /// The database has no statement that makes the change in place: drop
    /// ACTUAL and create EXPECTED. Whatever depends on the object (views
    /// reading a column, foreign keys on a unique constraint) has to be
    /// dropped before and created again after; that is the script
    /// builder's part.
    Recreate {
        /// Why, in a few words (`the partition key`, `a label removed`).
        reason: String,
        drop: Vec<Statement>,
        create: Vec<Statement>,
    },
}

impl Alter {
    /// No statement needed.
    pub fn none() -> Alter {
        Alter::InPlace(Vec::new())
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Alter::InPlace(v) if v.is_empty())
    }

    /// Every statement in the order it runs (a recreate's drop, then create).
    pub fn statements(&self) -> Vec<&Statement> {
        match self {
            Alter::InPlace(v) => v.iter().collect(),
            Alter::Recreate { drop, create, .. } => drop.iter().chain(create).collect(),
        }
    }

    /// Consume into the statements in the order they run.
    pub fn into_statements(self) -> Vec<Statement> {
        match self {
            Alter::InPlace(v) => v,
            Alter::Recreate {
                mut drop, create, ..
            } => {
                drop.extend(create);
                drop
            }
        }
    }
}

impl IntoIterator for Alter {
    type Item = Statement;
    type IntoIter = std::vec::IntoIter<Statement>;

    /// The statements in the order they run.
    fn into_iter(self) -> Self::IntoIter {
        self.into_statements().into_iter()
    }
}

/// The statements that turn ACTUAL into EXPECTED, and what they cannot do.
#[derive(Debug, Clone, Default)]
pub struct FixScript {
    /// In the order they run (for PostgreSQL, without
    /// [`postgres::script::preamble`]).
    pub statements: Vec<Statement>,
    /// Left out because they lose data (`destructive` off), in order,
    /// with what would recreate what they drop.
    pub left_out: Vec<Statement>,
    /// Why objects are dropped and created again (`the partition key`),
    /// one entry per object.
    pub recreated: Vec<String>,
    /// Tables whose columns end in another order than EXPECTED's: a column
    /// that EXPECTED has in the middle and ACTUAL lacks is added last, and
    /// PostgreSQL has no statement that moves a column.
    pub column_order: BTreeSet<String>,
    /// What could not be written (a C function or an aggregate of an old snapshot).
    pub unsupported: Vec<Unsupported>,
}

impl FixScript {
    /// Nothing to run and nothing left out.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty() && self.left_out.is_empty()
    }
}

/// An object the model does not hold enough of to be written as DDL (an
/// aggregate's state function, a C function's library), or that the
/// target has no syntax for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{object}: {reason}")]
pub struct Unsupported {
    /// The object, e.g. `function care.total(integer)`.
    pub object: String,
    pub reason: String,
}

/// The SQL of each statement, for tests to compare.
#[cfg(test)]
pub(crate) fn sql_of(statements: impl IntoIterator<Item = Statement>) -> Vec<String> {
    statements.into_iter().map(|s| s.sql).collect()
}
