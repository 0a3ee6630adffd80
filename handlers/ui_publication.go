package handlers

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/protokoll"
	"github.com/kommun/beslutsgang/workflow"
)

// The published protokoll (issue 13): the secretary reviews a justerat
// protokoll for the web (GET and POST /meetings/{id}/publicering) and
// publishes it; the public reads it without login at
// /protokoll/{body}/{YYYY-MM-DD} and as PDF at …/{YYYY-MM-DD}.pdf. The
// rules of what the public sees are workflow.Publish (KL 2017:725 8 kap.
// 12 §, GDPR art. 6.1 e, OSL 2009:400); the PDF is tagged for lag
// 2018:1937 when Chromium is installed (protokoll.TaggedPDF).

// routesPublicProtokoll registers the public protokoll on the pages' group,
// before the login middleware: no login, and the public share of the readers.
func (w *web) routesPublicProtokoll(ui fiber.Router) {
	ui.Get("/protokoll/:body/:date", w.publicShare, w.showPublicProtokoll)
}

// routesUIPublication registers the secretary's review on the logged-in group.
func (w *web) routesUIPublication(in fiber.Router) {
	in.Get("/meetings/:id/publicering", w.showPublicationPage)
	in.Post("/meetings/:id/publicering", w.submitPublication)
}

// publicProtokollPage is a protokoll as the public reads it: on the public
// page, in the secretary's preview, and as the HTML Chromium prints.
type publicProtokollPage struct {
	Meeting    workflow.Meeting
	Dates      workflow.MeetingDates
	Groups     []attendeeGroup
	Absent     []workflow.Attendee
	Adjusters  []workflow.Attendee
	Paragraphs []publicParagraphView
	Print      bool       // the document Chromium prints: no links, its own style
	Nested     bool       // shown inside another page (the secretary's preview): its title is not the page's h1
	Published  *time.Time // when the version shown was published; nil in a preview not yet published
	PDFPath    string
	Title      string // the document's title
}

type publicParagraphView struct {
	workflow.PublicParagraph
	Blocks []textBlock
}

// Range is the paragraphs of the protokoll: "§ 11–14", "§ 11", or "".
func (p *publicProtokollPage) Range() string {
	var first, last int
	for _, par := range p.Paragraphs {
		if par.Number > 0 {
			if first == 0 {
				first = par.Number
			}
			last = par.Number
		}
	}
	switch {
	case first == 0:
		return ""
	case first == last:
		return workflow.ParagraphLabel(first)
	}
	return fmt.Sprintf("%s–%d", workflow.ParagraphLabel(first), last)
}

func newPublicProtokollPage(pm workflow.PublicMinutes) *publicProtokollPage {
	m := pm.Minutes.Meeting
	p := &publicProtokollPage{Meeting: m, Dates: m.Dates(), Adjusters: workflow.Adjusters(pm.Minutes.Attendees),
		PDFPath: workflow.PublicPath(m) + ".pdf", Title: "Protokoll " + m.Body.Name + " " + m.Date.String()}
	for _, par := range pm.Paragraphs {
		p.Paragraphs = append(p.Paragraphs, publicParagraphView{PublicParagraph: par, Blocks: textBlocks(par.Text)})
	}
	for _, g := range attendanceGroups {
		grp := attendeeGroup{Label: g.label}
		for _, a := range pm.Minutes.Attendees {
			if a.Present && containsRole(g.roles, a.Member.Role) {
				grp.Attendees = append(grp.Attendees, a)
			}
		}
		if len(grp.Attendees) > 0 {
			p.Groups = append(p.Groups, grp)
		}
	}
	for _, a := range pm.Minutes.Attendees {
		if !a.Present {
			p.Absent = append(p.Absent, a)
		}
	}
	return p
}

