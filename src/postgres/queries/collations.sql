-- Collations, to name the collation_oids of indexes.sql: a bare name in
-- pg_catalog, else qualified. Some hundreds of rows (more with ICU).
SELECT co.oid,
       CASE WHEN n.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
            ELSE pg_catalog.format('%I.%I', n.nspname, co.collname)
       END AS name
  FROM pg_catalog.pg_collation co
  JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace;
