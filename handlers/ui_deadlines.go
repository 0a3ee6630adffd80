package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// deadlineHorizon is how far ahead the start page lists one's bevakningar;
// the rest are one link away.
const deadlineHorizon = 28

// reminderDays is how far back the start page shows reminders that reached
// their person only here.
const reminderDays = 14

// myDeadlines are the viewer's open bevakningar, the most urgent first, and
// the reminders that could not be mailed to them.
type myDeadlines struct {
	acknowledgeForm
	Rows  []deadlineRow
	Later int  // open ones due after the horizon, not listed
	All   bool // the list has no horizon
	// Reminders reached the person only here: there was no address to mail.
	Reminders []db.UserReminder
}

// loadMyDeadlines reads the viewer's open bevakningar, up to the horizon
// unless all is set, and their reminders without mail.
func (w *web) loadMyDeadlines(c *fiber.Ctx, all bool, back string) (*myDeadlines, error) {
	ctx := c.UserContext()
	u := currentUser(c)
	now := w.store.Now()
	today := workflow.Today(now)
	items, err := w.read(c).UserDeadlines(ctx, u.ID, workflow.Date{})
	if err != nil {
		return nil, err
	}
	p := &myDeadlines{acknowledgeForm: acknowledgeForm{CSRF: csrfToken(c), Back: back}, All: all}
	horizon := today.AddDays(deadlineHorizon)
	var shown []db.DeadlineItem
	for _, it := range items {
		if all || !it.Due.After(horizon) {
			shown = append(shown, it)
		} else {
			p.Later++
		}
	}
	p.Rows = deadlineRowsOf(shown, u, today)
	reminders, err := w.store.UserReminders(ctx, u.ID, now.Add(-reminderDays*24*time.Hour))
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
	return w.render(c, fiber.StatusOK, "deadlines", &view{Title: "Mina bevakningar", Section: "home", Page: p,
		Notice: doneNotice(c)})
}
