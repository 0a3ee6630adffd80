package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"regexp"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// showNewCasePage is GET /cases/new.
func (w *web) showNewCasePage(c *fiber.Ctx) error {
	u := httpx.CurrentUser(c)
	if !httpx.CanCreate(u) {
		return workflow.Errorf(workflow.EFORBIDDEN, httpx.NoCreate)
	}
	f := &caseForm{Post: "/cases", Submission: newSubmission()}
	if err := w.loadChoices(c.UserContext(), f, u); err != nil {
		return err
	}
	if len(f.Boards) == 1 {
		f.In.Board = f.Boards[0].Code
	}
	return w.renderCaseForm(c, fiber.StatusOK, f, nil, "")
}

// submitNewCase is POST /cases: the new case form, or one of its row buttons.
func (w *web) submitNewCase(c *fiber.Ctx) error {
	u := httpx.CurrentUser(c)
	if !httpx.CanCreate(u) {
		return workflow.Errorf(workflow.EFORBIDDEN, httpx.NoCreate)
	}
	f := &caseForm{Post: "/cases", In: readCaseForm(c), Submission: value(c, "submission")}
	var key db.SubmissionKey
	if formID.MatchString(f.Submission) {
		key = db.SubmissionKey("web:" + f.Submission)
	} else {
		f.Submission = newSubmission() // none, or edited: this sending has no id to repeat
	}
	return w.postCaseForm(c, f, formPost{
		save: func(in db.CaseInput) (workflow.Case, error) {
			cs, created, err := w.Store.CreateCaseOnce(c.UserContext(), key, in, u)
			if err == nil && !created {
				return cs, errSentBefore
			}
			var we *workflow.Error
			if errors.As(err, &we) && len(we.Fields) == 1 && we.Fields[0].Field == "idempotency_key" {
				// Sent before, then changed (the back button): the form gets a
				// new id, so saving again registers a new case, knowingly.
				f.Submission = newSubmission()
				return cs, workflow.Errorf(workflow.ECONFLICT, "Formuläret har redan skickats en gång med andra uppgifter, och det ärendet är registrerat. "+
					"Spara igen om uppgifterna här ska bli ett nytt ärende.")
			}
			return cs, err
		},
		check: func(in db.CaseInput) error { return w.Store.CheckCase(c.UserContext(), in, u) },
		fail:  w.caseFormFailed,
		done:  "created", saved: "Ärendet är skapat",
	})
}

// errSentBefore is a new case form sent again: its case is registered.
var errSentBefore = errors.New("the form was sent before")

// formID is what newSubmission makes.
var formID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// newSubmission is a new case form's id: 16 random bytes in hex.
func newSubmission() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on a supported system
	}
	return hex.EncodeToString(b)
}

// formPost is what differs between creating a case and editing a draft.
type formPost struct {
	save  func(db.CaseInput) (workflow.Case, error)
	check func(db.CaseInput) error // what save would refuse, saving nothing
	fail  func(c *fiber.Ctx, f *caseForm, err error, hadFiles bool) error
	done  string // the confirmation to show on the case
	saved string // what to say when the case was saved but a file was not
	// unchanged reports a save that left the case as it was (an edit of
	// nothing, workflow.Result.Unchanged); nil: a save always changes it.
	unchanged func(workflow.Case) bool
}

// postCaseForm handles a post of the case form: a row button draws the form
// again, a save stores the case and then its files. Files are checked before
// anything is saved.
func (w *web) postCaseForm(c *fiber.Ctx, f *caseForm, fp formPost) error {
	files := formFiles(c, "files")
	if err := w.loadChoices(c.UserContext(), f, httpx.CurrentUser(c)); err != nil {
		return err
	}
	if op := readRowOp(c); op.exists {
		f.shiftNotes(op)
		op.apply(&f.In)
		f.Focus = op.focus(f)
		f.FilesLost = len(files) > 0
		return w.renderCaseForm(c, fiber.StatusOK, f, nil, "")
	}
	in := f.In
	w.fillPositions(c.UserContext(), &in)
	if errs := checkUploads(files); errs.Has() {
		// Nothing is saved; what else is wrong with the form shows too.
		if err := fp.check(in); workflow.ErrorCode(err) == workflow.EINVALID {
			fields, _ := httpx.ErrorsOf(err)
			errs = append(fields, errs...)
		}
		f.FilesLost = true
		return w.renderCaseForm(c, fiber.StatusUnprocessableEntity, f, errs, "")
	}
	cs, err := fp.save(in)
	if errors.Is(err, errSentBefore) { // a double click: the first made the case, with its files
		path := "/cases/" + url.PathEscape(cs.Number)
		return w.redirectNotice(c, path, path, "Formuläret hade redan skickats: ärendet "+cs.Number+" är skapat, och inget nytt ärende har registrerats.")
	}
	if err != nil {
		return fp.fail(c, f, err, len(files) > 0)
	}
	if err := w.attachUploads(c, cs.Number, files); err != nil {
		// The case is saved; say which file did not come along, on the case itself.
		return w.renderCase(c, httpx.StatusOf[workflow.ErrorCode(err)], cs.Number,
			&httpx.View{Alert: fp.saved + ", men en bilaga kunde inte sparas: " + workflow.ErrorMessage(err)})
	}
	path := "/cases/" + cs.Number
	done := fp.done
	if fp.unchanged != nil && len(files) == 0 && fp.unchanged(cs) {
		done = "unchanged"
	}
	if note := extraMeetingNote(cs); note != "" {
		return w.redirectNotice(c, path, path+"?done="+done, doneNotices[done]+note)
	}
	return c.Redirect(path+"?done="+done, fiber.StatusSeeOther)
}

// caseFormFailed shows the form again with the store's messages beside the
// fields; errors that are not about the form go to the error page.
func (w *web) caseFormFailed(c *fiber.Ctx, f *caseForm, err error, hadFiles bool) error {
	code := workflow.ErrorCode(err)
	if code != workflow.EINVALID && code != workflow.EFORBIDDEN && code != workflow.ECONFLICT {
		return err
	}
	f.FilesLost = hadFiles
	errs, alert := httpx.ErrorsOf(err)
	return w.renderCaseForm(c, httpx.StatusOf[code], f, errs, alert)
}

func (w *web) renderCaseForm(c *fiber.Ctx, status int, f *caseForm, errs httpx.FormErrors, alert string) error {
	title := "Nytt ärende"
	switch {
	case f.Edit():
		title = "Ändra utkast " + f.Number
	case f.Review != nil:
		title = "Granska ärendet från dokumentet"
	}
	return w.Render(c, status, "case_form", &httpx.View{Title: title, Section: "new", Page: f, Errors: errs, Alert: alert})
}
