-- Notices a secretary posts on the digital anslagstavla besides the notices
-- of justering and the kungörelser, which follow from the meetings
-- (Kommunallagen 2017:725, 8 kap. 10 §; issue 13). A notice is up from
-- posted_on and comes down on down_on by itself; one a secretary takes down
-- before that is kept, with removed_at and removed_by, for the archive.
CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    board_id   INTEGER NOT NULL REFERENCES boards(id),
    title      TEXT NOT NULL,
    text       TEXT NOT NULL,
    posted_on  TEXT NOT NULL,  -- YYYY-MM-DD, Europe/Stockholm
    down_on    TEXT NOT NULL CHECK (down_on > posted_on),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,  -- UTC, workflow.TimeLayout
    removed_at TEXT,
    removed_by INTEGER REFERENCES users(id),
    CHECK ((removed_at IS NULL) = (removed_by IS NULL))
);
CREATE INDEX notices_down ON notices(down_on);
