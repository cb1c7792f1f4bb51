-- The names of the schemas that could be read, before `--schema` and
-- `--exclude-schema` (their globs are matched against these in Rust, and
-- the catalog queries get exact names): every schema except system,
-- temporary and extension-owned ones, as in schemas.sql.
SELECT n.nspname AS name
  FROM pg_catalog.pg_namespace n
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND n.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY n.nspname;
