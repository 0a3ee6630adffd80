package db

import (
	"context"
	"html/template"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
)

// DiaryFilter narrows the public diary.
type DiaryFilter struct {
	Board   string
	Year    int    // of the case number; 0: every year
	Query   string // words searched in what the diary shows (search.go); without FTS5 in the number and the title of cases that are not secret
	Page    int
	PerPage int
}

// DiaryEntry is one registered case as anyone may see it. A secret case shows
// no title and no officer, and its title is not searched.
type DiaryEntry struct {
	Number     string         `json:"number"`
	Board      string         `json:"board"`
	BoardName  string         `json:"board_name"`
	Registered workflow.Date  `json:"registered"`
	Title      string         `json:"title"`
	Withheld   bool           `json:"withheld"`
	Stage      workflow.Stage `json:"stage"`
	Officer    string         `json:"officer"`
	// Snippet is where a text query hit what the diary shows of the case, as
	// HTML: the text escaped, the hits in <mark>.
	Snippet template.HTML `json:"snippet,omitempty"`
}

// DiaryPage is one page of the public diary, newest registrations first, or
// the best hits first for a text query.
type DiaryPage struct {
	Items   []DiaryEntry `json:"items"`
	Total   int          `json:"total"`
	Page    int          `json:"page"`
	PerPage int          `json:"per_page"`
}

// Diary lists registered cases for the public diary.
func (s *Store) Diary(ctx context.Context, f DiaryFilter) (DiaryPage, error) {
	offset, err := pageWindow(&f.Page, &f.PerPage)
	if err != nil {
		return DiaryPage{}, err
	}
	var where []string
	var args []any
	if f.Board != "" {
		where, args = append(where, "boards.code = ?"), append(args, f.Board)
	}
	if f.Year != 0 {
		where, args = append(where, "cases.year = ?"), append(args, f.Year)
	}
	// A text query (search.go) matches what the diary shows, ranked.
	search := diarySearch(f.Query)
	where, args = append(where, search.where...), append(args, search.whereArgs...)
	order := "cases.created_at DESC, cases.id DESC"
	if search.rank != "" {
		order = search.rank + ", cases.id DESC"
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	from := ` FROM ` + search.from + `cases JOIN boards ON boards.id = cases.board_id JOIN users u ON u.id = cases.officer_id` + cond
	page := DiaryPage{Page: f.Page, PerPage: f.PerPage, Items: []DiaryEntry{}}
	if err := s.r.QueryRowContext(ctx, search.countWith+`SELECT COUNT(*)`+from, append(search.withArgs, args...)...).Scan(&page.Total); err != nil {
		return page, err
	}
	rows, err := s.r.QueryContext(ctx, search.with+`SELECT cases.number, boards.code, boards.name, cases.created_at,
		CASE WHEN cases.secret THEN '' ELSE cases.title END, cases.secret, cases.stage,
		CASE WHEN cases.secret THEN '' ELSE u.name END, `+search.cols+from+
		` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(append(search.withArgs, args...), f.PerPage, offset)...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	var hits []searchHit
	for rows.Next() {
		var e DiaryEntry
		var created string
		var hit searchHit
		if err := rows.Scan(&e.Number, &e.Board, &e.BoardName, &created, &e.Title, &e.Withheld, &e.Stage, &e.Officer,
			&hit.rid, &hit.rank); err != nil {
			return page, err
		}
		e.Registered = workflow.Today(parseTime(created))
		if e.Withheld {
			e.Title = workflow.WithheldText
		}
		page.Items = append(page.Items, e)
		hits = append(hits, hit)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	rows.Close()
	return page, s.fillSnippets(ctx, search, hits, func(i int, h template.HTML) { page.Items[i].Snippet = h })
}

// DiaryYears lists the years that have cases, newest first, for the diary's filter.
func (s *Store) DiaryYears(ctx context.Context) ([]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT year FROM cases ORDER BY year DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}
