-- +goose Up
-- Single sign-on: the identity provider's stable subject ("sub") of a user who signed
-- in through it. Looked up on every sign-in, so unique and indexed; NULL for users who
-- only ever use a password.
ALTER TABLE users ADD COLUMN oidc_subject TEXT;
CREATE UNIQUE INDEX users_oidc_subject ON users (oidc_subject) WHERE oidc_subject IS NOT NULL;

-- +goose Down
DROP INDEX users_oidc_subject;
ALTER TABLE users DROP COLUMN oidc_subject;
