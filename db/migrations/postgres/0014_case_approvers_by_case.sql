-- Whether a viewer signs a case off is asked per case (visibleTo, the start
-- page), and a case has a few approvers: the primary key
-- (case_id, pos) answers it. The service never reads sign-offs by user, so the index
-- on user_id only cost writes (SQLite migration 0024, issue 10).
DROP INDEX case_approvers_user;
