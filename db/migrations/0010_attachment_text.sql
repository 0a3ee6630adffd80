-- The text of an attached file, read once at upload (package doctext) for the
-- search index. NULL: not read (a file registered by name only, or pdftotext
-- was missing: `beslutsgang reindex` reads it then); '' when read and there
-- is no text (an image, a damaged file).
ALTER TABLE attachments ADD COLUMN text TEXT;
