-- +goose Up
-- Which instance (a random id per process) made each user's latest write: while it is
-- the instance serving the user, its own write log covers that write; otherwise the
-- user's reads there are computed afresh for a while (models/store/changes.go).
ALTER TABLE users ADD COLUMN last_write_by TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN last_write_by;
