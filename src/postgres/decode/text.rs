//! Text re-creation: constraint and index definitions as
//! `pg_get_constraintdef` / `pg_get_indexdef` write them, from the key
//! columns by position (no per-object server call).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use crate::model::postgres::{Constraint, ConstraintKind, ForeignKey, Index, IndexKey};

use super::*;

pub(super) fn constraint(kind: ConstraintKind, c: RawConstraint, names: &KeyNames) -> Constraint {
    let RawConstraint {
        table_oid,
        name: _, // the caller's key
        kind: _, // decoded by the caller into `kind`
        tree: _, // a lazy read's CHECK: deferred into `definition` before
        oid: _,  // what a deferred tree is deparsed by
        definition,
        attnums,
        deferrable,
        initially_deferred,
        validated,
        no_inherit,
        fk_references,
        fk_table_oid,
        fk_attnums,
        fk_columns_elsewhere,
        on_update,
        on_delete,
        match_type,
        comment,
    } = c;
    let columns = names.column_names(table_oid, &attnums);
    let foreign_key = (kind == ConstraintKind::ForeignKey).then(|| ForeignKey {
        references: fk_references.unwrap_or_default(),
        referenced_columns: fk_columns_elsewhere
            .unwrap_or_else(|| names.column_names(fk_table_oid, &fk_attnums)),
        on_update: fk_action(&on_update).to_string(),
        on_delete: fk_action(&on_delete).to_string(),
        match_type: fk_match(&match_type).to_string(),
    });
    let definition = match definition {
        Some(d) => d,
        None => constraint_definition(&KeyDefinition {
            kind,
            columns: &columns,
            foreign_key: foreign_key.as_ref(),
            deferrable,
            initially_deferred,
            validated,
            keywords: &names.keywords,
        }),
    };
    Constraint {
        kind,
        definition,
        columns,
        deferrable,
        initially_deferred,
        validated,
        // connoinherit is also set on keys of plain tables; it means
        // something only for CHECK.
        no_inherit: kind == ConstraintKind::Check && no_inherit,
        foreign_key,
        comment,
    }
}

/// What a primary key, unique or foreign key constraint's text is made of.
pub struct KeyDefinition<'a> {
    pub kind: ConstraintKind,
    pub columns: &'a [String],
    pub foreign_key: Option<&'a ForeignKey>,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub validated: bool,
    /// The keywords an identifier must be quoted to be (see [`quote_ident`]).
    pub keywords: &'a HashSet<String>,
}

/// The text `pg_get_constraintdef` gives a primary key, unique or foreign
/// key constraint without INCLUDE, NULLS NOT DISTINCT, PERIOD / WITHOUT
/// OVERLAPS, NOT ENFORCED or ON DELETE SET NULL (columns) (`constraints.sql`
/// asks the server for those), written as PostgreSQL's ruleutils.c does:
/// `PRIMARY KEY (a, b)`, `UNIQUE (a)`, `FOREIGN KEY (a) REFERENCES s.t(b)
/// MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL`, then ` DEFERRABLE`,
/// ` INITIALLY DEFERRED`, ` NOT VALID`. Other kinds give an empty string.
pub fn constraint_definition(d: &KeyDefinition) -> String {
    let list = |cols: &[String]| {
        cols.iter()
            .map(|c| quote_ident(c, d.keywords))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = match (d.kind, d.foreign_key) {
        (ConstraintKind::PrimaryKey, _) => format!("PRIMARY KEY ({})", list(d.columns)),
        (ConstraintKind::Unique, _) => format!("UNIQUE ({})", list(d.columns)),
        (ConstraintKind::ForeignKey, Some(fk)) => {
            let mut s = format!(
                "FOREIGN KEY ({}) REFERENCES {}({})",
                list(d.columns),
                fk.references,
                list(&fk.referenced_columns)
            );
            match fk.match_type.as_str() {
                "full" => s.push_str(" MATCH FULL"),
                "partial" => s.push_str(" MATCH PARTIAL"),
                _ => {}
            }
            for (clause, action) in [("ON UPDATE", &fk.on_update), ("ON DELETE", &fk.on_delete)] {
                let action = match action.as_str() {
                    "restrict" => "RESTRICT",
                    "cascade" => "CASCADE",
                    "set_null" => "SET NULL",
                    "set_default" => "SET DEFAULT",
                    _ => continue,
                };
                s.push_str(&format!(" {clause} {action}"));
            }
            s
        }
        _ => return String::new(),
    };
    if d.deferrable {
        out.push_str(" DEFERRABLE");
    }
    if d.initially_deferred {
        out.push_str(" INITIALLY DEFERRED");
    }
    if !d.validated {
        out.push_str(" NOT VALID");
    }
    out
}

/// An identifier as PostgreSQL's `quote_ident` writes it: bare when it is
/// lower-case ASCII letters, digits and underscores, not starting with a
/// digit, and not one of `keywords` (the server's keywords other than the
/// unreserved ones); else in double quotes, with quotes doubled.
pub fn quote_ident<'a>(name: &'a str, keywords: &HashSet<String>) -> Cow<'a, str> {
    let bytes = name.as_bytes();
    let plain = bytes
        .first()
        .is_some_and(|b| b.is_ascii_lowercase() || *b == b'_')
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
        && !keywords.contains(name);
    if plain {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("\"{}\"", name.replace('"', "\"\"")))
    }
}

