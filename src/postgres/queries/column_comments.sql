-- Comments on columns, of every relation: Rust keeps those of the columns
-- that columns.sql reads. Some thousands of rows on a large schema, read
-- whole because filtering them by relation costs more than sending them.
SELECT d.objoid AS table_oid,
       d.objsubid::pg_catalog.int2 AS position,
       d.description AS comment
  FROM pg_catalog.pg_description d
 WHERE d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
   AND d.objsubid > 0;
