package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// accessibilityStatement is what the statement says that is data rather than
// text: where to report, how soon we answer, which axe-core the tests use and
// when the service was assessed and the statement last changed. Change the
// dates when the assessment is made again or the text of the statement
// changes (templates/pages/accessibility.html).
type accessibilityStatement struct {
	Contact      string // e-mail for reports of deficiencies and requests for content in another format
	ResponseDays int    // work days until we answer
	AxeVersion   string // as package.json pins it
	AssessedOn   workflow.Date
	UpdatedOn    workflow.Date
}

var statement = accessibilityStatement{
	Contact:      httpx.ExampleAccessibilityContact, // the installation's: Config.AccessibilityContact
	ResponseDays: 5,
	AxeVersion:   "4.14.1",
	AssessedOn:   workflow.MustDate("2026-11-30"),
	UpdatedOn:    workflow.MustDate("2026-11-30"),
}

// AssessedText and UpdatedText write the dates as in running text: 30 november 2026.
func (s accessibilityStatement) AssessedText() string { return longDate(s.AssessedOn) }
func (s accessibilityStatement) UpdatedText() string  { return longDate(s.UpdatedOn) }

var swedishMonths = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli",
	"augusti", "september", "oktober", "november", "december"}

func longDate(d workflow.Date) string {
	return fmt.Sprintf("%d %s %d", d.Day, swedishMonths[d.Month-1], d.Year)
}

// showAccessibilityPage is GET /tillganglighet, the accessibility statement
// the law asks of a public digital service; open without login.
func (w *web) showAccessibilityPage(c *fiber.Ctx) error {
	st := statement
	if w.Config.AccessibilityContact != "" {
		st.Contact = w.Config.AccessibilityContact
	}
	return w.Render(c, fiber.StatusOK, "accessibility", &httpx.View{Title: "Tillgänglighetsredogörelse", Page: st})
}