// showPublicProtokoll is GET /protokoll/:body/:date and …/:date.pdf, open to
// everyone: the newest publication, or 404 before the first.
func (w *web) showPublicProtokoll(c *fiber.Ctx) error {
	body, date := c.Params("body"), c.Params("date")
	date, pdf := strings.CutSuffix(date, ".pdf")
	d, err := workflow.ParseDate(date)
	if err != nil {
		return workflow.Errorf(workflow.ENOTFOUND, "Det finns inget protokoll från %s den %s publicerat på webben", body, date)
	}
	ctx := c.UserContext()
	if pdf {
		doc, err := w.store.PublishedProtokollPDF(ctx, body, d)
		if err != nil {
			return err
		}
		return sendPDF(c, fmt.Sprintf("protokoll-%s-%s.pdf", body, d), doc.Data)
	}
	pm, pub, err := w.store.PublishedProtokoll(ctx, body, d)
	if err != nil {
		return err
	}
	p := newPublicProtokollPage(pm)
	p.Published = pub.PublishedAt
	return w.render(c, fiber.StatusOK, "public_protokoll", &view{Title: p.Title, Section: "protokoll", Page: p})
}

// publicationPage is the secretary's review of a protokoll for the web.
type publicationPage struct {
	Meeting      workflow.Meeting
	Choices      []publicationChoice
	Names        string
	CanPublish   bool // justerat: the Publicera button
	PublicPath   string
	Published    bool
	Pending      *workflow.Publication // saved choices not yet published
	Publications []workflow.Publication
	Preview      *publicProtokollPage
}

// publicationChoice is one paragraph's checkbox.
type publicationChoice struct {
	workflow.Paragraph
	Checked bool
}

var publicationNotices = map[string]string{
	"saved":     "Valen är sparade. Den publicerade versionen är oförändrad tills du publicerar.",
	"published": "Protokollet är publicerat på webben.",
}

// showPublicationPage is GET /meetings/:id/publicering.
func (w *web) showPublicationPage(c *fiber.Ctx) error {
	return w.renderPublication(c, fiber.StatusOK, nil, &view{Notice: publicationNotices[c.Query("done")]})
}

