//! User-defined types: enums, domains, composite types, range types, base
//! types and shell types.

use super::privileges::{self, Kind, Target};
use super::{quote, Name, Pg};
use crate::ddl::{Alter, Hazard, Statement};
use crate::model::postgres::{
    BaseType, CompositeAttribute, CompositeType, Domain, Enum, RangeType, ShellType,
};

fn labels(v: &[String]) -> String {
    v.iter()
        .map(|l| quote::literal(l))
        .collect::<Vec<_>>()
        .join(", ")
}

fn type_target(q: &str) -> Target<'_> {
    Target {
        kind: Kind::Type,
        sql: q,
    }
}

/// `CREATE TYPE .. AS ENUM (...)`, its comment, owner and grants.
pub fn create_enum(r: &Pg, at: Name, e: &Enum) -> Vec<Statement> {
    let q = r.qual(at);
    let mut out = vec![Statement::new(format!(
        "CREATE TYPE {q} AS ENUM ({})",
        labels(&e.labels)
    ))];
    out.extend(privileges::with_comment(
        r,
        type_target(&q),
        e.comment.as_ref(),
        &e.privileges,
    ));
    out
}

/// `DROP TYPE` (an enum or a composite type).
pub fn drop_type(r: &Pg, at: Name) -> Statement {
    Statement::new(format!("DROP TYPE {}", r.qual(at)))
}

/// Turn enum `actual` into `expected`: labels renamed in place (`RENAME
/// VALUE`) or added where they belong (`ADD VALUE .. BEFORE/AFTER`). A
/// label cannot be removed nor moved: the type is recreated, and every
/// column of the type converted.
pub fn alter_enum(r: &Pg, at: Name, expected: &Enum, actual: &Enum) -> Alter {
    let q = r.qual(at);
    let (e, a) = (&expected.labels, &actual.labels);
    let mut out = Vec::new();
    if e != a {
        let renamed = e.len() == a.len()
            && e.iter()
                .zip(a)
                .all(|(x, y)| x == y || !a.contains(x) && !e.contains(y));
        let added = is_subsequence(a, e);
        if renamed {
            for (x, y) in e.iter().zip(a).filter(|(x, y)| x != y) {
                out.push(Statement::new(format!(
                    "ALTER TYPE {q} RENAME VALUE {} TO {}",
                    quote::literal(y),
                    quote::literal(x)
                )));
            }
        } else if added {
            for (i, label) in e.iter().enumerate() {
                if a.contains(label) {
                    continue;
                }
                // After the label before it (there already, or just added),
                // or before the first of the labels already there.
                let place = match (i.checked_sub(1), a.first()) {
                    (Some(p), _) => format!(" AFTER {}", quote::literal(&e[p])),
                    (None, Some(first)) => format!(" BEFORE {}", quote::literal(first)),
                    (None, None) => String::new(),
                };
                out.push(
                    Statement::new(format!(
                        "ALTER TYPE {q} ADD VALUE {}{place}",
                        quote::literal(label)
                    ))
                    .with(&[Hazard::CommitBeforeUse]),
                );
            }
        } else {
            return Alter::Recreate {
                reason: "an enum label removed or moved".to_string(),
                drop: vec![drop_type(r, at)],
                create: create_enum(r, at, expected),
            };
        }
    }
    out.extend(privileges::alter_with_comment(
        r,
        type_target(&q),
        (expected.comment.as_ref(), actual.comment.as_ref()),
        &expected.privileges,
        &actual.privileges,
    ));
    Alter::InPlace(out)
}

/// Whether `small` is `big` with some items left out.
fn is_subsequence(small: &[String], big: &[String]) -> bool {
    let mut it = big.iter();
    small.iter().all(|s| it.any(|b| b == s))
}

fn domain_target(q: &str) -> Target<'_> {
    Target {
        kind: Kind::Domain,
        sql: q,
    }
}

