package api

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

type agendaItemRequest struct {
	Kind  string `json:"kind"`
	Title string `json:"title"`
}

// apiAddAgendaItem is POST /meetings/{id}/agenda: a fixed or free item at the end.
func (s *Server) apiAddAgendaItem(c *fiber.Ctx) error {
	id, req, err := meetingRequestOf[agendaItemRequest](c)
	if err != nil {
		return err
	}
	items, err := s.Store.AddAgendaItem(c.UserContext(), id, httpx.CurrentUser(c), req.Kind, req.Title)
	if err == nil {
		items, err = s.Read(c).AgendaItems(c.UserContext(), items)
	}
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(items)
}

type agendaOrder struct {
	Order []int64 `json:"order"`
}

// apiReorderAgenda is PUT /meetings/{id}/agenda: every item id, in the new order.
func (s *Server) apiReorderAgenda(c *fiber.Ctx) error {
	id, req, err := meetingRequestOf[agendaOrder](c)
	if err != nil {
		return err
	}
	items, err := s.Store.ReorderAgenda(c.UserContext(), id, httpx.CurrentUser(c), req.Order)
	if err == nil {
		items, err = s.Read(c).AgendaItems(c.UserContext(), items)
	}
	if err != nil {
		return err
	}
	return c.JSON(items)
}

// apiRemoveAgendaItem is DELETE /meetings/{id}/agenda/{item}.
func (s *Server) apiRemoveAgendaItem(c *fiber.Ctx) error {
	id, err := httpx.MeetingID(c)
	if err != nil {
		return err
	}
	item, err := strconv.ParseInt(c.Params("item"), 10, 64)
	if err != nil {
		return workflow.Errorf(workflow.ENOTFOUND, "Punkten %q finns inte", c.Params("item"))
	}
	items, err := s.Store.RemoveAgendaItem(c.UserContext(), id, item, httpx.CurrentUser(c))
	if err == nil {
		items, err = s.Read(c).AgendaItems(c.UserContext(), items)
	}
	if err != nil {
		return err
	}
	return c.JSON(items)
}
