-- 0030: the related-resources catalogue (issue 6). Separate from the review resources, which an item
-- may point to. Vectors live in embedding_cache (the truth); the search index beside the database file
-- is derived from it and rebuilt when catalogue_state.generation moves on.

CREATE TABLE catalogue_items (
    id            INTEGER PRIMARY KEY,
    key           TEXT    NOT NULL UNIQUE,          -- identity: "url:<url>", "file:<path>", "record:<hash>"...
    content_hash  TEXT    NOT NULL,                 -- sha256 of the text that was chunked: unchanged means no work
    title         TEXT,
    description   TEXT,
    url           TEXT,
    language      TEXT,                             -- BCP 47, NULL when unknown
    license       TEXT,                             -- licence id or URL as given, NULL when unknown
    subject       TEXT,                             -- JSON list of strings
    source        TEXT    NOT NULL,                 -- where it came from (file path, JSONL path:line)
    format        TEXT    NOT NULL,                 -- markdown, text, jsonl, resource...
    resource_id   INTEGER REFERENCES resources(id) ON DELETE SET NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);
CREATE INDEX catalogue_items_by_language ON catalogue_items(language);
CREATE INDEX catalogue_items_by_content ON catalogue_items(content_hash);

CREATE TABLE catalogue_chunks (
    id         INTEGER PRIMARY KEY,                 -- also the key in the vector index
    item_id    INTEGER NOT NULL REFERENCES catalogue_items(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    text       TEXT    NOT NULL,                    -- the passage shown as "why"
    text_hash  TEXT    NOT NULL,                    -- sha256 of text: the embedding cache key
    UNIQUE (item_id, position)
);
CREATE INDEX catalogue_chunks_by_item ON catalogue_chunks(item_id);

-- One vector per (embedder signature, text): a text is embedded once, whoever needs it.
CREATE TABLE embedding_cache (
    embedder    TEXT    NOT NULL,                   -- the embedder's signature and the prefix kind
    text_hash   TEXT    NOT NULL,
    dim         INTEGER NOT NULL,
    vector      BLOB    NOT NULL,                   -- float32, little endian, L2-normalised
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (embedder, text_hash)
) WITHOUT ROWID;

-- Bumped by every change to the chunks, so that an index file can tell it is stale.
CREATE TABLE catalogue_state (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
INSERT INTO catalogue_state (name, value) VALUES ('generation', '0');
