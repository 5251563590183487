-- +goose Up
-- Issue 18: search finds parts of Danish compounds ("gebyr" in "kortgebyrerne", "bank"
-- in "Mobilbanken"). A second full-text index of the comments cut into trigrams (every
-- run of three characters, case and diacritics folded) finds the feedback that contains
-- a word anywhere; models/search.go checks each candidate's text. detail=none keeps
-- only which rows hold a trigram, not where: the index is a fraction of a positional one.
CREATE VIRTUAL TABLE feedback_tri USING fts5 (comment, content = 'feedback', content_rowid = 'id',
    tokenize = 'trigram remove_diacritics 1', detail = 'none');
-- An erased customer's name leaves this index at once too (see migration 00016).
INSERT INTO feedback_tri (feedback_tri, rank) VALUES ('secure-delete', 1);
INSERT INTO feedback_tri (feedback_tri) VALUES ('rebuild');
-- How many comments hold each trigram (a view of the index, no storage of its own): the
-- search asks the index for the rarest trigram of a word and checks the rest itself.
CREATE VIRTUAL TABLE feedback_tri_vocab USING fts5vocab (feedback_tri, row);

-- Kept in step with feedback by the same kind of triggers as feedback_fts.
-- +goose StatementBegin
CREATE TRIGGER feedback_tri_insert AFTER INSERT ON feedback BEGIN
    INSERT INTO feedback_tri (rowid, comment) VALUES (new.id, new.comment);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER feedback_tri_delete AFTER DELETE ON feedback BEGIN
    INSERT INTO feedback_tri (feedback_tri, rowid, comment) VALUES ('delete', old.id, old.comment);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER feedback_tri_update AFTER UPDATE OF comment ON feedback BEGIN
    INSERT INTO feedback_tri (feedback_tri, rowid, comment) VALUES ('delete', old.id, old.comment);
    INSERT INTO feedback_tri (rowid, comment) VALUES (new.id, new.comment);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER feedback_tri_update;
DROP TRIGGER feedback_tri_delete;
DROP TRIGGER feedback_tri_insert;
DROP TABLE feedback_tri_vocab;
DROP TABLE feedback_tri;
