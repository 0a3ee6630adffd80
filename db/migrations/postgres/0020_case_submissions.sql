-- As SQLite's 0030: the key a case was registered with, per user (a form's
-- id, or an API call's Idempotency-Key), and the hash of the request, so the
-- same submission twice makes one case and the key with another is refused.
CREATE TABLE case_submissions (
    user_id      BIGINT NOT NULL REFERENCES users(id),
    key          TEXT COLLATE "C" NOT NULL,
    case_id      BIGINT NOT NULL REFERENCES cases(id),
    request_hash TEXT COLLATE "C" NOT NULL,
    created_at   TEXT COLLATE "C" NOT NULL,  -- UTC, workflow.TimeLayout
    PRIMARY KEY (user_id, key)
);
