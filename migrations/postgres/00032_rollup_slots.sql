-- +goose Up
-- Each rollup key gets up to eight rows, one per slot, and readers sum them (they always
-- summed over keys). A transaction writes its counts into a slot no other running
-- transaction holds (rollup_slot), so two instances' group commits no longer queue on the
-- day's row: before, the first batch's INSERT locked today's rows until its commit, the
-- other instance's batch waited the whole of that transaction (under the soak, a feedback
-- INSERT of five rows took 80-90 ms against 1-2 ms alone, nearly every moment of the
-- minute had one waiting, and two instances served half the requests one did). Deltas
-- of removals and moves go into the writer's slot too, so a slot's row may go below zero;
-- only the sums over slots are counts. SQLite has one writer and keeps every row in slot 0.
ALTER TABLE feedback_daily ADD COLUMN slot INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feedback_daily DROP CONSTRAINT feedback_daily_pkey;
ALTER TABLE feedback_daily ADD PRIMARY KEY (day, touchpoint_id, category_id, slot);
ALTER TABLE feedback_monthly ADD COLUMN slot INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feedback_monthly DROP CONSTRAINT feedback_monthly_pkey;
ALTER TABLE feedback_monthly ADD PRIMARY KEY (month, touchpoint_id, category_id, slot);
ALTER TABLE feedback_service_daily ADD COLUMN slot INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feedback_service_daily DROP CONSTRAINT feedback_service_daily_pkey;
ALTER TABLE feedback_service_daily ADD PRIMARY KEY (day, touchpoint_id, branch_id, slot);

-- rollup_slot returns the slot this transaction writes its rollup counts into: the
-- first of 0-7 whose transaction-scoped advisory lock it holds or can take without
-- waiting. The lock is kept to the commit, so every statement of the transaction gets
-- the same slot and no concurrent transaction gets it. With all eight taken it shares
-- one and waits for its rows as before.
-- +goose StatementBegin
CREATE FUNCTION rollup_slot() RETURNS integer AS $$
BEGIN
    FOR s IN 0..7 LOOP
        -- A pair of keys ("ROLL", slot): PostgreSQL keeps pairs apart from the single
        -- bigint keys of the migration lock.
        IF pg_try_advisory_xact_lock(1819047270, s) THEN
            RETURN s;
        END IF;
    END LOOP;
    RETURN pg_backend_pid() % 8;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- feedback_daily_add adds counts to a day's rollup key, in this transaction's slot. Every
-- way feedback is counted into the daily rollup goes through it.
-- +goose StatementBegin
CREATE FUNCTION feedback_daily_add(d date, touchpoint bigint, category bigint,
        add_promoters integer, add_passives integer, add_detractors integer) RETURNS void AS $$
BEGIN
    INSERT INTO feedback_daily (day, touchpoint_id, category_id, slot, promoters, passives, detractors)
    VALUES (d, touchpoint, category, rollup_slot(), add_promoters, add_passives, add_detractors)
    ON CONFLICT (day, touchpoint_id, category_id, slot) DO UPDATE SET
        promoters = feedback_daily.promoters + excluded.promoters,
        passives = feedback_daily.passives + excluded.passives,
        detractors = feedback_daily.detractors + excluded.detractors;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- A statement's rows are counted once per key, in key order.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_daily_add_rows() RETURNS trigger AS $$
BEGIN
    PERFORM feedback_daily_add(received_on, COALESCE(touchpoint_id, 0), COALESCE(category_id, 0),
           (COUNT(*) FILTER (WHERE nps_group = 'promoter'))::int,
           (COUNT(*) FILTER (WHERE nps_group = 'passive'))::int,
           (COUNT(*) FILTER (WHERE nps_group = 'detractor'))::int)
    FROM new_rows WHERE nps_group IS NOT NULL
    GROUP BY received_on, COALESCE(touchpoint_id, 0), COALESCE(category_id, 0)
    ORDER BY received_on, COALESCE(touchpoint_id, 0), COALESCE(category_id, 0);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_daily_remove_rows() RETURNS trigger AS $$
