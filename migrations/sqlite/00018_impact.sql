-- +goose Up
-- Issue 18: did it work? The day an improvement took effect (it may be recorded later
-- than the status change), optional savings, first-contact resolution and CSAT on
-- feedback, a yearly NPS target, and search that finds Danish word forms.

ALTER TABLE improvements ADD COLUMN implemented_on DATE;
ALTER TABLE improvements ADD COLUMN savings_estimated_kr INTEGER;
ALTER TABLE improvements ADD COLUMN savings_realised_kr INTEGER;
ALTER TABLE improvements ADD COLUMN hours_estimated INTEGER;
ALTER TABLE improvements ADD COLUMN hours_realised INTEGER;

ALTER TABLE feedback ADD COLUMN resolved_first_contact BOOLEAN;
ALTER TABLE feedback ADD COLUMN csat INTEGER CHECK (csat BETWEEN 1 AND 5);

CREATE TABLE nps_targets (
    year       INTEGER PRIMARY KEY,
    target     INTEGER NOT NULL CHECK (target BETWEEN -100 AND 100),
    updated_at DATETIME NOT NULL
);

-- Daily first-contact resolution and CSAT per touchpoint and branch (0 = none), with
-- the NPS groups split by resolved / not resolved. Kept by triggers that fire only for
-- feedback that carries either answer, so logging plain feedback costs nothing more.
CREATE TABLE feedback_service_daily (
    day             DATE NOT NULL,
    touchpoint_id   INTEGER NOT NULL,
    branch_id       INTEGER NOT NULL,
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
CREATE TRIGGER feedback_service_insert AFTER INSERT ON feedback
WHEN new.resolved_first_contact IS NOT NULL OR new.csat IS NOT NULL BEGIN
    INSERT INTO feedback_service_daily (day, touchpoint_id, branch_id, answered, resolved, csat_responses, csat_sum,
        res_promoters, res_passives, res_detractors, unres_promoters, unres_passives, unres_detractors)
    VALUES (new.received_on, COALESCE(new.touchpoint_id, 0), COALESCE(new.branch_id, 0),
        new.resolved_first_contact IS NOT NULL, COALESCE(new.resolved_first_contact = 1, 0),
        new.csat IS NOT NULL, COALESCE(new.csat, 0),
        COALESCE(new.resolved_first_contact = 1 AND new.nps_group = 'promoter', 0),
        COALESCE(new.resolved_first_contact = 1 AND new.nps_group = 'passive', 0),
        COALESCE(new.resolved_first_contact = 1 AND new.nps_group = 'detractor', 0),
        COALESCE(new.resolved_first_contact = 0 AND new.nps_group = 'promoter', 0),
        COALESCE(new.resolved_first_contact = 0 AND new.nps_group = 'passive', 0),
        COALESCE(new.resolved_first_contact = 0 AND new.nps_group = 'detractor', 0))
    ON CONFLICT (day, touchpoint_id, branch_id) DO UPDATE SET
        answered = answered + excluded.answered, resolved = resolved + excluded.resolved,
        csat_responses = csat_responses + excluded.csat_responses, csat_sum = csat_sum + excluded.csat_sum,
        res_promoters = res_promoters + excluded.res_promoters, res_passives = res_passives + excluded.res_passives,
        res_detractors = res_detractors + excluded.res_detractors,
        unres_promoters = unres_promoters + excluded.unres_promoters, unres_passives = unres_passives + excluded.unres_passives,
        unres_detractors = unres_detractors + excluded.unres_detractors;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER feedback_service_delete AFTER DELETE ON feedback
WHEN old.resolved_first_contact IS NOT NULL OR old.csat IS NOT NULL BEGIN
    UPDATE feedback_service_daily SET
        answered = answered - (old.resolved_first_contact IS NOT NULL),
        resolved = resolved - COALESCE(old.resolved_first_contact = 1, 0),
        csat_responses = csat_responses - (old.csat IS NOT NULL), csat_sum = csat_sum - COALESCE(old.csat, 0),
        res_promoters = res_promoters - COALESCE(old.resolved_first_contact = 1 AND old.nps_group = 'promoter', 0),
        res_passives = res_passives - COALESCE(old.resolved_first_contact = 1 AND old.nps_group = 'passive', 0),
        res_detractors = res_detractors - COALESCE(old.resolved_first_contact = 1 AND old.nps_group = 'detractor', 0),
        unres_promoters = unres_promoters - COALESCE(old.resolved_first_contact = 0 AND old.nps_group = 'promoter', 0),
        unres_passives = unres_passives - COALESCE(old.resolved_first_contact = 0 AND old.nps_group = 'passive', 0),
        unres_detractors = unres_detractors - COALESCE(old.resolved_first_contact = 0 AND old.nps_group = 'detractor', 0)
    WHERE day = old.received_on AND touchpoint_id = COALESCE(old.touchpoint_id, 0) AND branch_id = COALESCE(old.branch_id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER feedback_service_update AFTER UPDATE OF received_on, touchpoint_id, branch_id, nps_group, resolved_first_contact, csat ON feedback
WHEN old.resolved_first_contact IS NOT NULL OR old.csat IS NOT NULL OR new.resolved_first_contact IS NOT NULL OR new.csat IS NOT NULL BEGIN
    UPDATE feedback_service_daily SET
        answered = answered - (old.resolved_first_contact IS NOT NULL),
        resolved = resolved - COALESCE(old.resolved_first_contact = 1, 0),
        csat_responses = csat_responses - (old.csat IS NOT NULL), csat_sum = csat_sum - COALESCE(old.csat, 0),
        res_promoters = res_promoters - COALESCE(old.resolved_first_contact = 1 AND old.nps_group = 'promoter', 0),
        res_passives = res_passives - COALESCE(old.resolved_first_contact = 1 AND old.nps_group = 'passive', 0),
        res_detractors = res_detractors - COALESCE(old.resolved_first_contact = 1 AND old.nps_group = 'detractor', 0),
        unres_promoters = unres_promoters - COALESCE(old.resolved_first_contact = 0 AND old.nps_group = 'promoter', 0),
        unres_passives = unres_passives - COALESCE(old.resolved_first_contact = 0 AND old.nps_group = 'passive', 0),
        unres_detractors = unres_detractors - COALESCE(old.resolved_first_contact = 0 AND old.nps_group = 'detractor', 0)
    WHERE (old.resolved_first_contact IS NOT NULL OR old.csat IS NOT NULL) AND day = old.received_on
      AND touchpoint_id = COALESCE(old.touchpoint_id, 0) AND branch_id = COALESCE(old.branch_id, 0);
    INSERT INTO feedback_service_daily (day, touchpoint_id, branch_id, answered, resolved, csat_responses, csat_sum,
        res_promoters, res_passives, res_detractors, unres_promoters, unres_passives, unres_detractors)
    SELECT new.received_on, COALESCE(new.touchpoint_id, 0), COALESCE(new.branch_id, 0),
        new.resolved_first_contact IS NOT NULL, COALESCE(new.resolved_first_contact = 1, 0),
        new.csat IS NOT NULL, COALESCE(new.csat, 0),
        COALESCE(new.resolved_first_contact = 1 AND new.nps_group = 'promoter', 0),
        COALESCE(new.resolved_first_contact = 1 AND new.nps_group = 'passive', 0),
        COALESCE(new.resolved_first_contact = 1 AND new.nps_group = 'detractor', 0),
        COALESCE(new.resolved_first_contact = 0 AND new.nps_group = 'promoter', 0),
        COALESCE(new.resolved_first_contact = 0 AND new.nps_group = 'passive', 0),
        COALESCE(new.resolved_first_contact = 0 AND new.nps_group = 'detractor', 0)
    WHERE new.resolved_first_contact IS NOT NULL OR new.csat IS NOT NULL
    ON CONFLICT (day, touchpoint_id, branch_id) DO UPDATE SET
        answered = answered + excluded.answered, resolved = resolved + excluded.resolved,
        csat_responses = csat_responses + excluded.csat_responses, csat_sum = csat_sum + excluded.csat_sum,
        res_promoters = res_promoters + excluded.res_promoters, res_passives = res_passives + excluded.res_passives,
        res_detractors = res_detractors + excluded.res_detractors,
        unres_promoters = unres_promoters + excluded.unres_promoters, unres_passives = unres_passives + excluded.unres_passives,
        unres_detractors = unres_detractors + excluded.unres_detractors;
END;
-- +goose StatementEnd

-- Search: the index stays as it is (unicode61 already folds case and diacritics, so
-- rebuilding it would change nothing); queries now match Danish word forms by stem
-- and prefix (models/search.go), spelling each prefix out as the indexed words it
-- matches, read from this vocabulary (a view of the index, no storage of its own).
CREATE VIRTUAL TABLE feedback_fts_vocab USING fts5vocab (feedback_fts, row);

-- +goose Down
DROP TABLE feedback_fts_vocab;
DROP TRIGGER feedback_service_update;
DROP TRIGGER feedback_service_delete;
DROP TRIGGER feedback_service_insert;
DROP TABLE feedback_service_daily;
DROP TABLE nps_targets;
ALTER TABLE feedback DROP COLUMN csat;
ALTER TABLE feedback DROP COLUMN resolved_first_contact;
ALTER TABLE improvements DROP COLUMN hours_realised;
ALTER TABLE improvements DROP COLUMN hours_estimated;
ALTER TABLE improvements DROP COLUMN savings_realised_kr;
ALTER TABLE improvements DROP COLUMN savings_estimated_kr;
ALTER TABLE improvements DROP COLUMN implemented_on;
