-- Three indexes on the stage's name, from before the list's indexes on its
-- rank (0009): every query now reads the stage by stage_rank, and each of
-- these cost every transition two more pages to write (issue 10). The start
-- page's "awaiting my sign-off" reads cases_stage_updated.
DROP INDEX cases_stage;
DROP INDEX cases_board;
DROP INDEX cases_officer;
