//! What PostgreSQL objects mean to the differ: identities, compared
//! attributes, change codes and severities.
//!
//! Everything is compared textually, as PostgreSQL normalised it when the
//! snapshot was taken (see `model::postgres`). The exceptions, each there to
//! avoid a false positive:
//!
//! - constraints and indexes whose names differ but whose meaning is equal
//!   are paired and reported as an `info` rename;
//! - a sequence owned by a column is identified by that column, and the
//!   column's `nextval('...'::regclass)` default by "its own sequence", so
//!   `serial` and an explicit sequence with `OWNED BY` compare equal;
//! - column order is compared only among the columns both sides have, and
//!   reported at `info` level;
//! - a missing or unexpected object carries its children (and the sequences
//!   it owns and the partitions it holds), so a dropped table is one change.
//!
//! Severity: `error` for a lost object that code depends on (everything but
//! an index; a unique index too, since it enforces data), a changed type or
//! nullability, a changed constraint or policy (the expected one no longer
//! exists as written), RLS disabled, a trigger disabled, an enum label lost;
//! `warning` for unexpected objects, missing indexes and other changed
//! attributes; `info` for comments, names and column order.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{pair_by_meaning, split, to_value, Change, ChangeKind, FieldChange, Fields, Severity};
use crate::equiv::{Equiv, Kind};
use crate::model::postgres::*;

/// Every change code this module emits, for validating ignore rules and for
/// the documentation (src/report/json-report.md lists them with their severities).
pub const CODES: &[&str] = &[
    "column-collation-changed",
    "column-default-changed",
    "column-generated-changed",
    "column-identity-changed",
    "column-missing",
    "column-nullability-changed",
    "column-order-changed",
    "column-type-changed",
    "column-unexpected",
    "comment-changed",
    "composite-type-changed",
    "composite-type-missing",
    "composite-type-unexpected",
    "constraint-changed",
    "constraint-deferrable-changed",
    "constraint-inheritance-changed",
    "constraint-missing",
    "constraint-renamed",
    "constraint-unexpected",
    "constraint-validation-changed",
    "domain-collation-changed",
    "domain-default-changed",
    "domain-missing",
    "domain-nullability-changed",
    "domain-type-changed",
    "domain-unexpected",
    "enum-label-missing",
    "enum-label-unexpected",
    "enum-labels-reordered",
    "enum-missing",
    "enum-unexpected",
    "extension-missing",
    "extension-schema-changed",
    "extension-unexpected",
    "extension-version-changed",
    "function-body-changed",
    "function-changed",
    "function-missing",
    "function-unexpected",
    "index-changed",
    "index-missing",
    "index-renamed",
    "index-unexpected",
    "materialized-view-definition-changed",
    "materialized-view-missing",
    "materialized-view-unexpected",
    "partition-key-changed",
    "partition-of-changed",
    "policy-changed",
    "policy-missing",
    "policy-unexpected",
    "privileges-changed",
    "rls-disabled",
    "rls-enabled",
    "rls-force-disabled",
    "rls-force-enabled",
    "schema-missing",
    "schema-unexpected",
    "sequence-changed",
    "sequence-missing",
    "sequence-renamed",
    "sequence-unexpected",
    "storage-parameters-changed",
    "table-inherits-changed",
    "table-missing",
    "table-persistence-changed",
    "table-unexpected",
    "trigger-changed",
    "trigger-disabled",
    "trigger-enabled-changed",
    "trigger-missing",
    "trigger-unexpected",
    "view-definition-changed",
    "view-missing",
    "view-options-changed",
    "view-unexpected",
];

/// Every object type this module reports.
pub const OBJECT_TYPES: &[&str] = &[
    "column",
    "composite_type",
    "constraint",
    "domain",
    "enum",
    "extension",
    "function",
    "index",
    "materialized_view",
    "policy",
    "schema",
    "sequence",
    "table",
    "trigger",
    "view",
];

/// Compare two PostgreSQL schemas read by the same PostgreSQL version. The
/// result is unsorted.
pub fn diff(expected: &PgSchema, actual: &PgSchema) -> Vec<Change> {
    diff_with(expected, actual, &Equiv::default())
}

/// [`diff`], with expressions compared by meaning as `eq` says (which
/// knows the versions that printed them).
pub fn diff_with(expected: &PgSchema, actual: &PgSchema, eq: &Equiv) -> Vec<Change> {
    let (e, a) = (Side::new(expected), Side::new(actual));
    let mut d = Differ {
        e: &e,
        a: &a,
        eq,
        privileges: expected.with_privileges && actual.with_privileges,
        out: Vec::new(),
    };
    d.extensions();
    d.schemas();
    d.out
}

/// `parent.name`, in one allocation of the right size (`format!` grows its
/// string as it goes; this runs for every object compared).
fn qual(parent: &str, name: &str) -> String {
    let mut q = String::with_capacity(parent.len() + 1 + name.len());
    q.push_str(parent);
    q.push('.');
    q.push_str(name);
    q
}

/// One side of the comparison with the lookups folding needs.
struct Side<'a> {
    pg: &'a PgSchema,
    /// Owner column (`schema.table.column`) -> sequences it owns (schema, name).
    owned: BTreeMap<&'a str, Vec<(&'a str, &'a str, &'a Sequence)>>,
    /// Partitioned parent (`schema.table`) -> its partitions (schema, name).
    partitions: BTreeMap<&'a str, Vec<(&'a str, &'a str)>>,
}

