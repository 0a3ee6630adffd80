-- The version of what the list cache keeps (list_cache.go): one row, its
-- counter moved by every commit that may change a page or a case record, and
-- left alone by the bookkeeping commits that cannot (sessions, API tokens,
-- the scheduler's lease, login failures, the outbox's delivery marks; see
-- Store.txBookkeeping). Before, the cache followed SQLite's data_version,
-- which every commit moves: the lease's renewal every 5 s emptied it.
-- (PostgreSQL: migrations/postgres/0022.)
CREATE TABLE content_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO content_version(id, n) VALUES (1, 0);
