package web

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// meetingsPast is how far back the list of held meetings reaches, in days.
const meetingsPast = 365

// meetingsPage lists the meetings of one body or all: the coming ones first
// in date order, then the past year's, the latest first; the secretary plans
// new ones here.
type meetingsPage struct {
	Body     string // the body filtered on, or ""
	Bodies   []workflow.Body
	Upcoming []meetingRow
	Past     []meetingRow
	// Plannable are the bodies the viewer may plan meetings for.
	Plannable []workflow.Body
	New       newMeetingForm
}

type meetingRow struct {
	workflow.Meeting
	Dates workflow.MeetingDates
}

type newMeetingForm struct {
	Body, Date, Time, End, Place string
}

// showMeetingsPage is GET /meetings?body=.
func (w *web) showMeetingsPage(c *fiber.Ctx) error {
	p := &meetingsPage{Body: c.Query("body")}
	return w.renderMeetings(c, fiber.StatusOK, p, &httpx.View{Notice: meetingNotices[c.Query("done")]})
}

func (w *web) renderMeetings(c *fiber.Ctx, status int, p *meetingsPage, v *httpx.View) error {
	ctx := c.UserContext()
	var err error
	if p.Bodies, err = w.Store.Bodies(ctx); err != nil {
		return err
	}
	if p.Body != "" && !slices.ContainsFunc(p.Bodies, func(b workflow.Body) bool { return b.Code == p.Body }) {
		return workflow.Errorf(workflow.ENOTFOUND, "Organet %q finns inte", p.Body)
	}
	u := httpx.CurrentUser(c)
	for _, b := range p.Bodies {
		if workflow.IsMeetingSecretary(b, u) {
			p.Plannable = append(p.Plannable, b)
		}
	}
	if p.New.Body == "" {
		p.New.Body = p.Body
	}
	today := w.Today()
	ms, err := w.Store.Meetings(ctx, db.MeetingFilter{Body: p.Body, From: today.AddDays(-meetingsPast)})
	if err != nil {
		return err
	}
	for _, m := range ms {
		row := meetingRow{Meeting: m, Dates: m.Dates()}
		if m.Date.Before(today) {
			p.Past = append(p.Past, row)
		} else {
			p.Upcoming = append(p.Upcoming, row)
		}
	}
	// The past the latest first: reversed once, not prepended row by row
	// (which copied the list for every meeting: 0.3 s for a year of 45
	// bodies' weekly meetings).
	slices.Reverse(p.Past)
	v.Title, v.Section, v.Page = "Sammanträden", "meetings", p
	return w.Render(c, status, "meetings", v)
}

// submitNewMeeting is POST /meetings: the secretary plans a meeting.
func (w *web) submitNewMeeting(c *fiber.Ctx) error {
	p := &meetingsPage{New: newMeetingForm{Body: value(c, "body"), Date: strings.TrimSpace(value(c, "date")),
		Time: strings.TrimSpace(value(c, "time")), End: strings.TrimSpace(value(c, "end_time")), Place: value(c, "place")}}
	in := db.NewMeetingInput{Body: p.New.Body, Start: p.New.Time, End: p.New.End, Place: p.New.Place}
	var dateErr error
	if p.New.Date != "" {
		in.Date, dateErr = workflow.ParseDate(p.New.Date)
	}
	// Without a readable date the store refuses the meeting, and says what else is wrong.
	m, err := w.Store.CreateMeeting(c.UserContext(), in, httpx.CurrentUser(c))
	if dateErr != nil {
		err = withFieldError(err, "date", dateErr.Error())
	}
	if err != nil {
		code := workflow.ErrorCode(err)
		if code != workflow.EINVALID && code != workflow.ECONFLICT {
			return err
		}
		errs, alert := prefixed(err, "new_")
		return w.renderMeetings(c, httpx.StatusOf[code], p, &httpx.View{Errors: errs, Alert: alert})
	}
	return c.Redirect(meetingPath(m.ID, "planned"), fiber.StatusSeeOther)
}

// prefixed returns err's field errors with their fields prefixed, as the ids
// of a page's inputs are when the page has more than one form; a conflict
// without fields becomes the message above the page.
func prefixed(err error, prefix string) (httpx.FormErrors, string) {
	errs, alert := httpx.ErrorsOf(err)
	out := make(httpx.FormErrors, len(errs))
	for i, e := range errs {
		out[i] = workflow.FieldError{Field: prefix + e.Field, Message: e.Message}
	}
	return out, alert
}

// meetingNotices are the confirmations a meeting page may show after ?done=.
var meetingNotices = map[string]string{
	"planned":    "Sammanträdet är planerat.",
	"details":    "Tid och plats är sparade.",
	"notice":     "Kallelsen är registrerad som skickad och har lagts i kö till ledamöterna med e-postadress.",
	"held":       "Sammanträdet är registrerat som hållet. Kontrollera närvaron och vilka som justerar.",
	"agenda":     "Föredragningslistan är ändrad.",
	"attendance": "Närvaro och justerare är sparade.",
	"decision":   "Beslutet är registrerat med sin paragraf.",
	"corrected":  "Beslutet är rättat.",
	"signed":     "Din justering är registrerad.",
	"anslag":     "Anslaget är registrerat.",
}
