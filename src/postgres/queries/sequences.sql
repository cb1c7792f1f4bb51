-- Standalone sequences (identity sequences belong to their column and are
-- read with the columns), with the column that owns them (OWNED BY, as serial
-- makes). Parameters: $1 text[] only these schemas (empty: all), $2 text[]
-- leave these out, $3 bool capture owner and grants (an ACL equal to the
-- default is reported as none, as a NULL one). To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT n.nspname AS schema,
       c.relname AS name,
       pg_catalog.format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart AS start,
       s.seqincrement AS increment,
       s.seqmin AS min_value,
       s.seqmax AS max_value,
       s.seqcache AS cache,
       s.seqcycle AS cycle,
       (SELECT pg_catalog.format('%I.%I.%I', tn.nspname, tc.relname, ta.attname)
          FROM pg_catalog.pg_depend o
          JOIN pg_catalog.pg_class tc ON tc.oid = o.refobjid
          JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
          JOIN pg_catalog.pg_attribute ta ON ta.attrelid = o.refobjid AND ta.attnum = o.refobjsubid
         WHERE o.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
           AND o.objid = c.oid
           AND o.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
           AND o.refobjsubid > 0 AND o.deptype = 'a'
         LIMIT 1) AS owned_by,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(c.relowner) END AS owner,
       CASE WHEN $3::bool AND c.relacl IS NOT NULL
                 AND NOT (c.relacl @> pg_catalog.acldefault('s', c.relowner)
                          AND c.relacl <@ pg_catalog.acldefault('s', c.relowner)) THEN ARRAY(
           SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END
                  || '=' || a.privilege_type
                  || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
             FROM pg_catalog.aclexplode(c.relacl) a ORDER BY 1)
       END AS acl
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND d.objoid = c.oid AND d.objsubid = 0
 WHERE c.relkind = 'S'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend e
                    WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                      AND e.objid = c.oid AND e.deptype IN ('e', 'i'))
 ORDER BY n.nspname, c.relname;
