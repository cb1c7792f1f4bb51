-- What the model does not compare, counted so that reports can say so
-- ("not compared: 2 column compressions, 1 index statistics target") instead of staying silent.
-- One row per (schema, kind) with a count above zero; `schema` is NULL for
-- the objects that belong to the database rather than to a schema (casts,
-- subscriptions, ...), which are counted only when no
-- schema is selected by name ($1 empty), as pg_dump --schema leaves them
-- out. The checklist is pg_dump.c's getXxx functions: every object kind it
-- dumps for the database's own schemas (not extension members, not system
-- schemas), and the per-table, per-column and per-function settings it
-- writes that the model has no field for (collations are in the model,
-- collation_definitions.sql, operators, operators.sql, operator classes
-- and families, operator_classes.sql and operator_families.sql, aggregates,
-- functions.sql, conversions, conversions.sql, and text search objects, text_search_*.sql; a table's access method,
-- replica identity, CLUSTER ON and column settings, a function's COST,
-- ROWS and SUPPORT, a table's extended statistics, an index's statistics
-- targets, default privileges, foreign tables are in the model; so are
-- column grants, column_grants.sql). Version-dependent fragments: see
-- postgres::adapt_query.
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave
-- these out, $3 bool privileges are compared. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
WITH ns AS (
    SELECT n.oid, n.nspname
      FROM pg_catalog.pg_namespace n
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
       AND n.nspname !~ '^pg_(toast_)?temp_'
       AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
       AND n.nspname <> ALL ($2::text[])
       AND n.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                          WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                            AND e.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
                            AND e.deptype = 'e')
),
-- Objects that belong to an extension, by catalog.
ext AS (
    SELECT e.classid, e.objid
      FROM pg_catalog.pg_depend e
     WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
       AND e.deptype = 'e'
),
-- Each extension member's ACL and the one the extension gave it
-- (pg_init_privs), both as PostgreSQL's default when unset: objects of every
-- catalog that has grants, and the columns of an extension's relations
-- that have grants of their own. Read only with privileges ($3).
ext_acl (acl, init) AS (
    SELECT COALESCE(m.acl, m.def), COALESCE(ip.initprivs, m.def)
      FROM (
            SELECT e.classid, e.objid, 0 AS subid, c.relacl AS acl,
                   pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char",
                                         c.relowner) AS def
              FROM ext e JOIN pg_catalog.pg_class c ON c.oid = e.objid
             WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
            UNION ALL
            SELECT e.classid, e.objid, a.attnum, a.attacl, '{}'::pg_catalog.aclitem[]
              FROM ext e JOIN pg_catalog.pg_attribute a ON a.attrelid = e.objid
             WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
               AND a.attnum > 0 AND NOT a.attisdropped
            UNION ALL
            SELECT e.classid, e.objid, 0, p.proacl, pg_catalog.acldefault('f', p.proowner)
              FROM ext e JOIN pg_catalog.pg_proc p ON p.oid = e.objid
             WHERE e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
            UNION ALL
            SELECT e.classid, e.objid, 0, t.typacl, pg_catalog.acldefault('T', t.typowner)
              FROM ext e JOIN pg_catalog.pg_type t ON t.oid = e.objid
             WHERE e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
            UNION ALL
            SELECT e.classid, e.objid, 0, n.nspacl, pg_catalog.acldefault('n', n.nspowner)
              FROM ext e JOIN pg_catalog.pg_namespace n ON n.oid = e.objid
             WHERE e.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
            UNION ALL
            SELECT e.classid, e.objid, 0, l.lanacl, pg_catalog.acldefault('l', l.lanowner)
              FROM ext e JOIN pg_catalog.pg_language l ON l.oid = e.objid
             WHERE e.classid = 'pg_catalog.pg_language'::pg_catalog.regclass
            UNION ALL
            SELECT e.classid, e.objid, 0, w.fdwacl, pg_catalog.acldefault('F', w.fdwowner)
              FROM ext e JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = e.objid
             WHERE e.classid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass
            UNION ALL
            SELECT e.classid, e.objid, 0, v.srvacl, pg_catalog.acldefault('S', v.srvowner)
              FROM ext e JOIN pg_catalog.pg_foreign_server v ON v.oid = e.objid
             WHERE e.classid = 'pg_catalog.pg_foreign_server'::pg_catalog.regclass
           ) m
      LEFT JOIN pg_catalog.pg_init_privs ip
             ON ip.classoid = m.classid AND ip.objoid = m.objid AND ip.objsubid = m.subid
     WHERE $3::bool
),
-- The database's own tables, views, materialized views and foreign tables.
rel AS (
    SELECT c.oid, c.relnamespace, c.relkind, c.reloftype
      FROM pg_catalog.pg_class c
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
       AND c.relnamespace IN (SELECT oid FROM ns)
       AND NOT EXISTS (SELECT 1 FROM ext
                        WHERE ext.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                          AND ext.objid = c.oid)
),
-- The columns of foreign tables, for their compression: every other
-- column setting is in the model (columns.sql), and leaving the other
-- relations' columns out keeps this query cheap on databases of many tables.
col AS (
    SELECT c.relnamespace, /*<140000:''*/a.attcompression::text/*end*/ AS compression
      FROM rel c
      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
     WHERE c.relkind = 'f' AND a.attnum > 0 AND NOT a.attisdropped
),
-- Objects the model has no kind for: (catalog, OID, schema or NULL for
-- the database, kind). (Access methods, procedural languages and
-- transforms are in the model, access_methods.sql, languages.sql and
-- transforms.sql.)
obj (classid, oid, nsp, kind) AS (
    -- (Rules of tables and views are in the model, rules.sql; PostgreSQL
    -- refuses rules on materialized views and foreign tables. Foreign
    -- tables are in the model, relations.sql and foreign_tables.sql.
    -- Extended statistics are in the model, statistics.sql: PostgreSQL
    -- makes them on tables, foreign tables and materialized views only.)
    -- (Range types, base types and shell types are in the model,
    -- range_types.sql and base_types.sql.)
    -- Subscriptions are in the model (subscriptions.sql), when the role
    -- may read their connection strings: else they are counted. (By its
    -- database alone: before PostgreSQL 14 a role that is not a superuser
    -- may not read a subscription's OID.)
    SELECT 'pg_catalog.pg_subscription'::pg_catalog.regclass, NULL::pg_catalog.oid,
           NULL::pg_catalog.oid, 'subscription'
      FROM pg_catalog.pg_subscription o
     WHERE o.subdbid = (SELECT d.oid FROM pg_catalog.pg_database d
                         WHERE d.datname = pg_catalog.current_database())
       AND NOT pg_catalog.has_column_privilege('pg_catalog.pg_subscription',
                                               'subconninfo', 'SELECT')
    -- (Security labels are in the model, security_labels.sql.)
),
counted (nsp, kind, n) AS (
    -- Objects in the database's own schemas, or in none; not an extension's.
    SELECT o.nsp, o.kind, pg_catalog.count(*)
      FROM obj o
     WHERE (o.nsp IS NULL OR o.nsp IN (SELECT oid FROM ns))
       AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = o.classid AND ext.objid = o.oid)
     GROUP BY 1, 2
    UNION ALL
    -- (CLUSTER ON of tables and materialized views is in the model,
    -- relations.sql; partitioned tables and the others cannot have it.)
    -- ALTER INDEX ... ALTER COLUMN n SET STATISTICS on the index of a
    -- constraint (an index's own are in the model, indexes.sql). Only an
    -- exclusion constraint's expression key takes one, and pg_dump does
    -- not dump it (dumpConstraint writes none; checked with pg_dump 15 and
    -- 18): compared, a dump-restored copy would differ from its original,
    -- so it is counted and never compared.
    SELECT c.relnamespace, 'index_statistics_target', pg_catalog.count(*)
      FROM rel c
      JOIN pg_catalog.pg_index i ON i.indrelid = c.oid
      JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indexrelid
     WHERE a.attstattarget IS NOT NULL AND a.attstattarget >= 0
       AND i.indexrelid IN (SELECT pc.conindid FROM pg_catalog.pg_constraint pc
                             WHERE pc.contype IN ('p', 'u', 'x'))
     GROUP BY 1
    UNION ALL
    -- Settings of columns the model has no field for: those of tables,
    -- foreign tables and materialized views are in the model (columns.sql)
    -- but a foreign table's compression: it stores no rows, and
    -- PostgreSQL refuses SET COMPRESSION on one (pg_dump writes one that
    -- its restore then refuses).
    SELECT c.relnamespace, 'column_compression', pg_catalog.count(*)
      FROM col c WHERE c.compression <> '' GROUP BY 1
    UNION ALL
    -- With privileges: the grants of an extension's objects changed since
    -- the extension made them (`REVOKE USAGE ON LANGUAGE plpgsql FROM
    -- PUBLIC`, `GRANT SELECT ON pg_stat_statements TO monitor`, `REVOKE
    -- EXECUTE ON FUNCTION ... FROM PUBLIC`). pg_dump dumps them against
    -- pg_init_privs (checkExtensionMembership keeps an extension member's
    -- ACL, dumpACL writes what differs from its initial privileges); the
    -- model holds the database's own objects only. One per object (a
    -- column's own).
    SELECT NULL::pg_catalog.oid, 'extension_member_grant', pg_catalog.count(*)
      FROM ext_acl x
     WHERE $3::bool
       AND NOT (x.acl @> x.init AND x.acl <@ x.init)
    -- (Column grants and default privileges are in the model,
    -- column_grants.sql and default_privileges.sql.)
)
SELECT ns.nspname AS schema, c.kind, c.n AS count
  FROM counted c
  LEFT JOIN ns ON ns.oid = c.nsp
 WHERE c.n > 0
   AND (c.nsp IS NOT NULL OR pg_catalog.cardinality($1::text[]) = 0)
 ORDER BY 1 NULLS FIRST, 2;
