-- Glossary (issue 4): per project, do-not-translate terms and forced translations.
CREATE TABLE glossary_terms (
    id               INTEGER PRIMARY KEY,
    project          TEXT    NOT NULL DEFAULT 'default',
    kind             TEXT    NOT NULL CHECK (kind IN ('dnt', 'forced')),
    source_language  TEXT    NOT NULL,
    target_language  TEXT    NOT NULL DEFAULT '*',  -- '*': every target (do-not-translate terms)
    term             TEXT    NOT NULL,
    translation      TEXT,                          -- NULL for do-not-translate
    case_sensitive   INTEGER NOT NULL DEFAULT 0,
    note             TEXT,
    created_by       TEXT,
    created_at       TEXT    NOT NULL,
    UNIQUE (project, source_language, target_language, term)
);
CREATE INDEX glossary_by_project ON glossary_terms(project, source_language, target_language);
