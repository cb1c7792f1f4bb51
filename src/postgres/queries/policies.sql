-- Row-level security policies. Parameters: $1 text[] only these schemas
-- (empty: all), $2 text[] leave these out. To try it in psql:
--   PREPARE q(text[], text[]) AS <this query>; EXECUTE q('{}', '{}');
SELECT p.polrelid AS table_oid,
       p.polname AS name,
       p.polcmd::text AS command,
       p.polpermissive AS permissive,
       ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r)::text END
               FROM pg_catalog.unnest(p.polroles) r ORDER BY 1) AS roles,
       CASE WHEN NOT /*lazy*/false THEN pg_catalog.pg_get_expr(p.polqual, p.polrelid) END AS using_expr,
       CASE WHEN NOT /*lazy*/false THEN pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) END AS with_check,
       -- Comparing two live databases (postgres::LazyRead): stored trees,
       -- deparsed only if the diff shows them.
       CASE WHEN /*lazy*/false THEN p.polqual::pg_catalog.text END AS using_tree,
       CASE WHEN /*lazy*/false THEN p.polwithcheck::pg_catalog.text END AS with_check_tree,
       p.oid AS oid,
       d.description AS comment
  FROM pg_catalog.pg_policy p
  JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_policy'::pg_catalog.regclass
        AND d.objoid = p.oid AND d.objsubid = 0
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY p.polrelid, p.polname;
