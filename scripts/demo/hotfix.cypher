// Duplicate microchips arrived from an import, so someone dropped the constraint,
// and a slow search got an index nobody wrote a migration for.
DROP CONSTRAINT pet_chip;
CREATE INDEX pet_owner_name_hotfix FOR (p:Pet) ON (p.owner_name);
