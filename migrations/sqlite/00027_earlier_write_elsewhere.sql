-- +goose Up
-- When the user's latest write through another instance than last_write_by committed:
-- while the serving instance made the latest write, this one is the newest it cannot
-- see in its own write log, so it judges kept pages by its log only when they were
-- computed after it (models/store/ownwrites.go).
ALTER TABLE users ADD COLUMN elsewhere_write_at DATETIME;

-- +goose Down
ALTER TABLE users DROP COLUMN elsewhere_write_at;