impl<'a> Side<'a> {
    fn new(pg: &'a PgSchema) -> Side<'a> {
        let mut owned: BTreeMap<&str, Vec<_>> = BTreeMap::new();
        let mut partitions: BTreeMap<&str, Vec<_>> = BTreeMap::new();
        for (sn, s) in &pg.schemas {
            for (qn, q) in &s.sequences {
                if let Some(o) = &q.owned_by {
                    owned
                        .entry(o.as_str())
                        .or_default()
                        .push((sn.as_str(), qn.as_str(), q));
                }
            }
            for (tn, t) in &s.tables {
                if let Some(p) = &t.partition_of {
                    partitions
                        .entry(p.parent.as_str())
                        .or_default()
                        .push((sn.as_str(), tn.as_str()));
                }
            }
        }
        Side {
            pg,
            owned,
            partitions,
        }
    }

    fn has_schema(&self, s: &str) -> bool {
        self.pg.schemas.contains_key(s)
    }

    fn table(&self, qualified: &str) -> Option<&'a Table> {
        let (s, t) = qualified.split_once('.')?;
        self.pg.schemas.get(s)?.tables.get(t)
    }

    fn has_table(&self, qualified: &str) -> bool {
        self.table(qualified).is_some()
    }

    fn has_column(&self, qualified: &str) -> bool {
        let mut it = qualified.splitn(3, '.');
        let (Some(s), Some(t), Some(c)) = (it.next(), it.next(), it.next()) else {
            return false;
        };
        self.pg
            .schemas
            .get(s)
            .and_then(|s| s.tables.get(t))
            .is_some_and(|t| t.columns.iter().any(|col| col.name == c))
    }

    fn has_sequence(&self, s: &str, name: &str) -> bool {
        self.pg
            .schemas
            .get(s)
            .is_some_and(|s| s.sequences.contains_key(name))
    }

    /// The sequence owned by `owner` (`schema.table.column`), when exactly one.
    fn owned_sequence(&self, owner: &str) -> Option<(&'a str, &'a str)> {
        match self.owned.get(owner).map(Vec::as_slice) {
            Some([(s, n, _)]) => Some((s, n)),
            _ => None,
        }
    }
}

struct Differ<'a> {
    e: &'a Side<'a>,
    a: &'a Side<'a>,
    /// Expressions that print differently but mean the same are equal.
    eq: &'a Equiv,
    privileges: bool,
    out: Vec<Change>,
}

/// From this many tables present on both sides, a schema's tables are
/// compared on two threads (a thread costs about what five tables do).
const PARALLEL_TABLES: usize = 256;

/// The code prefix of an object type: `materialized_view` -> `materialized-view`.
fn prefix(object_type: &str) -> String {
    object_type.replace('_', "-")
}

impl<'a> Differ<'a> {
    fn missing(&mut self, object_type: &str, object: &str, severity: Severity, definition: Value) {
        self.out.push(Change {
            code: format!("{}-missing", prefix(object_type)),
            kind: ChangeKind::Missing,
            object_type: object_type.to_string(),
            object: object.to_string(),
            severity,
            fields: vec![],
            definition: Some(definition),
        });
    }

    fn unexpected(&mut self, object_type: &str, object: &str, definition: Value) {
        self.out.push(Change {
            code: format!("{}-unexpected", prefix(object_type)),
            kind: ChangeKind::Unexpected,
            object_type: object_type.to_string(),
            object: object.to_string(),
            severity: Severity::Warning,
            fields: vec![],
            definition: Some(definition),
        });
    }

    /// Emit a `changed` change when `fields` is not empty.
    fn changed(
        &mut self,
        code: &str,
        object_type: &str,
        object: &str,
        severity: Severity,
        fields: Fields,
    ) {
        if !fields.is_empty() {
            self.out.push(Change {
                code: code.to_string(),
                kind: ChangeKind::Changed,
                object_type: object_type.to_string(),
                object: object.to_string(),
                severity,
                fields: fields.0,
                definition: None,
            });
        }
    }

    fn comment(&mut self, object_type: &str, object: &str, e: &Option<String>, a: &Option<String>) {
        let mut f = Fields::new();
        f.cmp("comment", e, a);
        self.changed("comment-changed", object_type, object, Severity::Info, f);
    }

    fn privileges(&mut self, object_type: &str, object: &str, e: &Privileges, a: &Privileges) {
        if !self.privileges {
            return;
        }
        let mut f = Fields::new();
        f.cmp("owner", &e.owner, &a.owner);
        let none = BTreeMap::new();
        let eg = e.grants.as_ref().unwrap_or(&none);
        let ag = a.grants.as_ref().unwrap_or(&none);
        if e.grants.is_some() != a.grants.is_some() && eg.is_empty() && ag.is_empty() {
            // Default privileges on one side, an explicitly empty ACL on the other.
            f.cmp("grants", &e.grants, &a.grants);
        }
        let s = split(eg, ag);
        for (who, p) in s.missing {
            f.0.push(FieldChange {
                field: format!("grants.{who}"),
                expected: to_value(p),
                actual: Value::Null,
            });
        }
        for (who, p) in s.unexpected {
            f.0.push(FieldChange {
                field: format!("grants.{who}"),
                expected: Value::Null,
                actual: to_value(p),
            });
        }
        for (who, ep, ap) in s.both {
            f.cmp(&format!("grants.{who}"), ep, ap);
        }
        self.changed(
            "privileges-changed",
            object_type,
            object,
            Severity::Warning,
            f,
        );
    }

    fn storage(&mut self, object_type: &str, object: &str, e: &[String], a: &[String]) {
        let mut f = Fields::new();
        f.cmp("storage_parameters", e, a);
        self.changed(
            "storage-parameters-changed",
            object_type,
            object,
            Severity::Warning,
            f,
        );
    }

    fn extensions(&mut self) {
        let s = split(&self.e.pg.extensions, &self.a.pg.extensions);
        for (n, x) in s.missing {
            self.missing("extension", n, Severity::Error, to_value(x));
        }
        for (n, x) in s.unexpected {
            self.unexpected("extension", n, to_value(x));
        }
        for (n, e, a) in s.both {
            let mut f = Fields::new();
            if !crate::equiv::same_extension_version(e, a) {
                f.cmp("version", &e.version, &a.version);
            }
            self.changed(
                "extension-version-changed",
                "extension",
                n,
                Severity::Warning,
                f,
            );
            let mut f = Fields::new();
            f.cmp("schema", &e.schema, &a.schema);
            self.changed(
                "extension-schema-changed",
                "extension",
                n,
                Severity::Warning,
                f,
            );
        }
    }

