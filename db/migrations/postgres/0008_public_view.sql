-- The public side's gaps (issue 13): one publication per press of Publicera,
-- and the times OParl's modified needs for what is taken away.
-- (SQLite: migrations/0018_public_view.sql.)
--
-- seq numbers a meeting's publications 1, 2, 3 …: the secretary's form
-- carries the number it was shown, a publication takes the next, and the
-- unique index lets only one publication take it, so Publicera pressed twice
-- at once publishes once (db/publication.go).
ALTER TABLE protokoll_publications ADD COLUMN seq BIGINT;
UPDATE protokoll_publications SET seq = (SELECT COUNT(*) FROM protokoll_publications p2
    WHERE p2.meeting_id = protokoll_publications.meeting_id AND p2.published_at IS NOT NULL
    AND p2.id <= protokoll_publications.id) WHERE published_at IS NOT NULL;
CREATE UNIQUE INDEX protokoll_publications_seq ON protokoll_publications(meeting_id, seq) WHERE seq IS NOT NULL;
-- When a member was taken off an organ's list (active false): a deleted
-- OParl Person or Membership is modified then, and so is its Organization.
ALTER TABLE body_members ADD COLUMN removed_at TEXT COLLATE "C";  -- UTC, workflow.TimeLayout
UPDATE body_members SET removed_at = created_at WHERE NOT active;
-- When the föredragningslista last changed (an item added, removed or moved):
-- a removed item leaves no row, so the meeting's OParl modified reads this.
ALTER TABLE meetings ADD COLUMN agenda_changed_at TEXT COLLATE "C";  -- UTC, workflow.TimeLayout
