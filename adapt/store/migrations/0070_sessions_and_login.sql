-- 0070: web sessions, login throttling and export downloads live in the database, so that they hold
-- across restarts and across several servers on one database (issue 18). Plain portable SQL.

CREATE TABLE web_sessions (
    token_hash  TEXT    PRIMARY KEY,               -- sha256 of the cookie's token, never the token itself
    user_name   TEXT    NOT NULL,
    client      TEXT,                              -- the address that logged in, for the log
    created_at  TEXT    NOT NULL,
    expires_at  REAL    NOT NULL                   -- seconds since the epoch
);
CREATE INDEX web_sessions_by_user ON web_sessions(user_name);

CREATE TABLE login_failures (
    scope         TEXT    NOT NULL,                -- 'name', 'client' or 'device'
    key           TEXT    NOT NULL,
    failures      INTEGER NOT NULL,
    locked_until  REAL    NOT NULL,                -- seconds since the epoch
    updated_at    REAL    NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE TABLE known_devices (
    user_name    TEXT    NOT NULL,
    device_hash  TEXT    NOT NULL,                 -- sha256 of the device cookie set at a right password
    last_login   REAL    NOT NULL,
    PRIMARY KEY (user_name, device_hash)
);

CREATE TABLE export_files (
    content_hash  TEXT    NOT NULL,                -- sha256 of an export or metadata file the UI offered
    resource_id   INTEGER NOT NULL,
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (content_hash, resource_id)
);
