-- A case registered from a form, or from an API call with an Idempotency-Key,
-- keeps the key it was sent with, per user: the same form sent twice (a
-- double click on Skapa ärendet, a post sent again after a lost answer)
-- finds the case the first made instead of registering a second one; the
-- same key with another request is refused (request_hash, the SHA-256 of the
-- request as read). See case_submission.go. (PostgreSQL: migrations/postgres/0020.)
CREATE TABLE case_submissions (
    user_id      INTEGER NOT NULL REFERENCES users(id),
    key          TEXT NOT NULL,     -- "web:" + the form's random id, or "api:" + the client's key
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    request_hash TEXT NOT NULL,
    created_at   TEXT NOT NULL,     -- UTC, workflow.TimeLayout
    PRIMARY KEY (user_id, key)
);
