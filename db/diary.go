package db

import (
	"context"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
)

// DiaryFilter narrows the public diary.
type DiaryFilter struct {
	Board   string
	Year    int    // of the case number; 0: every year
	Query   string // words in the number, or in the title of cases that are not secret
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
}

// DiaryPage is one page of the public diary, newest registrations first.
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
	for _, w := range strings.Fields(f.Query) {
		like := "%" + escapeLike(w) + "%"
		where = append(where, `(cases.number LIKE ? ESCAPE '\' OR (NOT cases.secret AND cases.title LIKE ? ESCAPE '\'))`)
		args = append(args, like, like)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	from := ` FROM cases JOIN boards ON boards.id = cases.board_id JOIN users u ON u.id = cases.officer_id` + cond
	page := DiaryPage{Page: f.Page, PerPage: f.PerPage, Items: []DiaryEntry{}}
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&page.Total); err != nil {
		return page, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT cases.number, boards.code, boards.name, cases.created_at,
		CASE WHEN cases.secret THEN '' ELSE cases.title END, cases.secret, cases.stage,
		CASE WHEN cases.secret THEN '' ELSE u.name END`+from+
		` ORDER BY cases.created_at DESC, cases.id DESC LIMIT ? OFFSET ?`, append(args, f.PerPage, offset)...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		var e DiaryEntry
		var created string
		if err := rows.Scan(&e.Number, &e.Board, &e.BoardName, &created, &e.Title, &e.Withheld, &e.Stage, &e.Officer); err != nil {
			return page, err
		}
		e.Registered = workflow.Today(parseTime(created))
		if e.Withheld {
			e.Title = workflow.WithheldText
		}
		page.Items = append(page.Items, e)
	}
	return page, rows.Err()
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
