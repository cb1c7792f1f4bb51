-- The server's keywords that an identifier must be quoted to be used as:
-- all but the unreserved ones (PostgreSQL's quote_ident rule), to write
-- constraint definitions exactly as pg_get_constraintdef does.
SELECT word FROM pg_catalog.pg_get_keywords() WHERE catcode <> 'U';
