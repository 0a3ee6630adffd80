package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
)

// mailGapGroup is one kind of gap with what to do about it.
type mailGapGroup struct {
	Kind   string
	Title  string
	Advice string
	Gaps   []db.MailGap
}

// mailGapKinds are the kinds db.MailGaps reports, in the order shown.
var mailGapKinds = []mailGapGroup{
	{Kind: "reminder_in_ui_only", Title: "Påminnelser som bara visades i tjänsten",
		Advice: "Personen saknar en e-postadress som går att skicka till, eller är inaktiverad. Påminnelsen visas på personens startsida; lägg till adressen under Användare."},
	{Kind: "inactive_responsible", Title: "Inaktiverade användare med öppna bevakningar",
		Advice: "Ingen får påminnelserna. Aktivera användaren igen, eller sätt en ny bevakning på någon annan och kvittera den gamla."},
	{Kind: "board_without_secretary", Title: "Nämnder utan aktiv nämndsekreterare",
		Advice: "Godkända ärenden och steg som inte flyttats meddelas ingen. Ge någon rollen nämndsekreterare för nämnden."},
	{Kind: "recipient_without_address", Title: "Mottagare av beslut utan e-postadress",
		Advice: "Beslutet kan inte skickas till mottagaren. Lägg till adressen i ärendets mottagare medan det är ett utkast, eller skicka beslutet på annat sätt."},
	{Kind: "failed_mail", Title: "E-post som inte gick fram",
		Advice: "Servern tog inte emot meddelandet. Se felet nedan; när det är åtgärdat kan meddelandet skickas om från utkorgen."},
}

// mailGapsPage is who or what gets no mail, and why.
type mailGapsPage struct {
	Groups []mailGapGroup
	Total  int
}

// showMailGapsPage is GET /admin/mail-gaps.
func (w *web) showMailGapsPage(c *fiber.Ctx) error {
	gaps, err := w.Store.MailGaps(c.UserContext())
	if err != nil {
		return err
	}
	p := &mailGapsPage{Total: len(gaps)}
	for _, g := range mailGapKinds {
		for _, gap := range gaps {
			if gap.Kind == g.Kind {
				g.Gaps = append(g.Gaps, gap)
			}
		}
		p.Groups = append(p.Groups, g)
	}
	return w.Render(c, fiber.StatusOK, "admin_mail_gaps", &httpx.View{Title: "E-postluckor", Section: "admin", Page: p})
}
