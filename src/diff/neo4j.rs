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

use super::{pair_by_meaning, split, Change, Changes, Code, Definition, Fields, ObjectType};
use crate::model::neo4j::{IndexKind, Neo4jConstraint, Neo4jIndex, Neo4jSchema};

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
    let Neo4jSchema {
        constraints,
        indexes,
    } = expected;
    let mut out = Changes::default();

    let s = split(constraints, &actual.constraints);
    let ty = ObjectType::Constraint;
    for (id, c) in s.missing {
        let def = Definition::Neo4jConstraint(Box::new(c.clone()));
        out.missing(ty, &constraint_object(id), def);
    }
    for (id, c) in s.unexpected {
        let def = Definition::Neo4jConstraint(Box::new(c.clone()));
        out.unexpected(ty, &constraint_object(id), def);
    }
    for (id, e, a) in s.both {
        constraint_changes(&mut out, &constraint_object(id), e, a);
    }

    let mut s = split(indexes, &actual.indexes);
    let pairs = pair_by_meaning(&mut s, |i: &Neo4jIndex| {
        matches!(i.kind, IndexKind::Range | IndexKind::Btree).then(|| {
            (
                i.entity_type,
                i.labels_or_types.clone(),
                i.properties.clone(),
            )
        })
    });
    let ty = ObjectType::Index;
    for (eid, e, _aid, a) in pairs {
        let object = index_object(eid);
        out.changed(Code::IndexTypeChanged, ty, &object, |f| {
            f.cmp("kind", &e.kind, &a.kind)
        });
        index_changes(&mut out, &object, e, a);
    }
    for (id, i) in s.missing {
        let def = Definition::Neo4jIndex(Box::new(i.clone()));
        out.missing(ty, &index_object(id), def);
    }
    for (id, i) in s.unexpected {
        let def = Definition::Neo4jIndex(Box::new(i.clone()));
        out.unexpected(ty, &index_object(id), def);
    }
    for (id, e, a) in s.both {
        index_changes(&mut out, &index_object(id), e, a);
    }
    out.0
}

fn constraint_changes(out: &mut Changes, object: &str, e: &Neo4jConstraint, a: &Neo4jConstraint) {
    let Neo4jConstraint {
        name,
        // The identity: kind, entity type, labels, properties, label.
        kind: _,
        entity_type: _,
        labels_or_types: _,
        properties: _,
        enforced_label: _,
        property_type,
        index_provider,
        options: settings,
    } = e;
    let ty = ObjectType::Constraint;
    renamed(out, Code::ConstraintRenamed, ty, object, name, &a.name);
    out.changed(Code::ConstraintTypeChanged, ty, object, |f| {
        f.cmp("property_type", property_type, &a.property_type)
    });
    let code = Code::ConstraintProviderChanged;
    provider(out, code, ty, object, index_provider, &a.index_provider);
    let code = Code::ConstraintOptionsChanged;
    options(out, code, ty, object, settings, &a.options);
}

fn index_changes(out: &mut Changes, object: &str, e: &Neo4jIndex, a: &Neo4jIndex) {
    let Neo4jIndex {
        name,
        // The identity (a BTREE and a RANGE index paired by meaning have
        // their kinds compared by `diff`).
        kind: _,
        entity_type: _,
        labels_or_types: _,
        properties: _,
        provider: index_provider,
        options: settings,
    } = e;
    let ty = ObjectType::Index;
    renamed(out, Code::IndexRenamed, ty, object, name, &a.name);
    provider(
        out,
        Code::IndexProviderChanged,
        ty,
        object,
        index_provider,
        &a.provider,
    );
    options(
        out,
        Code::IndexOptionsChanged,
        ty,
        object,
        settings,
        &a.options,
    );
}

/// A name is compared only when both sides have one.
fn renamed(
    out: &mut Changes,
    code: Code,
    ty: ObjectType,
    object: &str,
    e: &Option<String>,
    a: &Option<String>,
) {
    if let (Some(en), Some(an)) = (e, a) {
        out.changed(code, ty, object, |f| f.cmp("name", en, an));
    }
}

/// The provider only when the expected side gives one.
fn provider(
    out: &mut Changes,
    code: Code,
    ty: ObjectType,
    object: &str,
    e: &Option<String>,
    a: &Option<String>,
) {
    if e.is_some() {
        out.changed(code, ty, object, |f| f.cmp("provider", e, a));
    }
}

/// Settings key by key, only the keys the expected side gives.
fn options(
    out: &mut Changes,
    code: Code,
    ty: ObjectType,
    object: &str,
    e: &BTreeMap<String, Value>,
    a: &BTreeMap<String, Value>,
) {
    out.changed(code, ty, object, |f: &mut Fields| {
        for (k, ev) in e {
            let av = a.get(k).cloned().unwrap_or(Value::Null);
            if *ev != av {
                f.push(format!("options.{k}"), ev.clone(), av);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Severity;
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
            .map(|c| (c.code().name().into(), c.object().into(), c.severity()))
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
        let r = d.iter().find(|c| c.code() == Code::IndexRenamed).unwrap();
        assert_eq!(r.fields()[0].expected, Value::from("i1"));
        assert_eq!(r.fields()[0].actual, Value::from("i2"));
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
            .find(|c| c.code() == Code::IndexOptionsChanged)
            .unwrap();
        assert_eq!(o.fields().len(), 1);
        assert_eq!(o.fields()[0].field, "options.vector.dimensions");
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
        assert_eq!(d[0].code(), Code::ConstraintTypeChanged);
        assert_eq!(d[0].severity(), Severity::Error);
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
}
