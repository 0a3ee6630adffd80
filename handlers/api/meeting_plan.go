package api

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// routesMeetingPlan registers the sammanträdesplan of a body: its meetings
// of a year, and a plan pasted as text that enters many at once.
func (s *Server) routesMeetingPlan(auth fiber.Router) {
	auth.Get("/bodies/:code/plan", httpx.Params("year"), s.apiGetMeetingPlan)
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

// apiGetMeetingPlan is GET /bodies/{code}/plan?year=: the body's meetings of the year.
func (s *Server) apiGetMeetingPlan(c *fiber.Ctx) error {
	body, err := s.Store.Body(c.UserContext(), c.Params("code"))
	if err != nil {
		return err
	}
	year, err := s.PlanYear(c.Query("year"))
	if err != nil {
		return err
	}
	ms, err := s.YearMeetings(c.UserContext(), body.Code, year)
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
	ms, lines, err := s.PlanMeetings(c.UserContext(), c.Params("code"), req.Text, req.Confirm, httpx.CurrentUser(c))
	if err != nil {
		if workflow.ErrorCode(err) != workflow.EINVALID {
			return err
		}
		p := planProblem{Problem: httpx.ToProblem(err)}
		p.Instance = c.OriginalURL()
		if !req.Confirm {
			p.Warnings = httpx.RaisedWarnings(err, lines)
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
