package httpx

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/protokoll"
	"github.com/kommun/beslutsgang/workflow"
)

// MinutesPDF is GET /meetings/{id}/protokoll.pdf. Before justering it is
// marked as a draft.
func (s *Server) MinutesPDF(c *fiber.Ctx) error {
	min, err := s.MinutesOf(c)
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
	return SendPDF(c, fmt.Sprintf("protokoll-%s-%s.pdf", min.Meeting.Body.Code, min.Meeting.Date), pdf)
}

// ExtractPDF is GET /meetings/{id}/paragraphs/{n}/utdrag.pdf: a protokollsutdrag.
func (s *Server) ExtractPDF(c *fiber.Ctx) error {
	id, err := MeetingID(c)
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
	return SendPDF(c, fmt.Sprintf("protokollsutdrag-%s-%d-paragraf-%d.pdf", m.Body.Code, e.Paragraph.Year, n), pdf)
}
