package db

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"unsafe"

	"github.com/kommun/beslutsgang/workflow"
)

// A case read by staff is kept while the database is unchanged: asked
// again it is a hit and the same record; a secret case is still withheld
// from a reader it does not involve and whole for one it does, in either
// order; what a caller changes in its copy is not kept; a change to the
// case is seen at the next read.
func TestCaseRecordCache(t *testing.T) {
	s, p, in, c := secretCaseFixture(t)
	ctx := context.Background()
	read := func(u workflow.User) workflow.Case {
		t.Helper()
		got, _, err := s.As(&u).CaseRecord(ctx, c.Number)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	before := s.ListCacheStats()
	first := read(p.officer)
	again := read(p.officer)
	if !reflect.DeepEqual(first, again) {
		t.Errorf("read again:\n%+v\nfirst:\n%+v", again, first)
	}
	// On PostgreSQL any commit in the server (other tests' databases too)
	// moves the version between two reads.
	if after := s.ListCacheStats(); testEngine == SQLite && (after.Hits != before.Hits+1 || after.Misses != before.Misses+1) {
		t.Errorf("read twice: %d hits and %d misses, want 1 and 1", after.Hits-before.Hits, after.Misses-before.Misses)
	}
	if got := read(p.outsider); got.Title != workflow.WithheldText || got.Summary != "" || len(got.Proposals) != 0 {
		t.Errorf("an outsider reads the kept secret case as %q, %q, %q", got.Title, got.Summary, got.Proposals)
	}
	again = read(p.officer)
	if again.Title != in.Title || !reflect.DeepEqual(again, first) {
		t.Errorf("the officer reads %q after an outsider, want the whole case %q", again.Title, in.Title)
	}
	again.Title, again.Proposals[0], again.Route[0].Date = "Ändrad i en kopia", "Ändrat förslag", workflow.Date{}
	if got := read(p.officer); !reflect.DeepEqual(got, first) {
		t.Errorf("a caller's change to its copy was kept:\n%+v", got)
	}
	in.Title = "Hemlig placering av barn, rättad"
	in.Officer = ""
	if _, err := s.EditDraft(ctx, c.Number, first.Version, in, p.officer); err != nil {
		t.Fatal(err)
	}
	if got := read(p.officer); got.Title != in.Title || got.Version == first.Version {
		t.Errorf("after the edit the officer reads %q (version %d), want %q", got.Title, got.Version, in.Title)
	}
	if got := read(p.outsider); got.Title != workflow.WithheldText {
		t.Errorf("after the edit an outsider reads %q", got.Title)
	}
}

// secretCaseFixture is a store with the test organisation and a secret
// case of its officer, with the input it was made from.
func secretCaseFixture(t *testing.T) (*Store, people, CaseInput, workflow.Case) {
	t.Helper()
	s := mustOpen(t)
	p := mustOrg(t, s)
	in := caseInput(p, "Hemlig placering av barn")
	in.Secret = true
	c, err := s.CreateCase(context.Background(), in, p.officer)
	if err != nil {
		t.Fatal(err)
	}
	return s, p, in, c
}

// With the list cache off (ListCachePages below 0) every case read goes to
// the database.
func TestCaseRecordCacheOff(t *testing.T) {
	s := mustOpen(t)
	s.ListCachePages = -1
	p := mustOrg(t, s)
	c := mustCreate(t, s, p, "Ärende utan cache")
	for range 3 {
		if _, _, err := s.As(&p.officer).CaseRecord(context.Background(), c.Number); err != nil {
			t.Fatal(err)
		}
	}
	if st := s.ListCacheStats(); st.Hits != 0 || st.Misses != 0 {
		t.Errorf("cache off: %d hits, %d misses", st.Hits, st.Misses)
	}
}

// The records kept hold at most maxCachedRecordBytes as counted when kept,
// whatever is read and whenever the version moves; a record over
// maxCachedRecord is not kept.
func TestCaseRecordCacheBound(t *testing.T) {
	var c listCache
	big := make([]byte, 9000)
	for i := range big {
		big[i] = 'x'
	}
	for i := range 20000 {
		version := "1"
		if i > 15000 {
			version = "2"
		}
		rec := caseRecord{c: workflow.Case{Number: "ASN-2026-" + string(rune('A'+i%26)) + string(rune('a'+i/26%26)) + string(rune('0'+i/676%10)),
			Background: string(big[:i%len(big)])}}
		c.putRecord(version, rec.c.Number, rec)
		if i%250 != 0 && i != 15001 {
			continue
		}
		sum := 0
		for _, k := range c.records.Keys() {
			r, _ := c.records.Peek(k)
			sum += r.size()
		}
		if sum != c.recordBytes || c.recordBytes > maxCachedRecordBytes {
			t.Fatalf("after %d records: %d bytes counted, %d kept (at most %d)", i+1, c.recordBytes, sum, maxCachedRecordBytes)
		}
	}
	huge := caseRecord{c: workflow.Case{Number: "ASN-2026-1", Background: string(make([]byte, maxCachedRecord))}}
	c.putRecord("2", "ASN-2026-1", huge)
	if _, ok := c.getRecord("2", "ASN-2026-1"); ok {
		t.Error("a record over maxCachedRecord was kept")
	}
}

// The case number a request hands over may alias the request's buffer,
// which the HTTP server reuses for the next request: the cache keeps its
// own copy. Before it did, a key whose bytes changed under the map was not
// purged at the next commit, and once the buffer held the same number
// again the case read as it was before the commit.
func TestCaseRecordCacheKeepsItsOwnNumber(t *testing.T) {
	if testEngine != SQLite {
		return // the version is PRAGMA data_version's; on PostgreSQL other tests move it
	}
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	in := caseInput(p, "Första titeln")
	c1, err := s.CreateCase(ctx, in, p.officer)
	if err != nil {
		t.Fatal(err)
	}
	c2 := mustCreate(t, s, p, "Ett annat ärende")
	if len(c1.Number) != len(c2.Number) {
		t.Fatalf("numbers %s and %s differ in length", c1.Number, c2.Number)
	}
	buf := []byte(c1.Number)
	number := unsafe.String(&buf[0], len(buf)) // as Fiber's c.Params gives it
	officer := s.As(&p.officer)
	if _, _, err := officer.CaseRecord(ctx, number); err != nil {
		t.Fatal(err)
	}
	copy(buf, c2.Number) // the next request, for another case
	in.Title, in.Officer = "Andra titeln", ""
	if _, err := s.EditDraft(ctx, c1.Number, c1.Version, in, p.officer); err != nil {
		t.Fatal(err)
	}
	if _, _, err := officer.CaseRecord(ctx, c2.Number); err != nil {
		t.Fatal(err)
	}
	copy(buf, c1.Number)
	if got, _, err := officer.CaseRecord(ctx, number); err != nil || got.Title != in.Title {
		t.Errorf("after the edit %s reads %q, %v; want %q", c1.Number, got.Title, err, in.Title)
	}
}

// A case drawn for a reader (CaseView) is kept with its record: the same
// reader asking again gets the same bytes without a draw; another reader,
// or the same user with other roles, is drawn anew, and a secret case is
// drawn withheld for a reader it does not involve; a change to the case is
// drawn at the next read; the public is drawn each time.
func TestCaseViewKeptPerReader(t *testing.T) {
	s, p, in, c := secretCaseFixture(t)
	ctx := context.Background()
	draws := 0
	view := func(u *workflow.User) string {
		t.Helper()
		b, err := s.As(u).CaseView(ctx, c.Number, "test", func(c workflow.Case, _ []CaseParagraph) ([]byte, error) {
			draws++
			return []byte(fmt.Sprintf("%s v%d", c.Title, c.Version)), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	want := fmt.Sprintf("%s v%d", in.Title, c.Version)
	if got := view(&p.officer); got != want || draws != 1 {
		t.Fatalf("the officer: %q after %d draws, want %q", got, draws, want)
	}
	if got := view(&p.officer); got != want || (testEngine == SQLite && draws != 1) {
		t.Errorf("the officer again: %q after %d draws, want %q without a draw", got, draws, want)
	}
	if got := view(&p.outsider); got != fmt.Sprintf("%s v%d", workflow.WithheldText, c.Version) {
		t.Errorf("an outsider: %q", got)
	}
	// The officer made secretary of another board: a reader of their own.
	more := p.officer
	more.Grants = append(slices.Clone(more.Grants), workflow.Grant{Board: "KS", Role: workflow.RoleSecretary})
	before := draws
	if got := view(&more); got != want || draws != before+1 {
		t.Errorf("the officer with another role: %q after %d draws, want a draw of its own", got, draws-before)
	}
	before = draws
	view(nil)
	view(nil)
	if draws != before+2 {
		t.Errorf("the public: %d draws for two reads, want 2", draws-before)
	}

	in.Title = "Hemlig placering av barn, rättad"
	in.Officer = ""
	edited, err := s.EditDraft(ctx, c.Number, c.Version, in, p.officer)
	if err != nil {
		t.Fatal(err)
	}
	if got := view(&p.officer); got != fmt.Sprintf("%s v%d", in.Title, edited.Version) {
		t.Errorf("after the edit the officer reads %q", got)
	}
}
