-- Core registry: boards, bodies, users, cases with their tjänsteskrivelse sections,
-- the hash-chained event log, workflow deadlines and the mail outbox.
-- Times are TEXT in UTC with microseconds (workflow.TimeLayout); dates are TEXT YYYY-MM-DD.

CREATE TABLE boards (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE bodies (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('presidium','working_committee','board','executive_board','council')),
    board_id    INTEGER NOT NULL REFERENCES boards(id),
    notice_days INTEGER NOT NULL DEFAULT 5,
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

CREATE TABLE user_roles (
    user_id  INTEGER NOT NULL REFERENCES users(id),
    board_id INTEGER NOT NULL REFERENCES boards(id),
    role     TEXT NOT NULL CHECK (role IN ('officer','approver','secretary','admin')),
    PRIMARY KEY (user_id, board_id, role)
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);

-- One row per board and year: the last serial handed out, so numbers are never reused.
CREATE TABLE case_series (
    board_id INTEGER NOT NULL REFERENCES boards(id),
    year     INTEGER NOT NULL,
    last     INTEGER NOT NULL,
    PRIMARY KEY (board_id, year)
);

CREATE TABLE cases (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    board_id      INTEGER NOT NULL REFERENCES boards(id),
    year          INTEGER NOT NULL, -- of the number, for sorting by number
    serial        INTEGER NOT NULL,
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    background    TEXT NOT NULL DEFAULT '',
    secret        INTEGER NOT NULL DEFAULT 0,
    stage         TEXT NOT NULL,
    step          INTEGER NOT NULL DEFAULT -1,
    version       INTEGER NOT NULL,
    officer_id    INTEGER NOT NULL REFERENCES users(id),
    closed_note   TEXT NOT NULL DEFAULT '',
    decision_type TEXT,
    decision_text TEXT,
    decided_at    TEXT,
    decided_by    INTEGER REFERENCES users(id),
    paragraph     TEXT NOT NULL DEFAULT '',
    dispatched_at TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX cases_stage ON cases(stage, updated_at);
CREATE INDEX cases_board ON cases(board_id, stage);
CREATE INDEX cases_officer ON cases(officer_id, stage);

CREATE TABLE case_proposals (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    pos     INTEGER NOT NULL,
    text    TEXT NOT NULL,
    PRIMARY KEY (case_id, pos)
);

CREATE TABLE route_steps (
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    pos        INTEGER NOT NULL,
    body_id    INTEGER NOT NULL REFERENCES bodies(id),
    date       TEXT NOT NULL,
    postponed  TEXT NOT NULL DEFAULT '[]', -- JSON list of earlier dates
    meeting_id INTEGER,
    PRIMARY KEY (case_id, pos)
);
CREATE INDEX route_steps_body_date ON route_steps(body_id, date);

CREATE TABLE case_approvers (
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    pos       INTEGER NOT NULL,
    user_id   INTEGER NOT NULL REFERENCES users(id),
    position  TEXT NOT NULL DEFAULT '',
    signed_at TEXT,
    PRIMARY KEY (case_id, pos)
);
CREATE INDEX case_approvers_user ON case_approvers(user_id);

CREATE TABLE case_recipients (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    pos     INTEGER NOT NULL,
    name    TEXT NOT NULL,
    email   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, pos)
);

-- File content is kept once per sha256, inside the database, so a backup holds it.
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    data   BLOB NOT NULL
);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    size         INTEGER NOT NULL DEFAULT 0,
    sha256       TEXT REFERENCES blobs(sha256),
    uploaded_by  INTEGER NOT NULL REFERENCES users(id),
    uploaded_at  TEXT NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id);

CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    seq        INTEGER NOT NULL,
    at         TEXT NOT NULL,
    actor_id   INTEGER NOT NULL,
    actor_name TEXT NOT NULL,
    action     TEXT NOT NULL,
    from_stage TEXT NOT NULL,
    to_stage   TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    payload    TEXT,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL,
    UNIQUE (case_id, seq)
);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE deadlines (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    kind           TEXT NOT NULL,
    ref            TEXT NOT NULL DEFAULT '',
    due            TEXT NOT NULL,
    responsible_id INTEGER REFERENCES users(id),
    note           TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','done','acknowledged')),
    created_by     INTEGER REFERENCES users(id),
    created_at     TEXT NOT NULL,
    closed_at      TEXT
);
CREATE INDEX deadlines_case ON deadlines(case_id, state);
CREATE INDEX deadlines_responsible ON deadlines(responsible_id, state, due);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    dedupe_key      TEXT NOT NULL UNIQUE,
    case_id         INTEGER REFERENCES cases(id),
    to_addr         TEXT NOT NULL,
    cc_addr         TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','sent','failed')),
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'queued';
