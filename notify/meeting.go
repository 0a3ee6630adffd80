package notify

import (
	"fmt"
	"net/url"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/protokoll"
	"github.com/kommun/beslutsgang/workflow"
)

// noticeItem is one point of the föredragningslista in a kallelse.
type noticeItem struct {
	Pos    int
	Number string // a case's number
	Title  string
	Link   string // a case's page, for a member who can log in
}

type noticeData struct {
	frame
	To         string
	BodyName   string
	Date       workflow.Date
	Time       string
	Place      string
	Items      []noticeItem
	Secretary  string
	Calendar   string // the body's calendar feed, open without a login
	Attachment string // the föredragningslista's file name
}

// ComposeNotice writes the kallelse of a meeting to one member: when and
// where, the föredragningslista, and whom to tell of an absence, with the
// föredragningslista and its förslag till beslut attached as a PDF. A case
// marked secret is named by number only, in the text and in the PDF. Links
// to the meeting and the cases, pages behind the login, go only to a member
// who can log in (to.UserID set, as db.Store.Notice sets it); the mail
// stands on its own for anyone else.
func (c *Composer) ComposeNotice(n db.Notice, to workflow.Member) (db.Mail, error) {
	m := n.Meeting
	account := to.UserID != 0
	d := &noticeData{To: to.Name, BodyName: m.Body.Name, Date: m.Date, Time: timeSpan(m), Place: m.Place,
		Calendar: c.baseURL + "/calendar/" + url.PathEscape(m.Body.Code) + ".ics", Attachment: AgendaFileName(m)}
	if account {
		d.frame = frame{Link: c.MeetingLink(m.ID), LinkText: "Öppna sammanträdet"}
	}
	d.Secretary = n.Secretary.Name
	if n.Secretary.Email != "" {
		d.Secretary += " (" + n.Secretary.Email + ")"
	}
	for _, it := range n.Agenda {
		item := noticeItem{Pos: it.Pos, Title: it.Title}
		if it.Case != nil {
			item.Number, item.Title = it.Case.Number, titleOf(it.Case.Title, it.Case.Secret)
			if account {
				item.Link = c.CaseLink(it.Case.Number)
			}
		}
		d.Items = append(d.Items, item)
	}
	mail, err := c.render("notice", d)
	mail.To = to.Email
	if err != nil {
		return mail, err
	}
	pdf, err := AgendaPDF(m, n.Agenda, n.Proposals)
	if err != nil {
		return mail, fmt.Errorf("föredragningslistan som PDF: %w", err)
	}
	mail.Attachments = []db.MailAttachment{pdfAttachment(d.Attachment, pdf)}
	return mail, nil
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
	Link        string // the utdrag as PDF, for a recipient who can log in
	Attachment  string // the attached utdrag's file name
}

// ComposeExtract writes the mail of a dispatched decision to one recipient.
// For a decision taken at a meeting it carries the protokollsutdrag: in the
// text, and as a PDF attached; ex is the zero Extract for a decision taken
// without a meeting, and the mail then carries the decision alone. Links to
// the case and the utdrag, pages behind the login, go only to a recipient
// who can log in (n.To.ID set, as the store sets it for an address of a
// user); the mail stands on its own for anyone else.
func (c *Composer) ComposeExtract(cs *workflow.Case, ev workflow.Event, n workflow.Notification, ex db.Extract) (db.Mail, error) {
	d := c.notificationData(cs, ev, n)
	account := n.To.ID != 0
	if !account {
		d.Link = ""
	}
	m := ex.Minutes.Meeting
	var attachments []db.MailAttachment
	if ex.Paragraph.Number != 0 {
		dates := m.Dates()
		e := &extractData{Paragraph: ex.Paragraph.Label(), Body: m.Body.Name, MeetingDate: m.Date,
			JustifiedOn: dates.JustifiedOn, Justified: !dates.JustifiedOn.IsZero(), PostedOn: m.PostedOn, Posted: !m.PostedOn.IsZero(),
			AppealEnds: dates.AppealEnds, LegalForce: dates.LegalForce, Attachment: extractFileName(m, ex.Paragraph)}
		if account {
			e.Link = fmt.Sprintf("%s/meetings/%d/paragraphs/%d/utdrag.pdf", c.baseURL, m.ID, ex.Paragraph.Number)
		}
		for _, a := range workflow.Adjusters(ex.Minutes.Attendees) {
			e.Adjusters = append(e.Adjusters, a.Member.Name)
		}
		d.Extract = e
		pdf, err := lastPDF.get("extract", ex, func() ([]byte, error) { return protokoll.Extract(ex.Minutes, ex.Paragraph) })
		if err != nil {
			return db.Mail{}, fmt.Errorf("protokollsutdraget som PDF: %w", err)
		}
		attachments = []db.MailAttachment{pdfAttachment(e.Attachment, pdf)}
	}
	mail, err := c.render(string(n.Kind), d)
	mail.To = n.To.Email
	mail.Attachments = attachments
	return mail, err
}
