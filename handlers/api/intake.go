package api

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
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

// intakeJSON is the answer of POST /api/v1/intake?dry_run=1: the case as
// it would be registered, and what to check.
type intakeJSON struct {
	Case        db.CaseInput     `json:"case"`
	Warnings    []intake.Warning `json:"warnings"`
	Reference   string           `json:"reference"`   // the diarienummer as written in the document, any form
	Attachments []string         `json:"attachments"` // the Beslutsunderlag, listed by name after the document
	File        intakeFileJSON   `json:"file"`
	// Errors is what registering it as it stands would be refused for, the
	// 422 of the same request without dry_run; empty when it would register.
	Errors []workflow.FieldError `json:"errors"`
}

type intakeFileJSON struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"` // bytes
	SHA256 string `json:"sha256"`
}

// apiIntake is POST /api/v1/intake: a tjänsteskrivelse (multipart field
// "file"; optional "board", the board's code, and "officer", the officer's
// e-mail for a secretary registering on their behalf) read into a case.
//
// With ?dry_run=1 (or dry_run, dry_run=true) it answers 200 with intakeJSON,
// whose errors say what the same request without dry_run would be refused
// for, and registers nothing.
// Without, it registers the case as read and mapped (ImportCase when the
// document carries one of this service's numbers, CreateCase otherwise)
// with the file as its first attachment and its Beslutsunderlag listed by
// name after it, and answers 201 with the case and its Location. What a case
// cannot be registered with is refused, 422 with field errors: no title, no
// proposals, a route date that is no real day, a body or a person under
// Ansvariga that matches nothing in the installation, and whatever
// CreateCase refuses (an unknown officer, a date that is no meeting). Other warnings (a recipient
// without a known address, a guess of the parser) do not block.
//
// A file that cannot be read is 422 (field "file"); 503 when the server
// lacks pdftotext for a PDF; 413 over db.MaxAttachmentSize.
func (s *Server) apiIntake(c *fiber.Ctx) error {
	u := httpx.CurrentUser(c)
	if !httpx.CanCreate(u) {
		return workflow.Errorf(workflow.EFORBIDDEN, httpx.NoCreate)
	}
	dryRun, err := dryRunOf(c)
	if err != nil {
		return err
	}
	a, err := httpx.ReadUpload(c)
	if err != nil {
		return err
	}
	if db.CleanFileName(a.Name) == "" {
		return httpx.FieldError("file", "Filen saknar namn")
	}
	ctx := c.UserContext()
	r, err := intake.Read(ctx, a.Name, a.ContentType, a.Data)
	if err != nil {
		msg, serverSide := httpx.ReadProblem(err)
		if serverSide {
			return httpx.WriteProblem(c, httpx.Problem{Type: "urn:beslutsgang:problem:no_pdftotext", Title: httpx.Titles[fiber.StatusServiceUnavailable],
				Status: fiber.StatusServiceUnavailable, Detail: msg, Instance: c.OriginalURL()})
		}
		return httpx.FieldError("file", msg)
	}
	board := strings.TrimSpace(c.FormValue("board"))
	if board == "" {
		boards, err := httpx.CreatableBoards(ctx, s.Store, u)
		if err != nil {
			return err
		}
		board = httpx.IntakeBoard(r, boards)
	}
	dir, err := httpx.IntakeDirectory(ctx, s.Store, board)
	if err != nil {
		return err
	}
	in, warnings := r.Draft(dir)
	in.Officer = strings.TrimSpace(c.FormValue("officer"))
	refusal := JoinRefusals(IntakeProblems(r, in, warnings), s.Store.CheckCase(ctx, in, u))
	if dryRun {
		sum := sha256.Sum256(a.Data)
		errs := []workflow.FieldError{}
		if refusal != nil {
			if p := httpx.ToProblem(refusal); len(p.Errors) > 0 {
				errs = p.Errors
			} else {
				errs = append(errs, workflow.FieldError{Field: fieldOfRefusal(refusal, in.Officer), Message: p.Detail})
			}
		}
		return c.JSON(intakeJSON{Case: in, Warnings: orEmpty(warnings), Reference: r.Reference,
			Attachments: orEmpty(r.Attachments), Errors: errs,
			File: intakeFileJSON{Name: db.CleanFileName(a.Name), Size: int64(len(a.Data)), SHA256: hex.EncodeToString(sum[:])}})
	}
	if refusal != nil {
		return refusal
	}
	in.Documents = []db.NewAttachment{a}
	for _, name := range r.Attachments {
		in.Documents = append(in.Documents, db.NewAttachment{Name: name})
	}
	var cs workflow.Case
	if in.Number != "" {
		cs, err = s.Store.ImportCase(ctx, in, u)
	} else {
		cs, err = s.Store.CreateCase(ctx, in, u)
	}
	if err != nil {
		return err
	}
	c.Location("/api/v1/cases/" + url.PathEscape(cs.Number))
	return c.Status(fiber.StatusCreated).JSON(toCaseJSON(cs, u))
}