/// `ALTER DOMAIN .. ADD CONSTRAINT name <definition>` (the definition may
/// end in `NOT VALID`, which `CREATE DOMAIN` does not take).
fn add_domain_constraint(q: &str, r: &Pg, name: &str, def: &str) -> Statement {
    let hazards: &[Hazard] = if def.ends_with(" NOT VALID") {
        &[]
    } else {
        &[Hazard::MayFail]
    };
    Statement::new(format!(
        "ALTER DOMAIN {q} ADD CONSTRAINT {} {def}",
        r.ident(name)
    ))
    .with(hazards)
}

/// `CREATE DOMAIN` with its collation, default and `NOT NULL`, then its
/// check constraints, comment, owner and grants.
pub fn create_domain(r: &Pg, at: Name, d: &Domain) -> Vec<Statement> {
    let q = r.qual(at);
    let mut s = format!("CREATE DOMAIN {q} AS {}", d.base_type);
    if let Some(c) = &d.collation {
        s.push_str(&format!(" COLLATE {c}"));
    }
    if let Some(x) = &d.default {
        s.push_str(&format!(" DEFAULT {x}"));
    }
    if d.not_null {
        s.push_str(" NOT NULL");
    }
    let mut out = vec![Statement::new(s)];
    for (n, def) in &d.constraints {
        out.push(add_domain_constraint(&q, r, n, def));
    }
    out.extend(privileges::with_comment(
        r,
        domain_target(&q),
        d.comment.as_ref(),
        &d.privileges,
    ));
    out
}

/// `DROP DOMAIN`.
pub fn drop_domain(r: &Pg, at: Name) -> Statement {
    Statement::new(format!("DROP DOMAIN {}", r.qual(at)))
}

/// Turn domain `actual` into `expected`: default, `NOT NULL` and check
/// constraints (added, dropped, renamed, replaced) alter in place; a new
/// base type or collation has no alter: drop and create (with the columns
/// of the domain).
pub fn alter_domain(r: &Pg, at: Name, expected: &Domain, actual: &Domain) -> Alter {
    if expected.base_type != actual.base_type || expected.collation != actual.collation {
        return Alter::Recreate {
            reason: "the domain's base type or collation".to_string(),
            drop: vec![drop_domain(r, at)],
            create: create_domain(r, at, expected),
        };
    }
    let q = r.qual(at);
    let mut out = Vec::new();
    if expected.default != actual.default {
        out.push(Statement::new(match &expected.default {
            Some(d) => format!("ALTER DOMAIN {q} SET DEFAULT {d}"),
            None => format!("ALTER DOMAIN {q} DROP DEFAULT"),
        }));
    }
    if expected.not_null != actual.not_null {
        out.push(if expected.not_null {
            Statement::new(format!("ALTER DOMAIN {q} SET NOT NULL")).with(&[Hazard::MayFail])
        } else {
            Statement::new(format!("ALTER DOMAIN {q} DROP NOT NULL"))
        });
    }
    let (e, a) = (&expected.constraints, &actual.constraints);
    let mut added: Vec<(&String, &String)> =
        e.iter().filter(|(n, d)| a.get(*n) != Some(*d)).collect();
    for (n, def) in a {
        if e.get(n) == Some(def) {
            continue;
        }
        // The same check under another name: a rename.
        let twin = added
            .iter()
            .position(|(en, ed)| *ed == def && !a.contains_key(*en));
        match twin {
            Some(i) => {
                let (to, _) = added.remove(i);
                out.push(Statement::new(format!(
                    "ALTER DOMAIN {q} RENAME CONSTRAINT {} TO {}",
                    r.ident(n),
                    r.ident(to)
                )));
            }
            None => out.push(Statement::new(format!(
                "ALTER DOMAIN {q} DROP CONSTRAINT {}",
                r.ident(n)
            ))),
        }
    }
    for (n, def) in added {
        out.push(add_domain_constraint(&q, r, n, def));
    }
    out.extend(privileges::alter_with_comment(
        r,
        domain_target(&q),
        (expected.comment.as_ref(), actual.comment.as_ref()),
        &expected.privileges,
        &actual.privileges,
    ));
    Alter::InPlace(out)
}

