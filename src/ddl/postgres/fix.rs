//! The fix script: the statements that turn ACTUAL into EXPECTED.
//!
//! Made of the per-object functions of the sibling modules, in this order:
//! drops of unexpected objects (dependants first: triggers and policies,
//! views, foreign keys, other constraints and indexes, columns, tables,
//! sequences and functions, types, collations), sequences and collations
//! EXPECTED adds (a column default or collation may use them), the alters of objects on both sides (renames
//! first), whole objects to create (through [`script::create_objects`], in
//! dependency order), the parts of tables both sides have (constraints,
//! indexes, triggers, policies; foreign keys last), and sequence owners.
//! Publications and event triggers are dropped first (publications with
//! the tables and schemas that leave one); what is added to a publication
//! comes once the tables are there. Security labels come last, set again
//! on what the script drops and makes again ([`security_label::alter`]).
//!
//! Where PostgreSQL has no alter (a new partition key, a column order, a
//! function's result type, an enum label removed), the object is dropped
//! and created again; a view that reads a column whose type changes or
//! that goes, or a view or function that is recreated, is dropped before
//! and created again after, with the views that read it.
//!
//! With `destructive` off, the statements that lose data (a table, a
//! column or a type narrowed, a partition detached and dropped) are not
//! run but listed in [`FixScript::left_out`], with the statements that
//! would recreate what they drop.

use std::collections::{BTreeMap, BTreeSet};

use super::privileges::{self, Kind};
use super::{
    access_method, cast, collation, column, constraint, conversion, event_trigger, foreign,
    function, index, language, opclass, operator, policy, publication, refs, rule, script,
    security_label, sequence, statistics, subscription, table, transform, trigger, types, view,
    Name, Pg,
};
use crate::ddl::{Alter, FixScript, Hazard, Statement, Unsupported};
use crate::model::postgres::*;

/// The statements that turn `actual` into `expected`. With `destructive`
/// off, what would lose data is left out (see [`FixScript::left_out`]).
pub fn fix_script(r: &Pg, expected: &PgSchema, actual: &PgSchema, destructive: bool) -> FixScript {
    Fix::new(*r, expected, actual, destructive).run()
}

/// The fix being built (see the module's doc).
struct Fix<'a> {
    r: Pg,
    e: &'a PgSchema,
    a: &'a PgSchema,
    destructive: bool,
    drops: Vec<Vec<Statement>>,
    early: Vec<Statement>,
    alters: Vec<Statement>,
    later: Vec<Statement>,
    owned: Vec<Statement>,
    /// Default privileges granted, last: as `pg_dump` restores them, after
    /// the objects the script makes (which they would otherwise change).
    default_grants: Vec<Statement>,
    /// Whole objects to create.
    missing: PgSchema,
    /// Tables whose columns end in another order than EXPECTED's: a
    /// column dropped in the middle and added again goes last, and
    /// PostgreSQL has no statement that moves a column (only a new table
    /// would have EXPECTED's order).
    reordered: BTreeSet<String>,
    /// Why objects were dropped and created again.
    recreated: Vec<String>,
    left_out: Vec<Statement>,
    unsupported: Vec<Unsupported>,
    /// Relations and functions whose readers (views) are dropped before
    /// and created again after: a column's type changes or it goes, the
    /// object is recreated.
    touched: BTreeSet<(String, String)>,
    /// Views on both sides dropped and created again (from EXPECTED):
    /// (schema, name, materialized).
    redo_views: BTreeSet<ViewKey>,
    /// Views and materialized views to drop: (schema, name, materialized).
    view_drops: BTreeSet<ViewKey>,
    /// Base types of ACTUAL dropped (`DROP TYPE .. CASCADE`): unexpected,
    /// in a schema that goes, or made anew. (schema, name).
    base_gone: BTreeSet<(String, String)>,
    /// Base types of ACTUAL whose drop loses data and is left out
    /// (`destructive` off): they stay, and so do the functions they use.
    base_held: BTreeSet<(String, String)>,
    /// Range types moved or renamed (see `plan_range_moves`): (schema,
    /// name) in ACTUAL -> (schema, name) in EXPECTED.
    range_moves: BTreeMap<(String, String), (String, String)>,
}

mod tsearch;

type Policies = BTreeMap<String, Policy>;

/// A view or materialized view: (schema, name, materialized).
type ViewKey = (String, String, bool);

/// Why table `at`, on both sides, has no alter and is created anew: a new
/// partition key, or columns of both sides in another order.
fn recreate_reason(r: &Pg, at: Name, e: &Table, a: &Table) -> Option<String> {
    let common_order = |x: &Table, y: &Table| -> Vec<String> {
        x.columns
            .iter()
            .filter(|c| y.columns.iter().any(|d| d.name == c.name))
            .map(|c| c.name.clone())
            .collect()
    };
    if let Alter::Recreate { reason, .. } = table::alter(r, at, e, a) {
        Some(reason)
    } else if common_order(e, a) != common_order(a, e) {
        Some("the order of its columns".to_string())
    } else {
        None
    }
}

/// The security labels that turn ACTUAL's into EXPECTED's, once the
/// statements `before` have run: last, when every object the script makes
/// is there. An object `before` drops (or renames away) has lost its labels:
/// EXPECTED's are set again on the one made again, and none is taken away
/// from it ([`security_label::gone`]).
fn security_labels(r: &Pg, e: &PgSchema, a: &PgSchema, before: &[Statement]) -> Vec<Statement> {
    let sql: Vec<&str> = before.iter().map(|s| s.sql.as_str()).collect();
    let mut out = security_label::alter(&e.security_labels, &a.security_labels, |t| {
        security_label::gone(&sql, None, t, r)
    });
    let none = SecurityLabels::new();
    for (sn, es) in &e.schemas {
        let al = a.schemas.get(sn).map_or(&none, |s| &s.security_labels);
        out.extend(security_label::alter(&es.security_labels, al, |t| {
            security_label::gone(&sql, Some(sn), t, r)
        }));
    }
    out
}

/// The drop level of function `sn.key` of `actual`: an aggregate goes
/// before the functions it calls; the handler, inline or validator
/// function of a language, and the FROM SQL and TO SQL functions of a
/// transform, after the language or transform (dropped, or given other
/// functions, after the functions written in the language).
fn function_drop_level(actual: &PgSchema, sn: &str, key: &str, f: &Function) -> usize {
    let name = (sn.to_string(), function::split_key(key).0.to_string());
    let of_language = actual
        .languages
        .values()
        .flat_map(Language::functions)
        .chain(actual.transforms.values().flat_map(Transform::functions))
        .any(|t| refs::qualified_names(t).first() == Some(&name));
    if f.kind == "aggregate" {
        5
    } else if of_language {
        7
    } else {
        6
    }
}

/// Whether `pg` has the function `regproc` names (one of `pg_catalog`,
/// printed unqualified, is the server's).
fn function_in(pg: &PgSchema, regproc: &str) -> bool {
    match refs::qualified_names(regproc).first() {
        Some((sn, name)) => pg
            .schemas
            .get(sn)
            .is_some_and(|s| s.functions.keys().any(|k| function::split_key(k).0 == name)),
        None => true,
    }
}

/// Whether `pg` has the type `text` (as `format_type` printed it) names:
/// one of the server's is unqualified.
fn type_in(pg: &PgSchema, text: &str) -> bool {
    match refs::qualified_names(text).first() {
        Some((sn, n)) => pg.schemas.get(sn).is_some_and(|s| {
            s.enums.contains_key(n)
                || s.domains.contains_key(n)
                || s.composite_types.contains_key(n)
                || s.range_types.contains_key(n)
                || s.tables.contains_key(n)
                || s.views.contains_key(n)
                || s.materialized_views.contains_key(n)
        }),
        None => true,
    }
}

/// Keys in `e` but not `a`, in both, in `a` but not `e`.
fn split<'m, V>(
    e: &'m BTreeMap<String, V>,
    a: &'m BTreeMap<String, V>,
) -> (Vec<&'m String>, Vec<&'m String>, Vec<&'m String>) {
    let missing = e.keys().filter(|k| !a.contains_key(*k)).collect();
    let both = e.keys().filter(|k| a.contains_key(*k)).collect();
    let extra = a.keys().filter(|k| !e.contains_key(*k)).collect();
    (missing, both, extra)
}

/// Pairs (missing, unexpected) whose values are equal once `key` strips
/// what a rename keeps apart (the comment).
fn renames<'m, V, K: PartialEq>(
    e: &'m BTreeMap<String, V>,
    a: &'m BTreeMap<String, V>,
    key: impl Fn(&V) -> K,
) -> Vec<(&'m String, &'m String)> {
    let (missing, _, extra) = split(e, a);
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    for m in missing {
        if let Some(x) = extra
            .iter()
            .find(|x| !used.contains(*x) && key(&a[**x]) == key(&e[m]))
        {
            used.insert(*x);
            out.push((m, *x));
        }
    }
    out
}

