package web

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// decisionPage is the form for the decision on one agenda case of a held
// meeting: its type, its text and, for bordläggning, the later meeting.
type decisionPage struct {
	Meeting  workflow.Meeting
	Case     workflow.Case
	Types    []workflow.DecisionType
	Type     workflow.DecisionType
	Text     string
	Date     string
	Extra    bool // bordläggning: a nytt extra sammanträde on Date
	Version  int
	Next     workflow.Date // the body's next meeting, where a bordlagt case goes by default
	Deciding bool          // the case's own deciding step: bifall, ändring and avslag are its decision
	// Proposed is set when the text still says "föreslås": the form then
	// offers to keep it as it stands (Confirm).
	Proposed bool
	Confirm  bool
}

// TextHint says what the decision's text is.
func (p *decisionPage) TextHint() string {
	return "Som det ska stå i protokollet. Vid återremiss och bordläggning: skälet."
}

// DateHint explains the bordläggning date and what an empty one means.
func (p *decisionPage) DateHint() string {
	if p.Next.IsZero() {
		return "ÅÅÅÅ-MM-DD. Organet har inget senare sammanträde planerat, så ange datumet."
	}
	return "ÅÅÅÅ-MM-DD. Tomt: organets nästa sammanträde, " + p.Next.String() + "."
}

// meetingDecisionTypes are the decisions a meeting records on a case, in the
// order a secretary meets them.
var meetingDecisionTypes = []workflow.DecisionType{workflow.DecisionHandled, workflow.DecisionApproved, workflow.DecisionAmended,
	workflow.DecisionRejected, workflow.DecisionReturned, workflow.DecisionTabled}

// showDecisionPage is GET /meetings/:id/decisions/:number.
func (w *web) showDecisionPage(c *fiber.Ctx) error {
	min, err := w.MinutesOf(c)
	if err != nil {
		return err
	}
	m := min.Meeting
	if err := workflow.CanWriteProtokollAt(m, min.Attendees, httpx.CurrentUser(c)); err != nil {
		return w.meetingFailed(c, &meetingPage{}, "", err)
	}
	p := &decisionPage{Type: workflow.DecisionApproved}
	if err := w.loadDecisionPage(c, m, p); err != nil {
		return err
	}
	if !p.Deciding {
		p.Type = workflow.DecisionHandled
	}
	// The report's proposals, as the body's decision: "… beslutar att …".
	p.Version, p.Text = p.Case.Version, workflow.DecisionDraft(p.Case.Proposals)
	return w.renderDecision(c, fiber.StatusOK, p, &httpx.View{})
}

// loadDecisionPage fills in the meeting, the case (which must be on its
// agenda) and the body's next meeting.
func (w *web) loadDecisionPage(c *fiber.Ctx, m workflow.Meeting, p *decisionPage) error {
	ctx := c.UserContext()
	number := c.Params("number")
	items, err := w.Read(c).Agenda(ctx, m.ID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(items, func(it db.AgendaItem) bool { return it.Case != nil && it.Case.Number == number }) {
		return workflow.Errorf(workflow.ENOTFOUND, "Ärendet %s står inte på föredragningslistan för %s", number, m.Title())
	}
	if p.Case, err = w.Read(c).Case(ctx, number); err != nil {
		return err
	}
	later, err := w.Store.Meetings(ctx, db.MeetingFilter{Body: m.Body.Code, From: m.Date.AddDays(1)})
	if err != nil {
		return err
	}
	if len(later) > 0 {
		p.Next = later[0].Date
	}
	p.Meeting, p.Types = m, meetingDecisionTypes
	p.Deciding = p.Case.Step == p.Case.DecidingStep()
	if p.Deciding { // a deciding body decides; "behandlat" is a preparing body's
		p.Types = slices.DeleteFunc(slices.Clone(p.Types), func(t workflow.DecisionType) bool { return t == workflow.DecisionHandled })
	}
	return nil
}

func (w *web) renderDecision(c *fiber.Ctx, status int, p *decisionPage, v *httpx.View) error {
	v.Title, v.Section, v.Page = "Beslut i "+p.Case.Number, "meetings", p
	return w.Render(c, status, "meeting_decision", v)
}

// submitDecision is POST /meetings/:id/decisions/:number: the decision gets
// the body's next paragraph and moves the case as it says.
func (w *web) submitDecision(c *fiber.Ctx) error {
	m, err := w.meetingOf(c)
	if err != nil {
		return err
	}
	version := formVersion(c)
	p := &decisionPage{Type: workflow.DecisionType(value(c, "type")), Text: value(c, "text"),
		Date: strings.TrimSpace(value(c, "date")), Extra: value(c, "extra_meeting") != "", Version: version,
		Confirm: value(c, "confirm") != ""}
	p.Proposed = workflow.StillProposed(p.Text)
	in := db.DecisionInput{Case: c.Params("number"), Type: p.Type, Text: p.Text, Version: version, Confirm: p.Confirm,
		ExtraMeeting: p.Extra}
	if p.Date != "" {
		var dateErr error
		if in.Date, dateErr = workflow.ParseDate(p.Date); dateErr != nil {
			// Nothing is decided; the date's message comes with the form's other problems.
			problems := workflow.MeetingDecision{Type: in.Type, Text: in.Text, Confirmed: in.Confirm}.Problems()
			problems.Add("date", "%s", dateErr.Error())
			err = problems.Err()
		}
	}
	var par workflow.Paragraph
	var cs workflow.Case
	if err == nil {
		par, cs, err = w.Store.Decide(c.UserContext(), m.ID, httpx.CurrentUser(c), in)
	}
	if err == nil {
		path := fmt.Sprintf("/meetings/%d#agenda-title", m.ID)
		notice := fmt.Sprintf("%s för %s är registrerad: %s.", par.Label(), in.Case, par.Type.Label())
		if par.Number == 0 { // a body without a protokoll gives no §
			notice = fmt.Sprintf("Behandlingen av %s är registrerad: %s.", in.Case, par.Type.Label())
		}
		return w.redirectNotice(c, path, meetingPath(m.ID, "decision")+"#agenda-title", notice+extraMeetingNote(cs))
	}
	code := workflow.ErrorCode(err)
	if code != workflow.EINVALID {
		return w.decisionFailed(c, err)
	}
	if lerr := w.loadDecisionPage(c, m, p); lerr != nil {
		return lerr
	}
	errs, alert := httpx.ErrorsOf(err)
	// The case is not a field of this form: a problem with it goes above.
	for _, e := range slices.Clone(errs) {
		if e.Field == "case" {
			alert = strings.TrimSpace(alert + " " + e.Message)
		}
	}
	errs = slices.DeleteFunc(errs, func(e workflow.FieldError) bool { return e.Field == "case" })
	return w.renderDecision(c, httpx.StatusOf[code], p, &httpx.View{Errors: errs, Alert: alert})
}