    fn schemas(&mut self) {
        let s = split(&self.e.pg.schemas, &self.a.pg.schemas);
        for (n, x) in s.missing {
            self.missing("schema", n, Severity::Error, to_value(x));
        }
        for (n, x) in s.unexpected {
            self.unexpected("schema", n, to_value(x));
        }
        for (n, e, a) in s.both {
            self.comment("schema", n, &e.comment, &a.comment);
            self.privileges("schema", n, &e.privileges, &a.privileges);
            self.tables(n, e, a);
            self.views(n, e, a);
            self.materialized_views(n, e, a);
            self.sequences(n, e, a);
            self.functions(n, e, a);
            self.enums(n, e, a);
            self.domains(n, e, a);
            self.composite_types(n, e, a);
        }
    }

    // ---- tables -------------------------------------------------------------

    fn tables(&mut self, sn: &str, e: &'a Schema, a: &'a Schema) {
        let s = split(&e.tables, &a.tables);
        for (tn, t) in s.missing {
            let q = qual(sn, tn);
            if !folded_partition(self.e, self.a, t) {
                let def = table_definition(self.e, self.a, sn, tn, t);
                self.missing("table", &q, Severity::Error, def);
            }
        }
        for (tn, t) in s.unexpected {
            let q = qual(sn, tn);
            if !folded_partition(self.a, self.e, t) {
                let def = table_definition(self.a, self.e, sn, tn, t);
                self.unexpected("table", &q, def);
            }
        }
        // Most of the work: with many tables, the second half is compared on
        // another thread and its changes follow the first half's, in the
        // order one thread would have made them.
        let half = if s.both.len() < PARALLEL_TABLES {
            s.both.len()
        } else {
            s.both.len() / 2
        };
        let (first, second) = s.both.split_at(half);
        std::thread::scope(|scope| {
            let rest = (!second.is_empty()).then(|| {
                let mut d = Differ {
                    out: Vec::new(),
                    ..*self
                };
                scope.spawn(move || {
                    d.table_pairs(sn, second);
                    d.out
                })
            });
            self.table_pairs(sn, first);
            if let Some(rest) = rest {
                let out = rest
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                self.out.extend(out);
            }
        });
    }

    fn table_pairs(&mut self, sn: &str, pairs: &[(&String, &Table, &Table)]) {
        for (tn, et, at) in pairs {
            self.table(&qual(sn, tn), et, at);
        }
    }

    fn table(&mut self, q: &str, e: &Table, a: &Table) {
        let mut f = Fields::new();
        f.cmp("persistence", &e.persistence, &a.persistence);
        self.changed(
            "table-persistence-changed",
            "table",
            q,
            Severity::Warning,
            f,
        );

        if e.rls_enabled != a.rls_enabled {
            let mut f = Fields::new();
            f.cmp("rls_enabled", &e.rls_enabled, &a.rls_enabled);
            let (code, sev) = if e.rls_enabled {
                ("rls-disabled", Severity::Error)
            } else {
                ("rls-enabled", Severity::Warning)
            };
            self.changed(code, "table", q, sev, f);
        }
        if e.rls_forced != a.rls_forced {
            let mut f = Fields::new();
            f.cmp("rls_forced", &e.rls_forced, &a.rls_forced);
            let (code, sev) = if e.rls_forced {
                ("rls-force-disabled", Severity::Error)
            } else {
                ("rls-force-enabled", Severity::Warning)
            };
            self.changed(code, "table", q, sev, f);
        }

        let mut f = Fields::new();
        self.cmp_expr(
            &mut f,
            "partition_key",
            Kind::PartitionKey,
            &e.partition_key,
            &a.partition_key,
        );
        self.changed("partition-key-changed", "table", q, Severity::Warning, f);

        let mut f = Fields::new();
        match (&e.partition_of, &a.partition_of) {
            (Some(ep), Some(ap)) => {
                f.cmp("partition_of.parent", &ep.parent, &ap.parent);
                f.cmp("partition_of.bound", &ep.bound, &ap.bound);
            }
            (ep, ap) => f.cmp("partition_of", ep, ap),
        }
        self.changed("partition-of-changed", "table", q, Severity::Warning, f);

        let mut f = Fields::new();
        f.cmp("inherits", &e.inherits, &a.inherits);
        self.changed("table-inherits-changed", "table", q, Severity::Warning, f);

        self.storage("table", q, &e.storage_parameters, &a.storage_parameters);
        self.comment("table", q, &e.comment, &a.comment);
        self.privileges("table", q, &e.privileges, &a.privileges);

        self.columns(q, e, a);
        self.constraints(q, &e.constraints, &a.constraints);
        self.indexes(q, &e.indexes, &a.indexes);
        self.triggers(q, &e.triggers, &a.triggers);
        self.policies(q, e, a);
    }

