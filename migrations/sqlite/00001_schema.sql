-- +goose Up
CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    email          TEXT NOT NULL,
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    roles          TEXT NOT NULL DEFAULT '',
    lang           TEXT NOT NULL DEFAULT 'en',
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    auth_version   INTEGER NOT NULL DEFAULT 1,
    last_channel_id INTEGER,
    last_branch_id  INTEGER,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry DATETIME NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL DEFAULT '',
    token_hash   TEXT NOT NULL,
    last_used_at DATETIME,
    created_at   DATETIME NOT NULL
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);

CREATE TABLE channels (
    id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL, name TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX channels_code ON channels (code);
CREATE TABLE touchpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL, name TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX touchpoints_code ON touchpoints (code);
CREATE TABLE branches (
    id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL, name TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,
    goodwill_monthly_limit INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX branches_code ON branches (code);
CREATE TABLE functional_areas (
    id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL, name TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX functional_areas_code ON functional_areas (code);
CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL, name TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX categories_code ON categories (code);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at DATETIME NOT NULL
);

CREATE TABLE goals (
    year       INTEGER PRIMARY KEY,
    target     INTEGER NOT NULL,
    updated_at DATETIME NOT NULL
);

CREATE TABLE feedback (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id             TEXT,
    received_at             DATETIME NOT NULL,
    received_on             DATE NOT NULL,
    channel_id              INTEGER NOT NULL REFERENCES channels (id),
    touchpoint_id           INTEGER REFERENCES touchpoints (id),
    branch_id               INTEGER REFERENCES branches (id),
    category_id             INTEGER REFERENCES categories (id),
    segment                 TEXT,
    nps                     INTEGER CHECK (nps BETWEEN 0 AND 10),
    nps_group               TEXT,
    comment                 TEXT NOT NULL DEFAULT '',
    customer_name           TEXT,
    customer_email          TEXT,
    consent                 BOOLEAN NOT NULL DEFAULT FALSE,
    praised_colleague       TEXT,
    logged_by_id            INTEGER REFERENCES users (id),
    follow_up_due_at        DATETIME,
    followed_up_at          DATETIME,
    follow_up_by_id         INTEGER REFERENCES users (id),
    follow_up_note          TEXT,
    follow_up_root_cause_id INTEGER REFERENCES categories (id),
    goodwill_amount         INTEGER NOT NULL DEFAULT 0,
    triage_status           TEXT NOT NULL DEFAULT 'new',
    triage_reason           TEXT,
    personal_data_erased_at DATETIME,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              DATETIME NOT NULL,
    updated_at              DATETIME NOT NULL
);
CREATE UNIQUE INDEX feedback_external_id ON feedback (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX feedback_received ON feedback (received_at DESC, id DESC);
CREATE INDEX feedback_received_on ON feedback (received_on, nps_group);
CREATE INDEX feedback_channel ON feedback (channel_id, received_at DESC, id DESC);
CREATE INDEX feedback_touchpoint ON feedback (touchpoint_id, received_at DESC, id DESC);
CREATE INDEX feedback_branch ON feedback (branch_id, received_at DESC, id DESC);
CREATE INDEX feedback_group ON feedback (nps_group, received_at DESC, id DESC);
CREATE INDEX feedback_triage ON feedback (triage_status, received_at, id);
CREATE INDEX feedback_logged_by ON feedback (logged_by_id, received_at DESC, id DESC);
CREATE INDEX feedback_follow_up_open ON feedback (follow_up_due_at) WHERE follow_up_due_at IS NOT NULL AND followed_up_at IS NULL;
CREATE INDEX feedback_customer_email ON feedback (customer_email) WHERE customer_email IS NOT NULL;
CREATE INDEX feedback_followed_up ON feedback (followed_up_at) WHERE followed_up_at IS NOT NULL;

-- Full-text search over comments; kept in step with feedback by triggers.
CREATE VIRTUAL TABLE feedback_fts USING fts5 (comment, content = 'feedback', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
-- +goose StatementBegin
CREATE TRIGGER feedback_fts_insert AFTER INSERT ON feedback BEGIN
    INSERT INTO feedback_fts (rowid, comment) VALUES (new.id, new.comment);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER feedback_fts_delete AFTER DELETE ON feedback BEGIN
    INSERT INTO feedback_fts (feedback_fts, rowid, comment) VALUES ('delete', old.id, old.comment);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER feedback_fts_update AFTER UPDATE OF comment ON feedback BEGIN
    INSERT INTO feedback_fts (feedback_fts, rowid, comment) VALUES ('delete', old.id, old.comment);
    INSERT INTO feedback_fts (rowid, comment) VALUES (new.id, new.comment);
END;
-- +goose StatementEnd

-- Daily NPS counts per touchpoint and category (0 = none), kept by triggers so that
-- dashboards and reports never scan the feedback table.
CREATE TABLE feedback_daily (
    day           DATE NOT NULL,
    touchpoint_id INTEGER NOT NULL,
    category_id   INTEGER NOT NULL,
    promoters     INTEGER NOT NULL DEFAULT 0,
    passives      INTEGER NOT NULL DEFAULT 0,
    detractors    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, touchpoint_id, category_id)
);
-- +goose StatementBegin
CREATE TRIGGER feedback_daily_insert AFTER INSERT ON feedback WHEN new.nps_group IS NOT NULL BEGIN
    INSERT INTO feedback_daily (day, touchpoint_id, category_id, promoters, passives, detractors)
    VALUES (new.received_on, COALESCE(new.touchpoint_id, 0), COALESCE(new.category_id, 0),
            new.nps_group = 'promoter', new.nps_group = 'passive', new.nps_group = 'detractor')
    ON CONFLICT (day, touchpoint_id, category_id) DO UPDATE SET
        promoters = promoters + excluded.promoters,
        passives = passives + excluded.passives,
        detractors = detractors + excluded.detractors;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER feedback_daily_delete AFTER DELETE ON feedback WHEN old.nps_group IS NOT NULL BEGIN
    UPDATE feedback_daily SET
        promoters = promoters - (old.nps_group = 'promoter'),
        passives = passives - (old.nps_group = 'passive'),
        detractors = detractors - (old.nps_group = 'detractor')
    WHERE day = old.received_on AND touchpoint_id = COALESCE(old.touchpoint_id, 0)
      AND category_id = COALESCE(old.category_id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER feedback_daily_update AFTER UPDATE OF received_on, touchpoint_id, category_id, nps_group ON feedback BEGIN
    UPDATE feedback_daily SET
        promoters = promoters - (old.nps_group = 'promoter'),
        passives = passives - (old.nps_group = 'passive'),
        detractors = detractors - (old.nps_group = 'detractor')
    WHERE old.nps_group IS NOT NULL AND day = old.received_on
      AND touchpoint_id = COALESCE(old.touchpoint_id, 0) AND category_id = COALESCE(old.category_id, 0);
    INSERT INTO feedback_daily (day, touchpoint_id, category_id, promoters, passives, detractors)
    SELECT new.received_on, COALESCE(new.touchpoint_id, 0), COALESCE(new.category_id, 0),
           new.nps_group = 'promoter', new.nps_group = 'passive', new.nps_group = 'detractor'
    WHERE new.nps_group IS NOT NULL
    ON CONFLICT (day, touchpoint_id, category_id) DO UPDATE SET
        promoters = promoters + excluded.promoters,
        passives = passives + excluded.passives,
        detractors = detractors + excluded.detractors;
END;
-- +goose StatementEnd

CREATE TABLE improvements (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    title              TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    category_id        INTEGER REFERENCES categories (id),
    impact             INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    effort             TEXT NOT NULL,
    priority           INTEGER NOT NULL,
    track              TEXT NOT NULL,
    suggested_track    TEXT NOT NULL,
    track_reason       TEXT,
    status             TEXT NOT NULL,
    owner_id           INTEGER REFERENCES users (id),
    assignee_id        INTEGER REFERENCES users (id),
    functional_area_id INTEGER REFERENCES functional_areas (id),
    target_date        DATE,
    defer_until        DATE,
    resolution_note    TEXT,
    reject_reason      TEXT,
    merged_into_id     INTEGER REFERENCES improvements (id),
    created_by_id      INTEGER REFERENCES users (id),
    implemented_at     DATETIME,
    status_changed_at  DATETIME NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL
);
CREATE INDEX improvements_status ON improvements (status, priority DESC, id) WHERE merged_into_id IS NULL;
CREATE INDEX improvements_track ON improvements (track, status, priority DESC, id) WHERE merged_into_id IS NULL;
CREATE INDEX improvements_implemented ON improvements (implemented_at) WHERE implemented_at IS NOT NULL;
CREATE INDEX improvements_deferred ON improvements (defer_until) WHERE status = 'deferred';
CREATE INDEX improvements_owner ON improvements (owner_id, status);
CREATE INDEX improvements_assignee ON improvements (assignee_id, status);
CREATE INDEX improvements_title ON improvements (title);

CREATE TABLE improvement_feedback (
    improvement_id INTEGER NOT NULL REFERENCES improvements (id),
    feedback_id    INTEGER NOT NULL REFERENCES feedback (id),
    created_at     DATETIME NOT NULL,
    PRIMARY KEY (improvement_id, feedback_id)
);
CREATE INDEX improvement_feedback_feedback ON improvement_feedback (feedback_id);

CREATE TABLE history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users (id),
    action      TEXT NOT NULL,
    field       TEXT NOT NULL DEFAULT '',
    from_value  TEXT NOT NULL DEFAULT '',
    to_value    TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);
CREATE INDEX history_entity ON history (entity, entity_id, id);

CREATE TABLE comments (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    improvement_id INTEGER NOT NULL REFERENCES improvements (id),
    user_id        INTEGER NOT NULL REFERENCES users (id),
    kind           TEXT NOT NULL DEFAULT 'comment',
    body           TEXT NOT NULL,
    created_at     DATETIME NOT NULL
);
CREATE INDEX comments_improvement ON comments (improvement_id, id);

CREATE TABLE meetings (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    held_on       DATE NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'planned',
    created_by_id INTEGER REFERENCES users (id),
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE INDEX meetings_held_on ON meetings (held_on DESC);

CREATE TABLE meeting_attendees (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (meeting_id, user_id)
);

CREATE TABLE agenda_items (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id     INTEGER NOT NULL REFERENCES meetings (id),
    improvement_id INTEGER NOT NULL REFERENCES improvements (id),
    position       INTEGER NOT NULL,
    decision       TEXT,
    rationale      TEXT NOT NULL DEFAULT '',
    decided_at     DATETIME,
    decided_by_id  INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX agenda_items_meeting_improvement ON agenda_items (meeting_id, improvement_id);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key      TEXT NOT NULL,
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    locked_until    DATETIME,
    last_error      TEXT NOT NULL DEFAULT '',
    sent_at         DATETIME,
    created_at      DATETIME NOT NULL
);
CREATE UNIQUE INDEX outbox_dedupe ON outbox (dedupe_key);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending';

-- Background jobs that must run once across all app instances take a lease here.
CREATE TABLE job_leases (
    name         TEXT PRIMARY KEY,
    holder       TEXT NOT NULL,
    leased_until DATETIME NOT NULL
);

-- +goose Down
DROP TABLE job_leases;
DROP TABLE outbox;
DROP TABLE agenda_items;
DROP TABLE meeting_attendees;
DROP TABLE meetings;
DROP TABLE comments;
DROP TABLE history;
DROP TABLE improvement_feedback;
DROP TABLE improvements;
DROP TABLE feedback_daily;
DROP TABLE feedback_fts;
DROP TABLE feedback;
DROP TABLE goals;
DROP TABLE settings;
DROP TABLE categories;
DROP TABLE functional_areas;
DROP TABLE branches;
DROP TABLE touchpoints;
DROP TABLE channels;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
