package handlers

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// routesMeetingPlan registers the sammanträdesplan of a body: its meetings
// of a year, and a plan pasted as text that enters many at once.
func (s *Server) routesMeetingPlan(auth fiber.Router) {
	auth.Get("/bodies/:code/plan", s.apiGetMeetingPlan)
	auth.Post("/bodies/:code/plan", s.apiPostMeetingPlan)
}

type planRequest struct {
	Text    string `json:"text"`
	Confirm bool   `json:"confirm"`
}

// planProblem is a refused plan: every line's errors, the warnings about
// days that are not work days among them until confirmed, and those
// warnings alone, which a request with "confirm": true accepts.
type planProblem struct {
	httpx.Problem
	Warnings []workflow.FieldError `json:"warnings,omitempty"`
}

// planYear reads the year of a plan, this year when none is given.
func (s *Server) planYear(v string) (int, error) {
	if v == "" {
		return s.Today().Year, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 1970 || y > 2200 {
		return 0, fieldError("year", "Ange året med fyra siffror, t.ex. "+strconv.Itoa(s.Today().Year+1))
	}
	return y, nil
}

// yearMeetings are a body's meetings of a year, by date.
func (s *Server) yearMeetings(ctx context.Context, code string, year int) ([]workflow.Meeting, error) {
	return s.Store.Meetings(ctx, db.MeetingFilter{Body: code,
		From: workflow.NewDate(year, 1, 1), To: workflow.NewDate(year, 12, 31)})
}

// apiGetMeetingPlan is GET /bodies/{code}/plan?year=: the body's meetings of the year.
func (s *Server) apiGetMeetingPlan(c *fiber.Ctx) error {
	body, err := s.Store.Body(c.UserContext(), c.Params("code"))
	if err != nil {
		return err
	}
	year, err := s.planYear(c.Query("year"))
	if err != nil {
		return err
	}
	ms, err := s.yearMeetings(c.UserContext(), body.Code, year)
	if err != nil {
		return err
	}
	out := []meetingJSON{}
	for _, m := range ms {
		out = append(out, s.toMeetingJSON(m))
	}
	return c.JSON(out)
}

// apiPostMeetingPlan is POST /bodies/{code}/plan {"text","confirm"}: 201 with
// the meetings, or 422 naming every line's problems.
func (s *Server) apiPostMeetingPlan(c *fiber.Ctx) error {
	var req planRequest
	if err := httpx.DecodeJSON(c, &req); err != nil {
		return err
	}
	ms, lines, err := s.planMeetings(c.UserContext(), c.Params("code"), req.Text, req.Confirm, httpx.CurrentUser(c))
	if err != nil {
		if workflow.ErrorCode(err) != workflow.EINVALID {
			return err
		}
		p := planProblem{Problem: httpx.ToProblem(err)}
		p.Instance = c.OriginalURL()
		if !req.Confirm {
			p.Warnings = raisedWarnings(err, lines)
		}
		c.Status(p.Status)
		return c.JSON(p, "application/problem+json; charset=utf-8")
	}
	out := make([]meetingJSON, 0, len(ms))
	for _, m := range ms {
		out = append(out, s.toMeetingJSON(m))
	}
	c.Location("/api/v1/bodies/" + ms[0].Body.Code + "/plan?year=" + strconv.Itoa(ms[0].Date.Year))
	return c.Status(fiber.StatusCreated).JSON(out)
}

// planMeetings reads a plan and enters it for the body: all its meetings by date, or
// none and every line's problems at once, read and checked together. Only
// the board's secretary may, whatever the text says.
func (s *Server) planMeetings(ctx context.Context, code, text string, confirm bool, u workflow.User) ([]workflow.Meeting, []workflow.PlannedMeeting, error) {
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

// raisedWarnings are the warnings about days that are not work days among
// the errors of a refused plan: what confirming would accept.
func raisedWarnings(err error, lines []workflow.PlannedMeeting) []workflow.FieldError {
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
