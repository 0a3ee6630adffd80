package api

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/workflow"
)

// requireAdmin lets only administrators through.
func (s *Server) requireAdmin(c *fiber.Ctx) error {
	if !httpx.CurrentUser(c).HasAnywhere(workflow.RoleAdmin) {
		return workflow.Errorf(workflow.EFORBIDDEN, "Utkorgen och e-postluckorna visas bara för administratörer")
	}
	return c.Next()
}

// apiOutbox lists the outbox, ?state=queued|sent|failed, a page at a time.
func (s *Server) apiOutbox(c *fiber.Ctx) error {
	var p workflow.Problems
	f := db.OutboxFilter{State: c.Query("state"), Page: httpx.QueryInt(c, "page", 1, &p), PerPage: httpx.QueryInt(c, "per_page", 50, &p)}
	if f.PerPage > db.MaxPerPage {
		p.Add("per_page", "Högst %d per sida", db.MaxPerPage)
	}
	cur, err := httpx.ListCursor(c)
	if err != nil {
		return err
	}
	if err := p.Err(); err != nil {
		return err
	}
	f.Cursor = cur
	page, err := s.Read(c).Outbox(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(outboxPageJSON{OutboxPage: page, ListLinks: httpx.SetListLinks(c, page.Next, page.Prev, page.Last)})
}

// outboxPageJSON is a page of the outbox with its neighbours' addresses.
type outboxPageJSON struct {
	db.OutboxPage
	httpx.ListLinks
}

func (s *Server) apiOutboxMail(c *fiber.Ctx) error {
	id, err := httpx.PathID(c, "Meddelandet")
	if err != nil {
		return err
	}
	m, err := s.Read(c).Mail(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

// apiResendMail queues a failed message again; the worker sends it within seconds.
func (s *Server) apiResendMail(c *fiber.Ctx) error {
	id, err := httpx.PathID(c, "Meddelandet")
	if err != nil {
		return err
	}
	m, err := s.Store.ResendMail(c.UserContext(), id)
	if err != nil {
		return err
	}
	httpx.Log(c).Info("mail re-sent by an administrator", "id", id, "by", httpx.CurrentUser(c).Email)
	return c.JSON(m)
}

func (s *Server) apiMailGaps(c *fiber.Ctx) error {
	gaps, err := s.Store.MailGaps(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(gaps)
}

// apiMailFiles lists the .eml files written when no SMTP server is configured.
func (s *Server) apiMailFiles(c *fiber.Ctx) error {
	if s.Config.MailDir == "" {
		return c.JSON([]notify.MailFile{})
	}
	files, err := notify.MailFiles(s.Config.MailDir)
	if err != nil {
		return err
	}
	return c.JSON(files)
}
