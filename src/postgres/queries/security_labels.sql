-- Security labels (SECURITY LABEL FOR provider ON ... IS '...'), as pg_dump
-- dumps them (collectSecLabels, dumpSecLabel, dumpTableSecLabel): those of
-- the objects it dumps, each named as SECURITY LABEL names it (`TABLE
-- app.t`, `COLUMN app.t.c`, `FUNCTION app.f(integer, text)`, `SCHEMA app`),
-- identifiers quoted as quote_ident quotes them and argument types as
-- oidvectortypes prints them with an empty search_path, as the model keys
-- functions. `schema` is the schema the object is in (a schema's own label
-- goes with it), NULL for the objects of the database (languages, event
-- triggers, publications), which are read only when no schema is chosen by
-- name ($1 empty). Left out, as pg_dump leaves them out: the objects of
-- extensions and of the system, the columns of composite types, index and
-- table row types, multirange and array types, a range type's constructor
-- functions; those of roles, databases and tablespaces are not the
-- database's schema. A subscription's are read with it (subscriptions.sql),
-- since its catalog is shared (pg_shseclabel).
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave
-- these out. To try it in psql:
--   PREPARE q(text[], text[]) AS <this query>; EXECUTE q('{}', '{}');
WITH ns AS (
    SELECT n.oid, n.nspname
      FROM pg_catalog.pg_namespace n
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
       AND n.nspname !~ '^pg_(toast_)?temp_'
       AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
       AND n.nspname <> ALL ($2::text[])
),
ext AS (
    SELECT e.classid, e.objid
      FROM pg_catalog.pg_depend e
     WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
       AND e.deptype = 'e'
),
labelled (schema, target, provider, label, classid, objid) AS (
    SELECT ns.nspname, 'SCHEMA ' || pg_catalog.quote_ident(ns.nspname),
           l.provider, l.label, l.classoid, l.objoid
      FROM pg_catalog.pg_seclabel l
      JOIN ns ON l.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND l.objoid = ns.oid
    UNION ALL
    -- Tables, views, materialized views, sequences, foreign tables, and the
    -- columns of all but sequences.
    SELECT ns.nspname,
           CASE WHEN l.objsubid <> 0 THEN 'COLUMN'
                WHEN c.relkind IN ('r', 'p') THEN 'TABLE'
                WHEN c.relkind = 'v' THEN 'VIEW'
                WHEN c.relkind = 'm' THEN 'MATERIALIZED VIEW'
                WHEN c.relkind = 'S' THEN 'SEQUENCE'
                ELSE 'FOREIGN TABLE' END
           || ' ' || pg_catalog.quote_ident(ns.nspname) || '.' || pg_catalog.quote_ident(c.relname)
           || CASE WHEN l.objsubid <> 0 THEN '.' || pg_catalog.quote_ident(a.attname) ELSE '' END,
           l.provider, l.label, l.classoid, l.objoid
      FROM pg_catalog.pg_seclabel l
      JOIN pg_catalog.pg_class c
        ON l.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND l.objoid = c.oid
      JOIN ns ON ns.oid = c.relnamespace
      LEFT JOIN pg_catalog.pg_attribute a
        ON l.objsubid <> 0 AND a.attrelid = c.oid AND a.attnum = l.objsubid
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       AND (l.objsubid = 0 OR (c.relkind <> 'S' AND a.attnum > 0 AND NOT a.attisdropped))
    UNION ALL
    -- Functions, procedures and aggregates; not a range type's
    -- constructors (they are part of it: an internal dependency).
    SELECT ns.nspname,
           CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END
           || ' ' || pg_catalog.quote_ident(ns.nspname) || '.' || pg_catalog.quote_ident(p.proname)
           || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')',
           l.provider, l.label, l.classoid, l.objoid
      FROM pg_catalog.pg_seclabel l
      JOIN pg_catalog.pg_proc p
        ON l.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND l.objoid = p.oid
      JOIN ns ON ns.oid = p.pronamespace
     WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i
                        WHERE i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                          AND i.objid = p.oid AND i.deptype = 'i')
    UNION ALL
    -- Domains, enums, standalone composite types, range types and base
    -- types (not array types).
    SELECT ns.nspname,
           CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END
           || ' ' || pg_catalog.quote_ident(ns.nspname) || '.' || pg_catalog.quote_ident(t.typname),
           l.provider, l.label, l.classoid, l.objoid
      FROM pg_catalog.pg_seclabel l
      JOIN pg_catalog.pg_type t
        ON l.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND l.objoid = t.oid
      JOIN ns ON ns.oid = t.typnamespace
     WHERE l.objsubid = 0
       AND (t.typtype IN ('d', 'e', 'r')
            OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                                             WHERE c.oid = t.typrelid AND c.relkind = 'c'))
            OR (t.typtype = 'b' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e
                                                 WHERE e.typarray = t.oid)))
    UNION ALL
    -- Objects of the database: procedural languages (not the system's),
    -- event triggers, publications.
    SELECT NULL, 'LANGUAGE ' || pg_catalog.quote_ident(o.lanname),
           l.provider, l.label, l.classoid, l.objoid
      FROM pg_catalog.pg_seclabel l
      JOIN pg_catalog.pg_language o
        ON l.classoid = 'pg_catalog.pg_language'::pg_catalog.regclass AND l.objoid = o.oid
     WHERE o.oid >= 16384 AND pg_catalog.cardinality($1::text[]) = 0
    UNION ALL
    SELECT NULL, 'EVENT TRIGGER ' || pg_catalog.quote_ident(o.evtname),
           l.provider, l.label, l.classoid, l.objoid
      FROM pg_catalog.pg_seclabel l
      JOIN pg_catalog.pg_event_trigger o
        ON l.classoid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass AND l.objoid = o.oid
     WHERE pg_catalog.cardinality($1::text[]) = 0
    UNION ALL
    SELECT NULL, 'PUBLICATION ' || pg_catalog.quote_ident(o.pubname),
           l.provider, l.label, l.classoid, l.objoid
      FROM pg_catalog.pg_seclabel l
      JOIN pg_catalog.pg_publication o
        ON l.classoid = 'pg_catalog.pg_publication'::pg_catalog.regclass AND l.objoid = o.oid
     WHERE pg_catalog.cardinality($1::text[]) = 0
)
SELECT x.schema, x.target, x.provider, x.label
  FROM labelled x
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = x.classid AND ext.objid = x.objid)
 ORDER BY 1 NULLS FIRST, 2, 3;
