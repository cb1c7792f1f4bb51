-- Indexes of tables and materialized views, except those that implement a
-- primary key, unique or exclusion constraint (they belong to the constraint).
-- The key parts come raw, as pg_index stores them, and are named in Rust
-- (postgres::decode::KeyNames) from the rows of columns.sql,
-- opclasses.sql and collations.sql: one pass over pg_index with no join per
-- key. Only expression indexes pay for deparsing, once per expression key
-- (pg_get_indexdef(index, k, true); NULL for a plain column key), and for
-- the collation of each key's type, which an expression key's default
-- collation comes from. options are the raw indoption bits (1 = DESC,
-- 2 = NULLS FIRST). Rows come in no particular order.
-- Version-dependent fragments (see postgres::adapt_query): the text as it
-- stands runs on the newest PostgreSQL; each /*<NNNNNN:OLD*/NEW/*end*/ is
-- replaced by OLD on a server whose server_version_num is below NNNNNN
-- (indnullsnotdistinct exists from 15 on). Parameters: $1 text[] only these schemas (empty:
-- all), $2 text[] leave these out. To try it in psql:
--   PREPARE q(text[], text[]) AS <this query>; EXECUTE q('{}', '{}');
SELECT i.indrelid AS table_oid,
       ic.relname AS name,
       am.amname AS method,
       i.indisunique AS is_unique,
       /*<150000:false*/i.indnullsnotdistinct/*end*/ AS nulls_not_distinct,
       i.indnkeyatts AS key_count,
       i.indkey::pg_catalog.int2[] AS attnums,
       i.indclass::pg_catalog.oid[] AS opclass_oids,
       i.indcollation::pg_catalog.oid[] AS collation_oids,
       i.indoption::pg_catalog.int2[] AS key_options,
       CASE WHEN i.indexprs IS NOT NULL AND NOT /*lazy*/false THEN ARRAY(
           SELECT CASE WHEN i.indkey[k - 1] = 0
                       THEN pg_catalog.pg_get_indexdef(i.indexrelid, k, true) END
             FROM pg_catalog.generate_series(1, i.indnkeyatts::integer) k
            ORDER BY k)
       END AS key_exprs,
       CASE WHEN i.indexprs IS NOT NULL THEN ARRAY(
           SELECT t.typcollation
             FROM pg_catalog.pg_attribute ia
             JOIN pg_catalog.pg_type t ON t.oid = ia.atttypid
            WHERE ia.attrelid = i.indexrelid AND ia.attnum BETWEEN 1 AND i.indnkeyatts
            ORDER BY ia.attnum)
       END AS key_type_collations,
       -- The statistics target of each key where set (ALTER INDEX ..
       -- ALTER COLUMN n SET STATISTICS, which only an expression key takes;
       -- -1 up to 16, NULL from 17 for the default).
       CASE WHEN i.indexprs IS NOT NULL THEN ARRAY(
           SELECT CASE WHEN ia.attstattarget >= 0 THEN ia.attstattarget::integer END
             FROM pg_catalog.pg_attribute ia
            WHERE ia.attrelid = i.indexrelid AND ia.attnum BETWEEN 1 AND i.indnkeyatts
            ORDER BY ia.attnum)
       END AS key_statistics,
       CASE WHEN NOT /*lazy*/false THEN pg_catalog.pg_get_expr(i.indpred, i.indrelid) END AS predicate,
       -- Comparing two live databases (postgres::LazyRead), expressions
       -- and predicates are read as stored trees and deparsed only if the
       -- diff shows them.
       CASE WHEN /*lazy*/false THEN i.indexprs::pg_catalog.text END AS key_exprs_tree,
       CASE WHEN /*lazy*/false THEN i.indpred::pg_catalog.text END AS predicate_tree,
       i.indexrelid AS oid,
       CASE WHEN ic.reloptions IS NOT NULL THEN
           ARRAY(SELECT o FROM pg_catalog.unnest(ic.reloptions) o ORDER BY o)
       ELSE '{}' END AS options,
       d.description AS comment
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_am am ON am.oid = ic.relam
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND d.objoid = i.indexrelid AND d.objsubid = 0
 WHERE c.relkind IN ('r', 'p', 'm')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND i.indexrelid NOT IN (SELECT pc.conindid FROM pg_catalog.pg_constraint pc
                             WHERE pc.contype IN ('p', 'u', 'x'))
   AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND e.deptype = 'e')
;
