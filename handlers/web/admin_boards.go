package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// boardsPage lists boards (nämnder) and their meeting bodies (organ), with a
// form for each. Errors name their form's fields with a prefix, board_ or
// body_, as the inputs' ids do.
type boardsPage struct {
	Boards   []workflow.Board
	Bodies   []workflow.Body
	Kinds    []workflow.BodyKind
	NewBoard workflow.Board
	NewBody  workflow.Body
}

// NoticeDays is the new body form's notice time as entered, empty for the default.
func (p *boardsPage) NoticeDays() string {
	if p.NewBody.NoticeDays == 0 {
		return ""
	}
	return strconv.Itoa(p.NewBody.NoticeDays)
}

var boardNotices = map[string]string{"board": "Nämnden är skapad.", "body": "Organet är skapat."}

// showBoardsPage is GET /admin/boards.
func (w *web) showBoardsPage(c *fiber.Ctx) error {
	return w.renderBoards(c, fiber.StatusOK, &boardsPage{}, &httpx.View{Notice: boardNotices[c.Query("done")]})
}

func (w *web) renderBoards(c *fiber.Ctx, status int, p *boardsPage, v *httpx.View) error {
	var err error
	if p.Boards, err = w.Store.Boards(c.UserContext()); err != nil {
		return err
	}
	if p.Bodies, err = w.Store.Bodies(c.UserContext()); err != nil {
		return err
	}
	p.Kinds = workflow.BodyKinds
	v.Title, v.Section, v.Page = "Nämnder och organ", "admin", p
	return w.Render(c, status, "admin_boards", v)
}

// submitNewBoard is POST /admin/boards.
func (w *web) submitNewBoard(c *fiber.Ctx) error {
	b := workflow.Board{Code: value(c, "code"), Name: value(c, "name")}
	if _, err := w.Store.CreateBoard(c.UserContext(), b); err != nil {
		return w.boardsFailed(c, &boardsPage{NewBoard: b}, "board_", err)
	}
	return c.Redirect("/admin/boards?done=board", fiber.StatusSeeOther)
}

// submitNewBody is POST /admin/bodies.
func (w *web) submitNewBody(c *fiber.Ctx) error {
	b := workflow.Body{Code: value(c, "code"), Name: value(c, "name"), Kind: workflow.BodyKind(value(c, "kind")),
		Board: value(c, "board")}
	p := &boardsPage{NewBody: b}
	if s := strings.TrimSpace(value(c, "notice_days")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return w.boardsFailed(c, p, "body_", &workflow.Error{Code: workflow.EINVALID,
				Fields: []workflow.FieldError{{Field: "notice_days", Message: "Skriv kallelsetiden som ett antal dagar, t.ex. 5"}}})
		}
		b.NoticeDays = n
		p.NewBody.NoticeDays = n
	}
	if _, err := w.Store.CreateBody(c.UserContext(), b); err != nil {
		return w.boardsFailed(c, p, "body_", err)
	}
	return c.Redirect("/admin/boards?done=body", fiber.StatusSeeOther)
}

// boardsFailed shows the page again with the form's values and messages; a
// code already taken is a message beside the code.
func (w *web) boardsFailed(c *fiber.Ctx, p *boardsPage, prefix string, err error) error {
	code := workflow.ErrorCode(err)
	if code != workflow.EINVALID && code != workflow.ECONFLICT {
		return err
	}
	errs, alert := httpx.ErrorsOf(err)
	if code == workflow.ECONFLICT {
		errs, alert = httpx.FormErrors{{Field: "code", Message: alert}}, ""
	}
	for i := range errs {
		errs[i].Field = prefix + errs[i].Field
	}
	return w.renderBoards(c, httpx.StatusOf[code], p, &httpx.View{Errors: errs, Alert: alert})
}
