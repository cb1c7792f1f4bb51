-- Comparing two live databases (postgres::LazyRead) only: the names of the
-- types that stored trees refer to by OID (see postgres::tree); nothing
-- otherwise. A type prints as its schema and name, so those identify it
-- (quoted, so that no two pairs read alike).
SELECT t.oid, pg_catalog.format('%I.%I', n.nspname, t.typname) AS name
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
 WHERE /*lazy*/false AND t.oid >= 10000;
