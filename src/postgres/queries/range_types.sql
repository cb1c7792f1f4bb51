-- Range types (CREATE TYPE ... AS RANGE) of the database's own schemas, as
-- pg_dump's dumpRangeType writes them: not an extension's; the subtype as
-- format_type prints it; the operator class only when it is not the
-- default one, qualified; the collation only when it is not the
-- subtype's; canonical and subtype_diff as regproc prints them (qualified
-- outside pg_catalog); the multirange type (PostgreSQL 14+, see
-- postgres::adapt_query) only when it is not the one PostgreSQL names by
-- default (makeMultirangeTypeName: "range" in the name becomes
-- "multirange", else "_multirange" is added, in the range's schema). The
-- multirange type, and the constructor functions of both, are part of
-- the range type. Parameters: $1 text[] only these schemas (empty: all),
-- $2 text[] leave these out, $3 bool capture owner and grants. To try it
-- in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT n.nspname AS schema,
       t.typname AS name,
       pg_catalog.format_type(r.rngsubtype, NULL) AS subtype,
       CASE WHEN NOT opc.opcdefault
            THEN pg_catalog.format('%I.%I', opn.nspname, opc.opcname) END AS subtype_opclass,
       CASE WHEN co.oid IS NULL THEN NULL
            WHEN con.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(co.collname)
            ELSE pg_catalog.format('%I.%I', con.nspname, co.collname) END AS collation,
       CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::pg_catalog.regproc::text END AS canonical,
       CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::pg_catalog.regproc::text END AS subtype_diff,
       CASE WHEN mt.oid IS NULL THEN NULL
            WHEN mn.nspname = n.nspname
                 AND mt.typname = pg_catalog.left(
                     CASE WHEN pg_catalog.strpos(t.typname, 'range') > 0
                     THEN pg_catalog.substr(t.typname, 1, pg_catalog.strpos(t.typname, 'range') - 1)
                          || 'multi'
                          || pg_catalog.substr(t.typname, pg_catalog.strpos(t.typname, 'range'))
                     ELSE pg_catalog.left(t.typname, 52) || '_multirange' END, 63)
            THEN NULL
            ELSE pg_catalog.format('%I.%I', mn.nspname, mt.typname) END AS multirange_type_name,
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
  JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
  JOIN pg_catalog.pg_opclass opc ON opc.oid = r.rngsubopc
  JOIN pg_catalog.pg_namespace opn ON opn.oid = opc.opcnamespace
  LEFT JOIN pg_catalog.pg_collation co
         ON co.oid = r.rngcollation AND r.rngcollation <> st.typcollation
  LEFT JOIN pg_catalog.pg_namespace con ON con.oid = co.collnamespace
  LEFT JOIN pg_catalog.pg_type mt ON mt.oid = /*<140000:NULL::pg_catalog.oid*/r.rngmultitypid/*end*/
  LEFT JOIN pg_catalog.pg_namespace mn ON mn.oid = mt.typnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass
        AND d.objoid = t.oid AND d.objsubid = 0
 WHERE t.typtype = 'r'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND t.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY n.nspname, t.typname;
