-- Indexes of tables and materialized views, except those that implement a
-- primary key, unique or exclusion constraint (they belong to the constraint).
-- Key parts come as parallel arrays: a plain column key is its name, an
-- expression key is pg_get_indexdef(index, k, true); opclass only when not the
-- default, collation only when not the column's (or the expression type's);
-- options are the raw indoption bits (1 = DESC, 2 = NULLS FIRST).
-- Version-dependent fragments (see postgres::adapt_query): the text as it
-- stands runs on the newest PostgreSQL; each /*<NNNNNN:OLD*/NEW/*end*/ is
-- replaced by OLD on a server whose server_version_num is below NNNNNN
-- (indnullsnotdistinct exists from 15 on). Parameters: $1 text[] only these schemas (empty:
-- all), $2 text[] leave these out. To try it in psql:
--   PREPARE q(text[], text[]) AS <this query>; EXECUTE q('{}', '{}');
SELECT i.indrelid AS table_oid,
       ic.relname AS name,
       am.amname AS method,
       i.indisunique AS is_unique,
       /*<150000:false*/i.indnullsnotdistinct/*end*/ AS nulls_not_distinct,
       k.exprs AS key_exprs,
       k.opclasses AS key_opclasses,
       k.collations AS key_collations,
       k.options AS key_options,
       ARRAY(SELECT a.attname
               FROM pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY u(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum
              WHERE u.ord > i.indnkeyatts
              ORDER BY u.ord) AS include,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
       ARRAY(SELECT o FROM pg_catalog.unnest(ic.reloptions) o ORDER BY o) AS options,
       d.description AS comment
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_am am ON am.oid = ic.relam
  CROSS JOIN LATERAL (
      SELECT pg_catalog.array_agg(CASE WHEN u.attnum = 0
                                       THEN pg_catalog.pg_get_indexdef(i.indexrelid, u.ord::integer, true)
                                       ELSE ta.attname::text END ORDER BY u.ord) AS exprs,
             pg_catalog.array_agg(CASE WHEN opc.opcdefault THEN NULL
                                       WHEN opn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(opc.opcname)
                                       ELSE pg_catalog.format('%I.%I', opn.nspname, opc.opcname) END ORDER BY u.ord) AS opclasses,
             pg_catalog.array_agg(CASE WHEN u.coll = 0 OR u.coll = COALESCE(ta.attcollation, it.typcollation) THEN NULL
                                       WHEN kcn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(kc.collname)
                                       ELSE pg_catalog.format('%I.%I', kcn.nspname, kc.collname) END ORDER BY u.ord) AS collations,
             pg_catalog.array_agg(u.opt::integer ORDER BY u.ord) AS options
        FROM ROWS FROM (pg_catalog.unnest(i.indkey::pg_catalog.int2[]),
                        pg_catalog.unnest(i.indclass::pg_catalog.oid[]),
                        pg_catalog.unnest(i.indcollation::pg_catalog.oid[]),
                        pg_catalog.unnest(i.indoption::pg_catalog.int2[]))
             WITH ORDINALITY u(attnum, opclass, coll, opt, ord)
        LEFT JOIN pg_catalog.pg_attribute ta ON u.attnum > 0 AND ta.attrelid = i.indrelid AND ta.attnum = u.attnum
        LEFT JOIN pg_catalog.pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = u.ord
        LEFT JOIN pg_catalog.pg_type it ON it.oid = ia.atttypid
        LEFT JOIN pg_catalog.pg_opclass opc ON opc.oid = u.opclass
        LEFT JOIN pg_catalog.pg_namespace opn ON opn.oid = opc.opcnamespace
        LEFT JOIN pg_catalog.pg_collation kc ON kc.oid = u.coll
        LEFT JOIN pg_catalog.pg_namespace kcn ON kcn.oid = kc.collnamespace
       WHERE u.ord <= i.indnkeyatts
  ) k
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND d.objoid = i.indexrelid AND d.objsubid = 0
 WHERE c.relkind IN ('r', 'p', 'm')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint pc
                    WHERE pc.conindid = i.indexrelid AND pc.conrelid = i.indrelid
                      AND pc.contype IN ('p', 'u', 'x'))
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND e.objid = c.oid AND e.deptype = 'e')
 ORDER BY i.indrelid, ic.relname;
