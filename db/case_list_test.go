package db

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// secretListFixture is listFixture with secret cases in both boards, titles
// that tie but for case, a case titled as the withheld text itself, and cases
// registered in the same instant (ties on every time):
//
//	ASN-2026-6  Aaa hemlig placering             draft, secret           officer
//	ASN-2026-7  aaa öppen gemen                  draft                   officer2  (same instant as 8)
//	ASN-2026-8  Uppgiften omfattas av sekretess  draft                   officer   (same instant as 7)
//	ASN-2026-9  Zzz hemlig utredning             presidium, secret       officer   (same instant as 10)
//	ASN-2026-10 Avgifter inom hemtjänsten 2027   draft                   officer2  (same instant as 9)
//	KS-2026-2   Bbb hemlig upphandling           draft, secret           officer
//	KS-2026-3   Ärende utan datum                executive_board, undated
func secretListFixture(t *testing.T) (*Store, people, *clock) {
	t.Helper()
	s, p, clk := listFixtureClock(t)
	ctx := context.Background()
	tick := func() { clk.Set(clk.Now().Add(time.Minute)) }
	create := func(in CaseInput, officer workflow.User) string {
		in.Officer = officer.Email
		by := p.secretary
		if in.Board == "KS" {
			by = officer
		}
		c, err := s.CreateCase(ctx, in, by)
		if err != nil {
			t.Fatalf("CreateCase %s: %v", in.Title, err)
		}
		return c.Number
	}
	asn := func(title string, secret bool) CaseInput {
		in := caseInput(p, title)
		in.Secret = secret
		return in
	}
	ks := func(title string, secret bool, route []StepInput) CaseInput {
		in := caseInput(p, title)
		in.Board, in.Secret, in.Route, in.Approvers = "KS", secret, route, []ApproverInput{{Email: p.approver1.Email}}
		return in
	}
	tick()
	create(asn("Aaa hemlig placering", true), p.officer)
	tick()
	create(asn("aaa öppen gemen", false), p.officer2)
	create(asn(workflow.WithheldText, false), p.officer)
	tick()
	secret := create(asn("Zzz hemlig utredning", true), p.officer)
	create(asn("Avgifter inom hemtjänsten 2027", false), p.officer2)
	tick()
	create(ks("Bbb hemlig upphandling", true, []StepInput{{Body: "KS", Date: "2026-05-06"}}), p.officer)
	tick()
	undated := create(ks("Ärende utan datum", false, []StepInput{{Body: "KS"}}), p.officer)
	tick()
	mustReach(t, s, p, secret, workflow.StagePresidium)
	tick()
	mustAct(t, s, undated, p.officer, workflow.Command{Action: workflow.ActSubmit})
	mustAct(t, s, undated, p.approver1, workflow.Command{Action: workflow.ActApprove})
	return s, p, clk
}

