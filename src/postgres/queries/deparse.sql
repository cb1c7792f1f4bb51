-- The text of what a lazy read (postgres::LazyRead) left as trees, run in
-- the transaction that read them. One row per object:
--   kind 0, a constraint: pg_get_constraintdef;
--   kind 1, an index: each key's expression (NULL for a column), then the
--     predicate, as indexes.sql deparses them;
--   kind 2, a trigger: pg_get_triggerdef (its WHEN is cut out in Rust);
--   kind 3, a policy: USING, then WITH CHECK;
--   kind 4, a view or materialized view: pg_get_viewdef.
-- Parameters: the OIDs of each kind, $1 constraints, $2 indexes, $3
-- triggers, $4 policies, $5 views.
SELECT 0 AS kind, con.oid AS oid,
       ARRAY[pg_catalog.pg_get_constraintdef(con.oid)] AS texts
  FROM pg_catalog.pg_constraint con
 WHERE con.oid = ANY ($1::pg_catalog.oid[])
UNION ALL
SELECT 1, i.indexrelid,
       ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0
                         THEN pg_catalog.pg_get_indexdef(i.indexrelid, k, true) END
               FROM pg_catalog.generate_series(1, i.indnkeyatts::integer) k
              ORDER BY k)
       || pg_catalog.pg_get_expr(i.indpred, i.indrelid)
  FROM pg_catalog.pg_index i
 WHERE i.indexrelid = ANY ($2::pg_catalog.oid[])
UNION ALL
SELECT 2, t.oid, ARRAY[pg_catalog.pg_get_triggerdef(t.oid, true)]
  FROM pg_catalog.pg_trigger t
 WHERE t.oid = ANY ($3::pg_catalog.oid[])
UNION ALL
SELECT 3, p.oid,
       ARRAY[pg_catalog.pg_get_expr(p.polqual, p.polrelid),
             pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)]
  FROM pg_catalog.pg_policy p
 WHERE p.oid = ANY ($4::pg_catalog.oid[])
UNION ALL
SELECT 4, c.oid, ARRAY[pg_catalog.pg_get_viewdef(c.oid, true)]
  FROM pg_catalog.pg_class c
 WHERE c.oid = ANY ($5::pg_catalog.oid[]);
