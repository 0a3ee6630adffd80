package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// doneNotices are the confirmations a redirect may ask for with ?done=...; only
// these fixed texts are shown, never text from the URL.
var doneNotices = map[string]string{
	"created": "Ärendet är skapat som utkast.",
	"saved":   "Utkastet är sparat.",
	// A draft saved without an edit: nothing written, no new version.
	"unchanged": "Inga ändringar att spara: utkastet är som det var.",
	"attached":  "Bilagan är uppladdad.",
	// Bevakningar, on the case page and the start page.
	"deadline":     "Bevakningen är satt.",
	"acknowledged": "Bevakningen är kvitterad.",
}

func doneNotice(c *fiber.Ctx) string {
	if n := httpx.TakeFlash(c); n != "" {
		return n
	}
	done := c.Query("done")
	if n, ok := doneNotices[done]; ok {
		return n
	}
	if a := workflow.Action(done); a.Label() != "" {
		return "Klart: ”" + a.Label() + "” är utfört."
	}
	return ""
}

// showCasePage is GET /cases/:number.
func (w *web) showCasePage(c *fiber.Ctx) error {
	v := &httpx.View{Notice: doneNotice(c)}
	return w.renderCase(c, fiber.StatusOK, c.Params("number"), v)
}

// renderCase shows the case as it is now, with v's messages: after a refused
// action the person sees the fresh case and why, not an error page.
func (w *web) renderCase(c *fiber.Ctx, status int, number string, v *httpx.View) error {
	return w.renderCaseWith(c, status, number, v, db.DeadlineInput{})
}

// renderCaseWith is renderCase with the bevakning form as it was entered.
func (w *web) renderCaseWith(c *fiber.Ctx, status int, number string, v *httpx.View, deadline db.DeadlineInput) error {
	cs, pars, err := w.Read(c).CaseRecord(c.UserContext(), number)
	if err != nil {
		return err
	}
	evs, err := w.Read(c).Events(c.UserContext(), cs.Number)
	if err != nil {
		return err
	}
	v.Title = cs.Title
	v.Section = "cases"
	page := newCasePage(cs, evs, httpx.CurrentUser(c))
	page.Paragraphs = paragraphRowsOf(pars, routeBodies(cs), w.Today())
	if page.Deadlines, err = w.loadCaseDeadlines(c, cs.Number, deadline, v.Errors); err != nil {
		return err
	}
	v.Page = page
	return w.Render(c, status, "case", v)
}

// routeBodies are the bodies of a case's route by code.
func routeBodies(c workflow.Case) map[string]workflow.Body {
	out := map[string]workflow.Body{}
	for _, st := range c.Route {
		out[st.Body.Code] = st.Body
	}
	return out
}
