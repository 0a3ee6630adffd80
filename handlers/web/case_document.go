package web

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/intake"
	"github.com/kommun/beslutsgang/workflow"
)

// The flow of a case read from an uploaded tjänsteskrivelse:
//
//	GET  /cases/new/document       the upload form
//	POST /cases/new/document       reads the file; keeps it (db.SaveIntakeUpload) and sends to the review
//	GET  /cases/new/document/{id}  the review: the case form filled in from the document, with warnings
//	POST /cases/new/document/{id}  a row button, or the confirmation: registers the case with the file first
//
// Nothing is registered before the confirmation. The file is read again
// from the upload at every step, so the review holds no state of its own
// beyond the form and the warnings it carries.

// documentForm is the upload form.
type documentForm struct {
	Boards []workflow.Board // offered when the user may create cases in more than one
	Board  string
}

// docReview is what the review page says about the uploaded document.
type docReview struct {
	ID          string
	Name        string
	Size        int64
	SHA256      string
	Number      string   // the document's number in this service's form: the case is imported with it
	Reference   string   // the diarienummer as written
	Attachments []string // the Beslutsunderlag, listed by name after the document
}

// SizeText is the file's size for a person.
func (r *docReview) SizeText() string { return httpx.SizeText(r.Size) }

// ForeignReference is the diarienummer as written when it is not one of
// this service's numbers, or "".
func (r *docReview) ForeignReference() string {
	if r.Reference == "" || r.Reference == r.Number {
		return ""
	}
	return r.Reference
}

// fieldNotes are the warnings of a review by field, as intake names them:
// "title", "route[0]", "approvers" (a whole list).
type fieldNotes map[string]httpx.Messages

func notesOf(ws []intake.Warning) fieldNotes {
	n := fieldNotes{}
	for _, w := range ws {
		n[w.Field] = append(n[w.Field], w.Message)
	}
	return n
}

// WarnOf returns the warnings of a field.
func (f *caseForm) WarnOf(field string) httpx.Messages { return f.notes[field] }

// WarnAt returns the warnings of row i of a list; those about the whole list
// go with its first row, as errors do (formErrors.At).
func (f *caseForm) WarnAt(list string, i int) httpx.Messages {
	msgs := f.notes[fmt.Sprintf("%s[%d]", list, i)]
	if i == 0 {
		msgs = append(slices.Clone(f.notes[list]), msgs...)
	}
	return msgs
}

// RowNote is row i's own warnings as the hidden field that carries them
// through a post of the form: one line each.
func (f *caseForm) RowNote(list string, i int) string {
	return strings.Join(f.notes[fmt.Sprintf("%s[%d]", list, i)], "\n")
}

// FieldNotes are the warnings not about one row, as the hidden fields that
// carry them: "field<TAB>message".
func (f *caseForm) FieldNotes() []string {
	var out []string
	for _, field := range sortedFields(f.notes) {
		if httpx.IndexedField.MatchString(field) {
			continue
		}
		for _, m := range f.notes[field] {
			out = append(out, field+"\t"+m)
		}
	}
	return out
}

// HasNotes reports whether the review has any warning.
func (f *caseForm) HasNotes() bool { return len(f.notes) > 0 }

// NoteLinks lists the warnings for the summary at the top of the review,
// in the order of the form, each linked to its field.
func (f *caseForm) NoteLinks() []httpx.ErrorLink {
	var out []httpx.ErrorLink
	for _, field := range sortedFields(f.notes) {
		for _, m := range f.notes[field] {
			out = append(out, httpx.ErrorLink{Anchor: noteAnchor(field), Message: m})
		}
	}
	return out
}

// noteAnchor is the id a warning links to: the field's input, or for the
// document's number and its list of beslutsunderlag, their place in the
// note about the document.
func noteAnchor(field string) string {
	switch field {
	case "number":
		return "document-number"
	case "attachments":
		return "document-attachments"
	}
	return httpx.FieldAnchor(field)
}

