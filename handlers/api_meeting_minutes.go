package handlers

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/protokoll"
	"github.com/kommun/beslutsgang/workflow"
)

type attendanceRequest struct {
	Attendees []db.AttendanceInput `json:"attendees"`
}

// apiSetAttendance is PUT /meetings/{id}/attendance: who was there and who justerar.
func (s *Server) apiSetAttendance(c *fiber.Ctx) error {
	return updateMeeting(s, c, func(id int64, u workflow.User, req attendanceRequest) error {
		_, err := s.Store.SetAttendance(c.UserContext(), id, u, req.Attendees)
		return err
	})
}

// minutesOf loads the protokoll of the meeting in the path.
func (s *Server) minutesOf(c *fiber.Ctx) (workflow.Minutes, error) {
	id, err := meetingID(c)
	if err != nil {
		return workflow.Minutes{}, err
	}
	return s.Read(c).Minutes(c.UserContext(), id)
}

// minutesJSON is the protokoll as JSON.
type minutesJSON struct {
	Meeting    meetingJSON         `json:"meeting"`
	Attendees  []workflow.Attendee `json:"attendees"`
	Paragraphs []paragraphJSON     `json:"paragraphs"`
}

// apiMinutes is GET /meetings/{id}/protokoll.
func (s *Server) apiMinutes(c *fiber.Ctx) error {
	min, err := s.minutesOf(c)
	if err != nil {
		return err
	}
	out := minutesJSON{Meeting: s.toMeetingJSON(min.Meeting), Attendees: orEmpty(min.Attendees), Paragraphs: []paragraphJSON{}}
	for _, p := range min.Paragraphs {
		out.Paragraphs = append(out.Paragraphs, paragraphJSON{Paragraph: p, Label: p.Label()})
	}
	return c.JSON(out)
}

// minutesPDF is GET /meetings/{id}/protokoll.pdf. Before justering it is
// marked as a draft.
func (s *Server) minutesPDF(c *fiber.Ctx) error {
	min, err := s.minutesOf(c)
	if err != nil {
		return err
	}
	if !min.Meeting.Status.AtLeast(workflow.MeetingHeld) {
		return workflow.Errorf(workflow.ECONFLICT, "Sammanträdet %s är inte hållet; det finns inget protokoll än", min.Meeting.Title())
	}
	pdf, err := protokoll.Minutes(min)
	if err != nil {
		return err
	}
	return httpx.SendPDF(c, fmt.Sprintf("protokoll-%s-%s.pdf", min.Meeting.Body.Code, min.Meeting.Date), pdf)
}

// extractPDF is GET /meetings/{id}/paragraphs/{n}/utdrag.pdf: a protokollsutdrag.
func (s *Server) extractPDF(c *fiber.Ctx) error {
	id, err := meetingID(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n < 1 {
		return workflow.Errorf(workflow.ENOTFOUND, "Paragrafen %q finns inte", c.Params("n"))
	}
	e, err := s.Read(c).Extract(c.UserContext(), id, n)
	if err != nil {
		return err
	}
	pdf, err := protokoll.Extract(e.Minutes, e.Paragraph)
	if err != nil {
		return err
	}
	m := e.Minutes.Meeting
	return httpx.SendPDF(c, fmt.Sprintf("protokollsutdrag-%s-%d-paragraf-%d.pdf", m.Body.Code, e.Paragraph.Year, n), pdf)
}

type signRequest struct {
	Password string `json:"password"`
}

// apiSign is POST /meetings/{id}/justering: a justerare signs the protokoll by
// giving their password again. The refusals come before the password check,
// so a non-justerare learns nothing about their password; wrong passwords
// count against the login limit.
func (s *Server) apiSign(c *fiber.Ctx) error {
	id, req, err := meetingRequestOf[signRequest](c)
	if err != nil {
		return err
	}
	u := httpx.CurrentUser(c)
	min, err := s.Read(c).Minutes(c.UserContext(), id)
	if err != nil {
		return err
	}
	if _, _, _, err := workflow.Sign(min.Meeting, min.Attendees, u, min.Meeting.UpdatedAt); err != nil {
		return err
	}
	if _, err := s.Login(c, u.Email, req.Password); err != nil {
		if workflow.ErrorCode(err) == workflow.EUNAUTHORIZED {
			return workflow.Errorf(workflow.EFORBIDDEN, "Fel lösenord; justeringen är inte registrerad")
		}
		return err
	}
	if _, err := s.Store.Sign(c.UserContext(), id, u); err != nil {
		return err
	}
	return s.sendMeeting(c, id)
}

type postRequest struct {
	Date workflow.Date `json:"date"`
}

// apiPost is POST /meetings/{id}/anslag: the day the justering was posted.
func (s *Server) apiPost(c *fiber.Ctx) error {
	return updateMeeting(s, c, func(id int64, u workflow.User, req postRequest) error {
		_, err := s.Store.Post(c.UserContext(), id, u, req.Date)
		return err
	})
}

// routesMeetingDocuments serves the PDFs also outside the API, at the
// addresses the issue names: to API clients by bearer token here, to the
// browser's session by the page routes of the same addresses (routesUIMeetings).
func (s *Server) routesMeetingDocuments(app *fiber.App) {
	app.Get("/meetings/:id/agenda.pdf", s.withToken(s.agendaPDF))
	app.Get("/meetings/:id/protokoll.pdf", s.withToken(s.minutesPDF))
	app.Get("/meetings/:id/paragraphs/:n/utdrag.pdf", s.withToken(s.extractPDF))
}
