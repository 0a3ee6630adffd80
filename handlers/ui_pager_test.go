package handlers

import (
	"strconv"
	"strings"
	"testing"
)

func TestPager(t *testing.T) {
	link := func(page int) string { return "/cases?page=" + strconv.Itoa(page) }
	for _, tt := range []struct {
		page, total, perPage int
		pages, prev, next    int
		html                 []string
		absent               []string
	}{
		{1, 0, 25, 1, 0, 0, nil, []string{"pagination"}},
		{1, 25, 25, 1, 0, 0, nil, []string{"pagination"}},
		{1, 26, 25, 2, 0, 2, []string{"Sida 1 av 2", `href="/cases?page=2">Nästa sida`}, []string{"Föregående"}},
		{2, 60, 25, 3, 1, 3, []string{"Sida 2 av 3", `href="/cases?page=1">Föregående sida`, `href="/cases?page=3">Nästa sida`}, nil},
		{3, 60, 25, 3, 2, 0, []string{"Sida 3 av 3"}, []string{"Nästa sida"}},
	} {
		p := newPager(tt.page, tt.total, tt.perPage, link)
		if p.Pages != tt.pages || p.Prev() != tt.prev || p.Next() != tt.next {
			t.Errorf("page %d of %d rows: pages %d prev %d next %d", tt.page, tt.total, p.Pages, p.Prev(), p.Next())
		}
		var out strings.Builder
		if err := pageViews().Render(&out, "partials/pagination", p); err != nil {
			t.Fatal(err)
		}
		for _, want := range tt.html {
			if !strings.Contains(out.String(), want) {
				t.Errorf("page %d of %d rows: %q missing in %s", tt.page, tt.total, want, out.String())
			}
		}
		for _, not := range tt.absent {
			if strings.Contains(out.String(), not) {
				t.Errorf("page %d of %d rows: %q in %s", tt.page, tt.total, not, out.String())
			}
		}
	}
}
