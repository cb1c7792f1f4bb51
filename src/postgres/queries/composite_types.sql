-- Composite types (CREATE TYPE ... AS (...)), not the row types of tables.
-- Attributes come as parallel arrays in position order. Parameters: $1 text[]
-- only these schemas (empty: all), $2 text[] leave these out, $3 bool capture
-- owner and grants. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT n.nspname AS schema,
       t.typname AS name,
       ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
              ORDER BY a.attnum) AS attribute_names,
       ARRAY(SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
              ORDER BY a.attnum) AS attribute_types,
       ARRAY(SELECT CASE WHEN co.oid IS NULL THEN NULL
                         WHEN con.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
                         ELSE pg_catalog.format('%I.%I', con.nspname, co.collname) END
               FROM pg_catalog.pg_attribute a
               JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
               LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation AND a.attcollation <> at.typcollation
               LEFT JOIN pg_catalog.pg_namespace con ON con.oid = co.collnamespace
              WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
              ORDER BY a.attnum) AS attribute_collations,
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
  JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass
        AND d.objoid = t.oid AND d.objsubid = 0
 WHERE t.typtype = 'c'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND t.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY n.nspname, t.typname;