    fn columns(&mut self, tq: &str, et: &Table, at: &Table) {
        // The common case, without the maps: the same columns in the same
        // order (changes are sorted afterwards, so the visiting order is free).
        if et.columns.len() == at.columns.len()
            && et
                .columns
                .iter()
                .zip(&at.columns)
                .all(|(e, a)| e.name == a.name)
        {
            for (ec, ac) in et.columns.iter().zip(&at.columns) {
                self.column(&qual(tq, &ec.name), ec, ac);
            }
            return;
        }
        let em: BTreeMap<&str, &Column> = et.columns.iter().map(|c| (c.name.as_str(), c)).collect();
        let am: BTreeMap<&str, &Column> = at.columns.iter().map(|c| (c.name.as_str(), c)).collect();
        let s = split(&em, &am);
        for (cn, c) in &s.missing {
            let q = qual(tq, cn);
            let def = column_definition(self.e, self.a, &q, c);
            self.missing("column", &q, Severity::Error, def);
        }
        for (cn, c) in &s.unexpected {
            let q = qual(tq, cn);
            let def = column_definition(self.a, self.e, &q, c);
            self.unexpected("column", &q, def);
        }
        for (cn, ec, ac) in &s.both {
            self.column(&qual(tq, cn), ec, ac);
        }

        // Order among the columns both sides have: an added or dropped column
        // is its own change, not an order change.
        fn common<'c>(cols: &'c [Column], other: &BTreeMap<&str, &Column>) -> Vec<&'c str> {
            cols.iter()
                .map(|c| c.name.as_str())
                .filter(|n| other.contains_key(n))
                .collect()
        }
        let eo = common(&et.columns, &am);
        let ao = common(&at.columns, &em);
        let mut f = Fields::new();
        f.cmp("column_order", &eo, &ao);
        self.changed("column-order-changed", "table", tq, Severity::Info, f);
    }

    fn column(&mut self, q: &str, e: &Column, a: &Column) {
        let mut f = Fields::new();
        f.cmp("type", &e.data_type, &a.data_type);
        self.changed("column-type-changed", "column", q, Severity::Error, f);

        let mut f = Fields::new();
        f.cmp("not_null", &e.not_null, &a.not_null);
        self.changed(
            "column-nullability-changed",
            "column",
            q,
            Severity::Error,
            f,
        );

        let ed = canonical_default(self.e, q, e.default.as_deref());
        let ad = canonical_default(self.a, q, a.default.as_deref());
        if !self.eq.same_opt(Kind::Expression, ed, ad) {
            let mut f = Fields::new();
            f.cmp("default", &e.default, &a.default);
            self.changed("column-default-changed", "column", q, Severity::Warning, f);
        }

        let mut f = Fields::new();
        match (&e.identity, &a.identity) {
            (Some(ei), Some(ai)) => {
                f.cmp("identity.generation", &ei.generation, &ai.generation);
                sequence_options(&mut f, "identity.sequence.", &ei.sequence, &ai.sequence);
            }
            (ei, ai) => f.cmp("identity", ei, ai),
        }
        self.changed("column-identity-changed", "column", q, Severity::Warning, f);

        let mut f = Fields::new();
        match (&e.generated, &a.generated) {
            (Some(eg), Some(ag)) => {
                if !self
                    .eq
                    .same(Kind::Expression, &eg.expression, &ag.expression)
                {
                    f.cmp("generated.expression", &eg.expression, &ag.expression);
                }
                f.cmp("generated.kind", &eg.kind, &ag.kind);
            }
            (eg, ag) => f.cmp("generated", eg, ag),
        }
        self.changed(
            "column-generated-changed",
            "column",
            q,
            Severity::Warning,
            f,
        );

        let mut f = Fields::new();
        f.cmp("collation", &e.collation, &a.collation);
        self.changed(
            "column-collation-changed",
            "column",
            q,
            Severity::Warning,
            f,
        );

        self.comment("column", q, &e.comment, &a.comment);
    }

    fn constraints(
        &mut self,
        tq: &str,
        e: &BTreeMap<String, Constraint>,
        a: &BTreeMap<String, Constraint>,
    ) {
        let mut s = split(e, a);
        let renamed = pair_by_meaning(&mut s, |c: &Constraint| {
            Some((c.kind, self.eq.meaning(Kind::Constraint, &c.definition)))
        });
        for (n, c) in s.missing {
            self.missing("constraint", &qual(tq, n), Severity::Error, to_value(c));
        }
        for (n, c) in s.unexpected {
            self.unexpected("constraint", &qual(tq, n), to_value(c));
        }
        for (en, ec, an, ac) in renamed {
            let q = qual(tq, en);
            self.renamed("constraint", &q, en, an);
            self.constraint(&q, ec, ac);
        }
        for (n, ec, ac) in s.both {
            self.constraint(&qual(tq, n), ec, ac);
        }
    }

    /// Record an expression field unless the two mean the same.
    fn cmp_expr(
        &self,
        f: &mut Fields,
        field: &str,
        kind: Kind,
        e: &Option<String>,
        a: &Option<String>,
    ) {
        if !self.eq.same_opt(kind, e.as_deref(), a.as_deref()) {
            f.cmp(field, e, a);
        }
    }

    fn renamed(&mut self, object_type: &str, q: &str, en: &str, an: &str) {
        let mut f = Fields::new();
        f.cmp("name", en, an);
        let code = format!("{}-renamed", prefix(object_type));
        self.changed(&code, object_type, q, Severity::Info, f);
    }

    fn constraint(&mut self, q: &str, e: &Constraint, a: &Constraint) {
        let mut f = Fields::new();
        f.cmp("kind", &e.kind, &a.kind);
        let (ed, ad) = (
            core_definition(&e.definition),
            core_definition(&a.definition),
        );
        if !self.eq.same(Kind::Constraint, ed, ad) {
            f.cmp("definition", &e.definition, &a.definition);
        }
        f.cmp("columns", &e.columns, &a.columns);
        match (&e.foreign_key, &a.foreign_key) {
            (Some(ef), Some(af)) => {
                f.cmp("foreign_key.references", &ef.references, &af.references);
                f.cmp(
                    "foreign_key.referenced_columns",
                    &ef.referenced_columns,
                    &af.referenced_columns,
                );
                f.cmp("foreign_key.on_update", &ef.on_update, &af.on_update);
                f.cmp("foreign_key.on_delete", &ef.on_delete, &af.on_delete);
                f.cmp("foreign_key.match", &ef.match_type, &af.match_type);
            }
            (ef, af) => f.cmp("foreign_key", ef, af),
        }
        self.changed("constraint-changed", "constraint", q, Severity::Error, f);

        let mut f = Fields::new();
        f.cmp("deferrable", &e.deferrable, &a.deferrable);
        f.cmp(
            "initially_deferred",
            &e.initially_deferred,
            &a.initially_deferred,
        );
        self.changed(
            "constraint-deferrable-changed",
            "constraint",
            q,
            Severity::Warning,
            f,
        );

        let mut f = Fields::new();
        f.cmp("validated", &e.validated, &a.validated);
        self.changed(
            "constraint-validation-changed",
            "constraint",
            q,
            Severity::Warning,
            f,
        );

        let mut f = Fields::new();
        f.cmp("no_inherit", &e.no_inherit, &a.no_inherit);
        self.changed(
            "constraint-inheritance-changed",
            "constraint",
            q,
            Severity::Warning,
            f,
        );

        self.comment("constraint", q, &e.comment, &a.comment);
    }

    /// Indexes of a table or materialized view named `parent`.
    fn indexes(&mut self, parent: &str, e: &BTreeMap<String, Index>, a: &BTreeMap<String, Index>) {
        let mut s = split(e, a);
        let renamed = pair_by_meaning(&mut s, |i| Some(index_meaning(self.eq, i)));
        for (n, i) in s.missing {
            let sev = if i.unique {
                Severity::Error
            } else {
                Severity::Warning
            };
            self.missing("index", &qual(parent, n), sev, to_value(i));
        }
        for (n, i) in s.unexpected {
            self.unexpected("index", &qual(parent, n), to_value(i));
        }
        for (en, ei, an, ai) in renamed {
            let q = qual(parent, en);
            self.renamed("index", &q, en, an);
            self.index(&q, ei, ai);
        }
        for (n, ei, ai) in s.both {
            self.index(&qual(parent, n), ei, ai);
        }
    }

    fn index(&mut self, q: &str, e: &Index, a: &Index) {
        let mut f = Fields::new();
        f.cmp("method", &e.method, &a.method);
        f.cmp("unique", &e.unique, &a.unique);
        f.cmp(
            "nulls_not_distinct",
            &e.nulls_not_distinct,
            &a.nulls_not_distinct,
        );
        if !same_keys(self.eq, &e.keys, &a.keys) {
            f.cmp("keys", &e.keys, &a.keys);
        }
        f.cmp("include", &e.include, &a.include);
        self.cmp_expr(
            &mut f,
            "predicate",
            Kind::Expression,
            &e.predicate,
            &a.predicate,
        );
        let sev = if e.unique && !a.unique {
            Severity::Error
        } else {
            Severity::Warning
        };
        self.changed("index-changed", "index", q, sev, f);
        self.storage("index", q, &e.storage_parameters, &a.storage_parameters);
        self.comment("index", q, &e.comment, &a.comment);
    }

    /// Triggers of a table or view named `tq`.
    fn triggers(&mut self, tq: &str, e: &BTreeMap<String, Trigger>, a: &BTreeMap<String, Trigger>) {
        let s = split(e, a);
        for (n, t) in s.missing {
            self.missing("trigger", &qual(tq, n), Severity::Error, to_value(t));
        }
        for (n, t) in s.unexpected {
            self.unexpected("trigger", &qual(tq, n), to_value(t));
        }
        for (n, e, a) in s.both {
            let q = qual(tq, n);
            if e.enabled != a.enabled {
                let mut f = Fields::new();
                f.cmp("enabled", &e.enabled, &a.enabled);
                let (code, sev) = if a.enabled == "disabled" {
                    ("trigger-disabled", Severity::Error)
                } else {
                    ("trigger-enabled-changed", Severity::Warning)
                };
                self.changed(code, "trigger", &q, sev, f);
            }
            let mut f = Fields::new();
            f.cmp("timing", &e.timing, &a.timing);
            f.cmp("events", &e.events, &a.events);
            f.cmp("level", &e.level, &a.level);
            f.cmp("columns", &e.columns, &a.columns);
            f.cmp("function", &e.function, &a.function);
            f.cmp("arguments", &e.arguments, &a.arguments);
            self.cmp_expr(&mut f, "when", Kind::Expression, &e.when, &a.when);
            f.cmp("old_table", &e.old_table, &a.old_table);
            f.cmp("new_table", &e.new_table, &a.new_table);
            f.cmp("constraint", &e.constraint, &a.constraint);
            f.cmp("deferrable", &e.deferrable, &a.deferrable);
            f.cmp(
                "initially_deferred",
                &e.initially_deferred,
                &a.initially_deferred,
            );
            self.changed("trigger-changed", "trigger", &q, Severity::Warning, f);
            self.comment("trigger", &q, &e.comment, &a.comment);
        }
    }

    fn policies(&mut self, tq: &str, et: &Table, at: &Table) {
        let s = split(&et.policies, &at.policies);
        for (n, p) in s.missing {
            self.missing("policy", &qual(tq, n), Severity::Error, to_value(p));
        }
        for (n, p) in s.unexpected {
            self.unexpected("policy", &qual(tq, n), to_value(p));
        }
        for (n, e, a) in s.both {
            let q = qual(tq, n);
            let mut f = Fields::new();
            f.cmp("command", &e.command, &a.command);
            f.cmp("permissive", &e.permissive, &a.permissive);
            f.cmp("roles", &e.roles, &a.roles);
            self.cmp_expr(&mut f, "using", Kind::Expression, &e.using, &a.using);
            self.cmp_expr(
                &mut f,
                "with_check",
                Kind::Expression,
                &e.with_check,
                &a.with_check,
            );
            self.changed("policy-changed", "policy", &q, Severity::Error, f);
            self.comment("policy", &q, &e.comment, &a.comment);
        }
    }

    // ---- other relations ----------------------------------------------------

    fn column_comments(
        &mut self,
        parent: &str,
        e: &BTreeMap<String, String>,
        a: &BTreeMap<String, String>,
    ) {
        let s = split(e, a);
        for (n, c) in s.missing {
            self.comment("column", &qual(parent, n), &Some(c.clone()), &None);
        }
        for (n, c) in s.unexpected {
            self.comment("column", &qual(parent, n), &None, &Some(c.clone()));
        }
        for (n, ec, ac) in s.both {
            self.comment(
                "column",
                &qual(parent, n),
                &Some(ec.clone()),
                &Some(ac.clone()),
            );
        }
    }

    fn views(&mut self, sn: &str, e: &Schema, a: &Schema) {
        let s = split(&e.views, &a.views);
        for (n, v) in s.missing {
            self.missing("view", &qual(sn, n), Severity::Error, to_value(v));
        }
        for (n, v) in s.unexpected {
            self.unexpected("view", &qual(sn, n), to_value(v));
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let mut f = Fields::new();
            if !self.eq.same(Kind::Query, &e.definition, &a.definition) {
                f.cmp("definition", &e.definition, &a.definition);
            }
            self.changed("view-definition-changed", "view", &q, Severity::Warning, f);
            let mut f = Fields::new();
            f.cmp("options", &e.options, &a.options);
            self.changed("view-options-changed", "view", &q, Severity::Warning, f);
            self.triggers(&q, &e.triggers, &a.triggers);
            self.comment("view", &q, &e.comment, &a.comment);
            self.column_comments(&q, &e.column_comments, &a.column_comments);
            self.privileges("view", &q, &e.privileges, &a.privileges);
        }
    }

    fn materialized_views(&mut self, sn: &str, e: &'a Schema, a: &'a Schema) {
        let s = split(&e.materialized_views, &a.materialized_views);
        for (n, v) in s.missing {
            self.missing(
                "materialized_view",
                &qual(sn, n),
                Severity::Error,
                to_value(v),
            );
        }
        for (n, v) in s.unexpected {
            self.unexpected("materialized_view", &qual(sn, n), to_value(v));
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let mut f = Fields::new();
            if !self.eq.same(Kind::Query, &e.definition, &a.definition) {
                f.cmp("definition", &e.definition, &a.definition);
            }
            self.changed(
                "materialized-view-definition-changed",
                "materialized_view",
                &q,
                Severity::Warning,
                f,
            );
            self.storage(
                "materialized_view",
                &q,
                &e.storage_parameters,
                &a.storage_parameters,
            );
            self.indexes(&q, &e.indexes, &a.indexes);
            self.comment("materialized_view", &q, &e.comment, &a.comment);
            self.column_comments(&q, &e.column_comments, &a.column_comments);
            self.privileges("materialized_view", &q, &e.privileges, &a.privileges);
        }
    }

    // ---- sequences, functions, types ----------------------------------------

    fn sequences(&mut self, sn: &str, e: &'a Schema, a: &'a Schema) {
        let mut s = split(&e.sequences, &a.sequences);
        // A sequence owned by a column is that column's sequence, whatever its name.
        let renamed = pair_by_meaning(&mut s, |q: &Sequence| q.owned_by.clone());
        for (n, q) in s.missing {
            // Dropped with the table or column that owns it: part of that change.
            if q.owned_by.as_deref().is_none_or(|o| self.a.has_column(o)) {
                self.missing("sequence", &qual(sn, n), Severity::Error, to_value(q));
            }
        }
        for (n, q) in s.unexpected {
            if q.owned_by.as_deref().is_none_or(|o| self.e.has_column(o)) {
                self.unexpected("sequence", &qual(sn, n), to_value(q));
            }
        }
        for (en, eq, an, aq) in renamed {
            let q = qual(sn, en);
            self.renamed("sequence", &q, en, an);
            self.sequence(&q, eq, aq);
        }
        for (n, eq, aq) in s.both {
            self.sequence(&qual(sn, n), eq, aq);
        }
    }

    fn sequence(&mut self, q: &str, e: &Sequence, a: &Sequence) {
        let mut f = Fields::new();
        sequence_options(&mut f, "", &seq_options(e), &seq_options(a));
        f.cmp("owned_by", &e.owned_by, &a.owned_by);
        self.changed("sequence-changed", "sequence", q, Severity::Warning, f);
        self.comment("sequence", q, &e.comment, &a.comment);
        self.privileges("sequence", q, &e.privileges, &a.privileges);
    }

    fn functions(&mut self, sn: &str, e: &Schema, a: &Schema) {
        let s = split(&e.functions, &a.functions);
        for (n, x) in s.missing {
            self.missing("function", &qual(sn, n), Severity::Error, to_value(x));
        }
        for (n, x) in s.unexpected {
            self.unexpected("function", &qual(sn, n), to_value(x));
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let mut f = Fields::new();
            let sql_bodies = e.language == "sql" && a.language == "sql";
            if !(sql_bodies && self.eq.same(Kind::SqlBody, &e.body, &a.body)) {
                f.cmp("body", &e.body, &a.body);
            }
            self.changed(
                "function-body-changed",
                "function",
                &q,
                Severity::Warning,
                f,
            );
            let mut f = Fields::new();
            f.cmp("kind", &e.kind, &a.kind);
            f.cmp("arguments", &e.arguments, &a.arguments);
            f.cmp("returns", &e.returns, &a.returns);
            f.cmp("language", &e.language, &a.language);
            f.cmp("volatility", &e.volatility, &a.volatility);
            f.cmp("strict", &e.strict, &a.strict);
            f.cmp("security_definer", &e.security_definer, &a.security_definer);
            f.cmp("leakproof", &e.leakproof, &a.leakproof);
            f.cmp("parallel", &e.parallel, &a.parallel);
            f.cmp("settings", &e.settings, &a.settings);
            self.changed("function-changed", "function", &q, Severity::Warning, f);
            self.comment("function", &q, &e.comment, &a.comment);
            self.privileges("function", &q, &e.privileges, &a.privileges);
        }
    }

    fn enums(&mut self, sn: &str, e: &Schema, a: &Schema) {
        let s = split(&e.enums, &a.enums);
        for (n, x) in s.missing {
            self.missing("enum", &qual(sn, n), Severity::Error, to_value(x));
        }
        for (n, x) in s.unexpected {
            self.unexpected("enum", &qual(sn, n), to_value(x));
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let el: BTreeSet<&String> = e.labels.iter().collect();
            let al: BTreeSet<&String> = a.labels.iter().collect();
            let labels = || {
                let mut f = Fields::new();
                f.cmp("labels", &e.labels, &a.labels);
                f
            };
            if el.iter().any(|l| !al.contains(l)) {
                self.changed("enum-label-missing", "enum", &q, Severity::Error, labels());
            }
            if al.iter().any(|l| !el.contains(l)) {
                self.changed(
                    "enum-label-unexpected",
                    "enum",
                    &q,
                    Severity::Warning,
                    labels(),
                );
            }
            let eo: Vec<&String> = e.labels.iter().filter(|l| al.contains(l)).collect();
            let ao: Vec<&String> = a.labels.iter().filter(|l| el.contains(l)).collect();
            if eo != ao {
                self.changed(
                    "enum-labels-reordered",
                    "enum",
                    &q,
                    Severity::Warning,
                    labels(),
                );
            }
            self.comment("enum", &q, &e.comment, &a.comment);
            self.privileges("enum", &q, &e.privileges, &a.privileges);
        }
    }

    fn domains(&mut self, sn: &str, e: &Schema, a: &Schema) {
        let s = split(&e.domains, &a.domains);
        for (n, x) in s.missing {
            self.missing("domain", &qual(sn, n), Severity::Error, to_value(x));
        }
        for (n, x) in s.unexpected {
            self.unexpected("domain", &qual(sn, n), to_value(x));
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let mut f = Fields::new();
            f.cmp("base_type", &e.base_type, &a.base_type);
            self.changed("domain-type-changed", "domain", &q, Severity::Error, f);
            let mut f = Fields::new();
            f.cmp("not_null", &e.not_null, &a.not_null);
            self.changed(
                "domain-nullability-changed",
                "domain",
                &q,
                Severity::Error,
                f,
            );
            let mut f = Fields::new();
            self.cmp_expr(&mut f, "default", Kind::Expression, &e.default, &a.default);
            self.changed("domain-default-changed", "domain", &q, Severity::Warning, f);
            let mut f = Fields::new();
            f.cmp("collation", &e.collation, &a.collation);
            self.changed(
                "domain-collation-changed",
                "domain",
                &q,
                Severity::Warning,
                f,
            );

            let mut cs = split(&e.constraints, &a.constraints);
            let renamed = pair_by_meaning(&mut cs, |d| Some(self.eq.meaning(Kind::Constraint, d)));
            for (cn, c) in cs.missing {
                self.missing("constraint", &qual(&q, cn), Severity::Error, to_value(c));
            }
            for (cn, c) in cs.unexpected {
                self.unexpected("constraint", &qual(&q, cn), to_value(c));
            }
            for (en, _, an, _) in renamed {
                self.renamed("constraint", &qual(&q, en), en, an);
            }
            for (cn, ec, ac) in cs.both {
                let mut f = Fields::new();
                if !self.eq.same(Kind::Constraint, ec, ac) {
                    f.cmp("definition", ec, ac);
                }
                self.changed(
                    "constraint-changed",
                    "constraint",
                    &qual(&q, cn),
                    Severity::Error,
                    f,
                );
            }
            self.comment("domain", &q, &e.comment, &a.comment);
            self.privileges("domain", &q, &e.privileges, &a.privileges);
        }
    }

    fn composite_types(&mut self, sn: &str, e: &Schema, a: &Schema) {
        let s = split(&e.composite_types, &a.composite_types);
        for (n, x) in s.missing {
            self.missing("composite_type", &qual(sn, n), Severity::Error, to_value(x));
        }
        for (n, x) in s.unexpected {
            self.unexpected("composite_type", &qual(sn, n), to_value(x));
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let em: BTreeMap<&str, &CompositeAttribute> =
                e.attributes.iter().map(|x| (x.name.as_str(), x)).collect();
            let am: BTreeMap<&str, &CompositeAttribute> =
                a.attributes.iter().map(|x| (x.name.as_str(), x)).collect();
            let attr = |x: Option<&&CompositeAttribute>| match x {
                Some(x) => serde_json::json!({"type": x.data_type, "collation": x.collation}),
                None => Value::Null,
            };
            let mut f = Fields::new();
            let names: BTreeSet<&str> = em.keys().chain(am.keys()).copied().collect();
            for name in names {
                f.cmp(
                    &format!("attributes.{name}"),
                    &attr(em.get(name)),
                    &attr(am.get(name)),
                );
            }
            let eo: Vec<&str> = e
                .attributes
                .iter()
                .map(|x| x.name.as_str())
                .filter(|n| am.contains_key(n))
                .collect();
            let ao: Vec<&str> = a
                .attributes
                .iter()
                .map(|x| x.name.as_str())
                .filter(|n| em.contains_key(n))
                .collect();
            f.cmp("attribute_order", &eo, &ao);
            self.changed(
                "composite-type-changed",
                "composite_type",
                &q,
                Severity::Warning,
                f,
            );
            self.comment("composite_type", &q, &e.comment, &a.comment);
            self.privileges("composite_type", &q, &e.privileges, &a.privileges);
        }
    }
}

