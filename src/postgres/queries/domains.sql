-- Domains with base type, NOT NULL, default, collation (when not the base
-- type's) and check constraints (NOT NULL constraints, contype 'n' from
-- PostgreSQL 17, are the not_null flag). Parameters: $1 text[] only these
-- schemas (empty: all), $2 text[] leave these out, $3 bool capture owner and
-- grants. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT n.nspname AS schema,
       t.typname AS name,
       pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base_type,
       t.typnotnull AS not_null,
       pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS default_expr,
       CASE WHEN t.typcollation = bt.typcollation OR co.oid IS NULL THEN NULL
            WHEN con.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
            ELSE pg_catalog.format('%I.%I', con.nspname, co.collname)
       END AS collation,
       ARRAY(SELECT c.conname::text FROM pg_catalog.pg_constraint c
              WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS constraint_names,
       ARRAY(SELECT pg_catalog.pg_get_constraintdef(c.oid) FROM pg_catalog.pg_constraint c
              WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS constraint_definitions,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(t.typowner) END AS owner,
       CASE WHEN $3::bool AND t.typacl IS NOT NULL
                 AND NOT (t.typacl @> pg_catalog.acldefault('T', t.typowner)
                          AND t.typacl <@ pg_catalog.acldefault('T', t.typowner)) THEN ARRAY(
           SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END
                  || '=' || a.privilege_type
                  || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
             FROM pg_catalog.aclexplode(t.typacl) a ORDER BY 1)
       END AS acl
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
  LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
  LEFT JOIN pg_catalog.pg_namespace con ON con.oid = co.collnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass
        AND d.objoid = t.oid AND d.objsubid = 0
 WHERE t.typtype = 'd'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND t.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY n.nspname, t.typname;
