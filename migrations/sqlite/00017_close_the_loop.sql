-- +goose Up
-- Issue 17: people on feedback, ownership of the call-back, alerts, webhooks, branch
-- managers. Additive only: new nullable columns and new tables.

-- The employee the customer dealt with: the address as given (kept as text when it is
-- nobody's), and the user it names when it is someone's. The phone number is a customer
-- contact like name and e-mail: erased and retained by the same rules.
ALTER TABLE feedback ADD COLUMN employee_email TEXT;
ALTER TABLE feedback ADD COLUMN employee_id INTEGER REFERENCES users (id);
ALTER TABLE feedback ADD COLUMN customer_phone TEXT;
CREATE INDEX feedback_employee ON feedback (employee_id, received_at DESC, id DESC) WHERE employee_id IS NOT NULL;

-- Which mails a user does not want (comma-separated kinds); in-app alerts always show.
ALTER TABLE users ADD COLUMN mail_opt_out TEXT NOT NULL DEFAULT '';

-- A branch manager's branches.
CREATE TABLE user_branches (
    user_id   INTEGER NOT NULL REFERENCES users (id),
    branch_id INTEGER NOT NULL REFERENCES branches (id),
    PRIMARY KEY (user_id, branch_id)
);
CREATE INDEX user_branches_branch ON user_branches (branch_id);

-- Who owns a detractor's call-back and how far it got: open, tried (not reached), done.
CREATE TABLE follow_ups (
    feedback_id     INTEGER PRIMARY KEY REFERENCES feedback (id),
    owner_id        INTEGER REFERENCES users (id),
    state           TEXT NOT NULL DEFAULT 'open',
    tries           INTEGER NOT NULL DEFAULT 0,
    last_tried_at   DATETIME,
    warned_at       DATETIME,
    overdue_at      DATETIME,
    changed_by_id   INTEGER REFERENCES users (id),
    change_action   TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      DATETIME NOT NULL
);
CREATE INDEX follow_ups_owner ON follow_ups (owner_id, state);
CREATE INDEX follow_ups_unwarned ON follow_ups (feedback_id) WHERE state <> 'done' AND (warned_at IS NULL OR overdue_at IS NULL);

-- In-app alerts: the bell.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL,
    feedback_id INTEGER REFERENCES feedback (id),
    improvement_id INTEGER REFERENCES improvements (id),
    detail      TEXT NOT NULL DEFAULT '',
    read_at     DATETIME,
    created_at  DATETIME NOT NULL
);
CREATE INDEX notifications_user ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- Webhook receivers configured by an admin, each with its events ('' = all).
CREATE TABLE webhook_endpoints (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    url        TEXT NOT NULL,
    events     TEXT NOT NULL DEFAULT '',
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);

-- An event, stored in the transaction of what it reports, and one delivery per URL.
CREATE TABLE webhook_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id TEXT NOT NULL,
    type       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX webhook_events_webhook_id ON webhook_events (webhook_id);

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        INTEGER NOT NULL REFERENCES webhook_events (id),
    url             TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    locked_until    DATETIME,
    last_status     INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    last_attempt_at DATETIME,
    delivered_at    DATETIME,
    created_at      DATETIME NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (id DESC);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhook_endpoints;
DROP TABLE notifications;
DROP TABLE follow_ups;
DROP TABLE user_branches;
ALTER TABLE users DROP COLUMN mail_opt_out;
DROP INDEX feedback_employee;
ALTER TABLE feedback DROP COLUMN customer_phone;
ALTER TABLE feedback DROP COLUMN employee_id;
ALTER TABLE feedback DROP COLUMN employee_email;
