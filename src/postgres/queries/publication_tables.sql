-- The tables of publications (FOR TABLE), with their column lists (sorted
-- by name) and row filters (PostgreSQL 15+). Only when no schema is chosen
-- by name ($1 empty), as publications.sql; only tables of the compared
-- schemas that are not an extension's, as pg_dump dumps the membership of
-- the tables it dumps.
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave
-- these out. To try it in psql:
--   PREPARE q(text[], text[]) AS <this query>; EXECUTE q('{}', '{}');
SELECT p.pubname AS publication,
       pg_catalog.format('%I.%I', n.nspname, c.relname) AS table_name,
       /*<150000:NULL::text[]*/CASE WHEN pr.prattrs IS NOT NULL THEN ARRAY(
           SELECT a.attname::text
             FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = pr.prrelid AND a.attnum = ANY (pr.prattrs)
            ORDER BY 1) END/*end*/ AS columns,
       /*<150000:NULL::text*/pg_catalog.pg_get_expr(pr.prqual, pr.prrelid)/*end*/ AS row_filter
  FROM pg_catalog.pg_publication_rel pr
  JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid
  JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE pg_catalog.cardinality($1::text[]) = 0
   AND n.nspname <> ALL ($2::text[])
   AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY 1, 2;
