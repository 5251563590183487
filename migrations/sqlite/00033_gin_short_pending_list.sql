-- +goose Up
-- PostgreSQL's GIN indexes keep a short pending list from this version (see its
-- 00033); SQLite's full-text indexes are FTS5 tables, with no such list.
SELECT 1;

-- +goose Down
SELECT 1;
