-- Operator classes (CREATE OPERATOR CLASS) of the database's own schemas,
-- as pg_dump's dumpOpclass: not an extension's; keyed `name USING method`;
-- the type and STORAGE as format_type prints them, the family qualified (as
-- pg_dump always names it). Members are those tied to the class (pg_depend
-- on the class; loose ones are the family's, operator_families.sql), keyed
-- `OPERATOR 1 (integer, integer)` / `FUNCTION 1 (integer, integer)`, the
-- operator as regoperator prints it (with FOR ORDER BY and the sort family
-- qualified), the function as regprocedure does.
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave
-- these out, $3 bool capture the owner. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
WITH member (class, key, value) AS (
    SELECT d.refobjid,
           'OPERATOR ' || o.amopstrategy || ' ('
               || pg_catalog.format_type(o.amoplefttype, NULL) || ', '
               || pg_catalog.format_type(o.amoprighttype, NULL) || ')',
           o.amopopr::pg_catalog.regoperator::text
               || COALESCE(' FOR ORDER BY ' || pg_catalog.quote_ident(sn.nspname) || '.'
                           || pg_catalog.quote_ident(sf.opfname), '')
      FROM pg_catalog.pg_amop o
      JOIN pg_catalog.pg_depend d
        ON d.classid = 'pg_catalog.pg_amop'::pg_catalog.regclass AND d.objid = o.oid
       AND d.refclassid = 'pg_catalog.pg_opclass'::pg_catalog.regclass
      LEFT JOIN pg_catalog.pg_opfamily sf ON sf.oid = o.amopsortfamily
      LEFT JOIN pg_catalog.pg_namespace sn ON sn.oid = sf.opfnamespace
    UNION ALL
    SELECT d.refobjid,
           'FUNCTION ' || p.amprocnum || ' ('
               || pg_catalog.format_type(p.amproclefttype, NULL) || ', '
               || pg_catalog.format_type(p.amprocrighttype, NULL) || ')',
           p.amproc::pg_catalog.regprocedure::text
      FROM pg_catalog.pg_amproc p
      JOIN pg_catalog.pg_depend d
        ON d.classid = 'pg_catalog.pg_amproc'::pg_catalog.regclass AND d.objid = p.oid
       AND d.refclassid = 'pg_catalog.pg_opclass'::pg_catalog.regclass
)
SELECT n.nspname AS schema,
       c.opcname || ' USING ' || am.amname AS name,
       pg_catalog.format_type(c.opcintype, NULL) AS for_type,
       c.opcdefault AS "default",
       CASE WHEN c.opckeytype <> 0 THEN pg_catalog.format_type(c.opckeytype, NULL) END AS storage,
       pg_catalog.quote_ident(fn.nspname) || '.' || pg_catalog.quote_ident(f.opfname) AS family,
       ARRAY(SELECT m.key FROM member m WHERE m.class = c.oid ORDER BY m.key) AS member_keys,
       ARRAY(SELECT m.value FROM member m WHERE m.class = c.oid ORDER BY m.key) AS member_values,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(c.opcowner) END AS owner,
       NULL::text[] AS acl
  FROM pg_catalog.pg_opclass c
  JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod
  JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace
  JOIN pg_catalog.pg_opfamily f ON f.oid = c.opcfamily
  JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_opclass'::pg_catalog.regclass
        AND d.objoid = c.oid AND d.objsubid = 0
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND c.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_opclass'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY 1, 2;
