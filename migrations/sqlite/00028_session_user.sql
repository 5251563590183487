-- +goose Up
-- The user a session is signed in as (empty for a visitor, and for sessions saved before
-- this column), so that a page reads its session and its user in one statement
-- (models/store/session_store.go).
ALTER TABLE sessions ADD COLUMN user_id INTEGER;

-- +goose Down
ALTER TABLE sessions DROP COLUMN user_id;
