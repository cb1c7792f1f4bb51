-- Procedural languages (CREATE LANGUAGE), objects of the database: read
-- only when no schema is chosen by name ($1 empty), as pg_dump --schema
-- leaves them out. As pg_dump's getProcLangs and selectDumpableProcLang:
-- lanispl, not the system's (OID below FirstNormalObjectId, 16384: sql, c,
-- internal), not an extension's (plpgsql is one). The handler, inline and
-- validator functions as regproc prints them with an empty search_path
-- (qualified outside pg_catalog). The grants only of a trusted language,
-- as dumpProcLang writes them (an untrusted one has none to give; one
-- made untrusted by CREATE OR REPLACE keeps its old ACL, which pg_dump
-- leaves out).
-- Parameters: $1 text[] only these schemas (empty: all), $3 bool capture
-- the owner and grants (an ACL equal to the default one reads as none). To
-- try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT l.lanname AS name,
       l.lanpltrusted AS trusted,
       l.lanplcallfoid::pg_catalog.regproc::text AS handler,
       CASE WHEN l.laninline <> 0 THEN l.laninline::pg_catalog.regproc::text END AS inline,
       CASE WHEN l.lanvalidator <> 0 THEN l.lanvalidator::pg_catalog.regproc::text END
           AS validator,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(l.lanowner) END AS owner,
       CASE WHEN $3::bool AND l.lanpltrusted AND l.lanacl IS NOT NULL
                 AND NOT (l.lanacl @> pg_catalog.acldefault('l', l.lanowner)
                          AND l.lanacl <@ pg_catalog.acldefault('l', l.lanowner)) THEN ARRAY(
           SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END
                  || '=' || a.privilege_type
                  || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
             FROM pg_catalog.aclexplode(l.lanacl) a ORDER BY 1)
       END AS acl
  FROM pg_catalog.pg_language l
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_language'::pg_catalog.regclass
        AND d.objoid = l.oid AND d.objsubid = 0
 WHERE pg_catalog.cardinality($1::text[]) = 0
   AND l.lanispl
   AND l.oid >= 16384
   AND l.oid NOT IN (SELECT x.objid FROM pg_catalog.pg_depend x
                    WHERE x.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND x.classid = 'pg_catalog.pg_language'::pg_catalog.regclass
                      AND x.deptype = 'e')
 ORDER BY l.lanname;
