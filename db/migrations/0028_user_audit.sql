-- Changes to an account, kept for the audit trail: who gave or took which
-- roles, deactivated or activated it, or set its password, and when. Roles
-- decide who may see a secret case (OSL 2009:400), so a change of them is
-- recorded as a change of a case is. actor_id is NULL for the command line
-- (beslutsgang user …), which has no logged-in user; details is JSON
-- (users_audit.go), never a password. (PostgreSQL: migrations/postgres/0018.)
CREATE TABLE user_audit (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    at         TEXT NOT NULL,             -- UTC, workflow.TimeLayout
    actor_id   INTEGER REFERENCES users(id),
    action     TEXT NOT NULL CHECK (action IN ('create','grants','deactivate','activate','password')),
    details    TEXT NOT NULL DEFAULT '',
    request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX user_audit_user ON user_audit(user_id, id);
