use super::*;

fn schema(text: &str) -> SchemaCommand {
    match parse(text) {
        Ok(Parsed::Schema(c)) => c,
        other => panic!("{text}: {other:?}"),
    }
}

fn constraint(text: &str) -> (Neo4jConstraint, bool) {
    match schema(text) {
        SchemaCommand::CreateConstraint {
            constraint,
            if_not_exists,
        } => (constraint, if_not_exists),
        other => panic!("{text}: {other:?}"),
    }
}

fn index(text: &str) -> (Neo4jIndex, bool) {
    match schema(text) {
        SchemaCommand::CreateIndex {
            index,
            if_not_exists,
        } => (index, if_not_exists),
        other => panic!("{text}: {other:?}"),
    }
}

fn err(text: &str) -> SyntaxError {
    parse(text).expect_err(text)
}

#[test]
fn split_respects_strings_quotes_and_comments() {
    let src = "// header; not a statement\nCREATE (:A {s: 'a;b', t: \"c\\\";d\"});\n/* block ; \n comment */ MATCH (`we;ird`) RETURN 1 ;\n\n  CREATE INDEX i FOR (n:L) ON (n.p)\n";
    let s = split(src).unwrap();
    assert_eq!(s.len(), 3, "{s:?}");
    assert_eq!(s[0].line, 2);
    assert!(s[0].text.contains("'a;b'"));
    assert_eq!(s[1].line, 4);
    assert!(s[1].text.contains("`we;ird`"));
    assert_eq!(s[2].line, 6);
    assert_eq!(s[2].text, "CREATE INDEX i FOR (n:L) ON (n.p)");
}

#[test]
fn split_drops_empty_statements_and_reports_unterminated() {
    assert!(split(" ; // only a comment\n;").unwrap().is_empty());
    assert_eq!(split("\n\nCREATE (:A {s: 'open})").unwrap_err().line, 3);
    assert_eq!(split("a;\n/* never closed").unwrap_err().line, 2);
}

#[test]
fn other_statements_are_not_schema() {
    for s in [
        "CREATE (n:Person {name: 'x'})",
        "MATCH (n) SET n.x = 1",
        "MERGE (a:A)",
        "CALL db.awaitIndexes()",
        "CREATE DATABASE foo",
        "CREATE USER bob SET PASSWORD 'x'",
    ] {
        assert_eq!(parse(s).unwrap(), Parsed::Other, "{s}");
    }
}

// ---- Neo4j 4.4 syntax ----

#[test]
fn v4_unique_named_and_unnamed() {
    let (c, _) = constraint("CREATE CONSTRAINT ON (p:Person) ASSERT p.email IS UNIQUE");
    assert_eq!(c.identity(), "unique node :Person(email)");
    assert_eq!(c.name, None);
    let (c, ine) = constraint(
        "CREATE CONSTRAINT person_email IF NOT EXISTS ON (p:Person) ASSERT p.email IS UNIQUE",
    );
    assert_eq!(c.name.as_deref(), Some("person_email"));
    assert!(ine);
}

#[test]
fn v4_node_key_and_existence() {
    let (c, _) =
        constraint("CREATE CONSTRAINT k ON (p:Person) ASSERT (p.first, p.last) IS NODE KEY");
    assert_eq!(c.identity(), "key node :Person(first, last)");
    let (c, _) = constraint("CREATE CONSTRAINT ON (p:Person) ASSERT exists(p.name)");
    assert_eq!(c.identity(), "exists node :Person(name)");
    let (c, _) = constraint("CREATE CONSTRAINT ON (p:Person) ASSERT p.name IS NOT NULL");
    assert_eq!(c.identity(), "exists node :Person(name)");
    let (c, _) = constraint("CREATE CONSTRAINT ON ()-[r:LIKED]-() ASSERT exists(r.day)");
    assert_eq!(c.identity(), "exists relationship :LIKED(day)");
    let (c, _) = constraint("CREATE CONSTRAINT ON ()-[r:LIKED]->() ASSERT r.day IS NOT NULL");
    assert_eq!(c.identity(), "exists relationship :LIKED(day)");
}

