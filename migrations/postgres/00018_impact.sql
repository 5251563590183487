-- +goose Up
-- Issue 18: did it work? The day an improvement took effect (it may be recorded later
-- than the status change), optional savings, first-contact resolution and CSAT on
-- feedback, a yearly NPS target, and search that finds Danish word forms.

ALTER TABLE improvements ADD COLUMN implemented_on DATE;
ALTER TABLE improvements ADD COLUMN savings_estimated_kr BIGINT;
ALTER TABLE improvements ADD COLUMN savings_realised_kr BIGINT;
ALTER TABLE improvements ADD COLUMN hours_estimated INTEGER;
ALTER TABLE improvements ADD COLUMN hours_realised INTEGER;

ALTER TABLE feedback ADD COLUMN resolved_first_contact BOOLEAN;
ALTER TABLE feedback ADD COLUMN csat INTEGER CHECK (csat BETWEEN 1 AND 5);

CREATE TABLE nps_targets (
    year       INTEGER PRIMARY KEY,
    target     INTEGER NOT NULL CHECK (target BETWEEN -100 AND 100),
    updated_at TIMESTAMPTZ NOT NULL
);

-- Daily first-contact resolution and CSAT per touchpoint and branch (0 = none), with
-- the NPS groups split by resolved / not resolved. The triggers fire only for
-- feedback that carries either answer, so logging plain feedback costs nothing more.
CREATE TABLE feedback_service_daily (
    day             DATE NOT NULL,
    touchpoint_id   BIGINT NOT NULL,
    branch_id       BIGINT NOT NULL,
    answered        INTEGER NOT NULL DEFAULT 0,
    resolved        INTEGER NOT NULL DEFAULT 0,
    csat_responses  INTEGER NOT NULL DEFAULT 0,
    csat_sum        INTEGER NOT NULL DEFAULT 0,
    res_promoters   INTEGER NOT NULL DEFAULT 0,
    res_passives    INTEGER NOT NULL DEFAULT 0,
    res_detractors  INTEGER NOT NULL DEFAULT 0,
    unres_promoters  INTEGER NOT NULL DEFAULT 0,
    unres_passives   INTEGER NOT NULL DEFAULT 0,
    unres_detractors INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, touchpoint_id, branch_id)
);
-- +goose StatementBegin
CREATE FUNCTION feedback_service_apply() RETURNS trigger AS $$
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
CREATE TRIGGER feedback_service_insert AFTER INSERT OR DELETE ON feedback
    FOR EACH ROW EXECUTE FUNCTION feedback_service_apply();
CREATE TRIGGER feedback_service_update
    AFTER UPDATE OF received_on, touchpoint_id, branch_id, nps_group, resolved_first_contact, csat ON feedback
    FOR EACH ROW EXECUTE FUNCTION feedback_service_apply();

-- Search: the Danish Snowball stemmer ("Rådgiveren" and "rådgiver" both become
-- "rådgiv"); queries add :* prefixes (models/search.go). The column is rebuilt with it.
DROP INDEX feedback_search;
ALTER TABLE feedback DROP COLUMN search;
ALTER TABLE feedback ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('danish', comment)) STORED;
CREATE INDEX feedback_search ON feedback USING GIN (search);

-- +goose Down
DROP INDEX feedback_search;
ALTER TABLE feedback DROP COLUMN search;
ALTER TABLE feedback ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', comment)) STORED;
CREATE INDEX feedback_search ON feedback USING GIN (search);
DROP TRIGGER feedback_service_update ON feedback;
DROP TRIGGER feedback_service_insert ON feedback;
DROP FUNCTION feedback_service_apply();
DROP TABLE feedback_service_daily;
DROP TABLE nps_targets;
ALTER TABLE feedback DROP COLUMN csat;
ALTER TABLE feedback DROP COLUMN resolved_first_contact;
ALTER TABLE improvements DROP COLUMN hours_realised;
ALTER TABLE improvements DROP COLUMN hours_estimated;
ALTER TABLE improvements DROP COLUMN savings_realised_kr;
ALTER TABLE improvements DROP COLUMN savings_estimated_kr;
ALTER TABLE improvements DROP COLUMN implemented_on;
