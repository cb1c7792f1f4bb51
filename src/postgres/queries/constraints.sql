-- Table constraints: primary key, unique, check, exclusion and foreign key.
-- NOT NULL constraints (contype 'n', PostgreSQL 18) are left out: nullability
-- is a column attribute. Parameters: $1 text[] only these schemas (empty:
-- all), $2 text[] leave these out. To try it in psql:
--   PREPARE q(text[], text[]) AS <this query>; EXECUTE q('{}', '{}');
SELECT con.conrelid AS table_oid,
       con.conname AS name,
       con.contype::text AS kind,
       pg_catalog.pg_get_constraintdef(con.oid) AS definition,
       CASE WHEN con.contype = 'c' THEN '{}' ELSE ARRAY(
           SELECT a.attname
             FROM pg_catalog.unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
            ORDER BY k.ord)
       END AS columns,
       con.condeferrable AS deferrable,
       con.condeferred AS initially_deferred,
       con.convalidated AS validated,
       con.connoinherit AS no_inherit,
       CASE WHEN con.contype = 'f' THEN pg_catalog.format('%I.%I', fn.nspname, fc.relname) END AS fk_references,
       CASE WHEN con.contype = 'f' THEN ARRAY(
           SELECT a.attname
             FROM pg_catalog.unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
            ORDER BY k.ord)
       ELSE '{}' END AS fk_columns,
       con.confupdtype::text AS on_update,
       con.confdeltype::text AS on_delete,
       con.confmatchtype::text AS match_type,
       d.description AS comment
  FROM pg_catalog.pg_constraint con
  JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
  LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass
        AND d.objoid = con.oid AND d.objsubid = 0
 WHERE con.contype IN ('p', 'u', 'c', 'x', 'f')
   AND c.relkind IN ('r', 'p')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND e.objid = c.oid AND e.deptype = 'e')
 ORDER BY con.conrelid, con.conname;
