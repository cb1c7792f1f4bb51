-- Column defaults (and generation expressions) of the tables, views and
-- materialized views that columns.sql reads, which names their columns;
-- a row for any other relation is dropped in Rust. A default with no column
-- reference (0, now(), nextval(...)) is deparsed without its table:
-- pg_get_expr(expr, table) looks the table up (newer servers open it under
-- a brief ACCESS SHARE lock), which cost eight times the deparsing itself
-- on a 10,000-table PostgreSQL 15.
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave these
-- out. To try it in psql:
--   PREPARE q(text[], text[]) AS <this query>; EXECUTE q('{}', '{}');
SELECT ad.adrelid AS table_oid,
       ad.adnum AS position,
       pg_catalog.pg_get_expr(
           ad.adbin,
           CASE WHEN pg_catalog.strpos(ad.adbin::text, '{VAR ') = 0 THEN 0 ELSE ad.adrelid END)
       AS default_expr
  FROM pg_catalog.pg_attrdef ad
 WHERE ad.adrelid IN (
       SELECT c.oid
         FROM pg_catalog.pg_class c
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
          AND n.nspname !~ '^pg_(toast_)?temp_'
          AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
          AND n.nspname <> ALL ($2::text[])
          AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                             WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                               AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                               AND e.deptype = 'e'));
