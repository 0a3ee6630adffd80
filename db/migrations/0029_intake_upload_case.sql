-- An upload registered as a case is kept, without its file, for the rest of
-- its day with the number of the case it became: the review page reached
-- again (the browser's back button after Registrera) leads to that case
-- instead of "Dokumentet finns inte" (intake_upload.go). Swept with the
-- others after 24 hours. (PostgreSQL: migrations/postgres/0019.)
ALTER TABLE intake_uploads ADD COLUMN case_number TEXT NOT NULL DEFAULT '';
