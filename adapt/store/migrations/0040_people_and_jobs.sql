-- 0040: reviewers who log in to the review UI, and background jobs started from it.

CREATE TABLE users (
    name           TEXT    PRIMARY KEY,
    role           TEXT    NOT NULL CHECK (role IN ('teacher', 'editor', 'evaluator')),
    password_hash  TEXT    NOT NULL,                -- scrypt$N$r$p$salt$hash (base64), never the password
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);

CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    resource_id  INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    tasks        TEXT    NOT NULL,                  -- JSON list of {"task": "translate", "target": "pt", ...}
    status       TEXT    NOT NULL DEFAULT 'queued'
                 CHECK (status IN ('queued', 'running', 'done', 'failed')),
    step         INTEGER NOT NULL DEFAULT 0,        -- index of the task running now
    done         INTEGER NOT NULL DEFAULT 0,        -- segments done in that task
    total        INTEGER NOT NULL DEFAULT 0,
    summary      TEXT    NOT NULL DEFAULT '[]',     -- JSON list, one RunSummary-like object per finished task
    error        TEXT,
    created_by   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    started_at   TEXT,
    finished_at  TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0         -- a job interrupted by a restart runs again (runs are idempotent)
);
CREATE INDEX jobs_by_status ON jobs(status, id);
CREATE INDEX jobs_by_creator ON jobs(created_by, id);
