-- The cases of a protokoll that were secret when it was published (issue 13):
-- its PDF, made then, shows them by registration only. A case marked secret
-- later is still in that PDF, so the public PDF is made anew from the
-- public view until the secretary publishes again (db/publication.go).
-- Rows from before: '' (none), so any secret case makes their PDF anew.
ALTER TABLE protokoll_publications ADD COLUMN secret_cases TEXT NOT NULL DEFAULT '';  -- case ids, comma-separated
