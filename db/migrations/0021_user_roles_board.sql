-- The staff of a board in a role (the secretaries every action notifies,
-- the approvers a form offers) read from the board's end of user_roles:
-- its primary key starts with the user, so the query scanned every user
-- (issue 10: no read grows with the number of users or cases).
CREATE INDEX user_roles_board ON user_roles(board_id, role, user_id);
