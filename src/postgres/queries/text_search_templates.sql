-- Text search templates (CREATE TEXT SEARCH TEMPLATE) of the database's
-- own schemas, not an extension's, as pg_dump's dumpTSTemplate writes
-- them: each function as regproc prints it with an empty search_path
-- (qualified outside pg_catalog), INIT only when there is one. A template
-- has no owner. Parameters: $1 text[] only these schemas (empty: all),
-- $2 text[] leave these out. To try it in psql:
--   PREPARE q(text[], text[]) AS <this query>; EXECUTE q('{}', '{}');
SELECT n.nspname AS schema,
       t.tmplname AS name,
       CASE WHEN t.tmplinit <> 0 THEN t.tmplinit::pg_catalog.regproc::text END AS init,
       t.tmpllexize::pg_catalog.regproc::text AS lexize,
       d.description AS comment
  FROM pg_catalog.pg_ts_template t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.tmplnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_ts_template'::pg_catalog.regclass
        AND d.objoid = t.oid AND d.objsubid = 0
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND t.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_ts_template'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY n.nspname, t.tmplname;
