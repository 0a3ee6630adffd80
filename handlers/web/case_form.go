package web

import (
	"context"
	"fmt"
	"mime/multipart"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// caseForm is the new case and edit draft form: the values as entered and the
// choices the selects offer.
type caseForm struct {
	Post      string // where the form is sent
	Number    string // set when editing
	Version   int
	In        db.CaseInput
	Boards    []workflow.Board
	Bodies    []workflow.Body
	Approvers []workflow.User
	Officers  []workflow.User // offered to secretaries, who may create cases for an officer
	FilesLost bool            // files were chosen but the form came back: they must be chosen again
	Focus     string          // after a row button: the id of the first input of the row to work on
	plan      *routePlan      // the bodies' planned meeting days, for RouteHint
	// Review is set on the review of an uploaded document (ui_case_document.go),
	// notes are its warnings by field.
	Review *docReview
	notes  fieldNotes
	// Submission is the new case form's random id (sent back as it is), so
	// the same form sent twice registers one case (db.CreateCaseOnce).
	Submission string
}

// Edit reports whether the form edits an existing draft.
func (f *caseForm) Edit() bool { return f.Number != "" }

// Rows for the template: at least one, so an empty list still has a row to fill in.
func (f *caseForm) ProposalRows() []string {
	return atLeastOne(f.In.Proposals)
}
func (f *caseForm) RouteRows() []db.StepInput           { return atLeastOne(f.In.Route) }
func (f *caseForm) ApproverRows() []db.ApproverInput    { return atLeastOne(f.In.Approvers) }
func (f *caseForm) RecipientRows() []workflow.Recipient { return atLeastOne(f.In.Recipients) }

// rowCount is how many rows of a list the form shows.
func (f *caseForm) rowCount(list string) int {
	switch list {
	case "proposals":
		return len(f.ProposalRows())
	case "route":
		return len(f.RouteRows())
	case "approvers":
		return len(f.ApproverRows())
	case "recipients":
		return len(f.RecipientRows())
	}
	return 0
}

// AddTarget is the fragment a list's add button sends the browser to: the
// first input of the row it adds. RemoveTarget is the fragment of remove row
// i: the first input of the row that takes its place, or of the one before
// when it is the last. The form comes back scrolled to that input, and the
// browser focuses it, as it does a focusable fragment; app.js focuses it
// without reloading. The fragments assume the rows shown are filled in; when
// an empty row was dropped instead, the fragment names no input, and the
// answer's autofocus (Focus) is on the right one.
func (f *caseForm) AddTarget(list string) string {
	return rowInput(list, min(f.rowCount(list), workflow.MaxListItems-1))
}

func (f *caseForm) RemoveTarget(list string, i int) string {
	return rowInput(list, max(min(i, f.rowCount(list)-2), 0))
}

func rowInput(list string, i int) string { return fmt.Sprintf("%s-%d", list, i) }

func atLeastOne[T any](rows []T) []T {
	if len(rows) == 0 {
		return make([]T, 1)
	}
	return rows
}

// loadChoices fills the selects' options.
func (w *web) loadChoices(ctx context.Context, f *caseForm, u workflow.User) error {
	boards, err := w.Store.Boards(ctx)
	if err != nil {
		return err
	}
	for _, b := range boards {
		if u.Has(b.Code, workflow.RoleOfficer) || u.Has(b.Code, workflow.RoleSecretary) {
			f.Boards = append(f.Boards, b)
		}
	}
	if f.Bodies, err = w.Store.Bodies(ctx); err != nil {
		return err
	}
	if f.plan, err = w.routePlanOf(ctx, f.Bodies, f.In.Route); err != nil {
		return err
	}
	users, err := w.Store.Users(ctx)
	if err != nil {
		return err
	}
	for _, x := range users {
		if x.HasAnywhere(workflow.RoleApprover) {
			f.Approvers = append(f.Approvers, x)
		}
		if x.HasAnywhere(workflow.RoleOfficer) && u.HasAnywhere(workflow.RoleSecretary) {
			f.Officers = append(f.Officers, x)
		}
	}
	f.keepEntered()
	return nil
}

// keepEntered adds what was entered but is not among the choices (a body or
// a person that does not fit), so the form shows it again beside its message
// instead of silently choosing something else.
func (f *caseForm) keepEntered() {
	if b := f.In.Board; b != "" && !slices.ContainsFunc(f.Boards, func(x workflow.Board) bool { return x.Code == b }) {
		f.Boards = append(f.Boards, workflow.Board{Code: b, Name: b})
	}
	for _, s := range f.In.Route {
		if s.Body != "" && !slices.ContainsFunc(f.Bodies, func(x workflow.Body) bool { return x.Code == s.Body }) {
			f.Bodies = append(f.Bodies, workflow.Body{Code: s.Body, Name: s.Body})
		}
	}
	for _, a := range f.In.Approvers {
		if a.Email != "" && !slices.ContainsFunc(f.Approvers, func(x workflow.User) bool { return x.Email == a.Email }) {
			f.Approvers = append(f.Approvers, workflow.User{Email: a.Email, Name: a.Email})
		}
	}
	if o := f.In.Officer; o != "" && len(f.Officers) > 0 && !slices.ContainsFunc(f.Officers, func(x workflow.User) bool { return x.Email == o }) {
		f.Officers = append(f.Officers, workflow.User{Email: o, Name: o})
	}
}

// formValues returns every value of a form field, from an urlencoded or a
// multipart body, copied out of the request's buffers.
func formValues(c *fiber.Ctx, name string) []string {
	if form, err := c.MultipartForm(); err == nil {
		return slices.Clone(form.Value[name])
	}
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}

// formFiles returns the files chosen in a multipart field.
func formFiles(c *fiber.Ctx, name string) []*multipart.FileHeader {
	form, err := c.MultipartForm()
	if err != nil {
		return nil
	}
	var out []*multipart.FileHeader
	for _, fh := range form.File[name] {
		if fh.Filename != "" || fh.Size > 0 {
			out = append(out, fh)
		}
	}
	return out
}

// value is the field's first value, or "".
// formVersion is the version a form was made on (the hidden field
// "version"): 0 when the form has none, which leaves the check to the
// store, and -1, never a version and so refused as stale, for one that is
// no number (an edited form must not skip the check).
func formVersion(c *fiber.Ctx) int {
	v := value(c, "version")
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

func value(c *fiber.Ctx, name string) string {
	if v := formValues(c, name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// readCaseForm reads the form into a CaseInput. Rows left wholly empty are
// dropped, so the row numbers in the store's messages match the rows shown again.
func readCaseForm(c *fiber.Ctx) db.CaseInput {
	in := db.CaseInput{Board: value(c, "board"), Title: value(c, "title"), Summary: value(c, "summary"),
		Background: value(c, "background"), Secret: value(c, "secret") == "on", Officer: strings.TrimSpace(value(c, "officer"))}
	for _, p := range formValues(c, "proposals") {
		if strings.TrimSpace(p) != "" {
			in.Proposals = append(in.Proposals, p)
		}
	}
	in.Route = routeRows(c)
	in.Approvers = rows(c, "approver_email", "approver_position", func(email, position string) db.ApproverInput {
		return db.ApproverInput{Email: strings.TrimSpace(email), Position: position}
	})
	in.Recipients = rows(c, "recipient_name", "recipient_email", func(name, email string) workflow.Recipient {
		return workflow.Recipient{Name: name, Email: email}
	})
	return in
}

// routeRows reads the route's rows: body and date, skipping rows where both
// are blank, and the boxes "Nytt extra sammanträde", whose values are the
// numbers of the rows ticked.
func routeRows(c *fiber.Ctx) []db.StepInput {
	bodies, dates := formValues(c, "route_body"), formValues(c, "route_date")
	extra := map[string]bool{}
	for _, i := range formValues(c, "route_extra") {
		extra[i] = true
	}
	var out []db.StepInput
	for i := range max(len(bodies), len(dates)) {
		body, date := at(bodies, i), at(dates, i)
		if strings.TrimSpace(body+date) != "" {
			out = append(out, db.StepInput{Body: body, Date: date, ExtraMeeting: extra[strconv.Itoa(i)]})
		}
	}
	return out
}

// rows reads two fields that form one row each time they appear, skipping
// rows where both are blank.
func rows[T any](c *fiber.Ctx, first, second string, row func(a, b string) T) []T {
	as, bs := formValues(c, first), formValues(c, second)
	var out []T
	for i := range max(len(as), len(bs)) {
		a, b := at(as, i), at(bs, i)
		if strings.TrimSpace(a+b) != "" {
			out = append(out, row(a, b))
		}
	}
	return out
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

// fillPositions gives an approver without a stated position the title the
// user has, as the Ansvariga list of a report names them.
func (w *web) fillPositions(ctx context.Context, in *db.CaseInput) {
	for i, a := range in.Approvers {
		if strings.TrimSpace(a.Position) != "" || a.Email == "" {
			continue
		}
		if u, err := w.Store.UserByEmail(ctx, a.Email); err == nil {
			in.Approvers[i].Position = u.Title
		}
	}
}

// rowOp is a press of one of the form's row buttons (add a row, remove row i),
// which sends the form back to itself instead of saving it.
type rowOp struct {
	add    bool
	list   string
	index  int
	exists bool
}

func readRowOp(c *fiber.Ctx) rowOp {
	op := value(c, "op")
	if list, ok := strings.CutPrefix(op, "add:"); ok {
		return rowOp{add: true, list: list, exists: true}
	}
	if rest, ok := strings.CutPrefix(op, "remove:"); ok {
		list, idx, _ := strings.Cut(rest, ":")
		i, err := strconv.Atoi(idx)
		if err == nil {
			return rowOp{list: list, index: i, exists: true}
		}
	}
	return rowOp{}
}

// apply adds or removes a row. Removal works on the rows as shown, which
// include an empty first row when a list is empty.
func (op rowOp) apply(in *db.CaseInput) {
	switch op.list {
	case "proposals":
		in.Proposals = edit(in.Proposals, op)
	case "route":
		in.Route = edit(in.Route, op)
	case "approvers":
		in.Approvers = edit(in.Approvers, op)
	case "recipients":
		in.Recipients = edit(in.Recipients, op)
	}
}

// focus is the id of the first input of the row to work on after op: the
// row added, or the row now where the removed one was (the one before when
// the removed one was last).
func (op rowOp) focus(f *caseForm) string {
	n := f.rowCount(op.list)
	if n == 0 {
		return ""
	}
	i := n - 1
	if !op.add {
		i = min(max(op.index, 0), n-1)
	}
	return rowInput(op.list, i)
}

func edit[T any](rows []T, op rowOp) []T {
	if op.add {
		if len(rows) == 0 { // the empty row shown stays, and one more comes
			rows = make([]T, 1)
		}
		if len(rows) < workflow.MaxListItems {
			rows = append(rows, *new(T))
		}
		return rows
	}
	if op.index >= 0 && op.index < len(rows) {
		return slices.Delete(rows, op.index, op.index+1)
	}
	return rows
}

// checkUploads refuses files that could not be attached, before anything is saved.
func checkUploads(files []*multipart.FileHeader) httpx.FormErrors {
	var errs httpx.FormErrors
	for _, fh := range files {
		name := db.CleanFileName(fh.Filename)
		switch {
		case name == "":
			errs = append(errs, workflow.FieldError{Field: "files", Message: "En av filerna saknar namn"})
		case fh.Size > db.MaxAttachmentSize:
			errs = append(errs, workflow.FieldError{Field: "files",
				Message: fmt.Sprintf("Filen %s är för stor; största tillåtna storlek är %d MB", name, db.MaxAttachmentSize>>20)})
		}
	}
	return errs
}

// attachUploads stores the chosen files on a case and returns the first error.
func (w *web) attachUploads(c *fiber.Ctx, number string, files []*multipart.FileHeader) error {
	for _, fh := range files {
		a, err := httpx.ReadFile(fh)
		if err != nil {
			return err
		}
		if _, err := w.Store.AddAttachment(c.UserContext(), number, httpx.CurrentUser(c), a); err != nil {
			return err
		}
	}
	return nil
}
