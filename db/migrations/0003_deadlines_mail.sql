-- Bevakningar, reminders, recurring assignments, and what the outbox worker needs.

-- Who acknowledged (kvitterade) a custom deadline.
ALTER TABLE deadlines ADD COLUMN closed_by INTEGER REFERENCES users(id);
-- The daily digest reads the open deadlines of the coming week.
CREATE INDEX deadlines_open_due ON deadlines(due) WHERE state = 'open';

-- One row per (deadline, slot): a slot is sent at most once. Planned rows are
-- written when a deadline opens or moves; the overdue series adds its next row
-- as each one is sent. The scan reads due rows through reminders_due only, so
-- its cost follows the due rows, not the whole table.
CREATE TABLE reminders (
    id           INTEGER PRIMARY KEY,
    deadline_id  INTEGER NOT NULL REFERENCES deadlines(id),
    slot         TEXT NOT NULL,             -- "2026-03-30/before-5": the due date it was planned for, and which reminder
    on_date      TEXT NOT NULL,             -- the day the reminder is for (shown in the mail)
    remind_at    TEXT NOT NULL,             -- UTC instant it falls due
    offset_days  INTEGER NOT NULL,          -- work days from the due day: -5, 0, 2
    copy_manager INTEGER NOT NULL DEFAULT 0,
    sent_at      TEXT,
    channel      TEXT NOT NULL DEFAULT '' CHECK (channel IN ('', 'mail', 'ui')), -- ui: the person has no address
    UNIQUE (deadline_id, slot)
);
CREATE INDEX reminders_due ON reminders(remind_at) WHERE sent_at IS NULL;

-- Recurring assignments (återkommande uppdrag): a template creates a draft case
-- on its schedule; recurring_runs makes that at most once per period.
CREATE TABLE recurring (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    board_id    INTEGER NOT NULL REFERENCES boards(id),
    officer_id  INTEGER NOT NULL REFERENCES users(id),
    schedule    TEXT NOT NULL,
    lead_days   INTEGER NOT NULL DEFAULT 0,
    active      INTEGER NOT NULL DEFAULT 1,
    next_run_at TEXT NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL
);
CREATE INDEX recurring_next ON recurring(next_run_at) WHERE active;

CREATE TABLE recurring_runs (
    recurring_id INTEGER NOT NULL REFERENCES recurring(id),
    period       TEXT NOT NULL, -- the firing in Stockholm time, workflow.PeriodLayout
    case_id      INTEGER REFERENCES cases(id),
    error        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    PRIMARY KEY (recurring_id, period)
);

-- What the outbox worker and the admin page need.
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT '';        -- notification kind, reminder or digest
ALTER TABLE outbox ADD COLUMN last_attempt_at TEXT;
CREATE INDEX outbox_state ON outbox(state, id);
