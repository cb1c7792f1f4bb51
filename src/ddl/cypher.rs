//! Cypher rendered from [`crate::model::neo4j`]: `CREATE`/`DROP CONSTRAINT`
//! and `CREATE`/`DROP INDEX` in Neo4j 5 syntax (which 4.4 reads too, except
//! for property types and relationship uniqueness, which 4.4 lacks; a 4.x
//! BTREE index keeps 4.4's own keyword).
//!
//! Neo4j has no statement that changes a constraint or an index: a new
//! name, provider or configuration is a drop and a create.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Alter, FixScript, Hazard, Statement, Unsupported};
use crate::model::neo4j::{
    ConstraintKind, EntityType, IndexKind, Neo4jConstraint, Neo4jIndex, Neo4jSchema,
};

/// Words that a name is backquoted to avoid, besides anything that is not a
/// plain identifier: those that could read as the statement's own syntax.
const RESERVED: &[&str] = &[
    "AND",
    "AS",
    "ASSERT",
    "BY",
    "CONSTRAINT",
    "CREATE",
    "DROP",
    "EACH",
    "EXISTS",
    "FOR",
    "IF",
    "INDEX",
    "IS",
    "KEY",
    "NODE",
    "NOT",
    "NULL",
    "ON",
    "OPTIONS",
    "OR",
    "REL",
    "RELATIONSHIP",
    "REQUIRE",
    "TYPED",
    "UNIQUE",
    "WITH",
];

/// A name, label, type or property, backquoted unless it is a plain
/// identifier that is not a keyword.
pub fn name(n: &str) -> String {
    let plain = n
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&n.to_ascii_uppercase().as_str());
    if plain {
        n.to_string()
    } else {
        format!("`{}`", n.replace('`', "``"))
    }
}

/// A Cypher literal for an option value.
fn value(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(value).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}: {}", name(k), value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// ` OPTIONS {indexProvider: .., indexConfig: {..}}`, or nothing.
fn options(provider: Option<&str>, config: &BTreeMap<String, Value>) -> String {
    let mut parts = Vec::new();
    if let Some(p) = provider {
        parts.push(format!("indexProvider: {}", value(&Value::from(p))));
    }
    if !config.is_empty() {
        let m: Vec<String> = config
            .iter()
            .map(|(k, v)| format!("{}: {}", name(k), value(v)))
            .collect();
        parts.push(format!("indexConfig: {{{}}}", m.join(", ")));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" OPTIONS {{{}}}", parts.join(", "))
    }
}

/// `(n:A|B)` or `()-[r:T]-()`, and the variable it binds.
fn pattern(entity: EntityType, labels: &[String]) -> (String, &'static str) {
    let labels: Vec<String> = labels.iter().map(|l| name(l)).collect();
    let colon = if labels.is_empty() {
        String::new()
    } else {
        format!(":{}", labels.join("|"))
    };
    match entity {
        EntityType::Node => (format!("(n{colon})"), "n"),
        EntityType::Relationship => (format!("()-[r{colon}]-()"), "r"),
    }
}

fn properties(var: &str, props: &[String]) -> Vec<String> {
    props.iter().map(|p| format!("{var}.{}", name(p))).collect()
}