// casesBefore is the case list as it was read before the list indexes
// (migration 0009): every case joined to its step, sorted by what the viewer
// sees, with LIMIT and OFFSET. The new list must give the same pages.
func casesBefore(ctx context.Context, s *Store, f CaseFilter) (CasePage, error) {
	sortColumns := map[string]string{
		"number":  "boards.code %[1]s, cases.year %[1]s, cases.serial %[1]s",
		"title":   "SHOWN_TITLE_SORT %[1]s", // the title as the viewer sees it, in Swedish order (0031)
		"stage":   "CASE cases.stage WHEN 'draft' THEN 0 WHEN 'approval' THEN 1 WHEN 'presidium' THEN 2 WHEN 'working_committee' THEN 3 WHEN 'board' THEN 4 WHEN 'executive_board' THEN 5 WHEN 'council' THEN 6 ELSE 7 END %[1]s",
		"updated": "cases.updated_at %[1]s",
		"date":    "COALESCE(rs.date, '') = '' ASC, rs.date %[1]s",
	}
	offset, err := pageWindow(&f.Page, &f.PerPage)
	if err != nil {
		return CasePage{}, err
	}
	terms, ok := sortColumns[f.Sort]
	if !ok {
		terms, f.Desc = sortColumns["updated"], true
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	order := fmt.Sprintf(terms, dir)
	var where []string
	var args []any
	if f.Stage != "" {
		where, args = append(where, "cases.stage = ?"), append(args, f.Stage)
	}
	if f.OpenOnly {
		where = append(where, "cases.stage <> 'closed'")
	}
	if f.Board != "" {
		where, args = append(where, "boards.code = ?"), append(args, f.Board)
	}
	visible := visibleTo(f.Viewer)
	order = strings.ReplaceAll(order, "SHOWN_TITLE_SORT", "CASE WHEN "+visible+" THEN cases.title_sort ELSE cases.public_title_sort END")
	if f.OfficerID != 0 {
		where, args = append(where, "cases.officer_id = ? AND "+visible), append(args, f.OfficerID)
	}
	for _, w := range strings.Fields(f.Query) {
		where = append(where, "(cases.number LIKE ? ESCAPE '\\' OR ("+visible+" AND cases.title LIKE ? ESCAPE '\\'))")
		like := "%" + escapeLike(w) + "%"
		args = append(args, like, like)
	}
	cond := ""
	if len(where) > 0 {
		cond = "WHERE " + strings.Join(where, " AND ")
	}
	from := `FROM cases JOIN boards ON boards.id = cases.board_id JOIN users u ON u.id = cases.officer_id
		LEFT JOIN route_steps rs ON rs.case_id = cases.id AND rs.pos = cases.step AND cases.stage NOT IN ('draft','approval','closed')
		LEFT JOIN bodies b ON b.id = rs.body_id ` + cond
	page := CasePage{Page: f.Page, PerPage: f.PerPage, Items: []CaseSummary{}}
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) `+from, args...).Scan(&page.Total); err != nil {
		return page, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT cases.number, boards.code, CASE WHEN `+visible+` THEN cases.title ELSE ? END AS shown_title,
		cases.stage, cases.secret, u.id, u.name, u.email, `+visible+`, COALESCE(b.name, ''), COALESCE(rs.date, ''), cases.version, cases.updated_at `+from+
		` ORDER BY `+order+`, cases.id `+dir+` LIMIT ? OFFSET ?`,
		append(append([]any{workflow.WithheldText}, args...), f.PerPage, offset)...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		var cs CaseSummary
		var date string
		var visible bool
		if err := rows.Scan(&cs.Number, &cs.Board, &cs.Title, &cs.Stage, &cs.Secret, &cs.Officer.ID, &cs.Officer.Name,
			&cs.Officer.Email, &visible, &cs.NextStep, &date, &cs.Version, &cs.UpdatedAt); err != nil {
			return page, err
		}
		cs.NextDate = parseDate(date)
		if !visible {
			cs.Officer = workflow.Person{Name: workflow.WithheldText}
		}
		page.Items = append(page.Items, cs)
	}
	return page, rows.Err()
}

// listViewers are the people a list is read as: the public, someone with no
// role, someone on one board each (who sees that board's secret cases and
// not the other's), and someone on both.
func listViewers(p people) map[string]*workflow.User {
	return map[string]*workflow.User{"public": nil, "no role": &p.outsider, "ASN": &p.secretary, "KS": &p.ksSecretary,
		"ASN and KS": &p.officer}
}

// listFilters are the filters of the case list, alone and together, as the
// page, the API and the start page offer them.
func listFilters(p people) []CaseFilter {
	return []CaseFilter{
		{}, {Stage: workflow.StageDraft}, {Stage: workflow.StagePresidium}, {Stage: workflow.StageBoard},
		{Board: "ASN"}, {Board: "KS"}, {Board: "NOPE"}, {OfficerID: p.officer.ID}, {OfficerID: p.officer2.ID},
		{OpenOnly: true}, {OpenOnly: true, OfficerID: p.officer.ID},
		{Board: "ASN", Stage: workflow.StageDraft}, {Board: "KS", OfficerID: p.officer.ID},
		{Stage: workflow.StageDraft, OfficerID: p.officer.ID}, {Board: "ASN", Stage: workflow.StageDraft, OfficerID: p.officer2.ID},
		{Query: "hemlig"}, {Query: "aaa"}, {Query: "ASN-2026"}, {Query: "riktlinjer", Board: "KS"},
	}
}

var listSorts = []string{"number", "title", "stage", "updated", "date", ""}

func summaryKeys(items []CaseSummary) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = fmt.Sprintf("%s|%s|%s|%s|%v|%v|%s|%s|%d|%s", it.Number, it.Board, it.Title, it.Stage, it.Secret, it.Officer,
			it.NextStep, it.NextDate, it.Version, it.UpdatedAt)
	}
	return out
}

