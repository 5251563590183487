-- +goose Up
-- The daily rollup learns of inserted and deleted feedback once per statement instead of
-- once per row. The group commit inserts 20-64 feedback in one statement; per row, each
-- raised the same day's figures row (and through it the month's) again, so one batch
-- left 20-64 versions of that row behind and the next had to walk them (a 20-row insert
-- spent 42 of its 63 ms in the trigger, and the two instances' batches queued on the row:
-- feedback POSTs p50 400 ms under the soak). Now each (day, touchpoint, category) of a
-- statement is one upsert, taken in key order so two batches never deadlock. Updates
-- stay per row: a trigger on a column list cannot see transition tables, and updates
-- change one feedback at a time.
DROP TRIGGER feedback_daily_insert ON feedback;
-- +goose StatementBegin
CREATE FUNCTION feedback_daily_add_rows() RETURNS trigger AS $$
BEGIN
    INSERT INTO feedback_daily (day, touchpoint_id, category_id, promoters, passives, detractors)
    SELECT received_on, COALESCE(touchpoint_id, 0), COALESCE(category_id, 0),
           COUNT(*) FILTER (WHERE nps_group = 'promoter'),
           COUNT(*) FILTER (WHERE nps_group = 'passive'),
           COUNT(*) FILTER (WHERE nps_group = 'detractor')
    FROM new_rows WHERE nps_group IS NOT NULL
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3
    ON CONFLICT (day, touchpoint_id, category_id) DO UPDATE SET
        promoters = feedback_daily.promoters + excluded.promoters,
        passives = feedback_daily.passives + excluded.passives,
        detractors = feedback_daily.detractors + excluded.detractors;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION feedback_daily_remove_rows() RETURNS trigger AS $$
BEGIN
    UPDATE feedback_daily AS d SET
        promoters = d.promoters - o.promoters,
        passives = d.passives - o.passives,
        detractors = d.detractors - o.detractors
    FROM (SELECT received_on AS day, COALESCE(touchpoint_id, 0) AS touchpoint_id, COALESCE(category_id, 0) AS category_id,
                 COUNT(*) FILTER (WHERE nps_group = 'promoter') AS promoters,
                 COUNT(*) FILTER (WHERE nps_group = 'passive') AS passives,
                 COUNT(*) FILTER (WHERE nps_group = 'detractor') AS detractors
          FROM old_rows WHERE nps_group IS NOT NULL GROUP BY 1, 2, 3) AS o
    WHERE d.day = o.day AND d.touchpoint_id = o.touchpoint_id AND d.category_id = o.category_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER feedback_daily_add_rows AFTER INSERT ON feedback
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION feedback_daily_add_rows();
CREATE TRIGGER feedback_daily_remove_rows AFTER DELETE ON feedback
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION feedback_daily_remove_rows();

-- +goose Down
DROP TRIGGER feedback_daily_add_rows ON feedback;
DROP TRIGGER feedback_daily_remove_rows ON feedback;
DROP FUNCTION feedback_daily_add_rows;
DROP FUNCTION feedback_daily_remove_rows;
CREATE TRIGGER feedback_daily_insert AFTER INSERT OR DELETE ON feedback
    FOR EACH ROW EXECUTE FUNCTION feedback_daily_apply();
