-- Functions, procedures, aggregates and window functions, keyed by name and
-- argument types. For a SQL-standard body (PostgreSQL 14+, prosqlbody) the
-- whole pg_get_functiondef is read and the body cut out of it in Rust.
-- Version-dependent fragments (see postgres::adapt_query): the text as it
-- stands runs on the newest PostgreSQL; each /*<NNNNNN:OLD*/NEW/*end*/ is
-- replaced by OLD on a server whose server_version_num is below NNNNNN
-- (prosqlbody exists from 14 on). Parameters: $1 text[] only these
-- schemas (empty: all), $2 text[] leave these out, $3 bool capture owner and
-- grants. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT n.nspname AS schema,
       p.proname AS name,
       pg_catalog.oidvectortypes(p.proargtypes) AS identity,
       p.prokind::text AS kind,
       pg_catalog.pg_get_function_arguments(p.oid) AS arguments,
       CASE WHEN p.prokind <> 'p' THEN pg_catalog.pg_get_function_result(p.oid) END AS returns,
       l.lanname AS language,
       p.provolatile::text AS volatility,
       p.proisstrict AS strict,
       p.prosecdef AS security_definer,
       p.proleakproof AS leakproof,
       p.proparallel::text AS parallel,
       ARRAY(SELECT s FROM pg_catalog.unnest(p.proconfig) s ORDER BY s) AS settings,
       -- COST, ROWS and SUPPORT as pg_dump writes them: COST unless the
       -- language's default (1 for C and internal functions, 100 for
       -- others), ROWS unless 0 (not set-returning) or the default 1000.
       CASE WHEN p.procost <> 0
                 AND p.procost <> CASE WHEN l.lanname IN ('c', 'internal') THEN 1 ELSE 100 END
            THEN p.procost::text END AS cost,
       CASE WHEN p.prorows <> 0 AND p.prorows <> 1000 THEN p.prorows::text END AS rows,
       CASE WHEN p.prosupport <> 0 THEN p.prosupport::pg_catalog.regproc::text END AS support,
       p.prosrc AS source,
       -- A C function's object file, as dumpFunc writes it (AS 'probin',
       -- 'prosrc' when probin is not empty).
       NULLIF(p.probin, '') AS library,
       -- TRANSFORM FOR TYPE .., in order, as dumpFunc writes it.
       ARRAY(SELECT pg_catalog.format_type(u.t, NULL)
               FROM pg_catalog.unnest(p.protrftypes) WITH ORDINALITY u(t, i)
              ORDER BY u.i) AS transforms,
       CASE WHEN l.lanname = 'sql' AND /*<140000:false*/p.prosqlbody IS NOT NULL/*end*/
            THEN pg_catalog.pg_get_functiondef(p.oid) END AS sql_body_definition,
       -- An aggregate's CREATE AGGREGATE clauses as pg_dump's dumpAgg
       -- writes them (defaults left out), shaped as the model's Aggregate.
       CASE WHEN p.prokind = 'a' THEN pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'sfunc', a.aggtransfn::pg_catalog.regproc::text,
           'stype', pg_catalog.format_type(a.aggtranstype, NULL),
           'sspace', NULLIF(a.aggtransspace, 0),
           'initcond', a.agginitval,
           'finalfunc', CASE WHEN a.aggfinalfn <> 0 THEN a.aggfinalfn::pg_catalog.regproc::text END,
           'finalfunc_extra', CASE WHEN a.aggfinalfn <> 0 AND a.aggfinalextra THEN true END,
           'finalfunc_modify',
           CASE WHEN a.aggfinalfn <> 0
                     AND a.aggfinalmodify <> CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END
                THEN CASE a.aggfinalmodify WHEN 'r' THEN 'read_only' WHEN 's' THEN 'shareable'
                                           ELSE 'read_write' END END,
           'combinefunc', CASE WHEN a.aggcombinefn <> 0 THEN a.aggcombinefn::pg_catalog.regproc::text END,
           'serialfunc', CASE WHEN a.aggserialfn <> 0 THEN a.aggserialfn::pg_catalog.regproc::text END,
           'deserialfunc',
           CASE WHEN a.aggdeserialfn <> 0 THEN a.aggdeserialfn::pg_catalog.regproc::text END,
           'msfunc', CASE WHEN a.aggmtransfn <> 0 THEN a.aggmtransfn::pg_catalog.regproc::text END,
           'minvfunc', CASE WHEN a.aggminvtransfn <> 0 THEN a.aggminvtransfn::pg_catalog.regproc::text END,
           'mstype', CASE WHEN a.aggmtranstype <> 0 THEN pg_catalog.format_type(a.aggmtranstype, NULL) END,
           'msspace', NULLIF(a.aggmtransspace, 0),
           'minitcond', a.aggminitval,
           'mfinalfunc', CASE WHEN a.aggmfinalfn <> 0 THEN a.aggmfinalfn::pg_catalog.regproc::text END,
           'mfinalfunc_extra', CASE WHEN a.aggmfinalfn <> 0 AND a.aggmfinalextra THEN true END,
           'mfinalfunc_modify',
           CASE WHEN a.aggmfinalfn <> 0
                     AND a.aggmfinalmodify <> CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END
                THEN CASE a.aggmfinalmodify WHEN 'r' THEN 'read_only' WHEN 's' THEN 'shareable'
                                            ELSE 'read_write' END END,
           'sortop', CASE WHEN a.aggsortop <> 0 THEN a.aggsortop::pg_catalog.regoper::text END,
           'hypothetical', CASE WHEN a.aggkind = 'h' THEN true END))
       END AS aggregate,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(p.proowner) END AS owner,
       CASE WHEN $3::bool AND p.proacl IS NOT NULL
                 AND NOT (p.proacl @> pg_catalog.acldefault('f', p.proowner)
                          AND p.proacl <@ pg_catalog.acldefault('f', p.proowner)) THEN ARRAY(
           SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END
                  || '=' || a.privilege_type
                  || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
             FROM pg_catalog.aclexplode(p.proacl) a ORDER BY 1)
       END AS acl
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_catalog.pg_language l ON l.oid = p.prolang
  LEFT JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass
        AND d.objoid = p.oid AND d.objsubid = 0
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   AND n.nspname !~ '^pg_(toast_)?temp_'
   AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND n.nspname <> ALL ($2::text[])
   AND p.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                    WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                      AND e.deptype = 'e')
   -- As pg_dump's getFuncs: not a function another object made and owns
   -- (deptype 'i'), as a range type does its constructors and its
   -- multirange type's: they are part of that object.
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i
                    WHERE i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                      AND i.objid = p.oid AND i.deptype = 'i')
 ORDER BY n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes);
