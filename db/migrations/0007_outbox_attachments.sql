-- Files a message carries: the protokollsutdrag of a dispatched decision, the
-- föredragningslista of a kallelse. They are written in the transaction of
-- their outbox row, so a message never goes out without them. The content is
-- kept once per sha256 in blobs, beside the case files: a kallelse to fifteen
-- members stores its föredragningslista once. The sizes are bounded by
-- db.MaxMailAttachmentBytes; the check here is the backstop.
CREATE TABLE outbox_attachments (
    outbox_id    INTEGER NOT NULL REFERENCES outbox(id),
    pos          INTEGER NOT NULL,  -- the order in the message, from 1
    name         TEXT NOT NULL CHECK (name <> ''),
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size BETWEEN 0 AND 5242880),
    sha256       TEXT NOT NULL REFERENCES blobs(sha256),
    PRIMARY KEY (outbox_id, pos)
);
