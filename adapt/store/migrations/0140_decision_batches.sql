-- 0140: bulk decisions as one group (issue 14): a bulk accept writes one decision per row, as before,
-- and lists them here, so that one undo takes the whole group back (row by row, each undo logged).
CREATE TABLE decision_batches (
    id           INTEGER PRIMARY KEY,
    resource_id  INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    action       TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    undone_by    TEXT,
    undone_at    TEXT
);
CREATE TABLE decision_batch_items (
    batch_id       INTEGER NOT NULL REFERENCES decision_batches(id) ON DELETE CASCADE,
    decision_id    INTEGER NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
    suggestion_id  INTEGER NOT NULL,
    PRIMARY KEY (batch_id, decision_id)
);
CREATE INDEX decision_batches_by_resource ON decision_batches(resource_id, id);
