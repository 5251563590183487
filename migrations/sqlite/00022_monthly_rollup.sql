-- +goose Up
-- Monthly NPS totals, kept from the daily rollup by triggers in the same transaction as
-- the feedback write, so that trends over years and the NPS of a month, quarter or year
-- read a few dozen rows instead of summing every day of every touchpoint and category.
-- month is 'YYYY-MM' of the local calendar day (feedback_daily.day).
CREATE TABLE feedback_monthly (
    month      CHAR(7) NOT NULL PRIMARY KEY,
    promoters  INTEGER NOT NULL DEFAULT 0,
    passives   INTEGER NOT NULL DEFAULT 0,
    detractors INTEGER NOT NULL DEFAULT 0
);
INSERT INTO feedback_monthly (month, promoters, passives, detractors)
    SELECT strftime('%Y-%m', day), SUM(promoters), SUM(passives), SUM(detractors)
    FROM feedback_daily GROUP BY 1;
-- +goose StatementBegin
CREATE TRIGGER feedback_monthly_insert AFTER INSERT ON feedback_daily BEGIN
    INSERT INTO feedback_monthly (month, promoters, passives, detractors)
    VALUES (strftime('%Y-%m', new.day), new.promoters, new.passives, new.detractors)
    ON CONFLICT (month) DO UPDATE SET
        promoters = promoters + excluded.promoters,
        passives = passives + excluded.passives,
        detractors = detractors + excluded.detractors;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER feedback_monthly_update AFTER UPDATE ON feedback_daily BEGIN
    UPDATE feedback_monthly SET
        promoters = promoters - old.promoters,
        passives = passives - old.passives,
        detractors = detractors - old.detractors
    WHERE month = strftime('%Y-%m', old.day);
    INSERT INTO feedback_monthly (month, promoters, passives, detractors)
    VALUES (strftime('%Y-%m', new.day), new.promoters, new.passives, new.detractors)
    ON CONFLICT (month) DO UPDATE SET
        promoters = promoters + excluded.promoters,
        passives = passives + excluded.passives,
        detractors = detractors + excluded.detractors;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER feedback_monthly_delete AFTER DELETE ON feedback_daily BEGIN
    UPDATE feedback_monthly SET
        promoters = promoters - old.promoters,
        passives = passives - old.passives,
        detractors = detractors - old.detractors
    WHERE month = strftime('%Y-%m', old.day);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER feedback_monthly_delete;
DROP TRIGGER feedback_monthly_update;
DROP TRIGGER feedback_monthly_insert;
DROP TABLE feedback_monthly;
