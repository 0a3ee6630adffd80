-- Lists whose reads do not grow with the database: every filter and sort
-- that the case list, the diary, the meetings list, the outbox and the
-- deadlines pages offer is served by one index walk in order, stopping at the
-- page (db/list.go; TestListPlans checks each combination with EXPLAIN QUERY
-- PLAN). A sort key is one column of the row it sorts, so no join decides the
-- order.

-- The current route step's date while the case is on its route (presidium to
-- council); '' in draft, approval and closed, and for a step without a date.
-- Written by the store's save path (saveCase, insertCase) with the stage.
ALTER TABLE cases ADD COLUMN next_date TEXT NOT NULL DEFAULT '';
UPDATE cases SET next_date = COALESCE((SELECT rs.date FROM route_steps rs WHERE rs.case_id = cases.id AND rs.pos = cases.step), '')
    WHERE stage NOT IN ('draft', 'approval', 'closed');

-- Computed from the row itself, so no write path can leave them stale.
-- The stage in process order (workflow.Stages; db.stageRank).
ALTER TABLE cases ADD COLUMN stage_rank INTEGER GENERATED ALWAYS AS (CASE stage
    WHEN 'draft' THEN 0 WHEN 'approval' THEN 1 WHEN 'presidium' THEN 2 WHEN 'working_committee' THEN 3
    WHEN 'board' THEN 4 WHEN 'executive_board' THEN 5 WHEN 'council' THEN 6 ELSE 7 END) VIRTUAL;
-- The number sorted as (board code, year, serial): "ASN-2026-000000009"
-- before "ASN-2026-000000100". A board code is 2-10 capital letters, all
-- above '-', so the code's own order is kept.
ALTER TABLE cases ADD COLUMN number_key TEXT GENERATED ALWAYS AS
    (substr(number, 1, instr(number, '-')) || printf('%04d-%09d', year, serial)) VIRTUAL;
-- The title as someone the case does not involve sees it: a secret case's
-- title is workflow.WithheldText (checked by TestPublicTitleIsWithheldText).
-- The case list sorts the cases a viewer may not see by it (db/case_list.go).
ALTER TABLE cases ADD COLUMN public_title TEXT GENERATED ALWAYS AS
    (CASE WHEN secret THEN 'Uppgiften omfattas av sekretess' ELSE title END) VIRTUAL;

-- The case list: each sort key alone, and after each filter that pins one
-- value (board, officer, stage), and board and stage together. Another
-- filter is checked on the rows the walk meets (an officer's cases are few).
-- The rowid ends every index, so ties go by id.
CREATE INDEX cases_list_number ON cases(number_key);
CREATE INDEX cases_list_title ON cases(title COLLATE NOCASE);
CREATE INDEX cases_list_updated ON cases(updated_at);
CREATE INDEX cases_list_stage ON cases(stage_rank);
CREATE INDEX cases_list_date ON cases(next_date);
CREATE INDEX cases_board_number ON cases(board_id, number_key);
CREATE INDEX cases_board_title ON cases(board_id, title COLLATE NOCASE);
CREATE INDEX cases_board_updated ON cases(board_id, updated_at);
CREATE INDEX cases_board_stage ON cases(board_id, stage_rank);
CREATE INDEX cases_board_date ON cases(board_id, next_date);
CREATE INDEX cases_officer_number ON cases(officer_id, number_key);
CREATE INDEX cases_officer_title ON cases(officer_id, title COLLATE NOCASE);
CREATE INDEX cases_officer_updated ON cases(officer_id, updated_at);
CREATE INDEX cases_officer_stage ON cases(officer_id, stage_rank);
CREATE INDEX cases_officer_date ON cases(officer_id, next_date);
CREATE INDEX cases_stage_number ON cases(stage_rank, number_key);
CREATE INDEX cases_stage_title ON cases(stage_rank, title COLLATE NOCASE);
CREATE INDEX cases_stage_updated ON cases(stage_rank, updated_at);
CREATE INDEX cases_stage_date ON cases(stage_rank, next_date);
-- Board and stage together, as the list's filters most often are.
CREATE INDEX cases_board_stage_number ON cases(board_id, stage_rank, number_key);
CREATE INDEX cases_board_stage_title ON cases(board_id, stage_rank, title COLLATE NOCASE);
CREATE INDEX cases_board_stage_updated ON cases(board_id, stage_rank, updated_at);
CREATE INDEX cases_board_stage_date ON cases(board_id, stage_rank, next_date);
-- The secret cases, in id order, for the part of a title sort that a viewer
-- sees withheld: small, as few cases are secret.
CREATE INDEX cases_withheld ON cases(public_title COLLATE NOCASE) WHERE secret;
CREATE INDEX cases_board_withheld ON cases(board_id, public_title COLLATE NOCASE) WHERE secret;
CREATE INDEX cases_stage_withheld ON cases(stage_rank, public_title COLLATE NOCASE) WHERE secret;
CREATE INDEX cases_board_stage_withheld ON cases(board_id, stage_rank, public_title COLLATE NOCASE) WHERE secret;
-- The old stage index is served by cases_stage_updated for lists; the
-- counts per stage (OpenCasesByStage) still read it.

-- The public diary: newest registration first, by board and by year.
CREATE INDEX cases_registered ON cases(created_at);
CREATE INDEX cases_board_registered ON cases(board_id, created_at);
CREATE INDEX cases_year_registered ON cases(year, created_at);
CREATE INDEX cases_board_year_registered ON cases(board_id, year, created_at);

-- Meetings list by date, then body code: the code is kept on the meeting
-- (codes never change), so no join decides the order.
ALTER TABLE meetings ADD COLUMN body_code TEXT NOT NULL DEFAULT '';
UPDATE meetings SET body_code = (SELECT code FROM bodies WHERE bodies.id = meetings.body_id);
DROP INDEX meetings_date;
CREATE INDEX meetings_date_body ON meetings(date, body_code);
CREATE INDEX meetings_code_date ON meetings(body_code, date);
