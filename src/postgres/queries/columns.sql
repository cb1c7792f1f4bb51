-- Columns of tables, views and materialized views, with defaults, identity,
-- generation and collation. attnum and
-- attcollation also name the keys of indexes.sql and constraints.sql.
-- Rows come in no particular order (Rust sorts them by table and attnum).
-- What keeps it fast on a big catalog:
--   - a default with no column reference (0, now(), nextval(...)) is
--     deparsed without its table: pg_get_expr(expr, table) looks the table
--     up (newer servers open it under a brief ACCESS SHARE lock), which cost
--     eight times the deparsing itself on a 10,000-table PostgreSQL 15;
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
WITH cols AS (
    SELECT a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull,
           a.atthasdef, a.attidentity, a.attgenerated, a.attcollation, t.typcollation
      FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
     WHERE a.attnum > 0 AND NOT a.attisdropped
       AND c.relkind IN ('r', 'p', 'v', 'm')
       AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
       AND n.nspname !~ '^pg_(toast_)?temp_'
       AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
       AND n.nspname <> ALL ($2::text[])
       AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                          WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                            AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                            AND e.deptype = 'e')
)
SELECT a.attrelid AS table_oid,
       a.attnum AS position,
       a.attname AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       CASE WHEN a.atthasdef THEN pg_catalog.pg_get_expr(
           ad.adbin,
           CASE WHEN pg_catalog.strpos(ad.adbin::text, '{VAR ') = 0 THEN 0 ELSE ad.adrelid END)
       END AS default_expr,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       a.attcollation AS collation_oid,
       a.typcollation AS type_collation_oid,
       d.description AS comment
  FROM cols a
  LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN (SELECT objoid, objsubid, description
               FROM pg_catalog.pg_description
              WHERE classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND objsubid > 0) d
         ON d.objoid = a.attrelid AND d.objsubid = a.attnum;
