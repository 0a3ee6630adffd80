-- A preparing body (presidium, arbetsutskott) may record a case as
-- "behandlat" (type 'handled'). SQLite cannot change a CHECK constraint, so
-- the decisions table is rebuilt: every row keeps its id, and the index and
-- the trigger that keeps paragraphs are made again.
DROP TRIGGER decisions_no_delete;
CREATE TABLE decisions_new (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id),
    body_id        INTEGER NOT NULL REFERENCES bodies(id),
    year           INTEGER NOT NULL,
    paragraph      INTEGER NOT NULL,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    step           INTEGER NOT NULL,          -- the route step the case was at
    type           TEXT NOT NULL CHECK (type IN ('approved','amended','rejected','returned','tabled','handled')),
    text           TEXT NOT NULL,
    next_date      TEXT NOT NULL DEFAULT '',  -- bordläggning: the later meeting
    decided_by     INTEGER NOT NULL REFERENCES users(id),
    decided_at     TEXT NOT NULL,
    event_seq      INTEGER NOT NULL,
    legal_force_at TEXT,
    UNIQUE (body_id, year, paragraph),
    UNIQUE (meeting_id, case_id)
);
INSERT INTO decisions_new(id, meeting_id, body_id, year, paragraph, case_id, step, type, text, next_date, decided_by, decided_at, event_seq, legal_force_at)
    SELECT id, meeting_id, body_id, year, paragraph, case_id, step, type, text, next_date, decided_by, decided_at, event_seq, legal_force_at FROM decisions;
DROP TABLE decisions;
ALTER TABLE decisions_new RENAME TO decisions;
CREATE INDEX decisions_case ON decisions(case_id);
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'a paragraph is never removed'); END;
