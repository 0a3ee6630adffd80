package db

import (
	"context"
	"database/sql"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// planMeetingDeadlines opens, moves and closes a meeting's deadlines
// (kallelse, justering, anslag) to match its status, with their reminders, in
// the transaction that changed the meeting: the kallelse deadline closes as
// the kallelse is registered, the justering as the last justerare signs, the
// anslag as it is posted.
func planMeetingDeadlines(ctx context.Context, tx *sql.Tx, m workflow.Meeting, now time.Time) error {
	secretaries, err := staff(ctx, tx, m.Body.Board, workflow.RoleSecretary)
	if err != nil {
		return err
	}
	plan := workflow.MeetingDeadlines(m, secretaries, workflow.Today(now))
	touched, err := reconcileDeadlines(ctx, tx, "meeting_id", m.ID, workflow.MeetingKinds, plan, now)
	if err != nil {
		return err
	}
	return syncRemindersFor(ctx, tx, touched, now)
}

// LapseNotices closes the kallelse deadlines of meetings still planned whose
// day has passed before the day of now: a kallelse can no longer be sent. The
// daily job runs it, before the morning's reminders.
func (s *Store) LapseNotices(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		lapsed, err := ids(ctx, tx, `SELECT DISTINCT d.meeting_id FROM deadlines d INDEXED BY deadlines_meeting
			JOIN meetings m ON m.id = d.meeting_id
			WHERE d.meeting_id IS NOT NULL AND d.state = 'open' AND d.kind = 'notice' AND m.date < ?`, workflow.Today(now).String())
		if err != nil {
			return err
		}
		for _, id := range lapsed {
			m, err := meetingByID(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := planMeetingDeadlines(ctx, tx, m, now); err != nil {
				return err
			}
		}
		n = len(lapsed)
		return nil
	})
	return n, err
}

// MeetingDeadlines lists a meeting's deadlines: open ones by due date, then closed ones.
func (s *Store) MeetingDeadlines(ctx context.Context, meetingID int64) ([]DeadlineItem, error) {
	return queryDeadlines(ctx, s.r, `WHERE d.meeting_id = ? ORDER BY d.state <> 'open', d.due, d.id`, meetingID)
}
