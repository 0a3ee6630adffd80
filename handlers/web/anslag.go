package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/handlers/public"
	"github.com/kommun/beslutsgang/workflow"
)

// routesUIAnslag registers the page where a board's secretary posts other
// notices on the anslagstavla and takes them down (the public pages are in
// handlers/public). They are on the public group, between the anslagstavla's
// own pages and a notice's page, so they ask for a login themselves.
func (w *web) routesUIAnslag(ui fiber.Router) {
	ui.Get("/anslagstavla/new", httpx.RequireLogin, w.showNewNoticePage)
	ui.Post("/anslagstavla/new", httpx.RequireLogin, w.submitNewNotice)
	ui.Post("/anslagstavla/:id/remove", httpx.RequireLogin, w.submitRemoveNotice)
}

// newNoticePage is the form a secretary posts a notice with.
type newNoticePage struct {
	Boards []workflow.Board // the boards the user is secretary of
	In     workflow.NoticeInput
}

// secretaryBoards are the boards u is secretary of, or a 403 when none.
func (w *web) secretaryBoards(c *fiber.Ctx) ([]workflow.Board, error) {
	u := httpx.CurrentUser(c)
	all, err := w.Store.Boards(c.UserContext())
	if err != nil {
		return nil, err
	}
	var out []workflow.Board
	for _, b := range all {
		if u.Has(b.Code, workflow.RoleSecretary) {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return nil, workflow.Errorf(workflow.EFORBIDDEN, "Bara en nämndsekreterare kan anslå meddelanden på anslagstavlan")
	}
	return out, nil
}

// showNewNoticePage is GET /anslagstavla/new.
func (w *web) showNewNoticePage(c *fiber.Ctx) error {
	boards, err := w.secretaryBoards(c)
	if err != nil {
		return err
	}
	today := workflow.Today(w.Store.Now())
	in := workflow.NoticeInput{PostedOn: today.String(), DownOn: today.AddDays(workflow.AppealDays).String()}
	if len(boards) == 1 {
		in.Board = boards[0].Code
	}
	return w.renderNewNotice(c, fiber.StatusOK, &newNoticePage{Boards: boards, In: in}, &httpx.View{})
}

func (w *web) renderNewNotice(c *fiber.Ctx, status int, p *newNoticePage, v *httpx.View) error {
	v.Title, v.Section, v.Page = "Anslå ett meddelande", "anslag", p
	return w.Render(c, status, "anslag_new", v)
}

// submitNewNotice is POST /anslagstavla/new: the notice is posted, or the
// form comes back with the messages beside its fields and nothing saved.
func (w *web) submitNewNotice(c *fiber.Ctx) error {
	boards, err := w.secretaryBoards(c)
	if err != nil {
		return err
	}
	in := workflow.NoticeInput{Board: value(c, "board"), Title: value(c, "title"), Text: value(c, "text"),
		PostedOn: value(c, "posted_on"), DownOn: value(c, "down_on")}
	n, err := w.Store.CreateNotice(c.UserContext(), httpx.CurrentUser(c), in)
	if workflow.ErrorCode(err) == workflow.EINVALID {
		v := &httpx.View{}
		v.Errors, v.Alert = httpx.ErrorsOf(err)
		return w.renderNewNotice(c, fiber.StatusUnprocessableEntity, &newNoticePage{Boards: boards, In: in}, v)
	}
	if err != nil {
		return err
	}
	path, done := public.NoticeLink(n.ID), "posted"
	if n.Scheduled(workflow.Today(w.Store.Now())) {
		done = "scheduled"
	}
	return w.redirectNotice(c, path, path+"?done="+done, public.AnslagDone[done])
}

// submitRemoveNotice is POST /anslagstavla/:id/remove: a secretary takes a
// notice down before its day; it stays in the archive. One that has not
// gone up yet is withdrawn: it never shows to the public.
func (w *web) submitRemoveNotice(c *fiber.Ctx) error {
	id := c.Params("id")
	n, err := w.Store.TakeDownNotice(c.UserContext(), id, httpx.CurrentUser(c))
	if err != nil {
		return err
	}
	path, done := public.NoticeLink(n.ID), "removed"
	if n.Withdrawn() {
		done = "withdrawn" // taken down before it went up: it never shows
	}
	return w.redirectNotice(c, path, path+"?done="+done, public.AnslagDone[done])
}
