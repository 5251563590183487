-- +goose Up
-- The steering group's short comment on a report period (issue 15): what it makes of the
-- month, quarter or year, printed on the one-page report. One comment per period; the
-- history table keeps who changed it.
CREATE TABLE report_comments (
    kind          TEXT NOT NULL,
    period        TEXT NOT NULL,
    body          TEXT NOT NULL,
    updated_by_id BIGINT REFERENCES users (id),
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, period)
);

-- +goose Down
DROP TABLE report_comments;
