package api

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// routesMeetings registers the meeting API on the authenticated group.
func (s *Server) routesMeetings(auth fiber.Router) {
	auth.Get("/meetings", httpx.Params("body", "from", "to", "per_page", "cursor"), s.apiListMeetings)
	auth.Post("/meetings", s.apiCreateMeeting)
	auth.Get("/meetings/:id", noParams, s.apiGetMeeting)
	auth.Patch("/meetings/:id", s.apiPatchMeeting)
	auth.Post("/meetings/:id/notice", s.apiMeetingNotice)
	auth.Post("/meetings/:id/held", s.apiMeetingHeld)
	auth.Post("/meetings/:id/agenda", s.apiAddAgendaItem)
	auth.Put("/meetings/:id/agenda", s.apiReorderAgenda)
	auth.Delete("/meetings/:id/agenda/:item", s.apiRemoveAgendaItem)
	auth.Post("/meetings/:id/decisions", s.apiDecide)
	auth.Patch("/meetings/:id/decisions/:number", s.apiCorrectDecision)
	auth.Put("/meetings/:id/attendance", s.apiSetAttendance)
	auth.Get("/meetings/:id/protokoll", noParams, s.apiMinutes)
	auth.Get("/meetings/:id/agenda.pdf", noParams, s.AgendaPDF)
	auth.Get("/meetings/:id/protokoll.pdf", noParams, s.MinutesPDF)
	auth.Get("/meetings/:id/paragraphs/:n/utdrag.pdf", noParams, s.ExtractPDF)
	auth.Post("/meetings/:id/justering", s.apiSign)
	auth.Post("/meetings/:id/anslag", s.apiPost)
	auth.Get("/bodies/:code/members", noParams, s.apiMembers)
	auth.Post("/bodies/:code/members", s.apiAddMember)
	auth.Delete("/bodies/:code/members/:id", s.apiRemoveMember)
	s.routesMeetingPlan(auth)
	auth.Post("/me/calendar", s.apiCalendarToken)
}

// meetingJSON is a meeting as the API shows it: its legal dates, the
// secretary's open deadlines and, for one meeting, its agenda and attendance.
type meetingJSON struct {
	workflow.Meeting
	StatusLabel string                     `json:"status_label"`
	Dates       workflow.MeetingDates      `json:"dates"`
	Deadlines   []workflow.MeetingDeadline `json:"deadlines"`
	Agenda      []db.AgendaItem            `json:"agenda,omitempty"`
	Attendees   []workflow.Attendee        `json:"attendees,omitempty"`
	Links       map[string]string          `json:"links"`
}

func (s *Server) toMeetingJSON(m workflow.Meeting) meetingJSON {
	id := strconv.FormatInt(m.ID, 10)
	links := map[string]string{
		"self":     "/api/v1/meetings/" + id,
		"calendar": "/calendar/" + m.Body.Code + ".ics",
	}
	if m.Status.AtLeast(workflow.MeetingHeld) {
		links["protokoll"] = "/meetings/" + id + "/protokoll.pdf"
	}
	return meetingJSON{Meeting: m, StatusLabel: m.Status.Label(), Dates: m.Dates(),
		Deadlines: orEmpty(m.OpenDeadlines(s.Today())), Links: links}
}

// updateMeeting reads a request of type T for the meeting in the path, lets
// do change the meeting, and answers with the meeting in full.
func updateMeeting[T any](s *Server, c *fiber.Ctx, do func(id int64, u workflow.User, req T) error) error {
	id, req, err := meetingRequestOf[T](c)
	if err != nil {
		return err
	}
	if err := do(id, httpx.CurrentUser(c), req); err != nil {
		return err
	}
	return s.sendMeeting(c, id)
}

// meetingRequestOf reads the meeting id of the path and the JSON body of a request.
func meetingRequestOf[T any](c *fiber.Ctx) (int64, T, error) {
	var req T
	id, err := httpx.MeetingID(c)
	if err == nil {
		err = httpx.DecodeJSON(c, &req)
	}
	return id, req, err
}

func queryDate(c *fiber.Ctx, name string, p *workflow.Problems) workflow.Date {
	v := c.Query(name)
	if v == "" {
		return workflow.Date{}
	}
	d, err := workflow.ParseDate(v)
	if err != nil {
		p.Add(name, "%v", err)
	}
	return d
}

