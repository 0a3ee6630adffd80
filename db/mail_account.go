package db

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
)

// accountOf is the user who reads mail at email and can log in: the user
// linkedID names (a member's account) when that user is active, else an
// active user with the address, compared without regard to case; 0 when there
// is none. Mail links to pages behind the login only for such a person;
// anyone else gets mail that stands on its own, its documents attached.
func accountOf(ctx context.Context, q queryer, email string, linkedID int64) (int64, error) {
	var id int64
	if linkedID != 0 {
		err := q.QueryRowContext(ctx, `SELECT id FROM users WHERE id = ? AND active`, linkedID).Scan(&id)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return id, err
		}
	}
	email = strings.TrimSpace(email)
	if email == "" {
		return 0, nil
	}
	stored := email // users are stored in CheckEmail's form; rows from before it, as typed
	if e, err := workflow.CheckEmail(email); err == nil {
		stored = e
	}
	err := q.QueryRowContext(ctx, `SELECT id FROM users WHERE active AND (email = ? OR email = ?)
		ORDER BY id LIMIT 1`, stored, email).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}
