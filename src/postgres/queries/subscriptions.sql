-- Subscriptions (CREATE SUBSCRIPTION) of the current database, objects of
-- the database: read only when no schema is chosen by name ($1 empty), as
-- pg_dump --schema leaves them out. As pg_dump's getSubscriptions, with an
-- option the server lacks read as its default there. subconninfo may be
-- read only by a role granted it (a superuser): reading it otherwise fails
-- even when no row is left, so this query runs only after
-- has_column_privilege says it may (postgres::read_schema), and
-- not_compared.sql counts the subscriptions when it may not. The
-- connection string's secrets are dropped where it is read
-- (postgres::subscription_row). Version-dependent fragments: see postgres::adapt_query.
-- Parameters: $1 text[] only these schemas (empty: all), $3 bool capture
-- the owner. To try it in psql:
--   PREPARE q(text[], text[], bool) AS <this query>; EXECUTE q('{}', '{}', true);
SELECT s.subname AS name,
       s.subconninfo AS conninfo,
       ARRAY(SELECT p FROM pg_catalog.unnest(s.subpublications) AS p ORDER BY 1) AS publications,
       s.subenabled AS enabled,
       s.subslotname::text AS slot_name,
       /*<140000:false*/s.subbinary/*end*/ AS binary,
       -- substream: a boolean on 14 and 15, 'f', 't' or 'p' from 16.
       CASE /*<140000:NULL*/s.substream::text/*end*/
            WHEN 't' THEN 'on' WHEN 'true' THEN 'on' WHEN 'p' THEN 'parallel'
            ELSE 'off' END AS streaming,
       /*<150000:false*/s.subtwophasestate <> 'd'/*end*/ AS two_phase,
       /*<150000:false*/s.subdisableonerr/*end*/ AS disable_on_error,
       /*<160000:true*/s.subpasswordrequired/*end*/ AS password_required,
       /*<160000:false*/s.subrunasowner/*end*/ AS run_as_owner,
       /*<160000:'any'*/s.suborigin/*end*/ AS origin,
       /*<170000:false*/s.subfailover/*end*/ AS failover,
       s.subsynccommit AS synchronous_commit,
       d.description AS comment,
       CASE WHEN $3::bool THEN pg_catalog.pg_get_userbyid(s.subowner) END AS owner,
       NULL::text[] AS acl,
       -- Its security labels (a shared catalog's, in pg_shseclabel): the
       -- object as SECURITY LABEL names it, the providers and their labels
       -- (security_labels.sql reads every other object's).
       'SUBSCRIPTION ' || pg_catalog.quote_ident(s.subname) AS label_target,
       ARRAY(SELECT l.provider FROM pg_catalog.pg_shseclabel l
              WHERE l.classoid = 'pg_catalog.pg_subscription'::pg_catalog.regclass
                AND l.objoid = s.oid ORDER BY l.provider) AS label_providers,
       ARRAY(SELECT l.label FROM pg_catalog.pg_shseclabel l
              WHERE l.classoid = 'pg_catalog.pg_subscription'::pg_catalog.regclass
                AND l.objoid = s.oid ORDER BY l.provider) AS labels
  FROM pg_catalog.pg_subscription s
  LEFT JOIN pg_catalog.pg_description d
         ON d.classoid = 'pg_catalog.pg_subscription'::pg_catalog.regclass
        AND d.objoid = s.oid AND d.objsubid = 0
 WHERE pg_catalog.cardinality($1::text[]) = 0
   AND s.subdbid = (SELECT db.oid FROM pg_catalog.pg_database db
                     WHERE db.datname = pg_catalog.current_database())
 ORDER BY s.subname;
