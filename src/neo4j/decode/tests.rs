//! Rows as Neo4j 4.4, 5.x and 2025.x document them, decoded without a server.

use serde_json::json;

use super::*;

fn rows(v: Value) -> Vec<Row> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .collect()
}

/// Neo4j 5.x: a uniqueness constraint whose backing index has its name, the
/// two default lookup indexes, a fulltext and a vector index. The uniqueness
/// constraint and every index are as Neo4j 5.26.30 Community returned them
/// (tests/neo4j.rs holds these facts against the server); the key, property
/// type and existence constraints, which Community refuses, are written
/// after Neo4j's documentation.
fn neo4j5() -> (Vec<Row>, Vec<Row>) {
    let constraints = rows(json!([
        {"id": 4, "name": "book_isbn", "type": "UNIQUENESS", "entityType": "NODE",
         "labelsOrTypes": ["Book"], "properties": ["isbn"], "ownedIndex": "book_isbn",
         "propertyType": null,
         "options": {"indexConfig": {}, "indexProvider": "range-1.0"},
         "createStatement": "CREATE CONSTRAINT `book_isbn` FOR (n:`Book`) REQUIRE (n.`isbn`) IS UNIQUE"},
        {"id": 6, "name": "constraint_a2b4c6d8", "type": "RELATIONSHIP_KEY", "entityType": "RELATIONSHIP",
         "labelsOrTypes": ["OWNS"], "properties": ["since", "ref"], "ownedIndex": "constraint_a2b4c6d8",
         "propertyType": null,
         "options": {"indexConfig": {}, "indexProvider": "range-1.0"},
         "createStatement": "CREATE CONSTRAINT ..."},
        {"id": 7, "name": "movie_year_type", "type": "NODE_PROPERTY_TYPE", "entityType": "NODE",
         "labelsOrTypes": ["Movie"], "properties": ["year"], "ownedIndex": null,
         "propertyType": "INTEGER", "options": null, "createStatement": "..."},
        {"id": 8, "name": "knows_since", "type": "RELATIONSHIP_PROPERTY_EXISTENCE",
         "entityType": "RELATIONSHIP", "labelsOrTypes": ["KNOWS"], "properties": ["since"],
         "ownedIndex": null, "propertyType": null, "options": null, "createStatement": "..."}
    ]));
    let indexes = rows(json!([
        {"id": 1, "name": "index_343aff4e", "state": "ONLINE", "populationPercent": 100.0,
         "type": "LOOKUP", "entityType": "NODE", "labelsOrTypes": null, "properties": null,
         "indexProvider": "token-lookup-1.0", "owningConstraint": null, "lastRead": null,
         "readCount": 0, "trackedSince": null,
         "options": {"indexConfig": {}, "indexProvider": "token-lookup-1.0"},
         "failureMessage": "", "createStatement": "CREATE LOOKUP INDEX `index_343aff4e` FOR (n) ON EACH labels(n)"},
        {"id": 2, "name": "index_f7700477", "state": "ONLINE", "populationPercent": 100.0,
         "type": "LOOKUP", "entityType": "RELATIONSHIP", "labelsOrTypes": null, "properties": null,
         "indexProvider": "token-lookup-1.0", "owningConstraint": null,
         "options": {"indexConfig": {}, "indexProvider": "token-lookup-1.0"},
         "failureMessage": "", "createStatement": "CREATE LOOKUP INDEX `index_f7700477` FOR ()-[r]-() ON EACH type(r)"},
        {"id": 3, "name": "book_isbn", "state": "ONLINE", "populationPercent": 100.0,
         "type": "RANGE", "entityType": "NODE", "labelsOrTypes": ["Book"], "properties": ["isbn"],
         "indexProvider": "range-1.0", "owningConstraint": "book_isbn",
         "options": {"indexConfig": {}, "indexProvider": "range-1.0"}},
        {"id": 5, "name": "constraint_a2b4c6d8", "state": "ONLINE", "type": "RANGE",
         "entityType": "RELATIONSHIP", "labelsOrTypes": ["OWNS"], "properties": ["since", "ref"],
         "indexProvider": "range-1.0", "owningConstraint": "constraint_a2b4c6d8",
         "options": {"indexConfig": {}, "indexProvider": "range-1.0"}},
        {"id": 9, "name": "titles", "state": "ONLINE", "type": "FULLTEXT", "entityType": "NODE",
         "labelsOrTypes": ["Movie", "Book"], "properties": ["title", "description"],
         "indexProvider": "fulltext-1.0", "owningConstraint": null,
         "options": {"indexProvider": "fulltext-1.0",
                     "indexConfig": {"fulltext.analyzer": "standard-no-stop-words",
                                     "fulltext.eventually_consistent": false}}},
        {"id": 10, "name": "moviePlots", "state": "ONLINE", "type": "VECTOR", "entityType": "NODE",
         "labelsOrTypes": ["Movie"], "properties": ["embedding"],
         "indexProvider": "vector-2.0", "owningConstraint": null,
         "options": {"indexProvider": "vector-2.0",
                     "indexConfig": {"vector.dimensions": 1536, "vector.similarity_function": "COSINE",
                                     "vector.quantization.enabled": true, "vector.hnsw.m": 16,
                                     "vector.hnsw.ef_construction": 100}}},
        {"id": 11, "name": "person_name_text", "state": "ONLINE", "type": "TEXT", "entityType": "NODE",
         "labelsOrTypes": ["Person"], "properties": ["name"], "indexProvider": "text-2.0",
         "owningConstraint": null, "options": {"indexProvider": "text-2.0", "indexConfig": {}}},
        {"id": 12, "name": "place_loc", "state": "ONLINE", "type": "POINT", "entityType": "NODE",
         "labelsOrTypes": ["Place"], "properties": ["location"], "indexProvider": "point-1.0",
         "owningConstraint": null,
         "options": {"indexProvider": "point-1.0",
                     "indexConfig": {"spatial.cartesian.min": [-1000000.0, -1000000.0],
                                     "spatial.wgs-84.min": [-180.0, -90.0],
                                     "spatial.wgs-84.max": [180.0, 90.0],
                                     "spatial.cartesian.max": [1000000.0, 1000000.0],
                                     "spatial.wgs-84-3d.max": [180.0, 90.0, 1000000.0],
                                     "spatial.cartesian-3d.min": [-1000000.0, -1000000.0, -1000000.0],
                                     "spatial.cartesian-3d.max": [1000000.0, 1000000.0, 1000000.0],
                                     "spatial.wgs-84-3d.min": [-180.0, -90.0, -1000000.0]}}}
    ]));
    (constraints, indexes)
}

