package handlers_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/internal/apitest"
)

// listJSON is a page of a list as the API writes it.
type listJSON struct {
	Items []struct {
		Number string
		ID     int64
	}
	Total       int
	TotalCapped bool `json:"total_capped"`
	Page        int
	Next, Prev  string
}

// apiList reads one page of an API list, with its Link header.
func apiList(t *testing.T, base, token, path string) (listJSON, map[string]string) {
	t.Helper()
	r := apitest.Send(t, http.DefaultClient, "GET", base+path, token, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	var page listJSON
	if err := json.Unmarshal(r.Body, &page); err != nil {
		t.Fatal(err)
	}
	return page, linkRels(r.Header.Get("Link"))
}

var linkValue = regexp.MustCompile(`<([^>]*)>; rel="([a-z]+)"`)

// linkRels reads an RFC 8288 Link header into rel -> address.
func linkRels(h string) map[string]string {
	out := map[string]string{}
	for _, m := range linkValue.FindAllStringSubmatch(h, -1) {
		out[m[2]] = m[1]
	}
	return out
}

func itemKeys(p listJSON) []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.Number+itoa(it.ID))
	}
	return out
}

// walkAPI follows next (or prev) from path and returns every row's key in
// the list's order, checking that the Link header agrees with the body.
func walkAPI(t *testing.T, base, token, path, rel string) []string {
	t.Helper()
	var out []string
	for range 50 {
		page, links := apiList(t, base, token, path)
		if rel == "next" {
			out = append(out, itemKeys(page)...)
		} else {
			out = append(itemKeys(page), out...)
		}
		next := page.Next
		if rel == "prev" {
			next = page.Prev
		}
		if links[rel] != next {
			t.Errorf("GET %s: Link %s is %q, the body says %q", path, rel, links[rel], next)
		}
		if next == "" {
			return out
		}
		if !strings.Contains(next, "cursor=") {
			t.Fatalf("%s link without a cursor: %s", rel, next)
		}
		path = next
	}
	t.Fatalf("the walk from %s does not end", path)
	return nil
}

// The API lists (cases, diary, outbox) go on by cursor: following next from
// the first page, or prev from the last page (the Link header's last), reads
// every row once, in order; page and per_page still work.
func TestAPIListsByCursor(t *testing.T) {
	s := newSiteWith(t, handlers.Config{}, withMail(t, 9))
	token := apiToken(t, s.Base, admin)
	for _, path := range []string{"/api/v1/cases?sort=number", "/api/v1/cases?sort=title&order=desc", "/api/v1/cases",
		"/api/v1/cases?board=ASN&sort=date", "/api/v1/diary?board=ASN", "/api/v1/diary", "/api/v1/outbox", "/api/v1/outbox?state=sent"} {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		all, _ := apiList(t, s.Base, token, path+sep+"per_page=200")
		want := itemKeys(all)
		if len(want) < 4 {
			t.Fatalf("%s: only %d rows", path, len(want))
		}
		if got := walkAPI(t, s.Base, token, path+sep+"per_page=3", "next"); !slices.Equal(got, want) {
			t.Errorf("%s by next: %q, want %q", path, got, want)
		}
		_, links := apiList(t, s.Base, token, path+sep+"per_page=3")
		if links["last"] == "" || links["prev"] != "" {
			t.Fatalf("%s: the first page's links are %v", path, links)
		}
		if got := walkAPI(t, s.Base, token, links["last"], "prev"); !slices.Equal(got, want) {
			t.Errorf("%s by prev from the last page: %q, want %q", path, got, want)
		}
		second, links := apiList(t, s.Base, token, path+sep+"per_page=3&page=2")
		if second.Page != 2 || !slices.Equal(itemKeys(second), want[3:min(6, len(want))]) || links["first"] == "" || links["prev"] == "" {
			t.Errorf("%s page 2: %+v, links %v", path, second, links)
		}
	}
}

