-- Base types (CREATE TYPE ... (INPUT = ..., OUTPUT = ...)) and shell types
-- never completed (CREATE TYPE name; alone: typtype 'p', not defined) of
-- the database's own schemas, as pg_dump's getTypes, dumpBaseType and
-- dumpUndefinedType read them: not an extension's, not the array type
-- PostgreSQL makes for each (selectDumpableType: named _x, the element's
-- typarray); functions as regproc prints them (qualified outside
-- pg_catalog), only those set beside INPUT and OUTPUT; INTERNALLENGTH
-- `variable` or bytes; ALIGNMENT and STORAGE always (pg_dump writes
-- them); CATEGORY unless 'U', DELIMITER unless ','; DEFAULT as pg_dump
-- writes it (typdefaultbin's expression, else typdefault quoted); ELEMENT
-- as format_type prints it; SUBSCRIPT on 14+ (see postgres::adapt_query).
-- A shell row has only its names, comment, owner and grants. Parameters:
-- $1 text[] only these schemas (empty: all), $2 text[] leave these out,
-- $3 bool capture owner and grants. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT n.nspname AS schema,
       t.typname AS name,
       t.typtype = 'p' AS shell,
       CASE WHEN t.typtype = 'b' THEN t.typinput::pg_catalog.regproc::text END AS input,
       CASE WHEN t.typtype = 'b' THEN t.typoutput::pg_catalog.regproc::text END AS output,
       CASE WHEN t.typreceive <> 0 THEN t.typreceive::pg_catalog.regproc::text END AS receive,
       CASE WHEN t.typsend <> 0 THEN t.typsend::pg_catalog.regproc::text END AS send,
       CASE WHEN t.typmodin <> 0 THEN t.typmodin::pg_catalog.regproc::text END AS typmod_in,
       CASE WHEN t.typmodout <> 0 THEN t.typmodout::pg_catalog.regproc::text END AS typmod_out,
       CASE WHEN t.typanalyze <> 0 THEN t.typanalyze::pg_catalog.regproc::text END AS analyze,
       /*<140000:NULL::text*/CASE WHEN t.typsubscript <> 0
            THEN t.typsubscript::pg_catalog.regproc::text END/*end*/ AS subscript,
       CASE WHEN t.typlen = -1 THEN 'variable' ELSE t.typlen::text END AS internal_length,
       t.typbyval AS passed_by_value,
       CASE t.typalign WHEN 'c' THEN 'char' WHEN 's' THEN 'int2'
                       WHEN 'i' THEN 'int4' WHEN 'd' THEN 'double' END AS alignment,
       CASE t.typstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external'
                         WHEN 'x' THEN 'extended' WHEN 'm' THEN 'main' END AS storage,
       CASE WHEN t.typcategory <> 'U' THEN t.typcategory::text END AS category,
       t.typispreferred AS preferred,
       CASE WHEN t.typdefaultbin IS NOT NULL THEN pg_catalog.pg_get_expr(t.typdefaultbin, 0)
            WHEN t.typdefault IS NOT NULL THEN pg_catalog.quote_literal(t.typdefault) END AS "default",
       CASE WHEN t.typelem <> 0 THEN pg_catalog.format_type(t.typelem, NULL) END AS element,
       CASE WHEN t.typdelim <> ',' THEN t.typdelim::text END AS delimiter,
       t.typcollation <> 0 AS collatable,
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
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass
        AND d.objoid = t.oid AND d.objsubid = 0
 WHERE (t.typtype = 'b' OR (t.typtype = 'p' AND NOT t.typisdefined))
   AND t.typrelid = 0
   AND NOT (t.typelem <> 0 AND pg_catalog.left(t.typname, 1) = '_'
            AND EXISTS (SELECT 1 FROM pg_catalog.pg_type e
                         WHERE e.oid = t.typelem AND e.typarray = t.oid))
   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND t.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
                      AND e.deptype = 'e')
 ORDER BY n.nspname, t.typname;
