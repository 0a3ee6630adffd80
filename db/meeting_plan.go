package db

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// PlanMeetings enters a body's sammanträdesplan: every line a meeting, each
// with its agenda's fixed items and its bevakningar (kallelse), in one
// transaction. A plan with any line refused creates nothing; confirmed
// accepts days that are not work days.
func (s *Store) PlanMeetings(ctx context.Context, body string, lines []workflow.PlannedMeeting, actor workflow.User,
	confirmed bool) ([]workflow.Meeting, error) {
	var out []workflow.Meeting
	err := s.tx(ctx, func(tx *sql.Tx) error {
		ms, err := meetingPlan(ctx, tx, body, lines, actor, confirmed, s.now())
		if err != nil {
			return err
		}
		for i := range ms {
			if err := insertMeeting(ctx, tx, &ms[i]); err != nil {
				return err
			}
		}
		out = ms
		return nil
	})
	return out, err
}

// CheckMeetingPlan says what PlanMeetings would refuse in the lines, and
// changes nothing: the lines of a plan that could be read are checked while
// the others are being corrected, so every problem is named at once.
func (s *Store) CheckMeetingPlan(ctx context.Context, body string, lines []workflow.PlannedMeeting, actor workflow.User,
	confirmed bool) error {
	_, err := meetingPlan(ctx, s.r, body, lines, actor, confirmed, s.now())
	return err
}

// meetingPlan checks a plan against the body's meetings as they are in q.
func meetingPlan(ctx context.Context, q queryer, code string, lines []workflow.PlannedMeeting, actor workflow.User,
	confirmed bool, now time.Time) ([]workflow.Meeting, error) {
	body, err := bodyByCode(ctx, q, code)
	if err != nil {
		return nil, err
	}
	taken, err := meetingDays(ctx, q, body.ID, lines)
	if err != nil {
		return nil, err
	}
	return workflow.NewMeetingPlan(body, lines, taken, confirmed, workflow.Env{Now: now, Actor: actor})
}

// meetingDays are the days from the first to the last of lines on which the
// body has a meeting.
func meetingDays(ctx context.Context, q queryer, bodyID int64, lines []workflow.PlannedMeeting) ([]workflow.Date, error) {
	var days []string
	for _, l := range lines {
		if !l.Date.IsZero() {
			days = append(days, l.Date.String())
		}
	}
	if len(days) == 0 {
		return nil, nil
	}
	slices.Sort(days)
	rows, err := q.QueryContext(ctx, `SELECT date FROM meetings WHERE body_id = ? AND date BETWEEN ? AND ?`,
		bodyID, days[0], days[len(days)-1])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workflow.Date
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, parseDate(d))
	}
	return out, rows.Err()
}