impl<'a> Fix<'a> {
    fn new(r: Pg, e: &'a PgSchema, a: &'a PgSchema, destructive: bool) -> Fix<'a> {
        Fix {
            r,
            e,
            a,
            destructive,
            drops: vec![Vec::new(); 9],
            early: Vec::new(),
            alters: Vec::new(),
            later: Vec::new(),
            owned: Vec::new(),
            default_grants: Vec::new(),
            missing: PgSchema::default(),
            reordered: BTreeSet::new(),
            recreated: Vec::new(),
            left_out: Vec::new(),
            unsupported: Vec::new(),
            touched: BTreeSet::new(),
            redo_views: BTreeSet::new(),
            view_drops: BTreeSet::new(),
            base_gone: BTreeSet::new(),
            base_held: BTreeSet::new(),
            range_moves: BTreeMap::new(),
        }
    }

    /// Range types moved (`ALTER TYPE .. SET SCHEMA`) or renamed: one of
    /// EXPECTED that ACTUAL lacks and one of ACTUAL that EXPECTED lacks,
    /// alike but for their names, in schemas both sides have. `ALTER
    /// TYPE` leaves the multirange type (and the constructors) behind
    /// under its old schema and name, so the pair is moved only when
    /// ACTUAL's multirange type already has the name EXPECTED's has (as
    /// when ACTUAL was moved or renamed from EXPECTED, the way back, or
    /// EXPECTED from ACTUAL): then the move converges and keeps the
    /// columns of the type. Otherwise the one is dropped and the other
    /// created.
    fn plan_range_moves(&mut self) {
        let (e, a) = (self.e, self.a);
        let bare = |t: &RangeType| RangeType {
            multirange_type_name: None,
            comment: None,
            privileges: Default::default(),
            ..t.clone()
        };
        let both = |sn: &String| e.schemas.contains_key(sn) && a.schemas.contains_key(sn);
        let mut unexpected: Vec<((String, String), &RangeType)> = Vec::new();
        for (sn, s) in a.schemas.iter().filter(|(sn, _)| both(sn)) {
            for (n, y) in &s.range_types {
                if !e.schemas[sn].range_types.contains_key(n) {
                    unexpected.push(((sn.clone(), n.clone()), y));
                }
            }
        }
        for (sn, s) in e.schemas.iter().filter(|(sn, _)| both(sn)) {
            for (n, x) in &s.range_types {
                if a.schemas[sn].range_types.contains_key(n) {
                    continue;
                }
                let multirange = script::multirange_of(sn, n, x);
                // (Before PostgreSQL 14 there are no multirange types.)
                let found = unexpected.iter().position(|((asn, an), y)| {
                    bare(y) == bare(x)
                        && (self.r.version < 140000
                            || script::multirange_of(asn, an, y) == multirange)
                });
                if let Some(i) = found {
                    let (from, _) = unexpected.remove(i);
                    self.range_moves.insert(from, (sn.clone(), n.clone()));
                }
            }
        }
    }

    /// Whether range type `sn.n` of EXPECTED is reached by a move.
    fn range_moved_to(&self, sn: &str, n: &str) -> bool {
        self.range_moves.values().any(|(s, x)| s == sn && x == n)
    }

    /// The moves and renames of `range_moves`, before the alters (which
    /// may change the columns of the type), with the comment, owner and
    /// grants after.
    fn move_ranges(&mut self) {
        let r = self.r;
        for ((asn, an), (esn, en)) in self.range_moves.clone() {
            let mut st = Vec::new();
            if asn != esn {
                st.push(Statement::new(format!(
                    "ALTER TYPE {} SET SCHEMA {}",
                    r.qual(Name::new(&asn, &an)),
                    r.ident(&esn)
                )));
            }
            if an != en {
                st.push(Statement::new(format!(
                    "ALTER TYPE {} RENAME TO {}",
                    r.qual(Name::new(&esn, &an)),
                    r.ident(&en)
                )));
            }
            self.early.extend(st);
            let x = &self.e.schemas[&esn].range_types[&en];
            let y = RangeType {
                multirange_type_name: x.multirange_type_name.clone(),
                ..self.a.schemas[&asn].range_types[&an].clone()
            };
            let alter = types::alter_range(&r, Name::new(&esn, &en), x, &y);
            self.take(&format!("type {esn}.{en}"), alter);
        }
    }

    /// `t` of ACTUAL with its columns' types as they read once the range
    /// types of `range_moves` are moved: PostgreSQL prints a column's type
    /// by its OID, so the columns follow.
    fn with_moved_types(&self, t: &Table) -> Table {
        let r = self.r;
        let mut t = t.clone();
        for ((asn, an), (esn, en)) in &self.range_moves {
            let from = r.qual(Name::new(asn, an));
            let to = r.qual(Name::new(esn, en));
            for c in &mut t.columns {
                let base = c.data_type.trim_end_matches("[]");
                if base == from {
                    c.data_type = format!("{to}{}", &c.data_type[base.len()..]);
                }
            }
        }
        t
    }

    /// Decide which base types of ACTUAL are dropped (see `base_gone`,
    /// `base_held`) before anything else: a drop takes the functions that
    /// use the type with it, which then are neither dropped nor altered on
    /// their own.
    fn plan_base_types(&mut self) {
        let (e, a) = (self.e, self.a);
        for (sn, as_) in &a.schemas {
            let es = e.schemas.get(sn);
            for (n, y) in &as_.base_types {
                let goes = match es.and_then(|s| s.base_types.get(n)) {
                    None => true,
                    Some(x) => types::base_recreate_reason(&self.r, x, y).is_some(),
                };
                if !goes {
                    continue;
                }
                let key = (sn.clone(), n.clone());
                if !self.destructive && !self.kept_columns_of_type(sn, n).is_empty() {
                    self.base_held.insert(key);
                } else {
                    self.base_gone.insert(key);
                }
            }
        }
    }

    /// The columns of ACTUAL's tables of type `sn.n` (or an array of it)
    /// that EXPECTED keeps (the others are dropped before the type),
    /// `schema.table.column`.
    fn kept_columns_of_type(&self, sn: &str, n: &str) -> Vec<String> {
        let own = (sn.to_string(), n.to_string());
        let mut out = Vec::new();
        for (tsn, s) in &self.a.schemas {
            for (tn, t) in &s.tables {
                for c in &t.columns {
                    let owner = format!("{tsn}.{tn}.{}", c.name);
                    if refs::qualified_names(&c.data_type).contains(&own)
                        && self.column_kept(&owner)
                    {
                        out.push(owner);
                    }
                }
            }
        }
        out
    }

    /// The base types of `set` that function `f` takes or returns.
    fn types_used<'s>(
        f: &Function,
        set: &'s BTreeSet<(String, String)>,
    ) -> Vec<&'s (String, String)> {
        let mut names = refs::qualified_names(&f.arguments);
        names.extend(
            f.returns
                .as_deref()
                .map(refs::qualified_names)
                .unwrap_or_default(),
        );
        set.iter().filter(|t| names.contains(t)).collect()
    }

    /// Whether ACTUAL's function `f` goes with a base type the script
    /// drops (`DROP TYPE .. CASCADE`).
    fn cascaded(&self, f: &Function) -> bool {
        !Self::types_used(f, &self.base_gone).is_empty()
    }

    /// Whether ACTUAL's function `f` is used by a base type that stays
    /// because its drop is left out: it cannot be dropped either.
    fn held(&self, f: &Function) -> bool {
        !Self::types_used(f, &self.base_held).is_empty()
    }

    /// Drop base type `sn.n` of ACTUAL with `CASCADE`, the statement saying
    /// what goes with it (the functions, the columns, whose data is lost);
    /// `recreate`: EXPECTED's, made again with the missing objects (shell,
    /// functions, type). Left out, with what would make it again, when it
    /// loses data and that is not wanted.
    fn drop_base_type(&mut self, sn: &str, n: &str, recreate: Option<&BaseType>) {
        let r = self.r;
        let at = Name::new(sn, n);
        let key = (sn.to_string(), n.to_string());
        let columns = self.kept_columns_of_type(sn, n);
        let one: BTreeSet<(String, String)> = [key.clone()].into();
        let mut functions = Vec::new();
        for (fsn, s) in &self.a.schemas {
            for (k, f) in &s.functions {
                if !Self::types_used(f, &one).is_empty() {
                    functions.push(format!("{fsn}.{k}"));
                }
            }
        }
        let mut with: Vec<String> = functions.iter().map(|f| format!("function {f}")).collect();
        with.extend(columns.iter().map(|c| format!("column {c}")));
        let mut st = types::drop_base(&r, at);
        st.sql = format!(
            "-- CASCADE drops with it {}and what else uses the type\n{}",
            if with.is_empty() {
                String::new()
            } else {
                format!("{}, ", with.join(", "))
            },
            st.sql
        );
        if !columns.is_empty() {
            st = st.with(&[Hazard::DataLoss]);
        }
        if self.base_held.contains(&key) {
            self.left_out.push(st);
            if let Some(x) = recreate {
                self.left_out.push(types::create_shell(&r, at));
                self.left_out.extend(types::create_base(&r, at, x));
            }
            return;
        }
        self.touch(sn, n);
        for f in &functions {
            if let Some((fs, k)) = f.split_once('.') {
                self.touch(fs, function::split_key(k).0);
            }
        }
        self.drops[7].push(st);
        if let Some(x) = recreate {
            self.m(sn).base_types.insert(n.to_string(), x.clone());
        }
    }

    /// Base types and shell types: missing ones created with the other
    /// missing objects (shell, I/O functions, type), unexpected ones and
    /// those `ALTER TYPE` cannot change dropped with `CASCADE` (see
    /// `drop_base_type`), the rest altered in place. A shell of ACTUAL that
    /// EXPECTED has completed stays: the type is completed on it.
    fn base_types(&mut self, sn: &str, e: &Schema, a: &Schema) {
        let r = self.r;
        let (missing, both, extra) = split(&e.base_types, &a.base_types);
        for n in missing {
            let t = e.base_types[n].clone();
            self.m(sn).base_types.insert(n.clone(), t);
        }
        for n in both {
            let (x, y) = (&e.base_types[n], &a.base_types[n]);
            match types::base_recreate_reason(&r, x, y) {
                None => {
                    let alter = types::alter_base(&r, Name::new(sn, n), x, y);
                    self.take(&format!("type {sn}.{n}"), alter);
                }
                Some(reason) => {
                    self.recreated.push(format!("type {sn}.{n}: {reason}"));
                    self.drop_base_type(sn, n, Some(x));
                }
            }
        }
        for n in extra {
            self.drop_base_type(sn, n, None);
        }
        let (missing, both, extra) = split(&e.shell_types, &a.shell_types);
        for n in missing {
            let t = e.shell_types[n].clone();
            self.m(sn).shell_types.insert(n.clone(), t);
        }
        for n in both {
            let (x, y) = (&e.shell_types[n], &a.shell_types[n]);
            let alter = types::alter_shell_type(&r, Name::new(sn, n), x, y);
            self.take(&format!("type {sn}.{n}"), alter);
        }
        for n in extra {
            if e.base_types.contains_key(n) {
                // Completed on the shell: its comment, owner and grants
                // come with the type's creation.
                continue;
            }
            self.touch(sn, n);
            self.drop(7, types::drop_type(&r, Name::new(sn, n)));
        }
    }

    /// The statements of `a`, for `what` (`view care.v`). A recreation
    /// that drops data is left out whole when not destructive; so is an
    /// alter's statement that loses data.
    fn take(&mut self, what: &str, a: Alter) {
        match a {
            Alter::Recreate {
                reason,
                drop,
                create,
            } => {
                self.recreated.push(format!("{what}: {reason}"));
                if !self.destructive && drop.iter().any(|s| s.has(Hazard::DataLoss)) {
                    self.left_out.extend(drop);
                    self.left_out.extend(create);
                } else {
                    self.alters.extend(drop);
                    self.alters.extend(create);
                }
            }
            Alter::InPlace(v) => {
                for s in v {
                    self.keep(s);
                }
            }
        }
    }

    /// Run `s` with the alters, unless it loses data and that is not wanted.
    fn keep(&mut self, s: Statement) {
        if !self.destructive && s.has(Hazard::DataLoss) {
            self.left_out.push(s);
        } else {
            self.alters.push(s);
        }
    }

    /// Drop levels: 0 triggers and policies, 1 views (not used: see
    /// `view_drops`), 2 foreign keys, 3 other constraints and indexes, 4
    /// columns (and operator classes and families), 5 tables (then aggregates and operators), 6 sequences and
    /// functions, 7 types and schemas.
    fn drop(&mut self, level: usize, s: Statement) {
        if !self.destructive && s.has(Hazard::DataLoss) {
            self.left_out.push(s);
        } else {
            self.drops[level].push(s);
        }
    }

    fn run(mut self) -> FixScript {
        let r = self.r;
        let (e, a) = (self.e, self.a);
        self.plan_base_types();
        self.plan_range_moves();
        self.move_ranges();
        self.missing.extensions = e.extensions.clone();
        let mut existing = PgSchema {
            extensions: a.extensions.clone(),
            ..Default::default()
        };
        for (sn, es) in &e.schemas {
            let shell = Schema {
                comment: es.comment.clone(),
                privileges: es.privileges.clone(),
                ..Default::default()
            };
            self.missing.schemas.insert(sn.clone(), shell);
            if let Some(as_) = a.schemas.get(sn) {
                // A shell EXPECTED completes: the creation starts from it.
                let shell_types = as_
                    .shell_types
                    .iter()
                    .filter(|(n, _)| es.base_types.contains_key(*n))
                    .map(|(n, t)| (n.clone(), t.clone()))
                    .collect();
                existing.schemas.insert(
                    sn.clone(),
                    Schema {
                        comment: as_.comment.clone(),
                        privileges: as_.privileges.clone(),
                        shell_types,
                        ..Default::default()
                    },
                );
                self.schema(sn, es, as_);
            } else {
                *self.missing.schemas.get_mut(sn).unwrap() = es.clone();
            }
        }
        for (sn, as_) in &a.schemas {
            if !e.schemas.contains_key(sn) {
                self.drop_contents(sn, as_);
                existing.schemas.insert(sn.clone(), Schema::default());
            }
        }
        self.views_to_redo();
        for (sn, es) in &e.schemas {
            if let Some(as_) = a.schemas.get(sn) {
                self.views(sn, es, as_);
            }
        }
        self.drops[1] = self.ordered_view_drops();
        self.publications();
        self.event_triggers();
        self.casts();
        self.default_privileges();
        self.foreign_servers();
        self.foreign_data_wrappers();
        self.subscriptions();
        self.access_methods();
        self.transforms();
        self.languages();
        self.text_search();
        let created = script::create_objects(&r, &self.missing, e, &existing);
        self.unsupported.extend(created.unsupported);
        let mut out: Vec<Statement> = Vec::new();
        for level in self.drops {
            out.extend(level);
        }
        out.extend(self.early);
        out.extend(self.alters);
        out.extend(created.statements);
        out.extend(self.later);
        out.extend(self.owned);
        let labels = security_labels(&r, e, a, &out);
        out.extend(labels);
        out.extend(self.default_grants);
        FixScript {
            statements: out,
            left_out: self.left_out,
            recreated: self.recreated,
            column_order: self.reordered,
            unsupported: self.unsupported,
        }
    }

    /// Publications: unexpected ones dropped first, with the tables and
    /// schemas that leave one on both sides (before the tables go); the
    /// rest of an alter once the tables are there; missing ones created
    /// with the other missing objects.
    fn publications(&mut self) {
        let r = self.r;
        let (e, a) = (self.e, self.a);
        let (missing, both, extra) = split(&e.publications, &a.publications);
        for n in extra {
            self.drop(0, publication::drop(&r, n));
        }
        for n in missing {
            self.missing
                .publications
                .insert(n.clone(), e.publications[n].clone());
        }
        for n in both {
            let (ep, ap) = (&e.publications[n], &a.publications[n]);
            match publication::alter_parts(&r, n, ep, ap) {
                Some((leave, rest)) => {
                    self.drops[0].extend(leave);
                    self.later.extend(rest);
                }
                None => {
                    self.recreated
                        .push(format!("publication {n}: FOR ALL TABLES"));
                    self.drops[0].push(publication::drop(&r, n));
                    self.missing.publications.insert(n.clone(), ep.clone());
                }
            }
        }
    }

    /// Default privileges, when both sides read privileges: revoked first
    /// (before a schema they name is dropped, and so that the objects the
    /// script makes do not get them), granted last.
    fn default_privileges(&mut self) {
        let (e, a) = (self.e, self.a);
        if !(e.with_privileges && a.with_privileges) {
            return;
        }
        let keys: BTreeSet<&String> = e
            .default_privileges
            .keys()
            .chain(a.default_privileges.keys())
            .collect();
        for k in keys {
            let (x, y) = (e.default_privileges.get(k), a.default_privileges.get(k));
            let (revokes, grants) = privileges::default_privileges_parts(&self.r, x, y);
            self.drops[0].extend(revokes);
            self.default_grants.extend(grants);
        }
    }

    /// Casts: unexpected ones dropped first, missing ones created with the
    /// other missing objects (after their types and functions), as are
    /// those that have no alter (dropped first).
    fn casts(&mut self) {
        let r = self.r;
        let (e, a) = (self.e, self.a);
        let (missing, both, extra) = split(&e.casts, &a.casts);
        for n in extra {
            self.drop(0, cast::drop(&r, n));
        }
        for n in missing {
            self.missing.casts.insert(n.clone(), e.casts[n].clone());
        }
        for n in both {
            match cast::alter(&r, n, &e.casts[n], &a.casts[n]) {
                Alter::InPlace(v) => self.alters.extend(v),
                Alter::Recreate { reason, drop, .. } => {
                    self.recreated.push(format!("cast {n}: {reason}"));
                    self.drops[0].extend(drop);
                    self.missing.casts.insert(n.clone(), e.casts[n].clone());
                }
            }
        }
    }

    /// Foreign servers: unexpected ones dropped (after their user mappings)
    /// after the tables and the foreign tables on them, before their
    /// wrappers; missing ones created (with their user mappings) with the
    /// other missing objects, as are those that have no alter (another
    /// wrapper or type); the rest, and the user mappings, alter in place.
    /// A secret option is never written (said in the script's head).
    fn foreign_servers(&mut self) {
        let r = self.r;
        let (e, a) = (self.e, self.a);
        let (es, as_) = (&e.foreign_servers, &a.foreign_servers);
        let (missing, both, extra) = split(es, as_);
        for n in extra {
            for s in foreign::drop_server(&r, n, &as_[n]) {
                self.drop(5, s);
            }
        }
        for n in missing {
            self.missing
                .foreign_servers
                .insert(n.clone(), es[n].clone());
        }
        for n in both {
            let (x, y) = (&es[n], &as_[n]);
            match foreign::alter_server(&r, n, x, y) {
                Alter::InPlace(v) => {
                    self.alters.extend(v);
                    let (drops, rest) = foreign::alter_user_mappings(&r, n, x, y);
                    self.alters.extend(drops);
                    self.alters.extend(rest);
                }
                Alter::Recreate { reason, drop, .. } => {
                    self.recreated.push(format!("server {n}: {reason}"));
                    self.drops[5].extend(drop);
                    self.missing.foreign_servers.insert(n.clone(), x.clone());
                    continue;
                }
            }
            let set = format!("ALTER SERVER {}", r.ident(n));
            let names = foreign::secrets_to_set(&x.options, Some(&y.options));
            self.unsupported.extend(foreign::secrets_not_written(
                &format!("server {n}"),
                &set,
                names,
            ));
            for (who, m) in &x.user_mappings {
                let have = y.user_mappings.get(who).map(|m| &m.options);
                let names = foreign::secrets_to_set(&m.options, have);
                let set = format!("ALTER {}", foreign::user_mapping_target(&r, n, who));
                let object = format!("user mapping {n}.{who}");
                self.unsupported
                    .extend(foreign::secrets_not_written(&object, &set, names));
            }
        }
    }

    /// Foreign-data wrappers: unexpected ones dropped after the tables (and
    /// the foreign tables and servers that use them) and before their
    /// handler functions; missing ones created with the other missing
    /// objects (after their functions); the rest alters in place. A secret
    /// option is never written (said in the script's head).
    fn foreign_data_wrappers(&mut self) {
        let r = self.r;
        let (e, a) = (self.e, self.a);
        let (ew, aw) = (&e.foreign_data_wrappers, &a.foreign_data_wrappers);
        let (missing, both, extra) = split(ew, aw);
        for n in extra {
            self.drop(5, foreign::drop_wrapper(&r, n));
        }
        for n in missing {
            let x = ew[n].clone();
            self.missing.foreign_data_wrappers.insert(n.clone(), x);
        }
        for n in both {
            let (x, y) = (&ew[n], &aw[n]);
            let object = format!("foreign-data wrapper {n}");
            let set = format!("ALTER FOREIGN DATA WRAPPER {}", r.ident(n));
            let names = foreign::secrets_to_set(&x.options, Some(&y.options));
            self.unsupported
                .extend(foreign::secrets_not_written(&object, &set, names));
            self.alters
                .extend(foreign::alter_wrapper(&r, n, x, y).into_statements());
        }
    }

    /// Event triggers: unexpected ones dropped first, missing ones created
    /// with the other missing objects (after their functions), as are
    /// those that have no alter (dropped first).
    fn event_triggers(&mut self) {
        let r = self.r;
        let (e, a) = (self.e, self.a);
        let (missing, both, extra) = split(&e.event_triggers, &a.event_triggers);
        for n in extra {
            self.drop(0, event_trigger::drop(&r, n));
        }
        for n in missing {
            let x = e.event_triggers[n].clone();
            self.missing.event_triggers.insert(n.clone(), x);
        }
        for n in both {
            let (ex, ax) = (&e.event_triggers[n], &a.event_triggers[n]);
            match event_trigger::alter(&r, n, ex, ax) {
                Alter::InPlace(v) => self.alters.extend(v),
                Alter::Recreate { reason, drop, .. } => {
                    self.recreated.push(format!("event trigger {n}: {reason}"));
                    self.drops[0].extend(drop);
                    self.missing.event_triggers.insert(n.clone(), ex.clone());
                }
            }
        }
    }

    /// Access methods: missing ones created early (a table altered to use
    /// one needs it; its handler is a function of the server, or one
    /// already there), as are those that have no alter (another type or
    /// handler); unexpected ones dropped after the tables, indexes and
    /// operator classes that use them and before their handlers.
    fn access_methods(&mut self) {
        let r = self.r;
        let (e, a) = (self.e, self.a);
        let (missing, both, extra) = split(&e.access_methods, &a.access_methods);
        for n in extra {
            self.drop(5, access_method::drop(&r, n));
        }
        for n in missing {
            self.early
                .extend(access_method::create(&r, n, &e.access_methods[n]));
        }
        for n in both {
            let (ex, ax) = (&e.access_methods[n], &a.access_methods[n]);
            match access_method::alter(&r, n, ex, ax) {
                Alter::InPlace(v) => self.alters.extend(v),
                Alter::Recreate {
                    reason,
                    drop,
                    create,
                } => {
                    self.recreated.push(format!("access method {n}: {reason}"));
                    self.drops[5].extend(drop);
                    self.early.extend(create);
                }
            }
        }
    }

    /// Transforms: unexpected ones dropped after the functions written in
    /// their language (which depend on them when they take or return the
    /// type, and from PostgreSQL 18 when they name it in `TRANSFORM FOR
    /// TYPE`), before the language and their own functions, or, when a
    /// function kept names it, once that function is altered; missing ones
    /// created early when their type, language and functions are there (a
    /// function altered to name one needs it), else with the other missing
    /// objects; one of other functions given them by `CREATE OR REPLACE
    /// TRANSFORM`, where it would be dropped when its new functions are
    /// there, else once they are made; the comment in place.
    fn transforms(&mut self) {
        let r = self.r;
        let (e, a) = (self.e, self.a);
        let (et, at) = (&e.transforms, &a.transforms);
        let (missing, both, extra) = split(et, at);
        for k in extra {
            let (type_name, language) = Transform::split_key(k);
            let named_by_kept = a.schemas.iter().any(|(sn, s)| {
                s.functions.iter().any(|(fk, f)| {
                    f.language == language
                        && f.transforms.iter().any(|t| t == type_name)
                        && e.schemas
                            .get(sn)
                            .is_some_and(|x| x.functions.contains_key(fk))
                })
            });
            if named_by_kept {
                self.later.push(transform::drop(&r, k));
            } else {
                self.drop(6, transform::drop(&r, k));
            }
        }
        for k in both {
            let (replace, rest) = transform::alter_parts(&r, k, &et[k], &at[k]);
            if et[k].functions().all(|f| function_in(a, f)) {
                self.drops[6].extend(replace);
            } else {
                self.later.extend(replace);
            }
            self.alters.extend(rest);
        }
        for k in missing {
            let (type_name, language) = Transform::split_key(k);
            let ready = et[k].functions().all(|f| function_in(a, f))
                && type_in(a, type_name)
                && (a.languages.contains_key(language) || !e.languages.contains_key(language));
            if ready {
                self.early.extend(transform::create(&r, k, &et[k]));
            } else {
                self.missing.transforms.insert(k.clone(), et[k].clone());
            }
        }
    }

    /// Procedural languages: unexpected ones dropped after the functions
    /// written in them (and the transforms for them) and before their
    /// handler, inline and validator functions; one renamed is renamed
    /// back early; missing ones created early when their functions are
    /// there (a function altered into one needs it), else with the other
    /// missing objects (after their functions, before the functions
    /// written in them); one
    /// of another trust or other functions given them by `CREATE OR
    /// REPLACE LANGUAGE`, where it would be dropped (before its old
    /// functions may be) when its new functions are there, else once they
    /// are made; comment, owner and grants in place.
    fn languages(&mut self) {
        let r = self.r;
        let (e, a) = (self.e, self.a);
        let (el, al) = (&e.languages, &a.languages);
        let renamed = renames(el, al, |x| {
            (
                x.trusted,
                x.handler.clone(),
                x.inline.clone(),
                x.validator.clone(),
            )
        });
        let (missing, both, extra) = split(el, al);
        for n in extra {
            if let Some((to, _)) = renamed.iter().find(|(_, from)| *from == n) {
                self.early.push(language::rename(&r, n, to));
            } else {
                self.drop(6, language::drop(&r, n));
            }
        }
        let pairs = both
            .into_iter()
            .map(|n| (n, n))
            .chain(renamed.iter().map(|(to, from)| (*to, *from)));
        for (to, from) in pairs {
            let (replace, rest) = language::alter_parts(&r, to, &el[to], &al[from]);
            if el[to].functions().all(|f| function_in(a, f)) {
                self.drops[6].extend(replace);
            } else {
                self.later.extend(replace);
            }
            self.alters.extend(rest);
        }
        for n in missing {
            if renamed.iter().any(|(to, _)| *to == n) {
                continue;
            }
            if el[n].functions().all(|f| function_in(a, f)) {
                self.early.extend(language::create(&r, n, &el[n]));
            } else {
                self.missing.languages.insert(n.clone(), el[n].clone());
            }
        }
    }

    /// Subscriptions: unexpected ones dropped first, missing ones created
    /// with the other missing objects, as are those that have no alter
    /// (dropped first); a connection string with a secret is left to the
    /// user (said in the script's head).
    fn subscriptions(&mut self) {
        let r = self.r;
        let (e, a) = (self.e, self.a);
        let (missing, both, extra) = split(&e.subscriptions, &a.subscriptions);
        for n in extra {
            for s in subscription::drop(&r, n, &a.subscriptions[n]) {
                self.drop(0, s);
            }
        }
        for n in missing {
            let x = e.subscriptions[n].clone();
            self.missing.subscriptions.insert(n.clone(), x);
        }
        for n in both {
            let (ex, ax) = (&e.subscriptions[n], &a.subscriptions[n]);
            match subscription::alter(&r, n, ex, ax) {
                Alter::InPlace(v) => {
                    self.alters.extend(v);
                    let notes = subscription::secrets_not_written(&r, n, ex, Some(ax));
                    self.unsupported.extend(notes);
                }
                Alter::Recreate { reason, drop, .. } => {
                    self.recreated.push(format!("subscription {n}: {reason}"));
                    self.drops[0].extend(drop);
                    self.missing.subscriptions.insert(n.clone(), ex.clone());
                }
            }
        }
    }

    /// The views that read `schema.name` are to be dropped and created again.
    fn touch(&mut self, schema: &str, name: &str) {
        self.touched.insert((schema.to_string(), name.to_string()));
    }

    /// The views on both sides that are dropped and created again: those
    /// with no alter, those that read a touched object, a view dropped, or
    /// a view dropped and created again. Each is dropped with the views
    /// and created from EXPECTED with the missing objects.
    fn views_to_redo(&mut self) {
        let r = self.r;
        let (e, a) = (self.e, self.a);
        // (schema, name, materialized) -> ACTUAL's definition.
        let mut both: BTreeMap<ViewKey, &str> = BTreeMap::new();
        for (sn, es) in &e.schemas {
            let Some(as_) = a.schemas.get(sn) else {
                continue;
            };
            for n in as_.views.keys().filter(|n| !es.views.contains_key(*n)) {
                self.view_drops.insert((sn.clone(), n.clone(), false));
            }
            let unexpected = as_.materialized_views.keys();
            for n in unexpected.filter(|n| !es.materialized_views.contains_key(*n)) {
                self.view_drops.insert((sn.clone(), n.clone(), true));
            }
            for (n, av) in &as_.views {
                if let Some(ev) = es.views.get(n) {
                    let at = Name::new(sn, n);
                    if let Alter::Recreate { reason, .. } = view::alter_view(&r, at, ev, av) {
                        self.recreated.push(format!("view {sn}.{n}: {reason}"));
                        self.redo_views.insert((sn.clone(), n.clone(), false));
                    }
                    both.insert((sn.clone(), n.clone(), false), &av.definition);
                }
            }
            for (n, am) in &as_.materialized_views {
                if let Some(em) = es.materialized_views.get(n) {
                    let at = Name::new(sn, n);
                    let alter = view::alter_materialized_view(&r, at, em, am);
                    if let Alter::Recreate { reason, .. } = alter {
                        self.recreated
                            .push(format!("materialized view {sn}.{n}: {reason}"));
                        self.redo_views.insert((sn.clone(), n.clone(), true));
                    }
                    both.insert((sn.clone(), n.clone(), true), &am.definition);
                }
            }
        }
        let mut gone: BTreeSet<(String, String)> = self.touched.clone();
        gone.extend(
            self.view_drops
                .iter()
                .map(|(s, n, _)| (s.clone(), n.clone())),
        );
        gone.extend(
            self.redo_views
                .iter()
                .map(|(s, n, _)| (s.clone(), n.clone())),
        );
        loop {
            let more: Vec<ViewKey> = both
                .iter()
                .filter(|(k, _)| !self.redo_views.contains(*k))
                .filter(|(_, def)| refs::qualified_names(def).iter().any(|p| gone.contains(p)))
                .map(|(k, _)| k.clone())
                .collect();
            if more.is_empty() {
                break;
            }
            for k in more {
                let what = if k.2 { "materialized view" } else { "view" };
                self.recreated.push(format!(
                    "{what} {}.{}: what it reads is dropped or changes type",
                    k.0, k.1
                ));
                gone.insert((k.0.clone(), k.1.clone()));
                self.redo_views.insert(k);
            }
        }
        for k in self.redo_views.clone() {
            let (sn, n, materialized) = &k;
            let es = &e.schemas[sn];
            if *materialized {
                let v = es.materialized_views[n].clone();
                self.m(sn).materialized_views.insert(n.clone(), v);
            } else {
                let v = es.views[n].clone();
                self.m(sn).views.insert(n.clone(), v);
            }
            self.view_drops.insert(k);
        }
    }

    /// `DROP VIEW` (or `MATERIALIZED VIEW`) for each of `view_drops`, each
    /// before the views it reads.
    fn ordered_view_drops(&self) -> Vec<Statement> {
        let r = self.r;
        let definition = |(s, n, m): &ViewKey| -> Option<&str> {
            let x = self.a.schemas.get(s)?;
            if *m {
                x.materialized_views.get(n).map(|v| v.definition.as_str())
            } else {
                x.views.get(n).map(|v| v.definition.as_str())
            }
        };
        let reads: BTreeMap<&ViewKey, Vec<(String, String)>> = self
            .view_drops
            .iter()
            .map(|k| {
                (
                    k,
                    definition(k).map(refs::qualified_names).unwrap_or_default(),
                )
            })
            .collect();
        let mut left: Vec<&ViewKey> = self.view_drops.iter().collect();
        let mut out = Vec::new();
        while !left.is_empty() {
            // A view no other remaining view reads goes first.
            let free: Vec<usize> = (0..left.len())
                .filter(|&i| {
                    let me = (left[i].0.clone(), left[i].1.clone());
                    !left
                        .iter()
                        .enumerate()
                        .any(|(j, o)| j != i && reads[o].contains(&me))
                })
                .collect();
            let pick = if free.is_empty() { vec![0] } else { free };
            let mut batch: Vec<_> = pick.iter().rev().map(|&i| left.remove(i)).collect();
            batch.reverse();
            for (s, n, m) in batch {
                let at = Name::new(s, n);
                out.push(if *m {
                    view::drop_materialized_view(&r, at)
                } else {
                    view::drop_view(&r, at)
                });
            }
        }
        out
    }

    fn drop_contents(&mut self, sn: &str, s: &Schema) {
        let r = self.r;
        for n in s.views.keys() {
            self.view_drops.insert((sn.to_string(), n.clone(), false));
        }
        for n in s.materialized_views.keys() {
            self.view_drops.insert((sn.to_string(), n.clone(), true));
        }
        for (n, t) in &s.tables {
            self.touch(sn, n);
            // Partitions go with their parent.
            if t.partition_of.is_none() {
                self.drop(5, table::drop(&r, Name::new(sn, n).of_table(t)));
            }
        }
        for (n, q) in &s.sequences {
            if q.owned_by.is_none() {
                self.drop(6, sequence::drop(&r, Name::new(sn, n)));
            }
        }
        for (k, f) in &s.functions {
            if self.cascaded(f) || self.held(f) {
                continue;
            }
            let level = function_drop_level(self.a, sn, k, f);
            self.drop(level, function::drop(&r, sn, k, f));
        }
        for n in s.base_types.keys() {
            self.drop_base_type(sn, n, None);
        }
        for n in s.shell_types.keys() {
            self.drop(7, types::drop_type(&r, Name::new(sn, n)));
        }
        for n in s.domains.keys() {
            self.drop(7, types::drop_domain(&r, Name::new(sn, n)));
        }
        for n in s.composite_types.keys().chain(s.enums.keys()) {
            self.drop(7, types::drop_type(&r, Name::new(sn, n)));
        }
        for n in s.range_types.keys() {
            self.drop(7, types::drop_type(&r, Name::new(sn, n)));
        }
        for n in s.collations.keys() {
            self.drop(8, collation::drop(&r, Name::new(sn, n)));
        }
        for k in s.operator_classes.keys() {
            self.drop(4, opclass::drop_class(&r, sn, k));
        }
        for k in s.operator_families.keys() {
            self.drop(4, opclass::drop_family(&r, sn, k));
        }
        for k in s.operators.keys() {
            self.drop(5, operator::drop(&r, sn, k));
        }
        for n in s.conversions.keys() {
            self.drop(5, conversion::drop(&r, Name::new(sn, n)));
        }
    }

    fn schema(&mut self, sn: &str, e: &Schema, a: &Schema) {
        let r = self.r;
        self.collations(sn, e, a);
        self.enums(sn, e, a);
        self.types(
            sn,
            &e.domains,
            &a.domains,
            |s| &mut s.domains,
            types::alter_domain,
            types::drop_domain,
        );
        self.types(
            sn,
            &e.composite_types,
            &a.composite_types,
            |s| &mut s.composite_types,
            types::alter_composite,
            types::drop_type,
        );
        // Moved and renamed ones are altered apart (`move_ranges`).
        let er: BTreeMap<String, RangeType> = e
            .range_types
            .iter()
            .filter(|(n, _)| !self.range_moved_to(sn, n))
            .map(|(n, t)| (n.clone(), t.clone()))
            .collect();
        let ar: BTreeMap<String, RangeType> = a
            .range_types
            .iter()
            .filter(|(n, _)| {
                !self
                    .range_moves
                    .contains_key(&(sn.to_string(), n.to_string()))
            })
            .map(|(n, t)| (n.clone(), t.clone()))
            .collect();
        self.types(
            sn,
            &er,
            &ar,
            |s| &mut s.range_types,
            types::alter_range,
            types::drop_type,
        );
        self.base_types(sn, e, a);
        // Sequences: a rename keeps the options and the owner.
        let seq_key = |q: &Sequence| Sequence {
            comment: None,
            ..q.clone()
        };
        let renamed = renames(&e.sequences, &a.sequences, seq_key);
        for (to, from) in &renamed {
            self.alters
                .push(sequence::rename(&r, Name::new(sn, from), to));
            let alter = sequence::alter(
                &r,
                Name::new(sn, to),
                &e.sequences[*to],
                &a.sequences[*from],
            );
            self.take(&format!("sequence {sn}.{to}"), alter);
        }
        let (missing, both, extra) = split(&e.sequences, &a.sequences);
        for n in missing
            .into_iter()
            .filter(|n| !renamed.iter().any(|(t, _)| t == n))
        {
            // Before a column's default can use it; owned once the column is there.
            let q = &e.sequences[n];
            self.early.extend(sequence::create(&r, Name::new(sn, n), q));
            if let Some(o) = &q.owned_by {
                self.owned
                    .push(sequence::owned_by(&r, Name::new(sn, n), Some(o)));
            }
        }
        for n in both {
            let alter = sequence::alter(&r, Name::new(sn, n), &e.sequences[n], &a.sequences[n]);
            self.take(&format!("sequence {sn}.{n}"), alter);
        }
        for n in extra
            .into_iter()
            .filter(|n| !renamed.iter().any(|(_, f)| f == n))
        {
            let q = &a.sequences[n];
            // A sequence owned by a column goes with the column.
            let owner_goes = q.owned_by.as_ref().is_some_and(|o| !self.column_kept(o));
            if !owner_goes {
                self.drop(6, sequence::drop(&r, Name::new(sn, n)));
            }
        }
        let (missing, both, extra) = split(&e.functions, &a.functions);
        for k in missing {
            self.m(sn)
                .functions
                .insert(k.clone(), e.functions[k].clone());
        }
        for k in both {
            if self.cascaded(&a.functions[k]) {
                // Gone with a base type: made again with the missing.
                let f = e.functions[k].clone();
                self.m(sn).functions.insert(k.clone(), f);
                continue;
            }
            match function::alter(&r, sn, k, &e.functions[k], &a.functions[k]) {
                Ok(alter) => {
                    if matches!(alter, Alter::Recreate { .. }) {
                        self.touch(sn, function::split_key(k).0);
                    }
                    self.take(&format!("function {sn}.{k}"), alter);
                }
                Err(u) => self.unsupported.push(u),
            }
        }
        for k in extra {
            self.touch(sn, function::split_key(k).0);
            let f = &a.functions[k];
            if self.cascaded(f) || self.held(f) {
                continue;
            }
            let level = function_drop_level(self.a, sn, k, f);
            self.drop(level, function::drop(&r, sn, k, f));
        }
        let (missing, both, extra) = split(&e.tables, &a.tables);
        for n in missing {
            self.missing
                .schemas
                .get_mut(sn)
                .unwrap()
                .tables
                .insert(n.clone(), e.tables[n].clone());
        }
        for n in both {
            if self.range_moves.is_empty() {
                self.table(sn, n, &e.tables[n], &a.tables[n]);
            } else {
                let moved = self.with_moved_types(&a.tables[n]);
                self.table(sn, n, &e.tables[n], &moved);
            }
        }
        for n in extra {
            let t = &a.tables[n];
            let parent_stays = t
                .partition_of
                .as_ref()
                .is_none_or(|p| self.e_has_table(&p.parent));
            if parent_stays && !(self.destructive && self.goes_with_parent(t)) {
                self.touch(sn, n);
                self.drop(5, table::drop(&r, Name::new(sn, n).of_table(t)));
            }
        }
        // After the tables: an operator goes after what uses it, a class
        // and family before the operators they hold.
        self.operator_classes(sn, e, a);
        self.operators(sn, e, a);
        self.conversions(sn, e, a);
    }

    /// Operators: missing ones created with the other missing objects
    /// (after their types and functions, before what uses them), unexpected
    /// ones dropped with the tables (after the indexes and views that use
    /// them, before their functions), as are those that have no alter
    /// (created again with the missing ones). Dropping an operator clears
    /// the commutator and negator links to it, and creating it sets them
    /// again, so two that name each other converge.
    fn operators(&mut self, sn: &str, e: &Schema, a: &Schema) {
        let r = self.r;
        let (missing, both, extra) = split(&e.operators, &a.operators);
        for k in missing {
            let o = e.operators[k].clone();
            self.m(sn).operators.insert(k.clone(), o);
        }
        for k in both {
            match operator::alter(&r, sn, k, &e.operators[k], &a.operators[k]) {
                Alter::InPlace(v) => self.alters.extend(v),
                Alter::Recreate { reason, drop, .. } => {
                    self.recreated.push(format!("operator {sn}.{k}: {reason}"));
                    self.drops[5].extend(drop);
                    let o = e.operators[k].clone();
                    self.m(sn).operators.insert(k.clone(), o);
                }
            }
        }
        for k in extra {
            self.drop(5, operator::drop(&r, sn, k));
        }
    }

    /// Operator classes and families: missing ones created with the other
    /// missing objects (after the operators they hold, before the indexes
    /// that use them), unexpected ones dropped with the columns (after the
    /// indexes, before the operators), classes before families. A class has
    /// no alter: it is dropped and created again with the alters, after the
    /// indexes that are made anew (an index that uses it and stays makes the
    /// drop fail). A family's members are dropped with the columns and added
    /// once the missing operators are there.
    fn operator_classes(&mut self, sn: &str, e: &Schema, a: &Schema) {
        let r = self.r;
        let (missing, both, extra) = split(&e.operator_classes, &a.operator_classes);
        for k in missing {
            let c = e.operator_classes[k].clone();
            self.m(sn).operator_classes.insert(k.clone(), c);
        }
        for k in both {
            let (ec, ac) = (&e.operator_classes[k], &a.operator_classes[k]);
            let alter = opclass::alter_class(&r, sn, k, ec, ac);
            self.take(&format!("operator class {sn}.{k}"), alter);
        }
        for k in extra {
            self.drop(4, opclass::drop_class(&r, sn, k));
        }
        let (missing, both, extra) = split(&e.operator_families, &a.operator_families);
        for k in missing {
            let f = e.operator_families[k].clone();
            self.m(sn).operator_families.insert(k.clone(), f);
        }
        for k in both {
            let (ef, af) = (&e.operator_families[k], &a.operator_families[k]);
            let x = opclass::alter_family(&r, sn, k, ef, af);
            self.drops[4].extend(x.drop);
            self.alters.extend(x.rest);
            self.later.extend(x.add);
        }
        for k in extra {
            self.drop(4, opclass::drop_family(&r, sn, k));
        }
    }

    /// Conversions: missing ones created with the other missing objects
    /// (after their functions), unexpected ones dropped before their
    /// functions, as are those that have no alter (created again).
    fn conversions(&mut self, sn: &str, e: &Schema, a: &Schema) {
        let r = self.r;
        let (missing, both, extra) = split(&e.conversions, &a.conversions);
        for n in missing {
            let c = e.conversions[n].clone();
            self.m(sn).conversions.insert(n.clone(), c);
        }
        for n in both {
            let at = Name::new(sn, n);
            match conversion::alter(&r, at, &e.conversions[n], &a.conversions[n]) {
                Alter::InPlace(v) => self.alters.extend(v),
                Alter::Recreate { reason, drop, .. } => {
                    self.recreated
                        .push(format!("conversion {sn}.{n}: {reason}"));
                    self.drops[5].extend(drop);
                    let c = e.conversions[n].clone();
                    self.m(sn).conversions.insert(n.clone(), c);
                }
            }
        }
        for n in extra {
            self.drop(5, conversion::drop(&r, Name::new(sn, n)));
        }
    }

    /// Views and materialized views, once every schema's other objects
    /// are done (so that what they read is known to change).
    fn views(&mut self, sn: &str, e: &Schema, a: &Schema) {
        let r = self.r;
        let (missing, both, extra) = split(&e.views, &a.views);
        for n in missing {
            self.m(sn).views.insert(n.clone(), e.views[n].clone());
        }
        for n in both {
            if self
                .redo_views
                .contains(&(sn.to_string(), n.clone(), false))
            {
                continue;
            }
            let at = Name::new(sn, n);
            let (ev, av) = (&e.views[n], &a.views[n]);
            self.take(&format!("view {sn}.{n}"), view::alter_view(&r, at, ev, av));
            self.children(at, &ev.triggers, &av.triggers, None);
            self.rules(at, &ev.rules, &av.rules);
        }
        for n in extra {
            self.view_drops.insert((sn.to_string(), n.clone(), false));
        }
        let (missing, both, extra) = split(&e.materialized_views, &a.materialized_views);
        for n in missing {
            self.m(sn)
                .materialized_views
                .insert(n.clone(), e.materialized_views[n].clone());
        }
        for n in both {
            if self.redo_views.contains(&(sn.to_string(), n.clone(), true)) {
                continue;
            }
            let at = Name::new(sn, n);
            let (em, am) = (&e.materialized_views[n], &a.materialized_views[n]);
            let alter = view::alter_materialized_view(&r, at, em, am);
            self.take(&format!("materialized view {sn}.{n}"), alter);
            self.indexes(at, &em.indexes, &am.indexes, None);
            self.statistics(at, &em.statistics, &am.statistics);
            // An index made again is no longer the one it is clustered on.
            let remade = em
                .clustered_on
                .as_ref()
                .is_some_and(|x| em.indexes.get(x) != am.indexes.get(x));
            let cluster_actual = (!remade).then_some(am);
            self.later
                .extend(view::cluster_of(&r, at, em, cluster_actual));
        }
        for n in extra {
            self.view_drops.insert((sn.to_string(), n.clone(), true));
        }
    }

    /// Types of one kind: missing ones to create, others altered or dropped.
    fn types<V: Clone>(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, V>,
        a: &BTreeMap<String, V>,
        put: fn(&mut Schema) -> &mut BTreeMap<String, V>,
        alter: fn(&Pg, Name, &V, &V) -> Alter,
        drop: fn(&Pg, Name) -> Statement,
    ) {
        let r = self.r;
        let (missing, both, extra) = split(e, a);
        for n in missing {
            put(self.m(sn)).insert(n.clone(), e[n].clone());
        }
        for n in both {
            let alter = alter(&r, Name::new(sn, n), &e[n], &a[n]);
            if matches!(alter, Alter::Recreate { .. }) {
                self.touch(sn, n);
            }
            self.take(&format!("type {sn}.{n}"), alter);
        }
        for n in extra {
            self.touch(sn, n);
            self.drop(7, drop(&r, Name::new(sn, n)));
        }
    }

    /// Collations: missing ones created early (an altered column or a
    /// new domain may use them), others altered (or made anew), unexpected
    /// ones dropped last, once nothing uses them.
    fn collations(&mut self, sn: &str, e: &Schema, a: &Schema) {
        let r = self.r;
        let (missing, both, extra) = split(&e.collations, &a.collations);
        for n in missing {
            let at = Name::new(sn, n);
            self.early
                .extend(collation::create(&r, at, &e.collations[n]));
        }
        for n in both {
            let at = Name::new(sn, n);
            let alter = collation::alter(&r, at, &e.collations[n], &a.collations[n]);
            let q = r.qual(at);
            let columns = self.columns_where(|c| c.collation.as_deref() == Some(&q));
            if !matches!(alter, Alter::Recreate { .. }) || columns.is_empty() {
                self.take(&format!("collation {sn}.{n}"), alter);
                continue;
            }
            self.recreated.push(format!(
                "collation {sn}.{n}: no ALTER COLLATION changes its provider, locale or \
                 rules (its columns moved to the new one)"
            ));
            self.recollate(at, &e.collations[n], &columns);
        }
        for n in extra {
            self.drop(8, collation::drop(&r, Name::new(sn, n)));
        }
    }

    /// Collation `at` created anew as `expected` beside the old one
    /// (renamed), `columns` moved to it, the old one dropped at the end
    /// (which fails while an index key or a domain still names it).
    fn recollate(&mut self, at: Name, expected: &Collation, columns: &[(&str, &str, &Column)]) {
        let r = self.r;
        let q = r.qual(at);
        let old = format!("{}_schemadrift_old", at.name);
        self.alters.push(Statement::new(format!(
            "ALTER COLLATION {q} RENAME TO {}",
            r.ident(&old)
        )));
        self.alters.extend(collation::create(&r, at, expected));
        for (sn, tn, c) in columns {
            // Partitions and inheritance children follow their parent.
            let t = &self.a.schemas[*sn].tables[*tn];
            if t.partition_of.is_some() || !t.inherits.is_empty() {
                continue;
            }
            self.alters.push(
                Statement::new(format!(
                    "ALTER {} {} ALTER COLUMN {} TYPE {} COLLATE {q}",
                    Name::new(sn, tn).of_table(t).table_kw(),
                    r.qual(Name::new(sn, tn)),
                    r.ident(&c.name),
                    c.data_type
                ))
                .with(&[Hazard::Rewrite]),
            );
        }
        let old_q = r.qual(Name::new(at.schema, &old));
        self.later
            .push(Statement::new(format!("DROP COLLATION {old_q}")).with(&[Hazard::MayFail]));
    }

    /// Enums: missing ones to create, others altered or dropped. An enum
    /// that loses or reorders a label is created anew; the columns of its
    /// type are converted to the new one through its text (which fails
    /// for a row holding a label that goes).
    fn enums(&mut self, sn: &str, e: &Schema, a: &Schema) {
        let r = self.r;
        let (missing, both, extra) = split(&e.enums, &a.enums);
        for n in missing {
            self.m(sn).enums.insert(n.clone(), e.enums[n].clone());
        }
        for n in both {
            let at = Name::new(sn, n);
            let alter = types::alter_enum(&r, at, &e.enums[n], &a.enums[n]);
            let columns = self.columns_of_type(&r.qual(at));
            if !matches!(alter, Alter::Recreate { .. }) || columns.is_empty() {
                self.take(&format!("type {sn}.{n}"), alter);
                continue;
            }
            self.recreated.push(format!(
                "type {sn}.{n}: an enum label removed or moved (its columns converted)"
            ));
            self.retype(at, &e.enums[n], &columns);
        }
        for n in extra {
            self.touch(sn, n);
            self.drop(7, types::drop_type(&r, Name::new(sn, n)));
        }
    }

    /// The columns of ACTUAL whose type is `qualified` or an array of it:
    /// (schema, table, column).
    fn columns_of_type(&self, qualified: &str) -> Vec<(&'a str, &'a str, &'a Column)> {
        self.columns_where(|c| c.data_type.trim_end_matches("[]") == qualified)
    }

    /// The columns of ACTUAL's tables that `pick` picks: (schema, table,
    /// column).
    fn columns_where(&self, pick: impl Fn(&Column) -> bool) -> Vec<(&'a str, &'a str, &'a Column)> {
        let mut out = Vec::new();
        for (sn, s) in &self.a.schemas {
            for (tn, t) in &s.tables {
                for c in &t.columns {
                    if pick(c) {
                        out.push((sn.as_str(), tn.as_str(), c));
                    }
                }
            }
        }
        out
    }

    /// Enum `at` created anew as `expected` beside the old one (renamed),
    /// `columns` converted to it, the old one dropped.
    fn retype(&mut self, at: Name, expected: &Enum, columns: &[(&str, &str, &Column)]) {
        let r = self.r;
        let q = r.qual(at);
        let old = format!("{}_schemadrift_old", at.name);
        let old_q = r.qual(Name::new(at.schema, &old));
        self.alters.push(Statement::new(format!(
            "ALTER TYPE {q} RENAME TO {}",
            r.ident(&old)
        )));
        self.alters.extend(types::create_enum(&r, at, expected));
        for (sn, tn, c) in columns {
            // Partitions and inheritance children follow their parent.
            let t = &self.a.schemas[*sn].tables[*tn];
            if t.partition_of.is_some() || !t.inherits.is_empty() {
                continue;
            }
            self.touch(sn, tn);
            let table = r.qual(Name::new(sn, tn));
            let kw = Name::new(sn, tn).of_table(t).table_kw();
            let col = r.ident(&c.name);
            let at_col = |clause: String| format!("ALTER {kw} {table} ALTER COLUMN {col} {clause}");
            if c.default.is_some() {
                self.alters
                    .push(Statement::new(at_col("DROP DEFAULT".into())));
            }
            let text = if c.data_type.ends_with("[]") {
                "text[]"
            } else {
                "text"
            };
            self.alters.push(
                Statement::new(at_col(format!(
                    "TYPE {} USING {col}::{text}::{}",
                    c.data_type, c.data_type
                )))
                .with(&[Hazard::Rewrite, Hazard::MayFail]),
            );
            let wanted = self
                .e
                .schemas
                .get(*sn)
                .and_then(|s| s.tables.get(*tn))
                .and_then(|t| t.columns.iter().find(|x| x.name == c.name))
                .and_then(|x| x.default.as_ref());
            if let Some(d) = wanted {
                self.alters
                    .push(Statement::new(at_col(format!("SET DEFAULT {d}"))));
            }
        }
        self.alters
            .push(Statement::new(format!("DROP TYPE {old_q}")));
    }

    /// The part of schema `sn` to create.
    fn m(&mut self, sn: &str) -> &mut Schema {
        self.missing.schemas.get_mut(sn).unwrap()
    }

    fn e_has_table(&self, qualified: &str) -> bool {
        let Some((s, t)) = qualified.split_once('.') else {
            return false;
        };
        self.e
            .schemas
            .get(s)
            .is_some_and(|x| x.tables.contains_key(t))
    }

    /// Whether partition `a` of ACTUAL goes when its parent is dropped and
    /// created again (a new partition key, a new column order).
    fn goes_with_parent(&self, a: &Table) -> bool {
        let Some((s, p)) = a
            .partition_of
            .as_ref()
            .and_then(|p| refs::qualified_names(&p.parent).into_iter().next())
        else {
            return false;
        };
        let table = |x: &'a PgSchema| x.schemas.get(&s).and_then(|x| x.tables.get(&p));
        match (table(self.e), table(self.a)) {
            (Some(e), Some(pa)) => {
                recreate_reason(&self.r, Name::new(&s, &p), e, pa).is_some()
                    || self.goes_with_parent(pa)
            }
            _ => false,
        }
    }

    /// Whether column `schema.table.column` (as `owned_by` names it) is in
    /// EXPECTED too.
    fn column_kept(&self, owner: &str) -> bool {
        let parts: Vec<&str> = owner.split('.').collect();
        parts.len() == 3
            && self.e.schemas.get(parts[0]).is_some_and(|s| {
                s.tables
                    .get(parts[1])
                    .is_some_and(|t| t.columns.iter().any(|c| c.name == parts[2]))
            })
    }

    fn table(&mut self, sn: &str, n: &str, e: &Table, a: &Table) {
        let r = self.r;
        // ACTUAL's kind: what the alters work on (a foreign table on one
        // side only is made anew, by recreate_reason).
        let at = Name::new(sn, n).of_table(a);
        if self.destructive && self.goes_with_parent(a) {
            // Dropped with its parent: created again from EXPECTED.
            self.touch(sn, n);
            self.m(sn).tables.insert(n.to_string(), e.clone());
            return;
        }
        if let Some(reason) = recreate_reason(&r, at, e, a) {
            // No alter (a new partition key, or a new column order): a new table.
            self.recreated.push(format!("table {sn}.{n}: {reason}"));
            if self.destructive {
                self.touch(sn, n);
                self.drop(5, table::drop(&r, at));
                self.m(sn).tables.insert(n.to_string(), e.clone());
            } else {
                self.left_out.push(table::drop(&r, at));
                self.left_out.extend(table::create(&r, at, e));
            }
            return;
        }
        let kept: Vec<&str> = a
            .columns
            .iter()
            .filter(|c| e.columns.iter().any(|x| x.name == c.name))
            .chain(
                e.columns
                    .iter()
                    .filter(|c| !a.columns.iter().any(|x| x.name == c.name)),
            )
            .map(|c| c.name.as_str())
            .collect();
        if kept
            != e.columns
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
        {
            self.reordered.insert(format!("{sn}.{n}"));
        }
        // Columns: dropped, altered, added.
        for c in &a.columns {
            if !e.columns.iter().any(|x| x.name == c.name) {
                self.touch(sn, n);
                self.drop(4, column::drop(&r, at, &c.name));
            }
        }
        // Column grants once the table's own are right: a table-level
        // REVOKE takes the privilege from every column too.
        let revoked = privileges::revoked(&r, Kind::Table, &e.privileges, &a.privileges);
        let privileges = self.e.with_privileges;
        for c in &e.columns {
            let old = a.columns.iter().find(|x| x.name == c.name);
            let left = old.map_or_else(BTreeMap::new, |o| {
                privileges::after_revokes(&o.grants, &revoked)
            });
            if privileges && c.grants != left {
                let now = Column {
                    grants: left,
                    ..c.clone()
                };
                self.later.extend(column::grants(&r, at, c, Some(&now)));
            }
            // Column grants are done above.
            let empty = BTreeMap::new();
            let old_grants = old.map_or(&empty, |o| &o.grants);
            let owned;
            let c = if c.grants == *old_grants {
                c
            } else {
                owned = Column {
                    grants: old_grants.clone(),
                    ..c.clone()
                };
                &owned
            };
            match old {
                Some(old) => {
                    let alter = column::alter(&r, at, c, old);
                    // A view reading the column keeps it from changing type.
                    let retyped = c.data_type != old.data_type || c.collation != old.collation;
                    if retyped || matches!(alter, Alter::Recreate { .. }) {
                        self.touch(sn, n);
                    }
                    self.take(&format!("column {sn}.{n}.{}", c.name), alter);
                }
                None => self.alters.extend(column::add(&r, at, c)),
            }
        }
        // Out of its hierarchy before its columns change; the table's own
        // attributes, and back in, once they are right.
        self.drops[0].extend(table::unlink(&r, at, e, a));
        let mut no_links = e.clone();
        no_links.partition_of = a.partition_of.clone();
        no_links.inherits = a.inherits.clone();
        // Bound to a type by unlink and link alone (around the columns).
        no_links.of = None;
        let a_unbound;
        let a_unbound = match a.of {
            Some(_) => {
                a_unbound = Table {
                    of: None,
                    ..a.clone()
                };
                &a_unbound
            }
            None => a,
        };
        // The replica identity and clustering once their index is there
        // (below).
        no_links.replica_identity = a.replica_identity.clone();
        no_links.clustered_on = a.clustered_on.clone();
        self.take(
            &format!("table {sn}.{n}"),
            table::alter(&r, at, &no_links, a_unbound),
        );
        if let (Some(ef), Some(af)) = (&e.foreign, &a.foreign) {
            let set = format!("ALTER FOREIGN TABLE {}", r.qual(at));
            let names = foreign::secrets_to_set(&ef.options, Some(&af.options));
            let object = format!("foreign table {sn}.{n}");
            self.unsupported
                .extend(foreign::secrets_not_written(&object, &set, names));
        }
        self.later.extend(table::link(&r, at, e, a));
        // Constraints: renamed, dropped, altered, added (foreign keys last).
        let con_key = |c: &Constraint| Constraint {
            comment: None,
            ..c.clone()
        };
        let renamed = renames(&e.constraints, &a.constraints, con_key);
        for (to, from) in &renamed {
            self.alters.push(constraint::rename(&r, at, from, to));
            let alter = constraint::alter(&r, at, to, &e.constraints[*to], &a.constraints[*from]);
            self.take(&format!("constraint {sn}.{n}.{to}"), alter);
        }
        let (missing, both, extra) = split(&e.constraints, &a.constraints);
        for k in extra
            .into_iter()
            .filter(|k| !renamed.iter().any(|(_, f)| f == k))
        {
            let level = if a.constraints[k].kind == ConstraintKind::ForeignKey {
                2
            } else {
                3
            };
            self.drop(level, constraint::drop(&r, at, k));
        }
        for k in both {
            let alter = constraint::alter(&r, at, k, &e.constraints[k], &a.constraints[k]);
            self.take(&format!("constraint {sn}.{n}.{k}"), alter);
        }
        let mut fks = Vec::new();
        for k in missing
            .into_iter()
            .filter(|k| !renamed.iter().any(|(t, _)| t == k))
        {
            let st = constraint::create(&r, at, k, &e.constraints[k]);
            if e.constraints[k].kind == ConstraintKind::ForeignKey {
                fks.extend(st);
            } else {
                self.later.extend(st);
            }
        }
        self.indexes(at, &e.indexes, &a.indexes, Some(&e.columns));
        self.statistics(at, &e.statistics, &a.statistics);
        // An index made again is no longer the replica identity, nor the
        // one the table is clustered on.
        let remade = |x: &str| {
            e.indexes.get(x) != a.indexes.get(x) || e.constraints.get(x) != a.constraints.get(x)
        };
        let ri_actual = (!table::replica_identity_index(e).is_some_and(remade)).then_some(a);
        self.later
            .extend(table::replica_identity_of(&r, at, e, ri_actual));
        let cluster_actual = (!e.clustered_on.as_deref().is_some_and(remade)).then_some(a);
        self.later
            .extend(table::cluster_of(&r, at, e, cluster_actual));
        self.later.extend(fks);
        self.children(
            at,
            &e.triggers,
            &a.triggers,
            Some((&e.policies, &a.policies)),
        );
        self.rules(at, &e.rules, &a.rules);
    }

    fn indexes(
        &mut self,
        at: Name,
        e: &BTreeMap<String, Index>,
        a: &BTreeMap<String, Index>,
        columns: Option<&[Column]>,
    ) {
        let r = self.r;
        // Paired as the differ pairs them: by what the index is.
        let key = |x: &Index| Index {
            storage_parameters: x.storage_parameters.clone(),
            ..index::build_of(x)
        };
        let renamed = renames(e, a, key);
        for (to, from) in &renamed {
            self.alters.push(index::rename(&r, at.schema, from, to));
            let alter = index::alter(&r, at, to, &e[*to], &a[*from], columns);
            self.take(&format!("index {}.{to}", at.schema), alter);
        }
        let (missing, both, extra) = split(e, a);
        for k in extra
            .into_iter()
            .filter(|k| !renamed.iter().any(|(_, f)| f == k))
        {
            self.drop(3, index::drop(&r, at.schema, k));
        }
        for k in both {
            let alter = index::alter(&r, at, k, &e[k], &a[k], columns);
            self.take(&format!("index {}.{k}", at.schema), alter);
        }
        for k in missing
            .into_iter()
            .filter(|k| !renamed.iter().any(|(t, _)| t == k))
        {
            self.later.extend(index::create(&r, at, k, &e[k], columns));
        }
    }

    /// Extended statistics of table `at`: dropped with the indexes,
    /// altered, created once the table's columns are there.
    fn statistics(
        &mut self,
        at: Name,
        e: &BTreeMap<String, Statistics>,
        a: &BTreeMap<String, Statistics>,
    ) {
        let r = self.r;
        let (missing, both, extra) = split(e, a);
        for k in extra {
            self.drop(3, statistics::drop(&r, at, k, &a[k]));
        }
        for k in both {
            let alter = statistics::alter(&r, at, k, &e[k], &a[k]);
            self.take(
                &format!("statistics {k} on {}.{}", at.schema, at.name),
                alter,
            );
        }
        for k in missing {
            self.later.extend(statistics::create(&r, at, k, &e[k]));
        }
    }

    /// Rules of table or view `at`: dropped first, altered, created late
    /// (they may act on other tables).
    fn rules(&mut self, at: Name, e: &BTreeMap<String, Rule>, a: &BTreeMap<String, Rule>) {
        let r = self.r;
        let (missing, both, extra) = split(e, a);
        for k in extra {
            self.drop(0, rule::drop(&r, at, k));
        }
        for k in both {
            let alter = rule::alter(&r, at, k, &e[k], &a[k]);
            self.take(&format!("rule {k} on {}.{}", at.schema, at.name), alter);
        }
        for k in missing {
            self.later.extend(rule::create(&r, at, k, &e[k]));
        }
    }

    fn children(
        &mut self,
        at: Name,
        e: &BTreeMap<String, Trigger>,
        a: &BTreeMap<String, Trigger>,
        policies: Option<(&Policies, &Policies)>,
    ) {
        let r = self.r;
        let (missing, both, extra) = split(e, a);
        for k in extra {
            self.drop(0, trigger::drop(&r, at, k));
        }
        for k in both {
            let alter = trigger::alter(&r, at, k, &e[k], &a[k]);
            self.take(&format!("trigger {k} on {}.{}", at.schema, at.name), alter);
        }
        for k in missing {
            self.later.extend(trigger::create(&r, at, k, &e[k]));
        }
        if let Some((e, a)) = policies {
            let (missing, both, extra) = split(e, a);
            for k in extra {
                self.drop(0, policy::drop(&r, at, k));
            }
            for k in both {
                let alter = policy::alter(&r, at, k, &e[k], &a[k]);
                self.take(&format!("policy {k} on {}.{}", at.schema, at.name), alter);
            }
            for k in missing {
                self.later.extend(policy::create(&r, at, k, &e[k]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(json: serde_json::Value) -> PgSchema {
        serde_json::from_value(json).unwrap()
    }

    /// A range type renamed or moved by `ALTER TYPE` keeps its multirange
    /// type's old schema and name: the way back is the same `ALTER TYPE`,
    /// which keeps the columns of the type.
    #[test]
    fn range_types_renamed_or_moved_are_renamed_or_moved_back() {
        let table = |a: &str, b: &str| {
            serde_json::json!({"columns": [
                {"name": "span", "type": a}, {"name": "spans", "type": format!("{a}[]")},
                {"name": "n", "type": b}]})
        };
        let e = model(serde_json::json!({"schemas": {
            "spans": {
                "range_types": {
                    "floatrange": {"subtype": "double precision"},
                    "moved": {"subtype": "integer", "comment": "moved"}},
                "tables": {"readings": table("spans.floatrange", "spans.moved")}},
            "other": {}}}));
        let a = model(serde_json::json!({"schemas": {
            "spans": {
                "range_types": {
                    "fr": {"subtype": "double precision",
                           "multirange_type_name": "spans.floatmultirange"}},
                "tables": {"readings": table("spans.fr", "other.moved")}},
            "other": {"range_types": {"moved": {"subtype": "integer",
                "multirange_type_name": "spans.moved_multirange", "comment": "away"}}}}}));
        let r = Pg::default();
        let sql: Vec<String> = fix_script(&r, &e, &a, true)
            .statements
            .into_iter()
            .map(|s| s.sql)
            .collect();
        assert_eq!(
            sql,
            [
                "ALTER TYPE other.moved SET SCHEMA spans",
                "ALTER TYPE spans.fr RENAME TO floatrange",
                "COMMENT ON TYPE spans.moved IS 'moved'",
            ]
        );
        // Back: the multirange types already have the names EXPECTED's
        // have.
        let sql: Vec<String> = fix_script(&r, &a, &e, true)
            .statements
            .into_iter()
            .map(|s| s.sql)
            .collect();
        assert_eq!(
            sql,
            [
                "ALTER TYPE spans.floatrange RENAME TO fr",
                "ALTER TYPE spans.moved SET SCHEMA other",
                "COMMENT ON TYPE other.moved IS 'away'",
            ]
        );
        // A multirange type of another name: no rename converges (on 14+).
        let mut other = a.clone();
        let fr = other.schemas.get_mut("spans").unwrap();
        let t = fr.range_types.get_mut("fr").unwrap();
        t.multirange_type_name = Some("spans.frs".into());
        let sql: Vec<String> = fix_script(&r, &e, &other, true)
            .statements
            .into_iter()
            .map(|s| s.sql)
            .collect();
        assert!(sql.contains(&"DROP TYPE spans.fr".to_string()), "{sql:?}");
    }
}
