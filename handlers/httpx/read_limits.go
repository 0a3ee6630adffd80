package httpx

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
)

// A read holds one of the store's few reader connections (db.Store.Readers)
// while it runs. Two limits keep a slow or hostile request from holding them
// all: every GET gets a deadline for its database work, after which SQLite
// interrupts the statement and the request answers 503; and requests to the
// public pages (diary, calendar feeds), which anyone may send as fast as they
// like, share at most half of the connections, so staff always find one free.

// DefaultReadDeadline is how long one GET request's reads may take together.
// Every list reads one index walk per page, so a page takes milliseconds
// even at millions of cases; the deadline is for what still scans (the
// free-text search before FTS5) and for load beyond the machine.
const DefaultReadDeadline = 5 * time.Second

// publicWait is how long a public request waits for a free share of the
// readers before it is turned away with 503 and Retry-After.
var publicWait = 2 * time.Second

// ReadDeadline bounds the database work of a GET or HEAD request: the
// request's context ends at the deadline, which interrupts its query.
func (s *Server) ReadDeadline(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		return c.Next()
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), s.Config.ReadDeadline)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}

// PublicShare lets at most cap(s.public) public requests read at once; the
// others wait up to publicWait, then get 503.
func (s *Server) PublicShare(c *fiber.Ctx) error {
	select {
	case s.public <- struct{}{}:
	default:
		t := time.NewTimer(publicWait)
		defer t.Stop()
		select {
		case s.public <- struct{}{}:
		case <-t.C:
			c.Set(fiber.HeaderRetryAfter, "2")
			return fiber.NewError(fiber.StatusServiceUnavailable, "Många läser diariet just nu; försök igen om en stund")
		}
	}
	defer func() { <-s.public }()
	return c.Next()
}

// publicReaders is the share of the store's readers public requests get.
func publicReaders(store *db.Store, configured int) int {
	if configured > 0 {
		return configured
	}
	return max(1, store.Readers()/2)
}
