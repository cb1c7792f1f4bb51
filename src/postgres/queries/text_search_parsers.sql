-- Text search parsers (CREATE TEXT SEARCH PARSER) of the database's own
-- schemas, not an extension's, as pg_dump's dumpTSParser writes them: each
-- function as regproc prints it with an empty search_path (qualified
-- outside pg_catalog), HEADLINE only when there is one. A parser has no
-- owner. Parameters: $1 text[] only these schemas (empty: all), $2 text[]
-- leave these out. To try it in psql:
--   PREPARE q(text[], text[]) AS <this query>; EXECUTE q('{}', '{}');
SELECT n.nspname AS schema,
       p.prsname AS name,
       p.prsstart::pg_catalog.regproc::text AS start,
       p.prstoken::pg_catalog.regproc::text AS gettoken,
       p.prsend::pg_catalog.regproc::text AS "end",
       p.prslextype::pg_catalog.regproc::text AS lextypes,
       CASE WHEN p.prsheadline <> 0 THEN p.prsheadline::pg_catalog.regproc::text END AS headline,
       d.description AS comment
  FROM pg_catalog.pg_ts_parser p
  JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_ts_parser'::pg_catalog.regclass
        AND d.objoid = p.oid AND d.objsubid = 0
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND p.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_ts_parser'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY n.nspname, p.prsname;
