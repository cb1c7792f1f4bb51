CREATE CONSTRAINT vet_key FOR (v:Vet) REQUIRE (v.clinic, v.licence) IS NODE KEY;
CREATE CONSTRAINT visit_weight_int FOR ()-[s:SAW]-() REQUIRE s.weight_g IS :: INTEGER;
CREATE INDEX pet_species IF NOT EXISTS FOR (p:Pet) ON (p.species);
CREATE INDEX saw_on FOR ()-[s:SAW]-() ON (s.on);
