-- 0050: evaluation runs, so that every printed number can be reproduced and its report rebuilt.

CREATE TABLE eval_runs (
    id          INTEGER PRIMARY KEY,
    suite       TEXT    NOT NULL,                -- a named suite (ntrex-en-pt...) or file:<task>
    task        TEXT    NOT NULL,                -- translate, simplify, tag, retrieve, review
    settings    TEXT    NOT NULL DEFAULT '{}',   -- JSON: languages, input files with sha256, --limit...
    notes       TEXT    NOT NULL DEFAULT '[]',   -- JSON list of strings
    created_at  TEXT    NOT NULL
);

-- The test set as scored: one row per segment, with its references (or gold labels, relevant ids).
CREATE TABLE eval_segments (
    run_id      INTEGER NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    source      TEXT    NOT NULL,                -- JSON
    reference   TEXT    NOT NULL,                -- JSON
    PRIMARY KEY (run_id, position)
);

CREATE TABLE eval_systems (
    id               INTEGER PRIMARY KEY,
    run_id           INTEGER NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,           -- order in the run
    name             TEXT    NOT NULL,
    role             TEXT    NOT NULL,           -- system, baseline, file
    model_signature  TEXT,                       -- JSON (ModelSignature.to_json) or NULL
    seconds          REAL    NOT NULL DEFAULT 0,
    outputs          TEXT    NOT NULL,           -- JSON list, one output per segment
    UNIQUE (run_id, name)
);

CREATE TABLE eval_scores (
    id          INTEGER PRIMARY KEY,
    system_id   INTEGER NOT NULL REFERENCES eval_systems(id) ON DELETE CASCADE,
    metric      TEXT    NOT NULL,
    value       REAL    NOT NULL,
    signature   TEXT    NOT NULL,                -- the one-line signature
    score       TEXT    NOT NULL                 -- JSON: Score.to_json() (signature fields, details)
);
CREATE INDEX eval_scores_by_system ON eval_scores(system_id);

CREATE TABLE eval_comparisons (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
    comparison  TEXT    NOT NULL                 -- JSON: Comparison.to_json()
);
