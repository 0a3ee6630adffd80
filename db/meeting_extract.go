package db

import (
	"context"
	"database/sql"
	"errors"

	"github.com/kommun/beslutsgang/workflow"
)

// ExtractComposer writes the mail of a dispatched decision to one recipient;
// notify.Composer implements it. ex is the protokollsutdrag when a meeting
// took the decision, else the zero Extract. n.To.ID names the user who reads
// mail at the recipient's address and can log in, or is 0 (accountOf). A
// Composer without it sends the plain decision.
type ExtractComposer interface {
	ComposeExtract(c *workflow.Case, ev workflow.Event, n workflow.Notification, ex Extract) (Mail, error)
}

// decidingParagraph is the paragraph that holds the case's decision: the last
// decision in substance taken at its deciding step. ok is false for a case
// decided without a meeting (the decide action on the case itself).
func decidingParagraph(ctx context.Context, q queryer, c *workflow.Case) (meetingID int64, number int, ok bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT meeting_id, COALESCE(paragraph, 0) FROM decisions WHERE case_id = ? AND step = ?
		AND type IN ('approved', 'amended', 'rejected') ORDER BY id DESC LIMIT 1`, c.ID, c.DecidingStep()).Scan(&meetingID, &number)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, false, nil
	}
	return meetingID, number, err == nil, err
}

// awaitsJustering reports whether the case's decision stands in a protokoll
// that is not yet justerat (workflow.Decision.AwaitsJustering).
func awaitsJustering(ctx context.Context, q queryer, c *workflow.Case) (bool, error) {
	meetingID, _, ok, err := decidingParagraph(ctx, q, c)
	if err != nil || !ok {
		return false, err
	}
	m, err := meetingByID(ctx, q, meetingID)
	if err != nil {
		return false, err
	}
	return !m.Status.AtLeast(workflow.MeetingJustified), nil
}

// composeDispatch writes a dispatched decision's mail when the composer can:
// with its extract when the decision was taken at a meeting, and knowing
// whether the recipient can log in.
func (s *Store) composeDispatch(ctx context.Context, tx *sql.Tx, c *workflow.Case, ev workflow.Event, n workflow.Notification) (Mail, bool, error) {
	ec, ok := s.Composer.(ExtractComposer)
	if !ok {
		return Mail{}, false, nil
	}
	var err error
	if n.To.ID, err = accountOf(ctx, tx, n.To.Email, n.To.ID); err != nil {
		return Mail{}, false, err
	}
	var ex Extract
	meetingID, number, ok, err := decidingParagraph(ctx, tx, c)
	if err != nil {
		return Mail{}, false, err
	}
	if ok {
		if ex, err = extractOf(ctx, tx, meetingID, number); err != nil {
			return Mail{}, false, err
		}
	}
	m, err := ec.ComposeExtract(c, ev, n, ex)
	return m, true, err
}