// walkCases reads the whole list f a page of per at a time: by page number,
// by following Next from the first page, or by following Prev from the last
// page (a cursor with ID 0). It fails on a loop.
func walkCases(t *testing.T, s *Store, f CaseFilter, per int, how string) []CaseSummary {
	t.Helper()
	f.PerPage = per
	sort, desc := f.Sort, f.Desc
	if _, ok := caseSortKeys[sort]; !ok {
		sort, desc = "updated", true
	}
	return walkList(t, how, &Cursor{Sort: sort, Desc: desc, Back: true}, func(page int, c *Cursor) ([]CaseSummary, *Cursor, *Cursor, error) {
		f.Page, f.Cursor = page, c
		got, err := s.Cases(context.Background(), f)
		return got.Items, got.Next, got.Prev, err
	})
}

// walkList reads a whole list through read, which reads one page by number
// (c nil) or from a cursor: by page number ("pages"), by following next from
// the first page ("next"), or by following prev from last ("prev").
func walkList[T any](t *testing.T, how string, last *Cursor, read func(page int, c *Cursor) ([]T, *Cursor, *Cursor, error)) []T {
	t.Helper()
	var out []T
	switch how {
	case "pages":
		for page := 1; page < 100; page++ {
			items, _, _, err := read(page, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) == 0 {
				return out
			}
			out = append(out, items...)
		}
	case "next":
		items, next, _, err := read(1, nil)
		for range 100 {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, items...)
			if next == nil {
				return out
			}
			items, next, _, err = read(0, next)
		}
	case "prev":
		items, _, prev, err := read(0, last)
		for range 100 {
			if err != nil {
				t.Fatal(err)
			}
			out = append(slices.Clone(items), out...)
			if prev == nil {
				return out
			}
			items, _, prev, err = read(0, prev)
		}
	}
	t.Fatalf("%s: the walk does not end", how)
	return nil
}

