package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// actionPage is the form an action asks for before it is taken: a reason, a
// new meeting date or the decision's text. Actions without input get the same
// page as a confirmation, so every action works without the case page's buttons.
type actionPage struct {
	Case          workflow.Case
	Action        workflow.Action
	Version       int
	Reason        string
	Date          string
	ExtraMeeting  bool // postpone: a nytt extra sammanträde on Date
	Decision      string
	DecisionType  workflow.DecisionType
	DecisionTypes []workflow.DecisionType
}

func (p *actionPage) NeedsReason() bool { return p.Action.NeedsReason() }
func (p *actionPage) AsksReason() bool {
	return p.Action.NeedsReason() || p.Action == workflow.ActPostpone
}
func (p *actionPage) NeedsDate() bool     { return p.Action == workflow.ActPostpone }
func (p *actionPage) NeedsDecision() bool { return p.Action == workflow.ActDecide }

// ReasonLabel labels the reason field, which is optional when postponing.
func (p *actionPage) ReasonLabel() string {
	if p.NeedsReason() {
		return "Skäl"
	}
	return "Skäl (frivilligt)"
}

// CurrentDate is the meeting date the case waits for now, for the postpone form.
func (p *actionPage) CurrentDate() string {
	if st := p.Case.CurrentStep(); st != nil {
		return httpx.FormatDate(st.Date)
	}
	return ""
}

// decisionTypes are the decisions in substance a board records here; återremiss
// and bordläggning are actions of their own.
var decisionTypes = []workflow.DecisionType{workflow.DecisionApproved, workflow.DecisionAmended, workflow.DecisionRejected}

// actionOf reads the :action parameter; an unknown action is a page that does not exist.
func actionOf(c *fiber.Ctx) (workflow.Action, error) {
	a := workflow.Action(c.Params("action"))
	if a.Label() == "" {
		return "", workflow.Errorf(workflow.ENOTFOUND, "Det finns ingen åtgärd som heter %q", c.Params("action"))
	}
	return a, nil
}

// showActionPage is GET /cases/:number/actions/:action.
func (w *web) showActionPage(c *fiber.Ctx) error {
	a, err := actionOf(c)
	if err != nil {
		return err
	}
	cs, err := w.Store.Case(c.UserContext(), c.Params("number"))
	if err != nil {
		return err
	}
	// Ask the workflow, which knows why an action is refused; missing input is
	// what this page is for.
	u := httpx.CurrentUser(c)
	_, err = workflow.Apply(cs, workflow.Command{Action: a, Version: cs.Version}, workflow.Env{Now: time.Now(), Actor: u})
	if err != nil && workflow.ErrorCode(err) != workflow.EINVALID {
		return w.renderCase(c, httpx.StatusOf[workflow.ErrorCode(err)], cs.Number, &httpx.View{Alert: workflow.ErrorMessage(err)})
	}
	p := &actionPage{Case: cs, Action: a, Version: cs.Version, DecisionTypes: decisionTypes,
		DecisionType: workflow.DecisionApproved}
	return w.Render(c, fiber.StatusOK, "action", &httpx.View{Title: a.Label(), Section: "cases", Page: p})
}

// submitAction is POST /cases/:number/actions/:action.
func (w *web) submitAction(c *fiber.Ctx) error {
	a, err := actionOf(c)
	if err != nil {
		return err
	}
	number := c.Params("number")
	version := formVersion(c)
	p := &actionPage{Action: a, Version: version, Reason: c.FormValue("reason"), Date: strings.TrimSpace(c.FormValue("date")),
		ExtraMeeting: c.FormValue("extra_meeting") != "", Decision: c.FormValue("decision"),
		DecisionType: workflow.DecisionType(c.FormValue("decision_type")), DecisionTypes: decisionTypes}
	cmd := workflow.Command{Action: a, Version: version, Reason: p.Reason, Decision: p.Decision, DecisionType: p.DecisionType,
		ExtraMeeting: p.ExtraMeeting}
	if p.Date != "" {
		d, err := workflow.ParseDate(p.Date)
		if err != nil {
			return w.actionInvalid(c, p, number, httpx.FieldError("date", err.Error()))
		}
		cmd.Date = d
	}
	cs, err := w.Store.Act(c.UserContext(), number, httpx.CurrentUser(c), cmd)
	if err == nil {
		return w.actionDone(c, cs, a)
	}
	switch workflow.ErrorCode(err) {
	case workflow.EINVALID:
		if !needsForm(a) { // nothing to correct on a form: what is missing is in the case itself
			return w.renderCase(c, fiber.StatusUnprocessableEntity, number,
				&httpx.View{Alert: "”" + a.Label() + "” gick inte att utföra. " + workflow.ErrorMessage(err) + "."})
		}
		return w.actionInvalid(c, p, number, err)
	case workflow.ECONFLICT, workflow.EFORBIDDEN:
		return w.refused(c, number, version, err)
	}
	return err
}

// actionInvalid shows the action's form again with the messages and what was entered.
func (w *web) actionInvalid(c *fiber.Ctx, p *actionPage, number string, err error) error {
	cs, lerr := w.Read(c).Case(c.UserContext(), number)
	if lerr != nil {
		return lerr
	}
	p.Case = cs
	fields, alert := httpx.ErrorsOf(err)
	return w.Render(c, fiber.StatusUnprocessableEntity, "action",
		&httpx.View{Title: p.Action.Label(), Section: "cases", Page: p, Errors: fields, Alert: alert})
}

// refused shows the fresh case with why a change was refused: someone else
// changed it first, it has moved on, or it is not this person's to change.
func (w *web) refused(c *fiber.Ctx, number string, version int, err error) error {
	msg := workflow.ErrorMessage(err)
	if cs, lerr := w.Store.Case(c.UserContext(), number); lerr == nil && version > 0 && version != cs.Version {
		msg = "Ärendet har ändrats sedan du öppnade det, så din ändring är inte gjord. Nedan ser du ärendet som det är nu; kontrollera det och försök igen om det behövs."
	}
	return w.renderCase(c, httpx.StatusOf[workflow.ErrorCode(err)], number, &httpx.View{Alert: msg})
}