/// `CREATE CONSTRAINT`. Creating it fails when the data already there
/// breaks it.
pub fn create_constraint(c: &Neo4jConstraint) -> Statement {
    let (pat, var) = pattern(c.entity_type, &c.labels_or_types);
    let props = properties(var, &c.properties);
    let subject = if props.len() == 1 {
        props[0].clone()
    } else {
        format!("({})", props.join(", "))
    };
    let predicate = match c.kind {
        ConstraintKind::Unique => format!("{subject} IS UNIQUE"),
        ConstraintKind::Key => format!(
            "{subject} IS {} KEY",
            match c.entity_type {
                EntityType::Node => "NODE",
                EntityType::Relationship => "RELATIONSHIP",
            }
        ),
        ConstraintKind::Exists => format!("{subject} IS NOT NULL"),
        ConstraintKind::PropertyType => format!(
            "{subject} IS :: {}",
            c.property_type.as_deref().unwrap_or("ANY")
        ),
        ConstraintKind::LabelExistence => format!(
            "{var}:{}",
            name(c.enforced_label.as_deref().unwrap_or_default())
        ),
    };
    let mut s = String::from("CREATE CONSTRAINT ");
    if let Some(n) = &c.name {
        s.push_str(&name(n));
        s.push(' ');
    }
    s.push_str(&format!("FOR {pat} REQUIRE {predicate}"));
    s.push_str(&options(c.index_provider.as_deref(), &c.options));
    Statement::new(s).with(&[Hazard::MayFail])
}

/// `DROP CONSTRAINT name`: Neo4j 5 drops a constraint only by its name.
pub fn drop_constraint(c: &Neo4jConstraint) -> Result<Statement, Unsupported> {
    match &c.name {
        Some(n) => Ok(Statement::new(format!("DROP CONSTRAINT {}", name(n)))),
        None => Err(Unsupported {
            object: format!("constraint {}", c.identity()),
            reason: "a constraint without a name cannot be dropped".to_string(),
        }),
    }
}

/// `CREATE INDEX` of any kind (a 4.x BTREE index in 4.4's syntax). The
/// server builds it in the background; a vector index's filter properties
/// (`vector.with`) go in its `WITH [...]`.
pub fn create_index(x: &Neo4jIndex) -> Statement {
    let (pat, var) = pattern(x.entity_type, &x.labels_or_types);
    let kind = match x.kind {
        IndexKind::Range => "RANGE ",
        IndexKind::Btree => "BTREE ",
        IndexKind::Text => "TEXT ",
        IndexKind::Point => "POINT ",
        IndexKind::Fulltext => "FULLTEXT ",
        IndexKind::Vector => "VECTOR ",
        IndexKind::Lookup => "LOOKUP ",
    };
    let mut config = x.options.clone();
    let with = config.remove("vector.with");
    let on = match x.kind {
        IndexKind::Lookup => match x.entity_type {
            EntityType::Node => format!("EACH labels({var})"),
            EntityType::Relationship => format!("EACH type({var})"),
        },
        IndexKind::Fulltext => format!("EACH [{}]", properties(var, &x.properties).join(", ")),
        _ => {
            let mut s = format!("({})", properties(var, &x.properties).join(", "));
            if let Some(Value::Array(extra)) = &with {
                let extra: Vec<String> = extra
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|p| format!("{var}.{}", name(p)))
                    .collect();
                s.push_str(&format!(" WITH [{}]", extra.join(", ")));
            }
            s
        }
    };
    let mut s = format!("CREATE {kind}INDEX ");
    if let Some(n) = &x.name {
        s.push_str(&name(n));
        s.push(' ');
    }
    s.push_str(&format!("FOR {pat} ON {on}"));
    s.push_str(&options(x.provider.as_deref(), &config));
    Statement::new(s)
}

/// `DROP INDEX name`.
pub fn drop_index(x: &Neo4jIndex) -> Result<Statement, Unsupported> {
    match &x.name {
        Some(n) => Ok(Statement::new(format!("DROP INDEX {}", name(n)))),
        None => Err(Unsupported {
            object: format!("index {}", x.identity()),
            reason: "an index without a name cannot be dropped".to_string(),
        }),
    }
}

/// Whether `actual`'s name is what `expected` asks for: as the differ
/// (`crate::diff::neo4j`) compares names, only when both sides have one
/// (an expected name left to the server takes any).
fn name_matches(expected: &Option<String>, actual: &Option<String>) -> bool {
    expected.is_none() || actual.is_none() || expected == actual
}

