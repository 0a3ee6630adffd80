package httpx

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/notify"
)

// AgendaPDF is GET /meetings/{id}/agenda.pdf and /api/v1/meetings/{id}/agenda.pdf:
// the meeting's föredragningslista as PDF, the same document the kallelse
// carries. Everything is read through the caller's db.Reader, and a case
// marked secret is printed by its number only, for whoever asks.
func (s *Server) AgendaPDF(c *fiber.Ctx) error {
	id, err := MeetingID(c)
	if err != nil {
		return err
	}
	ctx, r := c.UserContext(), s.Read(c)
	min, err := r.Minutes(ctx, id) // the meeting: body, day, time and place
	if err != nil {
		return err
	}
	items, err := r.Agenda(ctx, id)
	if err != nil {
		return err
	}
	proposals, err := r.AgendaProposals(ctx, id)
	if err != nil {
		return err
	}
	pdf, err := notify.AgendaPDF(min.Meeting, items, proposals)
	if err != nil {
		return err
	}
	return SendPDF(c, notify.AgendaFileName(min.Meeting), pdf)
}
