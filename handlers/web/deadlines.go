package web

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// deadlineHorizon is how far ahead the start page lists one's bevakningar;
// the rest are one link away.
const deadlineHorizon = 28

// reminderDays is how far back the start page shows reminders that reached
// their person only here.
const reminderDays = 14

// deadlinesPerPage is how many bevakningar one page of /deadlines shows; the
// start page shows up to db.MaxPerPage within its horizon.
const deadlinesPerPage = 50

// myDeadlines are the viewer's open bevakningar, the most urgent first, and
// the reminders that could not be mailed to them.
type myDeadlines struct {
	acknowledgeForm
	Rows []deadlineRow
	// Later counts the open ones due after the horizon, not listed, up to
	// the count's cap (LaterCapped: more).
	Later       int
	LaterCapped bool
	All         bool // the list has no horizon
	// Total and Pager are the pages of the list without a horizon.
	Total       int
	TotalCapped bool
	Pager       httpx.Pager
	// Reminders reached the person only here: there was no address to mail.
	Reminders []db.UserReminder
}

// loadMyDeadlines reads the viewer's open bevakningar: up to the horizon, or
// with all set, a page of them all (?page= or ?cursor=); and their reminders
// without mail.
func (w *web) loadMyDeadlines(c *fiber.Ctx, all bool, back string) (*myDeadlines, error) {
	ctx := c.UserContext()
	u := httpx.CurrentUser(c)
	now := w.Store.Now()
	today := workflow.Today(now)
	p := &myDeadlines{acknowledgeForm: acknowledgeForm{CSRF: httpx.CSRFToken(c), Back: back}, All: all}
	f := db.DeadlineFilter{Responsible: u.ID, PerPage: db.MaxPerPage}
	if all {
		f.Page, _ = strconv.Atoi(c.Query("page"))
		f.PerPage = deadlinesPerPage
		cur, err := httpx.ListCursor(c)
		if err != nil {
			return nil, err
		}
		f.Cursor = cur
	} else {
		f.Until = today.AddDays(deadlineHorizon)
		var err error
		if p.Later, p.LaterCapped, err = w.Store.LaterDeadlines(ctx, u.ID, f.Until); err != nil {
			return nil, err
		}
	}
	page, err := w.Read(c).UserDeadlinePage(ctx, f)
	if err != nil {
		return nil, err
	}
	p.Rows = deadlineRowsOf(page.Items, u, today)
	p.Total, p.TotalCapped = page.Total, page.TotalCapped
	p.Pager = httpx.NewPager(page.Page, page.Total, page.TotalCapped, page.PerPage, page.Next, page.Prev, page.Last,
		func(n int, cur *db.Cursor) string {
			q := url.Values{}
			if n > 0 {
				q.Set("page", strconv.Itoa(n))
			}
			if cur != nil {
				q.Set("cursor", cur.String())
			}
			return "/deadlines?" + q.Encode()
		})
	reminders, err := w.Store.UserReminders(ctx, u.ID, now.Add(-reminderDays*24*time.Hour), "ui")
	if err != nil {
		return nil, err
	}
	for _, r := range reminders {
		if r.Channel == "ui" {
			p.Reminders = append(p.Reminders, r)
		}
	}
	return p, nil
}

// showDeadlinesPage is GET /deadlines: all of the viewer's open bevakningar.
func (w *web) showDeadlinesPage(c *fiber.Ctx) error {
	p, err := w.loadMyDeadlines(c, true, "/deadlines")
	if err != nil {
		return err
	}
	return w.Render(c, fiber.StatusOK, "deadlines", &httpx.View{Title: "Mina bevakningar", Section: "home", Page: p,
		Notice: doneNotice(c)})
}
