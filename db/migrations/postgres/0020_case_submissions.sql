-- As SQLite's 0030: the key a case was registered with (a form's id, or an
-- API call's Idempotency-Key), so the same submission twice makes one case.
CREATE TABLE case_submissions (
    key        TEXT COLLATE "C" PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    case_id    BIGINT NOT NULL REFERENCES cases(id),
    created_at TEXT COLLATE "C" NOT NULL  -- UTC, workflow.TimeLayout
);
