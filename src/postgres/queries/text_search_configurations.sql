-- Text search configurations (CREATE TEXT SEARCH CONFIGURATION) of the
-- database's own schemas, not an extension's, as pg_dump's dumpTSConfig
-- writes them: the parser, qualified outside pg_catalog (quote_ident, as
-- the reg* types print names with an empty search_path), and the mappings
-- as one JSON object: token type (its alias, as ts_token_type names it) ->
-- the dictionaries in the order consulted, each as regdictionary prints it.
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave
-- these out, $3 bool capture the owner. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT n.nspname AS schema,
       c.cfgname AS name,
       CASE WHEN pn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(p.prsname)
            ELSE pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(p.prsname)
       END AS parser,
       (SELECT pg_catalog.jsonb_object_agg(m.token, m.dictionaries)
          FROM (SELECT t.alias AS token,
                       pg_catalog.array_agg(x.mapdict::pg_catalog.regdictionary::text
                                            ORDER BY x.mapseqno) AS dictionaries
                  FROM pg_catalog.pg_ts_config_map x
                  JOIN pg_catalog.ts_token_type(c.cfgparser) t ON t.tokid = x.maptokentype
                 WHERE x.mapcfg = c.oid
                 GROUP BY t.alias) m) AS mappings,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(c.cfgowner) END AS owner,
       NULL::text[] AS acl
  FROM pg_catalog.pg_ts_config c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace
  JOIN pg_catalog.pg_ts_parser p ON p.oid = c.cfgparser
  JOIN pg_catalog.pg_namespace pn ON pn.oid = p.prsnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_ts_config'::pg_catalog.regclass
        AND d.objoid = c.oid AND d.objsubid = 0
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_ts_config'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY n.nspname, c.cfgname;
