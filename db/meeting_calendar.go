package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// CreateCalendarToken makes a new secret for the user's calendar feed and
// forgets the old one, so a leaked feed address stops working. Only the hash
// is stored.
func (s *Store) CreateCalendarToken(ctx context.Context, userID int64) (string, error) {
	raw := make([]byte, 32)
	rand.Read(raw)
	token := "cal_" + hex.EncodeToString(raw)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO calendar_tokens(user_id, token_hash, created_at) VALUES (?,?,?)
			ON CONFLICT(user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`,
			userID, hashToken(token), fmtTime(s.now()))
		return err
	})
	return token, err
}

// UserByCalendarToken returns the active user whose feed the token opens.
func (s *Store) UserByCalendarToken(ctx context.Context, token string) (workflow.User, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, `SELECT user_id FROM calendar_tokens JOIN users ON users.id = calendar_tokens.user_id
		WHERE token_hash = ? AND users.active`, hashToken(token)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return workflow.User{}, notFound("Kalendern finns inte; skapa en ny kalenderadress i Beslutsgång")
	}
	if err != nil {
		return workflow.User{}, err
	}
	return s.User(ctx, id)
}

// CalendarBodies are the bodies whose meetings belong in u's calendar: those of
// the boards u works for, and those u is a member of.
func (s *Store) CalendarBodies(ctx context.Context, u workflow.User) ([]int64, error) {
	out, err := ids(ctx, s.r, `SELECT bodies.id FROM bodies WHERE bodies.board_id IN
		(SELECT board_id FROM user_roles WHERE user_id = ?)
		UNION SELECT body_id FROM body_members WHERE user_id = ? AND active ORDER BY 1`, u.ID, u.ID)
	if out == nil {
		out = []int64{}
	}
	return out, err
}

// CalendarDeadline is an open bevakning of a person, as their calendar shows it.
type CalendarDeadline struct {
	ID         int64
	CaseNumber string
	CaseTitle  string // empty for a secret case: the calendar leaves the service
	MeetingID  int64  // a meeting's deadline (kallelse, justering, anslag)
	Meeting    string // its meeting, "ASN arbetsutskott 2026-03-12"
	Kind       workflow.DeadlineKind
	Due        workflow.Date
	Note       string // empty for a secret case, as the title
	CreatedAt  time.Time
}

// OpenDeadlinesOf lists the open deadlines a user is responsible for, by due date.
func (s *Store) OpenDeadlinesOf(ctx context.Context, userID int64) ([]CalendarDeadline, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT d.id, COALESCE(c.number, ''), CASE WHEN c.secret THEN '' ELSE COALESCE(c.title, '') END,
		COALESCE(d.meeting_id, 0), `+deadlineMeetingTitle+`, d.kind, d.due, CASE WHEN c.secret THEN '' ELSE d.note END, d.created_at FROM deadlines d`+deadlineOwner+`
		WHERE d.responsible_id = ? AND d.state = 'open' ORDER BY d.due, d.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CalendarDeadline
	for rows.Next() {
		var d CalendarDeadline
		var due, created string
		if err := rows.Scan(&d.ID, &d.CaseNumber, &d.CaseTitle, &d.MeetingID, &d.Meeting, &d.Kind, &due, &d.Note, &created); err != nil {
			return nil, err
		}
		d.Due, d.CreatedAt = parseDate(due), parseTime(created)
		out = append(out, d)
	}
	return out, rows.Err()
}
