-- Foreign-data wrappers (CREATE FOREIGN DATA WRAPPER), objects of the
-- database: read only when no schema is chosen by name ($1 empty), as
-- pg_dump --schema leaves them out. As pg_dump's getForeignDataWrappers and
-- selectDumpableObject: every wrapper but an extension's (CREATE EXTENSION
-- postgres_fdw makes its wrapper a member). Handler and validator as
-- regproc prints them with the empty search_path (qualified); the options
-- as two arrays sorted by name (the values of secret ones are replaced
-- where they are read, redact::option_value).
-- Parameters: $1 text[] only these schemas (empty: all), $3 bool capture
-- the owner and grants (an ACL equal to the default one reads as none). To
-- try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT w.fdwname AS name,
       CASE WHEN w.fdwhandler <> 0 THEN w.fdwhandler::pg_catalog.regproc::text END AS handler,
       CASE WHEN w.fdwvalidator <> 0 THEN w.fdwvalidator::pg_catalog.regproc::text END
           AS validator,
       ARRAY(SELECT o.option_name FROM pg_catalog.pg_options_to_table(w.fdwoptions) o
              ORDER BY 1) AS option_names,
       ARRAY(SELECT o.option_value FROM pg_catalog.pg_options_to_table(w.fdwoptions) o
              ORDER BY o.option_name) AS option_values,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(w.fdwowner) END AS owner,
       CASE WHEN $3::bool AND w.fdwacl IS NOT NULL
                 AND NOT (w.fdwacl @> pg_catalog.acldefault('F', w.fdwowner)
                          AND w.fdwacl <@ pg_catalog.acldefault('F', w.fdwowner)) THEN ARRAY(
           SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END
                  || '=' || a.privilege_type
                  || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
             FROM pg_catalog.aclexplode(w.fdwacl) a ORDER BY 1)
       END AS acl
  FROM pg_catalog.pg_foreign_data_wrapper w
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass
        AND d.objoid = w.oid AND d.objsubid = 0
 WHERE pg_catalog.cardinality($1::text[]) = 0
   AND w.oid NOT IN (SELECT x.objid FROM pg_catalog.pg_depend x
                    WHERE x.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND x.classid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass
                      AND x.deptype = 'e')
 ORDER BY w.fdwname;
