//! What Neo4j constraints and indexes mean to the differ.
//!
//! Objects are matched by their identity by meaning (see `model::neo4j`) and
//! reported as `neo4j:<identity>`, with object type `constraint` or `index`:
//! `neo4j:unique node :Person(email)` (a constraint),
//! `neo4j:vector node :Movie(embedding)`, `neo4j:lookup node` (indexes).
//! Constraint kinds (`unique`, `key`, `exists`, `type`, `label`) and index
//! kinds (`range`, `btree`, `text`, `point`, `fulltext`, `vector`, `lookup`)
//! never share a word, so the name alone says which it is; an ignore rule
//! `object:neo4j:*` covers the whole graph schema, `type:index` every index.
//!
//! Attributes the expected side leaves open are not compared, so that a
//! schema folded from migrations (which rarely name every object or spell out
//! every index setting) compares cleanly with what the server made of it:
//!
//! - a name is compared only when both sides have one (an unnamed `CREATE`
//!   gets a generated name); a different name is an `info` rename;
//! - the index provider only when the expected side gives one;
//! - index settings (`indexConfig`) key by key, only the keys the expected
//!   side gives (the server fills in defaults for the rest).
//!
//! A 4.x BTREE index and a 5.x RANGE index on the same properties are paired
//! and reported as an `info` `index-type-changed` (a plain `CREATE INDEX`
//! makes one on 4.4 and the other on 5.x).
//!
//! Severity: a missing constraint or a changed property type is an `error`
//! (data is no longer guarded as the migrations say); missing and unexpected
//! indexes, unexpected constraints and changed settings or providers are
//! `warning`s; names and BTREE/RANGE are `info`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{pair_by_meaning, split, to_value, Change, ChangeKind, FieldChange, Fields, Severity};
use crate::model::neo4j::{IndexKind, Neo4jConstraint, Neo4jIndex, Neo4jSchema};

/// Every change code this module emits.
pub const CODES: &[&str] = &[
    "constraint-missing",
    "constraint-options-changed",
    "constraint-provider-changed",
    "constraint-renamed",
    "constraint-type-changed",
    "constraint-unexpected",
    "index-missing",
    "index-options-changed",
    "index-provider-changed",
    "index-renamed",
    "index-type-changed",
    "index-unexpected",
];

/// Every object type this module reports.
pub const OBJECT_TYPES: &[&str] = &["constraint", "index"];

/// The reported name of a constraint with this identity.
pub fn constraint_object(identity: &str) -> String {
    format!("neo4j:{identity}")
}

/// The reported name of an index with this identity.
pub fn index_object(identity: &str) -> String {
    format!("neo4j:{identity}")
}

/// Compare two Neo4j schemas. The result is unsorted.
pub fn diff(expected: &Neo4jSchema, actual: &Neo4jSchema) -> Vec<Change> {
    let mut out = Vec::new();

    let s = split(&expected.constraints, &actual.constraints);
    for (id, c) in s.missing {
        out.push(whole(
            ChangeKind::Missing,
            "constraint",
            constraint_object(id),
            Severity::Error,
            to_value(c),
        ));
    }
    for (id, c) in s.unexpected {
        out.push(whole(
            ChangeKind::Unexpected,
            "constraint",
            constraint_object(id),
            Severity::Warning,
            to_value(c),
        ));
    }
    for (id, e, a) in s.both {
        constraint_changes(&mut out, &constraint_object(id), e, a);
    }

    let mut s = split(&expected.indexes, &actual.indexes);
    let pairs = pair_by_meaning(&mut s, |i: &Neo4jIndex| {
        matches!(i.kind, IndexKind::Range | IndexKind::Btree).then(|| {
            (
                i.entity_type,
                i.labels_or_types.clone(),
                i.properties.clone(),
            )
        })
    });
    for (eid, e, _aid, a) in pairs {
        let object = index_object(eid);
        let mut f = Fields::new();
        f.cmp("kind", &e.kind, &a.kind);
        changed(
            &mut out,
            "index-type-changed",
            "index",
            &object,
            Severity::Info,
            f,
        );
        index_changes(&mut out, &object, e, a);
    }
    for (id, i) in s.missing {
        out.push(whole(
            ChangeKind::Missing,
            "index",
            index_object(id),
            Severity::Warning,
            to_value(i),
        ));
    }
    for (id, i) in s.unexpected {
        out.push(whole(
            ChangeKind::Unexpected,
            "index",
            index_object(id),
            Severity::Warning,
            to_value(i),
        ));
    }
    for (id, e, a) in s.both {
        index_changes(&mut out, &index_object(id), e, a);
    }
    out
}

