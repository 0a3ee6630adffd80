package api

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
)

// apiCalendarToken is POST /api/v1/me/calendar: a new secret feed address for
// the caller; the previous one stops working.
func (s *Server) apiCalendarToken(c *fiber.Ctx) error {
	u := httpx.CurrentUser(c)
	token, err := s.Store.CreateCalendarToken(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"url": s.Config.BaseURL + "/calendar/user/" + token + ".ics"})
}
