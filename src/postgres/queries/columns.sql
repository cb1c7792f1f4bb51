-- Columns of tables, views and materialized views, in position order, with
-- defaults, identity (and its sequence's options), generation and collation.
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave these
-- out. To try it in psql:
--   PREPARE q(text[], text[]) AS <this query>; EXECUTE q('{}', '{}');
SELECT a.attrelid AS table_oid,
       a.attname AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       CASE WHEN a.atthasdef THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS default_expr,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       CASE WHEN co.oid IS NULL THEN NULL
            WHEN con.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
            ELSE pg_catalog.format('%I.%I', con.nspname, co.collname)
       END AS collation,
       pg_catalog.format_type(sq.seqtypid, NULL) AS seq_type,
       sq.seqstart AS seq_start,
       sq.seqincrement AS seq_increment,
       sq.seqmin AS seq_min,
       sq.seqmax AS seq_max,
       sq.seqcache AS seq_cache,
       sq.seqcycle AS seq_cycle,
       d.description AS comment
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
  LEFT JOIN pg_catalog.pg_namespace con ON con.oid = co.collnamespace
  LEFT JOIN (pg_catalog.pg_depend idd
             JOIN pg_catalog.pg_sequence sq ON sq.seqrelid = idd.objid)
         ON a.attidentity <> ''
        AND idd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND idd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND idd.refobjid = a.attrelid AND idd.refobjsubid = a.attnum
        AND idd.deptype = 'i'
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND d.objoid = a.attrelid AND d.objsubid = a.attnum
 WHERE a.attnum > 0 AND NOT a.attisdropped
   AND c.relkind IN ('r', 'p', 'v', 'm')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND e.objid = c.oid AND e.deptype = 'e')
 ORDER BY a.attrelid, a.attnum;
