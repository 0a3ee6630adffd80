-- The full-text search index (db/search_postgres.go): the text of each case
-- per scope (db/search.go: diary, open, secret), a row each, with
--   * doc: its words as a tsvector, weighted by column (number A, title B,
--     about C, text D), for matching and ranking (ts_rank);
--   * tri: its short columns (number, title, about) lowercased, for pg_trgm's
--     substring search: parts of compounds ("skol" in "förskoleverksamhet").
-- The rows are derived data, written by the store (indexCase, Reindex), and
-- built at Open when missing or of another version (search_index).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The words are stemmed by PostgreSQL's Swedish Snowball stemmer, the one
-- the built-in configuration swedish uses (PostgreSQL docs 12.6.6, Snowball
-- Dictionary), but without its stop-word list: SQLite's index keeps "och",
-- "att", "i" and "för" as words, so a search for one finds what it finds
-- there. Numbers with letters (numword) are stemmed too, as the Go stemmer
-- of the SQLite index stems every word. Every other mapping is swedish's.
CREATE TEXT SEARCH DICTIONARY beslutsgang_swedish_stem (TEMPLATE = snowball, LANGUAGE = swedish);
CREATE TEXT SEARCH CONFIGURATION beslutsgang_swedish (COPY = pg_catalog.swedish);
ALTER TEXT SEARCH CONFIGURATION beslutsgang_swedish
    ALTER MAPPING FOR asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart
    WITH beslutsgang_swedish_stem;

CREATE TABLE search_docs (
    rid     BIGINT PRIMARY KEY, -- case id * 4 + scope (db.searchRowID)
    case_id BIGINT NOT NULL,
    scope   SMALLINT NOT NULL CHECK (scope IN (1, 2, 3)),
    -- The text as written, for snippets and to see whether it changed.
    number  TEXT COLLATE "C" NOT NULL,
    title   TEXT COLLATE "C" NOT NULL,
    about   TEXT COLLATE "C" NOT NULL,
    text    TEXT COLLATE "C" NOT NULL,
    tri     TEXT COLLATE "C" NOT NULL,
    doc     tsvector NOT NULL
);

CREATE INDEX search_docs_case ON search_docs (case_id);

-- One index per scope, as SQLite's index has its tables per scope: a query
-- reads one scope's rows at a time.
CREATE INDEX search_docs_diary_words ON search_docs USING gin (doc) WHERE scope = 1;
CREATE INDEX search_docs_open_words ON search_docs USING gin (doc) WHERE scope = 2;
CREATE INDEX search_docs_secret_words ON search_docs USING gin (doc) WHERE scope = 3;
CREATE INDEX search_docs_diary_tri ON search_docs USING gin (tri gin_trgm_ops) WHERE scope = 1;
CREATE INDEX search_docs_open_tri ON search_docs USING gin (tri gin_trgm_ops) WHERE scope = 2;
CREATE INDEX search_docs_secret_tri ON search_docs USING gin (tri gin_trgm_ops) WHERE scope = 3;

-- The version of what the rows hold (db.pgSearchIndexVersion); 0 while
-- Reindex runs, or before the first.
CREATE TABLE search_index (version BIGINT NOT NULL);
INSERT INTO search_index (version) VALUES (0);
