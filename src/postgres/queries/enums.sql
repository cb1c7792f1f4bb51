-- Enum types with their labels in sort order. Parameters: $1 text[] only these
-- schemas (empty: all), $2 text[] leave these out, $3 bool capture owner and
-- grants. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT n.nspname AS schema,
       t.typname AS name,
       ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
              WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(t.typowner) END AS owner,
       CASE WHEN $3::bool AND t.typacl IS NOT NULL
                 AND NOT (t.typacl @> pg_catalog.acldefault('T', t.typowner)
                          AND t.typacl <@ pg_catalog.acldefault('T', t.typowner)) THEN ARRAY(
           SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END
                  || '=' || a.privilege_type
                  || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
             FROM pg_catalog.aclexplode(t.typacl) a ORDER BY 1)
       END AS acl
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass
        AND d.objoid = t.oid AND d.objsubid = 0
 WHERE t.typtype = 'e'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND t.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY n.nspname, t.typname;
