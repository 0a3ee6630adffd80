package handlers_test

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
)

type casePage struct {
	Items []struct {
		Number  string
		Board   string
		Stage   string
		Officer struct{ Email string }
	}
	Total   int
	Page    int
	PerPage int `json:"per_page"`
}

func listCases(s *server, query string) casePage {
	s.T.Helper()
	var p casePage
	s.GetJSON(officer, "/api/v1/cases"+query, &p)
	return p
}

func numbers(p casePage) []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.Number)
	}
	return out
}

func TestListCases(t *testing.T) {
	s := startServer(t)
	all := listCases(s, "?sort=number&per_page=200")
	if all.Total != 14 || len(all.Items) != 14 {
		t.Fatalf("demo has %d cases (%d listed), want 14", all.Total, len(all.Items))
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"?stage=draft&sort=number", []string{"ASN-2025-1", "ASN-2026-8"}},
		{"?board=KS", []string{"KS-2026-1"}},
		{"?q=internationell&sort=number", []string{"ASN-2019-17886", "ASN-2026-11"}},
		{"?q=riktlinjer&sort=number", []string{"ASN-2026-2", "KS-2026-1"}},
		{"?stage=working_committee&board=ASN&sort=number", []string{"ASN-2026-3", "ASN-2026-7", "ASN-2026-10"}},
		{"?officer=chef@kommun.example", nil},
		{"?sort=number&order=desc&per_page=3", []string{"KS-2026-1", "ASN-2026-11", "ASN-2026-10"}},
	} {
		if got := numbers(listCases(s, tc.query)); !slices.Equal(got, tc.want) {
			t.Errorf("GET /cases%s = %q, want %q", tc.query, got, tc.want)
		}
	}
	if p := listCases(s, "?officer=handlaggare@kommun.example"); p.Total != 14 {
		t.Errorf("officer filter: %d cases, want all 14", p.Total)
	}
	// Pages of four, together, are the whole list in order.
	var paged []string
	for page := 1; page <= 4; page++ {
		p := listCases(s, "?sort=number&per_page=4&page="+strconv.Itoa(page))
		if p.Page != page || p.PerPage != 4 || p.Total != 14 {
			t.Errorf("page %d: %+v", page, p)
		}
		paged = append(paged, numbers(p)...)
	}
	if !slices.Equal(paged, numbers(all)) {
		t.Errorf("pages = %q, want %q", paged, numbers(all))
	}
	for _, q := range []string{"?stage=nowhere", "?per_page=500", "?page=0", "?page=x", "?officer=ingen@kommun.example"} {
		wantProblem(t, s.As(officer, "GET", "/api/v1/cases"+q, nil), http.StatusUnprocessableEntity)
	}
}
