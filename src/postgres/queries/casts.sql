-- Casts (CREATE CAST), objects of the database: read only when no schema
-- is chosen by name ($1 empty), as pg_dump --schema leaves them out. As
-- pg_dump's selectDumpableCast: not the system's (OID below
-- FirstNormalObjectId, 16384), not an extension's, and not the cast to its
-- multirange type that a range type comes with (14+). Types as format_type
-- prints them with the empty search_path (qualified), the function as
-- regprocedure does.
-- Parameters: $1 text[] only these schemas (empty: all). To try it in psql:
--   PREPARE q(text[]) AS <this query>; EXECUTE q('{}');
SELECT '(' || pg_catalog.format_type(c.castsource, NULL) || ' AS '
           || pg_catalog.format_type(c.casttarget, NULL) || ')' AS name,
       c.castmethod::text AS method,
       CASE WHEN c.castfunc <> 0 THEN c.castfunc::pg_catalog.regprocedure::text END AS function,
       c.castcontext::text AS context,
       d.description AS comment
  FROM pg_catalog.pg_cast c
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_cast'::pg_catalog.regclass
        AND d.objoid = c.oid AND d.objsubid = 0
 WHERE pg_catalog.cardinality($1::text[]) = 0
   AND c.oid >= 16384
   AND c.oid NOT IN (SELECT x.objid FROM pg_catalog.pg_depend x
                    WHERE x.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND x.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass
                      AND x.deptype = 'e')
   AND /*<140000:true*/NOT EXISTS (SELECT 1 FROM pg_catalog.pg_range r
                    WHERE r.rngtypid = c.castsource AND r.rngmultitypid = c.casttarget)/*end*/
 ORDER BY 1;
