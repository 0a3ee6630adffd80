-- As SQLite's 0027: an agenda item the public could see (its meeting's
-- kallelse had gone out) that is then taken off the agenda answers as a
-- deleted AgendaItem (OParl 1.1 §2.8 "Gelöschte Objekte"); this keeps its id,
-- meeting, created and time of removal, written in the transaction that
-- deletes its row. agenda_items.id is an identity, which never hands out an
-- id twice, so the table needs no rebuild here.
CREATE TABLE agenda_items_removed (
    id         BIGINT PRIMARY KEY,  -- the removed item's agenda_items.id
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    created_at TEXT COLLATE "C" NOT NULL,  -- UTC, workflow.TimeLayout
    removed_at TEXT COLLATE "C" NOT NULL   -- UTC, workflow.TimeLayout
);
