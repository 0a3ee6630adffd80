-- Meetings (sammanträden) with their agenda, member lists, attendance and
-- justering, the decisions with their paragraphs, and calendar feed tokens.

CREATE TABLE meetings (
    id             INTEGER PRIMARY KEY,
    body_id        INTEGER NOT NULL REFERENCES bodies(id),
    date           TEXT NOT NULL,
    start_time     TEXT NOT NULL DEFAULT '',  -- HH:MM, Europe/Stockholm
    end_time       TEXT NOT NULL DEFAULT '',
    place          TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'planned'
                   CHECK (status IN ('planned','notice_sent','held','justified','posted')),
    sequence       INTEGER NOT NULL DEFAULT 0, -- iCalendar SEQUENCE
    notice_sent_at TEXT,
    held_at        TEXT,
    justified_at   TEXT,
    posted_on      TEXT,
    secretary_id   INTEGER REFERENCES users(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (body_id, date)
);
CREATE INDEX meetings_date ON meetings(date);

-- The föredragningslista: case items follow the route steps linked to the
-- meeting; fixed and free items are the secretary's. pos orders them.
CREATE TABLE agenda_items (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    pos        INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('case','opening','adjusters','delegation','other')),
    case_id    INTEGER REFERENCES cases(id),
    title      TEXT NOT NULL DEFAULT '',
    CHECK ((kind = 'case') = (case_id IS NOT NULL))
);
CREATE UNIQUE INDEX agenda_items_case ON agenda_items(meeting_id, case_id) WHERE case_id IS NOT NULL;
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, pos);
CREATE INDEX agenda_items_by_case ON agenda_items(case_id);

CREATE TABLE body_members (
    id         INTEGER PRIMARY KEY,
    body_id    INTEGER NOT NULL REFERENCES bodies(id),
    name       TEXT NOT NULL,
    email      TEXT NOT NULL DEFAULT '',
    role       TEXT NOT NULL CHECK (role IN ('chair','member','substitute','staff')),
    user_id    INTEGER REFERENCES users(id),
    active     INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE INDEX body_members_body ON body_members(body_id, active);
CREATE UNIQUE INDEX body_members_user ON body_members(body_id, user_id) WHERE user_id IS NOT NULL AND active;

CREATE TABLE attendees (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    member_id  INTEGER NOT NULL REFERENCES body_members(id),
    pos        INTEGER NOT NULL,
    present    INTEGER NOT NULL DEFAULT 1,
    adjuster   INTEGER NOT NULL DEFAULT 0, -- named justerare
    signed_at  TEXT,
    PRIMARY KEY (meeting_id, member_id)
);

-- One row per body and year: the last paragraph handed out, so a § is never reused.
CREATE TABLE paragraph_series (
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    year    INTEGER NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (body_id, year)
);

CREATE TABLE decisions (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    body_id    INTEGER NOT NULL REFERENCES bodies(id),
    year       INTEGER NOT NULL,
    paragraph  INTEGER NOT NULL,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    step       INTEGER NOT NULL,          -- the route step the case was at
    type       TEXT NOT NULL CHECK (type IN ('approved','amended','rejected','returned','tabled')),
    text       TEXT NOT NULL,
    next_date  TEXT NOT NULL DEFAULT '',  -- bordläggning: the later meeting
    decided_by INTEGER NOT NULL REFERENCES users(id),
    decided_at TEXT NOT NULL,
    event_seq  INTEGER NOT NULL,
    UNIQUE (body_id, year, paragraph),
    UNIQUE (meeting_id, case_id)
);
CREATE INDEX decisions_case ON decisions(case_id);

CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'a paragraph is never removed'); END;

-- A secret per user for the personal calendar feed; only its hash is kept.
CREATE TABLE calendar_tokens (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
