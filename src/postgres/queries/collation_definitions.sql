-- Collations made with CREATE COLLATION in the database's own schemas, the
-- locale as pg_dump's dumpCollation writes it: `locale` for ICU and
-- builtin (an ICU locale was in collcollate before PostgreSQL 15, in
-- colliculocale in 15 and 16, in colllocale from 17: read by name from
-- the row, as the columns differ by version) and for libc when LC_COLLATE
-- and LC_CTYPE are the same, else those two. Only the collations the
-- database's encoding can use (pg_import_system_collations may add others,
-- which no column can use). ICU rules: PostgreSQL 16+ (see
-- postgres::adapt_query). Parameters: $1 text[] only these schemas (empty:
-- all), $2 text[] leave these out, $3 bool capture the owner. To try it in
-- psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT n.nspname AS schema,
       c.collname AS name,
       CASE c.collprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin'
            ELSE c.collprovider::text END AS provider,
       CASE WHEN c.collprovider = 'c' THEN
                 CASE WHEN c.collcollate = c.collctype THEN c.collcollate END
            ELSE COALESCE(pg_catalog.to_jsonb(c) ->> 'colllocale',
                          pg_catalog.to_jsonb(c) ->> 'colliculocale',
                          c.collcollate::text)
       END AS locale,
       CASE WHEN c.collprovider = 'c' AND c.collcollate <> c.collctype
            THEN c.collcollate END AS lc_collate,
       CASE WHEN c.collprovider = 'c' AND c.collcollate <> c.collctype
            THEN c.collctype END AS lc_ctype,
       c.collisdeterministic AS deterministic,
       /*<160000:NULL::text*/c.collicurules/*end*/ AS rules,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(c.collowner) END AS owner,
       NULL::text[] AS acl
  FROM pg_catalog.pg_collation c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_collation'::pg_catalog.regclass
        AND d.objoid = c.oid AND d.objsubid = 0
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND c.collencoding IN (-1, (SELECT d.encoding FROM pg_catalog.pg_database d
                                WHERE d.datname = pg_catalog.current_database()))
   AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_collation'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY n.nspname, c.collname;
