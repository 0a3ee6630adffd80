package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// calendarPage offers the iCalendar feeds to subscribe to: each body's
// meetings, public, and the viewer's own feed (their bodies' meetings and
// their open deadlines) at a secret address shown once, when it is made.
type calendarPage struct {
	Bodies  []calendarFeed
	NewFeed string // the personal address just made, or ""
}

type calendarFeed struct {
	Name, URL string
}

// showCalendarPage is GET /calendar.
func (w *web) showCalendarPage(c *fiber.Ctx) error {
	return w.renderCalendar(c, &calendarPage{}, &httpx.View{})
}

func (w *web) renderCalendar(c *fiber.Ctx, p *calendarPage, v *httpx.View) error {
	bodies, err := w.Store.Bodies(c.UserContext())
	if err != nil {
		return err
	}
	for _, b := range bodies {
		p.Bodies = append(p.Bodies, calendarFeed{Name: b.Name, URL: w.Config.BaseURL + "/calendar/" + url.PathEscape(b.Code) + ".ics"})
	}
	v.Title, v.Section, v.Page = "Kalendrar", "meetings", p
	return w.Render(c, fiber.StatusOK, "calendar", v)
}

// submitCalendarToken is POST /calendar: a new secret address for the
// viewer's own feed; the one before stops working.
func (w *web) submitCalendarToken(c *fiber.Ctx) error {
	u := httpx.CurrentUser(c)
	if !u.Active {
		return workflow.Errorf(workflow.EFORBIDDEN, "Ditt konto är inte aktivt")
	}
	token, err := w.Store.CreateCalendarToken(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	p := &calendarPage{NewFeed: w.Config.BaseURL + "/calendar/user/" + token + ".ics"}
	return w.renderCalendar(c, p, &httpx.View{Notice: "Din nya kalenderadress är skapad. En tidigare adress fungerar inte längre."})
}