// A cursor the service did not make, one for another sort, or one together
// with a page number is a 400 problem in Swedish, on the API and the pages.
func TestBadCursorIs400(t *testing.T) {
	s := newSite(t)
	token := apiToken(t, s.Base, admin)
	b := s.Browser()
	b.Login(admin)
	page, _ := apiList(t, s.Base, token, "/api/v1/cases?sort=number&per_page=2")
	nextURL, err := url.Parse(page.Next)
	if err != nil {
		t.Fatal(err)
	}
	next := nextURL.Query().Get("cursor")
	forged := base64.RawURLEncoding.EncodeToString([]byte(`{"s":"number","k":"'; DROP TABLE cases","i":1}`))
	for _, path := range []string{"/api/v1/cases?cursor=inte-en-markör", "/api/v1/cases?cursor=" + forged,
		"/api/v1/cases?sort=title&cursor=" + next, "/api/v1/cases?sort=number&page=2&cursor=" + next,
		"/api/v1/diary?cursor=" + next, "/api/v1/outbox?cursor=" + next, "/api/v1/cases?cursor=" + tampered(next)} {
		r := responseOf(apitest.Send(t, http.DefaultClient, "GET", s.Base+path, token, nil))
		p := wantProblem(t, r, http.StatusBadRequest)
		if d, _ := p["detail"].(string); !strings.Contains(d, "Sidmarkören") && !strings.Contains(d, "antingen page eller cursor") {
			t.Errorf("GET %s: %q", path, d)
		}
	}
	for _, path := range []string{"/cases?cursor=x", "/diarium?cursor=x", "/admin/outbox?cursor=x"} {
		if p := b.Get(path); p.Status != http.StatusBadRequest || !strings.Contains(html.UnescapeString(p.Body), "Sidmarkören") {
			t.Errorf("GET %s: %d %s", path, p.Status, p.Body)
		}
	}
}

// Past the count's cap a list says "Fler än …" instead of counting on, its
// pages are numbered as far as the cap and then go on by cursor, and the
// last page is one link away.
func TestListCountCapped(t *testing.T) {
	s := newSiteWith(t, handlers.Config{}, func(st *db.Store) {
		st.CountCap = 5
		withMail(t, 60)(st)
		u, err := st.UserByEmail(context.Background(), officer)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 20 {
			if _, err := st.CreateCase(context.Background(), db.CaseInput{Board: "ASN", Title: fmt.Sprintf("Extra %02d", i)}, u); err != nil {
				t.Fatal(err)
			}
		}
	})
	b := s.Browser()
	b.Login(admin)
	// 32 cases, 25 a page: page 1 begins within the cap of 5, page 2
	// would not, so the next page is read by cursor.
	p := b.Get("/cases?sort=number")
	p.Has(t, "Fler än 5 ärenden, sida 1.", "<span>Sida 1</span>", "ASN-2019-17886", `>Sista sidan</a>`)
	p.HasNot(t, "Sida 1 av", "KS-2026-1")
	next := html.UnescapeString(regexpFind(t, p.Body, `href="([^"]*)">Nästa sida`))
	last := html.UnescapeString(regexpFind(t, p.Body, `href="([^"]*)">Sista sidan`))
	if !strings.Contains(next, "cursor=") || !strings.Contains(last, "cursor=") || !strings.Contains(next, "sort=number") {
		t.Errorf("next %q, last %q: want cursors of the same sort", next, last)
	}
	for _, path := range []string{next, last} {
		lp := b.Get(path)
		lp.Has(t, "Fler än 5 ärenden.", "KS-2026-1", ">Föregående sida</a>", ">Första sidan</a>")
		lp.HasNot(t, "Nästa sida", "Sista sidan", "ASN-2019-17886")
	}
	if p := b.Get("/cases?sort=number&page=2"); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "bortom de första 5 träffarna") {
		t.Errorf("page 2, past the cap: %d", p.Status)
	}
	b.Get("/diarium").Has(t, "Fler än 5 ärenden, sida 1.", ">Sista sidan</a>")
	o := b.Get("/admin/outbox")
	o.Has(t, "(fler än 5)", "Fler än 5 meddelanden", ">Sista sidan</a>")

	token := apiToken(t, s.Base, admin)
	page, links := apiList(t, s.Base, token, "/api/v1/cases?per_page=2")
	if page.Total != 5 || !page.TotalCapped || links["last"] == "" {
		t.Errorf("capped API page: %+v %v", page, links)
	}
	r := responseOf(apitest.Send(t, http.DefaultClient, "GET", s.Base+"/api/v1/cases?per_page=2&page=4", token, nil))
	if p := wantProblem(t, r, http.StatusUnprocessableEntity); !strings.Contains(p["detail"].(string), "bortom de första 5 träffarna") {
		t.Errorf("page past the cap: %v", p)
	}
}

