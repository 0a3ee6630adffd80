package httpx

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
)

// Read is the store as the request's user sees it (db.Reader): every read a
// handler shows goes through it, so a secret case's content reaches only the
// people it involves. Anonymous requests read as the public.
func (s *Server) Read(c *fiber.Ctx) db.Reader {
	u := CurrentUser(c)
	if u.ID == 0 {
		return s.Store.As(nil)
	}
	return s.Store.As(&u)
}
