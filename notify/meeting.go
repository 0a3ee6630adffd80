package notify

import (
	"fmt"
	"net/url"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// noticeItem is one point of the föredragningslista in a kallelse.
type noticeItem struct {
	Pos    int
	Number string // a case's number
	Title  string
	Link   string // a case's page
}

type noticeData struct {
	frame
	To        string
	BodyName  string
	Date      workflow.Date
	Time      string
	Place     string
	Items     []noticeItem
	Secretary string
	Calendar  string
}

// ComposeNotice writes the kallelse of a meeting to one member: when and
// where, the föredragningslista with links to the cases, and whom to tell of
// an absence. A case marked secret is named by number only.
func (c *Composer) ComposeNotice(n db.Notice, to workflow.Member) (db.Mail, error) {
	m := n.Meeting
	d := &noticeData{frame: frame{Link: c.MeetingLink(m.ID), LinkText: "Öppna sammanträdet"}, To: to.Name,
		BodyName: m.Body.Name, Date: m.Date, Time: timeSpan(m), Place: m.Place,
		Calendar: c.baseURL + "/calendar/" + url.PathEscape(m.Body.Code) + ".ics"}
	d.Secretary = n.Secretary.Name
	if n.Secretary.Email != "" {
		d.Secretary += " (" + n.Secretary.Email + ")"
	}
	for _, it := range n.Agenda {
		item := noticeItem{Pos: it.Pos, Title: it.Title}
		if it.Case != nil {
			item.Number, item.Title, item.Link = it.Case.Number, titleOf(it.Case.Title, it.Case.Secret), c.CaseLink(it.Case.Number)
		}
		d.Items = append(d.Items, item)
	}
	mail, err := c.render("notice", d)
	mail.To = to.Email
	return mail, err
}

func timeSpan(m workflow.Meeting) string {
	if m.End != "" {
		return m.Start + "–" + m.End
	}
	return m.Start
}

// extractData is the protokollsutdrag a decision's mail carries: the
// paragraph, the meeting, the justering and, once posted, the appeal period.
type extractData struct {
	Paragraph   string
	Body        string
	MeetingDate workflow.Date
	Adjusters   []string
	JustifiedOn workflow.Date
	Justified   bool
	PostedOn    workflow.Date
	Posted      bool
	AppealEnds  workflow.Date
	LegalForce  workflow.Date
	Link        string // the utdrag as PDF
}

// ComposeExtract writes the mail of a dispatched decision taken at a meeting:
// the decision with its protokollsutdrag in the text and a link to the PDF.
func (c *Composer) ComposeExtract(cs *workflow.Case, ev workflow.Event, n workflow.Notification, ex db.Extract) (db.Mail, error) {
	d := c.notificationData(cs, ev, n)
	m := ex.Minutes.Meeting
	dates := m.Dates()
	e := &extractData{Paragraph: ex.Paragraph.Label(), Body: m.Body.Name, MeetingDate: m.Date,
		JustifiedOn: dates.JustifiedOn, Justified: !dates.JustifiedOn.IsZero(), PostedOn: m.PostedOn, Posted: !m.PostedOn.IsZero(),
		AppealEnds: dates.AppealEnds, LegalForce: dates.LegalForce,
		Link: fmt.Sprintf("%s/meetings/%d/paragraphs/%d/utdrag.pdf", c.baseURL, m.ID, ex.Paragraph.Number)}
	for _, a := range workflow.Adjusters(ex.Minutes.Attendees) {
		e.Adjusters = append(e.Adjusters, a.Member.Name)
	}
	d.Extract = e
	mail, err := c.render(string(n.Kind), d)
	mail.To = n.To.Email
	return mail, err
}
