-- Rules (CREATE RULE) of tables and views; not a view's own _RETURN rule,
-- which is the view. pg_get_ruledef prints the whole statement.
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave
-- these out. To try it in psql:
--   PREPARE q(text[], text[]) AS <this query>; EXECUTE q('{}', '{}');
SELECT r.ev_class AS table_oid,
       r.rulename AS name,
       pg_catalog.pg_get_ruledef(r.oid, true) AS definition,
       r.ev_enabled::text AS enabled,
       d.description AS comment
  FROM pg_catalog.pg_rewrite r
  JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
        AND d.objoid = r.oid AND d.objsubid = 0
 WHERE r.rulename <> '_RETURN'
   AND c.relkind IN ('r', 'p', 'v')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY r.ev_class, r.rulename;
