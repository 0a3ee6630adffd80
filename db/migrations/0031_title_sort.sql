-- The case list's title sort in Swedish alphabetical order (SAOL, and the
-- first level of SS 02 51 02): å, ä and ö are letters of their own after z,
-- in that order and whatever their case; æ sorts as ä and ø as ö, ü as y,
-- and the other accented letters of names and loanwords (é, à, ç, ñ, ...)
-- as their base letter. The title was sorted COLLATE NOCASE, by bytes, with
-- Ä before Å and every lower-case å, ä and ö after every capital, so
-- "Översyn" came before "ärende". Written as replace() and lower() on
-- ASCII, so both engines compute the same key (postgres 0021): å, ä and ö
-- become the three characters after z, '{', '|' and '}'. Ties go by id.
ALTER TABLE cases ADD COLUMN title_sort TEXT GENERATED ALWAYS AS (lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(title,
    'å', '{'), 'Å', '{'),
    'ä', '|'), 'Ä', '|'), 'æ', '|'), 'Æ', '|'),
    'ö', '}'), 'Ö', '}'), 'ø', '}'), 'Ø', '}'),
    'é', 'e'), 'É', 'e'), 'è', 'e'), 'È', 'e'), 'ê', 'e'), 'Ê', 'e'), 'ë', 'e'), 'Ë', 'e'),
    'á', 'a'), 'Á', 'a'), 'à', 'a'), 'À', 'a'), 'â', 'a'), 'Â', 'a'),
    'ü', 'y'), 'Ü', 'y'),
    'ç', 'c'), 'Ç', 'c'),
    'ñ', 'n'), 'Ñ', 'n'),
    'í', 'i'), 'Í', 'i'), 'ì', 'i'), 'Ì', 'i'), 'î', 'i'), 'Î', 'i'), 'ï', 'i'), 'Ï', 'i'),
    'ó', 'o'), 'Ó', 'o'), 'ò', 'o'), 'Ò', 'o'), 'ô', 'o'), 'Ô', 'o'),
    'ú', 'u'), 'Ú', 'u'), 'ù', 'u'), 'Ù', 'u'), 'û', 'u'), 'Û', 'u'))) VIRTUAL;
-- The same of the title as someone the case does not involve sees it
-- (public_title): workflow.WithheldText for a secret case.
ALTER TABLE cases ADD COLUMN public_title_sort TEXT GENERATED ALWAYS AS
    (CASE WHEN secret THEN 'uppgiften omfattas av sekretess' ELSE title_sort END) VIRTUAL;

DROP INDEX cases_list_title;
DROP INDEX cases_board_title;
DROP INDEX cases_officer_title;
DROP INDEX cases_stage_title;
DROP INDEX cases_board_stage_title;
DROP INDEX cases_withheld;
DROP INDEX cases_board_withheld;
DROP INDEX cases_stage_withheld;
DROP INDEX cases_board_stage_withheld;
CREATE INDEX cases_list_title ON cases(title_sort);
CREATE INDEX cases_board_title ON cases(board_id, title_sort);
CREATE INDEX cases_officer_title ON cases(officer_id, title_sort);
CREATE INDEX cases_stage_title ON cases(stage_rank, title_sort);
CREATE INDEX cases_board_stage_title ON cases(board_id, stage_rank, title_sort);
CREATE INDEX cases_withheld ON cases(public_title_sort) WHERE secret;
CREATE INDEX cases_board_withheld ON cases(board_id, public_title_sort) WHERE secret;
CREATE INDEX cases_stage_withheld ON cases(stage_rank, public_title_sort) WHERE secret;
CREATE INDEX cases_board_stage_withheld ON cases(board_id, stage_rank, public_title_sort) WHERE secret;
