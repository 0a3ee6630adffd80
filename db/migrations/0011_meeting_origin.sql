-- Meetings record how they came to be (issue 9): 'plan' planned ahead (the
-- sammanträdesplan, or one by one), 'extra' a nytt extra sammanträde that a
-- route step or a bordläggning asked for, 'unplanned' made for a route date
-- in a year the body had no plan for. Meetings from before cannot be told
-- apart, so they count as planned.
ALTER TABLE meetings ADD COLUMN origin TEXT NOT NULL DEFAULT 'plan'
    CHECK (origin IN ('plan', 'extra', 'unplanned'));
CREATE INDEX meetings_body_date ON meetings(body_id, date, origin);

-- The presidium keeps no protokoll, so what it handles gets no paragraph: a
-- decision's paragraph may be NULL (UNIQUE lets NULLs repeat). SQLite cannot
-- drop a NOT NULL, so the table is rebuilt as 0008 did: every row keeps its
-- id and values, and the index and the trigger that keeps paragraphs are made
-- again. Paragraphs already given to a presidium keep their number.
DROP TRIGGER decisions_no_delete;
CREATE TABLE decisions_new (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id),
    body_id        INTEGER NOT NULL REFERENCES bodies(id),
    year           INTEGER NOT NULL,
    paragraph      INTEGER CHECK (paragraph > 0), -- NULL: the body keeps no protokoll
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
