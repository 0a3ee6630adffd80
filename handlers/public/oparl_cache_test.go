package public_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/oparl"
)

// An OParl answer asked again while the database is unchanged comes from
// the list cache, as it was; after any change it is read anew at once. The
// URL base its links are written with is part of what it is kept by, and
// errors are never kept.
func TestOParlAnswersKeptUntilAChange(t *testing.T) {
	s := startServer(t)
	const path = "/oparl/v1.1/body/ASN/paper?elementsPerPage=100"
	first := s.Request("GET", path, "", nil)
	before := s.Store.ListCacheStats()
	again := s.Request("GET", path, "", nil)
	if first.Status != http.StatusOK || string(again.Body) != string(first.Body) {
		t.Fatalf("asked twice: %d, the same answer %v", first.Status, string(again.Body) == string(first.Body))
	}
	if got := again.Header.Get("Content-Type"); got != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	if again.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("a kept answer without its CORS header")
	}
	if after := s.Store.ListCacheStats(); after.Hits != before.Hits+1 || after.Misses != before.Misses {
		t.Errorf("asked again: %d hits and %d misses, want 1 and 0", after.Hits-before.Hits, after.Misses-before.Misses)
	}

	// The same address under another host name: its links name that host.
	req, _ := http.NewRequest("GET", s.Base+path, nil)
	req.Host = "beslut.kommun.example"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(other), `"http://beslut.kommun.example/oparl/v1.1/paper/`) || strings.Contains(string(other), s.Base) {
		t.Errorf("asked as beslut.kommun.example: the links of another host")
	}

	// A case's title changed: the next answer has it.
	var papers oparl.List
	first.Decode(t, &papers)
	editAPaper(t, s, papers, "title", "Helt ny ärendemening")
	if r := s.Request("GET", path, "", nil); !strings.Contains(string(r.Body), "Helt ny ärendemening") {
		t.Errorf("after the change: the old answer")
	}

	// An error is an error each time, never kept.
	before = s.Store.ListCacheStats()
	for range 2 {
		if r := s.Request("GET", "/oparl/v1.1/paper/ASN-1900-1", "", nil); r.Status != http.StatusNotFound || !strings.Contains(string(r.Body), oparl.TypeError) {
			t.Errorf("an unknown paper: %d %s", r.Status, r.Body)
		}
	}
	if after := s.Store.ListCacheStats(); after.Hits != before.Hits {
		t.Errorf("an error was answered from the cache")
	}
}
