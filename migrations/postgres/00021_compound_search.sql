-- +goose Up
-- Issue 18: search finds parts of Danish compounds ("gebyr" in "kortgebyrerne", "bank"
-- in "Mobilbanken"): a trigram index of the comments answers ILIKE '%word%'.
-- pg_trgm ships with PostgreSQL (Debian's postgresql package includes the contrib
-- modules) and is a trusted extension since PostgreSQL 13, so the database owner may
-- create it. It goes into the public schema, not the app's: an app schema may be
-- dropped (tests make one each), and the extension with it would take the index of
-- every other schema along. The lock keeps two schemas migrating at once from both
-- creating it. Where the extension already exists, its schema is used.
SELECT pg_advisory_xact_lock(7283910021);
-- +goose StatementBegin
DO $$
DECLARE
    s text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN
            CREATE EXTENSION pg_trgm SCHEMA public;
        ELSE
            CREATE EXTENSION pg_trgm;
        END IF;
    END IF;
    SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        WHERE e.extname = 'pg_trgm';
    EXECUTE format('CREATE INDEX feedback_comment_trgm ON feedback USING GIN (comment %I.gin_trgm_ops)', s);
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX feedback_comment_trgm;
