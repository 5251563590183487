-- +goose Up
-- When each user's latest write committed, so that an instance that did not take the
-- write still shows it on the user's next page (read-your-writes across instances):
-- its kept figures must be computed after this time.
ALTER TABLE users ADD COLUMN last_write_at DATETIME;

-- +goose Down
ALTER TABLE users DROP COLUMN last_write_at;