#[test]
fn v4_indexes() {
    let (i, _) = index("CREATE INDEX ON :Person(name)");
    assert_eq!(i.identity(), "range node :Person(name)");
    let (i, _) = index("CREATE INDEX ON :Person(first, last)");
    assert_eq!(i.properties, ["first", "last"]);
    let (i, _) = index("CREATE BTREE INDEX person_age FOR (n:Person) ON (n.age)");
    assert_eq!(i.identity(), "btree node :Person(age)");
    assert_eq!(i.name.as_deref(), Some("person_age"));
    let (i, _) = index("CREATE INDEX FOR (n:Person) ON (n.age, n.city)");
    assert_eq!(i.identity(), "range node :Person(age, city)");
    let (i, _) = index("CREATE LOOKUP INDEX node_labels FOR (n) ON EACH labels(n)");
    assert_eq!(i.identity(), "lookup node");
    let (i, _) = index("CREATE LOOKUP INDEX FOR ()-[r]-() ON EACH type(r)");
    assert_eq!(i.identity(), "lookup relationship");
    let (i, _) = index("CREATE FULLTEXT INDEX titles FOR (n:Movie|Book) ON EACH [n.title, n.description] OPTIONS {indexConfig: {`fulltext.analyzer`: 'english', `fulltext.eventually_consistent`: true}}");
    assert_eq!(
        i.identity(),
        "fulltext node :Movie|Book(title, description)"
    );
    assert_eq!(i.options["fulltext.analyzer"], Value::from("english"));
    assert_eq!(
        i.options["fulltext.eventually_consistent"],
        Value::from(true)
    );
}

#[test]
fn v4_drops() {
    assert_eq!(
        schema("DROP CONSTRAINT ON (p:Person) ASSERT p.email IS UNIQUE"),
        SchemaCommand::DropConstraintLike(
            constraint("CREATE CONSTRAINT ON (p:Person) ASSERT p.email IS UNIQUE").0
        )
    );
    match schema("DROP INDEX ON :Person(name)") {
        SchemaCommand::DropIndexLike(i) => assert_eq!(i.identity(), "range node :Person(name)"),
        other => panic!("{other:?}"),
    }
}

// ---- Neo4j 5.x syntax ----

#[test]
fn v5_constraints() {
    let (c, ine) = constraint(
        "CREATE CONSTRAINT book_isbn IF NOT EXISTS FOR (b:Book) REQUIRE b.isbn IS UNIQUE",
    );
    assert_eq!(
        (c.identity().as_str(), c.name.as_deref(), ine),
        ("unique node :Book(isbn)", Some("book_isbn"), true)
    );
    let (c, _) = constraint("CREATE CONSTRAINT FOR (b:Book) REQUIRE (b.title, b.year) IS UNIQUE");
    assert_eq!(c.identity(), "unique node :Book(title, year)");
    let (c, _) = constraint("CREATE CONSTRAINT FOR (p:Person) REQUIRE (p.a, p.b) IS NODE KEY");
    assert_eq!(c.identity(), "key node :Person(a, b)");
    let (c, _) = constraint("CREATE CONSTRAINT FOR (p:Person) REQUIRE p.name IS NOT NULL");
    assert_eq!(c.identity(), "exists node :Person(name)");
    let (c, _) = constraint(
        "CREATE CONSTRAINT own_key FOR ()-[o:OWNS]-() REQUIRE (o.since, o.ref) IS RELATIONSHIP KEY",
    );
    assert_eq!(c.identity(), "key relationship :OWNS(since, ref)");
    let (c, _) = constraint("CREATE CONSTRAINT FOR ()-[o:OWNS]-() REQUIRE o.ref IS UNIQUE");
    assert_eq!(c.identity(), "unique relationship :OWNS(ref)");
    let (c, _) = constraint("CREATE CONSTRAINT FOR ()-[o:OWNS]-() REQUIRE o.ref IS REL UNIQUE");
    assert_eq!(c.identity(), "unique relationship :OWNS(ref)");
    let (c, _) = constraint(
        "create constraint `my constraint` for (`p`:`Per son`) require `p`.`e mail` is unique",
    );
    assert_eq!(c.identity(), "unique node :Per son(e mail)");
    assert_eq!(c.name.as_deref(), Some("my constraint"));
}

