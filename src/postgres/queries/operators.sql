-- Operators (CREATE OPERATOR) of the database's own schemas, as pg_dump's
-- dumpOpr writes them: not an extension's, and not a shell operator (one
-- named as a commutator or negator before it was made has no function:
-- pg_dump leaves it out, and the CREATE OPERATOR that makes it fills the
-- shell in). Keyed name(left, right), both types as format_type prints them
-- with the empty search_path (qualified outside pg_catalog), NONE for a
-- prefix operator's left (and, before PostgreSQL 14, a postfix one's
-- right); functions as regproc prints them, as pg_dump writes them; the
-- commutator and negator as schema.name, as pg_dump's OPERATOR(schema.name)
-- (their types follow from the operator's).
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave
-- these out, $3 bool capture the owner. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT n.nspname AS schema,
       o.oprname || '('
           || CASE WHEN o.oprleft = 0 THEN 'NONE'
                   ELSE pg_catalog.format_type(o.oprleft, NULL) END
           || ', '
           || CASE WHEN o.oprright = 0 THEN 'NONE'
                   ELSE pg_catalog.format_type(o.oprright, NULL) END
           || ')' AS name,
       o.oprcode::pg_catalog.regproc::text AS function,
       (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || c.oprname
          FROM pg_catalog.pg_operator c
          JOIN pg_catalog.pg_namespace cn ON cn.oid = c.oprnamespace
         WHERE c.oid = o.oprcom) AS commutator,
       (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || c.oprname
          FROM pg_catalog.pg_operator c
          JOIN pg_catalog.pg_namespace cn ON cn.oid = c.oprnamespace
         WHERE c.oid = o.oprnegate) AS negator,
       CASE WHEN o.oprrest <> 0 THEN o.oprrest::pg_catalog.regproc::text END AS restrict,
       CASE WHEN o.oprjoin <> 0 THEN o.oprjoin::pg_catalog.regproc::text END AS join,
       o.oprcanhash AS hashes,
       o.oprcanmerge AS merges,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(o.oprowner) END AS owner,
       NULL::text[] AS acl
  FROM pg_catalog.pg_operator o
  JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_operator'::pg_catalog.regclass
        AND d.objoid = o.oid AND d.objsubid = 0
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND o.oprcode <> 0
   AND o.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY 1, 2;
