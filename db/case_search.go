package db

import (
	"context"
	"html/template"
	"slices"
	"strings"

	"github.com/kommun/beslutsgang/workflow"
)

// searchCaseOrder are the case list's orders for the hits of a full-text
// search, as ORDER BY terms on the sort keys of migration 0009; %[1]s is the
// direction, and the query adds cases.id in the same direction.
var searchCaseOrder = map[string]string{
	"number":  "cases.number_key %[1]s",
	"title":   "cases.shown_title COLLATE NOCASE %[1]s", // the title as the viewer sees it
	"stage":   "cases.stage_rank %[1]s",
	"updated": "cases.updated_at %[1]s",
	"date":    "cases.next_date = '' ASC, cases.next_date %[1]s", // undated last either way
}

// searchCases is a page of the case list for a full-text search (search.go):
// the hits, matched in what the viewer may see, by relevance unless sorted
// is set, then filtered by where. The hits are read whole and sorted (a
// ranked search costs what its matches cost, not what the database holds),
// so the pages go by number: a cursor is refused, and Next and Prev stay
// nil (NumberedOnly). The count stops at the cap as the list's does.
//
// As a list page, it first picks its rows, joining the hits to cases only
// for a filter or a sort on them, and only then reads what those rows show
// (caseSummaries).
func (s *Store) searchCases(ctx context.Context, q queryer, f CaseFilter, search searchPlan, where []string, args []any, offset int, sorted bool) (CasePage, error) {
	if f.Cursor != nil {
		return CasePage{}, badCursor("Sökträffar bläddras med sidnummer (page), inte med cursor")
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	order := strings.ReplaceAll(searchCaseOrder[f.Sort], "%[1]s", dir)
	if !sorted && search.rank != "" {
		order, dir = search.rank, "ASC"
	}
	from := `FROM search_hits`
	pick := args
	if sorted || len(where) > len(search.where) {
		cond := ""
		if len(where) > 0 {
			cond = " WHERE " + strings.Join(where, " AND ")
		}
		from = `FROM ` + search.from + `cases` + cond
		if f.Sort == "title" && sorted {
			from = `FROM ` + search.from + `(SELECT cases.*, CASE WHEN ` + visibleTo(f.Viewer) + ` THEN cases.title ELSE ? END AS shown_title FROM cases) AS cases` + cond
			pick = append([]any{workflow.WithheldText}, args...)
		}
	}
	// The page's rows carry the count of all hits (a window over the same
	// materialized hits), so the hits are matched once, not twice.
	rows, err := q.QueryContext(ctx, search.with+`SELECT search_hits.case_id, `+search.cols+`, COUNT(*) OVER () `+from+
		` ORDER BY `+order+`, search_hits.case_id `+dir+` LIMIT ? OFFSET ?`,
		append(append(slices.Clone(search.withArgs), pick...), f.PerPage, offset)...)
	if err != nil {
		return CasePage{}, err
	}
	page := CasePage{Page: f.Page, PerPage: f.PerPage, Items: []CaseSummary{}, NumberedOnly: true}
	var picked []listRow
	var hits []searchHit
	for rows.Next() {
		var r listRow
		var hit searchHit
		if err := rows.Scan(&r.ID, &hit.rid, &hit.rank, &page.Total); err != nil {
			rows.Close()
			return page, err
		}
		picked, hits = append(picked, r), append(hits, hit)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return page, err
	}
	if page.Total, page.TotalCapped, err = s.searchTotal(ctx, q, search, from, pick, page.Total, len(hits), f.Page, offset); err != nil {
		return CasePage{}, err
	}
	if page.Items, err = caseSummaries(ctx, q, f.Viewer, picked); err != nil {
		return page, err
	}
	return page, s.fillSnippets(ctx, search, hits, func(i int, h template.HTML) { page.Items[i].Snippet = h })
}

// searchTotal completes the count of a search page's hits, which its rows
// carry (total, a window over the hits the page was taken from): a page past
// the last hit has no row to carry it, so there the hits are counted. The
// count stops at the cap as the lists' counts do; a page that starts beyond
// the cap is EINVALID on "page".
func (s *Store) searchTotal(ctx context.Context, q queryer, search searchPlan, from string, args []any, total, rows, page, offset int) (int, bool, error) {
	if rows == 0 && offset > 0 {
		if err := q.QueryRowContext(ctx, search.countWith+`SELECT COUNT(*) `+strings.TrimPrefix(from, " "), append(slices.Clone(search.withArgs), args...)...).Scan(&total); err != nil {
			return 0, false, err
		}
	}
	if cap := s.countCap(); total > cap {
		if offset >= cap {
			var p workflow.Problems
			p.Add("page", "Sidan %d ligger bortom de första %s träffarna; smalna av sökningen", page, workflow.FormatCount(cap))
			return cap, true, p.Err()
		}
		return cap, true, nil
	}
	return total, false, nil
}
