-- A case registered from a form, or from an API call with an Idempotency-Key,
-- keeps the key it was sent with: the same form sent twice (a double click on
-- Skapa ärendet, a post sent again after a lost answer) finds the case the
-- first made instead of registering a second one (case_submission.go).
-- (PostgreSQL: migrations/postgres/0020.)
CREATE TABLE case_submissions (
    key        TEXT PRIMARY KEY,  -- "web:" + the form's random id, or "api:" + the client's key
    user_id    INTEGER NOT NULL REFERENCES users(id),
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    created_at TEXT NOT NULL      -- UTC, workflow.TimeLayout
);
