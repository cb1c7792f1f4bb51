-- Column grants (GRANT SELECT (col) ON ...) of tables (foreign ones too),
-- views and materialized views, read only with owners and grants ($3): one
-- row per column whose ACL is not empty (a column has no privileges by
-- default, so an empty ACL is none), the ACL exploded as relations.sql does
-- (grantee=PRIVILEGE[ WITH GRANT OPTION], sorted).
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave
-- these out, $3 bool privileges are compared. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT a.attrelid AS table_oid,
       a.attnum AS position,
       ARRAY(SELECT CASE WHEN x.grantee = 0 THEN 'PUBLIC'
                         ELSE pg_catalog.pg_get_userbyid(x.grantee) END
                    || '=' || x.privilege_type
                    || CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
               FROM pg_catalog.aclexplode(a.attacl) x ORDER BY 1) AS acl
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE $3::bool
   AND a.attacl IS NOT NULL AND pg_catalog.cardinality(a.attacl) > 0
   AND a.attnum > 0 AND NOT a.attisdropped
   AND c.relkind IN ('r', 'p', 'f', 'v', 'm')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
 ORDER BY 1, 2;