// IntakeProblems is what keeps a document read by intake from being
// registered without review (POST /api/v1/intake, beslutsgang import): what
// r.Err names (no title, no proposals, a route date that is no real day), and
// every route step and approver that Draft left empty in in because the
// document's name matched nothing, with the warning that says why. It is an
// EINVALID *workflow.Error with one field error each ("title", "proposals",
// "route", "route[0]", "approvers[1]"), or nil when nothing blocks. Other
// warnings (a recipient without a known address, a guess) do not block.
func IntakeProblems(r intake.Report, in db.CaseInput, warnings []intake.Warning) error {
	var p workflow.Problems
	if err := r.Err(); err != nil {
		errs := []error{err}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			errs = j.Unwrap()
		}
		for _, e := range errs {
			field := ""
			switch {
			case errors.Is(e, intake.ErrNoTitle):
				field = "title"
			case errors.Is(e, intake.ErrNoProposals):
				field = "proposals"
			case errors.Is(e, intake.ErrBadRoute):
				field = "route"
			}
			p.Add(field, "%s", httpx.Capitalize(e.Error()))
		}
	}
	unmapped := func(field string) bool {
		var list string
		var i int
		if m := httpx.IndexedField.FindStringSubmatch(field); m != nil {
			list = m[1]
			fmt.Sscan(m[2], &i)
		}
		switch list {
		case "route":
			return i < len(in.Route) && in.Route[i].Body == ""
		case "approvers":
			return i < len(in.Approvers) && in.Approvers[i].Email == ""
		}
		return false
	}
	for _, w := range warnings {
		if unmapped(w.Field) {
			p.Add(w.Field, "%s", httpx.Capitalize(w.Message))
		}
	}
	if len(p) == 0 {
		return nil
	}
	return &workflow.Error{Code: workflow.EINVALID, Fields: p,
		Message: "Dokumentet kan inte registreras som det är; granska det med dry_run=1 eller i webbläsaren (Nytt ärende från dokument)"}
}

// dryRunOf reads the query parameter dry_run: present without a value, or
// 1 or true, is a dry run; 0 or false, or absent, is not. Any other value,
// the parameter given twice, or any other parameter is refused (422): a
// request that meant a dry run must never register by a typing slip.
func dryRunOf(c *fiber.Ctx) (bool, error) {
	var values, unknown []string
	c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) {
		if string(k) == "dry_run" {
			values = append(values, string(v))
		} else {
			unknown = append(unknown, string(k))
		}
	})
	switch {
	case len(unknown) > 0:
		// "DRY_RUN", "dry-run", "dryrun": a slip in the name must not register either.
		return false, httpx.FieldError(unknown[0], fmt.Sprintf("Okänd parameter %q: POST /api/v1/intake tar bara dry_run", unknown[0]))
	case len(values) == 0:
		return false, nil
	case len(values) > 1:
		return false, httpx.FieldError("dry_run", "dry_run får bara anges en gång")
	}
	switch strings.ToLower(values[0]) {
	case "", "1", "true":
		return true, nil
	case "0", "false":
		return false, nil
	}
	return false, httpx.FieldError("dry_run", "dry_run ska vara 1 eller true för en provläsning, 0 eller false (eller utelämnas) för att registrera")
}

// JoinRefusals is what keeps an intake from being registered, from the
// document (IntakeProblems) and from the store (CheckCase), as one error:
// the document's field errors, then the store's on other fields; an error
// without fields (a 403) as it is.
func JoinRefusals(doc, store error) error {
	switch {
	case doc == nil:
		return store
	case store == nil:
		return doc
	}
	var a, b *workflow.Error
	if !errors.As(doc, &a) || !errors.As(store, &b) || len(b.Fields) == 0 {
		return doc
	}
	p := workflow.Problems(slices.Clone(a.Fields))
	for _, f := range b.Fields {
		// The store's word on a row the document already explained (an
		// unmapped body is "Organet \"\" finns inte" to it) adds nothing.
		if !slices.ContainsFunc(p, func(x workflow.FieldError) bool { return x.Field == f.Field }) {
			p = append(p, f)
		}
	}
	return p.Err()
}

// fieldOfRefusal names the field a refusal without field errors is about:
// a 403 is about the officer when one was named, else about the board.
func fieldOfRefusal(err error, officer string) string {
	switch {
	case workflow.ErrorCode(err) != workflow.EFORBIDDEN:
		return ""
	case officer != "":
		return "officer"
	}
	return "board"
}
