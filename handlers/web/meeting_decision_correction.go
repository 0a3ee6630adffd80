package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// correctionPage is the form that corrects a decision recorded at a held
// meeting, until the justering begins (workflow.CorrectDecision).
type correctionPage struct {
	Meeting   workflow.Meeting
	Case      workflow.Case
	Paragraph workflow.Paragraph // as recorded
	Types     []workflow.DecisionType
	Type      workflow.DecisionType
	Text      string
	Version   int
	// Proposed is set when the text still says "föreslås": the form then
	// offers to keep it as it stands (Confirm).
	Proposed, Confirm bool
}

// TextHint says what the decision's text is.
func (p *correctionPage) TextHint() string { return "Som det ska stå i protokollet." }

// showCorrectionPage is GET /meetings/:id/decisions/:number/correction.
func (w *web) showCorrectionPage(c *fiber.Ctx) error {
	p := &correctionPage{}
	if err := w.loadCorrectionPage(c, p); err != nil {
		return w.decisionFailed(c, err)
	}
	p.Type, p.Text, p.Version = p.Paragraph.Type, p.Paragraph.Text, p.Case.Version
	// A text recorded with "föreslås" was confirmed so; it stays confirmed.
	p.Proposed = workflow.StillProposed(p.Text)
	p.Confirm = p.Proposed
	return w.renderCorrection(c, fiber.StatusOK, p, &httpx.View{})
}

// loadCorrectionPage fills in the meeting, the recorded paragraph of the
// case in the path, the case and the types it may be corrected to; ECONFLICT
// or EFORBIDDEN when its decisions cannot be corrected now.
func (w *web) loadCorrectionPage(c *fiber.Ctx, p *correctionPage) error {
	min, err := w.MinutesOf(c)
	if err != nil {
		return err
	}
	if err := workflow.CanWriteProtokollAt(min.Meeting, min.Attendees, httpx.CurrentUser(c)); err != nil {
		return err
	}
	number := c.Params("number")
	found := false
	for _, par := range min.Paragraphs {
		if par.CaseNumber == number {
			p.Paragraph, found = par, true
		}
	}
	if !found {
		return workflow.Errorf(workflow.ENOTFOUND, "Ärende %s har inget beslut vid %s", number, min.Meeting.Title())
	}
	if p.Case, err = w.Read(c).Case(c.UserContext(), number); err != nil {
		return err
	}
	p.Meeting, p.Types = min.Meeting, correctionTypes(p.Paragraph, decidingAt(&p.Case, min.Meeting))
	return nil
}

// decidingAt reports whether m is the meeting of c's deciding step, where
// bifall, ändrat förslag and avslag are the case's decision.
func decidingAt(c *workflow.Case, m workflow.Meeting) bool {
	i := c.DecidingStep()
	return i >= 0 && i < len(c.Route) && c.Route[i].MeetingID == m.ID
}

// correctionTypes are what a recorded decision may become: återremiss and
// bordläggning stay as they are; bifall, ändrat förslag and avslag change
// among themselves, with behandlat where the body is not the deciding one.
func correctionTypes(par workflow.Paragraph, deciding bool) []workflow.DecisionType {
	if par.Type == workflow.DecisionReturned || par.Type == workflow.DecisionTabled {
		return []workflow.DecisionType{par.Type}
	}
	types := []workflow.DecisionType{workflow.DecisionApproved, workflow.DecisionAmended, workflow.DecisionRejected}
	if !deciding || par.Type == workflow.DecisionHandled {
		types = append([]workflow.DecisionType{workflow.DecisionHandled}, types...)
	}
	return types
}

func (w *web) renderCorrection(c *fiber.Ctx, status int, p *correctionPage, v *httpx.View) error {
	v.Title, v.Section, v.Page = "Rätta beslutet i "+p.Case.Number, "meetings", p
	return w.Render(c, status, "meeting_decision_correction", v)
}

// submitCorrection is POST /meetings/:id/decisions/:number/correction.
func (w *web) submitCorrection(c *fiber.Ctx) error {
	m, err := w.meetingOf(c)
	if err != nil {
		return err
	}
	version := formVersion(c)
	in := db.DecisionCorrectionInput{Case: c.Params("number"), Type: workflow.DecisionType(value(c, "type")), Text: value(c, "text"),
		Version: version, Confirm: value(c, "confirm") != ""}
	par, err := w.Store.CorrectDecision(c.UserContext(), m.ID, httpx.CurrentUser(c), in)
	if err == nil {
		what := par.Label() + " för " + in.Case
		if par.Number == 0 {
			what = "Behandlingen av " + in.Case
		}
		notice := fmt.Sprintf("%s är rättad: %s.", what, par.Type.Label())
		return w.redirectNotice(c, fmt.Sprintf("/meetings/%d#agenda-title", m.ID), meetingPath(m.ID, "corrected")+"#agenda-title", notice)
	}
	if workflow.ErrorCode(err) != workflow.EINVALID {
		return w.decisionFailed(c, err)
	}
	p := &correctionPage{Type: in.Type, Text: in.Text, Version: version, Confirm: in.Confirm, Proposed: workflow.StillProposed(in.Text)}
	if lerr := w.loadCorrectionPage(c, p); lerr != nil {
		return w.decisionFailed(c, lerr)
	}
	errs, alert := httpx.ErrorsOf(err)
	return w.renderCorrection(c, httpx.StatusOf[workflow.EINVALID], p, &httpx.View{Errors: errs, Alert: alert})
}

// decisionFailed shows the meeting with why a decision cannot be recorded
// or corrected there (a conflict, or not the secretary), or passes err on.
func (w *web) decisionFailed(c *fiber.Ctx, err error) error {
	if code := workflow.ErrorCode(err); code == workflow.ECONFLICT || code == workflow.EFORBIDDEN {
		return w.meetingFailed(c, &meetingPage{}, "", err)
	}
	return err
}
