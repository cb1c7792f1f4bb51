-- Tables (ordinary, partitioned, partitions, foreign), views and materialized
-- views (a foreign table's server and options: foreign_tables.sql).
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave these
-- out, $3 bool capture owner and grants (an ACL equal to the
-- default is reported as none, as a NULL one). To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT c.oid,
       n.nspname AS schema,
       c.relname AS name,
       c.relkind::text AS kind,
       c.relpersistence::text AS persistence,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relispartition THEN inh.parents[1] END AS partition_parent,
       -- A bound holds no column reference: deparsed without the table,
       -- which pg_get_expr would otherwise look up (see column_defaults.sql).
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, 0) END AS partition_bound,
       CASE WHEN c.relkind IN ('r', 'f') AND NOT c.relispartition
            THEN COALESCE(inh.parents, '{}') ELSE '{}' END AS inherits,
       -- A typed table's composite type (CREATE TABLE t OF type).
       CASE WHEN c.reloftype <> 0 THEN c.reloftype::pg_catalog.regtype::text END AS of_type,
       -- Storage parameters, with those of the TOAST table as
       -- toast.<name> (as CREATE TABLE .. WITH and ALTER TABLE .. SET take
       -- them, and pg_dump writes them), sorted.
       CASE WHEN c.reloptions IS NULL AND tc.reloptions IS NULL THEN '{}'
            ELSE ARRAY(SELECT o FROM (SELECT pg_catalog.unnest(c.reloptions)
                                      UNION ALL
                                      SELECT 'toast.' || pg_catalog.unnest(tc.reloptions)) x(o)
                        ORDER BY o) END AS options,
       -- The access method of a table or materialized view, unless heap
       -- (a partitioned table has none unless given one, PostgreSQL 17+).
       NULLIF(am.amname::text, 'heap') AS access_method,
       cl.index_name AS clustered_on,
       -- REPLICA IDENTITY of a table, unless the default; USING INDEX by
       -- the index's name (an index dropped since leaves the default, as
       -- pg_dump writes it with the index).
       CASE WHEN c.relkind IN ('r', 'p') THEN
            CASE c.relreplident
                 WHEN 'f' THEN 'full'
                 WHEN 'n' THEN 'nothing'
                 WHEN 'i' THEN (SELECT 'using index ' || ic.relname
                                  FROM pg_catalog.pg_index ri
                                  JOIN pg_catalog.pg_class ic ON ic.oid = ri.indexrelid
                                 WHERE ri.indrelid = c.oid AND ri.indisreplident)
            END
       END AS replica_identity,
       CASE WHEN c.relkind IN ('v', 'm') AND NOT /*lazy*/false
            THEN pg_catalog.pg_get_viewdef(c.oid, true) END AS definition,
       -- Comparing two live databases (postgres::LazyRead): the query's
       -- stored tree, deparsed only if the diff shows it.
       CASE WHEN c.relkind IN ('v', 'm') AND /*lazy*/false
            THEN (SELECT r.ev_action::pg_catalog.text FROM pg_catalog.pg_rewrite r
                   WHERE r.ev_class = c.oid AND r.rulename = '_RETURN') END AS definition_tree,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(c.relowner) END AS owner,
       CASE WHEN $3::bool AND c.relacl IS NOT NULL
                 AND NOT (c.relacl @> pg_catalog.acldefault('r', c.relowner)
                          AND c.relacl <@ pg_catalog.acldefault('r', c.relowner)) THEN ARRAY(
           SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END
                  || '=' || a.privilege_type
                  || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
             FROM pg_catalog.aclexplode(c.relacl) a ORDER BY 1)
       END AS acl
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  -- Parents, in order, of every relation that has any: one pass over
  -- pg_inherits, not a subquery per table.
  LEFT JOIN (SELECT i.inhrelid,
                    pg_catalog.array_agg(pg_catalog.format('%I.%I', pn.nspname, pc.relname)
                                         ORDER BY i.inhseqno) AS parents
               FROM pg_catalog.pg_inherits i
               JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
               JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
              GROUP BY i.inhrelid) inh ON inh.inhrelid = c.oid
  LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam AND c.relkind IN ('r', 'p', 'm')
  -- The TOAST table of a table or materialized view, for its options.
  LEFT JOIN pg_catalog.pg_class tc ON tc.oid = c.reltoastrelid AND c.reltoastrelid <> 0
  -- The index each clustered table or materialized view is clustered on.
  LEFT JOIN (SELECT ci.indrelid, ic.relname AS index_name
               FROM pg_catalog.pg_index ci
               JOIN pg_catalog.pg_class ic ON ic.oid = ci.indexrelid
              WHERE ci.indisclustered) cl
         ON cl.indrelid = c.oid AND c.relkind IN ('r', 'm')
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND d.objoid = c.oid AND d.objsubid = 0
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY n.nspname, c.relname;
