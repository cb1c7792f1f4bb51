-- Installed extensions (database-wide; not filtered by schema), with the
-- version CREATE EXTENSION would install on this server (the control file's
-- default_version; NULL if the file is gone).
SELECT e.extname AS name,
       e.extversion AS version,
       n.nspname AS schema,
       a.default_version
  FROM pg_catalog.pg_extension e
  JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
  LEFT JOIN pg_catalog.pg_available_extensions a ON a.name = e.extname
 ORDER BY e.extname;
