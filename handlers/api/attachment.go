package api

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
)

func (s *Server) apiUpload(c *fiber.Ctx) error {
	a, err := httpx.ReadUpload(c)
	if err != nil {
		return err
	}
	att, err := s.Store.AddAttachment(c.UserContext(), c.Params("number"), httpx.CurrentUser(c), a)
	if err != nil {
		return err
	}
	c.Location("/api/v1/cases/" + url.PathEscape(c.Params("number")) + "/attachments/" + strconv.FormatInt(att.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(att)
}

func (s *Server) apiDownload(c *fiber.Ctx) error {
	return s.SendAttachment(c)
}
