-- The foreign part of foreign tables (CREATE FOREIGN TABLE .. SERVER ..
-- OPTIONS (..)), whose columns, constraints and the rest are read as any
-- table's (relations.sql, columns.sql, ...): one row per foreign table
-- (column NULL) with its server and options, and one per column that has
-- OPTIONS (attfdwoptions), as pg_dump's getTables and getTableAttrs read
-- them. The options as two arrays sorted by name (the values of secret
-- ones are replaced where they are read, redact::option_value). Not an
-- extension's, as relations.sql.
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave
-- these out. To try it in psql:
--   PREPARE q(text[], text[]) AS <this query>; EXECUTE q('{}', '{}');
WITH ft AS (
    SELECT ft.ftrelid, ft.ftserver, ft.ftoptions
      FROM pg_catalog.pg_foreign_table ft
      JOIN pg_catalog.pg_class c ON c.oid = ft.ftrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
       AND n.nspname !~ '^pg_(toast_)?temp_'
       AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
       AND n.nspname <> ALL ($2::text[])
       AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                          WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                            AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                            AND e.deptype = 'e')
)
SELECT ft.ftrelid AS table_oid,
       NULL::text AS column_name,
       s.srvname::text AS server,
       ARRAY(SELECT o.option_name FROM pg_catalog.pg_options_to_table(ft.ftoptions) o
              ORDER BY 1) AS option_names,
       ARRAY(SELECT o.option_value FROM pg_catalog.pg_options_to_table(ft.ftoptions) o
              ORDER BY o.option_name) AS option_values
  FROM ft
  JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver
UNION ALL
SELECT ft.ftrelid,
       a.attname::text,
       NULL,
       ARRAY(SELECT o.option_name FROM pg_catalog.pg_options_to_table(a.attfdwoptions) o
              ORDER BY 1),
       ARRAY(SELECT o.option_value FROM pg_catalog.pg_options_to_table(a.attfdwoptions) o
              ORDER BY o.option_name)
  FROM ft
  JOIN pg_catalog.pg_attribute a ON a.attrelid = ft.ftrelid
 WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attfdwoptions IS NOT NULL
 ORDER BY 1, 2 NULLS FIRST;
