-- Failed logins, which the login limit counts (see handlers/limiter.go). Kept in
-- the database so a restart of the service does not forgive someone guessing
-- passwords. The account (the e-mail address as typed, trimmed and lower-cased)
-- and the client address are kept only as their SHA-256: an e-mail field
-- sometimes holds a password typed in the wrong box. Rows older than the
-- limit's window count for nothing and are swept.
CREATE TABLE login_failures (
    id           INTEGER PRIMARY KEY,
    account_hash TEXT NOT NULL,
    address_hash TEXT NOT NULL,
    at           TEXT NOT NULL,  -- UTC, workflow.TimeLayout
    -- 1 while the password is being checked: the attempt counts against its
    -- account at once, so parallel guesses cannot pass the limit together.
    pending      INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1))
);
CREATE INDEX login_failures_account ON login_failures(account_hash, at);
CREATE INDEX login_failures_address ON login_failures(address_hash, at);
CREATE INDEX login_failures_at ON login_failures(at);
