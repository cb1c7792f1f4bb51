//! schemadrift: find the drift between a database's live schema and what its
//! migrations say it should be.
//!
//! Data flows one way: sources -> snapshots -> diff -> report -> alert.

pub mod adopt;
pub mod alert;
pub mod applied;
pub mod check;
pub mod cli;
pub mod compare;
pub mod config;
pub mod conninfo;
pub mod ddl;
pub mod diff;
pub mod equiv;
pub mod error;
pub mod expected;
pub mod filter;
pub mod fix;
pub mod fleet;
pub mod history;
pub mod io;
pub mod manpage;
pub mod migrations;
pub mod model;
pub mod neo4j;
pub mod patch;
pub mod postgres;
pub mod progress;
pub mod redact;
pub mod report;
pub mod run;
pub mod source;

pub use error::Error;