/// `CREATE TYPE .. AS RANGE (..)` as `pg_dump` writes it (what is the
/// default left out), its comment, owner and grants.
pub fn create_range(r: &Pg, at: Name, t: &RangeType) -> Vec<Statement> {
    let q = r.qual(at);
    let RangeType {
        subtype,
        subtype_opclass,
        collation,
        canonical,
        subtype_diff,
        multirange_type_name,
        comment,
        privileges,
    } = t;
    let mut opts = vec![format!("subtype = {subtype}")];
    let clauses = [
        ("multirange_type_name", multirange_type_name),
        ("subtype_opclass", subtype_opclass),
        ("collation", collation),
        ("canonical", canonical),
        ("subtype_diff", subtype_diff),
    ];
    for (key, v) in clauses {
        if let Some(v) = v {
            opts.push(format!("{key} = {v}"));
        }
    }
    let mut out = vec![Statement::new(format!(
        "CREATE TYPE {q} AS RANGE ({})",
        opts.join(", ")
    ))];
    out.extend(privileges::with_comment(
        r,
        type_target(&q),
        comment.as_ref(),
        privileges,
    ));
    out
}

/// `CREATE TYPE name`: a shell, which a base type's I/O functions need
/// before the type is defined (as `pg_dump`'s dumpShellType writes it).
pub fn create_shell(r: &Pg, at: Name) -> Statement {
    Statement::new(format!("CREATE TYPE {}", r.qual(at)))
}

/// A shell type never completed, its comment, owner and grants (as
/// `pg_dump`'s dumpUndefinedType writes it).
pub fn create_shell_type(r: &Pg, at: Name, t: &ShellType) -> Vec<Statement> {
    let q = r.qual(at);
    let mut out = vec![create_shell(r, at)];
    out.extend(privileges::with_comment(
        r,
        type_target(&q),
        t.comment.as_ref(),
        &t.privileges,
    ));
    out
}

/// Turn shell type `actual` into `expected`: the comment, owner and grants.
pub fn alter_shell_type(r: &Pg, at: Name, expected: &ShellType, actual: &ShellType) -> Alter {
    let q = r.qual(at);
    Alter::InPlace(privileges::alter_with_comment(
        r,
        type_target(&q),
        (expected.comment.as_ref(), actual.comment.as_ref()),
        &expected.privileges,
        &actual.privileges,
    ))
}

/// `CREATE TYPE name (...)` of a base type whose shell and I/O functions
/// exist, as `pg_dump`'s dumpBaseType writes it (what is the default left
/// out, ALIGNMENT and STORAGE always), its comment, owner and grants.
pub fn create_base(r: &Pg, at: Name, t: &BaseType) -> Vec<Statement> {
    let q = r.qual(at);
    let BaseType {
        input,
        output,
        receive,
        send,
        typmod_in,
        typmod_out,
        analyze,
        subscript,
        internal_length,
        passed_by_value,
        alignment,
        storage,
        category,
        preferred,
        default,
        element,
        delimiter,
        collatable,
        comment,
        privileges,
    } = t;
    let mut opts = vec![
        format!("INTERNALLENGTH = {internal_length}"),
        format!("INPUT = {input}"),
        format!("OUTPUT = {output}"),
    ];
    let functions = [
        ("RECEIVE", receive),
        ("SEND", send),
        ("TYPMOD_IN", typmod_in),
        ("TYPMOD_OUT", typmod_out),
        ("ANALYZE", analyze),
    ];
    for (key, v) in functions {
        if let Some(v) = v {
            opts.push(format!("{key} = {v}"));
        }
    }
    if *collatable {
        opts.push("COLLATABLE = true".into());
    }
    if let Some(d) = default {
        opts.push(format!("DEFAULT = {d}"));
    }
    if let Some(v) = subscript {
        opts.push(format!("SUBSCRIPT = {v}"));
    }
    if let Some(v) = element {
        opts.push(format!("ELEMENT = {v}"));
    }
    if let Some(v) = category {
        opts.push(format!("CATEGORY = {}", quote::literal(v)));
    }
    if *preferred {
        opts.push("PREFERRED = true".into());
    }
    if let Some(v) = delimiter {
        opts.push(format!("DELIMITER = {}", quote::literal(v)));
    }
    opts.push(format!("ALIGNMENT = {alignment}"));
    opts.push(format!("STORAGE = {storage}"));
    if *passed_by_value {
        opts.push("PASSEDBYVALUE".into());
    }
    let mut out = vec![Statement::new(format!(
        "CREATE TYPE {q} (\n    {}\n)",
        opts.join(",\n    ")
    ))];
    out.extend(privileges::with_comment(
        r,
        type_target(&q),
        comment.as_ref(),
        privileges,
    ));
    out
}

