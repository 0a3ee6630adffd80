package handlers_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/handlers"
)

// Every GET of the JSON API names the query parameters it reads, and refuses
// others with a 400 in Swedish before it answers: a mistyped filter
// (?boards=VN) gave the whole list as if it were the filtered one, and
// ?page=2 on the meetings list (read by cursor) gave its first page again.
// The routes are walked from the app itself, so a new one cannot forget.
func TestAPIRefusesUnknownParameters(t *testing.T) {
	s := startServer(t)
	tok := s.Token(admin)
	app := handlers.New(s.Store, handlers.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	param := regexp.MustCompile(`:[a-z]+`)
	walked := 0
	for _, r := range app.GetRoutes(true) {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.Path, "/api/v1/") ||
			r.Path == "/api/v1/healthz" || r.Path == "/api/v1/readyz" {
			continue
		}
		walked++
		path := param.ReplaceAllString(r.Path, "1") + "?" + url.Values{"okänd": {"1"}}.Encode()
		p := wantProblem(t, s.Request("GET", path, tok, nil), http.StatusBadRequest)
		errs, _ := p["errors"].([]any)
		if p["type"] != "urn:beslutsgang:problem:bad_parameter" || len(errs) != 1 || !strings.Contains(p["detail"].(string), "okänd") {
			t.Errorf("GET %s: %v", path, p)
		}
	}
	if walked < 20 {
		t.Fatalf("walked %d GET routes of the API, want all of them (over 20)", walked)
	}

	refused := []struct{ path, detail string }{
		{"/api/v1/cases?boards=VN", "Adressen tar inte emot parametern boards; den tar emot q, stage, board,"},
		{"/api/v1/cases?board=VN&board=KS", "Parametern board får bara anges en gång"},
		{"/api/v1/meetings?page=2", "Den här listan bläddras med cursor, inte page"},
		{"/api/v1/me/deadlines?days=3", "den tar emot until, page, per_page, cursor"},
		{"/api/v1/cases/" + url.PathEscape("ASN-2026-1") + "?version=2", "Adressen tar inte emot några parametrar, alltså inte version"},
		{"/api/v1/diary?år=2026", "den tar emot q, board, year"},
		{"/api/v1/cases?" + strings.Repeat("x", 300) + "=1", strings.Repeat("x", 40) + "…;"},
	}
	for _, c := range refused {
		p := wantProblem(t, s.Request("GET", c.path, tok, nil), http.StatusBadRequest)
		if d, _ := p["detail"].(string); !strings.Contains(d, c.detail) {
			t.Errorf("GET %s: detail %q, want %q", c.path, d, c.detail)
		}
	}
	// A name is quoted without control or writing-direction characters, an
	// empty one is named so, and a name given twice is one problem.
	for path, want := range map[string]string{
		"/api/v1/me?%E2%80%8F%E2%80%AE=3":           "alltså inte (utan namn)",
		"/api/v1/me?=1":                             "alltså inte (utan namn)",
		"/api/v1/me?x%0D%0Ay%1B=1":                  "alltså inte xy",
		"/api/v1/me?x=1&x=2":                        "alltså inte x",
		"/api/v1/cases?board=VN&board=KS&board=ASN": "Parametern board får bara anges en gång",
	} {
		r := s.Request("GET", path, tok, nil)
		p := wantProblem(t, r, http.StatusBadRequest)
		errs, _ := p["errors"].([]any)
		if d, _ := p["detail"].(string); !strings.Contains(d, want) || len(errs) != 1 || strings.ContainsAny(string(r.Body), "\u202e\u200f\r\x1b") {
			t.Errorf("GET %s: %s, want %q once", path, r.Body, want)
		}
	}
	// Without a login the API says so first, whatever the parameters.
	wantProblem(t, s.Request("GET", "/api/v1/cases?okänd=1", "", nil), http.StatusUnauthorized)

	// What the lists read, and the addresses they give, still answer.
	for _, path := range []string{"/api/v1/cases?q=budget&board=KS&stage=board&sort=number&order=desc&per_page=2&page=1",
		"/api/v1/meetings?body=KS&from=2026-01-01&per_page=1", "/api/v1/diary?year=2026&board=KS&per_page=1",
		"/api/v1/me/deadlines?per_page=1", "/api/v1/me/reminders?days=30", "/api/v1/outbox?state=queued&per_page=1"} {
		r := s.Request("GET", path, tok, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
		}
		if next := linkRels(r.Header.Get("Link"))["next"]; next != "" {
			if r := s.Request("GET", next, tok, nil); r.Status != http.StatusOK {
				t.Errorf("GET %s (next of %s): %d %s", next, path, r.Status, r.Body)
			}
		}
	}
	// Pages stay lenient: a link in a mail or a newsletter carries its own.
	if r := s.Request("GET", "/diarium?utm_source=nyhetsbrev", "", nil); r.Status != http.StatusOK {
		t.Errorf("/diarium with utm_source: %d", r.Status)
	}
}