/// What makes two indexes the same index, whatever their names: the key
/// and predicate expressions by meaning.
fn index_meaning(
    eq: &Equiv,
    i: &Index,
) -> (
    String,
    bool,
    bool,
    Vec<IndexKey>,
    Vec<String>,
    Option<String>,
) {
    let keys = i
        .keys
        .iter()
        .map(|k| IndexKey {
            expression: eq.meaning(Kind::Expression, &k.expression).to_string(),
            ..k.clone()
        })
        .collect();
    (
        i.method.clone(),
        i.unique,
        i.nulls_not_distinct,
        keys,
        i.include.clone(),
        i.predicate
            .as_deref()
            .map(|p| eq.meaning(Kind::Expression, p).to_string()),
    )
}

/// Index keys equal but for expressions that mean the same.
fn same_keys(eq: &Equiv, e: &[IndexKey], a: &[IndexKey]) -> bool {
    e.len() == a.len()
        && e.iter().zip(a).all(|(e, a)| {
            eq.same(Kind::Expression, &e.expression, &a.expression)
                && IndexKey {
                    expression: String::new(),
                    ..e.clone()
                } == IndexKey {
                    expression: String::new(),
                    ..a.clone()
                }
        })
}

/// A constraint definition without the trailing clauses that have their own
/// fields (and their own change codes): `DEFERRABLE`, `INITIALLY DEFERRED`,
/// `NOT VALID`, `NO INHERIT`. PostgreSQL prints them last, outside any
/// parentheses, so stripping them from the end is exact.
fn core_definition(def: &str) -> &str {
    const SUFFIXES: &[&str] = &[
        " NOT VALID",
        " NO INHERIT",
        " INITIALLY DEFERRED",
        " DEFERRABLE",
    ];
    let mut d = def;
    loop {
        match SUFFIXES.iter().find(|s| d.ends_with(*s)) {
            Some(s) => d = &d[..d.len() - s.len()],
            None => return d,
        }
    }
}