#[test]
fn v5_property_type_constraints() {
    let (c, _) =
        constraint("CREATE CONSTRAINT movie_year FOR (m:Movie) REQUIRE m.year IS :: INTEGER");
    assert_eq!(c.identity(), "type node :Movie(year)");
    assert_eq!(c.property_type.as_deref(), Some("INTEGER"));
    let (c, _) = constraint("CREATE CONSTRAINT FOR (m:Movie) REQUIRE m.year IS TYPED INT");
    assert_eq!(c.property_type.as_deref(), Some("INTEGER"));
    let (c, _) =
        constraint("CREATE CONSTRAINT FOR (m:Movie) REQUIRE m.tags :: LIST<STRING NOT NULL>");
    assert_eq!(c.property_type.as_deref(), Some("LIST<STRING NOT NULL>"));
    let (c, _) =
        constraint("CREATE CONSTRAINT FOR ()-[r:RATED]-() REQUIRE r.stars IS :: INTEGER | FLOAT");
    assert_eq!(c.identity(), "type relationship :RATED(stars)");
    assert_eq!(c.property_type.as_deref(), Some("INTEGER | FLOAT"));
}

#[test]
fn v5_constraint_options() {
    let (c, _) = constraint("CREATE CONSTRAINT FOR (b:Book) REQUIRE b.isbn IS UNIQUE OPTIONS {indexProvider: 'range-1.0'}");
    assert_eq!(c.index_provider.as_deref(), Some("range-1.0"));
}

#[test]
fn v5_indexes() {
    let (i, ine) = index("CREATE INDEX person_name IF NOT EXISTS FOR (p:Person) ON (p.name)");
    assert_eq!(
        (i.identity().as_str(), ine),
        ("range node :Person(name)", true)
    );
    let (i, _) = index("CREATE RANGE INDEX FOR ()-[k:KNOWS]-() ON (k.since)");
    assert_eq!(i.identity(), "range relationship :KNOWS(since)");
    let (i, _) =
        index("CREATE TEXT INDEX t FOR (p:Person) ON (p.bio) OPTIONS {indexProvider: 'text-2.0'}");
    assert_eq!(i.identity(), "text node :Person(bio)");
    assert_eq!(i.provider.as_deref(), Some("text-2.0"));
    let (i, _) = index("CREATE POINT INDEX FOR (p:Place) ON (p.location) OPTIONS {indexConfig: {`spatial.cartesian.min`: [-100.0, -100.0], `spatial.cartesian.max`: [100.0, 100.0]}}");
    assert_eq!(i.identity(), "point node :Place(location)");
    assert_eq!(
        i.options["spatial.cartesian.min"],
        serde_json::json!([-100, -100])
    );
    let (i, _) =
        index("CREATE FULLTEXT INDEX reviews FOR ()-[r:REVIEWED|RATED]-() ON EACH [r.text]");
    assert_eq!(i.identity(), "fulltext relationship :REVIEWED|RATED(text)");
    let (i, _) = index("CREATE VECTOR INDEX moviePlots IF NOT EXISTS\nFOR (m:Movie)\nON m.embedding\nOPTIONS { indexConfig: {\n `vector.dimensions`: 1536,\n `vector.similarity_function`: 'cosine'\n}}");
    assert_eq!(i.identity(), "vector node :Movie(embedding)");
    assert_eq!(i.options["vector.dimensions"], Value::from(1536));
    assert_eq!(
        i.options["vector.similarity_function"],
        Value::from("cosine")
    );
    let (i, _) = index("CREATE VECTOR INDEX v FOR (m:Movie) ON (m.embedding) OPTIONS {indexConfig: {`vector.dimensions`: 4, `vector.similarity_function`: 'EUCLIDEAN'}}");
    assert_eq!(
        i.options["vector.similarity_function"],
        Value::from("euclidean")
    );
    let (i, _) = index("CREATE LOOKUP INDEX IF NOT EXISTS FOR ()-[r]-() ON type(r)");
    assert_eq!(i.identity(), "lookup relationship");
}

