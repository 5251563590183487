-- +goose Up
-- The recognition page lists colleagues customers praised this month and year; this
-- partial index holds only praised feedback, so the page never scans the whole table.
CREATE INDEX feedback_praised ON feedback (received_at) WHERE praised_colleague IS NOT NULL;

-- +goose Down
DROP INDEX feedback_praised;