/// `DROP TYPE .. CASCADE` of a base type: its I/O functions depend on it
/// and it on them, so nothing else drops it (as `pg_dump` writes it). It
/// drops with it every function, column and object that uses the type.
pub fn drop_base(r: &Pg, at: Name) -> Statement {
    Statement::new(format!("DROP TYPE {} CASCADE", r.qual(at)))
}

/// Why base type `actual` cannot become `expected` in place (`ALTER TYPE
/// .. SET` changes only RECEIVE, SEND, TYPMOD_IN, TYPMOD_OUT, ANALYZE,
/// SUBSCRIPT and STORAGE, and STORAGE never back to PLAIN, nor other than
/// PLAIN on a fixed-length type), or `None`.
pub fn base_recreate_reason(r: &Pg, expected: &BaseType, actual: &BaseType) -> Option<String> {
    let (e, a) = (expected, actual);
    // `ALTER TYPE .. SET` is PostgreSQL 13+.
    let settable = r.version >= 130000;
    let fixed = [
        ("INPUT", e.input != a.input),
        ("OUTPUT", e.output != a.output),
        ("INTERNALLENGTH", e.internal_length != a.internal_length),
        ("PASSEDBYVALUE", e.passed_by_value != a.passed_by_value),
        ("ALIGNMENT", e.alignment != a.alignment),
        ("CATEGORY", e.category != a.category),
        ("PREFERRED", e.preferred != a.preferred),
        ("DEFAULT", e.default != a.default),
        ("ELEMENT", e.element != a.element),
        ("DELIMITER", e.delimiter != a.delimiter),
        ("COLLATABLE", e.collatable != a.collatable),
        (
            "STORAGE to PLAIN",
            e.storage != a.storage && (e.storage == "plain" || e.internal_length != "variable"),
        ),
        (
            "RECEIVE, SEND, TYPMOD_IN, TYPMOD_OUT, ANALYZE or STORAGE before PostgreSQL 13",
            !settable
                && (e.receive != a.receive
                    || e.send != a.send
                    || e.typmod_in != a.typmod_in
                    || e.typmod_out != a.typmod_out
                    || e.analyze != a.analyze
                    || e.storage != a.storage),
        ),
    ];
    let what: Vec<&str> = fixed.iter().filter(|x| x.1).map(|x| x.0).collect();
    (!what.is_empty()).then(|| format!("no ALTER TYPE changes a base type's {}", what.join(", ")))
}

/// Turn base type `actual` into `expected`: `ALTER TYPE .. SET (...)` for
/// the functions it may change and STORAGE, then the comment, owner and
/// grants. What `ALTER TYPE` cannot change (see [`base_recreate_reason`])
/// is a recreate: `DROP TYPE .. CASCADE` (which loses the columns of the
/// type and drops the functions that use it: the fix script makes those
/// again), then the shell, the functions and the type.
pub fn alter_base(r: &Pg, at: Name, expected: &BaseType, actual: &BaseType) -> Alter {
    let q = r.qual(at);
    if let Some(reason) = base_recreate_reason(r, expected, actual) {
        let mut create = vec![create_shell(r, at)];
        create.extend(create_base(r, at, expected));
        return Alter::Recreate {
            reason,
            drop: vec![drop_base(r, at).with(&[Hazard::DataLoss])],
            create,
        };
    }
    let (e, a) = (expected, actual);
    let mut set = Vec::new();
    let functions = [
        ("RECEIVE", &e.receive, &a.receive),
        ("SEND", &e.send, &a.send),
        ("TYPMOD_IN", &e.typmod_in, &a.typmod_in),
        ("TYPMOD_OUT", &e.typmod_out, &a.typmod_out),
        ("ANALYZE", &e.analyze, &a.analyze),
        ("SUBSCRIPT", &e.subscript, &a.subscript),
    ];
    for (key, x, y) in functions {
        if x != y {
            set.push(format!("{key} = {}", x.as_deref().unwrap_or("NONE")));
        }
    }
    if e.storage != a.storage {
        set.push(format!("STORAGE = {}", e.storage));
    }
    let mut out = Vec::new();
    if !set.is_empty() {
        out.push(Statement::new(format!(
            "ALTER TYPE {q} SET ({})",
            set.join(", ")
        )));
    }
    out.extend(privileges::alter_with_comment(
        r,
        type_target(&q),
        (e.comment.as_ref(), a.comment.as_ref()),
        &e.privileges,
        &a.privileges,
    ));
    Alter::InPlace(out)
}

