-- Uploaded tjänsteskrivelser waiting for the person who uploaded them to
-- review the parsed case and confirm it (POST /cases/new/document). The id
-- is random (128 bits, hex) and is only ever served to the uploader; a row
-- is deleted when its case is registered, and rows older than 24 hours are
-- swept whenever anyone uploads (intake_upload.go).
CREATE TABLE intake_uploads (
    id           TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    data         BLOB NOT NULL,
    sha256       TEXT NOT NULL,
    created_at   TEXT NOT NULL  -- UTC, workflow.TimeLayout
);
CREATE INDEX intake_uploads_created ON intake_uploads(created_at);
