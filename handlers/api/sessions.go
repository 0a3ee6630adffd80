package api

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
)

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// createSession is POST /api/v1/sessions: e-mail and password for a bearer token.
func (s *Server) createSession(c *fiber.Ctx) error {
	var req loginRequest
	if err := httpx.DecodeJSON(c, &req); err != nil {
		return err
	}
	u, err := s.Login(c, req.Email, req.Password)
	if err != nil {
		return err
	}
	token, err := s.Store.CreateToken(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"token": token, "user": u})
}

// deleteSession is DELETE /api/v1/sessions: revokes the token used.
func (s *Server) deleteSession(c *fiber.Ctx) error {
	if err := s.Store.RevokeToken(c.UserContext(), httpx.BearerToken(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
