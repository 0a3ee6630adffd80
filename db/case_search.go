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
	"title":   "cases.shown_title %[1]s", // the title as the viewer sees it, in Swedish order (0031)
	"stage":   "cases.stage_rank %[1]s",
	"updated": "cases.updated_at %[1]s",
	"date":    "cases.next_date = '' ASC, cases.next_date %[1]s", // undated last either way
}

// searchCases is a page of the case list for a full-text search (search.go):
// the hits, matched in what the viewer may see and narrowed by the list's
// filters (searchFilter), by relevance unless sorted is set. The hits are
// read whole and sorted (a ranked search costs what its matches cost, not
// what the database holds), so the pages go by number: a cursor is refused,
// and Next and Prev stay nil (NumberedOnly). The count stops at the cap as
// the list's does. A page asked again while the database is unchanged comes
// from the store's listCache.
//
// As a list page, it first picks its rows, joining the hits to cases only
// for a sort on them, and only then reads what those rows show
// (caseSummaries).
func (s *Store) searchCases(ctx context.Context, q queryer, f CaseFilter, search searchPlan, offset int, sorted bool) (CasePage, error) {
	if f.Cursor != nil {
		return CasePage{}, badCursor("Sökträffar bläddras med sidnummer (page), inte med cursor")
	}
	key := pageKey("search-cases", f.Viewer, search.with, search.withArgs, f.Query, f.Sort, f.Desc, sorted, f.Page, f.PerPage, offset, s.countCap())
	return cachedPage(ctx, s, q, key, func() (CasePage, error) { return s.readSearchCases(ctx, q, f, search, offset, sorted) })
}

// readSearchCases reads the page of searchCases.
func (s *Store) readSearchCases(ctx context.Context, q queryer, f CaseFilter, search searchPlan, offset int, sorted bool) (CasePage, error) {
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	order := strings.ReplaceAll(searchCaseOrder[f.Sort], "%[1]s", dir)
	if !sorted && search.rank != "" {
		order, dir = search.rank, "ASC"
	}
	from := `FROM search_hits`
	if sorted {
		cond := " WHERE " + strings.Join(search.where, " AND ")
		from = `FROM ` + search.from + `cases` + cond
		if f.Sort == "title" {
			from = `FROM ` + search.from + `(SELECT cases.*, CASE WHEN ` + visibleTo(f.Viewer) + ` THEN cases.title_sort ELSE cases.public_title_sort END AS shown_title FROM cases) AS cases` + cond
		}
	}
	page := CasePage{Page: f.Page, PerPage: f.PerPage, Items: []CaseSummary{}, NumberedOnly: true}
	picked, hits, n, err := s.pickHits(ctx, q, search, from, nil, order+", search_hits.case_id "+dir, f.PerPage, f.Page, offset)
	if err != nil {
		return CasePage{}, err
	}
	page.Total, page.TotalCapped, page.SearchCut = n.total, n.capped, n.cut
	if page.Items, err = caseSummaries(ctx, q, f.Viewer, picked); err != nil {
		return page, err
	}
	return page, s.fillSnippets(ctx, search, hits, func(i int, h template.HTML) { page.Items[i].Snippet = h })
}

// searchCount is how many hits a search found: total up to the store's
// count cap, capped past it; cut when a filtered search stopped at its walk
// (searchFilter.walk) before it had read every match, so that total is what
// it found among the newest matches, and older cases may match too.
type searchCount struct {
	total       int
	capped, cut bool
}

// pickHits reads a search page's rows from the hits (from is the FROM
// clause over them, args are its arguments): the cases and the index rows
// they matched, in order, and the count of all hits as the lists count
// (stopping at the cap; a page that starts beyond it is EINVALID on
// "page"). The rows carry the count (a window over the same materialized
// hits), so the hits are matched once; only a page with no row to carry it
// counts them apart.
func (s *Store) pickHits(ctx context.Context, q queryer, search searchPlan, from string, args []any, order string,
	limit, page, offset int) ([]listRow, []searchHit, searchCount, error) {
	var n searchCount
	truncatedSQL := search.truncated
	if truncatedSQL == "" {
		truncatedSQL = "1 = 0" // false on both engines
	}
	rows, err := q.QueryContext(ctx, search.with+`SELECT search_hits.case_id, `+search.cols+`, COUNT(*) OVER (), `+truncatedSQL+` `+from+
		` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(append(slices.Clone(search.withArgs), args...), limit, offset)...)
	if err != nil {
		return nil, nil, n, err
	}
	var picked []listRow
	var hits []searchHit
	for rows.Next() {
		var r listRow
		var hit searchHit
		if err := rows.Scan(&r.ID, &hit.rid, &hit.rank, &n.total, &n.cut); err != nil {
			rows.Close()
			return nil, nil, n, err
		}
		picked, hits = append(picked, r), append(hits, hit)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, n, err
	}
	if len(hits) == 0 && (offset > 0 || search.truncated != "") {
		if err := q.QueryRowContext(ctx, search.countWith+`SELECT COUNT(*), `+truncatedSQL+` `+from,
			append(slices.Clone(search.withArgs), args...)...).Scan(&n.total, &n.cut); err != nil {
			return nil, nil, n, err
		}
	}
	n.capped = n.cut
	if cap := s.countCap(); n.total > cap {
		n.total, n.capped = cap, true
		if offset >= cap {
			var p workflow.Problems
			p.Add("page", "Sidan %d ligger bortom de första %s träffarna; smalna av sökningen", page, workflow.FormatCount(cap))
			return nil, nil, n, p.Err()
		}
	}
	return picked, hits, n, nil
}