// renderPublication shows the review with the choices in form (nil: the
// saved choices, else the newest publication's) and v's messages.
func (w *web) renderPublication(c *fiber.Ctx, status int, form *db.RedactionInput, v *view) error {
	id, err := meetingID(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	m, err := w.store.Meeting(ctx, id)
	if err != nil {
		return err
	}
	if err := workflow.CanRedact(m, currentUser(c)); err != nil {
		return err
	}
	// The secretary of the board is involved in all of its cases.
	min, err := w.store.Minutes(ctx, id)
	if err != nil {
		return err
	}
	p := &publicationPage{Meeting: m, PublicPath: workflow.PublicPath(m),
		CanPublish: workflow.CanPublish(m, currentUser(c)) == nil}
	if p.Publications, err = w.store.Publications(ctx, id); err != nil {
		return err
	}
	p.Published = len(p.Publications) > 0
	pending, ok, err := w.store.PendingRedaction(ctx, id)
	if err != nil {
		return err
	}
	if ok {
		p.Pending = &pending
	}
	var r workflow.Redaction
	switch {
	case form != nil:
		p.Names = form.Names
		r, _ = workflow.ParseRedaction(min, form.Withheld, "") // what was ticked, the good numbers
		if rn, err := workflow.ParseRedaction(min, nil, form.Names); err == nil {
			r.Names = rn.Names
		}
	case ok:
		r = pending.Redaction
	case p.Published:
		r = p.Publications[0].Redaction
	}
	if form == nil {
		p.Names = strings.Join(r.Names, "\n")
	}
	for _, par := range min.Paragraphs {
		if par.Number > 0 {
			p.Choices = append(p.Choices, publicationChoice{Paragraph: par, Checked: r.Withholds(par.Number)})
		}
	}
	p.Preview = newPublicProtokollPage(workflow.Publish(min, r))
	p.Preview.Nested = true
	v.Title, v.Section, v.Page = "Publicering på webben – "+m.Title(), "meetings", p
	return w.render(c, status, "meeting_publication", v)
}

// submitPublication is POST /meetings/:id/publicering: save the choices
// (action=save) or publish with them (action=publish). Refused choices are
// shown beside their fields and nothing is saved.
func (w *web) submitPublication(c *fiber.Ctx) error {
	id, err := meetingID(c)
	if err != nil {
		return err
	}
	form := db.RedactionInput{Names: c.FormValue("names")}
	for _, v := range c.Request().PostArgs().PeekMulti("withheld") {
		form.Withheld = append(form.Withheld, string(v))
	}
	ctx, u := c.UserContext(), currentUser(c)
	failed := func(err error) error {
		code := workflow.ErrorCode(err)
		if code != workflow.EINVALID && code != workflow.ECONFLICT {
			return err
		}
		errs, alert := errorsOf(err)
		return w.renderPublication(c, statusOf[code], &form, &view{Errors: errs, Alert: alert})
	}
	if c.FormValue("action") != "publish" {
		if _, err := w.store.SaveRedaction(ctx, id, u, form); err != nil {
			return failed(err)
		}
		return c.Redirect(meetingPath(id, "")+"/publicering?done=saved", fiber.StatusSeeOther)
	}
	// Everything is checked before Chromium starts; the store checks again.
	m, err := w.store.Meeting(ctx, id)
	if err != nil {
		return err
	}
	if err := workflow.CanPublish(m, u); err != nil {
		return failed(err)
	}
	min, err := w.store.Minutes(ctx, id)
	if err != nil {
		return err
	}
	r, err := workflow.ParseRedaction(min, form.Withheld, form.Names)
	if err != nil {
		return failed(err)
	}
	pdf, err := w.publicPDF(c, workflow.Publish(min, r))
	if err != nil {
		return err
	}
	if _, err := w.store.Publish(ctx, id, u, form, pdf); err != nil {
		return failed(err)
	}
	return c.Redirect(meetingPath(id, "")+"/publicering?done=published", fiber.StatusSeeOther)
}

// publicPDF makes the public protokoll's PDF: tagged, printed by Chromium
// from the public HTML, where Chromium is installed; else, or when Chromium
// fails, untagged from the embedded generator (logged).
func (w *web) publicPDF(c *fiber.Ctx, pm workflow.PublicMinutes) (db.PublishedPDF, error) {
	if chromium := protokoll.FindChromium(); chromium != "" {
		p := newPublicProtokollPage(pm)
		p.Print = true
		var html bytes.Buffer
		if err := c.App().Config().Views.Render(&html, "public_protokoll_print", p); err != nil {
			return db.PublishedPDF{}, err
		}
		m := pm.Minutes.Meeting
		pdf, err := protokoll.TaggedPDF(c.UserContext(), chromium, html.String(), m.Body.Name+" – "+m.Date.String())
		if err == nil {
			return db.PublishedPDF{Data: pdf, Tagged: true}, nil
		}
		w.cfg.Log.Warn("tagged PDF failed; the protokoll is published with an untagged PDF", "meeting", m.ID, "err", err)
	}
	pdf, err := protokoll.Public(pm)
	return db.PublishedPDF{Data: pdf}, err
}

// publicationTime writes when a publication was published, for the history.
func publicationTime(p workflow.Publication) string {
	if p.PublishedAt == nil {
		return ""
	}
	return formatTime(*p.PublishedAt)
}

// PDFKind says how the publication's PDF was made.
func (p publicationPage) PDFKind(pub workflow.Publication) string {
	if pub.Tagged {
		return "taggad (tillgänglig)"
	}
	return "otaggad (reservgeneratorn)"
}

// NamesCount writes how many names a publication removed.
func (p publicationPage) NamesCount(pub workflow.Publication) string {
	return strconv.Itoa(len(pub.Names))
}

// When is when a publication was published.
func (p publicationPage) When(pub workflow.Publication) string { return publicationTime(pub) }