/// Whether `actual`'s settings are what `expected` asks for: as the differ
/// compares them, only the keys `expected` gives. The server fills in the
/// rest (`fulltext.analyzer`, `vector.hnsw.m`, ...), which a folded
/// migration never spells out: comparing them whole would drop and create
/// again an index that the report does not list.
fn options_match(expected: &BTreeMap<String, Value>, actual: &BTreeMap<String, Value>) -> bool {
    expected
        .iter()
        .all(|(k, v)| actual.get(k).unwrap_or(&Value::Null) == v)
}

/// Turn constraint `actual` into `expected` (same identity): nothing, or a
/// drop and a create.
pub fn alter_constraint(
    expected: &Neo4jConstraint,
    actual: &Neo4jConstraint,
) -> Result<Alter, Unsupported> {
    let same = name_matches(&expected.name, &actual.name)
        && (expected.index_provider.is_none() || expected.index_provider == actual.index_provider)
        && options_match(&expected.options, &actual.options)
        && expected.property_type == actual.property_type;
    if same {
        return Ok(Alter::none());
    }
    Ok(Alter::Recreate {
        reason: "Neo4j cannot alter a constraint".to_string(),
        drop: vec![drop_constraint(actual)?],
        create: vec![create_constraint(expected)],
    })
}

/// Turn index `actual` into `expected` (same identity): nothing, or a drop
/// and a create.
pub fn alter_index(expected: &Neo4jIndex, actual: &Neo4jIndex) -> Result<Alter, Unsupported> {
    let same = name_matches(&expected.name, &actual.name)
        && (expected.provider.is_none() || expected.provider == actual.provider)
        && options_match(&expected.options, &actual.options);
    if same {
        return Ok(Alter::none());
    }
    Ok(Alter::Recreate {
        reason: "Neo4j cannot alter an index".to_string(),
        drop: vec![drop_index(actual)?],
        create: vec![create_index(expected)],
    })
}

/// Every constraint, then every index, of `schema`: what makes it in an
/// empty database. Indexes that a new database already has (its two
/// lookup indexes) are left out when `existing` has them.
pub fn create_script(schema: &Neo4jSchema, existing: &Neo4jSchema) -> Vec<Statement> {
    let mut out = Vec::new();
    for (id, c) in &schema.constraints {
        if !existing.constraints.contains_key(id) {
            out.push(create_constraint(c));
        }
    }
    for (id, x) in &schema.indexes {
        if !existing.indexes.contains_key(id) {
            out.push(create_index(x));
        }
    }
    out
}

