package api

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
)

func (s *Server) apiListRecurring(c *fiber.Ctx) error {
	list, err := s.Store.Recurrings(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(list)
}

// apiCreateRecurring saves a recurring assignment; a bad cron expression is
// refused here, with the field named.
func (s *Server) apiCreateRecurring(c *fiber.Ctx) error {
	var in db.RecurringInput
	if err := httpx.DecodeJSON(c, &in); err != nil {
		return err
	}
	r, err := s.Store.CreateRecurring(c.UserContext(), in, httpx.CurrentUser(c))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}