/// Turn range type `actual` into `expected`: the comment, owner and
/// grants alter; PostgreSQL has no alter for the rest, so the type is
/// dropped and created again (which fails while a column, a function or
/// another type uses it).
pub fn alter_range(r: &Pg, at: Name, expected: &RangeType, actual: &RangeType) -> Alter {
    let clear = |t: &RangeType| RangeType {
        comment: None,
        privileges: Default::default(),
        ..t.clone()
    };
    if clear(expected) != clear(actual) {
        return Alter::Recreate {
            reason: "no ALTER TYPE changes a range type's subtype, operator class, collation, \
                     functions or multirange type"
                .to_string(),
            drop: vec![drop_type(r, at).with(&[Hazard::MayFail])],
            create: create_range(r, at, expected),
        };
    }
    let q = r.qual(at);
    Alter::InPlace(privileges::alter_with_comment(
        r,
        type_target(&q),
        (expected.comment.as_ref(), actual.comment.as_ref()),
        &expected.privileges,
        &actual.privileges,
    ))
}

fn attribute(r: &Pg, a: &CompositeAttribute) -> String {
    let mut s = format!("{} {}", r.ident(&a.name), a.data_type);
    if let Some(c) = &a.collation {
        s.push_str(&format!(" COLLATE {c}"));
    }
    s
}

/// `CREATE TYPE .. AS (...)`, its comment, owner and grants.
pub fn create_composite(r: &Pg, at: Name, t: &CompositeType) -> Vec<Statement> {
    let q = r.qual(at);
    let attrs: Vec<String> = t.attributes.iter().map(|a| attribute(r, a)).collect();
    let mut out = vec![Statement::new(format!(
        "CREATE TYPE {q} AS ({})",
        attrs.join(", ")
    ))];
    out.extend(privileges::with_comment(
        r,
        type_target(&q),
        t.comment.as_ref(),
        &t.privileges,
    ));
    out
}