/// `indoption` bits of one key -> (descending, nulls_not_default).
pub fn index_option(bits: i32) -> (bool, bool) {
    const DESC: i32 = 1;
    const NULLS_FIRST: i32 = 2;
    let descending = bits & DESC != 0;
    let nulls_first = bits & NULLS_FIRST != 0;
    // The default is NULLS LAST for ASC and NULLS FIRST for DESC.
    (descending, nulls_first != descending)
}

/// What index and constraint keys are named from: the columns of every
/// relation read (sorted by relation OID and `attnum`, looked up by binary
/// search), operator classes and collations (by OID), and the keywords that
/// identifiers must be quoted to be.
pub struct KeyNames<'a> {
    /// Sorted by table and `attnum`.
    pub(super) columns: &'a [RawColumn],
    /// Where each table's columns are in `columns`: one hash lookup, where
    /// a binary search of 100,000 columns missed the cache at most steps.
    pub(super) tables: HashMap<u32, std::ops::Range<usize>>,
    pub(super) opclasses: HashMap<u32, Option<String>>,
    pub(super) collations: HashMap<u32, String>,
    pub(super) keywords: HashSet<String>,
}

impl<'a> KeyNames<'a> {
    /// `columns` must be sorted by table OID and position.
    pub fn new(
        columns: &'a [RawColumn],
        opclasses: Vec<(u32, Option<String>)>,
        collations: Vec<(u32, String)>,
        keywords: Vec<String>,
    ) -> Self {
        let mut tables = HashMap::new();
        let mut start = 0;
        for run in columns.chunk_by(|a, b| a.table_oid == b.table_oid) {
            tables.insert(run[0].table_oid, start..start + run.len());
            start += run.len();
        }
        KeyNames {
            columns,
            tables,
            opclasses: opclasses.into_iter().collect(),
            collations: collations.into_iter().collect(),
            keywords: keywords.into_iter().collect(),
        }
    }

    /// Every column of `table`: number and name, in order, so that no two
    /// lists read alike.
    pub(super) fn all_columns(&self, table: u32) -> String {
        let mut out = String::new();
        for c in self.of(table) {
            push_part(&mut out, &c.position.to_string());
            push_part(&mut out, &c.name);
        }
        out
    }

    /// The columns of `table`, in order.
    pub(super) fn of(&self, table: u32) -> &'a [RawColumn] {
        match self.tables.get(&table) {
            Some(range) => &self.columns[range.clone()],
            None => &[],
        }
    }

    pub(super) fn column(&self, table: u32, attnum: i16) -> Option<&'a RawColumn> {
        let columns = self.of(table);
        // Without dropped columns, column n is at n - 1.
        let guess = usize::try_from(attnum).ok()?.checked_sub(1)?;
        match columns.get(guess) {
            Some(c) if c.position == attnum => Some(c),
            _ => columns
                .binary_search_by_key(&attnum, |c| c.position)
                .ok()
                .map(|i| &columns[i]),
        }
    }

    /// The names of columns `attnums` of `table`, leaving out any not read
    /// (0 stands for an expression).
    pub(super) fn column_names(&self, table: u32, attnums: &[i16]) -> Vec<String> {
        attnums
            .iter()
            .filter_map(|&n| self.column(table, n).map(|c| c.name.clone()))
            .collect()
    }
}

