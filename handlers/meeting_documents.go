package handlers

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/protokoll"
	"github.com/kommun/beslutsgang/workflow"
)

// routesMeetingDocuments serves the PDFs also outside the API, at the
// addresses the issue names: to API clients by bearer token here, to the
// browser's session by the page routes of the same addresses (routesUIMeetings).
func (s *Server) routesMeetingDocuments(app *fiber.App) {
	app.Get("/meetings/:id/agenda.pdf", s.withToken(s.agendaPDF))
	app.Get("/meetings/:id/protokoll.pdf", s.withToken(s.minutesPDF))
	app.Get("/meetings/:id/paragraphs/:n/utdrag.pdf", s.withToken(s.extractPDF))
}

// minutesPDF is GET /meetings/{id}/protokoll.pdf. Before justering it is
// marked as a draft.
func (s *Server) minutesPDF(c *fiber.Ctx) error {
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
	return httpx.SendPDF(c, fmt.Sprintf("protokoll-%s-%s.pdf", min.Meeting.Body.Code, min.Meeting.Date), pdf)
}

// extractPDF is GET /meetings/{id}/paragraphs/{n}/utdrag.pdf: a protokollsutdrag.
func (s *Server) extractPDF(c *fiber.Ctx) error {
	id, err := httpx.MeetingID(c)
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
