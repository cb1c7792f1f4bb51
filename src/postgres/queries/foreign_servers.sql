-- Foreign servers (CREATE SERVER), objects of the database: read only when
-- no schema is chosen by name ($1 empty), as pg_dump --schema leaves them
-- out. As pg_dump's getForeignServers and selectDumpableObject: every
-- server but an extension's. The options as two arrays sorted by name (the
-- values of secret ones are replaced where they are read,
-- redact::option_value).
-- Parameters: $1 text[] only these schemas (empty: all), $3 bool capture
-- the owner and grants (an ACL equal to the default one reads as none). To
-- try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT s.srvname AS name,
       w.fdwname AS wrapper,
       s.srvtype AS server_type,
       s.srvversion AS version,
       ARRAY(SELECT o.option_name FROM pg_catalog.pg_options_to_table(s.srvoptions) o
              ORDER BY 1) AS option_names,
       ARRAY(SELECT o.option_value FROM pg_catalog.pg_options_to_table(s.srvoptions) o
              ORDER BY o.option_name) AS option_values,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(s.srvowner) END AS owner,
       CASE WHEN $3::bool AND s.srvacl IS NOT NULL
                 AND NOT (s.srvacl @> pg_catalog.acldefault('S', s.srvowner)
                          AND s.srvacl <@ pg_catalog.acldefault('S', s.srvowner)) THEN ARRAY(
           SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END
                  || '=' || a.privilege_type
                  || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
             FROM pg_catalog.aclexplode(s.srvacl) a ORDER BY 1)
       END AS acl
  FROM pg_catalog.pg_foreign_server s
  JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_foreign_server'::pg_catalog.regclass
        AND d.objoid = s.oid AND d.objsubid = 0
 WHERE pg_catalog.cardinality($1::text[]) = 0
   AND s.oid NOT IN (SELECT x.objid FROM pg_catalog.pg_depend x
                    WHERE x.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND x.classid = 'pg_catalog.pg_foreign_server'::pg_catalog.regclass
                      AND x.deptype = 'e')
 ORDER BY s.srvname;
