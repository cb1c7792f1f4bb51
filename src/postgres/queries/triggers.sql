-- Triggers of tables (foreign ones too) and views. Internal triggers (those that enforce foreign
-- keys) are left out, but triggers cloned onto partitions are kept: they are
-- internal before PostgreSQL 15 and not from 15 on, so they are recognised
-- by tgparentid instead. The WHEN condition can only be deparsed through
-- pg_get_triggerdef, so that is called only for triggers that have one.
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave
-- these out. To try it in psql:
--   PREPARE q(text[], text[]) AS <this query>; EXECUTE q('{}', '{}');
SELECT t.tgrelid AS table_oid,
       t.tgname AS name,
       t.tgtype::integer AS tgtype,
       ARRAY(SELECT a.attname
               FROM pg_catalog.unnest(t.tgattr::pg_catalog.int2[]) WITH ORDINALITY u(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = u.attnum
              ORDER BY u.ord) AS columns,
       t.tgfoid::pg_catalog.regprocedure::text AS function,
       t.tgargs AS args,
       t.tgnargs::integer AS nargs,
       CASE WHEN t.tgqual IS NOT NULL AND NOT /*lazy*/false
            THEN pg_catalog.pg_get_triggerdef(t.oid, true) END AS definition,
       -- Comparing two live databases (postgres::LazyRead): the WHEN
       -- condition's stored tree, deparsed only if the diff shows it.
       CASE WHEN /*lazy*/false THEN t.tgqual::pg_catalog.text END AS when_tree,
       t.oid AS oid,
       t.tgenabled::text AS enabled,
       t.tgoldtable::text AS old_table,
       t.tgnewtable::text AS new_table,
       t.tgconstraint <> 0 AS is_constraint,
       t.tgdeferrable AS deferrable,
       t.tginitdeferred AS initially_deferred,
       d.description AS comment
  FROM pg_catalog.pg_trigger t
  JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_trigger'::pg_catalog.regclass
        AND d.objoid = t.oid AND d.objsubid = 0
 WHERE (NOT t.tgisinternal OR (t.tgparentid <> 0 AND t.tgconstraint = 0))
   AND c.relkind IN ('r', 'p', 'v', 'f')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY t.tgrelid, t.tgname;
