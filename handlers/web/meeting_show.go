package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// meetingPage is one sammanträde: when and where, where it stands with its
// legal dates, the föredragningslista, and the secretary's forms. The forms'
// field errors carry a prefix (details_, item_, anslag_), as their inputs' ids do.
type meetingPage struct {
	Meeting    workflow.Meeting
	Dates      workflow.MeetingDates
	Deadlines  []workflow.MeetingDeadline
	Agenda     []agendaRow
	Adjusters  []workflow.Attendee
	Paragraphs int

	Secretary  bool // the viewer runs this meeting
	CanChange  bool // time and place: until held
	CanReorder bool // the agenda: until justerat
	CanDecide  bool // decisions: while held, before the justering begins
	CanCorrect bool // corrections of recorded decisions: as CanDecide
	CanSign    bool // the viewer is a justerare who has not signed
	ItemKinds  []itemKind
	Item       itemForm
	Details    *detailsForm // nil: the meeting's own
	AnslagDate string
	PublicPath string // the published protokoll, once published
}

type agendaRow struct {
	db.AgendaItem
	First, Last bool
}

// Removable reports whether the secretary may take the item off the list:
// cases leave it only by moving in their route.
func (r agendaRow) Removable() bool { return r.Kind != db.ItemCase }

type itemKind struct{ Value, Label string }

// itemKinds are the items a secretary adds to a föredragningslista.
var itemKinds = []itemKind{
	{db.ItemOther, "Egen punkt (ange rubrik)"},
	{db.ItemOpening, "Mötets öppnande"},
	{db.ItemAdjusters, "Val av justerare"},
	{db.ItemDelegation, "Anmälan av delegationsbeslut"},
}

type itemForm struct{ Kind, Title string }

type detailsForm struct{ Time, End, Place string }

// showMeetingPage is GET /meetings/:id.
func (w *web) showMeetingPage(c *fiber.Ctx) error {
	return w.renderMeeting(c, fiber.StatusOK, &meetingPage{}, &httpx.View{Notice: httpx.NoticeOr(c, meetingNotices[c.Query("done")])})
}

// renderMeeting shows the meeting as it is now, with p's form values and v's
// messages: after a refused form the secretary sees what they typed and why.
func (w *web) renderMeeting(c *fiber.Ctx, status int, p *meetingPage, v *httpx.View) error {
	ctx := c.UserContext()
	id, err := httpx.MeetingID(c)
	if err != nil {
		return err
	}
	min, err := w.Read(c).Minutes(ctx, id)
	if err != nil {
		return err
	}
	items, err := w.Read(c).Agenda(ctx, id)
	if err != nil {
		return err
	}
	m, u := min.Meeting, httpx.CurrentUser(c)
	p.Meeting, p.Dates, p.Deadlines = m, m.Dates(), m.OpenDeadlines(w.Today())
	p.Adjusters, p.Paragraphs = workflow.Adjusters(min.Attendees), len(min.Paragraphs)
	p.Secretary = workflow.IsMeetingSecretary(m.Body, u)
	p.CanChange = p.Secretary && !m.Status.AtLeast(workflow.MeetingHeld)
	p.CanReorder = p.Secretary && !m.Status.AtLeast(workflow.MeetingJustified)
	p.CanDecide = workflow.CanWriteProtokollAt(m, min.Attendees, u) == nil
	p.CanCorrect = p.CanDecide
	p.CanSign = slices.ContainsFunc(p.Adjusters, func(a workflow.Attendee) bool { return a.Member.UserID == u.ID && a.SignedAt == nil }) &&
		m.Status == workflow.MeetingHeld
	for i, it := range items {
		p.Agenda = append(p.Agenda, agendaRow{AgendaItem: it, First: i == 0, Last: i == len(items)-1})
	}
	if m.Status.AtLeast(workflow.MeetingJustified) {
		pubs, err := w.Store.Publications(ctx, id)
		if err != nil {
			return err
		}
		if len(pubs) > 0 {
			p.PublicPath = workflow.PublicPath(m)
		}
	}
	p.ItemKinds = itemKinds
	if p.Item.Kind == "" {
		p.Item.Kind = db.ItemOther
	}
	if p.Details == nil {
		p.Details = &detailsForm{Time: m.Start, End: m.End, Place: m.Place}
	}
	if p.AnslagDate == "" {
		p.AnslagDate = w.Today().String()
	}
	v.Title, v.Section, v.Page = m.Title(), "meetings", p
	return w.Render(c, status, "meeting", v)
}

// meetingFailed shows the meeting page again after a refused form: field
// errors beside the form's inputs (their ids carry prefix), a conflict or a
// refusal above the page.
func (w *web) meetingFailed(c *fiber.Ctx, p *meetingPage, prefix string, err error) error {
	code := workflow.ErrorCode(err)
	if code != workflow.EINVALID && code != workflow.ECONFLICT && code != workflow.EFORBIDDEN {
		return err
	}
	errs, alert := prefixed(err, prefix)
	return w.renderMeeting(c, httpx.StatusOf[code], p, &httpx.View{Errors: errs, Alert: alert})
}
