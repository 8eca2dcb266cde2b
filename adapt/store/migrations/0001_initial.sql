-- 0001: resources, their segments, suggestions from models, and the reviewers' decisions.

CREATE TABLE resources (
    id            INTEGER PRIMARY KEY,
    content_hash  TEXT    NOT NULL UNIQUE,          -- sha256 of the source bytes: importing twice finds it
    format        TEXT    NOT NULL,
    source_name   TEXT    NOT NULL,                 -- the file name it was imported from
    source_bytes  BLOB    NOT NULL,                 -- the original, re-parsed on export
    language      TEXT,                             -- BCP 47 code of the source text, NULL when unknown
    title         TEXT,
    license       TEXT,                             -- licence id (e.g. CC-BY-4.0) or NULL when unknown
    metadata      TEXT    NOT NULL DEFAULT '{}',    -- JSON: authors, source URL, anything the format gave
    owner         TEXT,                             -- who imported it
    created_at    TEXT    NOT NULL
);

CREATE TABLE segments (
    id            INTEGER PRIMARY KEY,
    resource_id   INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    key           TEXT    NOT NULL,                 -- Segment.key, stable for the same source
    position      INTEGER NOT NULL,                 -- reading order
    kind          TEXT    NOT NULL,
    source_text   TEXT    NOT NULL,                 -- with placeholders
    placeholders  TEXT    NOT NULL DEFAULT '[]',    -- JSON list of Placeholder.to_json()
    translatable  INTEGER NOT NULL DEFAULT 1,
    UNIQUE (resource_id, key)
);
CREATE INDEX segments_by_resource ON segments(resource_id, position);

CREATE TABLE suggestions (
    id               INTEGER PRIMARY KEY,
    resource_id      INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    segment_id       INTEGER REFERENCES segments(id) ON DELETE CASCADE,  -- NULL: about the whole resource (tags)
    task             TEXT    NOT NULL,              -- translate, simplify, tag:subject, ...
    target_language  TEXT,
    source_text      TEXT    NOT NULL,              -- what the model was given (a segment may have been simplified first)
    text             TEXT    NOT NULL,              -- the model's output, with placeholders; never changed
    model_signature  TEXT    NOT NULL,              -- JSON
    qa_flags         TEXT    NOT NULL DEFAULT '[]', -- JSON list of {code, message}
    scores           TEXT    NOT NULL DEFAULT '{}', -- JSON
    origin           TEXT    NOT NULL DEFAULT 'model',  -- model, memory, rule
    created_at       TEXT    NOT NULL,
    -- Derived from the decisions below, kept here so that filtering 1,000 rows stays cheap.
    status           TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'accepted', 'edited', 'rejected')),
    final_text       TEXT,
    version          INTEGER NOT NULL DEFAULT 0,    -- bumped by every decision: optimistic concurrency
    decided_at       TEXT,
    decided_by       TEXT
);
CREATE INDEX suggestions_by_resource ON suggestions(resource_id, task, target_language, status);
CREATE INDEX suggestions_by_segment ON suggestions(segment_id);

CREATE TABLE decisions (
    id             INTEGER PRIMARY KEY,
    suggestion_id  INTEGER NOT NULL REFERENCES suggestions(id) ON DELETE CASCADE,
    action         TEXT    NOT NULL CHECK (action IN ('accept', 'edit', 'reject', 'undo')),
    text           TEXT,                            -- the edited text, for action = 'edit'
    actor          TEXT    NOT NULL,
    created_at     TEXT    NOT NULL
);
CREATE INDEX decisions_by_suggestion ON decisions(suggestion_id, id);

-- The decision log is append-only: reviewer work is never rewritten.
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
WHEN (SELECT COUNT(*) FROM suggestions WHERE id = OLD.suggestion_id) > 0
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
-- A suggestion's model output is immutable too; only its derived review state changes.
CREATE TRIGGER suggestions_text_immutable BEFORE UPDATE OF text, source_text, model_signature ON suggestions
BEGIN SELECT RAISE(ABORT, 'a suggestion''s model output never changes: add a new suggestion'); END;
