package db

import (
	"context"
	"strconv"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
)

// The days bodies meet, read for workflow.ChooseMeeting: which meeting a
// route date or a bordläggning lands on, and whether a date without one may
// make one.

// maxMeetingDays bounds one read of meeting days: years of weekly meetings
// of every body on a route.
const maxMeetingDays = 5000

// meetingDaysAround are the days a body meets from the start of the year
// before date's to the end of the year after it: date's year and the
// nearest meetings on each side, as ChooseMeeting needs them.
func meetingDaysAround(ctx context.Context, q queryer, bodyID int64, date workflow.Date) ([]workflow.MeetingDay, error) {
	from := workflow.Date{Year: date.Year - 1, Month: 1, Day: 1}
	to := workflow.Date{Year: date.Year + 1, Month: 12, Day: 31}
	days, err := meetingDaysOf(ctx, q, []int64{bodyID}, from, to)
	return days[bodyID], err
}

// meetingDaysOf are the days the bodies meet between from and to (zero: no
// end), by body id, each in date order.
func meetingDaysOf(ctx context.Context, q queryer, bodies []int64, from, to workflow.Date) (workflow.MeetingDays, error) {
	out := workflow.MeetingDays{}
	if len(bodies) == 0 {
		return out, nil
	}
	args := []any{from.String()}
	cond := "date >= ?"
	if !to.IsZero() {
		cond += " AND date <= ?"
		args = append(args, to.String())
	}
	marks := make([]string, len(bodies))
	for i, id := range bodies {
		marks[i] = "?"
		args = append(args, id)
		out[id] = []workflow.MeetingDay{} // a body with no meetings has none, not unknown ones
	}
	rows, err := q.QueryContext(ctx, `SELECT body_id, date, origin, status FROM meetings WHERE `+cond+
		` AND body_id IN (`+strings.Join(marks, ",")+`) ORDER BY body_id, date LIMIT `+strconv.Itoa(maxMeetingDays), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var date string
		var d workflow.MeetingDay
		if err := rows.Scan(&id, &date, &d.Origin, &d.Status); err != nil {
			return nil, err
		}
		d.Date = parseDate(date)
		out[id] = append(out[id], d)
	}
	return out, rows.Err()
}

// withMeetingDays gives env the days the bodies of c's current and later
// steps meet, from the start of the year of the earlier of today and the
// current step's date: what a bordläggning chooses among.
func withMeetingDays(ctx context.Context, q queryer, c *workflow.Case, env *workflow.Env) error {
	st := c.CurrentStep()
	if st == nil {
		return nil // the action refuses a case off its route itself
	}
	from := workflow.Today(env.Now)
	if !st.Date.IsZero() && st.Date.Before(from) {
		from = st.Date
	}
	var bodies []int64
	for _, s := range c.Route[c.Step:] {
		bodies = append(bodies, s.Body.ID)
	}
	days, err := meetingDaysOf(ctx, q, bodies, workflow.Date{Year: from.Year, Month: 1, Day: 1}, workflow.Date{})
	env.Meetings = days
	return err
}
