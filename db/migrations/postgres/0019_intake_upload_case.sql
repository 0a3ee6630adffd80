-- As SQLite's 0029: an upload registered as a case keeps, without its file,
-- the number of the case it became, so its review page leads there.
ALTER TABLE intake_uploads ADD COLUMN case_number TEXT COLLATE "C" NOT NULL DEFAULT '';
