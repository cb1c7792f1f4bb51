-- Columns of tables (foreign ones too: their column OPTIONS come from
-- foreign_tables.sql), views and materialized views, with identity,
-- generation, collation, and storage, compression, statistics target and
-- options where set (compression: PostgreSQL 14+; see
-- postgres::adapt_query; options are sorted in Rust);
-- their defaults come from column_defaults.sql and their comments from
-- column_comments.sql. attnum and
-- attcollation also name the keys of indexes.sql and constraints.sql.
-- Rows come in no particular order (Rust sorts them by table and attnum).
-- What keeps it fast on a big catalog:
--   - no join for the few columns that have a default or a comment: on
--     10,000 tables, joining pg_attrdef and pg_description to 127,000
--     columns cost more than reading both catalogs whole in two queries of
--     their own (0.1-0.2 s of 0.7 s);
--   - every join is a hash join: Rust plans this query with enable_nestloop
--     off (postgres::Query::hash_joins), so that the planner does not pick
--     100,000 index probes; a materialized CTE did that too, at the cost
--     of writing and reading back every column (0.05-0.1 s of 0.8 s on
--     10,000 tables);
--   - collations are named in Rust (collations.sql), identity sequences
--     come from identities.sql.
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave these
-- out. To try it in psql:
--   PREPARE q(text[], text[]) AS <this query>; EXECUTE q('{}', '{}');
SELECT a.attrelid AS table_oid,
       a.attnum AS position,
       a.attname AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       a.attcollation AS collation_oid,
       t.typcollation AS type_collation_oid,
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END AS storage,
       -- (Not a foreign table's: it stores no rows, PostgreSQL refuses SET
       -- COMPRESSION on one; counted in not_compared.sql.)
       CASE WHEN c.relkind <> 'f'
            THEN /*<140000:NULL::text*/NULLIF(a.attcompression::text, '')/*end*/ END AS compression,
       CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::integer END AS statistics,
       a.attoptions AS options
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
 WHERE a.attnum > 0 AND NOT a.attisdropped
   AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                      WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                        AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                        AND e.deptype = 'e');