func (s *Server) apiListMeetings(c *fiber.Ctx) error {
	var p workflow.Problems
	f := db.MeetingFilter{Body: c.Query("body"), From: queryDate(c, "from", &p), To: queryDate(c, "to", &p)}
	if f.Body != "" {
		if _, err := s.Store.Body(c.UserContext(), f.Body); err != nil {
			p.Add("body", "Organet %q finns inte", f.Body)
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		p.Add("to", "Slutdatumet %s är före startdatumet %s", f.To, f.From)
	}
	f.Limit = httpx.QueryInt(c, "per_page", db.MaxMeetings, &p)
	if f.Limit > db.MaxMeetings {
		p.Add("per_page", "Högst %d per sida", db.MaxMeetings)
	}
	cur, err := httpx.ListCursor(c)
	if err != nil {
		return err
	}
	if err := p.Err(); err != nil {
		return err
	}
	f.Cursor = cur
	page, err := s.Store.MeetingPage(c.UserContext(), f)
	if err != nil {
		return err
	}
	out := []meetingJSON{}
	for _, m := range page.Items {
		out = append(out, s.toMeetingJSON(m))
	}
	// The body stays a list, as before pages; the neighbours are in the
	// Link header only.
	httpx.SetListLinks(c, page.Next, page.Prev, nil)
	return c.JSON(out)
}

type meetingRequest struct {
	Body  string        `json:"body"`
	Date  workflow.Date `json:"date"`
	Time  string        `json:"time"`
	End   string        `json:"end_time"`
	Place string        `json:"place"`
}

func (s *Server) apiCreateMeeting(c *fiber.Ctx) error {
	var req meetingRequest
	if err := httpx.DecodeJSON(c, &req); err != nil {
		return err
	}
	m, err := s.Store.CreateMeeting(c.UserContext(), db.NewMeetingInput{Body: req.Body, Date: req.Date, Start: req.Time,
		End: req.End, Place: req.Place}, httpx.CurrentUser(c))
	if err != nil {
		return err
	}
	c.Location("/api/v1/meetings/" + strconv.FormatInt(m.ID, 10))
	return s.sendMeeting(c.Status(fiber.StatusCreated), m.ID)
}

// sendMeeting answers with one meeting in full: agenda and attendance included.
func (s *Server) sendMeeting(c *fiber.Ctx, id int64) error {
	min, err := s.Read(c).Minutes(c.UserContext(), id)
	if err != nil {
		return err
	}
	agenda, err := s.Read(c).Agenda(c.UserContext(), id)
	if err != nil {
		return err
	}
	out := s.toMeetingJSON(min.Meeting)
	out.Agenda, out.Attendees = agenda, orEmpty(min.Attendees)
	return c.JSON(out)
}

func (s *Server) apiGetMeeting(c *fiber.Ctx) error {
	id, err := httpx.MeetingID(c)
	if err != nil {
		return err
	}
	return s.sendMeeting(c, id)
}

type meetingPatch struct {
	Time  *string `json:"time"`
	End   *string `json:"end_time"`
	Place *string `json:"place"`
}

func (s *Server) apiPatchMeeting(c *fiber.Ctx) error {
	return updateMeeting(s, c, func(id int64, u workflow.User, req meetingPatch) error {
		_, err := s.Store.ChangeMeeting(c.UserContext(), id, u, req.Time, req.End, req.Place)
		return err
	})
}

func (s *Server) apiMeetingNotice(c *fiber.Ctx) error {
	return s.meetingStep(c, s.Store.MarkNoticeSent)
}

func (s *Server) apiMeetingHeld(c *fiber.Ctx) error {
	return s.meetingStep(c, s.Store.MarkHeld)
}

// meetingStep takes one bodiless status step on a meeting and answers with it.
func (s *Server) meetingStep(c *fiber.Ctx, step func(ctx context.Context, id int64, u workflow.User) (workflow.Meeting, error)) error {
	id, err := httpx.MeetingID(c)
	if err != nil {
		return err
	}
	if _, err := step(c.UserContext(), id, httpx.CurrentUser(c)); err != nil {
		return err
	}
	return s.sendMeeting(c, id)
}
