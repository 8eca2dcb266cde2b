-- Translation memory (issue 4). Reviewed suggestions ARE the memory: accepted and edited translations
-- are read live from `suggestions` (an undo takes them out again). This table holds what came from
-- elsewhere: TMX imports.
CREATE TABLE tm_units (
    id               INTEGER PRIMARY KEY,
    source_language  TEXT    NOT NULL,
    target_language  TEXT    NOT NULL,
    source_text      TEXT    NOT NULL,              -- with placeholders ([1], [2]...[/2])
    target_text      TEXT    NOT NULL,
    origin           TEXT    NOT NULL,              -- e.g. "tmx:memory.tmx"
    note             TEXT,
    created_by       TEXT,
    created_at       TEXT    NOT NULL,
    UNIQUE (source_language, target_language, source_text, target_text)
);
CREATE INDEX tm_units_by_pair ON tm_units(source_language, target_language);
-- Exact look-ups of reviewed translations by source text.
CREATE INDEX suggestions_by_source_text ON suggestions(task, target_language, status, source_text);
