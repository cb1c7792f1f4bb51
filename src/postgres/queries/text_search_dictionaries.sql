-- Text search dictionaries (CREATE TEXT SEARCH DICTIONARY) of the
-- database's own schemas, not an extension's, as pg_dump's
-- dumpTSDictionary writes them: the template, qualified outside pg_catalog
-- (quote_ident, as the reg* types print names with an empty search_path),
-- and the options as PostgreSQL keeps them (dictinitoption: `name =
-- 'value', ...`, in the order given; split and sorted when decoded).
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave
-- these out, $3 bool capture the owner. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT n.nspname AS schema,
       t.dictname AS name,
       CASE WHEN tn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(m.tmplname)
            ELSE pg_catalog.quote_ident(tn.nspname) || '.' || pg_catalog.quote_ident(m.tmplname)
       END AS template,
       t.dictinitoption AS options,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(t.dictowner) END AS owner,
       NULL::text[] AS acl
  FROM pg_catalog.pg_ts_dict t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.dictnamespace
  JOIN pg_catalog.pg_ts_template m ON m.oid = t.dicttemplate
  JOIN pg_catalog.pg_namespace tn ON tn.oid = m.tmplnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_ts_dict'::pg_catalog.regclass
        AND d.objoid = t.oid AND d.objsubid = 0
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND t.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_ts_dict'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY n.nspname, t.dictname;