/// The statements that turn `actual` into `expected`: every constraint
/// and index ACTUAL has and EXPECTED lacks dropped, those that differ
/// dropped and created again (Neo4j alters neither), then EXPECTED's
/// missing ones created, constraints before indexes. Dropping a
/// constraint or an index loses no data, so nothing is left out.
pub fn fix_script(expected: &Neo4jSchema, actual: &Neo4jSchema) -> FixScript {
    let mut fix = FixScript::default();
    let mut drops = Vec::new();
    let mut creates = Vec::new();
    let mut put = |what: String, r: Result<Alter, Unsupported>| match r {
        Ok(Alter::Recreate {
            reason,
            drop,
            create,
        }) => {
            fix.recreated.push(format!("{what}: {reason}"));
            drops.extend(drop);
            creates.extend(create);
        }
        Ok(Alter::InPlace(v)) => drops.extend(v),
        Err(u) => fix.unsupported.push(u),
    };
    for (id, a) in &actual.constraints {
        let r = match expected.constraints.get(id) {
            Some(e) => alter_constraint(e, a),
            None => drop_constraint(a).map(|s| Alter::InPlace(vec![s])),
        };
        put(format!("constraint {id}"), r);
    }
    for (id, a) in &actual.indexes {
        let r = match expected.indexes.get(id) {
            Some(e) => alter_index(e, a),
            None => drop_index(a).map(|s| Alter::InPlace(vec![s])),
        };
        put(format!("index {id}"), r);
    }
    drops.extend(creates);
    drops.extend(create_script(expected, actual));
    fix.statements = drops;
    fix
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;

    /// The demo's fulltext and vector indexes, as the migrations write them
    /// and as Neo4j reports them with its defaults filled in: the differ
    /// finds nothing, so the fix script does nothing; a setting the
    /// migrations give and the server lacks is both reported and fixed.
    #[test]
    fn server_default_settings_are_no_change_to_the_report_nor_the_script() {
        use crate::model::Snapshot;
        let fold = |script: &str| {
            let mut f =
                crate::neo4j::migrations::Folder::new(&crate::neo4j::migrations::FoldOptions {
                    default_lookup_indexes: false,
                });
            f.fold_file(std::path::Path::new("V1__x.cypher"), script)
                .unwrap();
            f.schema
        };
        let expected = fold(
            "CREATE FULLTEXT INDEX visit_notes FOR ()-[s:SAW]-() ON EACH [s.notes];
             CREATE VECTOR INDEX pet_symptoms FOR (p:Pet) ON p.symptoms_embedding
               OPTIONS {indexConfig: {`vector.dimensions`: 4, `vector.similarity_function`: 'cosine'}}",
        );
        let mut actual = expected.clone();
        for x in actual.indexes.values_mut() {
            x.provider = Some("server-1.0".into());
            match x.kind {
                IndexKind::Fulltext => {
                    x.options.insert(
                        "fulltext.analyzer".into(),
                        Value::from("standard-no-stop-words"),
                    );
                    x.options
                        .insert("fulltext.eventually_consistent".into(), Value::from(false));
                }
                _ => {
                    x.options.insert("vector.hnsw.m".into(), Value::from(16));
                    x.options
                        .insert("vector.quantization.enabled".into(), Value::from(true));
                }
            }
        }
        let snap = |n: &Neo4jSchema| Snapshot {
            neo4j: Some(n.clone()),
            ..Snapshot::empty()
        };
        assert!(crate::diff::diff_snapshots(&snap(&expected), &snap(&actual)).is_empty());
        let fix = fix_script(&expected, &actual);
        assert!(fix.is_empty(), "{:?}", sql_of(fix.statements));
        // A setting the migrations give that the server has otherwise.
        for x in actual.indexes.values_mut() {
            if x.kind == IndexKind::Vector {
                x.options.insert("vector.dimensions".into(), Value::from(8));
            }
        }
        assert_eq!(
            crate::diff::diff_snapshots(&snap(&expected), &snap(&actual)).len(),
            1
        );
        let fix = fix_script(&expected, &actual);
        assert_eq!(fix.recreated.len(), 1, "{:?}", fix.recreated);
        assert!(fix.recreated[0].contains("vector"), "{:?}", fix.recreated);
    }

    fn constraint(kind: ConstraintKind, entity: EntityType, props: &[&str]) -> Neo4jConstraint {
        Neo4jConstraint {
            name: Some("c1".into()),
            kind,
            entity_type: entity,
            labels_or_types: vec!["Person".into()],
            properties: props.iter().map(|s| s.to_string()).collect(),
            property_type: None,
            enforced_label: None,
            index_provider: None,
            options: BTreeMap::new(),
        }
    }

    fn index(kind: IndexKind, labels: &[&str], props: &[&str]) -> Neo4jIndex {
        Neo4jIndex {
            name: Some("i1".into()),
            kind,
            entity_type: EntityType::Node,
            labels_or_types: labels.iter().map(|s| s.to_string()).collect(),
            properties: props.iter().map(|s| s.to_string()).collect(),
            provider: None,
            options: BTreeMap::new(),
        }
    }

    #[test]
    fn constraints_of_every_kind() {
        let mut u = constraint(ConstraintKind::Unique, EntityType::Node, &["id"]);
        u.index_provider = Some("range-1.0".into());
        assert_eq!(
            create_constraint(&u).sql,
            "CREATE CONSTRAINT c1 FOR (n:Person) REQUIRE n.id IS UNIQUE OPTIONS {indexProvider: 'range-1.0'}"
        );
        let mut k = constraint(
            ConstraintKind::Key,
            EntityType::Relationship,
            &["since", "ref"],
        );
        k.labels_or_types = vec!["KNOWS".into()];
        k.name = None;
        assert_eq!(
            create_constraint(&k).sql,
            "CREATE CONSTRAINT FOR ()-[r:KNOWS]-() REQUIRE (r.since, r.ref) IS RELATIONSHIP KEY"
        );
        let mut t = constraint(ConstraintKind::PropertyType, EntityType::Node, &["age"]);
        t.property_type = Some("INTEGER | FLOAT".into());
        assert_eq!(
            create_constraint(&t).sql,
            "CREATE CONSTRAINT c1 FOR (n:Person) REQUIRE n.age IS :: INTEGER | FLOAT"
        );
        assert_eq!(
            create_constraint(&constraint(
                ConstraintKind::Exists,
                EntityType::Node,
                &["first name"]
            ))
            .sql,
            "CREATE CONSTRAINT c1 FOR (n:Person) REQUIRE n.`first name` IS NOT NULL"
        );
        let mut l = constraint(ConstraintKind::LabelExistence, EntityType::Node, &[]);
        l.enforced_label = Some("Human".into());
        assert_eq!(
            create_constraint(&l).sql,
            "CREATE CONSTRAINT c1 FOR (n:Person) REQUIRE n:Human"
        );
        assert_eq!(drop_constraint(&u).unwrap().sql, "DROP CONSTRAINT c1");
        assert!(drop_constraint(&k).is_err());
    }

    #[test]
    fn indexes_of_every_kind() {
        assert_eq!(
            create_index(&index(IndexKind::Range, &["Person"], &["city", "zip"])).sql,
            "CREATE RANGE INDEX i1 FOR (n:Person) ON (n.city, n.zip)"
        );
        let mut f = index(IndexKind::Fulltext, &["Book", "Film"], &["title", "plot"]);
        f.options
            .insert("fulltext.analyzer".into(), Value::from("english"));
        assert_eq!(
            create_index(&f).sql,
            "CREATE FULLTEXT INDEX i1 FOR (n:Book|Film) ON EACH [n.title, n.plot] OPTIONS {indexConfig: {`fulltext.analyzer`: 'english'}}"
        );
        let mut v = index(IndexKind::Vector, &["Doc"], &["embedding"]);
        v.options
            .insert("vector.dimensions".into(), Value::from(1536));
        v.options
            .insert("vector.similarity_function".into(), Value::from("cosine"));
        v.options
            .insert("vector.with".into(), Value::from(vec!["lang"]));
        assert_eq!(
            create_index(&v).sql,
            "CREATE VECTOR INDEX i1 FOR (n:Doc) ON (n.embedding) WITH [n.lang] OPTIONS {indexConfig: {`vector.dimensions`: 1536, `vector.similarity_function`: 'cosine'}}"
        );
        let mut l = index(IndexKind::Lookup, &[], &[]);
        l.entity_type = EntityType::Relationship;
        assert_eq!(
            create_index(&l).sql,
            "CREATE LOOKUP INDEX i1 FOR ()-[r]-() ON EACH type(r)"
        );
        assert_eq!(
            create_index(&index(IndexKind::Text, &["Person"], &["name"])).sql,
            "CREATE TEXT INDEX i1 FOR (n:Person) ON (n.name)"
        );
    }

    #[test]
    fn a_new_name_or_configuration_is_a_drop_and_create() {
        let a = index(IndexKind::Range, &["Person"], &["city"]);
        let mut e = a.clone();
        assert!(alter_index(&e, &a).unwrap().is_empty());
        e.name = None;
        assert!(alter_index(&e, &a).unwrap().is_empty());
        e.name = Some("person_city".into());
        let sql = sql_of(alter_index(&e, &a).unwrap());
        assert_eq!(
            sql,
            [
                "DROP INDEX i1",
                "CREATE RANGE INDEX person_city FOR (n:Person) ON (n.city)"
            ]
        );
        assert_eq!(name("FOR"), "`FOR`");
        assert_eq!(name("a`b"), "`a``b`");
    }

    /// Every rendered statement reads back, through the parser that folds
    /// Cypher migrations, as the very object it was rendered from.
    #[test]
    fn every_kind_parses_back_to_itself() {
        use crate::neo4j::cypher::{parse, Parsed, SchemaCommand};
        let mut constraints = Vec::new();
        for kind in [
            ConstraintKind::Unique,
            ConstraintKind::Key,
            ConstraintKind::Exists,
            ConstraintKind::PropertyType,
        ] {
            for entity in [EntityType::Node, EntityType::Relationship] {
                let props: &[&str] = match kind {
                    ConstraintKind::Unique | ConstraintKind::Key => &["a", "b c"],
                    _ => &["a"],
                };
                let mut c = constraint(kind.clone(), entity, props);
                c.labels_or_types = vec!["My Label".into()];
                if kind == ConstraintKind::PropertyType {
                    c.property_type = Some("LIST<STRING NOT NULL>".into());
                }
                if matches!(kind, ConstraintKind::Unique | ConstraintKind::Key) {
                    c.index_provider = Some("range-1.0".into());
                }
                constraints.push(c);
            }
        }
        let mut l = constraint(ConstraintKind::LabelExistence, EntityType::Node, &[]);
        l.enforced_label = Some("Human".into());
        l.name = None;
        constraints.push(l);
        for c in constraints {
            let sql = create_constraint(&c).sql;
            match parse(&sql) {
                Ok(Parsed::Schema(SchemaCommand::CreateConstraint { constraint, .. })) => {
                    assert_eq!(constraint, c, "{sql}")
                }
                other => panic!("{sql}: {other:?}"),
            }
        }
        let mut indexes = Vec::new();
        for kind in [
            IndexKind::Range,
            IndexKind::Btree,
            IndexKind::Text,
            IndexKind::Point,
        ] {
            for entity in [EntityType::Node, EntityType::Relationship] {
                let mut x = index(kind, &["T"], &["p"]);
                x.entity_type = entity;
                indexes.push(x);
            }
        }
        let mut f = index(IndexKind::Fulltext, &["Book", "Film"], &["title", "plot"]);
        f.options
            .insert("fulltext.analyzer".into(), Value::from("english"));
        f.options
            .insert("fulltext.eventually_consistent".into(), Value::Bool(true));
        indexes.push(f);
        let mut v = index(IndexKind::Vector, &["Doc"], &["embedding"]);
        v.provider = Some("vector-2.0".into());
        v.options
            .insert("vector.dimensions".into(), Value::from(1536));
        v.options
            .insert("vector.similarity_function".into(), Value::from("cosine"));
        v.options
            .insert("vector.with".into(), Value::from(vec!["lang"]));
        indexes.push(v);
        for entity in [EntityType::Node, EntityType::Relationship] {
            let mut l = index(IndexKind::Lookup, &[], &[]);
            l.entity_type = entity;
            indexes.push(l);
        }
        for x in indexes {
            let sql = create_index(&x).sql;
            match parse(&sql) {
                Ok(Parsed::Schema(SchemaCommand::CreateIndex { index, .. })) => {
                    assert_eq!(index, x, "{sql}")
                }
                other => panic!("{sql}: {other:?}"),
            }
        }
        let dropped = drop_index(&index(IndexKind::Text, &["T"], &["p"]))
            .unwrap()
            .sql;
        assert!(matches!(
            parse(&dropped),
            Ok(Parsed::Schema(SchemaCommand::DropIndex { name, .. })) if name == "i1"
        ));
    }
}