#[test]
fn neo4j5_backing_indexes_belong_to_their_constraints() {
    let (c, i) = neo4j5();
    let s = decode(&c, &i).unwrap();
    let keys: Vec<&str> = s.indexes.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "fulltext node :Movie|Book(title, description)",
            "lookup node",
            "lookup relationship",
            "point node :Place(location)",
            "text node :Person(name)",
            "vector node :Movie(embedding)",
        ]
    );
    let u = &s.constraints["unique node :Book(isbn)"];
    assert_eq!(u.name.as_deref(), Some("book_isbn"));
    assert_eq!(u.index_provider.as_deref(), Some("range-1.0"));
    let k = &s.constraints["key relationship :OWNS(since, ref)"];
    assert_eq!(k.entity_type, EntityType::Relationship);
    assert_eq!(k.properties, ["since", "ref"]);
    assert!(s
        .constraints
        .contains_key("exists relationship :KNOWS(since)"));
}

#[test]
fn neo4j5_vector_and_fulltext_options() {
    let (c, i) = neo4j5();
    let s = decode(&c, &i).unwrap();
    let v = &s.indexes["vector node :Movie(embedding)"];
    assert_eq!(v.kind, IndexKind::Vector);
    assert_eq!(v.provider.as_deref(), Some("vector-2.0"));
    assert_eq!(v.options["vector.dimensions"], json!(1536));
    assert_eq!(v.options["vector.similarity_function"], json!("cosine"));
    let f = &s.indexes["fulltext node :Movie|Book(title, description)"];
    assert_eq!(f.labels_or_types, ["Movie", "Book"]);
    assert_eq!(
        f.options["fulltext.analyzer"],
        json!("standard-no-stop-words")
    );
    assert_eq!(f.options["fulltext.eventually_consistent"], json!(false));
    let p = &s.indexes["point node :Place(location)"];
    assert_eq!(
        p.options["spatial.cartesian.min"],
        json!([-1000000, -1000000])
    );
    let l = &s.indexes["lookup relationship"];
    assert_eq!(l.name.as_deref(), Some("index_f7700477"));
    assert!(l.labels_or_types.is_empty() && l.properties.is_empty());
}

