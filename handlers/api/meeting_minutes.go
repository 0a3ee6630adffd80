package api

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
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

// minutesJSON is the protokoll as JSON.
type minutesJSON struct {
	Meeting    meetingJSON         `json:"meeting"`
	Attendees  []workflow.Attendee `json:"attendees"`
	Paragraphs []paragraphJSON     `json:"paragraphs"`
}

// apiMinutes is GET /meetings/{id}/protokoll.
func (s *Server) apiMinutes(c *fiber.Ctx) error {
	min, err := s.MinutesOf(c)
	if err != nil {
		return err
	}
	out := minutesJSON{Meeting: s.toMeetingJSON(min.Meeting), Attendees: orEmpty(min.Attendees), Paragraphs: []paragraphJSON{}}
	for _, p := range min.Paragraphs {
		out.Paragraphs = append(out.Paragraphs, paragraphJSON{Paragraph: p, Label: p.Label()})
	}
	return c.JSON(out)
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