fn constraint_changes(
    out: &mut Vec<Change>,
    object: &str,
    e: &Neo4jConstraint,
    a: &Neo4jConstraint,
) {
    renamed(
        out,
        "constraint-renamed",
        "constraint",
        object,
        &e.name,
        &a.name,
    );
    let mut f = Fields::new();
    f.cmp("property_type", &e.property_type, &a.property_type);
    changed(
        out,
        "constraint-type-changed",
        "constraint",
        object,
        Severity::Error,
        f,
    );
    provider(
        out,
        "constraint-provider-changed",
        "constraint",
        object,
        &e.index_provider,
        &a.index_provider,
    );
    options(
        out,
        "constraint-options-changed",
        "constraint",
        object,
        &e.options,
        &a.options,
    );
}

fn index_changes(out: &mut Vec<Change>, object: &str, e: &Neo4jIndex, a: &Neo4jIndex) {
    renamed(out, "index-renamed", "index", object, &e.name, &a.name);
    provider(
        out,
        "index-provider-changed",
        "index",
        object,
        &e.provider,
        &a.provider,
    );
    options(
        out,
        "index-options-changed",
        "index",
        object,
        &e.options,
        &a.options,
    );
}

fn renamed(
    out: &mut Vec<Change>,
    code: &str,
    ty: &str,
    object: &str,
    e: &Option<String>,
    a: &Option<String>,
) {
    if let (Some(en), Some(an)) = (e, a) {
        let mut f = Fields::new();
        f.cmp("name", en, an);
        changed(out, code, ty, object, Severity::Info, f);
    }
}

fn provider(
    out: &mut Vec<Change>,
    code: &str,
    ty: &str,
    object: &str,
    e: &Option<String>,
    a: &Option<String>,
) {
    if e.is_some() {
        let mut f = Fields::new();
        f.cmp("provider", e, a);
        changed(out, code, ty, object, Severity::Warning, f);
    }
}

fn options(
    out: &mut Vec<Change>,
    code: &str,
    ty: &str,
    object: &str,
    e: &BTreeMap<String, Value>,
    a: &BTreeMap<String, Value>,
) {
    let mut f = Fields::new();
    for (k, ev) in e {
        let av = a.get(k).cloned().unwrap_or(Value::Null);
        if *ev != av {
            f.0.push(FieldChange {
                field: format!("options.{k}"),
                expected: ev.clone(),
                actual: av,
            });
        }
    }
    changed(out, code, ty, object, Severity::Warning, f);
}

fn whole(
    kind: ChangeKind,
    ty: &str,
    object: String,
    severity: Severity,
    definition: Value,
) -> Change {
    Change {
        code: format!("{ty}-{}", kind.as_str()),
        kind,
        object_type: ty.to_string(),
        object,
        severity,
        fields: vec![],
        definition: Some(definition),
    }
}

