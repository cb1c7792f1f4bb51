-- Conversions (CREATE [DEFAULT] CONVERSION) of the database's own schemas,
-- as pg_dump's dumpConversion writes them: not an extension's; the
-- encodings by name, the function as regproc prints it (qualified outside
-- pg_catalog).
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave
-- these out, $3 bool capture the owner. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT n.nspname AS schema,
       c.conname AS name,
       pg_catalog.pg_encoding_to_char(c.conforencoding)::text AS for_encoding,
       pg_catalog.pg_encoding_to_char(c.contoencoding)::text AS to_encoding,
       c.conproc::text AS function,
       c.condefault AS "default",
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(c.conowner) END AS owner,
       NULL::text[] AS acl
  FROM pg_catalog.pg_conversion c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_conversion'::pg_catalog.regclass
        AND d.objoid = c.oid AND d.objsubid = 0
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_conversion'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY 1, 2;