pub(super) fn index(x: RawIndex, names: &KeyNames) -> Index {
    let RawIndex {
        table_oid,
        name: _, // the caller's key
        method,
        unique,
        nulls_not_distinct,
        key_count,
        attnums,
        opclass_oids,
        collation_oids,
        key_options,
        key_exprs,
        key_type_collations,
        key_statistics,
        predicate,
        key_exprs_tree: _, // a lazy read's: deferred into `key_exprs` before
        predicate_tree: _, // and into `predicate`
        oid: _,            // what a deferred tree is deparsed by
        options,
        comment,
    } = x;
    let key_count = usize::try_from(key_count).unwrap_or(0).min(attnums.len());
    let (key_attnums, include_attnums) = attnums.split_at(key_count);
    let keys = key_attnums
        .iter()
        .enumerate()
        .map(|(k, &attnum)| {
            let column = (attnum != 0)
                .then(|| names.column(table_oid, attnum))
                .flatten();
            // A plain column key is the column's name; an expression key
            // its deparsed text. A key's collation is shown only when it is
            // not the column's (or, for an expression, its type's).
            let (expression, own_collation) = match column {
                Some(c) => (c.name.clone(), c.collation_oid),
                None => (
                    key_exprs
                        .as_ref()
                        .and_then(|e| e.get(k).cloned().flatten())
                        .unwrap_or_default(),
                    key_type_collations
                        .as_ref()
                        .and_then(|t| t.get(k).copied())
                        .unwrap_or(0),
                ),
            };
            let collation = collation_oids
                .get(k)
                .copied()
                .filter(|&c| c != 0 && c != own_collation)
                .and_then(|c| names.collations.get(&c).cloned());
            let opclass = opclass_oids
                .get(k)
                .and_then(|o| names.opclasses.get(o).cloned().flatten());
            let (descending, nulls_not_default) =
                index_option(i32::from(key_options.get(k).copied().unwrap_or(0)));
            let statistics = key_statistics
                .as_ref()
                .and_then(|s| s.get(k).copied().flatten());
            IndexKey {
                expression,
                opclass,
                collation,
                descending,
                nulls_not_default,
                statistics,
            }
        })
        .collect();
    let include = names.column_names(table_oid, include_attnums);
    Index {
        method,
        unique,
        nulls_not_distinct,
        keys,
        include,
        predicate,
        storage_parameters: options,
        comment,
    }
}

/// Append `part` to `out` after its length, so that no two sequences of
/// parts read alike.
pub(super) fn push_part(out: &mut String, part: &str) {
    out.push_str(&part.len().to_string());
    out.push(':');
    out.push_str(part);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::postgres::*;

    #[test]
    fn index_options_decode_direction_and_nulls() {
        assert_eq!(index_option(0), (false, false)); // ASC NULLS LAST
        assert_eq!(index_option(2), (false, true)); // ASC NULLS FIRST
        assert_eq!(index_option(3), (true, false)); // DESC NULLS FIRST
        assert_eq!(index_option(1), (true, true)); // DESC NULLS LAST
    }

    #[test]
    fn identifiers_are_quoted_as_quote_ident_does() {
        let keywords: HashSet<String> = ["select", "user", "order"].map(String::from).into();
        assert_eq!(quote_ident("plain_1", &keywords), "plain_1");
        assert_eq!(quote_ident("_x", &keywords), "_x");
        assert_eq!(quote_ident("1x", &keywords), "\"1x\"");
        assert_eq!(quote_ident("Mixed", &keywords), "\"Mixed\"");
        assert_eq!(quote_ident("with space", &keywords), "\"with space\"");
        assert_eq!(quote_ident("a\"b", &keywords), "\"a\"\"b\"");
        assert_eq!(quote_ident("café", &keywords), "\"café\"");
        assert_eq!(quote_ident("user", &keywords), "\"user\"");
        assert_eq!(quote_ident("users", &keywords), "users");
        assert_eq!(quote_ident("", &keywords), "\"\"");
    }

    #[test]
    fn key_definitions_read_as_pg_get_constraintdef_writes_them() {
        let keywords: HashSet<String> = ["order"].map(String::from).into();
        let cols = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let key = |kind, columns: &[String]| {
            constraint_definition(&KeyDefinition {
                kind,
                columns,
                foreign_key: None,
                deferrable: false,
                initially_deferred: false,
                validated: true,
                keywords: &keywords,
            })
        };
        assert_eq!(
            key(ConstraintKind::PrimaryKey, &cols(&["id", "order"])),
            "PRIMARY KEY (id, \"order\")"
        );
        assert_eq!(
            key(ConstraintKind::Unique, &cols(&["Email"])),
            "UNIQUE (\"Email\")"
        );
        assert_eq!(key(ConstraintKind::Check, &cols(&["x"])), "");
        let fk = ForeignKey {
            references: "app.\"Owners\"".into(),
            referenced_columns: cols(&["id", "tenant"]),
            on_update: "cascade".into(),
            on_delete: "set_null".into(),
            match_type: "full".into(),
        };
        let columns = cols(&["owner_id", "tenant"]);
        let mut d = KeyDefinition {
            kind: ConstraintKind::ForeignKey,
            columns: &columns,
            foreign_key: Some(&fk),
            deferrable: true,
            initially_deferred: true,
            validated: false,
            keywords: &keywords,
        };
        assert_eq!(
            constraint_definition(&d),
            "FOREIGN KEY (owner_id, tenant) REFERENCES app.\"Owners\"(id, tenant) MATCH FULL \
             ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED NOT VALID"
        );
        let plain = ForeignKey {
            on_update: "no_action".into(),
            on_delete: "restrict".into(),
            match_type: "simple".into(),
            ..fk.clone()
        };
        d.foreign_key = Some(&plain);
        d.deferrable = false;
        d.initially_deferred = false;
        d.validated = true;
        assert_eq!(
            constraint_definition(&d),
            "FOREIGN KEY (owner_id, tenant) REFERENCES app.\"Owners\"(id, tenant) ON DELETE RESTRICT"
        );
    }
}
