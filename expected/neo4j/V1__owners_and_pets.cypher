// The clinic's referral graph: owners, their pets, and the vets who saw them.
// Neo4j Community: uniqueness constraints and indexes of every kind.
CREATE CONSTRAINT owner_id IF NOT EXISTS FOR (o:Owner) REQUIRE o.id IS UNIQUE;
CREATE CONSTRAINT pet_chip IF NOT EXISTS FOR (p:Pet) REQUIRE p.microchip IS UNIQUE;
CREATE TEXT INDEX pet_name IF NOT EXISTS FOR (p:Pet) ON (p.name);

// Seed data is skipped when the expected schema is built; only schema counts.
MERGE (:Owner {id: 1, name: 'Ada'});
