CREATE CONSTRAINT vet_licence FOR (v:Vet) REQUIRE (v.clinic, v.licence) IS UNIQUE;
CREATE INDEX pet_species IF NOT EXISTS FOR (p:Pet) ON (p.species);
CREATE INDEX saw_on FOR ()-[s:SAW]-() ON (s.on);
CREATE FULLTEXT INDEX visit_notes FOR ()-[s:SAW]-() ON EACH [s.notes];
// Similar cases by symptoms (sentence embeddings of 384 dimensions).
CREATE VECTOR INDEX pet_symptoms FOR (p:Pet) ON p.symptoms_embedding
  OPTIONS {indexConfig: {`vector.dimensions`: 384, `vector.similarity_function`: 'cosine'}};