/// Turn composite type `actual` into `expected`: attributes dropped, added
/// (at the end) and retyped in one `ALTER TYPE`; when the attributes would
/// not end in the expected order, the type is recreated.
pub fn alter_composite(
    r: &Pg,
    at: Name,
    expected: &CompositeType,
    actual: &CompositeType,
) -> Alter {
    let q = r.qual(at);
    let (e, a) = (&expected.attributes, &actual.attributes);
    let find = |v: &[CompositeAttribute], n: &str| v.iter().position(|x| x.name == n);
    let kept: Vec<&str> = a
        .iter()
        .filter(|x| find(e, &x.name).is_some())
        .map(|x| x.name.as_str())
        .collect();
    let order: Vec<&str> = kept
        .iter()
        .copied()
        .chain(
            e.iter()
                .filter(|x| find(a, &x.name).is_none())
                .map(|x| x.name.as_str()),
        )
        .collect();
    let expected_order: Vec<&str> = e.iter().map(|x| x.name.as_str()).collect();
    if order != expected_order {
        return Alter::Recreate {
            reason: "the order of the composite type's attributes".to_string(),
            drop: vec![drop_type(r, at)],
            create: create_composite(r, at, expected),
        };
    }
    let mut actions = Vec::new();
    let mut hazards = Vec::new();
    for x in a {
        if find(e, &x.name).is_none() {
            actions.push(format!("DROP ATTRIBUTE {}", r.ident(&x.name)));
            hazards.push(Hazard::DataLoss);
        }
    }
    for x in e {
        match find(a, &x.name).map(|i| &a[i]) {
            None => actions.push(format!("ADD ATTRIBUTE {}", attribute(r, x))),
            Some(old) if old != x => {
                let mut s = format!("ALTER ATTRIBUTE {} TYPE {}", r.ident(&x.name), x.data_type);
                if let Some(c) = &x.collation {
                    s.push_str(&format!(" COLLATE {c}"));
                }
                actions.push(s);
                hazards.push(Hazard::MayFail);
            }
            Some(_) => {}
        }
    }
    let mut out = Vec::new();
    if !actions.is_empty() {
        out.push(Statement::new(format!("ALTER TYPE {q} {}", actions.join(", "))).with(&hazards));
    }
    out.extend(privileges::alter_with_comment(
        r,
        type_target(&q),
        (expected.comment.as_ref(), actual.comment.as_ref()),
        &expected.privileges,
        &actual.privileges,
    ));
    Alter::InPlace(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;
    use std::collections::BTreeMap;

    fn e(labels: &[&str]) -> Enum {
        Enum {
            labels: labels.iter().map(|s| s.to_string()).collect(),
            comment: None,
            privileges: Default::default(),
        }
    }

    const T: Name = Name {
        schema: "care",
        name: "mood",
        foreign: false,
    };

    #[test]
    fn enum_labels_are_added_in_place_or_renamed() {
        let r = Pg::default();
        assert_eq!(
            sql_of(alter_enum(
                &r,
                T,
                &e(&["low", "mid", "high", "max"]),
                &e(&["mid", "high"])
            )),
            [
                "ALTER TYPE care.mood ADD VALUE 'low' BEFORE 'mid'",
                "ALTER TYPE care.mood ADD VALUE 'max' AFTER 'high'",
            ]
        );
        assert_eq!(
            sql_of(alter_enum(
                &r,
                T,
                &e(&["low", "medium", "high"]),
                &e(&["low", "mid", "high"])
            )),
            ["ALTER TYPE care.mood RENAME VALUE 'mid' TO 'medium'"]
        );
        assert!(matches!(
            alter_enum(&r, T, &e(&["high", "low"]), &e(&["low", "high"])),
            Alter::Recreate { .. }
        ));
        assert!(matches!(
            alter_enum(&r, T, &e(&["low"]), &e(&["low", "high"])),
            Alter::Recreate { .. }
        ));
    }

    #[test]
    fn domain_constraints_are_renamed_replaced_and_added() {
        let r = Pg::default();
        let d = |c: &[(&str, &str)]| Domain {
            base_type: "integer".into(),
            not_null: false,
            default: None,
            collation: None,
            constraints: c
                .iter()
                .map(|(n, d)| (n.to_string(), d.to_string()))
                .collect::<BTreeMap<_, _>>(),
            comment: None,
            privileges: Default::default(),
        };
        let a = d(&[
            ("pos", "CHECK ((VALUE > 0))"),
            ("small", "CHECK ((VALUE < 10))"),
        ]);
        let mut x = d(&[
            ("positive", "CHECK ((VALUE > 0))"),
            ("small", "CHECK ((VALUE < 100))"),
        ]);
        x.not_null = true;
        x.default = Some("1".into());
        assert_eq!(
            sql_of(alter_domain(&r, T, &x, &a)),
            [
                "ALTER DOMAIN care.mood SET DEFAULT 1",
                "ALTER DOMAIN care.mood SET NOT NULL",
                "ALTER DOMAIN care.mood RENAME CONSTRAINT pos TO positive",
                "ALTER DOMAIN care.mood DROP CONSTRAINT small",
                "ALTER DOMAIN care.mood ADD CONSTRAINT small CHECK ((VALUE < 100))",
            ]
        );
    }

    #[test]
    fn composite_attributes_alter_in_place_when_order_allows() {
        let r = Pg::default();
        let attr = |n: &str, t: &str| CompositeAttribute {
            name: n.into(),
            data_type: t.into(),
            collation: None,
        };
        let c = |v: Vec<CompositeAttribute>| CompositeType {
            attributes: v,
            comment: None,
            privileges: Default::default(),
        };
        let a = c(vec![
            attr("street", "text"),
            attr("zip", "text"),
            attr("old", "text"),
        ]);
        let e = c(vec![
            attr("street", "text"),
            attr("zip", "integer"),
            attr("city", "text"),
        ]);
        assert_eq!(
            sql_of(alter_composite(&r, T, &e, &a)),
            ["ALTER TYPE care.mood DROP ATTRIBUTE old, ALTER ATTRIBUTE zip TYPE integer, ADD ATTRIBUTE city text"]
        );
        let moved = c(vec![
            attr("city", "text"),
            attr("street", "text"),
            attr("zip", "text"),
        ]);
        assert!(matches!(
            alter_composite(&r, T, &moved, &a),
            Alter::Recreate { .. }
        ));
        assert_eq!(
            create_composite(&r, T, &e)[0].sql,
            "CREATE TYPE care.mood AS (street text, zip integer, city text)"
        );
    }

    #[test]
    fn range_types_are_created_as_pg_dump_writes_them_and_made_anew() {
        let r = Pg::default();
        let plain = RangeType {
            subtype: "double precision".into(),
            subtype_opclass: None,
            collation: None,
            canonical: None,
            subtype_diff: None,
            multirange_type_name: None,
            comment: None,
            privileges: Default::default(),
        };
        assert_eq!(
            sql_of(create_range(&r, T, &plain)),
            ["CREATE TYPE care.mood AS RANGE (subtype = double precision)"]
        );
        let full = RangeType {
            subtype: "text".into(),
            subtype_opclass: Some("pg_catalog.text_pattern_ops".into()),
            collation: Some("\"C\"".into()),
            canonical: Some("care.canon".into()),
            subtype_diff: Some("care.diff".into()),
            multirange_type_name: Some("care.moods".into()),
            comment: Some("spans".into()),
            privileges: Default::default(),
        };
        assert_eq!(
            sql_of(create_range(&r, T, &full)),
            [
                "CREATE TYPE care.mood AS RANGE (subtype = text, multirange_type_name = care.moods, \
                 subtype_opclass = pg_catalog.text_pattern_ops, collation = \"C\", \
                 canonical = care.canon, subtype_diff = care.diff)",
                "COMMENT ON TYPE care.mood IS 'spans'",
            ]
        );
        match alter_range(&r, T, &full, &plain) {
            Alter::Recreate { drop, create, .. } => {
                assert_eq!(sql_of(drop), ["DROP TYPE care.mood"]);
                assert_eq!(create.len(), 2);
            }
            other => panic!("{other:?}"),
        }
        let commented = RangeType {
            comment: Some("x".into()),
            ..plain.clone()
        };
        assert_eq!(
            sql_of(alter_range(&r, T, &commented, &plain).into_statements()),
            ["COMMENT ON TYPE care.mood IS 'x'"]
        );
    }

    fn gauge() -> BaseType {
        BaseType {
            input: "care.gauge_in".into(),
            output: "care.gauge_out".into(),
            receive: None,
            send: None,
            typmod_in: None,
            typmod_out: None,
            analyze: None,
            subscript: None,
            internal_length: "4".into(),
            passed_by_value: true,
            alignment: "int4".into(),
            storage: "plain".into(),
            category: None,
            preferred: false,
            default: None,
            element: None,
            delimiter: None,
            collatable: false,
            comment: None,
            privileges: Default::default(),
        }
    }

    #[test]
    fn base_types_are_created_as_pg_dump_writes_them() {
        let r = Pg::default();
        assert_eq!(
            sql_of(create_base(&r, T, &gauge())),
            ["CREATE TYPE care.mood (\n    INTERNALLENGTH = 4,\n    INPUT = care.gauge_in,\n    \
              OUTPUT = care.gauge_out,\n    ALIGNMENT = int4,\n    STORAGE = plain,\n    \
              PASSEDBYVALUE\n)"]
        );
        let full = BaseType {
            receive: Some("care.r".into()),
            send: Some("care.s".into()),
            typmod_in: Some("care.ti".into()),
            typmod_out: Some("care.to".into()),
            analyze: Some("care.a".into()),
            subscript: Some("raw_array_subscript_handler".into()),
            internal_length: "variable".into(),
            passed_by_value: false,
            storage: "extended".into(),
            category: Some("N".into()),
            preferred: true,
            default: Some("'0'".into()),
            element: Some("integer".into()),
            delimiter: Some(";".into()),
            collatable: true,
            comment: Some("g".into()),
            ..gauge()
        };
        let st = sql_of(create_base(&r, T, &full));
        assert_eq!(
            st[0].replace("\n    ", " "),
            "CREATE TYPE care.mood ( INTERNALLENGTH = variable, INPUT = care.gauge_in, \
             OUTPUT = care.gauge_out, RECEIVE = care.r, SEND = care.s, TYPMOD_IN = care.ti, \
             TYPMOD_OUT = care.to, ANALYZE = care.a, COLLATABLE = true, DEFAULT = '0', \
             SUBSCRIPT = raw_array_subscript_handler, ELEMENT = integer, CATEGORY = 'N', \
             PREFERRED = true, DELIMITER = ';', ALIGNMENT = int4, STORAGE = extended\n)"
        );
        assert_eq!(st[1], "COMMENT ON TYPE care.mood IS 'g'");
        assert_eq!(create_shell(&r, T).sql, "CREATE TYPE care.mood");
        assert_eq!(drop_base(&r, T).sql, "DROP TYPE care.mood CASCADE");
    }

    #[test]
    fn base_types_alter_what_alter_type_sets_and_are_made_anew_otherwise() {
        let r = Pg::default();
        let e = BaseType {
            receive: Some("care.r".into()),
            analyze: Some("care.a".into()),
            internal_length: "variable".into(),
            passed_by_value: false,
            storage: "extended".into(),
            ..gauge()
        };
        let a = BaseType {
            send: Some("care.s".into()),
            storage: "main".into(),
            comment: Some("x".into()),
            ..e.clone()
        };
        assert_eq!(base_recreate_reason(&r, &e, &a), None);
        assert_eq!(
            sql_of(alter_base(&r, T, &e, &a).into_statements()),
            [
                "ALTER TYPE care.mood SET (SEND = NONE, STORAGE = extended)",
                "COMMENT ON TYPE care.mood IS NULL",
            ]
        );
        // Never back to PLAIN; INTERNALLENGTH and the rest: made anew.
        let plain = BaseType {
            storage: "plain".into(),
            ..e.clone()
        };
        assert!(base_recreate_reason(&r, &plain, &e)
            .unwrap()
            .contains("STORAGE"));
        let reason = base_recreate_reason(&r, &gauge(), &e).unwrap();
        assert!(reason.contains("INTERNALLENGTH, PASSEDBYVALUE"), "{reason}");
        match alter_base(&r, T, &gauge(), &e) {
            Alter::Recreate { drop, create, .. } => {
                assert_eq!(sql_of(drop), ["DROP TYPE care.mood CASCADE"]);
                assert_eq!(create[0].sql, "CREATE TYPE care.mood");
            }
            other => panic!("{other:?}"),
        }
        let shell = ShellType {
            comment: Some("later".into()),
            ..Default::default()
        };
        assert_eq!(
            sql_of(create_shell_type(&r, T, &shell)),
            [
                "CREATE TYPE care.mood",
                "COMMENT ON TYPE care.mood IS 'later'"
            ]
        );
    }

    #[test]
    fn a_multirange_type_is_named_as_postgresql_names_it() {
        assert_eq!(
            RangeType::default_multirange("floatrange"),
            "floatmultirange"
        );
        assert_eq!(RangeType::default_multirange("range_of"), "multirange_of");
        assert_eq!(RangeType::default_multirange("span"), "span_multirange");
        let long = "x".repeat(60);
        assert_eq!(
            RangeType::default_multirange(&long),
            format!("{}_multirange", "x".repeat(52))
        );
    }
}
