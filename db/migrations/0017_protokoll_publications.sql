-- Publications of justerade protokoll on the web (issue 13; KL 2017:725 8 kap.
-- 12 §, GDPR art. 6.1 e and OSL 2009:400 for the review before). A row with
-- published_at set is one publication, kept for the audit trail: what was
-- withheld, by whom and when, and the PDF the public is served. A row with
-- published_at NULL is the secretary's saved choices not yet published, at
-- most one per meeting. withheld holds paragraph numbers ("3,7"), names one
-- name a line (publication.go).
CREATE TABLE protokoll_publications (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id),
    withheld     TEXT NOT NULL DEFAULT '',
    names        TEXT NOT NULL DEFAULT '',
    saved_at     TEXT NOT NULL,  -- UTC, workflow.TimeLayout
    saved_by     INTEGER NOT NULL REFERENCES users(id),
    published_at TEXT,           -- UTC, workflow.TimeLayout; NULL: not published
    published_by INTEGER REFERENCES users(id),
    pdf          BLOB,           -- the public PDF, made at publication
    pdf_tagged   INTEGER NOT NULL DEFAULT 0  -- 1: tagged (Chromium), 0: the embedded generator's
);
CREATE UNIQUE INDEX protokoll_publications_draft ON protokoll_publications(meeting_id) WHERE published_at IS NULL;
CREATE INDEX protokoll_publications_meeting ON protokoll_publications(meeting_id, id);
