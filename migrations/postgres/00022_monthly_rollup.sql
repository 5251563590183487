-- +goose Up
-- Monthly NPS totals, kept from the daily rollup by a trigger in the same transaction as
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
    SELECT to_char(day, 'YYYY-MM'), touchpoint_id, category_id, SUM(promoters), SUM(passives), SUM(detractors)
    FROM feedback_daily GROUP BY 1, 2, 3;
-- +goose StatementBegin
CREATE FUNCTION feedback_monthly_apply() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE feedback_monthly SET
            promoters = promoters - OLD.promoters,
            passives = passives - OLD.passives,
            detractors = detractors - OLD.detractors
        WHERE month = to_char(OLD.day, 'YYYY-MM') AND touchpoint_id = OLD.touchpoint_id
        AND category_id = OLD.category_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO feedback_monthly (month, touchpoint_id, category_id, promoters, passives, detractors)
        VALUES (to_char(NEW.day, 'YYYY-MM'), NEW.touchpoint_id, NEW.category_id, NEW.promoters, NEW.passives, NEW.detractors)
        ON CONFLICT (month, touchpoint_id, category_id) DO UPDATE SET
            promoters = feedback_monthly.promoters + excluded.promoters,
            passives = feedback_monthly.passives + excluded.passives,
            detractors = feedback_monthly.detractors + excluded.detractors;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER feedback_monthly_apply AFTER INSERT OR UPDATE OR DELETE ON feedback_daily
    FOR EACH ROW EXECUTE FUNCTION feedback_monthly_apply();

-- +goose Down
DROP TRIGGER feedback_monthly_apply ON feedback_daily;
DROP FUNCTION feedback_monthly_apply;
DROP TABLE feedback_monthly;
