package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// recurringRunsShown is how many of the latest runs the page lists.
const recurringRunsShown = 20

// scheduleRunsShown is how many coming runs a checked schedule lists.
const scheduleRunsShown = 3

// recurringPage lists the recurring assignments (återkommande uppdrag) with
// their schedules in words, the latest runs, and the form for a new one.
type recurringPage struct {
	List     []recurringRow
	Runs     []db.RecurringRun
	Boards   []workflow.Board
	Officers []workflow.User
	Form     recurringForm
	Check    *scheduleCheck // what the entered schedule means, after "Kontrollera schemat"
}

type recurringRow struct {
	workflow.Recurring
	Description string
}

// recurringForm is the new assignment as entered; the lead time stays text
// until it is read.
type recurringForm struct {
	db.RecurringInput
	LeadDays string
}

// scheduleCheck is a schedule explained: in words, the next runs, and the
// title the next case gets.
type scheduleCheck struct {
	Description string
	Next        []string
	Title       string
}

// defaultLeadDays is the lead time a new form suggests: four working weeks.
const defaultLeadDays = "20"

// showRecurringPage is GET /admin/recurring.
func (w *web) showRecurringPage(c *fiber.Ctx) error {
	v := &httpx.View{}
	if c.Query("done") == "created" {
		v.Notice = "Det återkommande uppdraget är sparat."
	}
	f := recurringForm{LeadDays: defaultLeadDays}
	f.Schedule = "0 8 15 1 *"
	return w.renderRecurring(c, fiber.StatusOK, f, nil, v)
}

func (w *web) renderRecurring(c *fiber.Ctx, status int, f recurringForm, check *scheduleCheck, v *httpx.View) error {
	ctx := c.UserContext()
	p := &recurringPage{Form: f, Check: check}
	list, err := w.Store.Recurrings(ctx)
	if err != nil {
		return err
	}
	for _, r := range list {
		d, err := workflow.DescribeSchedule(r.Schedule)
		if err != nil {
			d = "Ogiltigt schema: " + err.Error()
		}
		p.List = append(p.List, recurringRow{Recurring: r, Description: d})
	}
	if p.Runs, err = w.Store.RecurringRuns(ctx, recurringRunsShown); err != nil {
		return err
	}
	if p.Boards, err = w.Store.Boards(ctx); err != nil {
		return err
	}
	users, err := w.Store.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Active && u.HasAnywhere(workflow.RoleOfficer) {
			p.Officers = append(p.Officers, u)
		}
	}
	v.Title, v.Section, v.Page = "Återkommande uppdrag", "admin", p
	return w.Render(c, status, "admin_recurring", v)
}

// submitRecurring is POST /admin/recurring: with do=check it explains the
// schedule and saves nothing; otherwise it saves the assignment.
func (w *web) submitRecurring(c *fiber.Ctx) error {
	f := recurringForm{LeadDays: strings.TrimSpace(value(c, "lead_days"))}
	f.Title, f.Summary, f.Board = value(c, "title"), value(c, "summary"), value(c, "board")
	f.Officer, f.Schedule = strings.TrimSpace(value(c, "officer")), strings.TrimSpace(value(c, "schedule"))
	if value(c, "do") == "check" {
		check, err := checkSchedule(f, w.Store.Now())
		if err != nil {
			return w.renderRecurring(c, fiber.StatusUnprocessableEntity, f, nil,
				&httpx.View{Errors: httpx.FormErrors{{Field: "schedule", Message: upperFirst(err.Error())}}})
		}
		return w.renderRecurring(c, fiber.StatusOK, f, check, &httpx.View{})
	}
	in := f.RecurringInput
	var err error
	if in.LeadDays, err = strconv.Atoi(f.LeadDays); err != nil && f.LeadDays != "" {
		return w.renderRecurring(c, fiber.StatusUnprocessableEntity, f, nil,
			&httpx.View{Errors: httpx.FormErrors{{Field: "lead_days", Message: "Skriv ledtiden som ett antal arbetsdagar, t.ex. 20"}}})
	}
	if _, err := w.Store.CreateRecurring(c.UserContext(), in, httpx.CurrentUser(c)); err != nil {
		code := workflow.ErrorCode(err)
		if code != workflow.EINVALID && code != workflow.EFORBIDDEN {
			return err
		}
		errs, alert := httpx.ErrorsOf(err)
		return w.renderRecurring(c, httpx.StatusOf[code], f, nil, &httpx.View{Errors: errs, Alert: alert})
	}
	return c.Redirect("/admin/recurring?done=created", fiber.StatusSeeOther)
}

// checkSchedule explains the entered schedule from now on.
func checkSchedule(f recurringForm, now time.Time) (*scheduleCheck, error) {
	desc, err := workflow.DescribeSchedule(f.Schedule)
	if err != nil {
		return nil, err
	}
	sched, _ := workflow.ParseSchedule(f.Schedule) // DescribeSchedule parsed it
	check := &scheduleCheck{Description: desc}
	t := now
	for range scheduleRunsShown {
		t = sched.Next(t)
		check.Next = append(check.Next, httpx.FormatTime(t))
	}
	if f.Title != "" {
		r := workflow.Recurring{Title: strings.TrimSpace(f.Title)}
		check.Title = r.TitleFor(sched.Next(now))
	}
	return check, nil
}
