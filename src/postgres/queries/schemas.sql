-- Schemas (namespaces), leaving out system, temporary and extension-owned ones.
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave these
-- out, $3 bool capture owner and grants (an ACL equal to the
-- default is reported as none, as a NULL one). To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT n.nspname AS name,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(n.nspowner) END AS owner,
       CASE WHEN $3::bool AND n.nspacl IS NOT NULL
                 AND NOT (n.nspacl @> pg_catalog.acldefault('n', n.nspowner)
                          AND n.nspacl <@ pg_catalog.acldefault('n', n.nspowner)) THEN ARRAY(
           SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END
                  || '=' || a.privilege_type
                  || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
             FROM pg_catalog.aclexplode(n.nspacl) a ORDER BY 1)
       END AS acl
  FROM pg_catalog.pg_namespace n
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
        AND d.objoid = n.oid AND d.objsubid = 0
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND n.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY n.nspname;
