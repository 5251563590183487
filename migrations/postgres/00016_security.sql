-- +goose Up
-- Issue 16: security and privacy (see the SQLite migration for the reasons).

ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
ALTER TABLE api_tokens ADD COLUMN revoked_at TIMESTAMPTZ;
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

DELETE FROM sessions;

CREATE TABLE login_throttle (
    key_hash      TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL DEFAULT 0,
    blocked_until TIMESTAMPTZ,
    updated_at    TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE login_throttle;
DROP INDEX api_tokens_user;
ALTER TABLE api_tokens DROP COLUMN revoked_at;
ALTER TABLE api_tokens DROP COLUMN expires_at;
