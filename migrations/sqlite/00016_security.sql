-- +goose Up
-- Issue 16: security and privacy.

-- FTS5 normally records a deleted row as a "delete marker" in a new segment and keeps
-- the old tokens until segments merge; with secure-delete the tokens leave the index at
-- once, so an erased customer's name typed into a comment is gone from feedback_fts_data.
INSERT INTO feedback_fts (feedback_fts, rank) VALUES ('secure-delete', 1);

-- API tokens get a lifecycle: an optional expiry and a revocation time (a revoked token
-- stays listed, so an admin sees what existed and when it ended).
ALTER TABLE api_tokens ADD COLUMN expires_at DATETIME;
ALTER TABLE api_tokens ADD COLUMN revoked_at DATETIME;
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

-- Sessions are now stored under the SHA-256 of their token; the tokens stored in clear
-- before cannot be found any more, so those sessions end (everyone signs in again).
DELETE FROM sessions;

-- Failed sign-ins per account (keyed by the SHA-256 of the normalised address, so that
-- addresses people mistyped are not stored), shared by every instance: after a few
-- failures the account waits a growing delay, whatever client address the guesses
-- come from.
CREATE TABLE login_throttle (
    key_hash      TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL DEFAULT 0,
    blocked_until DATETIME,
    updated_at    DATETIME NOT NULL
);

-- +goose Down
DROP TABLE login_throttle;
DROP INDEX api_tokens_user;
ALTER TABLE api_tokens DROP COLUMN revoked_at;
ALTER TABLE api_tokens DROP COLUMN expires_at;
INSERT INTO feedback_fts (feedback_fts, rank) VALUES ('secure-delete', 0);
