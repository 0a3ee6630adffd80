package web

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// caseDeadlines is the case page's Bevakningar: the case's bevakningar, open
// ones first, and the form to set one.
type caseDeadlines struct {
	acknowledgeForm
	Number string
	Open   []deadlineRow // most urgent first
	Closed []deadlineRow
	People []workflow.User // who can be made responsible: the active users
	Form   db.DeadlineInput
	Errors httpx.FormErrors // the form's, with ids prefixed deadline_
	// CanAdd is false on a secret case the viewer is not involved in: only
	// its people set bevakningar there (workflow.NewCustomDeadline).
	CanAdd bool
}

// deadlineFieldPrefix tells the bevakning form's fields apart from the rest
// of the case page.
const deadlineFieldPrefix = "deadline_"

// loadCaseDeadlines reads a case's bevakningar for its page; form is what was
// entered, or empty for a fresh form naming the viewer as responsible.
func (w *web) loadCaseDeadlines(c *fiber.Ctx, number string, form db.DeadlineInput, errs httpx.FormErrors) (*caseDeadlines, error) {
	ctx := c.UserContext()
	u := httpx.CurrentUser(c)
	items, err := w.Read(c).CaseDeadlines(ctx, number)
	if err != nil {
		return nil, err
	}
	users, err := w.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	if form == (db.DeadlineInput{}) {
		form.Responsible = u.Email
	}
	canAdd, err := w.Read(c).Sees(ctx, number)
	if err != nil {
		return nil, err
	}
	p := &caseDeadlines{acknowledgeForm: acknowledgeForm{CSRF: httpx.CSRFToken(c), Back: "/cases/" + number + "#bevakningar"},
		Number: number, Form: form, Errors: errs, CanAdd: canAdd}
	for _, r := range deadlineRowsOf(items, u, workflow.Today(w.Store.Now())) {
		if r.State == workflow.DeadlineOpen {
			p.Open = append(p.Open, r)
		} else {
			p.Closed = append(p.Closed, r)
		}
	}
	p.People = slices.DeleteFunc(users, func(x workflow.User) bool { return !x.Active })
	slices.SortFunc(p.People, func(a, b workflow.User) int { return strings.Compare(a.Name, b.Name) })
	return p, nil
}
