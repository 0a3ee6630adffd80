package api

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// routesMail registers the deadline, reminder, outbox and recurring
// assignment endpoints.
func (s *Server) routesMail(auth fiber.Router) {
	auth.Get("/cases/:number/deadlines", noParams, s.apiCaseDeadlines)
	auth.Post("/cases/:number/deadlines", s.apiAddDeadline)
	auth.Get("/deadlines/:id", noParams, s.apiGetDeadline)
	auth.Post("/deadlines/:id/acknowledge", s.apiAcknowledgeDeadline)
	auth.Get("/me/deadlines", httpx.Params("until", "page", "per_page", "cursor"), s.apiMyDeadlines)
	auth.Get("/me/reminders", httpx.Params("days"), s.apiMyReminders)
	auth.Get("/recurring", noParams, s.apiListRecurring)
	auth.Post("/recurring", s.apiCreateRecurring)
	// Per route, not a group: a group's middleware would guard every path
	// registered after it, the API's 404 included.
	auth.Get("/outbox", s.requireAdmin, httpx.Params("state", "page", "per_page", "cursor"), s.apiOutbox)
	auth.Get("/outbox/:id", s.requireAdmin, noParams, s.apiOutboxMail)
	auth.Post("/outbox/:id/resend", s.requireAdmin, s.apiResendMail)
	auth.Get("/admin/mail-gaps", s.requireAdmin, noParams, s.apiMailGaps)
	auth.Get("/admin/mail-files", s.requireAdmin, noParams, s.apiMailFiles)
	auth.Get("/admin/mail-files/:name", s.requireAdmin, noParams, s.SendMailFile)
}

func (s *Server) apiCaseDeadlines(c *fiber.Ctx) error {
	ds, err := s.Read(c).CaseDeadlines(c.UserContext(), c.Params("number"))
	if err != nil {
		return err
	}
	return c.JSON(ds)
}

func (s *Server) apiAddDeadline(c *fiber.Ctx) error {
	var in db.DeadlineInput
	if err := httpx.DecodeJSON(c, &in); err != nil {
		return err
	}
	d, err := s.Store.AddDeadline(c.UserContext(), c.Params("number"), in, httpx.CurrentUser(c))
	if err == nil {
		d, err = s.Read(c).DeadlineItem(c.UserContext(), d)
	}
	if err != nil {
		return err
	}
	c.Location("/api/v1/deadlines/" + strconv.FormatInt(d.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(d)
}

// deadlineJSON is one deadline with its reminders, sent and planned.
type deadlineJSON struct {
	db.DeadlineItem
	Reminders []db.ReminderState `json:"reminders"`
}

func (s *Server) apiGetDeadline(c *fiber.Ctx) error {
	id, err := httpx.PathID(c, "Bevakningen")
	if err != nil {
		return err
	}
	d, err := s.Read(c).Deadline(c.UserContext(), id)
	if err != nil {
		return err
	}
	rs, err := s.Store.Reminders(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(deadlineJSON{DeadlineItem: d, Reminders: rs})
}

func (s *Server) apiAcknowledgeDeadline(c *fiber.Ctx) error {
	id, err := httpx.PathID(c, "Bevakningen")
	if err != nil {
		return err
	}
	d, err := s.Store.AcknowledgeDeadline(c.UserContext(), id, httpx.CurrentUser(c))
	if err == nil {
		d, err = s.Read(c).DeadlineItem(c.UserContext(), d)
	}
	if err != nil {
		return err
	}
	return c.JSON(d)
}

// apiMyDeadlines is the start page's list: the caller's open deadlines, up
// to ?until=YYYY-MM-DD (default: all), ?per_page= at a time (default and at
// most db.MaxDeadlines). The body is the list, as before pages; the next and
// previous pages are in the Link header.
func (s *Server) apiMyDeadlines(c *fiber.Ctx) error {
	f := db.DeadlineFilter{Responsible: httpx.CurrentUser(c).ID}
	if v := c.Query("until"); v != "" {
		d, err := workflow.ParseDate(v)
		if err != nil {
			return httpx.FieldError("until", err.Error())
		}
		f.Until = d
	}
	var p workflow.Problems
	f.Page = httpx.QueryInt(c, "page", 1, &p)
	f.PerPage = httpx.QueryInt(c, "per_page", db.MaxDeadlines, &p)
	if f.PerPage > db.MaxDeadlines {
		p.Add("per_page", "Högst %d per sida", db.MaxDeadlines)
	}
	cur, err := httpx.ListCursor(c)
	if err != nil {
		return err
	}
	if err := p.Err(); err != nil {
		return err
	}
	f.Cursor = cur
	page, err := s.Read(c).UserDeadlinePage(c.UserContext(), f)
	if err != nil {
		return err
	}
	httpx.SetListLinks(c, page.Next, page.Prev, page.Last)
	return c.JSON(page.Items)
}

// apiMyReminders lists the reminders sent for the caller's deadlines in the
// last ?days= days (default 14, at most 366), mailed or not.
func (s *Server) apiMyReminders(c *fiber.Ctx) error {
	var p workflow.Problems
	days := httpx.QueryInt(c, "days", 14, &p)
	if days > 366 {
		p.Add("days", "Högst 366 dagar")
	}
	if err := p.Err(); err != nil {
		return err
	}
	since := s.Store.Now().Add(-time.Duration(days) * 24 * time.Hour)
	rs, err := s.Store.UserReminders(c.UserContext(), httpx.CurrentUser(c).ID, since, "")
	if err != nil {
		return err
	}
	return c.JSON(rs)
}
