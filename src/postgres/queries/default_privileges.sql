-- Default privileges (ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s]
-- GRANT ... ON TABLES), read only with owners and grants ($3): one row per
-- pg_default_acl entry, its ACL exploded as relations.sql does
-- (grantee=PRIVILEGE[ WITH GRANT OPTION], sorted; an entry whose every
-- privilege is revoked has none). As pg_dump's selectDumpableDefaultACL: an
-- entry of a schema follows the schema filter (not the system's schemas);
-- a database-wide one is read only when no schema is chosen by name ($1
-- empty), as pg_dump --schema leaves them out. The key is the entry as SQL
-- names it, without quotes: `FOR ROLE app IN SCHEMA care ON TABLES`.
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave
-- these out, $3 bool privileges are compared. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
WITH d AS (
    SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS role,
           n.nspname AS schema,
           CASE d.defaclobjtype
                WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences'
                WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types'
                WHEN 'n' THEN 'schemas' WHEN 'L' THEN 'large_objects'
                ELSE d.defaclobjtype::text END AS on_kind,
           d.defaclacl
      FROM pg_catalog.pg_default_acl d
      LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
     WHERE $3::bool
       AND CASE WHEN d.defaclnamespace = 0 THEN pg_catalog.cardinality($1::text[]) = 0
                ELSE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
                 AND n.nspname !~ '^pg_(toast_)?temp_'
                 AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
                 AND n.nspname <> ALL ($2::text[]) END
)
SELECT 'FOR ROLE ' || d.role
           || COALESCE(' IN SCHEMA ' || d.schema, '')
           || ' ON ' || pg_catalog.upper(pg_catalog.replace(d.on_kind, '_', ' ')) AS name,
       d.role,
       d.schema,
       d.on_kind AS "on",
       ARRAY(SELECT CASE WHEN x.grantee = 0 THEN 'PUBLIC'
                         ELSE pg_catalog.pg_get_userbyid(x.grantee) END
                    || '=' || x.privilege_type
                    || CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
               FROM pg_catalog.aclexplode(d.defaclacl) x ORDER BY 1) AS acl
  FROM d
 ORDER BY 1;
