-- +goose Up
-- What follow-ups did in a period (a report's root causes and goodwill, the goodwill
-- ledger, the branch limit checked when a follow-up is recorded) is read by when they
-- were made. The index held only that time, so each of a year's 26,000 follow-ups was
-- then looked up in the table for its branch, goodwill and root cause; holding those
-- too, the index alone answers. They are written with the follow-up, which writes this
-- index anyway; only moving a followed-up feedback to another branch now writes it too.
DROP INDEX feedback_followed_up;
CREATE INDEX feedback_followed_up ON feedback (followed_up_at, branch_id, goodwill_amount, follow_up_root_cause_id)
    WHERE followed_up_at IS NOT NULL;

-- +goose Down
DROP INDEX feedback_followed_up;
CREATE INDEX feedback_followed_up ON feedback (followed_up_at) WHERE followed_up_at IS NOT NULL;
