package db

import (
	"context"
	"database/sql"
	"html/template"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// DiaryFilter narrows the public diary.
type DiaryFilter struct {
	Board   string
	Year    int    // of the case number; 0: every year
	Query   string // words searched in what the diary shows (search.go); without FTS5 in the number and the title of cases that are not secret
	Page    int    // from 1; ignored with a Cursor
	PerPage int
	// Cursor reads the page after (or before) a place in the diary
	// (DiaryPage.Next, Prev); its sort is "registered", newest first.
	Cursor *Cursor
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
// the best hits first for a text query. Total counts up to the store's
// CountCap, as CasePage's does.
type DiaryPage struct {
	Items       []DiaryEntry `json:"items"`
	Total       int          `json:"total"`
	TotalCapped bool         `json:"total_capped"`
	Page        int          `json:"page"` // 0 for a page read from a cursor
	PerPage     int          `json:"per_page"`
	// SearchCut is set when a text query with a filter stopped before it
	// had read every match, as CasePage's.
	SearchCut bool `json:"search_cut,omitempty"`
	// The neighbours, as in CasePage; a full-text search pages by number
	// only (NumberedOnly).
	Next, Prev, Last *Cursor `json:"-"`
	NumberedOnly     bool    `json:"-"`
	rememberedCount  string  // as CasePage's
}

// diarySort is the diary's one order: the time of registration, newest first.
const diarySort = "registered"

// Diary lists registered cases for the public diary, a page at a time, by
// one index walk (cases_registered, by board or year), as Cases does.
func (s *Store) Diary(ctx context.Context, f DiaryFilter) (DiaryPage, error) {
	return s.diary(ctx, s.r, f)
}

func (s *Store) diary(ctx context.Context, q queryer, f DiaryFilter) (DiaryPage, error) {
	offset, err := pageWindow(&f.Page, &f.PerPage)
	if err != nil {
		return DiaryPage{}, err
	}
	var where []string
	var args []any
	if f.Board != "" {
		where, args = append(where, "cases.board_id = (SELECT id FROM boards WHERE code = ?)"), append(args, f.Board)
	}
	if f.Year != 0 {
		where, args = append(where, "cases.year = ?"), append(args, f.Year)
	}
	// A text query (search.go) matches what the diary shows: without FTS5 as
	// LIKE conditions read as any other filter; with it, ranked hits read
	// by page number (searchDiary), the filters applied as the search reads
	// its matches.
	var ids *[2]int64
	if f.Year != 0 && strings.TrimSpace(f.Query) != "" {
		// A year's cases, numbered as registered, lie within an id range
		// the search then reads alone (searchFilter.ids).
		var lo, hi sql.NullInt64
		if err := q.QueryRowContext(ctx, `SELECT MIN(id), MAX(id) FROM cases WHERE year = ?`, f.Year).Scan(&lo, &hi); err != nil {
			return DiaryPage{}, err
		}
		ids = &[2]int64{lo.Int64, hi.Int64}
		if !lo.Valid {
			ids = &[2]int64{0, -1} // no case of that year: an empty range
		}
	}
	search := s.diarySearch(f.Query, where, args, ids)
	if search.with != "" {
		return s.searchDiary(ctx, q, f, search, offset)
	}
	// A page asked again while the database is unchanged comes from the
	// store's listCache, as a search's does.
	key := pageKey("diary", nil, f.Board, f.Year, f.Query, f.Page, f.PerPage, f.Cursor, offset, s.countCap())
	return cachedPage(ctx, s, q, key, func() (DiaryPage, error) {
		return s.readDiary(ctx, q, f, append(where, search.where...), append(args, search.whereArgs...), offset)
	})
}

// readDiary reads the page of the diary f asks for: the cases that match
// where, newest registrations first, and their count.
func (s *Store) readDiary(ctx context.Context, q queryer, f DiaryFilter, where []string, args []any, offset int) (DiaryPage, error) {
	list := keyset{table: "cases", id: "cases.id", desc: true, parts: []listPart{{{where: where, args: args, key: "cases.created_at"}}}}
	w := window{limit: f.PerPage, offset: offset}
	if c := f.Cursor; c != nil {
		if err := c.Fits(diarySort, true); err != nil {
			return DiaryPage{}, err
		}
		if c.ID != 0 {
			if _, err := time.Parse(workflow.TimeLayout, c.Key); err != nil {
				return DiaryPage{}, badCursor("Sidmarkören (cursor) är felaktig; börja om från första sidan")
			}
			w.pos = &listRow{ID: c.ID, Key: c.Key}
		}
		w.offset, w.back, f.Page = 0, c.Back, 0
	}
	page := DiaryPage{Page: f.Page, PerPage: f.PerPage, Items: []DiaryEntry{}}
	var err error
	if page.Total, page.TotalCapped, page.rememberedCount, err = s.countPage(ctx, q, "cases", where, args, f.Cursor == nil, f.Page, offset); err != nil {
		return page, err
	}
	rows, next, prev, err := list.pageOf(ctx, q, w, func(r listRow, back bool) *Cursor {
		return &Cursor{Sort: diarySort, Desc: true, Key: keyText(r.Key), ID: r.ID, Back: back}
	})
	if err != nil {
		return page, err
	}
	page.Next, page.Prev = next, prev
	if next != nil {
		page.Last = &Cursor{Sort: diarySort, Desc: true, Back: true}
	}
	page.Items, err = diaryEntries(ctx, q, rows)
	return page, err
}

// diaryEntries reads the rows of a diary page, in its order.
func diaryEntries(ctx context.Context, q queryer, page []listRow) ([]DiaryEntry, error) {
	out := make([]DiaryEntry, len(page))
	if len(page) == 0 {
		return out, nil
	}
	at := make(map[int64]int, len(page))
	args := make([]any, len(page))
	for i, r := range page {
		at[r.ID], args[i] = i, r.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT cases.id, cases.number, boards.code, boards.name, cases.created_at,
		CASE WHEN cases.secret THEN '' ELSE cases.title END, cases.secret, cases.stage,
		CASE WHEN cases.secret THEN '' ELSE u.name END
		FROM cases JOIN boards ON boards.id = cases.board_id JOIN users u ON u.id = cases.officer_id
		WHERE cases.id IN (?`+strings.Repeat(",?", len(page)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e DiaryEntry
		var id int64
		var created string
		if err := rows.Scan(&id, &e.Number, &e.Board, &e.BoardName, &created, &e.Title, &e.Withheld, &e.Stage, &e.Officer); err != nil {
			return nil, err
		}
		e.Registered = workflow.Today(parseTime(created))
		if e.Withheld {
			e.Title = workflow.WithheldText
		}
		out[at[id]] = e
	}
	return out, rows.Err()
}

// DiaryYears lists the years that have cases, newest first, for the diary's
// filter: one seek of cases_year_registered per year, not a read of every
// case.
func (s *Store) DiaryYears(ctx context.Context) ([]int, error) {
	return cachedPage(ctx, s, s.r, "diary-years", func() (yearList, error) { return diaryYears(ctx, s.r) })
}

func diaryYears(ctx context.Context, q queryer) (yearList, error) {
	rows, err := q.QueryContext(ctx, `WITH RECURSIVE years(y) AS (
			SELECT MAX(year) FROM cases
			UNION ALL
			SELECT (SELECT MAX(year) FROM cases WHERE year < years.y) FROM years WHERE years.y IS NOT NULL)
		SELECT y FROM years WHERE y IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out yearList
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// searchDiary is a page of the diary's hits for a full-text search (narrowed
// by the diary's filters, searchFilter), the best first, by page number (as
// searchCases): its rows are picked from the hits and then read
// (diaryEntries). A page asked again while the database is unchanged comes
// from the store's listCache.
func (s *Store) searchDiary(ctx context.Context, q queryer, f DiaryFilter, search searchPlan, offset int) (DiaryPage, error) {
	if f.Cursor != nil {
		return DiaryPage{}, badCursor("Sökträffar bläddras med sidnummer (page), inte med cursor")
	}
	key := pageKey("search-diary", nil, search.with, search.withArgs, f.Query, f.Page, f.PerPage, offset, s.countCap())
	return cachedPage(ctx, s, q, key, func() (DiaryPage, error) { return s.readSearchDiary(ctx, q, f, search, offset) })
}

// readSearchDiary reads the page of searchDiary.
func (s *Store) readSearchDiary(ctx context.Context, q queryer, f DiaryFilter, search searchPlan, offset int) (DiaryPage, error) {
	order := "search_hits.case_id DESC"
	if search.rank != "" {
		order = search.rank + ", search_hits.case_id DESC"
	}
	page := DiaryPage{Page: f.Page, PerPage: f.PerPage, Items: []DiaryEntry{}, NumberedOnly: true}
	picked, hits, n, err := s.pickHits(ctx, q, search, `FROM search_hits`, nil, order, f.PerPage, f.Page, offset)
	if err != nil {
		return DiaryPage{}, err
	}
	page.Total, page.TotalCapped, page.SearchCut = n.total, n.capped, n.cut
	if page.Items, err = diaryEntries(ctx, q, picked); err != nil {
		return page, err
	}
	return page, s.fillSnippets(ctx, search, hits, func(i int, h template.HTML) { page.Items[i].Snippet = h })
}
