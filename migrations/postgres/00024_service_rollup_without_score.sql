-- +goose Up
-- A feedback with a first-contact answer but no score (a comment only) has no NPS
-- group: "resolved AND nps_group = 'promoter'" is NULL then, not false, and the
-- service rollup refused the row (NOT NULL) on PostgreSQL, so such feedback could not
-- be stored at all. Each split now counts NULL as not in the group, as SQLite's
-- triggers do (COALESCE(..., 0)). Nothing to change on SQLite; its 00024 is empty so
-- that both dialects keep the same versions.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_service_apply() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND (OLD.resolved_first_contact IS NOT NULL OR OLD.csat IS NOT NULL) THEN
        UPDATE feedback_service_daily SET
            answered = answered - (OLD.resolved_first_contact IS NOT NULL)::int,
            resolved = resolved - (OLD.resolved_first_contact IS TRUE)::int,
            csat_responses = csat_responses - (OLD.csat IS NOT NULL)::int,
            csat_sum = csat_sum - COALESCE(OLD.csat, 0),
            res_promoters = res_promoters - COALESCE(OLD.resolved_first_contact IS TRUE AND OLD.nps_group = 'promoter', FALSE)::int,
            res_passives = res_passives - COALESCE(OLD.resolved_first_contact IS TRUE AND OLD.nps_group = 'passive', FALSE)::int,
            res_detractors = res_detractors - COALESCE(OLD.resolved_first_contact IS TRUE AND OLD.nps_group = 'detractor', FALSE)::int,
            unres_promoters = unres_promoters - COALESCE(OLD.resolved_first_contact IS FALSE AND OLD.nps_group = 'promoter', FALSE)::int,
            unres_passives = unres_passives - COALESCE(OLD.resolved_first_contact IS FALSE AND OLD.nps_group = 'passive', FALSE)::int,
            unres_detractors = unres_detractors - COALESCE(OLD.resolved_first_contact IS FALSE AND OLD.nps_group = 'detractor', FALSE)::int
        WHERE day = OLD.received_on AND touchpoint_id = COALESCE(OLD.touchpoint_id, 0)
          AND branch_id = COALESCE(OLD.branch_id, 0);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND (NEW.resolved_first_contact IS NOT NULL OR NEW.csat IS NOT NULL) THEN
        INSERT INTO feedback_service_daily (day, touchpoint_id, branch_id, answered, resolved, csat_responses, csat_sum,
            res_promoters, res_passives, res_detractors, unres_promoters, unres_passives, unres_detractors)
        VALUES (NEW.received_on, COALESCE(NEW.touchpoint_id, 0), COALESCE(NEW.branch_id, 0),
            (NEW.resolved_first_contact IS NOT NULL)::int, (NEW.resolved_first_contact IS TRUE)::int,
            (NEW.csat IS NOT NULL)::int, COALESCE(NEW.csat, 0),
            COALESCE(NEW.resolved_first_contact IS TRUE AND NEW.nps_group = 'promoter', FALSE)::int,
            COALESCE(NEW.resolved_first_contact IS TRUE AND NEW.nps_group = 'passive', FALSE)::int,
            COALESCE(NEW.resolved_first_contact IS TRUE AND NEW.nps_group = 'detractor', FALSE)::int,
            COALESCE(NEW.resolved_first_contact IS FALSE AND NEW.nps_group = 'promoter', FALSE)::int,
            COALESCE(NEW.resolved_first_contact IS FALSE AND NEW.nps_group = 'passive', FALSE)::int,
            COALESCE(NEW.resolved_first_contact IS FALSE AND NEW.nps_group = 'detractor', FALSE)::int)
        ON CONFLICT (day, touchpoint_id, branch_id) DO UPDATE SET
            answered = feedback_service_daily.answered + excluded.answered,
            resolved = feedback_service_daily.resolved + excluded.resolved,
            csat_responses = feedback_service_daily.csat_responses + excluded.csat_responses,
            csat_sum = feedback_service_daily.csat_sum + excluded.csat_sum,
            res_promoters = feedback_service_daily.res_promoters + excluded.res_promoters,
            res_passives = feedback_service_daily.res_passives + excluded.res_passives,
            res_detractors = feedback_service_daily.res_detractors + excluded.res_detractors,
            unres_promoters = feedback_service_daily.unres_promoters + excluded.unres_promoters,
            unres_passives = feedback_service_daily.unres_passives + excluded.unres_passives,
            unres_detractors = feedback_service_daily.unres_detractors + excluded.unres_detractors;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_service_apply() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND (OLD.resolved_first_contact IS NOT NULL OR OLD.csat IS NOT NULL) THEN
        UPDATE feedback_service_daily SET
            answered = answered - (OLD.resolved_first_contact IS NOT NULL)::int,
            resolved = resolved - (OLD.resolved_first_contact IS TRUE)::int,
            csat_responses = csat_responses - (OLD.csat IS NOT NULL)::int,
            csat_sum = csat_sum - COALESCE(OLD.csat, 0),
            res_promoters = res_promoters - (OLD.resolved_first_contact IS TRUE AND OLD.nps_group = 'promoter')::int,
            res_passives = res_passives - (OLD.resolved_first_contact IS TRUE AND OLD.nps_group = 'passive')::int,
            res_detractors = res_detractors - (OLD.resolved_first_contact IS TRUE AND OLD.nps_group = 'detractor')::int,
            unres_promoters = unres_promoters - (OLD.resolved_first_contact IS FALSE AND OLD.nps_group = 'promoter')::int,
            unres_passives = unres_passives - (OLD.resolved_first_contact IS FALSE AND OLD.nps_group = 'passive')::int,
            unres_detractors = unres_detractors - (OLD.resolved_first_contact IS FALSE AND OLD.nps_group = 'detractor')::int
        WHERE day = OLD.received_on AND touchpoint_id = COALESCE(OLD.touchpoint_id, 0)
          AND branch_id = COALESCE(OLD.branch_id, 0);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND (NEW.resolved_first_contact IS NOT NULL OR NEW.csat IS NOT NULL) THEN
        INSERT INTO feedback_service_daily (day, touchpoint_id, branch_id, answered, resolved, csat_responses, csat_sum,
            res_promoters, res_passives, res_detractors, unres_promoters, unres_passives, unres_detractors)
        VALUES (NEW.received_on, COALESCE(NEW.touchpoint_id, 0), COALESCE(NEW.branch_id, 0),
            (NEW.resolved_first_contact IS NOT NULL)::int, (NEW.resolved_first_contact IS TRUE)::int,
            (NEW.csat IS NOT NULL)::int, COALESCE(NEW.csat, 0),
            (NEW.resolved_first_contact IS TRUE AND NEW.nps_group = 'promoter')::int,
            (NEW.resolved_first_contact IS TRUE AND NEW.nps_group = 'passive')::int,
            (NEW.resolved_first_contact IS TRUE AND NEW.nps_group = 'detractor')::int,
            (NEW.resolved_first_contact IS FALSE AND NEW.nps_group = 'promoter')::int,
            (NEW.resolved_first_contact IS FALSE AND NEW.nps_group = 'passive')::int,
            (NEW.resolved_first_contact IS FALSE AND NEW.nps_group = 'detractor')::int)
        ON CONFLICT (day, touchpoint_id, branch_id) DO UPDATE SET
            answered = feedback_service_daily.answered + excluded.answered,
            resolved = feedback_service_daily.resolved + excluded.resolved,
            csat_responses = feedback_service_daily.csat_responses + excluded.csat_responses,
            csat_sum = feedback_service_daily.csat_sum + excluded.csat_sum,
            res_promoters = feedback_service_daily.res_promoters + excluded.res_promoters,
            res_passives = feedback_service_daily.res_passives + excluded.res_passives,
            res_detractors = feedback_service_daily.res_detractors + excluded.res_detractors,
            unres_promoters = feedback_service_daily.unres_promoters + excluded.unres_promoters,
            unres_passives = feedback_service_daily.unres_passives + excluded.unres_passives,
            unres_detractors = feedback_service_daily.unres_detractors + excluded.unres_detractors;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