fn seq_options(s: &Sequence) -> SequenceOptions {
    SequenceOptions {
        data_type: s.data_type.clone(),
        start: s.start,
        increment: s.increment,
        min_value: s.min_value,
        max_value: s.max_value,
        cache: s.cache,
        cycle: s.cycle,
    }
}

fn sequence_options(f: &mut Fields, p: &str, e: &SequenceOptions, a: &SequenceOptions) {
    if e == a {
        // Nothing to record: spare the field names.
        return;
    }
    f.cmp(&format!("{p}data_type"), &e.data_type, &a.data_type);
    f.cmp(&format!("{p}start"), &e.start, &a.start);
    f.cmp(&format!("{p}increment"), &e.increment, &a.increment);
    f.cmp(&format!("{p}min_value"), &e.min_value, &a.min_value);
    f.cmp(&format!("{p}max_value"), &e.max_value, &a.max_value);
    f.cmp(&format!("{p}cache"), &e.cache, &a.cache);
    f.cmp(&format!("{p}cycle"), &e.cycle, &a.cycle);
}

/// A column default with "the sequence this column owns" in place of that
/// sequence's name, so `serial` and an explicit owned sequence compare equal
/// whatever the sequence is called. Other defaults are returned unchanged.
fn canonical_default<'d>(side: &Side, column: &str, default: Option<&'d str>) -> Option<&'d str> {
    let d = default?;
    if let Some(target) = nextval_target(d) {
        if let Some((s, n)) = side.owned_sequence(column) {
            if split_qualified(target).as_deref() == Some(&[s.to_string(), n.to_string()][..]) {
                return Some("nextval(<owned sequence>)");
            }
        }
    }
    Some(d)
}