// The case list reads every filter, sort and direction for every kind of
// viewer exactly as it did before it was served by indexes: the same rows in
// the same order with the same content, secret titles and officers withheld
// alike, whether read whole, page by page, or by cursor either way.
func TestCaseListUnchanged(t *testing.T) {
	sqliteOnly(t, "compares with the SQLite query the list had before its indexes")
	s, p, _ := secretListFixture(t)
	ctx := context.Background()
	for who, viewer := range listViewers(p) {
		for _, base := range listFilters(p) {
			for _, sort := range listSorts {
				for _, desc := range []bool{false, true} {
					f := base
					f.Viewer, f.Sort, f.Desc, f.PerPage = viewer, sort, desc, MaxPerPage
					name := fmt.Sprintf("%s %+v", who, base)
					name = strings.ReplaceAll(name, "Viewer:<nil> ", "")
					if base.Query != "" && s.FullTextSearch() {
						continue // the full-text search finds by its own rules (search_test.go)
					}
					before, err := casesBefore(ctx, s, f)
					if err != nil {
						t.Fatal(err)
					}
					after, err := s.Cases(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					want := summaryKeys(before.Items)
					if after.Total != before.Total || after.TotalCapped {
						t.Errorf("%s sort %q desc %v: total %d, before %d", name, sort, desc, after.Total, before.Total)
					}
					if got := summaryKeys(after.Items); !slices.Equal(got, want) {
						t.Errorf("%s sort %q desc %v:\n got %q\nwant %q", name, sort, desc, got, want)
						continue
					}
					if base.Query != "" || sort == "" {
						continue // read by pages the same way as without q, and as "updated"
					}
					for _, how := range []string{"pages", "next", "prev"} {
						if got := summaryKeys(walkCases(t, s, f, 4, how)); !slices.Equal(got, want) {
							t.Errorf("%s sort %q desc %v, by %s:\n got %q\nwant %q", name, sort, desc, how, got, want)
						}
					}
				}
			}
		}
	}
}

// Following Next from the first page reads every case once, in order, even
// when cases are registered between the pages: a new case lands before or
// after the place reached, and no other case moves.
func TestCaseCursorWalkWithInserts(t *testing.T) {
	for _, tc := range []struct {
		sort string
		desc bool
	}{{"number", false}, {"number", true}, {"updated", true}, {"title", false}, {"date", false}, {"date", true}, {"stage", true}} {
		t.Run(fmt.Sprintf("%s desc %v", tc.sort, tc.desc), func(t *testing.T) {
			s, p, clk := secretListFixture(t)
			ctx := context.Background()
			f := CaseFilter{Viewer: &p.secretary, Sort: tc.sort, Desc: tc.desc, PerPage: MaxPerPage}
			all, err := s.Cases(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			f.PerPage = 3
			var seen []string
			inserted := map[string]bool{}
			page, err := s.Cases(ctx, f)
			for i := 0; ; i++ {
				if err != nil {
					t.Fatal(err)
				}
				if i > 20 {
					t.Fatal("the walk does not end")
				}
				seen = append(seen, numbersOf(page)...)
				if page.Next == nil {
					break
				}
				// Register a case between the pages, with a title and date
				// that put it among the ones already read and to come.
				clk.Set(clk.Now().Add(time.Minute))
				in := caseInput(p, []string{"Aaa ny", "Mmm ny", "Zzz ny"}[i%3])
				c, err := s.CreateCase(ctx, in, p.officer)
				if err != nil {
					t.Fatal(err)
				}
				inserted[c.Number] = true
				f.Cursor = page.Next
				page, err = s.Cases(ctx, f)
			}
			var old []string
			count := map[string]int{}
			for _, n := range seen {
				if count[n]++; count[n] > 1 {
					t.Errorf("%s read twice: %q", n, seen)
				}
				if !inserted[n] {
					old = append(old, n)
				}
			}
			if want := numbersOf(all); !slices.Equal(old, want) {
				t.Errorf("read %q, want %q among the new ones", seen, want)
			}
		})
	}
}

// Cases that tie on every sort key (registered in the same instant, with the
// same title) are read once each, in id order, whichever way the list is
// walked.
func TestCaseCursorTies(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	var want []string
	for range 7 {
		in := caseInput(p, "Samma rubrik")
		in.Route = []StepInput{{Body: "KS"}}
		want = append(want, mustCreateInput(t, s, in, p.officer).Number)
	}
	for _, sort := range []string{"number", "title", "stage", "updated", "date"} {
		for _, desc := range []bool{false, true} {
			for _, how := range []string{"pages", "next", "prev"} {
				f := CaseFilter{Sort: sort, Desc: desc, Viewer: &p.outsider}
				got := numbersOf(CasePage{Items: walkCases(t, s, f, 2, how)})
				w := want
				if desc {
					w = slices.Clone(want)
					slices.Reverse(w)
				}
				if !slices.Equal(got, w) {
					t.Errorf("sort %s desc %v by %s: %q, want %q", sort, desc, how, got, w)
				}
			}
		}
	}
}

func mustCreateInput(t *testing.T, s *Store, in CaseInput, by workflow.User) workflow.Case {
	t.Helper()
	c, err := s.CreateCase(context.Background(), in, by)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A cursor the service did not make, or one for another order, is a
// *CursorError; a cursor of the title sort carries no title.
func TestCaseCursorRefused(t *testing.T) {
	s, p, _ := secretListFixture(t)
	ctx := context.Background()
	good := Cursor{Sort: "number", Key: "ASN-2026-000000003", ID: 3}
	for _, raw := range []string{"", "x", "!!!!", good.String() + "=", good.String() + "A", strings.ToUpper(good.String()),
		b64(`{"s":"number","k":"ASN-2026-000000003","i":3,"z":1}`), b64(`{"s":"number","i":-3}`), b64(`{"s":"number"}`),
		b64(`{"s":"number","k":"x"}`), b64(`{"s":"number", "i":3}`), b64(`{"s":"number","i":3} {}`), strings.Repeat("A", 700)} {
		if _, err := ParseCursor(raw); !isCursorError(err) {
			t.Errorf("ParseCursor(%q) = %v, want a CursorError", raw, err)
		}
	}
	if c, err := ParseCursor(good.String()); err != nil || c != good {
		t.Errorf("ParseCursor(String()) = %+v, %v", c, err)
	}
	for _, tc := range []struct {
		sort string
		desc bool
		c    Cursor
	}{
		{"number", false, Cursor{Sort: "updated", Desc: true, Key: "2026-03-02T08:01:00.000000Z", ID: 1}},
		{"number", true, good},
		{"number", false, Cursor{Sort: "number", Key: "ASN-2026-3", ID: 3}},
		{"stage", false, Cursor{Sort: "stage", Key: "9", ID: 3}},
		{"stage", false, Cursor{Sort: "stage", Key: "02", ID: 3}},
		{"updated", false, Cursor{Sort: "updated", Key: "igår", ID: 3}},
		{"date", false, Cursor{Sort: "date", Key: "2026-02-30", ID: 3}},
		{"title", false, Cursor{Sort: "title", Key: "Aaa", ID: 3}},
		{"title", false, Cursor{Sort: "title", ID: 999}},
	} {
		_, err := s.Cases(ctx, CaseFilter{Sort: tc.sort, Desc: tc.desc, Cursor: &tc.c})
		if !isCursorError(err) {
			t.Errorf("sort %s desc %v, cursor %+v: %v, want a CursorError", tc.sort, tc.desc, tc.c, err)
		}
	}
	// An insider's title sort: the cursors name rows, not titles.
	page, err := s.Cases(ctx, CaseFilter{Viewer: &p.officer, Sort: "title", PerPage: 2})
	if err != nil {
		t.Fatal(err)
	}
	for page.Next != nil {
		if page.Next.Key != "" {
			t.Fatalf("the title sort's cursor carries %q", page.Next.Key)
		}
		if page, err = s.Cases(ctx, CaseFilter{Viewer: &p.officer, Sort: "title", PerPage: 2, Cursor: page.Next}); err != nil {
			t.Fatal(err)
		}
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func isCursorError(err error) bool {
	var ce *CursorError
	return errors.As(err, &ce) && strings.Contains(ce.Message, "Sidmarkören")
}

// The count stops at the cap: past it, the list says how far it counted and
// that there are more; a page number past the cap is refused, and the
// cursor reads on to the end.
func TestCaseCountCapped(t *testing.T) {
	s, _, _ := secretListFixture(t)
	ctx := context.Background()
	s.CountCap = 4
	page, err := s.Cases(ctx, CaseFilter{Sort: "number", PerPage: 3})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 4 || !page.TotalCapped || len(page.Items) != 3 {
		t.Errorf("capped at 4: total %d capped %v, %d items", page.Total, page.TotalCapped, len(page.Items))
	}
	if page, _ := s.Cases(ctx, CaseFilter{Board: "KS", PerPage: 3}); page.Total != 3 || page.TotalCapped {
		t.Errorf("KS: total %d capped %v, want 3 exactly", page.Total, page.TotalCapped)
	}
	if _, err := s.Cases(ctx, CaseFilter{Sort: "number", PerPage: 3, Page: 2}); err != nil {
		t.Errorf("page 2 begins within the cap: %v", err)
	}
	_, err = s.Cases(ctx, CaseFilter{Sort: "number", PerPage: 2, Page: 3})
	if workflow.ErrorCode(err) != workflow.EINVALID || !strings.Contains(fmt.Sprint(err), "Sidan 3 ligger bortom de första 4 träffarna") {
		t.Errorf("page 3 of 2 past a cap of 4: %v", err)
	}
	all := walkCases(t, s, CaseFilter{Sort: "number"}, 3, "next")
	s.CountCap = 0
	want, _ := s.Cases(ctx, CaseFilter{Sort: "number", PerPage: MaxPerPage})
	if got := summaryKeys(all); !slices.Equal(got, summaryKeys(want.Items)) || want.TotalCapped || want.Total != len(all) {
		t.Errorf("by cursor past the cap: %d cases, want %d", len(all), want.Total)
	}
}

// A count that reached the cap is remembered for a moment, so a list of more
// than the cap is not counted again on every page; once the moment has
// passed, it is counted again, also where the list cache keeps the page
// (it keeps a page of a remembered count only as long as the count is
// remembered). A count below the cap is always exact.
func TestCappedCountRemembered(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	var drafts []workflow.Case
	for i := range 3 {
		drafts = append(drafts, mustCreate(t, s, p, fmt.Sprintf("Utkast %d", i)))
	}
	s.CountCap = 2
	count := func() (int, bool) {
		page, err := s.Cases(ctx, CaseFilter{Stage: workflow.StageDraft, PerPage: 3})
		if err != nil {
			t.Fatal(err)
		}
		return page.Total, page.TotalCapped
	}
	if n, capped := count(); n != 2 || !capped {
		t.Fatalf("3 drafts under a cap of 2: %d capped %v", n, capped)
	}
	for _, c := range drafts[:2] {
		if _, err := s.Act(ctx, c.Number, p.officer, workflow.Command{Action: workflow.ActSubmit, Version: c.Version}); err != nil {
			t.Fatal(err)
		}
	}
	if n, capped := count(); n != 2 || !capped {
		t.Errorf("within the moment: %d capped %v, want the remembered cap", n, capped)
	}
	for key := range s.cappedCounts.until {
		s.cappedCounts.until[key] = time.Now().Add(-time.Second) // the moment has passed
	}
	if n, capped := count(); n != 1 || capped {
		t.Errorf("after the moment: %d capped %v, want 1 exactly", n, capped)
	}
	mustCreate(t, s, p, "Ett utkast till")
	if n, capped := count(); n != 2 || capped {
		t.Errorf("a count below the cap is exact at once: %d capped %v, want 2", n, capped)
	}
}
