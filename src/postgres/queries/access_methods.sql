-- Access methods (CREATE ACCESS METHOD), objects of the database: read
-- only when no schema is chosen by name ($1 empty), as pg_dump --schema
-- leaves them out. As pg_dump's getAccessMethods and
-- selectDumpableAccessMethod: not the system's (OID below
-- FirstNormalObjectId, 16384), not an extension's. The handler as regproc
-- prints it with an empty search_path (qualified outside pg_catalog).
-- Parameters: $1 text[] only these schemas (empty: all). To try it in psql:
--   PREPARE q(text[]) AS <this query>; EXECUTE q('{}');
SELECT a.amname AS name,
       CASE a.amtype WHEN 't' THEN 'table' ELSE 'index' END AS kind,
       a.amhandler::pg_catalog.regproc::text AS handler,
       d.description AS comment
  FROM pg_catalog.pg_am a
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_am'::pg_catalog.regclass
        AND d.objoid = a.oid AND d.objsubid = 0
 WHERE pg_catalog.cardinality($1::text[]) = 0
   AND a.oid >= 16384
   AND a.oid NOT IN (SELECT x.objid FROM pg_catalog.pg_depend x
                    WHERE x.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND x.classid = 'pg_catalog.pg_am'::pg_catalog.regclass
                      AND x.deptype = 'e')
 ORDER BY a.amname;
