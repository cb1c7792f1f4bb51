-- Operator classes, to name the opclass_oids of indexes.sql: NULL for one
-- that is the default for its type (an index key shows no opclass then), a
-- bare name in pg_catalog, else qualified. A few hundred rows on any server.
SELECT opc.oid,
       CASE WHEN opc.opcdefault THEN NULL
            WHEN n.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(opc.opcname)
            ELSE pg_catalog.format('%I.%I', n.nspname, opc.opcname)
       END AS name
  FROM pg_catalog.pg_opclass opc
  JOIN pg_catalog.pg_namespace n ON n.oid = opc.opcnamespace;