BEGIN
    PERFORM feedback_daily_add(received_on, COALESCE(touchpoint_id, 0), COALESCE(category_id, 0),
           -(COUNT(*) FILTER (WHERE nps_group = 'promoter'))::int,
           -(COUNT(*) FILTER (WHERE nps_group = 'passive'))::int,
           -(COUNT(*) FILTER (WHERE nps_group = 'detractor'))::int)
    FROM old_rows WHERE nps_group IS NOT NULL
    GROUP BY received_on, COALESCE(touchpoint_id, 0), COALESCE(category_id, 0)
    ORDER BY received_on, COALESCE(touchpoint_id, 0), COALESCE(category_id, 0);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- feedback_daily_count counts one feedback's group into its day's rollup, sign 1 or -1.
-- +goose StatementBegin
CREATE FUNCTION feedback_daily_count(f feedback, sign integer) RETURNS void AS $$
BEGIN
    IF f.nps_group IS NOT NULL THEN
        PERFORM feedback_daily_add(f.received_on, COALESCE(f.touchpoint_id, 0), COALESCE(f.category_id, 0),
            sign * (f.nps_group = 'promoter')::int, sign * (f.nps_group = 'passive')::int,
            sign * (f.nps_group = 'detractor')::int);
    END IF;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_daily_apply() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM feedback_daily_count(OLD, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM feedback_daily_count(NEW, 1);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- A daily row's slot never changes, so its month's row is the one in the same slot.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_monthly_apply() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE feedback_monthly SET
            promoters = promoters - OLD.promoters,
            passives = passives - OLD.passives,
            detractors = detractors - OLD.detractors
        WHERE month = to_char(OLD.day, 'YYYY-MM') AND touchpoint_id = OLD.touchpoint_id
          AND category_id = OLD.category_id AND slot = OLD.slot;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO feedback_monthly (month, touchpoint_id, category_id, slot, promoters, passives, detractors)
        VALUES (to_char(NEW.day, 'YYYY-MM'), NEW.touchpoint_id, NEW.category_id, NEW.slot,
                NEW.promoters, NEW.passives, NEW.detractors)
        ON CONFLICT (month, touchpoint_id, category_id, slot) DO UPDATE SET
            promoters = feedback_monthly.promoters + excluded.promoters,
            passives = feedback_monthly.passives + excluded.passives,
            detractors = feedback_monthly.detractors + excluded.detractors;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- feedback_service_count adds one feedback's service answers to its day's rollup,
-- sign 1 or -1.
-- +goose StatementBegin
CREATE FUNCTION feedback_service_count(f feedback, sign integer) RETURNS void AS $$
BEGIN
    IF f.resolved_first_contact IS NULL AND f.csat IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO feedback_service_daily (day, touchpoint_id, branch_id, slot, answered, resolved, csat_responses, csat_sum,
        res_promoters, res_passives, res_detractors, unres_promoters, unres_passives, unres_detractors)
    VALUES (f.received_on, COALESCE(f.touchpoint_id, 0), COALESCE(f.branch_id, 0), rollup_slot(),
        sign * (f.resolved_first_contact IS NOT NULL)::int, sign * (f.resolved_first_contact IS TRUE)::int,
        sign * (f.csat IS NOT NULL)::int, sign * COALESCE(f.csat, 0),
        sign * COALESCE(f.resolved_first_contact IS TRUE AND f.nps_group = 'promoter', FALSE)::int,
        sign * COALESCE(f.resolved_first_contact IS TRUE AND f.nps_group = 'passive', FALSE)::int,
        sign * COALESCE(f.resolved_first_contact IS TRUE AND f.nps_group = 'detractor', FALSE)::int,
        sign * COALESCE(f.resolved_first_contact IS FALSE AND f.nps_group = 'promoter', FALSE)::int,
        sign * COALESCE(f.resolved_first_contact IS FALSE AND f.nps_group = 'passive', FALSE)::int,
        sign * COALESCE(f.resolved_first_contact IS FALSE AND f.nps_group = 'detractor', FALSE)::int)
    ON CONFLICT (day, touchpoint_id, branch_id, slot) DO UPDATE SET
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
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_service_apply() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM feedback_service_count(OLD, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM feedback_service_count(NEW, 1);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- +goose Down
-- Every slot's counts are folded into slot 0, then the functions of 00018, 00022, 00024
-- and 00025 come back.
ALTER TABLE feedback_daily DISABLE TRIGGER feedback_monthly_apply;
CREATE TEMP TABLE folded_daily AS SELECT day, touchpoint_id, category_id, SUM(promoters) AS promoters,
    SUM(passives) AS passives, SUM(detractors) AS detractors FROM feedback_daily GROUP BY 1, 2, 3;
DELETE FROM feedback_daily;
ALTER TABLE feedback_daily DROP COLUMN slot;
ALTER TABLE feedback_daily ADD PRIMARY KEY (day, touchpoint_id, category_id);
INSERT INTO feedback_daily (day, touchpoint_id, category_id, promoters, passives, detractors) SELECT * FROM folded_daily;
ALTER TABLE feedback_daily ENABLE TRIGGER feedback_monthly_apply;
CREATE TEMP TABLE folded_monthly AS SELECT month, touchpoint_id, category_id, SUM(promoters) AS promoters,
    SUM(passives) AS passives, SUM(detractors) AS detractors FROM feedback_monthly GROUP BY 1, 2, 3;
DELETE FROM feedback_monthly;
ALTER TABLE feedback_monthly DROP COLUMN slot;
ALTER TABLE feedback_monthly ADD PRIMARY KEY (month, touchpoint_id, category_id);
INSERT INTO feedback_monthly (month, touchpoint_id, category_id, promoters, passives, detractors) SELECT * FROM folded_monthly;
CREATE TEMP TABLE folded_service AS SELECT day, touchpoint_id, branch_id, SUM(answered) AS answered, SUM(resolved) AS resolved,
    SUM(csat_responses) AS csat_responses, SUM(csat_sum) AS csat_sum, SUM(res_promoters) AS res_promoters,
    SUM(res_passives) AS res_passives, SUM(res_detractors) AS res_detractors, SUM(unres_promoters) AS unres_promoters,
    SUM(unres_passives) AS unres_passives, SUM(unres_detractors) AS unres_detractors
    FROM feedback_service_daily GROUP BY 1, 2, 3;
DELETE FROM feedback_service_daily;
ALTER TABLE feedback_service_daily DROP COLUMN slot;
ALTER TABLE feedback_service_daily ADD PRIMARY KEY (day, touchpoint_id, branch_id);
INSERT INTO feedback_service_daily (day, touchpoint_id, branch_id, answered, resolved, csat_responses, csat_sum,
    res_promoters, res_passives, res_detractors, unres_promoters, unres_passives, unres_detractors) SELECT * FROM folded_service;
DROP TABLE folded_daily, folded_monthly, folded_service;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_daily_add_rows() RETURNS trigger AS $$
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
CREATE OR REPLACE FUNCTION feedback_daily_remove_rows() RETURNS trigger AS $$
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
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_daily_apply() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.nps_group IS NOT NULL THEN
        UPDATE feedback_daily SET
            promoters = promoters - (OLD.nps_group = 'promoter')::int,
            passives = passives - (OLD.nps_group = 'passive')::int,
            detractors = detractors - (OLD.nps_group = 'detractor')::int
        WHERE day = OLD.received_on AND touchpoint_id = COALESCE(OLD.touchpoint_id, 0)
          AND category_id = COALESCE(OLD.category_id, 0);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.nps_group IS NOT NULL THEN
        INSERT INTO feedback_daily (day, touchpoint_id, category_id, promoters, passives, detractors)
        VALUES (NEW.received_on, COALESCE(NEW.touchpoint_id, 0), COALESCE(NEW.category_id, 0),
                (NEW.nps_group = 'promoter')::int, (NEW.nps_group = 'passive')::int, (NEW.nps_group = 'detractor')::int)
        ON CONFLICT (day, touchpoint_id, category_id) DO UPDATE SET
            promoters = feedback_daily.promoters + excluded.promoters,
            passives = feedback_daily.passives + excluded.passives,
            detractors = feedback_daily.detractors + excluded.detractors;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_monthly_apply() RETURNS trigger AS $$
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
DROP FUNCTION feedback_service_count(feedback, integer);
DROP FUNCTION feedback_daily_count(feedback, integer);
DROP FUNCTION feedback_daily_add(date, bigint, bigint, integer, integer, integer);
DROP FUNCTION rollup_slot();