// formOrder is the order of the form's fields, for the summary.
var formOrder = []string{"board", "officer", "number", "title", "summary", "proposals", "route", "approvers", "recipients",
	"background", "secret", "attachments"}

// sortedFields orders a review's fields as the form shows them: by
// formOrder, a list's rows by number after the list itself, and fields the
// form does not know last, by name.
func sortedFields(n fieldNotes) []string {
	key := func(field string) (int, int) {
		name, row := field, -1
		if m := httpx.IndexedField.FindStringSubmatch(field); m != nil {
			name = m[1]
			fmt.Sscan(m[2], &row)
		}
		pos := slices.Index(formOrder, name)
		if pos < 0 {
			pos = len(formOrder)
		}
		return pos, row
	}
	fields := make([]string, 0, len(n))
	for f := range n {
		fields = append(fields, f)
	}
	slices.SortFunc(fields, func(a, b string) int {
		pa, ra := key(a)
		pb, rb := key(b)
		if pa != pb {
			return pa - pb
		}
		if ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	return fields
}

// shiftNotes moves the warnings of op's list with its rows, so a warning
// stays beside the row it is about when a row above it is removed.
func (f *caseForm) shiftNotes(op rowOp) {
	n := f.rowCount(op.list)
	if n == 0 || len(f.notes) == 0 {
		return
	}
	rows := make([]httpx.Messages, n)
	for i := range rows {
		key := fmt.Sprintf("%s[%d]", op.list, i)
		rows[i] = f.notes[key]
		delete(f.notes, key)
	}
	for i, m := range edit(rows, op) {
		if len(m) > 0 {
			f.notes[fmt.Sprintf("%s[%d]", op.list, i)] = m
		}
	}
}

// readNotes reads the warnings the review form carries: the hidden "note"
// fields ("field<TAB>message") and one "<list>_note" per row, aligned with
// the rows readCaseForm keeps (rows left wholly empty are dropped with their
// warnings).
func readNotes(c *fiber.Ctx) fieldNotes {
	n := fieldNotes{}
	for _, v := range formValues(c, "note") {
		if field, msg, ok := strings.Cut(v, "\t"); ok && field != "" && msg != "" {
			n[field] = append(n[field], msg)
		}
	}
	kept := func(first, second string) []bool {
		as, bs := formValues(c, first), formValues(c, second)
		out := make([]bool, max(len(as), len(bs)))
		for i := range out {
			out[i] = strings.TrimSpace(at(as, i)+at(bs, i)) != ""
		}
		return out
	}
	lists := map[string][]bool{
		"proposals":  kept("proposals", ""),
		"route":      kept("route_body", "route_date"),
		"approvers":  kept("approver_email", "approver_position"),
		"recipients": kept("recipient_name", "recipient_email"),
	}
	for list, keep := range lists {
		notes := formValues(c, list+"_note")
		row := 0
		for i, k := range keep {
			if !k {
				continue
			}
			for _, line := range strings.Split(at(notes, i), "\n") {
				if line = strings.TrimSpace(line); line != "" {
					key := fmt.Sprintf("%s[%d]", list, row)
					n[key] = append(n[key], line)
				}
			}
			row++
		}
	}
	return n
}

// showDocumentPage is GET /cases/new/document: the upload form.
func (w *web) showDocumentPage(c *fiber.Ctx) error {
	u := httpx.CurrentUser(c)
	if !httpx.CanCreate(u) {
		return workflow.Errorf(workflow.EFORBIDDEN, httpx.NoCreate)
	}
	f := &documentForm{}
	if err := w.loadDocumentBoards(c, f, u); err != nil {
		return err
	}
	return w.renderDocumentForm(c, fiber.StatusOK, f, nil)
}

func (w *web) loadDocumentBoards(c *fiber.Ctx, f *documentForm, u workflow.User) error {
	boards, err := w.Store.Boards(c.UserContext())
	if err != nil {
		return err
	}
	var mine []workflow.Board
	for _, b := range boards {
		if u.Has(b.Code, workflow.RoleOfficer) || u.Has(b.Code, workflow.RoleSecretary) {
			mine = append(mine, b)
		}
	}
	if len(mine) > 1 {
		f.Boards = mine
	}
	return nil
}

func (w *web) renderDocumentForm(c *fiber.Ctx, status int, f *documentForm, errs httpx.FormErrors) error {
	return w.Render(c, status, "case_document", &httpx.View{Title: "Nytt ärende från dokument", Section: "new", Page: f, Errors: errs})
}

// submitDocument is POST /cases/new/document: reads the file; a file that
// cannot be read comes back on the form with the reason, and nothing is
// kept. A file that can be read is kept for the review, where what its text
// lacks shows.
func (w *web) submitDocument(c *fiber.Ctx) error {
	u := httpx.CurrentUser(c)
	if !httpx.CanCreate(u) {
		return workflow.Errorf(workflow.EFORBIDDEN, httpx.NoCreate)
	}
	f := &documentForm{Board: strings.TrimSpace(value(c, "board"))}
	if err := w.loadDocumentBoards(c, f, u); err != nil {
		return err
	}
	refuse := func(status int, msg string) error {
		return w.renderDocumentForm(c, status, f, httpx.FormErrors{{Field: "file", Message: msg}})
	}
	files := formFiles(c, "file")
	if len(files) == 0 {
		return refuse(fiber.StatusUnprocessableEntity, "Välj tjänsteskrivelsen att läsa in: en PDF, en Word-fil (.docx) eller en textfil")
	}
	a, err := httpx.ReadFile(files[0])
	if err != nil {
		if code := workflow.ErrorCode(err); code == workflow.ETOOLARGE {
			return refuse(httpx.StatusOf[code], workflow.ErrorMessage(err))
		}
		return err
	}
	if db.CleanFileName(a.Name) == "" {
		return refuse(fiber.StatusUnprocessableEntity, "Filen saknar namn")
	}
	if _, err := intake.Read(c.UserContext(), a.Name, a.ContentType, a.Data); err != nil {
		msg, _ := httpx.ReadProblem(err)
		return refuse(fiber.StatusUnprocessableEntity, msg)
	}
	up, err := w.Store.SaveIntakeUpload(c.UserContext(), u, a)
	if err != nil {
		return err
	}
	path := "/cases/new/document/" + up.ID
	if f.Board != "" {
		path += "?board=" + f.Board
	}
	return c.Redirect(path, fiber.StatusSeeOther)
}

// loadReview reads the upload of the review page's id again: the upload,
// its report, and what the page says about it. Error: ENOTFOUND when the
// upload is not the user's or gone.
func (w *web) loadReview(c *fiber.Ctx, u workflow.User) (intake.Report, *docReview, error) {
	up, err := w.Store.IntakeUpload(c.UserContext(), c.Params("id"), u)
	if err != nil {
		return intake.Report{}, nil, err
	}
	r, err := intake.Read(c.UserContext(), up.Name, up.ContentType, up.Data)
	if err != nil {
		// It was read at the upload; a server that lost pdftotext since says so.
		msg, _ := httpx.ReadProblem(err)
		return intake.Report{}, nil, workflow.Errorf(workflow.EINVALID, "%s", msg)
	}
	if r.Number != "" {
		// A number already in use (the document registered before, or a
		// number of the old system's series) is no number for a new case:
		// it gets the next number, and the document's stays beside it.
		if _, err := w.Store.Case(c.UserContext(), r.Number); err == nil {
			r.Warnings = append(r.Warnings, intake.Warning{Field: "number", Message: fmt.Sprintf(
				"Diarienumret %s finns redan i Beslutsgång: det här ärendet får ett nytt nummer, och %s sparas som dokumentets diarienummer", r.Number, r.Number)})
			r.Number = ""
		}
	}
	return r, &docReview{ID: up.ID, Name: up.Name, Size: up.Size(), SHA256: up.SHA256, Number: r.Number,
		Reference: r.Reference, Attachments: r.Attachments}, nil
}

// reviewGone answers a review page whose upload loadReview did not find:
// one already registered (the back button after Registrera, or a second
// press) leads to its case with a notice; otherwise err.
func (w *web) reviewGone(c *fiber.Ctx, u workflow.User, err error) error {
	if workflow.ErrorCode(err) != workflow.ENOTFOUND {
		return err
	}
	number, rerr := w.Store.RegisteredUpload(c.UserContext(), c.Params("id"), u)
	if rerr != nil || number == "" {
		return err
	}
	path := "/cases/" + url.PathEscape(number)
	return w.redirectNotice(c, path, path, fmt.Sprintf("Dokumentet är redan registrerat som ärende %s.", number))
}

// showReviewPage is GET /cases/new/document/{id}: the case form filled in
// from the document, each warning beside its field.
func (w *web) showReviewPage(c *fiber.Ctx) error {
	u := httpx.CurrentUser(c)
	if !httpx.CanCreate(u) {
		return workflow.Errorf(workflow.EFORBIDDEN, httpx.NoCreate)
	}
	r, rev, err := w.loadReview(c, u)
	if err != nil {
		return w.reviewGone(c, u, err)
	}
	boards, err := httpx.CreatableBoards(c.UserContext(), w.Store, u)
	if err != nil {
		return err
	}
	board := strings.TrimSpace(c.Query("board"))
	if board == "" {
		board = httpx.IntakeBoard(r, boards)
	}
	dir, err := httpx.IntakeDirectory(c.UserContext(), w.Store, board)
	if err != nil {
		return err
	}
	in, warnings := r.Draft(dir)
	in.Number = ""
	if board != "" && !u.Has(board, workflow.RoleOfficer) {
		// A secretary registering for an officer: "Jag själv" cannot be the handläggare.
		warnings = append(warnings, intake.Warning{Field: "officer", Message: fmt.Sprintf(
			"Du är inte handläggare för %s: välj ärendets handläggare", board)})
	}
	f := &caseForm{Post: "/cases/new/document/" + rev.ID, In: in, Review: rev, notes: notesOf(warnings)}
	if err := w.loadChoices(c.UserContext(), f, u); err != nil {
		return err
	}
	return w.renderCaseForm(c, fiber.StatusOK, f, nil, "")
}

// submitReview is POST /cases/new/document/{id}: a row button draws the
// review again; "Registrera ärendet" registers the case with the document as
// its first attachment and its beslutsunderlag listed after it, and marks
// the upload registered. A document that carries one of this service's numbers is
// imported with it (as beslutsgang import does). What the store refuses
// shows on the review, and nothing is registered.
func (w *web) submitReview(c *fiber.Ctx) error {
	u := httpx.CurrentUser(c)
	if !httpx.CanCreate(u) {
		return workflow.Errorf(workflow.EFORBIDDEN, httpx.NoCreate)
	}
	_, rev, err := w.loadReview(c, u)
	if err != nil {
		return w.reviewGone(c, u, err)
	}
	f := &caseForm{Post: "/cases/new/document/" + rev.ID, In: readCaseForm(c), Review: rev, notes: readNotes(c)}
	return w.postCaseForm(c, f, formPost{
		save: func(in db.CaseInput) (workflow.Case, error) {
			in.Number = rev.Number
			in.Reference = rev.ForeignReference()
			for _, name := range rev.Attachments {
				in.Documents = append(in.Documents, db.NewAttachment{Name: name})
			}
			return w.Store.CreateCaseFromUpload(c.UserContext(), rev.ID, in, u, rev.Number != "")
		},
		check: func(in db.CaseInput) error { return w.Store.CheckCase(c.UserContext(), in, u) },
		fail:  w.caseFormFailed,
		done:  "created", saved: "Ärendet är skapat",
	})
}
