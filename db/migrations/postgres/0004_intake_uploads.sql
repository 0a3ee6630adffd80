-- Uploaded tjänsteskrivelser waiting for the person who uploaded them to
-- review the parsed case and confirm it (POST /cases/new/document). The id
-- is random (128 bits, hex) and is only ever served to the uploader; a row
-- is deleted when its case is registered, and rows older than 24 hours are
-- swept whenever anyone uploads (intake_upload.go).
-- (SQLite: migrations/0014_intake_uploads.sql.)
CREATE TABLE intake_uploads (
    id           TEXT COLLATE "C" PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    name         TEXT COLLATE "C" NOT NULL,
    content_type TEXT COLLATE "C" NOT NULL DEFAULT '',
    data         BYTEA NOT NULL,
    sha256       TEXT COLLATE "C" NOT NULL,
    created_at   TEXT COLLATE "C" NOT NULL  -- UTC, workflow.TimeLayout
);
CREATE INDEX intake_uploads_created ON intake_uploads(created_at);
