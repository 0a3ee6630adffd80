package public

import (
	"context"
	"errors"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// diaryPage is the public diary: registered cases, newest first.
type diaryPage struct {
	Query  url.Values
	Filter db.DiaryFilter
	Boards []workflow.Board
	Years  []int
	Result db.DiaryPage
	Pager  httpx.Pager
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
func (s *Server) showDiaryPage(c *fiber.Ctx) error {
	v := &httpx.View{Title: "Diarium", Section: "diary"}
	p := &diaryPage{Query: url.Values{}}
	for _, k := range []string{"board", "year", "q"} {
		if val := c.Query(k); val != "" {
			p.Query.Set(k, val)
		}
	}
	f, err := s.diaryFilter(c, diaryPerPage)
	status := fiber.StatusOK
	var ce *db.CursorError
	if errors.As(err, &ce) {
		return err
	}
	if err != nil {
		status = fiber.StatusUnprocessableEntity
		v.Errors, v.Alert = httpx.ErrorsOf(err)
		f = db.DiaryFilter{Page: 1, PerPage: diaryPerPage}
	}
	p.Filter = f
	fill := func(ctx context.Context, v *httpx.View) error {
		if p.Boards, err = s.Store.Boards(ctx); err != nil {
			return err
		}
		if p.Years, err = s.Store.DiaryYears(ctx); err != nil {
			return err
		}
		if p.Result, err = s.Store.Diary(ctx, f); err != nil {
			return err
		}
		r := p.Result
		p.Pager = httpx.NewPager(r.Page, r.Total, r.TotalCapped, f.PerPage, r.Next, r.Prev, r.Last, p.pageLink)
		v.Page = p
		return nil
	}
	if status == fiber.StatusOK {
		// The same page for every visitor who is not logged in.
		return s.RenderPublic(c, "diary", v, fill)
	}
	if err := fill(c.UserContext(), v); err != nil {
		return err
	}
	return s.Render(c, status, "diary", v)
}

// showDiaryCasePage is GET /diarium/:number: the case as the public sees it.
func (s *Server) showDiaryCasePage(c *fiber.Ctx) error {
	d, err := s.loadPublicCase(c)
	if err != nil {
		return err
	}
	return s.Render(c, fiber.StatusOK, "diary_case", &httpx.View{Title: d.Number + " " + d.Title, Section: "diary", Page: &d})
}

// diaryPerPage is the diary page's page size, as the staff's case list.
const diaryPerPage = 25