/// The quoted name inside `nextval('NAME'::regclass)`, exactly that shape.
fn nextval_target(d: &str) -> Option<&str> {
    d.strip_prefix("nextval('")?.strip_suffix("'::regclass)")
}

/// Split `schema.name` as PostgreSQL prints a regclass: each part bare or
/// double-quoted (with `""` for a quote). Single quotes are doubled inside
/// the literal.
fn split_qualified(s: &str) -> Option<Vec<String>> {
    let s = s.replace("''", "'");
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    if quoted {
        return None;
    }
    parts.push(cur);
    Some(parts)
}

/// Is this table a partition whose parent is itself missing on the other
/// side (so it is reported inside its parent's change)?
fn folded_partition(this: &Side, other: &Side, t: &Table) -> bool {
    let Some(p) = &t.partition_of else {
        return false;
    };
    let parent_schema = p.parent.split_once('.').map(|(s, _)| s).unwrap_or("");
    this.has_table(&p.parent) && !other.has_table(&p.parent) && other.has_schema(parent_schema)
}

/// A table with what goes with it when it is dropped: the sequences its
/// columns own and its partitions (those the other side lacks).
fn table_definition(this: &Side, other: &Side, sn: &str, tn: &str, t: &Table) -> Value {
    let mut v = to_value(t);
    let q = qual(sn, tn);
    let obj = v.as_object_mut().expect("a table serializes as an object");
    let mut owned = serde_json::Map::new();
    for c in &t.columns {
        for (s, n, seq) in this
            .owned
            .get(qual(&q, &c.name).as_str())
            .into_iter()
            .flatten()
        {
            if !other.has_sequence(s, n) {
                owned.insert(qual(s, n), to_value(*seq));
            }
        }
    }
    if !owned.is_empty() {
        obj.insert("owned_sequences".into(), Value::Object(owned));
    }
    let mut parts = serde_json::Map::new();
    for (s, n) in this.partitions.get(q.as_str()).into_iter().flatten() {
        let pq = qual(s, n);
        if !other.has_table(&pq) {
            if let Some(pt) = this.table(&pq) {
                parts.insert(pq, table_definition(this, other, s, n, pt));
            }
        }
    }
    if !parts.is_empty() {
        obj.insert("partitions".into(), Value::Object(parts));
    }
    v
}

/// A column with the sequence it owns, when the other side lacks that sequence.
fn column_definition(this: &Side, other: &Side, q: &str, c: &Column) -> Value {
    let mut v = to_value(c);
    let mut owned = serde_json::Map::new();
    for (s, n, seq) in this.owned.get(q).into_iter().flatten() {
        if !other.has_sequence(s, n) {
            owned.insert(qual(s, n), to_value(*seq));
        }
    }
    if !owned.is_empty() {
        v.as_object_mut()
            .expect("a column serializes as an object")
            .insert("owned_sequences".into(), Value::Object(owned));
    }
    v
}

#[cfg(test)]
mod tests;
