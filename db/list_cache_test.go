package db

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// A search asked again is answered from the cache while the database is
// unchanged, and read anew after any commit: through this store, or through
// another opened on the same database (a command run beside the service,
// another instance). Each viewer's page is their own.
func TestSearchCacheFollowsEveryCommit(t *testing.T) {
	f := newSearchFixture(t)
	first := f.create(t, "Medfinansiering av EU-projekt för unga", nil)
	same := func(got []string, want ...string) bool {
		slices.Sort(got)
		slices.Sort(want)
		return slices.Equal(got, want)
	}
	before := f.s.ListCacheStats()
	for range 2 {
		if got := f.find(t, &f.p.officer, "EU-projekt"); !same(got, first) {
			t.Fatalf("found %q, want %s", got, first)
		}
		if got := f.diary(t, "EU-projekt"); !same(got, first) {
			t.Fatalf("the diary found %q, want %s", got, first)
		}
	}
	// On PostgreSQL any commit in the server (other tests' databases too)
	// moves the version, so there a page may be read again.
	if after := f.s.ListCacheStats(); testEngine == SQLite && (after.Hits != before.Hits+2 || after.Misses != before.Misses+2) {
		t.Errorf("asked twice: %d hits and %d misses, want 2 and 2", after.Hits-before.Hits, after.Misses-before.Misses)
	}

	second := f.create(t, "Utvärdering av EU-projekt", nil)
	if got := f.find(t, &f.p.officer, "EU-projekt"); !same(got, first, second) {
		t.Errorf("after a case through the store: %q", got)
	}
	other, err := Open(f.s.path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.Now = f.s.Now
	third, err := other.CreateCase(f.ctx, caseInput(f.p, "EU-projekt i näringslivet"), f.p.officer)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.find(t, &f.p.officer, "EU-projekt"); !same(got, first, second, third.Number) {
		t.Errorf("after a case through another store: %q", got)
	}
	if got := f.diary(t, "EU-projekt"); !same(got, first, second, third.Number) {
		t.Errorf("the diary after a case through another store: %q", got)
	}

	// A secret case: its officer's page is not another's.
	secret := f.create(t, "Skyddat EU-projekt", func(in *CaseInput) { in.Secret = true })
	for range 2 {
		if got := f.find(t, &f.p.officer, "Skyddat EU-projekt"); !same(got, secret) {
			t.Errorf("its officer found %q, want %s", got, secret)
		}
		if got := f.find(t, &f.p.outsider, "Skyddat EU-projekt"); len(got) != 0 {
			t.Errorf("an outsider found %q after its officer", got)
		}
		if got := f.find(t, nil, "Skyddat EU-projekt"); len(got) != 0 {
			t.Errorf("the public found %q after its officer", got)
		}
	}
}

// A page of the case list or the diary asked again is answered from the
// cache while the database is unchanged, and read anew after any commit,
// through this store or another on the same database. Each viewer's page is
// their own: a case made secret shows its title to its officer only, at
// once, and each page and filter has its own place.
func TestListCacheFollowsEveryCommit(t *testing.T) {
	f := newSearchFixture(t)
	ctx := f.ctx
	first := f.create(t, "Bidrag till föreningar", nil)
	titles := func(viewer *workflow.User, filter CaseFilter) map[string]string {
		t.Helper()
		filter.Viewer, filter.PerPage = viewer, cmp.Or(filter.PerPage, MaxPerPage)
		page, err := f.s.Cases(ctx, filter)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, c := range page.Items {
			out[c.Number] = c.Title
		}
		if page.Total != len(page.Items) && filter.Cursor == nil && filter.PerPage == MaxPerPage {
			t.Fatalf("total %d, %d items", page.Total, len(page.Items))
		}
		return out
	}
	diary := func() map[string]string {
		t.Helper()
		page, err := f.s.Diary(ctx, DiaryFilter{PerPage: MaxPerPage})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, e := range page.Items {
			out[e.Number] = e.Title
		}
		return out
	}
	before := f.s.ListCacheStats()
	for range 2 {
		if got := titles(&f.p.outsider, CaseFilter{}); len(got) != 1 || got[first] != "Bidrag till föreningar" {
			t.Fatalf("the list: %v", got)
		}
		if got := diary(); len(got) != 1 || got[first] != "Bidrag till föreningar" {
			t.Fatalf("the diary: %v", got)
		}
	}
	if after := f.s.ListCacheStats(); testEngine == SQLite && (after.Hits != before.Hits+2 || after.Misses != before.Misses+2) {
		t.Errorf("asked twice: %d hits and %d misses, want 2 and 2", after.Hits-before.Hits, after.Misses-before.Misses)
	}

	// A case through another store on the same database.
	other, err := Open(f.s.path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.Now = f.s.Now
	second, err := other.CreateCase(ctx, caseInput(f.p, "Ny idrottshall"), f.p.officer)
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(&f.p.outsider, CaseFilter{}); len(got) != 2 || got[second.Number] != "Ny idrottshall" {
		t.Errorf("the list after a case through another store: %v", got)
	}
	if got := diary(); len(got) != 2 || got[second.Number] != "Ny idrottshall" {
		t.Errorf("the diary after a case through another store: %v", got)
	}

	// The first is made secret: withheld at once from the outsider and the
	// public, still shown to its officer.
	c, err := f.s.Case(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	in := caseInput(f.p, c.Title)
	in.Summary, in.Background, in.Proposals = "", "", nil
	in.Secret = true
	if _, err := f.s.EditDraft(ctx, first, c.Version, in, f.p.officer); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if got := titles(&f.p.officer, CaseFilter{}); got[first] != "Bidrag till föreningar" {
			t.Errorf("its officer sees %q", got[first])
		}
		if got := titles(&f.p.outsider, CaseFilter{}); got[first] != workflow.WithheldText {
			t.Errorf("an outsider sees %q after its officer", got[first])
		}
		if got := titles(nil, CaseFilter{}); got[first] != workflow.WithheldText {
			t.Errorf("the public sees %q after its officer", got[first])
		}
		if got := diary(); got[first] != workflow.WithheldText {
			t.Errorf("the diary shows %q", got[first])
		}
	}

	// Each page and filter is a page of its own.
	page1 := titles(&f.p.officer, CaseFilter{PerPage: 1, Page: 1})
	page2 := titles(&f.p.officer, CaseFilter{PerPage: 1, Page: 2})
	if len(page1) != 1 || len(page2) != 1 || maps.Equal(page1, page2) {
		t.Errorf("pages 1 and 2 of one: %v and %v", page1, page2)
	}
	if got := titles(&f.p.officer, CaseFilter{Stage: workflow.StageClosed}); len(got) != 0 {
		t.Errorf("closed cases: %v", got)
	}
	asc := titles(&f.p.officer, CaseFilter{PerPage: 1, Sort: "number"})
	desc := titles(&f.p.officer, CaseFilter{PerPage: 1, Sort: "number", Desc: true})
	if maps.Equal(asc, desc) {
		t.Errorf("the first by number up and down: %v and %v", asc, desc)
	}
}

// pageKey tells apart what a page is asked with, whatever the texts hold.
func TestPageKeyTellsRequestsApart(t *testing.T) {
	someone := workflow.User{ID: 7, Active: true, Grants: []workflow.Grant{{Board: "ASN", Role: workflow.RoleSecretary}}}
	other := someone
	other.Grants = nil
	pairs := [][2]string{
		{pageKey("cases", nil, "a", "b"), pageKey("cases", nil, "a|s1:b")},
		{pageKey("cases", nil, "ab", ""), pageKey("cases", nil, "a", "b")},
		{pageKey("cases", nil, 1), pageKey("cases", nil, int64(1))},
		{pageKey("cases", nil, 1), pageKey("cases", nil, "1")},
		{pageKey("cases", nil, []any{"a"}, "b"), pageKey("cases", nil, []any{"a", "b"})},
		{pageKey("cases", nil, (*Cursor)(nil)), pageKey("cases", nil, &Cursor{})},
		{pageKey("cases", nil, &Cursor{ID: 1}), pageKey("cases", nil, &Cursor{ID: 1, Back: true})},
		{pageKey("cases", &someone, 1), pageKey("cases", &other, 1)},
		{pageKey("cases", &someone, 1), pageKey("cases", nil, 1)},
		{pageKey("cases", nil, 1), pageKey("diary", nil, 1)},
	}
	for i, p := range pairs {
		if p[0] == p[1] {
			t.Errorf("pair %d: one key %q", i, p[0])
		}
	}
	if pageKey("cases", &someone, "a", &Cursor{ID: 3}) != pageKey("cases", &someone, "a", &Cursor{ID: 3}) {
		t.Error("the same request: two keys")
	}
}

// ListCachePages below 0 keeps no page: every search is read.
func TestListCacheOff(t *testing.T) {
	f := newSearchFixture(t)
	f.s.ListCachePages = -1
	number := f.create(t, "Medfinansiering av EU-projekt för unga", nil)
	for range 2 {
		if got := f.find(t, &f.p.officer, "EU-projekt"); !slices.Equal(got, []string{number}) {
			t.Fatalf("found %q, want %s", got, number)
		}
	}
	if st := f.s.ListCacheStats(); st.Hits != 0 || st.Misses != 0 {
		t.Errorf("without a cache: %+v, want nothing counted", st)
	}
}

// newVersionConn makes the search cache's next connection a new one: the
// idle one of its pool is closed.
func newVersionConn(s *Store) {
	s.listCache.db.SetMaxIdleConns(0)
	s.listCache.db.SetMaxIdleConns(1)
}

// PRAGMA data_version is a counter of the connection that asks it: two
// connections' values say nothing about each other (found by a review). When the connection
// that asks is given back (any error on it, a request whose context ended
// being the commonest), the next one pinned may report the very number the
// cached pages were read at, after commits the old one never saw: the cache
// then answers with pages of before those commits. Here a case made secret
// keeps its title in the public diary's search.
func TestSearchCacheVersionIsOfItsConnection(t *testing.T) {
	if testEngine != SQLite {
		return // PRAGMA data_version is SQLite's; PostgreSQL's snapshot is the server's
	}
	f := newSearchFixture(t)
	ctx := context.Background()
	number := f.create(t, "Medfinansiering av EU-projekt för unga", nil)

	page, err := f.s.Diary(ctx, DiaryFilter{Query: "EU-projekt", PerPage: MaxPerPage})
	if err != nil || len(page.Items) != 1 || page.Items[0].Withheld {
		t.Fatalf("before: %+v, %v", page.Items, err)
	}
	v1 := f.s.listCache.version

	// The case is made secret.
	c, err := f.s.Case(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	in := caseInput(f.p, c.Title)
	in.Summary, in.Background, in.Proposals = "", "", nil
	in.Secret = true
	if _, err := f.s.EditDraft(ctx, number, c.Version, in, f.p.officer); err != nil {
		t.Fatal(err)
	}

	// A search whose request has ended (its deadline, its client gone): the
	// version's connection goes back to the pool.
	gone, cancel := context.WithCancel(ctx)
	cancel()
	f.s.Diary(gone, DiaryFilter{Query: "EU-projekt", PerPage: MaxPerPage})

	// The next search pins another connection (here a new one).
	newVersionConn(f.s)
	page, err = f.s.Diary(ctx, DiaryFilter{Query: "EU-projekt", PerPage: MaxPerPage})
	if err != nil {
		t.Fatal(err)
	}
	v2, _ := f.s.dataVersion(ctx)
	t.Logf("version before the change %s, after it on the new connection %s", v1, v2)
	for _, e := range page.Items {
		if e.Number == number && !e.Withheld {
			t.Errorf("the public diary still shows the secret case %s as %q (hits %d)", number, e.Title, f.s.ListCacheStats().Hits)
		}
	}
}

// RememberPage keeps a drawn page while the database is unchanged, but a
// page over MaxRememberedPage is drawn each time, and the pages kept hold
// at most maxRememberedBytes together: the oldest go first.
func TestRememberPageBounded(t *testing.T) {
	if testEngine != SQLite {
		return // on PostgreSQL other tests' commits move the version between the calls
	}
	s := mustOpen(t)
	ctx := context.Background()
	draws := 0
	page := func(n int) func(context.Context) ([]byte, error) {
		return func(context.Context) ([]byte, error) { draws++; return make([]byte, n), nil }
	}
	for range 2 {
		if b, err := s.RememberPage(ctx, "small", page(10)); err != nil || len(b) != 10 {
			t.Fatalf("small: %d bytes, %v", len(b), err)
		}
	}
	if draws != 1 {
		t.Errorf("a small page asked twice: drawn %d times, want 1", draws)
	}
	draws = 0
	for range 2 {
		if b, err := s.RememberPage(ctx, "large", page(MaxRememberedPage+1)); err != nil || len(b) != MaxRememberedPage+1 {
			t.Fatalf("large: %d bytes, %v", len(b), err)
		}
	}
	if draws != 2 {
		t.Errorf("a page over the bound asked twice: drawn %d times, want 2", draws)
	}
	for i := range 2 * maxRememberedBytes / MaxRememberedPage {
		if _, err := s.RememberPage(ctx, strconv.Itoa(i), page(MaxRememberedPage)); err != nil {
			t.Fatal(err)
		}
	}
	s.listCache.mu.Lock()
	kept, n := s.listCache.bytes, s.listCache.pages.Len()
	s.listCache.mu.Unlock()
	if kept > maxRememberedBytes || kept < maxRememberedBytes-MaxRememberedPage {
		t.Errorf("after 64 pages of 1 MB: %d bytes kept in %d pages, want at most %d", kept, n, maxRememberedBytes)
	}
	draws = 0
	s.RememberPage(ctx, "63", page(MaxRememberedPage))
	s.RememberPage(ctx, "0", page(MaxRememberedPage))
	if draws != 1 {
		t.Errorf("the newest and the oldest page asked again: %d drawn, want 1 (the oldest)", draws)
	}
}

// A page drawn from a diary page whose total was a remembered cap is kept
// only while the cap is remembered, as the diary page itself is: once it is
// forgotten, the page is drawn again with the count as it is (found by a
// review: the drawn page said "more than" until the next commit).
func TestRememberedPageFollowsItsRememberedCap(t *testing.T) {
	if testEngine != SQLite {
		return
	}
	f := newSearchFixture(t)
	ctx := context.Background()
	f.s.CountCap = 2
	for i := range 3 {
		f.create(t, fmt.Sprintf("Ärende %d", i), nil)
	}
	var year int
	if err := f.s.r.QueryRowContext(ctx, `SELECT MAX(year) FROM cases`).Scan(&year); err != nil {
		t.Fatal(err)
	}
	filter := DiaryFilter{Year: year, PerPage: 10}
	if p, err := f.s.Diary(ctx, filter); err != nil || !p.TotalCapped {
		t.Fatalf("3 cases under a cap of 2: %+v %v", p, err)
	}
	// A commit takes one case out of the year: 2 left, not past the cap.
	if err := f.s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE cases SET year = year - 50 WHERE id = (SELECT MAX(id) FROM cases)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	draw := func(ctx context.Context) ([]byte, error) {
		p, err := f.s.Diary(ctx, filter)
		return fmt.Appendf(nil, "total %d capped %v items %d", p.Total, p.TotalCapped, len(p.Items)), err
	}
	if first, err := f.s.RememberPage(ctx, "diary", draw); err != nil || string(first) != "total 2 capped true items 2" {
		t.Fatalf("drawn while the cap is remembered: %s, %v", first, err)
	}
	f.s.cappedCounts.mu.Lock()
	f.s.cappedCounts.until = nil // the moment has passed
	f.s.cappedCounts.mu.Unlock()
	if again, err := f.s.RememberPage(ctx, "diary", draw); err != nil || string(again) != "total 2 capped false items 2" {
		t.Errorf("after the cap is forgotten: %s, %v; want total 2 capped false", again, err)
	}
}
