package web

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/handlers/public"
	"github.com/kommun/beslutsgang/protokoll"
	"github.com/kommun/beslutsgang/workflow"
)

// routesUIPublication registers the secretary's review on the logged-in group.
func (w *web) routesUIPublication(in fiber.Router) {
	in.Get("/meetings/:id/publicering", w.showPublicationPage)
	in.Post("/meetings/:id/publicering", w.submitPublication)
}

// publicationPage is the secretary's review of a protokoll for the web.
type publicationPage struct {
	Meeting      workflow.Meeting
	Choices      []publicationChoice
	Names        string
	CanPublish   bool // justerat: the Publicera button
	PublicPath   string
	Published    bool
	Version      int                   // the newest publication's Seq, carried by the form
	SavedVersion string                // db.SavedVersion of the saved choices ("": none), carried by the form
	Pending      *workflow.Publication // saved choices not yet published
	Publications []workflow.Publication
	Preview      *public.ProtokollPage
	// SecretSince: a case of the protokoll has been marked secret since the
	// newest publication; the public PDF is made anew until published again.
	SecretSince bool
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
	return w.renderPublication(c, fiber.StatusOK, nil, &httpx.View{Notice: publicationNotices[c.Query("done")]})
}

// renderPublication shows the review with the choices in form (nil: the
// saved choices, else the newest publication's) and v's messages. The form
// carries the newest publication's Seq and the saved choices' version; a
// refused form shown again carries those it was made from, not newer ones:
// a change made meanwhile, and not seen, still stops it when it is sent
// again (after a conflict the message asks to reload the page).
func (w *web) renderPublication(c *fiber.Ctx, status int, form *db.RedactionInput, v *httpx.View) error {
	id, err := httpx.MeetingID(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	m, err := w.Store.Meeting(ctx, id)
	if err != nil {
		return err
	}
	if err := workflow.CanRedact(m, httpx.CurrentUser(c)); err != nil {
		return err
	}
	// The secretary of the board is involved in all of its cases.
	min, err := w.Store.Minutes(ctx, id)
	if err != nil {
		return err
	}
	p := &publicationPage{Meeting: m, PublicPath: workflow.PublicPath(m),
		CanPublish: workflow.CanPublish(m, httpx.CurrentUser(c)) == nil}
	if p.Publications, err = w.Store.Publications(ctx, id); err != nil {
		return err
	}
	p.Published = len(p.Publications) > 0
	if p.Published {
		p.Version = p.Publications[0].Seq
		if p.SecretSince, err = w.Store.SecretSincePublished(ctx, id); err != nil {
			return err
		}
	}
	pending, ok, err := w.Store.PendingRedaction(ctx, id)
	if err != nil {
		return err
	}
	if ok {
		p.Pending = &pending
		p.SavedVersion = db.SavedVersion(pending)
	}
	if form != nil {
		if form.Version >= 0 && form.Version <= p.Version {
			p.Version = form.Version
		}
		p.SavedVersion = form.SavedVersion
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
	p.Preview = public.NewProtokollPage(workflow.Publish(min, r))
	p.Preview.Nested = true
	v.Title, v.Section, v.Page = "Publicering på webben – "+m.Title(), "meetings", p
	return w.Render(c, status, "meeting_publication", v)
}

// submitPublication is POST /meetings/:id/publicering: save the choices
// (action=save) or publish with them (action=publish). Refused choices are
// shown beside their fields and nothing is saved.
func (w *web) submitPublication(c *fiber.Ctx) error {
	id, err := httpx.MeetingID(c)
	if err != nil {
		return err
	}
	// saved_version: the saved choices the page showed; a form without it
	// was made from none, and replaces no other choices unseen either.
	form := db.RedactionInput{Names: c.FormValue("names"), SavedVersion: c.FormValue("saved_version")}
	version, err := strconv.Atoi(c.FormValue("version"))
	if err != nil || version < 0 {
		version = -1 // refused by the store, after the other checks
	}
	form.Version = version
	for _, v := range c.Request().PostArgs().PeekMulti("withheld") {
		form.Withheld = append(form.Withheld, string(v))
	}
	ctx, u := c.UserContext(), httpx.CurrentUser(c)
	failed := func(err error) error {
		code := workflow.ErrorCode(err)
		if code != workflow.EINVALID && code != workflow.ECONFLICT {
			return err
		}
		errs, alert := httpx.ErrorsOf(err)
		return w.renderPublication(c, httpx.StatusOf[code], &form, &httpx.View{Errors: errs, Alert: alert})
	}
	switch c.FormValue("action") {
	case "publish":
	case "save":
		if _, err := w.Store.SaveRedaction(ctx, id, u, form); err != nil {
			return failed(err)
		}
		return c.Redirect(meetingPath(id, "")+"/publicering?done=saved", fiber.StatusSeeOther)
	default:
		return failed(workflow.Errorf(workflow.EINVALID, "Välj Spara valen eller Publicera"))
	}
	// Everything is checked before Chromium starts; the store checks again.
	m, err := w.Store.Meeting(ctx, id)
	if err != nil {
		return err
	}
	if err := workflow.CanPublish(m, u); err != nil {
		return failed(err)
	}
	min, err := w.Store.Minutes(ctx, id)
	if err != nil {
		return err
	}
	r, err := workflow.ParseRedaction(min, form.Withheld, form.Names)
	if err != nil {
		return failed(err)
	}
	// A second press of Publicera finds the first one's publication and
	// starts no Chromium; the store checks again in its transaction.
	if _, done, err := w.Store.PublishedAfter(ctx, id, form.Version, r); err != nil {
		return failed(err)
	} else if done {
		return c.Redirect(meetingPath(id, "")+"/publicering?done=published", fiber.StatusSeeOther)
	}
	if err := w.Store.CheckSavedChoices(ctx, m, form.SavedVersion, r); err != nil {
		return failed(err)
	}
	pdf, err := w.publicPDF(c, workflow.Publish(min, r))
	if err != nil {
		return err
	}
	if _, err := w.Store.Publish(ctx, id, u, form, pdf); err != nil {
		return failed(err)
	}
	return c.Redirect(meetingPath(id, "")+"/publicering?done=published", fiber.StatusSeeOther)
}

// publicPDF makes the public protokoll's PDF: tagged, printed by Chromium
// from the public HTML, where Chromium is installed; else, or when Chromium
// fails, untagged from the embedded generator (logged).
func (w *web) publicPDF(c *fiber.Ctx, pm workflow.PublicMinutes) (db.PublishedPDF, error) {
	if chromium := protokoll.FindChromium(); chromium != "" {
		p := public.NewProtokollPage(pm)
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
		httpx.Log(c).Warn("tagged PDF failed; the protokoll is published with an untagged PDF", "meeting", m.ID, "err", err)
	}
	pdf, err := protokoll.Public(pm)
	return db.PublishedPDF{Data: pdf}, err
}

// publicationTime writes when a publication was published, for the history.
func publicationTime(p workflow.Publication) string {
	if p.PublishedAt == nil {
		return ""
	}
	return httpx.FormatTime(*p.PublishedAt)
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