#[test]
fn property_type_constraints() {
    let (c, i) = neo4j5();
    let s = decode(&c, &i).unwrap();
    let t = &s.constraints["type node :Movie(year)"];
    assert_eq!(t.kind, ConstraintKind::PropertyType);
    assert_eq!(t.property_type.as_deref(), Some("INTEGER"));
    let c2 = rows(
        json!([{"name": "x", "type": "NODE_PROPERTY_TYPE", "entityType": "NODE",
        "labelsOrTypes": ["A"], "properties": ["p"], "propertyType": "LIST<STRING NOT NULL> | INT"}]),
    );
    let s = decode(&c2, &[]).unwrap();
    assert_eq!(
        s.constraints["type node :A(p)"].property_type.as_deref(),
        Some("LIST<STRING NOT NULL> | INTEGER")
    );
    let bad = rows(
        json!([{"name": "x", "type": "NODE_PROPERTY_TYPE", "entityType": "NODE",
        "labelsOrTypes": ["A"], "properties": ["p"]}]),
    );
    assert!(decode(&bad, &[]).unwrap_err().contains("constraint `x`"));
}

/// Neo4j 4.4: no `ownedIndex`/`propertyType`/`owningConstraint`; the backing
/// index is found through `ownedIndexId` and `uniqueness`; BTREE indexes.
#[test]
fn neo4j44_rows() {
    let btree_cfg = json!({"spatial.cartesian.min": [-1000000.0, -1000000.0],
                           "spatial.cartesian.max": [1000000.0, 1000000.0],
                           "spatial.wgs-84.min": [-180.0, -90.0], "spatial.wgs-84.max": [180.0, 90.0]});
    let constraints = rows(json!([
        {"id": 4, "name": "constraint_1a2b3c4d", "type": "UNIQUENESS", "entityType": "NODE",
         "labelsOrTypes": ["Person"], "properties": ["email"], "ownedIndexId": 3,
         "options": {"indexProvider": "native-btree-1.0", "indexConfig": btree_cfg},
         "createStatement": "CREATE CONSTRAINT `constraint_1a2b3c4d` ON (n:`Person`) ASSERT (n.`email`) IS UNIQUE OPTIONS {...}"},
        {"id": 6, "name": "person_key", "type": "NODE_KEY", "entityType": "NODE",
         "labelsOrTypes": ["Person"], "properties": ["first", "last"], "ownedIndexId": 5,
         "options": null},
        {"id": 8, "name": "person_name_exists", "type": "NODE_PROPERTY_EXISTENCE", "entityType": "NODE",
         "labelsOrTypes": ["Person"], "properties": ["name"], "ownedIndexId": null, "options": null}
    ]));
    let indexes = rows(json!([
        {"id": 1, "name": "index_343aff4e", "state": "ONLINE", "populationPercent": 100.0,
         "uniqueness": "NONUNIQUE", "type": "LOOKUP", "entityType": "NODE", "labelsOrTypes": null,
         "properties": null, "indexProvider": "token-lookup-1.0",
         "options": {"indexProvider": "token-lookup-1.0", "indexConfig": {}}, "failureMessage": ""},
        {"id": 3, "name": "constraint_1a2b3c4d", "uniqueness": "UNIQUE", "type": "BTREE",
         "entityType": "NODE", "labelsOrTypes": ["Person"], "properties": ["email"],
         "indexProvider": "native-btree-1.0",
         "options": {"indexProvider": "native-btree-1.0", "indexConfig": btree_cfg}},
        {"id": 5, "name": "person_key", "uniqueness": "UNIQUE", "type": "BTREE",
         "entityType": "NODE", "labelsOrTypes": ["Person"], "properties": ["first", "last"],
         "indexProvider": "native-btree-1.0",
         "options": {"indexProvider": "native-btree-1.0", "indexConfig": btree_cfg}},
        {"id": 7, "name": "person_age", "uniqueness": "NONUNIQUE", "type": "BTREE",
         "entityType": "NODE", "labelsOrTypes": ["Person"], "properties": ["age"],
         "indexProvider": "native-btree-1.0",
         "options": {"indexProvider": "native-btree-1.0", "indexConfig": btree_cfg}},
        {"id": 9, "name": "titles", "uniqueness": "NONUNIQUE", "type": "FULLTEXT",
         "entityType": "RELATIONSHIP", "labelsOrTypes": ["REVIEWED"], "properties": ["text"],
         "indexProvider": "fulltext-1.0",
         "options": {"indexProvider": "fulltext-1.0",
                     "indexConfig": {"fulltext.analyzer": "english", "fulltext.eventually_consistent": true}}}
    ]));
    let s = decode(&constraints, &indexes).unwrap();
    let keys: Vec<&str> = s.indexes.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "btree node :Person(age)",
            "fulltext relationship :REVIEWED(text)",
            "lookup node"
        ]
    );
    let k = &s.constraints["key node :Person(first, last)"];
    assert_eq!(k.index_provider.as_deref(), Some("native-btree-1.0"));
    assert_eq!(k.options["spatial.wgs-84.min"], json!([-180, -90]));
    assert_eq!(s.constraints.len(), 3);
    assert!(s.constraints.contains_key("exists node :Person(name)"));
}

