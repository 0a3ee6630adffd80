package web

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// routesUIMeetingPlan registers the sammanträdesplan page. It comes before
// /meetings/:id, which would take "plan" for a meeting's number.
func (w *web) routesUIMeetingPlan(in fiber.Router) {
	in.Get("/meetings/plan", w.showMeetingPlanPage)
	in.Post("/meetings/plan", w.submitMeetingPlan)
}

// meetingPlanPage is a body's year of meetings as twelve month grids, and
// for the board's secretary a field to paste the plan into.
type meetingPlanPage struct {
	Body       workflow.Body
	Bodies     []workflow.Body
	Year       int
	YearValue  string // the year as the filter shows it
	CanPlan    bool
	Text       string
	Confirm    bool
	AskConfirm bool          // some line is on a day that is not a work day
	OffLines   string        // says which lines those are
	Problems   []planMessage // beside the field, in line order
	Months     []planMonth
	Meetings   []workflow.Meeting
}

// planMessage is one line's error, or its warning that confirming accepts.
type planMessage struct {
	Message string
	Warning bool
}

// planMonth is a month as a grid of weeks, Monday first.
type planMonth struct {
	Name     string // "Januari 2027"
	Weeks    [][]planDay
	Meetings int
}

// planDay is one cell of a month; Day 0 is a cell outside the month.
type planDay struct {
	Day     int
	Date    workflow.Date
	Month   string // "januari"
	Off     string // the holiday's name, when it is one
	NotWork bool   // a Saturday, Sunday or holiday
	Today   bool
	Meeting *workflow.Meeting
}

var planMonthNames = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
	"september", "oktober", "november", "december"}

// planWeekdays are the column heads of a month, Monday first.
var planWeekdays = [...]struct{ Short, Long string }{{"må", "måndag"}, {"ti", "tisdag"}, {"on", "onsdag"},
	{"to", "torsdag"}, {"fr", "fredag"}, {"lö", "lördag"}, {"sö", "söndag"}}

// Weekdays are the column heads of every month.
func (p *meetingPlanPage) Weekdays() any { return planWeekdays }

// Weekday names a meeting's day of the week.
func (p *meetingPlanPage) Weekday(d workflow.Date) string {
	return planWeekdays[(int(d.Weekday())+6)%7].Long
}

// showMeetingPlanPage is GET /meetings/plan?body=&year=.
func (w *web) showMeetingPlanPage(c *fiber.Ctx) error {
	p := &meetingPlanPage{}
	v := &httpx.View{}
	if n, err := strconv.Atoi(c.Query("planned")); err == nil && n > 0 {
		v.Notice = plannedNotice(n)
	}
	return w.renderMeetingPlan(c, fiber.StatusOK, c.Query("body"), c.Query("year"), p, v)
}

func plannedNotice(n int) string {
	if n == 1 {
		return "1 sammanträde är planerat. Det syns i kalendern nedan och i organets kalenderprenumeration."
	}
	return strconv.Itoa(n) + " sammanträden är planerade. De syns i kalendern nedan och i organets kalenderprenumeration."
}

// renderMeetingPlan shows the plan of body (the viewer's first body to plan
// for when none is named) for year (this year when none is named).
func (w *web) renderMeetingPlan(c *fiber.Ctx, status int, code, yearValue string, p *meetingPlanPage, v *httpx.View) error {
	ctx := c.UserContext()
	var err error
	if p.Bodies, err = w.Store.Bodies(ctx); err != nil {
		return err
	}
	u := httpx.CurrentUser(c)
	if code == "" {
		code = firstPlannable(p.Bodies, u)
	}
	i := slices.IndexFunc(p.Bodies, func(b workflow.Body) bool { return b.Code == code })
	if i < 0 {
		return workflow.Errorf(workflow.ENOTFOUND, "Organet %q finns inte", code)
	}
	p.Body = p.Bodies[i]
	if p.Year, err = w.PlanYear(yearValue); err != nil {
		return err
	}
	p.YearValue = strconv.Itoa(p.Year)
	p.CanPlan = workflow.IsMeetingSecretary(p.Body, u)
	if p.Meetings, err = w.YearMeetings(ctx, p.Body.Code, p.Year); err != nil {
		return err
	}
	p.Months = planMonths(p.Year, p.Meetings, w.Today())
	v.Title, v.Section, v.Page = "Sammanträdesplan "+p.YearValue+" – "+p.Body.Name, "meetings", p
	return w.Render(c, status, "meeting_plan", v)
}

