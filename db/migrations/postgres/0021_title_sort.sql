-- The case list's title sort in Swedish alphabetical order: the same key as
-- SQLite's migration 0031 (see there), by the same expression. lower() on a
-- COLLATE "C" column folds ASCII letters only, as SQLite's does. A
-- generated column cannot read another here, so public_title_sort repeats it.
ALTER TABLE cases ADD COLUMN title_sort TEXT COLLATE "C" GENERATED ALWAYS AS (lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(title,
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
    'ú', 'u'), 'Ú', 'u'), 'ù', 'u'), 'Ù', 'u'), 'û', 'u'), 'Û', 'u'))) STORED;
ALTER TABLE cases ADD COLUMN public_title_sort TEXT COLLATE "C" GENERATED ALWAYS AS
    (CASE WHEN secret THEN 'uppgiften omfattas av sekretess' ELSE lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(title,
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
        'ú', 'u'), 'Ú', 'u'), 'ù', 'u'), 'Ù', 'u'), 'û', 'u'), 'Û', 'u')) END) STORED;

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
