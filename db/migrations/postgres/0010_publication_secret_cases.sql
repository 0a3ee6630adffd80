-- The cases of a protokoll that were secret when it was published: see the
-- SQLite migration 0020.
ALTER TABLE protokoll_publications ADD COLUMN secret_cases TEXT NOT NULL DEFAULT '';
