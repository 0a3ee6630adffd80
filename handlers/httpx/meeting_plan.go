package httpx

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// PlanYear reads the year of a plan, this year when none is given.
func (s *Server) PlanYear(v string) (int, error) {
	if v == "" {
		return s.Today().Year, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 1970 || y > 2200 {
		return 0, FieldError("year", "Ange året med fyra siffror, t.ex. "+strconv.Itoa(s.Today().Year+1))
	}
	return y, nil
}

// YearMeetings are a body's meetings of a year, by date.
func (s *Server) YearMeetings(ctx context.Context, code string, year int) ([]workflow.Meeting, error) {
	return s.Store.Meetings(ctx, db.MeetingFilter{Body: code,
		From: workflow.NewDate(year, 1, 1), To: workflow.NewDate(year, 12, 31)})
}

// PlanMeetings reads a plan and enters it for the body: all its meetings by date, or
// none and every line's problems at once, read and checked together. Only
// the board's secretary may, whatever the text says.
func (s *Server) PlanMeetings(ctx context.Context, code, text string, confirm bool, u workflow.User) ([]workflow.Meeting, []workflow.PlannedMeeting, error) {
	body, err := s.Store.Body(ctx, code)
	if err != nil {
		return nil, nil, err
	}
	if err := workflow.CanPlanMeetings(body, u); err != nil {
		return nil, nil, err
	}
	lines, readErr := workflow.ParseMeetingPlan(text)
	if readErr != nil {
		var checkErr error
		if len(lines) > 0 {
			checkErr = s.Store.CheckMeetingPlan(ctx, body.Code, lines, u, confirm)
		}
		return nil, lines, workflow.JoinPlanErrors(readErr, checkErr)
	}
	ms, err := s.Store.PlanMeetings(ctx, body.Code, lines, u, confirm)
	// By date, as the year lists them, whatever the order of the lines.
	slices.SortStableFunc(ms, func(a, b workflow.Meeting) int { return a.Date.Compare(b.Date) })
	return ms, lines, err
}

// RaisedWarnings are the warnings about days that are not work days among
// the errors of a refused plan: what confirming would accept.
func RaisedWarnings(err error, lines []workflow.PlannedMeeting) []workflow.FieldError {
	var we *workflow.Error
	if !errors.As(err, &we) {
		return nil
	}
	var out []workflow.FieldError
	for _, w := range workflow.PlanWarnings(lines) {
		if slices.Contains(we.Fields, w) {
			out = append(out, w)
		}
	}
	return out
}
