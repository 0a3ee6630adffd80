-- The version of what the list cache keeps: see migrations/0032. On
-- PostgreSQL every write already holds the store's advisory write lock, so
-- the one row is no new point of contention. Before, the cache followed
-- pg_current_snapshot(), which any commit in the server moves.
CREATE TABLE content_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO content_version(id, n) VALUES (1, 0);
