-- OParl 1.1 §2.8 "Gelöschte Objekte" (OParl/spec src/4-07-geloeschte-objekte.md):
-- an agenda item the public could see (its meeting's kallelse had gone out)
-- that is then taken off the agenda answers as a deleted AgendaItem, not 404,
-- and stays in its Body's agendaItem list. Its row in agenda_items goes (the
-- agenda, the protokoll and the unique index on a meeting's case read that
-- table); this keeps what the deleted object needs, written in the
-- transaction that deletes the row (db/agenda.go, noteRemovedItems): its id,
-- its meeting (the list's scope), its created (its meeting's, as every
-- item's) and when it was removed (its modified). No title and no case: a
-- deleted object names nothing. (PostgreSQL: migrations/postgres/0017.)
CREATE TABLE agenda_items_removed (
    id         INTEGER PRIMARY KEY,  -- the removed item's agenda_items.id
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    created_at TEXT NOT NULL,        -- UTC, workflow.TimeLayout
    removed_at TEXT NOT NULL         -- UTC, workflow.TimeLayout
);

-- A removed item's id must not come back as another item's: SQLite gives a
-- new row the highest rowid + 1, so the newest item, once removed, would lend
-- its id to the next one added. AUTOINCREMENT never hands out an id twice
-- (PostgreSQL's identity never does). SQLite cannot add it to a table, so
-- the table is rebuilt as 0011 rebuilt decisions: every row keeps its id and
-- values, and the indexes are made again (no key points at agenda_items).
CREATE TABLE agenda_items_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    pos        INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('case','opening','adjusters','delegation','other')),
    case_id    INTEGER REFERENCES cases(id),
    title      TEXT NOT NULL DEFAULT '',
    CHECK ((kind = 'case') = (case_id IS NOT NULL))
);
INSERT INTO agenda_items_new(id, meeting_id, pos, kind, case_id, title)
    SELECT id, meeting_id, pos, kind, case_id, title FROM agenda_items;
DROP TABLE agenda_items;
ALTER TABLE agenda_items_new RENAME TO agenda_items;
CREATE UNIQUE INDEX agenda_items_case ON agenda_items(meeting_id, case_id) WHERE case_id IS NOT NULL;
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, pos);
CREATE INDEX agenda_items_by_case ON agenda_items(case_id);
