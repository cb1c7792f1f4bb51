-- Event triggers (CREATE EVENT TRIGGER), objects of the database: read
-- only when no schema is chosen by name ($1 empty), as pg_dump --schema
-- leaves them out; not an extension's. The function is printed as
-- regprocedure does with an empty search_path (schema-qualified), the
-- tags (which PostgreSQL keeps in upper case) sorted.
-- Parameters: $1 text[] only these schemas (empty: all), $3 bool capture
-- the owner. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT e.evtname AS name,
       e.evtevent AS event,
       ARRAY(SELECT t FROM pg_catalog.unnest(e.evttags) AS t ORDER BY 1) AS tags,
       e.evtfoid::pg_catalog.regprocedure::text AS function,
       e.evtenabled::text AS enabled,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(e.evtowner) END AS owner,
       NULL::text[] AS acl
  FROM pg_catalog.pg_event_trigger e
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass
        AND d.objoid = e.oid AND d.objsubid = 0
 WHERE pg_catalog.cardinality($1::text[]) = 0
   AND e.oid NOT IN (SELECT x.objid FROM pg_catalog.pg_depend x
                    WHERE x.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND x.classid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass
                      AND x.deptype = 'e')
 ORDER BY e.evtname;
