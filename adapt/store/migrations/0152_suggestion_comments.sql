-- 0152: comments on a suggestion (issue 14): who wrote what, and when. A comment is not a decision: it
-- changes no status and no version (conflict checks ignore it). Comments are append-only: never lost.
CREATE TABLE suggestion_comments (
    id             INTEGER PRIMARY KEY,
    suggestion_id  INTEGER NOT NULL REFERENCES suggestions(id) ON DELETE CASCADE,
    resource_id    INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    actor          TEXT    NOT NULL,
    text           TEXT    NOT NULL,
    created_at     TEXT    NOT NULL
);
CREATE INDEX suggestion_comments_by_suggestion ON suggestion_comments(suggestion_id, id);
CREATE INDEX suggestion_comments_by_resource ON suggestion_comments(resource_id, id);
CREATE TRIGGER suggestion_comments_no_update BEFORE UPDATE ON suggestion_comments
BEGIN SELECT RAISE(ABORT, 'comments are append-only'); END;
CREATE TRIGGER suggestion_comments_no_delete BEFORE DELETE ON suggestion_comments
WHEN (SELECT COUNT(*) FROM suggestions WHERE id = OLD.suggestion_id) > 0
BEGIN SELECT RAISE(ABORT, 'comments are append-only'); END;
