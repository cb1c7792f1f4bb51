-- Publications (CREATE PUBLICATION), objects of the database: read only
-- when no schema is chosen by name ($1 empty), as pg_dump --schema leaves
-- them out. The schemas of FOR TABLES IN SCHEMA (PostgreSQL 15+) are those
-- compared, as pg_dump dumps the membership of the schemas it dumps; the
-- tables are read by publication_tables.sql.
-- Parameters: $1 text[] only these schemas (empty: all), $2 text[] leave
-- these out, $3 bool capture the owner. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT p.pubname AS name,
       p.puballtables AS all_tables,
       p.pubinsert AS publish_insert,
       p.pubupdate AS publish_update,
       p.pubdelete AS publish_delete,
       p.pubtruncate AS publish_truncate,
       p.pubviaroot AS via_partition_root,
       /*<180000:false*/p.pubgencols = 's'/*end*/ AS generated_columns,
       /*<150000:'{}'::text[]*/ARRAY(
           SELECT n.nspname::text
             FROM pg_catalog.pg_publication_namespace pn
             JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid
            WHERE pn.pnpubid = p.oid
              AND n.nspname <> ALL ($2::text[])
              AND n.oid NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e
                                 WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
                                   AND e.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
                                   AND e.deptype = 'e')
            ORDER BY 1)/*end*/ AS schemas,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(p.pubowner) END AS owner,
       NULL::text[] AS acl
  FROM pg_catalog.pg_publication p
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_publication'::pg_catalog.regclass
        AND d.objoid = p.oid AND d.objsubid = 0
 WHERE pg_catalog.cardinality($1::text[]) = 0
 ORDER BY p.pubname;
