package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// casesPerPage is how many cases one page of the list shows.
const casesPerPage = 25

// caseList is the case list page: the filter as chosen, the choices, one page of cases.
type caseList struct {
	Query    url.Values // the filter and sort as given, for links that keep them
	Filter   db.CaseFilter
	Officer  string // e-mail
	Stages   []workflow.Stage
	Boards   []workflow.Board
	Officers []workflow.User
	Result   db.CasePage
	Pager    httpx.Pager
}

// sortable are the columns the list sorts by, with their headings.
var sortable = []struct{ Key, Label string }{
	{"number", "Diarienummer"}, {"title", "Rubrik"}, {"stage", "Steg"}, {"date", "Nästa sammanträde"}, {"updated", "Senast ändrad"},
}

// Columns are the sortable headings with their links and sort state.
func (l *caseList) Columns() []sortColumn {
	out := make([]sortColumn, len(sortable))
	for i, s := range sortable {
		col := sortColumn{Key: s.Key, Label: s.Label, Sort: "none"}
		desc := false
		if l.Filter.Sort == s.Key {
			col.Sort = "ascending"
			if l.Filter.Desc {
				col.Sort = "descending"
			} else {
				desc = true // a second click reverses
			}
		}
		order := "asc"
		if desc {
			order = "desc"
		}
		col.Link = l.link(map[string]string{"sort": s.Key, "order": order, "page": ""})
		out[i] = col
	}
	return out
}

type sortColumn struct {
	Key, Label, Link string
	Sort             string // the aria-sort value
}

func (l *caseList) link(set map[string]string) string {
	q := url.Values{}
	for k, v := range l.Query {
		q[k] = v
	}
	for k, v := range set {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	return "/cases?" + q.Encode()
}

// Ranked reports whether the list is in order of relevance to a text query.
func (l *caseList) Ranked() bool {
	return l.Filter.Sort == "" && strings.TrimSpace(l.Filter.Query) != ""
}

// Updated shows a row's last change in Stockholm time.
func (l *caseList) Updated(cs db.CaseSummary) string {
	t, err := time.Parse(workflow.TimeLayout, cs.UpdatedAt)
	if err != nil {
		return cs.UpdatedAt
	}
	return httpx.FormatTime(t)
}

// showCaseListPage is GET /cases. Unknown filter values are named in a
// message and left out, so the page still lists cases.
func (w *web) showCaseListPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	l := &caseList{Query: url.Values{}, Stages: workflow.Stages}
	for _, k := range []string{"q", "stage", "board", "officer", "sort", "order"} {
		if v := c.Query(k); v != "" {
			l.Query.Set(k, v)
		}
	}
	var errs httpx.FormErrors
	bad := func(field, msg string) {
		errs = append(errs, workflow.FieldError{Field: field, Message: msg})
		l.Query.Del(field)
	}
	f := db.CaseFilter{Query: c.Query("q"), Sort: c.Query("sort"), Desc: c.Query("order") == "desc", PerPage: casesPerPage}
	if st := workflow.Stage(c.Query("stage")); st != "" {
		if st.Valid() {
			f.Stage = st
		} else {
			bad("stage", "Det finns inget steg som heter ”"+string(st)+"”")
		}
	}
	var err error
	if l.Boards, err = w.Store.Boards(ctx); err != nil {
		return err
	}
	if b := c.Query("board"); b != "" {
		if _, err := w.Store.Board(ctx, b); err == nil {
			f.Board = b
		} else {
			bad("board", "Det finns ingen nämnd med koden ”"+b+"”")
		}
	}
	users, err := w.Store.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.HasAnywhere(workflow.RoleOfficer) {
			l.Officers = append(l.Officers, u)
		}
	}
	if o := c.Query("officer"); o != "" {
		if u, err := w.Store.UserByEmail(ctx, o); err == nil {
			f.OfficerID, l.Officer = u.ID, u.Email
		} else {
			bad("officer", "Det finns ingen användare med e-postadressen ”"+o+"”")
		}
	}
	// A text query lists the best hits first unless a column was chosen.
	if _, ok := sortIndex(f.Sort); !ok {
		f.Sort, f.Desc = "updated", true
		if strings.TrimSpace(f.Query) != "" {
			f.Sort, f.Desc = "", false
		}
	}
	f.Page, _ = strconv.Atoi(c.Query("page"))
	if f.Page < 1 {
		f.Page = 1
	}
	if f.Cursor, err = httpx.ListCursor(c); err != nil {
		return err
	}
	if l.Result, err = w.Read(c).Cases(ctx, f); err != nil {
		return err
	}
	l.Filter = f
	r := l.Result
	l.Pager = httpx.NewPager(r.Page, r.Total, r.TotalCapped, casesPerPage, r.Next, r.Prev, r.Last, func(page int, cur *db.Cursor) string {
		return l.link(map[string]string{"page": httpx.PageParam(page), "cursor": httpx.CursorParam(cur)})
	})
	status := fiber.StatusOK
	if errs.Has() {
		status = fiber.StatusUnprocessableEntity
	}
	return w.Render(c, status, "cases", &httpx.View{Title: "Ärenden", Section: "cases", Page: l, Errors: errs})
}

func sortIndex(key string) (int, bool) {
	for i, s := range sortable {
		if s.Key == key {
			return i, true
		}
	}
	return 0, false
}
