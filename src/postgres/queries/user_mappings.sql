-- User mappings (CREATE USER MAPPING) of the servers foreign_servers.sql
-- reads, as pg_dump's dumpUserMappings reads them: from the
-- pg_user_mappings view, which shows a mapping's options only to a role
-- that may see them (a superuser, the server's owner, the mapped user), so
-- a role that may not reads none, as pg_dump dumps none. `PUBLIC` for the
-- public pseudo-role. The options as two arrays sorted by name (the values
-- of secret ones, a password, are replaced where they are read,
-- redact::option_value).
-- Parameters: $1 text[] only these schemas (empty: all). To try it in psql:
--   PREPARE q(text[]) AS <this query>; EXECUTE q('{}');
SELECT u.srvname AS server,
       CASE WHEN u.umuser = 0 THEN 'PUBLIC' ELSE u.usename::text END AS role,
       ARRAY(SELECT o.option_name FROM pg_catalog.pg_options_to_table(u.umoptions) o
              ORDER BY 1) AS option_names,
       ARRAY(SELECT o.option_value FROM pg_catalog.pg_options_to_table(u.umoptions) o
              ORDER BY o.option_name) AS option_values
  FROM pg_catalog.pg_user_mappings u
 WHERE pg_catalog.cardinality($1::text[]) = 0
 ORDER BY 1, 2;
