-- Extended statistics (CREATE STATISTICS) of tables (foreign ones too) and
-- materialized views, as parts: kinds in
-- PostgreSQL's order (ndistinct, dependencies, mcv; not the `e` kind an
-- expression brings along by itself), columns in the table's order (as
-- stxkeys keeps them), expressions as pg_get_statisticsobjdef_expressions
-- prints them (PostgreSQL 14+; see postgres::adapt_query), the target when
-- set (-1 up to 16, NULL from 17 for the default).
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave
-- these out (both by the table's schema), $3 bool capture the owner. To try
-- it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT s.stxrelid AS table_oid,
       s.stxname AS name,
       sn.nspname AS schema,
       ARRAY(SELECT CASE k WHEN 'd' THEN 'ndistinct' WHEN 'f' THEN 'dependencies' ELSE 'mcv' END
               FROM pg_catalog.unnest(s.stxkind) k
              WHERE k IN ('d', 'f', 'm')
              ORDER BY pg_catalog.strpos('dfm', k::text)) AS kinds,
       ARRAY(SELECT a.attname::text
               FROM pg_catalog.unnest(s.stxkeys::pg_catalog.int2[]) k
               JOIN pg_catalog.pg_attribute a ON a.attrelid = s.stxrelid AND a.attnum = k
              ORDER BY k) AS columns,
       /*<140000:'{}'::text[]*/COALESCE(pg_catalog.pg_get_statisticsobjdef_expressions(s.oid), '{}')/*end*/
           AS expressions,
       CASE WHEN s.stxstattarget >= 0 THEN s.stxstattarget::integer END AS target,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(s.stxowner) END AS owner,
       NULL::text[] AS acl
  FROM pg_catalog.pg_statistic_ext s
  JOIN pg_catalog.pg_namespace sn ON sn.oid = s.stxnamespace
  JOIN pg_catalog.pg_class c ON c.oid = s.stxrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass
        AND d.objoid = s.oid AND d.objsubid = 0
 WHERE c.relkind IN ('r', 'p', 'm', 'f')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND s.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass
                      AND e.deptype = 'e')
   AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY s.stxrelid, s.stxname;
