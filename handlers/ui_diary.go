package handlers

import (
	"errors"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// diaryPage is the public diary: registered cases, newest first.
type diaryPage struct {
	Query  url.Values
	Filter db.DiaryFilter
	Boards []workflow.Board
	Years  []int
	Result db.DiaryPage
	Pager  pager
}

// pageLink is the diary's address with another page: by number, or from a cursor.
func (d *diaryPage) pageLink(page int, cur *db.Cursor) string {
	q := url.Values{}
	for k, v := range d.Query {
		q[k] = v
	}
	if page > 0 {
		q.Set("page", strconv.Itoa(page))
	}
	if cur != nil {
		q.Set("cursor", cur.String())
	}
	return "/diarium?" + q.Encode()
}

// showDiaryPage is GET /diarium, open to everyone.
func (w *web) showDiaryPage(c *fiber.Ctx) error {
	v := &view{Title: "Diarium", Section: "diary"}
	p := &diaryPage{Query: url.Values{}}
	for _, k := range []string{"board", "year", "q"} {
		if val := c.Query(k); val != "" {
			p.Query.Set(k, val)
		}
	}
	f, err := w.diaryFilter(c, casesPerPage)
	status := fiber.StatusOK
	var ce *db.CursorError
	if errors.As(err, &ce) {
		return err
	}
	if err != nil {
		status = fiber.StatusUnprocessableEntity
		v.Errors, v.Alert = errorsOf(err)
		f = db.DiaryFilter{Page: 1, PerPage: casesPerPage}
	}
	p.Filter = f
	ctx := c.UserContext()
	if p.Boards, err = w.store.Boards(ctx); err != nil {
		return err
	}
	if p.Years, err = w.store.DiaryYears(ctx); err != nil {
		return err
	}
	if p.Result, err = w.store.Diary(ctx, f); err != nil {
		return err
	}
	r := p.Result
	p.Pager = newPager(r.Page, r.Total, r.TotalCapped, f.PerPage, r.Next, r.Prev, r.Last, p.pageLink)
	v.Page = p
	return w.render(c, status, "diary", v)
}

// showDiaryCasePage is GET /diarium/:number: the case as the public sees it.
func (w *web) showDiaryCasePage(c *fiber.Ctx) error {
	d, err := w.loadPublicCase(c)
	if err != nil {
		return err
	}
	return w.render(c, fiber.StatusOK, "diary_case", &view{Title: d.Number + " " + d.Title, Section: "diary", Page: &d})
}
