-- A meeting's deadlines (kallelse, justering, anslag) belong to the meeting,
-- not to a case: the deadlines table is rebuilt with case_id nullable and a
-- meeting_id, exactly one of them set. Every row keeps its id, so the
-- reminders that point at it stay valid, and every index is made again.
CREATE TABLE deadlines_new (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER REFERENCES cases(id),
    meeting_id     INTEGER REFERENCES meetings(id),
    kind           TEXT NOT NULL,
    ref            TEXT NOT NULL DEFAULT '',
    due            TEXT NOT NULL,
    responsible_id INTEGER REFERENCES users(id),
    note           TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','done','acknowledged')),
    created_by     INTEGER REFERENCES users(id),
    created_at     TEXT NOT NULL,
    closed_at      TEXT,
    closed_by      INTEGER REFERENCES users(id),
    CHECK ((case_id IS NULL) <> (meeting_id IS NULL))
);
INSERT INTO deadlines_new(id, case_id, kind, ref, due, responsible_id, note, state, created_by, created_at, closed_at, closed_by)
    SELECT id, case_id, kind, ref, due, responsible_id, note, state, created_by, created_at, closed_at, closed_by FROM deadlines;
DROP TABLE deadlines;
ALTER TABLE deadlines_new RENAME TO deadlines;
CREATE INDEX deadlines_case ON deadlines(case_id, state);
CREATE INDEX deadlines_responsible ON deadlines(responsible_id, state, due);
CREATE INDEX deadlines_open_due ON deadlines(due) WHERE state = 'open';
CREATE INDEX deadlines_meeting ON deadlines(meeting_id, state) WHERE meeting_id IS NOT NULL;

-- When the daily job recorded that a paragraph's decision gained legal force
-- (vunnit laga kraft), so it is noted in the case's history once.
ALTER TABLE decisions ADD COLUMN legal_force_at TEXT;