fn changed(
    out: &mut Vec<Change>,
    code: &str,
    ty: &str,
    object: &str,
    severity: Severity,
    f: Fields,
) {
    if !f.is_empty() {
        out.push(Change {
            code: code.to_string(),
            kind: ChangeKind::Changed,
            object_type: ty.to_string(),
            object: object.to_string(),
            severity,
            fields: f.0,
            definition: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neo4j::migrations::{FoldOptions, Folder};

    /// Fold a script as a migration would be.
    fn fold(script: &str) -> Neo4jSchema {
        let mut f = Folder::new(&FoldOptions {
            default_lookup_indexes: false,
        });
        f.fold_file(std::path::Path::new("V1__t.cypher"), script)
            .unwrap();
        f.schema
    }

    fn summary(c: &[Change]) -> Vec<(String, String, Severity)> {
        let mut v: Vec<_> = c
            .iter()
            .map(|c| (c.code.clone(), c.object.clone(), c.severity))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn identical_schemas_are_clean() {
        let s = fold(
            "CREATE CONSTRAINT a FOR (p:P) REQUIRE p.x IS UNIQUE; CREATE INDEX FOR (p:P) ON (p.y)",
        );
        assert!(diff(&s, &s).is_empty());
    }

    #[test]
    fn missing_and_unexpected() {
        let e = fold("CREATE CONSTRAINT a FOR (p:P) REQUIRE p.x IS UNIQUE; CREATE INDEX i FOR (p:P) ON (p.y)");
        let a = fold(
            "CREATE INDEX FOR (p:P) ON (p.z); CREATE CONSTRAINT FOR (p:P) REQUIRE p.w IS NOT NULL",
        );
        assert_eq!(
            summary(&diff(&e, &a)),
            [
                (
                    "constraint-missing".into(),
                    "neo4j:unique node :P(x)".into(),
                    Severity::Error
                ),
                (
                    "constraint-unexpected".into(),
                    "neo4j:exists node :P(w)".into(),
                    Severity::Warning
                ),
                (
                    "index-missing".into(),
                    "neo4j:range node :P(y)".into(),
                    Severity::Warning
                ),
                (
                    "index-unexpected".into(),
                    "neo4j:range node :P(z)".into(),
                    Severity::Warning
                ),
            ]
        );
    }

    #[test]
    fn names_only_when_both_sides_have_one() {
        let unnamed = fold(
            "CREATE CONSTRAINT FOR (p:P) REQUIRE p.x IS UNIQUE; CREATE INDEX FOR (p:P) ON (p.y)",
        );
        let named = fold("CREATE CONSTRAINT c1 FOR (p:P) REQUIRE p.x IS UNIQUE; CREATE INDEX i1 FOR (p:P) ON (p.y)");
        let other = fold("CREATE CONSTRAINT c2 FOR (p:P) REQUIRE p.x IS UNIQUE; CREATE INDEX i2 FOR (p:P) ON (p.y)");
        assert!(diff(&unnamed, &named).is_empty());
        let d = diff(&named, &other);
        assert_eq!(
            summary(&d),
            [
                (
                    "constraint-renamed".into(),
                    "neo4j:unique node :P(x)".into(),
                    Severity::Info
                ),
                (
                    "index-renamed".into(),
                    "neo4j:range node :P(y)".into(),
                    Severity::Info
                ),
            ]
        );
        let r = d.iter().find(|c| c.code == "index-renamed").unwrap();
        assert_eq!(r.fields[0].expected, Value::from("i1"));
        assert_eq!(r.fields[0].actual, Value::from("i2"));
    }

    #[test]
    fn vector_options_and_providers() {
        let e = fold("CREATE VECTOR INDEX v FOR (m:M) ON m.e OPTIONS {indexProvider: 'vector-2.0', indexConfig: {`vector.dimensions`: 1536, `vector.similarity_function`: 'cosine'}}");
        let mut a = e.clone();
        let i = a.indexes.get_mut("vector node :M(e)").unwrap();
        i.options
            .insert("vector.dimensions".into(), Value::from(768));
        i.options.insert("vector.hnsw.m".into(), Value::from(16)); // a server default: not compared
        i.provider = Some("vector-1.0".into());
        let d = diff(&e, &a);
        assert_eq!(
            summary(&d),
            [
                (
                    "index-options-changed".into(),
                    "neo4j:vector node :M(e)".into(),
                    Severity::Warning
                ),
                (
                    "index-provider-changed".into(),
                    "neo4j:vector node :M(e)".into(),
                    Severity::Warning
                ),
            ]
        );
        let o = d
            .iter()
            .find(|c| c.code == "index-options-changed")
            .unwrap();
        assert_eq!(o.fields.len(), 1);
        assert_eq!(o.fields[0].field, "options.vector.dimensions");
        // Without a provider on the expected side, none is compared.
        let mut e2 = e.clone();
        e2.indexes.get_mut("vector node :M(e)").unwrap().provider = None;
        a.indexes
            .get_mut("vector node :M(e)")
            .unwrap()
            .options
            .insert("vector.dimensions".into(), Value::from(1536));
        assert!(diff(&e2, &a).is_empty());
    }

    #[test]
    fn property_type_change_is_an_error() {
        let e = fold("CREATE CONSTRAINT FOR (p:P) REQUIRE p.age IS :: INTEGER");
        let a = fold("CREATE CONSTRAINT FOR (p:P) REQUIRE p.age IS :: STRING");
        let d = diff(&e, &a);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "constraint-type-changed");
        assert_eq!(d[0].severity, Severity::Error);
    }

    #[test]
    fn btree_and_range_pair_as_info() {
        let e = fold("CREATE INDEX ON :P(x)");
        let a = fold("CREATE BTREE INDEX FOR (p:P) ON (p.x)");
        let d = diff(&e, &a);
        assert_eq!(
            summary(&d),
            [(
                "index-type-changed".into(),
                "neo4j:range node :P(x)".into(),
                Severity::Info
            )]
        );
    }

    #[test]
    fn every_code_is_listed() {
        let e = fold("CREATE CONSTRAINT a FOR (p:P) REQUIRE p.x IS UNIQUE");
        let a = fold("CREATE INDEX FOR (p:P) ON (p.z)");
        for c in diff(&e, &a) {
            assert!(CODES.contains(&c.code.as_str()), "{}", c.code);
            assert!(
                OBJECT_TYPES.contains(&c.object_type.as_str()),
                "{}",
                c.object_type
            );
        }
    }
}
