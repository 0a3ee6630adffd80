-- As SQLite's 0026: the indexes on the stage's name go; every query reads
-- the stage by stage_rank (issue 10).
DROP INDEX cases_stage;
DROP INDEX cases_board;
DROP INDEX cases_officer;