/// Neo4j 2026.08.1 Community answering in Cypher 25 (its database's default
/// language set to it): the uniqueness types are renamed, `enforcedLabel` and
/// `classification` appear, and `options` no longer carries the provider,
/// which then comes from the backing index's `indexProvider` column. Rows as
/// the server returned them (ids, dates and create statements left out).
#[test]
fn neo4j2026_cypher25_rows() {
    let c = rows(json!([
        {"id": 4, "name": "book_isbn", "type": "NODE_PROPERTY_UNIQUENESS", "entityType": "NODE",
         "labelsOrTypes": ["Book"], "properties": ["isbn"], "enforcedLabel": null,
         "classification": "undesignated", "ownedIndex": "book_isbn", "propertyType": null,
         "options": {"indexConfig": {}}},
        {"id": 6, "name": "constraint_5a7a6167", "type": "RELATIONSHIP_PROPERTY_UNIQUENESS",
         "entityType": "RELATIONSHIP", "labelsOrTypes": ["OWNS"], "properties": ["ref"],
         "enforcedLabel": null, "classification": "undesignated",
         "ownedIndex": "constraint_5a7a6167", "propertyType": null, "options": {"indexConfig": {}}}
    ]));
    let i = rows(json!([
        {"id": 3, "name": "book_isbn", "state": "ONLINE", "type": "RANGE", "entityType": "NODE",
         "labelsOrTypes": ["Book"], "properties": ["isbn"], "indexProvider": "range-1.0",
         "owningConstraint": "book_isbn", "options": {"indexConfig": {}}},
        {"id": 5, "name": "constraint_5a7a6167", "state": "ONLINE", "type": "RANGE",
         "entityType": "RELATIONSHIP", "labelsOrTypes": ["OWNS"], "properties": ["ref"],
         "indexProvider": "range-1.0", "owningConstraint": "constraint_5a7a6167",
         "options": {"indexConfig": {}}},
        {"id": 1, "name": "index_460996c0", "state": "ONLINE", "type": "LOOKUP", "entityType": "NODE",
         "labelsOrTypes": null, "properties": null, "indexProvider": "token-lookup-1.0",
         "owningConstraint": null, "options": {"indexConfig": {}}},
        {"id": 17, "name": "moviePlots", "state": "ONLINE", "type": "VECTOR", "entityType": "NODE",
         "labelsOrTypes": ["Movie"], "properties": ["embedding"], "indexProvider": "vector-2026.08",
         "owningConstraint": null,
         "options": {"indexConfig": {"vector.dimensions": 1536,
                                     "vector.default_search_expansion_factor": 3.0,
                                     "vector.hnsw.m": 16, "vector.quantization.type": "BINARY",
                                     "vector.similarity_function": "COSINE",
                                     "vector.hnsw.ef_construction": 100}}}
    ]));
    let s = decode(&c, &i).unwrap();
    let keys: Vec<&str> = s.constraints.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["unique node :Book(isbn)", "unique relationship :OWNS(ref)"]
    );
    let owns = &s.constraints["unique relationship :OWNS(ref)"];
    assert_eq!(owns.entity_type, EntityType::Relationship);
    assert_eq!(owns.index_provider.as_deref(), Some("range-1.0"));
    let keys: Vec<&str> = s.indexes.keys().map(String::as_str).collect();
    assert_eq!(keys, ["lookup node", "vector node :Movie(embedding)"]);
    let v = &s.indexes["vector node :Movie(embedding)"];
    assert_eq!(v.provider.as_deref(), Some("vector-2026.08"));
    assert_eq!(v.options["vector.similarity_function"], json!("cosine"));
    assert_eq!(
        v.options["vector.default_search_expansion_factor"],
        json!(3)
    );
}

