//! ACTUAL's texts made EXPECTED's wherever the differ calls them equal.
//!
//! The differ compares expressions by meaning ([`Equiv`]); the fix script's
//! builders (`ddl::postgres`) compare the model's texts and render them.
//! Rather than teach every builder the differ's rules, the fix script is
//! built from a copy of ACTUAL in which each text the differ would find
//! equal in meaning to EXPECTED's (a check, an index key or predicate, a
//! view's query, a default, ...) is replaced by EXPECTED's text, and each
//! extension version and subscription `streaming` the differ calls the same
//! by EXPECTED's. What the
//! differ reports as different is left as it is, so the script acts on
//! exactly what the differ reports. Objects are paired as the differ pairs
//! them: by name, and constraints and indexes whose names differ by
//! meaning (a rename).

use std::collections::BTreeMap;

use super::{core_definition, index_meaning, pair_by_meaning, split, Equiv, Kind};
use crate::model::postgres::*;

/// A copy of `actual` with the texts that mean what `expected`'s mean
/// spelled as `expected` spells them.
pub fn align(expected: &PgSchema, actual: &PgSchema, eq: &Equiv) -> PgSchema {
    let mut out = actual.clone();
    for (n, x) in out.extensions.iter_mut() {
        if let Some(e) = expected.extensions.get(n) {
            if x.version != e.version && crate::equiv::same_extension_version(e, x) {
                x.version = e.version.clone();
                x.default_version = e.default_version.clone();
            }
        }
    }
    // A subscription's streaming at each server's own default.
    for (n, x) in out.subscriptions.iter_mut() {
        if let Some(e) = expected.subscriptions.get(n) {
            if eq.same_streaming(&e.streaming, &x.streaming) {
                x.streaming = e.streaming.clone();
            }
        }
    }
    for (sn, s) in out.schemas.iter_mut() {
        if let Some(e) = expected.schemas.get(sn) {
            schema(eq, e, s);
        }
    }
    out
}

/// `a` takes `e`'s text when the two are texts of `kind` that mean the same.
fn text(eq: &Equiv, kind: Kind, e: &str, a: &mut String) {
    if e != a && eq.same(kind, e, a) {
        *a = e.to_string();
    }
}

/// [`text`] for optional texts: only when both are present.
fn opt(eq: &Equiv, kind: Kind, e: &Option<String>, a: &mut Option<String>) {
    if let (Some(e), Some(a)) = (e, a.as_mut()) {
        text(eq, kind, e, a);
    }
}

fn schema(eq: &Equiv, e: &Schema, a: &mut Schema) {
    for (n, t) in a.tables.iter_mut() {
        if let Some(et) = e.tables.get(n) {
            table(eq, et, t);
        }
    }
    for (n, v) in a.views.iter_mut() {
        if let Some(ev) = e.views.get(n) {
            text(eq, Kind::Query, &ev.definition, &mut v.definition);
            triggers(eq, &ev.triggers, &mut v.triggers);
        }
    }
    for (n, v) in a.materialized_views.iter_mut() {
        if let Some(ev) = e.materialized_views.get(n) {
            text(eq, Kind::Query, &ev.definition, &mut v.definition);
            indexes(eq, &ev.indexes, &mut v.indexes);
        }
    }
    for (n, f) in a.functions.iter_mut() {
        if let Some(ef) = e.functions.get(n) {
            if ef.language == "sql" && f.language == "sql" {
                text(eq, Kind::SqlBody, &ef.body, &mut f.body);
            }
        }
    }
    for (n, d) in a.domains.iter_mut() {
        if let Some(ed) = e.domains.get(n) {
            opt(eq, Kind::Expression, &ed.default, &mut d.default);
            domain_constraints(eq, &ed.constraints, &mut d.constraints);
        }
    }
}

fn table(eq: &Equiv, e: &Table, a: &mut Table) {
    opt(
        eq,
        Kind::PartitionKey,
        &e.partition_key,
        &mut a.partition_key,
    );
    for c in a.columns.iter_mut() {
        let Some(ec) = e.columns.iter().find(|x| x.name == c.name) else {
            continue;
        };
        opt(eq, Kind::Expression, &ec.default, &mut c.default);
        if let (Some(eg), Some(g)) = (&ec.generated, c.generated.as_mut()) {
            text(eq, Kind::Expression, &eg.expression, &mut g.expression);
        }
    }
    constraints(eq, &e.constraints, &mut a.constraints);
    indexes(eq, &e.indexes, &mut a.indexes);
    triggers(eq, &e.triggers, &mut a.triggers);
    for (n, x) in a.statistics.iter_mut() {
        let Some(ex) = e.statistics.get(n) else {
            continue;
        };
        if ex.expressions.len() == x.expressions.len() {
            for (ee, xe) in ex.expressions.iter().zip(x.expressions.iter_mut()) {
                text(eq, Kind::Expression, ee, xe);
            }
        }
    }
    for (n, p) in a.policies.iter_mut() {
        if let Some(ep) = e.policies.get(n) {
            opt(eq, Kind::Expression, &ep.using, &mut p.using);
            opt(eq, Kind::Expression, &ep.with_check, &mut p.with_check);
        }
    }
}

