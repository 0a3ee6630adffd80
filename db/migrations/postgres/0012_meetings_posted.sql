-- The anslagstavla's notices of justering (readNotices): the meetings posted
-- since a day, newest first, read from an index instead of a walk over every
-- meeting the installation ever held (issue 10: a page does not grow with the
-- history; 15,758 meetings in a generated 100,000-case database).
CREATE INDEX meetings_status_posted ON meetings(status, posted_on);
