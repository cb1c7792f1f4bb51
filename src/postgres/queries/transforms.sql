-- Transforms (CREATE TRANSFORM), objects of the database: read only when
-- no schema is chosen by name ($1 empty), as pg_dump --schema leaves them
-- out. As pg_dump's getTransforms and selectDumpableObject: every one
-- that is not an extension's (PostgreSQL has none of its own). Keyed by
-- the type (format_type with an empty search_path: qualified outside
-- pg_catalog) and the language; the FROM SQL and TO SQL functions as
-- regprocedure prints them (qualified, with their argument types).
-- Parameters: $1 text[] only these schemas (empty: all). To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT pg_catalog.format_type(t.trftype, NULL) AS type,
       l.lanname AS language,
       CASE WHEN t.trffromsql <> 0 THEN t.trffromsql::pg_catalog.regprocedure::text END
           AS from_sql,
       CASE WHEN t.trftosql <> 0 THEN t.trftosql::pg_catalog.regprocedure::text END AS to_sql,
       d.description AS comment
  FROM pg_catalog.pg_transform t
  JOIN pg_catalog.pg_language l ON l.oid = t.trflang
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_transform'::pg_catalog.regclass
        AND d.objoid = t.oid AND d.objsubid = 0
 WHERE pg_catalog.cardinality($1::text[]) = 0
   AND t.oid NOT IN (SELECT x.objid FROM pg_catalog.pg_depend x
                    WHERE x.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND x.classid = 'pg_catalog.pg_transform'::pg_catalog.regclass
                      AND x.deptype = 'e')
 ORDER BY 1, 2;