/// The core of a constraint's definition (without the clauses that have
/// fields of their own) takes EXPECTED's text; ACTUAL's clauses stay.
fn constraint(eq: &Equiv, e: &Constraint, a: &mut Constraint) {
    let (ec, ac) = (
        core_definition(&e.definition),
        core_definition(&a.definition),
    );
    if ec != ac && eq.same(Kind::Constraint, ec, ac) {
        let rest = &a.definition[ac.len()..];
        a.definition = format!("{ec}{rest}");
    }
}

/// Pairs of names (expected, actual): the same name, or a rename the
/// differ makes by `meaning`.
fn pairs<V, M: PartialEq>(
    e: &BTreeMap<String, V>,
    a: &BTreeMap<String, V>,
    meaning: impl Fn(&V) -> Option<M>,
) -> Vec<(String, String)> {
    let mut s = split(e, a);
    let renamed = pair_by_meaning(&mut s, meaning);
    s.both
        .iter()
        .map(|(n, _, _)| ((*n).clone(), (*n).clone()))
        .chain(
            renamed
                .iter()
                .map(|(en, _, an, _)| ((*en).clone(), (*an).clone())),
        )
        .collect()
}

fn constraints(eq: &Equiv, e: &BTreeMap<String, Constraint>, a: &mut BTreeMap<String, Constraint>) {
    let pairs = pairs(e, a, |c: &Constraint| {
        Some((c.kind, eq.meaning(Kind::Constraint, &c.definition)))
    });
    for (en, an) in pairs {
        if let Some(c) = a.get_mut(&an) {
            constraint(eq, &e[&en], c);
        }
    }
}

fn domain_constraints(eq: &Equiv, e: &BTreeMap<String, String>, a: &mut BTreeMap<String, String>) {
    let pairs = pairs(e, a, |d: &String| Some(eq.meaning(Kind::Constraint, d)));
    for (en, an) in pairs {
        if let Some(d) = a.get_mut(&an) {
            text(eq, Kind::Constraint, &e[&en], d);
        }
    }
}

fn indexes(eq: &Equiv, e: &BTreeMap<String, Index>, a: &mut BTreeMap<String, Index>) {
    let pairs = pairs(e, a, |i| Some(index_meaning(eq, i)));
    for (en, an) in pairs {
        let (ei, Some(i)) = (&e[&en], a.get_mut(&an)) else {
            continue;
        };
        if ei.keys.len() == i.keys.len() {
            for (ek, k) in ei.keys.iter().zip(i.keys.iter_mut()) {
                text(eq, Kind::Expression, &ek.expression, &mut k.expression);
            }
        }
        opt(eq, Kind::Expression, &ei.predicate, &mut i.predicate);
    }
}

fn triggers(eq: &Equiv, e: &BTreeMap<String, Trigger>, a: &mut BTreeMap<String, Trigger>) {
    for (n, t) in a.iter_mut() {
        if let Some(et) = e.get(n) {
            opt(eq, Kind::Expression, &et.when, &mut t.when);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(def: &str) -> Constraint {
        super::super::tests::cons(ConstraintKind::Check, def, &["role"])
    }

    fn schema_with(constraints: &[(&str, Constraint)], view: &str) -> PgSchema {
        let mut t = Table::default();
        for (n, c) in constraints {
            t.constraints.insert(n.to_string(), c.clone());
        }
        let mut s = Schema::default();
        s.tables.insert("t".into(), t);
        s.views.insert(
            "v".into(),
            View {
                definition: view.into(),
                options: vec![],
                comment: None,
                column_comments: BTreeMap::new(),
                triggers: BTreeMap::new(),
                rules: BTreeMap::new(),
                privileges: Privileges::default(),
                column_grants: BTreeMap::new(),
            },
        );
        let mut pg = PgSchema::default();
        pg.schemas.insert("app".into(), s);
        pg
    }

    const STORED: &str = "CHECK (((role)::text = ANY ((ARRAY['owner'::character varying, 'admin'::character varying])::text[])))";
    const RESTORED: &str = "CHECK (((role)::text = ANY (ARRAY[('owner'::character varying)::text, ('admin'::character varying)::text])))";

    #[test]
    fn texts_equal_in_meaning_take_expected_spelling() {
        let e = schema_with(
            &[("a", check(STORED)), ("b", check(STORED))],
            " SELECT t.x\n   FROM app.t;",
        );
        let a = schema_with(
            &[
                ("a", check(&format!("{RESTORED} NOT VALID"))),
                ("b_renamed", check(RESTORED)),
            ],
            " SELECT x\n   FROM app.t;",
        );
        let got = align(&e, &a, &Equiv::default());
        let t = &got.schemas["app"].tables["t"];
        assert_eq!(t.constraints["a"].definition, format!("{STORED} NOT VALID"));
        assert_eq!(t.constraints["b_renamed"].definition, STORED);
        assert_eq!(
            got.schemas["app"].views["v"].definition,
            " SELECT t.x\n   FROM app.t;"
        );
    }

    #[test]
    fn texts_that_differ_in_meaning_are_kept() {
        let other = STORED.replace("admin", "root");
        let e = schema_with(&[("a", check(STORED))], " SELECT 1;");
        let a = schema_with(&[("a", check(&other))], " SELECT 2;");
        let got = align(&e, &a, &Equiv::default());
        assert_eq!(got, a);
    }
}
