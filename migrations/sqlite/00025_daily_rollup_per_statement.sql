-- +goose Up
-- PostgreSQL keeps the daily rollup per statement from this version (see its
-- 00025); SQLite has no statement triggers with the rows of the statement, and its
-- writes are one transaction at a time, so its triggers stay as they are.
SELECT 1;

-- +goose Down
SELECT 1;
