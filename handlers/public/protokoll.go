package public

import (
	"fmt"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/protokoll"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
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
func (s *Server) routesPublicProtokoll(ui fiber.Router) {
	ui.Get("/protokoll/:body/:date", s.PublicShare, s.showPublicProtokoll)
}

// ProtokollPage is a protokoll as the public reads it: on the public
// page, in the secretary's preview, and as the HTML Chromium prints.
type ProtokollPage struct {
	Meeting    workflow.Meeting
	Dates      workflow.MeetingDates
	Groups     []httpx.AttendeeGroup
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
	Blocks []httpx.TextBlock
}

// Range is the paragraphs of the protokoll: "§ 11–14", "§ 11", or "".
func (p *ProtokollPage) Range() string {
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

// NewProtokollPage lays out pm for the page, the preview and the print.
func NewProtokollPage(pm workflow.PublicMinutes) *ProtokollPage {
	m := pm.Minutes.Meeting
	p := &ProtokollPage{Meeting: m, Dates: m.Dates(), Adjusters: workflow.Adjusters(pm.Minutes.Attendees),
		PDFPath: workflow.PublicPath(m) + ".pdf", Title: "Protokoll " + m.Body.Name + " " + m.Date.String()}
	for _, par := range pm.Paragraphs {
		p.Paragraphs = append(p.Paragraphs, publicParagraphView{PublicParagraph: par, Blocks: httpx.TextBlocks(par.Text)})
	}
	p.Groups = httpx.AttendeeGroups(pm.Minutes.Attendees)
	for _, a := range pm.Minutes.Attendees {
		if !a.Present {
			p.Absent = append(p.Absent, a)
		}
	}
	return p
}

// showPublicProtokoll is GET /protokoll/:body/:date and …/:date.pdf, open to
// everyone: the newest publication, or 404 before the first.
func (s *Server) showPublicProtokoll(c *fiber.Ctx) error {
	body, date := c.Params("body"), c.Params("date")
	date, pdf := strings.CutSuffix(date, ".pdf")
	d, err := workflow.ParseDate(date)
	if err != nil {
		return workflow.Errorf(workflow.ENOTFOUND, "Det finns inget protokoll från %s den %s publicerat på webben", body, date)
	}
	ctx := c.UserContext()
	if pdf {
		doc, err := s.Store.PublishedProtokollPDF(ctx, body, d)
		if err != nil {
			return err
		}
		if doc.Stale {
			// A case in the stored PDF has been marked secret since it was
			// published: until the secretary publishes again, the PDF is
			// made anew from the public view (the embedded generator, not
			// tagged; a public request never starts Chromium).
			pm, _, err := s.Store.PublishedProtokoll(ctx, body, d)
			if err != nil {
				return err
			}
			if doc.Data, err = protokoll.Public(pm); err != nil {
				return err
			}
		}
		// The PDF is OParl's File.accessUrl: clients in a browser on other
		// origins read it as they read the API (OParl 1.1 §2.6).
		c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
		c.Set("Cross-Origin-Resource-Policy", "cross-origin")
		return httpx.SendPDF(c, fmt.Sprintf("protokoll-%s-%s.pdf", body, d), doc.Data)
	}
	pm, pub, err := s.Store.PublishedProtokoll(ctx, body, d)
	if err != nil {
		return err
	}
	p := NewProtokollPage(pm)
	p.Published = pub.PublishedAt
	return s.Render(c, fiber.StatusOK, "public_protokoll", &httpx.View{Title: p.Title, Section: "protokoll", Page: p})
}
