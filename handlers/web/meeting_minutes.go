package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// minutesPage is a meeting's protokoll as a page: who attended, who
// justerar and whether they have, the paragraphs in order with their
// protokollsutdrag, and the anslag with the appeal period.
type minutesPage struct {
	Meeting    workflow.Meeting
	Dates      workflow.MeetingDates
	Groups     []httpx.AttendeeGroup
	Absent     []workflow.Attendee
	Adjusters  []workflow.Attendee
	Paragraphs []minutesParagraph
	CanSign    bool
}

// minutesParagraph is a paragraph with its decision text laid out in blocks
// (textBlocks), so that a table in the text is a table on the page.
type minutesParagraph struct {
	workflow.Paragraph
	Blocks []httpx.TextBlock
}

// Draft reports whether the protokoll is not yet justerat.
func (p *minutesPage) Draft() bool { return !p.Meeting.Status.AtLeast(workflow.MeetingJustified) }

// showMinutesPage is GET /meetings/:id/protokoll.
func (w *web) showMinutesPage(c *fiber.Ctx) error {
	min, err := w.MinutesOf(c)
	if err != nil {
		return err
	}
	m := min.Meeting
	if !m.Status.AtLeast(workflow.MeetingHeld) {
		return workflow.Errorf(workflow.ENOTFOUND, "Sammanträdet %s är inte hållet; det finns inget protokoll än", m.Title())
	}
	u := httpx.CurrentUser(c)
	p := &minutesPage{Meeting: m, Dates: m.Dates(), Adjusters: workflow.Adjusters(min.Attendees)}
	for _, par := range min.Paragraphs {
		p.Paragraphs = append(p.Paragraphs, minutesParagraph{Paragraph: par, Blocks: httpx.TextBlocks(par.Text)})
	}
	p.Groups = httpx.AttendeeGroups(min.Attendees)
	for _, a := range min.Attendees {
		if !a.Present {
			p.Absent = append(p.Absent, a)
		}
		if a.Adjuster && a.SignedAt == nil && a.Member.UserID == u.ID && m.Status == workflow.MeetingHeld {
			p.CanSign = true
		}
	}
	return w.Render(c, fiber.StatusOK, "meeting_minutes", &httpx.View{Title: "Protokoll – " + m.Title(), Section: "meetings", Page: p})
}
