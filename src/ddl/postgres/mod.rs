//! PostgreSQL DDL rendered from [`crate::model::postgres`].
//!
//! One module per kind of object, each with `create`, `drop` and
//! `alter(expected, actual)`; [`script::create_script`] puts a whole schema
//! in dependency order. Names in the model are stored as PostgreSQL holds
//! them (unquoted) except where the model says a text is PostgreSQL's own
//! printing (types, expressions, definitions, `parent`/`references`
//! names), which is used as it stands.

pub mod access_method;
pub mod cast;
pub mod collation;
pub mod column;
pub mod constraint;
pub mod conversion;
pub mod event_trigger;
pub mod fix;
pub mod foreign;
pub mod function;
pub mod index;
pub mod language;
pub mod opclass;
pub mod operator;
pub mod policy;
pub mod privileges;
pub mod publication;
pub mod quote;
pub mod refs;
pub mod rule;
pub mod schema;
pub mod script;
pub mod security_label;
pub mod sequence;
pub mod statistics;
pub mod subscription;
pub mod table;
pub mod text_search;
pub mod transform;
pub mod trigger;
pub mod types;
pub mod view;

use std::borrow::Cow;

/// The server the DDL is for: which words are keywords, which statements
/// exist (`ALTER COLUMN .. SET EXPRESSION` is 17+, `CREATE OR REPLACE
/// TRIGGER` 14+).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pg {
    /// `server_version_num`, e.g. `150018`.
    pub version: u32,
}

impl Pg {
    /// The newest PostgreSQL this renderer knows.
    pub const NEWEST: u32 = 180000;

    pub fn new(version: u32) -> Pg {
        Pg { version }
    }

    /// For a snapshot's `server_version` (`PostgreSQL 15.18`), or the newest
    /// server when it is unknown.
    pub fn for_server(server_version: Option<&str>) -> Pg {
        let num = server_version
            .and_then(|v| v.split_whitespace().nth(1))
            .and_then(|v| {
                let mut parts = v.split(|c: char| !c.is_ascii_digit());
                let major: u32 = parts.next()?.parse().ok()?;
                let minor: u32 = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
                Some(major * 10000 + minor)
            });
        Pg::new(num.unwrap_or(Pg::NEWEST))
    }

    /// An identifier, quoted when PostgreSQL's `quote_ident` would.
    pub fn ident<'a>(&self, name: &'a str) -> Cow<'a, str> {
        quote::ident(name, self.version)
    }

    /// `schema.name`, each part quoted as needed.
    pub fn qual(&self, at: Name) -> String {
        format!("{}.{}", self.ident(at.schema), self.ident(at.name))
    }

    /// A comma-separated list of identifiers.
    pub fn idents<S: AsRef<str>>(&self, names: &[S]) -> String {
        names
            .iter()
            .map(|n| self.ident(n.as_ref()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Default for Pg {
    fn default() -> Pg {
        Pg::new(Pg::NEWEST)
    }
}

/// Where an object is: its schema and its name as the model keys it (a
/// function's key is `name(identity arguments)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name<'a> {
    pub schema: &'a str,
    pub name: &'a str,
    /// A foreign table's: `ALTER FOREIGN TABLE`, `DROP FOREIGN TABLE`,
    /// `COMMENT ON FOREIGN TABLE` (see [`Name::table_kw`]).
    pub foreign: bool,
}

impl<'a> Name<'a> {
    pub fn new(schema: &'a str, name: &'a str) -> Name<'a> {
        Name {
            schema,
            name,
            foreign: false,
        }
    }

    /// Table `t`'s name: a foreign table's when it is one.
    pub fn of_table(self, t: &crate::model::postgres::Table) -> Name<'a> {
        Name {
            foreign: t.foreign.is_some(),
            ..self
        }
    }

    /// `TABLE`, or `FOREIGN TABLE` for a foreign table: what `ALTER`,
    /// `DROP` and `COMMENT ON` take (PostgreSQL takes `ALTER TABLE` for a
    /// foreign table too, but not `DROP TABLE` nor `COMMENT ON TABLE`).
    pub fn table_kw(self) -> &'static str {
        if self.foreign {
            "FOREIGN TABLE"
        } else {
            "TABLE"
        }
    }
}

/// `COMMENT ON <target> IS ...` (or `IS NULL`).
pub(crate) fn comment(target: &str, text: Option<&str>) -> crate::ddl::Statement {
    let value = match text {
        Some(t) => quote::literal(t),
        None => "NULL".to_string(),
    };
    crate::ddl::Statement::new(format!("COMMENT ON {target} IS {value}"))
}

/// The comment statement when `expected` differs from `actual`.
pub(crate) fn alter_comment(
    target: &str,
    expected: Option<&String>,
    actual: Option<&String>,
) -> Option<crate::ddl::Statement> {
    (expected != actual).then(|| comment(target, expected.map(String::as_str)))
}

/// `WITH (a=1, b=2)` for storage parameters, or nothing.
pub(crate) fn with_options(options: &[String]) -> String {
    if options.is_empty() {
        String::new()
    } else {
        format!(
            " WITH ({})",
            options
                .iter()
                .map(|o| quote::reloption(o))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// The `SET (...)` and `RESET (...)` clauses that turn the storage
/// parameters `actual` into `expected` (`ALTER <target> SET ...`).
pub(crate) fn alter_options(
    target: &str,
    expected: &[String],
    actual: &[String],
) -> Vec<crate::ddl::Statement> {
    let mut out = Vec::new();
    let reset: Vec<&str> = actual
        .iter()
        .map(|o| quote::reloption_name(o))
        .filter(|n| !expected.iter().any(|e| quote::reloption_name(e) == *n))
        .collect();
    if !reset.is_empty() {
        out.push(crate::ddl::Statement::new(format!(
            "ALTER {target} RESET ({})",
            reset.join(", ")
        )));
    }
    let set: Vec<String> = expected
        .iter()
        .filter(|e| !actual.contains(e))
        .map(|o| quote::reloption(o))
        .collect();
    if !set.is_empty() {
        out.push(crate::ddl::Statement::new(format!(
            "ALTER {target} SET ({})",
            set.join(", ")
        )));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;

    #[test]
    fn server_versions_are_read_from_snapshots() {
        assert_eq!(Pg::for_server(Some("PostgreSQL 15.18")).version, 150018);
        assert_eq!(Pg::for_server(Some("PostgreSQL 18beta1")).version, 180000);
        assert_eq!(Pg::for_server(None).version, Pg::NEWEST);
    }

    #[test]
    fn storage_parameters_are_set_and_reset() {
        let e = vec!["fillfactor=70".to_string()];
        let a = vec![
            "autovacuum_enabled=false".to_string(),
            "fillfactor=50".to_string(),
        ];
        let sql = sql_of(alter_options("TABLE t", &e, &a));
        assert_eq!(
            sql,
            [
                "ALTER TABLE t RESET (autovacuum_enabled)",
                "ALTER TABLE t SET (fillfactor=70)"
            ]
        );
    }
}
