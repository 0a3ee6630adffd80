package db

import (
	"context"
	"database/sql"
	"errors"

	"github.com/kommun/beslutsgang/workflow"
)

// ExtractComposer writes the mail of a decision dispatched after a meeting
// decided it, with the protokollsutdrag; notify.Composer implements it. A
// Composer without it sends the plain decision.
type ExtractComposer interface {
	ComposeExtract(c *workflow.Case, ev workflow.Event, n workflow.Notification, ex Extract) (Mail, error)
}

// decidingParagraph is the paragraph that holds the case's decision: the last
// decision in substance taken at its deciding step. ok is false for a case
// decided without a meeting (the decide action on the case itself).
func decidingParagraph(ctx context.Context, q queryer, c *workflow.Case) (meetingID int64, number int, ok bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT meeting_id, paragraph FROM decisions WHERE case_id = ? AND step = ?
		AND type IN ('approved', 'amended', 'rejected') ORDER BY id DESC LIMIT 1`, c.ID, c.DecidingStep()).Scan(&meetingID, &number)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, false, nil
	}
	return meetingID, number, err == nil, err
}

// checkDispatch refuses to dispatch a decision whose protokoll is not yet
// justerat: the protokollsutdrag the recipients get is of a justerat protokoll.
func checkDispatch(ctx context.Context, tx *sql.Tx, c *workflow.Case) error {
	meetingID, n, ok, err := decidingParagraph(ctx, tx, c)
	if err != nil || !ok {
		return err
	}
	m, err := meetingByID(ctx, tx, meetingID)
	if err != nil {
		return err
	}
	if !m.Status.AtLeast(workflow.MeetingJustified) {
		return workflow.Errorf(workflow.ECONFLICT, "Beslutet (%s) står i protokollet från %s, som inte är justerat än; expediera när justerarna har skrivit under",
			workflow.ParagraphLabel(n), m.Title())
	}
	return nil
}

// composeDispatch writes a dispatched decision's mail with its extract when
// the decision was taken at a meeting and the composer can write one.
func (s *Store) composeDispatch(ctx context.Context, tx *sql.Tx, c *workflow.Case, ev workflow.Event, n workflow.Notification) (Mail, bool, error) {
	ec, ok := s.Composer.(ExtractComposer)
	if !ok {
		return Mail{}, false, nil
	}
	meetingID, number, ok, err := decidingParagraph(ctx, tx, c)
	if err != nil || !ok {
		return Mail{}, false, err
	}
	ex, err := extractOf(ctx, tx, meetingID, number)
	if err != nil {
		return Mail{}, false, err
	}
	m, err := ec.ComposeExtract(c, ev, n, ex)
	return m, true, err
}
