-- 0060: licences. Elements with a licence of their own, and who confirmed a licence the source does not state.

CREATE TABLE segment_licenses (
    resource_id   INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    segment_key   TEXT    NOT NULL,                 -- Segment.key
    license       TEXT,                             -- the element's own licence id; NULL: credited only
    raw           TEXT,                             -- what the source said (URL, name)
    credit        TEXT,                             -- the credit line, where the format gives one
    adaptable     INTEGER NOT NULL,                 -- 0: kept out of every adapting step and of export changes
    reason        TEXT    NOT NULL,                 -- why, in words shown to the user
    PRIMARY KEY (resource_id, segment_key)
);

-- An unknown licence is a state: adapting needs someone to confirm a licence, and that is recorded.
CREATE TABLE license_confirmations (
    id            INTEGER PRIMARY KEY,
    resource_id   INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    action        TEXT    NOT NULL,                 -- translate, simplify, tag, export
    license       TEXT    NOT NULL,                 -- the licence id assumed
    actor         TEXT    NOT NULL,
    created_at    TEXT    NOT NULL
);
CREATE INDEX license_confirmations_by_resource ON license_confirmations(resource_id, id);
CREATE TRIGGER license_confirmations_append_only BEFORE UPDATE ON license_confirmations
BEGIN SELECT RAISE(ABORT, 'licence confirmations are append-only'); END;