/// Enterprise 2025.x adds label existence constraints (documentation-written;
/// Community refuses them, and `enforcedLabel` is a Cypher 25 column).
#[test]
fn neo4j2025_label_existence() {
    let c = rows(
        json!([{"id": 1, "name": "actors_are_people", "type": "NODE_LABEL_EXISTENCE",
        "entityType": "NODE", "labelsOrTypes": ["Actor"], "properties": null,
        "enforcedLabel": "Person", "ownedIndex": null, "propertyType": null, "options": null}]),
    );
    let s = decode(&c, &[]).unwrap();
    let k = s.constraints.keys().next().unwrap();
    assert_eq!(k, "label node :Actor :Person");
}

/// What the ArcadeDB Bolt server returns: the backing index named
/// `Label[props]`, found through `owningConstraint`.
#[test]
fn arcadedb_rows() {
    let c = rows(
        json!([{"id": 1, "name": "p_email", "type": "UNIQUENESS", "entityType": "NODE",
        "labelsOrTypes": ["Person"], "properties": ["email"], "enforcedLabel": null,
        "ownedIndex": "Person[email]", "propertyType": null, "options": null,
        "createStatement": "CREATE CONSTRAINT `p_email` FOR (n:`Person`) REQUIRE n.`email` IS UNIQUE"}]),
    );
    let i = rows(json!([{"id": 1, "name": "Person[email]", "state": "ONLINE",
        "populationPercent": 100.0, "type": "RANGE", "entityType": "NODE",
        "labelsOrTypes": ["Person"], "properties": ["email"], "indexProvider": "range-1.0",
        "owningConstraint": "p_email", "options": {}, "failureMessage": ""}]));
    let s = decode(&c, &i).unwrap();
    assert!(s.indexes.is_empty());
    assert_eq!(
        s.constraints["unique node :Person(email)"]
            .index_provider
            .as_deref(),
        Some("range-1.0")
    );
}

#[test]
fn unknown_types_are_named() {
    let c = rows(json!([{"name": "odd", "type": "NODE_FOO", "entityType": "NODE"}]));
    let e = decode(&c, &[]).unwrap_err();
    assert!(
        e.contains("constraint `odd`") && e.contains("NODE_FOO"),
        "{e}"
    );
    let i = rows(json!([{"name": "weird", "type": "HASH", "entityType": "NODE"}]));
    let e = decode(&[], &i).unwrap_err();
    assert!(e.contains("index `weird`"), "{e}");
}

#[test]
fn server_versions() {
    let r =
        rows(json!([{"name": "Neo4j Kernel", "versions": ["5.26.0"], "edition": "enterprise"}]));
    assert_eq!(server_version(&r).unwrap(), "Neo4j 5.26.0 (enterprise)");
    let r = rows(json!([{"name": "Neo4j Kernel", "versions": ["4.4.30"], "edition": "community"}]));
    assert_eq!(server_version(&r).unwrap(), "Neo4j 4.4.30 (community)");
    assert_eq!(server_version(&[]), None);
}
