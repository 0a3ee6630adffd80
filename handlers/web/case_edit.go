package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// showEditCasePage is GET /cases/:number/edit.
func (w *web) showEditCasePage(c *fiber.Ctx) error {
	cs, err := w.Store.Case(c.UserContext(), c.Params("number"))
	if err != nil {
		return err
	}
	u := httpx.CurrentUser(c)
	if p := newCasePage(cs, nil, u); !p.CanEdit {
		return w.renderCase(c, fiber.StatusConflict, cs.Number,
			&httpx.View{Alert: "Bara ett utkast kan ändras, av handläggaren eller nämndsekreteraren."})
	}
	in := db.InputOf(&cs)
	if !u.Has(cs.Board.Code, workflow.RoleSecretary) {
		in.Officer = ""
	}
	f := &caseForm{Post: "/cases/" + cs.Number + "/edit", Number: cs.Number, Version: cs.Version, In: in}
	if err := w.loadChoices(c.UserContext(), f, u); err != nil {
		return err
	}
	return w.renderCaseForm(c, fiber.StatusOK, f, nil, "")
}

// submitEditCase is POST /cases/:number/edit: the edit form, or one of its row buttons.
func (w *web) submitEditCase(c *fiber.Ctx) error {
	number := c.Params("number")
	u := httpx.CurrentUser(c)
	version := formVersion(c)
	f := &caseForm{Post: "/cases/" + number + "/edit", Number: number, Version: version, In: readCaseForm(c)}
	return w.postCaseForm(c, f, formPost{
		save: func(in db.CaseInput) (workflow.Case, error) {
			return w.Store.EditDraft(c.UserContext(), number, version, in, u)
		},
		check: func(in db.CaseInput) error { return w.Store.CheckDraftEdit(c.UserContext(), number, version, in, u) },
		fail:  w.editFailed,
		done:  "saved", saved: "Utkastet är sparat",
		unchanged: func(cs workflow.Case) bool { return cs.Version == version },
	})
}

// editFailed handles a refused edit. A draft someone else saved meanwhile
// comes back with this person's values and the new version, so saving again
// is a choice made knowingly; a case no longer in draft is shown as it is now.
func (w *web) editFailed(c *fiber.Ctx, f *caseForm, err error, hadFiles bool) error {
	if workflow.ErrorCode(err) != workflow.ECONFLICT {
		return w.caseFormFailed(c, f, err, hadFiles)
	}
	cs, lerr := w.Store.Case(c.UserContext(), f.Number)
	if lerr != nil {
		return lerr
	}
	if cs.Stage != workflow.StageDraft {
		return w.refused(c, f.Number, f.Version, err)
	}
	msg := "Någon annan har sparat utkastet medan du ändrade det, och dina ändringar är inte sparade. Öppna ärendet i en ny flik för att se den nya versionen. Sparar du det här formuläret ersätter dina uppgifter den versionen."
	if f.Version < 0 { // a version that was no number (formVersion)
		msg = workflow.ErrorMessage(err)
	}
	f.Version = cs.Version
	f.FilesLost = hadFiles
	return w.renderCaseForm(c, fiber.StatusConflict, f, nil, msg)
}
