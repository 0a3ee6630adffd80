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
	plan := workflow.MeetingDeadlines(m, secretaries)
	if err := reconcileDeadlines(ctx, tx, "meeting_id", m.ID, workflow.MeetingKinds, plan, now); err != nil {
		return err
	}
	return syncRemindersOf(ctx, tx, "meeting_id", m.ID, now)
}

// MeetingDeadlines lists a meeting's deadlines: open ones by due date, then closed ones.
func (s *Store) MeetingDeadlines(ctx context.Context, meetingID int64) ([]DeadlineItem, error) {
	return queryDeadlines(ctx, s.r, `WHERE d.meeting_id = ? ORDER BY d.state <> 'open', d.due, d.id`, meetingID)
}
