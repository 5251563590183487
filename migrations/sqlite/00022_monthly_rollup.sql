-- +goose Up
-- Monthly NPS totals, kept from the daily rollup by triggers in the same transaction as
-- the feedback write, so that trends over years and the NPS of a month, quarter or year
-- read one row per month, touchpoint and category instead of one per day of each.
-- month is 'YYYY-MM' of the local calendar day (feedback_daily.day); touchpoint and
-- category as in feedback_daily (0 = none).
CREATE TABLE feedback_monthly (
    month         CHAR(7) NOT NULL,
    touchpoint_id BIGINT NOT NULL,
    category_id   BIGINT NOT NULL,
    promoters     INTEGER NOT NULL DEFAULT 0,
    passives      INTEGER NOT NULL DEFAULT 0,
    detractors    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, touchpoint_id, category_id)
);
INSERT INTO feedback_monthly (month, touchpoint_id, category_id, promoters, passives, detractors)
    SELECT strftime('%Y-%m', day), touchpoint_id, category_id, SUM(promoters), SUM(passives), SUM(detractors)
    FROM feedback_daily GROUP BY 1, 2, 3;
-- +goose StatementBegin
CREATE TRIGGER feedback_monthly_insert AFTER INSERT ON feedback_daily BEGIN
    INSERT INTO feedback_monthly (month, touchpoint_id, category_id, promoters, passives, detractors)
    VALUES (strftime('%Y-%m', new.day), new.touchpoint_id, new.category_id, new.promoters, new.passives, new.detractors)
    ON CONFLICT (month, touchpoint_id, category_id) DO UPDATE SET
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
    WHERE month = strftime('%Y-%m', old.day) AND touchpoint_id = old.touchpoint_id
        AND category_id = old.category_id;
    INSERT INTO feedback_monthly (month, touchpoint_id, category_id, promoters, passives, detractors)
    VALUES (strftime('%Y-%m', new.day), new.touchpoint_id, new.category_id, new.promoters, new.passives, new.detractors)
    ON CONFLICT (month, touchpoint_id, category_id) DO UPDATE SET
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
    WHERE month = strftime('%Y-%m', old.day) AND touchpoint_id = old.touchpoint_id
        AND category_id = old.category_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER feedback_monthly_delete;
DROP TRIGGER feedback_monthly_update;
DROP TRIGGER feedback_monthly_insert;
DROP TABLE feedback_monthly;
