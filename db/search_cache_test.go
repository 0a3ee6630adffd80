package db

import (
	"slices"
	"testing"
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
	before := f.s.SearchCacheStats()
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
	if after := f.s.SearchCacheStats(); testEngine == SQLite && (after.Hits != before.Hits+2 || after.Misses != before.Misses+2) {
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

// SearchCachePages below 0 keeps no page: every search is read.
func TestSearchCacheOff(t *testing.T) {
	f := newSearchFixture(t)
	f.s.SearchCachePages = -1
	number := f.create(t, "Medfinansiering av EU-projekt för unga", nil)
	for range 2 {
		if got := f.find(t, &f.p.officer, "EU-projekt"); !slices.Equal(got, []string{number}) {
			t.Fatalf("found %q, want %s", got, number)
		}
	}
	if st := f.s.SearchCacheStats(); st.Hits != 0 || st.Misses != 0 {
		t.Errorf("without a cache: %+v, want nothing counted", st)
	}
}
