package api

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// apiMembers is GET /bodies/{code}/members.
func (s *Server) apiMembers(c *fiber.Ctx) error {
	ms, err := s.Store.Members(c.UserContext(), c.Params("code"))
	if err != nil {
		return err
	}
	return c.JSON(ms)
}

// apiAddMember is POST /bodies/{code}/members.
func (s *Server) apiAddMember(c *fiber.Ctx) error {
	var req db.MemberInput
	if err := httpx.DecodeJSON(c, &req); err != nil {
		return err
	}
	m, err := s.Store.AddMember(c.UserContext(), c.Params("code"), httpx.CurrentUser(c), req)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(m)
}

// apiRemoveMember is DELETE /bodies/{code}/members/{id}.
func (s *Server) apiRemoveMember(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return workflow.Errorf(workflow.ENOTFOUND, "Ledamoten %q finns inte", c.Params("id"))
	}
	if err := s.Store.RemoveMember(c.UserContext(), c.Params("code"), id, httpx.CurrentUser(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
