-- +goose Up
-- An improvement's impact sums the daily rollup of its touchpoints over the days around
-- its implementation (models/store/impact.go). The primary key starts with the day, so
-- it read every touchpoint's and category's rows of those 180 days to keep its own; this
-- index reads only theirs. Its columns never change once a row exists, so the writes that
-- count feedback into a day's row do not touch it.
CREATE INDEX feedback_daily_touchpoint ON feedback_daily (touchpoint_id, day);

-- +goose Down
DROP INDEX feedback_daily_touchpoint;
