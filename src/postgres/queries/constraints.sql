-- Table constraints: primary key, unique, check, exclusion and foreign key.
-- NOT NULL constraints (contype 'n', PostgreSQL 18) are left out: nullability
-- is a column attribute. Version-dependent fragments are written as in
-- indexes.sql (see postgres::adapt_query). The key columns come as column
-- numbers, named in Rust from the rows of columns.sql (a subquery per
-- constraint costs more than the whole rest of the query). Rows come in no
-- particular order. Rust plans it with hash joins only (enable_nestloop off,
-- see postgres::Query::hash_joins): on 10,000 tables, 84,000 index probes
-- of pg_index and pg_class cost 0.1 s more than hashing both.
-- Parameters: $1 text[] only these schemas (empty:
-- all), $2 text[] leave these out. To try it in psql:
--   PREPARE q(text[], text[]) AS <this query>; EXECUTE q('{}', '{}');
SELECT con.conrelid AS table_oid,
       con.conname AS name,
       con.contype::text AS kind,
       -- pg_get_constraintdef costs as much as the rest of the query: the
       -- plain keys and foreign keys, which are most of them, are written
       -- in Rust instead (postgres::decode::constraint_definition) with
       -- the very same text; NULL here means that.
       CASE WHEN con.contype = 'c' AND /*lazy*/false AND /*<180000:true*/con.conenforced/*end*/
            THEN NULL
            WHEN con.contype IN ('p', 'u')
                 AND ci.indnatts = ci.indnkeyatts
                 AND NOT /*<150000:false*/ci.indnullsnotdistinct/*end*/
                 AND NOT /*<180000:false*/con.conperiod/*end*/
              OR con.contype = 'f'
                 AND fn.nspname <> 'pg_catalog'
                 AND /*<150000:true*/con.confdelsetcols IS NULL/*end*/
                 AND NOT /*<180000:false*/con.conperiod/*end*/
                 AND /*<180000:true*/con.conenforced/*end*/
            THEN NULL
            ELSE pg_catalog.pg_get_constraintdef(con.oid)
       END AS definition,
       -- Comparing two live databases (postgres::LazyRead), a CHECK is
       -- read as its stored tree and deparsed only if the diff shows it.
       CASE WHEN con.contype = 'c' AND /*lazy*/false AND /*<180000:true*/con.conenforced/*end*/
            THEN con.conbin::pg_catalog.text
       END AS tree,
       con.oid AS oid,
       CASE WHEN con.contype = 'c' THEN '{}' ELSE con.conkey END AS attnums,
       con.condeferrable AS deferrable,
       con.condeferred AS initially_deferred,
       con.convalidated AS validated,
       con.connoinherit AS no_inherit,
       CASE WHEN con.contype = 'f' THEN pg_catalog.format('%I.%I', fn.nspname, fc.relname) END AS fk_references,
       con.confrelid AS fk_table_oid,
       CASE WHEN con.contype = 'f' THEN con.confkey ELSE '{}' END AS fk_attnums,
       -- The referenced columns are named in Rust from the rows of
       -- columns.sql, except when the referenced table is not read (another
       -- schema, or an extension's): then here.
       CASE WHEN con.contype = 'f' AND (
                fn.nspname IN ('pg_catalog', 'information_schema', 'pg_toast')
                OR fn.nspname ~ '^pg_(toast_)?temp_'
                OR NOT (pg_catalog.cardinality($1::text[]) = 0 OR fn.nspname = ANY ($1::text[]))
                OR fn.nspname = ANY ($2::text[])
                OR fc.oid IN (SELECT e.objid FROM pg_catalog.pg_depend e
                               WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                                 AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                 AND e.deptype = 'e'))
            THEN ARRAY(
           SELECT a.attname
             FROM pg_catalog.unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
            ORDER BY k.ord)
       END AS fk_columns_elsewhere,
       con.confupdtype::text AS on_update,
       con.confdeltype::text AS on_delete,
       con.confmatchtype::text AS match_type,
       d.description AS comment
  FROM pg_catalog.pg_constraint con
  JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_index ci ON ci.indexrelid = con.conindid AND con.contype IN ('p', 'u')
  LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
  LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass
        AND d.objoid = con.oid AND d.objsubid = 0
 WHERE con.contype IN ('p', 'u', 'c', 'x', 'f')
   AND c.relkind IN ('r', 'p', 'f')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND e.deptype = 'e')
;