#[test]
fn drops_by_name() {
    assert_eq!(
        schema("DROP CONSTRAINT book_isbn IF EXISTS"),
        SchemaCommand::DropConstraint {
            name: "book_isbn".into(),
            if_exists: true
        }
    );
    assert_eq!(
        schema("DROP INDEX `odd name`"),
        SchemaCommand::DropIndex {
            name: "odd name".into(),
            if_exists: false
        }
    );
    assert_eq!(
        schema("DROP CONSTRAINT on"),
        SchemaCommand::DropConstraint {
            name: "on".into(),
            if_exists: false
        }
    );
}

#[test]
fn keywords_as_names() {
    let (i, _) = index("CREATE INDEX for FOR (n:L) ON (n.p)");
    assert_eq!(i.name.as_deref(), Some("for"));
    let (i, _) = index("CREATE INDEX `IF` IF NOT EXISTS FOR (n:L) ON (n.p)");
    assert_eq!(i.name.as_deref(), Some("IF"));
}

#[test]
fn malformed_schema_statements_name_the_line() {
    let e = err("CREATE CONSTRAINT FOR (p:Person)\nREQUIRE p.email IS UNIQUE ALWAYS");
    assert_eq!(e.line, 2);
    assert!(e.message.contains("ALWAYS"), "{e:?}");
    let e = err("CREATE INDEX FOR (p:Person) ON (q.name)");
    assert!(e.message.contains("`q`"), "{e:?}");
    let e = err("CREATE CONSTRAINT FOR (p:Person)\n\nREQUIRE p.email IS SPECIAL");
    assert_eq!(e.line, 3);
    let e = err("CREATE INDEX FOR (p:A|B) ON (p.x)");
    assert!(e.message.contains("FULLTEXT"), "{e:?}");
    let e = err("CREATE INDEX $name FOR (p:A) ON (p.x)");
    assert!(e.message.contains("parameter"), "{e:?}");
    let e = err("CREATE VECTOR INDEX v FOR (m:M) ON m.e OPTIONS {wat: 1}");
    assert!(e.message.contains("wat"), "{e:?}");
    let e = err("DROP INDEX");
    assert!(e.message.contains("end of the statement"), "{e:?}");
}

#[test]
fn index_procedures_of_4x_and_early_5x() {
    let (i, _) = index("CALL db.index.fulltext.createNodeIndex('titles', ['Movie', 'Book'], ['title', 'description'], {analyzer: 'english', eventually_consistent: 'true'})");
    assert_eq!(
        i.identity(),
        "fulltext node :Movie|Book(title, description)"
    );
    assert_eq!(i.name.as_deref(), Some("titles"));
    assert_eq!(i.options["fulltext.analyzer"], Value::from("english"));
    let (i, _) = index(
        "CALL db.index.fulltext.createRelationshipIndex(\"reviews\", [\"REVIEWED\"], [\"text\"])",
    );
    assert_eq!(i.identity(), "fulltext relationship :REVIEWED(text)");
    let (i, _) = index(
        "CALL db.index.vector.createNodeIndex('moviePlots', 'Movie', 'embedding', 1536, 'COSINE')",
    );
    assert_eq!(i.identity(), "vector node :Movie(embedding)");
    assert_eq!(i.options["vector.dimensions"], Value::from(1536));
    assert_eq!(
        i.options["vector.similarity_function"],
        Value::from("cosine")
    );
    assert_eq!(
        schema("CALL db.index.fulltext.drop('titles')"),
        SchemaCommand::DropIndex {
            name: "titles".into(),
            if_exists: false
        }
    );
    assert_eq!(parse("CALL db.awaitIndexes(300)").unwrap(), Parsed::Other);
    assert_eq!(
        parse("CALL apoc.schema.assert({}, {})").unwrap(),
        Parsed::Other
    );
    let e = err("CALL db.index.vector.createNodeIndex('v', 'M', 'e', 'many', 'cosine')");
    assert!(e.message.contains("dimensions"), "{e:?}");
}