// withMail puts n sent messages in the outbox, as a setup of newSiteWith.
func withMail(t *testing.T, n int) func(*db.Store) {
	return func(st *db.Store) {
		raw, err := db.OpenRaw(st.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		for i := range n {
			if _, err := raw.Exec(`INSERT INTO outbox(dedupe_key, to_addr, subject, text_body, created_at, next_attempt_at, state, sent_at)
				VALUES (?, 'anna@example.org', ?, 'Text', '2026-03-02T08:00:00.000000Z', '2026-03-02T08:00:00.000000Z', 'sent', '2026-03-02T08:00:01.000000Z')`,
				fmt.Sprintf("test/%d", i), fmt.Sprintf("Meddelande %d", i)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// walkArrayAPI follows the Link header's next from path through a list API
// whose body is a JSON array, and returns each row's id (or number).
func walkArrayAPI(t *testing.T, base, token, path string) (ids []string, pages int) {
	t.Helper()
	for range 100 {
		r := apitest.Send(t, http.DefaultClient, "GET", base+path, token, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
		}
		var rows []struct{ ID int64 }
		if err := json.Unmarshal(r.Body, &rows); err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			ids = append(ids, itoa(row.ID))
		}
		pages++
		next := linkRels(r.Header.Get("Link"))["next"]
		if next == "" {
			return ids, pages
		}
		path = next
	}
	t.Fatalf("the walk from %s does not end", path)
	return nil, 0
}

// The meetings list and one's own bevakningar stay JSON lists in the API,
// with the next page in the Link header.
func TestArrayAPIsByCursor(t *testing.T) {
	s := newSite(t)
	token := apiToken(t, s.Base, secretary)
	for _, path := range []string{"/api/v1/meetings", "/api/v1/meetings?body=ASN", "/api/v1/me/deadlines"} {
		all, pages := walkArrayAPI(t, s.Base, token, path)
		if pages != 1 || len(all) < 3 {
			t.Fatalf("%s: %d rows on %d pages", path, len(all), pages)
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		got, pages := walkArrayAPI(t, s.Base, token, path+sep+"per_page=2")
		if !slices.Equal(got, all) || pages != (len(all)+1)/2 {
			t.Errorf("%s by 2: %q on %d pages, want %q", path, got, pages, all)
		}
	}
	r := responseOf(apitest.Send(t, http.DefaultClient, "GET", s.Base+"/api/v1/meetings?cursor=x", token, nil))
	wantProblem(t, r, http.StatusBadRequest)
}

// A GET whose reads pass the deadline is stopped and answers 503 in
// Swedish, on the API and the pages; a write is not bound by it.
func TestReadDeadline(t *testing.T) {
	s := newSiteWith(t, handlers.Config{ReadDeadline: time.Nanosecond}, nil)
	r := responseOf(apitest.Send(t, http.DefaultClient, "GET", s.Base+"/api/v1/diary", "", nil))
	if p := wantProblem(t, r, http.StatusServiceUnavailable); !strings.Contains(p["detail"].(string), "tog för lång tid") {
		t.Errorf("diary past the deadline: %v", p)
	}
	b := s.Browser()
	if p := b.Get("/diarium"); p.Status != http.StatusServiceUnavailable || !strings.Contains(p.Body, "tog för lång tid") {
		t.Errorf("the diary page past the deadline: %d", p.Status)
	}
	apiToken(t, s.Base, admin) // POST /api/v1/sessions reads and writes without the deadline
}

// The hits of a search are ranked over all of them and go by page number:
// next and prev carry page, and a cursor is refused.
func TestSearchPagesByNumber(t *testing.T) {
	s := newSite(t)
	token := apiToken(t, s.Base, admin)
	page, links := apiList(t, s.Base, token, "/api/v1/cases?q=riktlinjer&per_page=1")
	if len(page.Items) != 1 || page.Total != 2 || !strings.Contains(page.Next, "page=2") || strings.Contains(page.Next, "cursor") || links["next"] != page.Next {
		t.Fatalf("first page of hits: %+v, links %v", page, links)
	}
	second, links := apiList(t, s.Base, token, page.Next)
	if len(second.Items) != 1 || second.Next != "" || !strings.Contains(second.Prev, "page=1") || links["prev"] != second.Prev {
		t.Errorf("second page of hits: %+v, links %v", second, links)
	}
	cursor := (&db.Cursor{Sort: "updated", Desc: true, Key: "2026-03-02T08:00:00.000000Z", ID: 1}).String()
	r := responseOf(apitest.Send(t, http.DefaultClient, "GET", s.Base+"/api/v1/cases?q=riktlinjer&cursor="+cursor, token, nil))
	if p := wantProblem(t, r, http.StatusBadRequest); !strings.Contains(p["detail"].(string), "sidnummer") {
		t.Errorf("a cursor on hits: %v", p)
	}
}

// tampered is the cursor at the start of a query (cursor=…&per_page=…) with
// a character added to it, the rest of the query as it was.
func tampered(query string) string {
	cur, rest, _ := strings.Cut(query, "&")
	if rest != "" {
		rest = "&" + rest
	}
	return cur + "x" + rest
}
