-- +goose Up
-- PostgreSQL spreads each rollup key over slots so that concurrent transactions do not
-- queue on one row (see its 00032). SQLite has one writer at a time: every row stays in
-- slot 0, and the column is here so both schemas keep the same columns.
ALTER TABLE feedback_daily ADD COLUMN slot INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feedback_monthly ADD COLUMN slot INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feedback_service_daily ADD COLUMN slot INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE feedback_daily DROP COLUMN slot;
ALTER TABLE feedback_monthly DROP COLUMN slot;
ALTER TABLE feedback_service_daily DROP COLUMN slot;
