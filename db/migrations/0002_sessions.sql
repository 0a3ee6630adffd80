-- Web sessions of the browser UI, with the CSRF token each holds. Kept in the
-- database so a restart logs nobody out. The key is stored as its SHA-256, so a
-- copy of the database does not hand out live sessions.
CREATE TABLE sessions (
    key_hash   TEXT PRIMARY KEY,
    data       BLOB NOT NULL,
    expires_at TEXT            -- NULL: no expiry
);
CREATE INDEX sessions_expiry ON sessions(expires_at) WHERE expires_at IS NOT NULL;
