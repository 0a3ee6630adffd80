-- Whether a viewer signs a case off is asked per case (visibleTo, the start
-- page), and a case has a few approvers: the primary key
-- (case_id, pos) answers it. With an index on user_id SQLite chose that
-- instead and read all of a manager's sign-offs for every row: 0.64 s for a
-- list page of 50 and 0.11 s for the start page of a manager with 153,000
-- sign-offs at 1,000,000 cases (issue 10). The service never reads sign-offs by user.
DROP INDEX case_approvers_user;