// firstPlannable is the first body u plans meetings for, else the first body.
func firstPlannable(bodies []workflow.Body, u workflow.User) string {
	for _, b := range bodies {
		if workflow.IsMeetingSecretary(b, u) {
			return b.Code
		}
	}
	if len(bodies) > 0 {
		return bodies[0].Code
	}
	return ""
}

// planMonths lays out the twelve months of year with the meetings on their days.
func planMonths(year int, ms []workflow.Meeting, today workflow.Date) []planMonth {
	byDate := map[workflow.Date]*workflow.Meeting{}
	for i := range ms {
		byDate[ms[i].Date] = &ms[i]
	}
	months := make([]planMonth, 12)
	for mi := range months {
		month := time.Month(mi + 1)
		pm := planMonth{Name: capitalFirst(planMonthNames[mi]) + " " + strconv.Itoa(year)}
		first := workflow.NewDate(year, month, 1)
		week := make([]planDay, (int(first.Weekday())+6)%7) // the days of the week before the 1st
		for d := first; d.Month == month; d = d.AddDays(1) {
			off, _ := workflow.HolidayName(d)
			day := planDay{Day: d.Day, Date: d, Month: planMonthNames[mi], Off: off, NotWork: !workflow.IsWorkday(d),
				Today: d == today, Meeting: byDate[d]}
			if day.Meeting != nil {
				pm.Meetings++
			}
			week = append(week, day)
			if len(week) == 7 {
				pm.Weeks, week = append(pm.Weeks, week), nil
			}
		}
		if len(week) > 0 {
			pm.Weeks = append(pm.Weeks, append(week, make([]planDay, 7-len(week))...))
		}
		months[mi] = pm
	}
	return months
}

func capitalFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// submitMeetingPlan is POST /meetings/plan: the secretary enters a pasted
// plan. Every line's errors and warnings are shown beside the field at once;
// the warnings about days that are not work days pass once "Planera ändå" is
// ticked.
func (w *web) submitMeetingPlan(c *fiber.Ctx) error {
	code, year := value(c, "body"), strings.TrimSpace(value(c, "year"))
	p := &meetingPlanPage{Text: value(c, "text"), Confirm: value(c, "confirm") != ""}
	ms, lines, err := w.PlanMeetings(c.UserContext(), code, p.Text, p.Confirm, httpx.CurrentUser(c))
	if err == nil {
		return c.Redirect("/meetings/plan?body="+ms[0].Body.Code+"&year="+strconv.Itoa(ms[0].Date.Year)+
			"&planned="+strconv.Itoa(len(ms)), fiber.StatusSeeOther)
	}
	if workflow.ErrorCode(err) != workflow.EINVALID {
		return err
	}
	errs, alert := httpx.ErrorsOf(err)
	warnings := workflow.PlanWarnings(lines)
	var raised []workflow.FieldError
	if !p.Confirm {
		raised = httpx.RaisedWarnings(err, lines)
	}
	v := &httpx.View{Alert: alert}
	for _, e := range errs {
		warning := slices.Contains(raised, e)
		p.Problems = append(p.Problems, planMessage{Message: e.Message, Warning: warning})
		// The summary links each error to the field, each warning to the box that accepts it.
		field := "text"
		if warning {
			field = "confirm"
		}
		v.Errors = append(v.Errors, workflow.FieldError{Field: field, Message: e.Message})
	}
	if len(warnings) > 0 {
		p.AskConfirm = true
		var names []string
		for _, w := range warnings {
			names = append(names, "rad "+strconv.Itoa(workflow.PlanLine(w.Field)))
		}
		if len(names) == 1 {
			p.OffLines = "Datumet på " + names[0] + " är ingen arbetsdag."
		} else {
			p.OffLines = "Datumen på " + joinSwedish(names) + " är inga arbetsdagar."
		}
	}
	return w.renderMeetingPlan(c, fiber.StatusUnprocessableEntity, code, year, p, v)
}

// joinSwedish lists words as Swedish does: "a, b och c".
func joinSwedish(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " och " + words[len(words)-1]
}
