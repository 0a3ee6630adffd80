package httpx

import (
	"strconv"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
)

func TestPager(t *testing.T) {
	link := func(page int, c *db.Cursor) string {
		if c != nil {
			return "/cases?cursor=" + strconv.FormatInt(c.ID, 10)
		}
		return "/cases?page=" + strconv.Itoa(page)
	}
	next, prev, last := &db.Cursor{ID: 7}, &db.Cursor{ID: 3, Back: true}, &db.Cursor{Back: true}
	for _, tt := range []struct {
		name                string
		page, total         int
		capped              bool
		next, prev          *db.Cursor
		label               string
		html, absent        []string
		perPage             int
		wantPages, wantPage int
	}{
		{"empty", 1, 0, false, nil, nil, "", nil, []string{"pagination"}, 25, 1, 1},
		{"one page", 1, 25, false, nil, nil, "", nil, []string{"pagination"}, 25, 1, 1},
		{"first of two", 1, 26, false, next, nil, "sida 1 av 2", []string{"Sida 1 av 2", `href="/cases?page=2">Nästa sida`}, []string{"Föregående", "Sista"}, 25, 2, 1},
		{"middle", 2, 60, false, next, prev, "sida 2 av 3", []string{"Sida 2 av 3", `href="/cases?page=1">Föregående sida`, `href="/cases?page=3">Nästa sida`}, []string{"Första"}, 25, 3, 2},
		{"last", 3, 60, false, nil, prev, "sida 3 av 3", []string{"Sida 3 av 3"}, []string{"Nästa sida"}, 25, 3, 3},
		// Past the count's cap the pages are not all known: numbered while
		// they begin within the cap, then by cursor; the last page by cursor.
		{"capped, within", 2, 100, true, next, prev, "sida 2", []string{"<span>Sida 2</span>", `href="/cases?page=3">Nästa sida`, `href="/cases?cursor=0">Sista sidan`}, []string{" av "}, 25, 0, 2},
		{"capped, at the cap", 4, 100, true, next, prev, "sida 4", []string{`href="/cases?cursor=7">Nästa sida`, `href="/cases?page=3">Föregående sida`}, nil, 25, 0, 4},
		{"by cursor", 0, 100, true, next, prev, "", []string{`href="/cases?cursor=3">Föregående sida`, `href="/cases?page=1">Första sidan`, `href="/cases?cursor=7">Nästa sida`, "Sista sidan"}, []string{"<span>"}, 25, 0, 0},
		{"by cursor to the end", 0, 100, true, nil, prev, "", []string{`href="/cases?cursor=3">Föregående sida`}, []string{"Nästa sida", "Sista sidan"}, 25, 0, 0},
	} {
		p := NewPager(tt.page, tt.total, tt.capped, tt.perPage, tt.next, tt.prev, last, link)
		if p.Pages != tt.wantPages || p.Page != tt.wantPage || p.Label() != tt.label {
			t.Errorf("%s: page %d of %d, label %q", tt.name, p.Page, p.Pages, p.Label())
		}
		var out strings.Builder
		if err := PageViews().Render(&out, "partials/pagination", p); err != nil {
			t.Fatal(err)
		}
		for _, want := range tt.html {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s: %q missing in %s", tt.name, want, out.String())
			}
		}
		for _, not := range tt.absent {
			if strings.Contains(out.String(), not) {
				t.Errorf("%s: %q in %s", tt.name, not, out.String())
			}
		}
	}
}
