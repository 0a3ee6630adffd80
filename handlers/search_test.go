package handlers_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/internal/docfixture"
)

// searchPage is a case list or diary page with the snippets of a search.
type searchPage struct {
	Items []struct {
		Number, Title, Snippet string
	}
	Total int
}

func searchCases(s *server, path string) searchPage {
	s.T.Helper()
	var p searchPage
	s.GetJSON(officer, path, &p)
	return p
}

func searchNumbers(p searchPage) []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.Number)
	}
	return out
}

// Search over HTTP: the API's list and diary take q, rank by relevance,
// combine it with the filters and carry the snippet; the files' text is
// found.
func TestSearchAPI(t *testing.T) {
	s := startServer(t)
	body := newCase()
	body["title"] = "Ansökan om medel för EU-projekt <script>alert(1)</script>"
	body["summary"] = "Medel till utbyte inom <b>förskoleverksamheten</b> 2027."
	c := apiCreate(s, body)
	ks := newCase()
	ks["board"], ks["title"] = "KS", "Samordning av EU-projekt"
	ks["route"], ks["approvers"] = []map[string]any{{"body": "KS", "date": "2026-04-02", "extra_meeting": true}}, []map[string]string{{"email": manager}}
	k := apiCreate(s, ks)

	got := searchCases(s, "/api/v1/cases?q=EU-projekt")
	if n := searchNumbers(got); len(n) < 2 || !slices.Contains(n[:2], c.Number) || !slices.Contains(n[:2], k.Number) {
		t.Errorf("q=EU-projekt: %q, want the two cases with it in the title first", n)
	}
	if got := searchCases(s, "/api/v1/cases?q=EU-projekt&board=KS"); !slices.Equal(searchNumbers(got), []string{k.Number}) || got.Total != 1 {
		t.Errorf("q with board: %+v", got)
	}
	got = searchCases(s, "/api/v1/cases?q=skola") // a part of förskoleverksamheten
	i := slices.Index(searchNumbers(got), c.Number)
	if i < 0 {
		t.Fatalf("q=skola: %q", searchNumbers(got))
	}
	if sn := got.Items[i].Snippet; !strings.Contains(sn, "&lt;b&gt;för<mark>skol</mark>everksamheten&lt;/b&gt;") {
		t.Errorf("snippet %q", sn)
	}
	// A chosen sort wins; without one the best hit comes first.
	if got := searchCases(s, "/api/v1/cases?q=redovisning&sort=number&per_page=200"); !slices.IsSortedFunc(got.Items, func(a, b struct{ Number, Title, Snippet string }) int {
		return strings.Compare(a.Number[:8], b.Number[:8]) // ASN-2019, ASN-2026 …
	}) || got.Total < 2 {
		t.Errorf("sorted by number: %q", searchNumbers(got))
	}

	// The text of uploaded files.
	pdf := docfixture.PDF(t, "Protokoll från SAMVERKANSRÅDET i Lund")
	if r := uploadFile(s, officer, c.Number, "file", "samverkan.pdf", pdf); r.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	docx := docfixture.DOCX(t, "Yttrande från UNGDOMSRÅDET om utbytet.")
	if r := uploadFile(s, officer, c.Number, "file", "yttrande.docx", docx); r.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	for _, q := range []string{"samverkansrådet", "ungdomsrådets"} {
		got := searchCases(s, "/api/v1/cases?q="+url.QueryEscape(q))
		if !slices.Equal(searchNumbers(got), []string{c.Number}) || !strings.Contains(got.Items[0].Snippet, "<mark>") {
			t.Errorf("q=%s: %+v", q, got)
		}
	}
	// Not in the diary: the report of a draft, and file contents.
	for _, q := range []string{"förskoleverksamheten", "samverkansrådet"} {
		if d, r := readDiary(s, "?q="+url.QueryEscape(q)); r.Status != http.StatusOK || d.Total != 0 {
			t.Errorf("diary q=%s: %d %+v", q, r.Status, d)
		}
	}
	if d, _ := readDiary(s, "?q=EU-projekt"); d.Total < 2 || d.Items[0].Number != k.Number && d.Items[0].Number != c.Number {
		t.Errorf("diary q=EU-projekt: %+v", d)
	}
	if d, _ := readDiary(s, "?q=2019-17886"); len(d.Items) != 1 || d.Items[0].Number != "ASN-2019-17886" {
		t.Errorf("diary by number: %+v", d)
	}
}

// Whatever a person types is searched as words: never a server error.
func TestSearchSyntaxOverHTTP(t *testing.T) {
	s := startServer(t)
	b := newSiteBrowser(t, s)
	for _, q := range []string{`"`, `"EU`, `NEAR(a b)`, `*`, `(`, `)`, `AND`, `OR NOT`, `a OR b`, `-`, `title:x`, `{a}:b`, `\`, `'`, "\u00a0"} {
		e := url.QueryEscape(q)
		for _, r := range []response{s.As(officer, "GET", "/api/v1/cases?q="+e, nil), s.Request("GET", "/api/v1/diary?q="+e, "", nil)} {
			if r.Status != http.StatusOK {
				t.Errorf("q=%q: %d %s", q, r.Status, r.Body)
			}
		}
		for _, path := range []string{"/cases?q=" + e, "/diarium?q=" + e} {
			if p := b.Get(path); p.Status != http.StatusOK {
				t.Errorf("%s: %d", path, p.Status)
			}
		}
	}
}

// newSiteBrowser is a logged-in officer's browser on the test server.
func newSiteBrowser(t *testing.T, s *server) *browser {
	t.Helper()
	site := &site{T: t, Base: s.Base, Store: s.Store}
	b := site.Browser()
	b.Login(officer)
	return b
}

// The pages show the snippet, escaped, in the order of relevance.
func TestSearchPages(t *testing.T) {
	s := startServer(t)
	body := newCase()
	body["title"] = "Lokaler för <script>alert('rubrik')</script> fritidsgårdar"
	body["summary"] = "Hyran för FRITIDSGÅRDARNA <img src=x onerror=alert(2)> höjs."
	c := apiCreate(s, body)
	b := newSiteBrowser(t, s)
	p := b.Get("/cases?q=fritidsgård")
	if p.Status != http.StatusOK {
		t.Fatalf("/cases?q=: %d", p.Status)
	}
	p.Has(t, `href="/cases/`+c.Number+`"`, "de som bäst matchar sökningen först", "&lt;script&gt;alert(&#39;rubrik&#39;)&lt;/script&gt;",
		`<span class="snippet">`, "<mark>FRITIDSGÅRDARNA</mark> &lt;img src=x onerror=alert(2)&gt;")
	p.HasNot(t, "<script>alert", "<img src=x")
	// The diary finds the case by its title, but a draft's report is not public.
	d := b.Get("/diarium?q=fritidsg%C3%A5rdar")
	d.Has(t, `href="/diarium/`+c.Number+`"`, "de som bäst matchar sökningen först")
	d.HasNot(t, "FRITIDSGÅRDARNA", "<script>alert")
}
