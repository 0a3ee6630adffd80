package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/demo"
)

// Every kind of bad input gets its status and a problem a person can act on,
// and leaves the database as it was.
func TestBadInputChangesNothing(t *testing.T) {
	s := startServer(t)
	draft := "/api/v1/cases/" + demo.DraftNumber
	v := s.GetCase(officer, demo.DraftNumber).Version
	presidium := "/api/v1/cases/ASN-2026-2" // demo case at the presidium
	pv := s.GetCase(secretary, "ASN-2026-2").Version
	withRoute := func(route ...map[string]string) map[string]any {
		c := newCase()
		var steps []map[string]any // each a nytt extra sammanträde: the demo's plan has other days
		for _, st := range route {
			steps = append(steps, map[string]any{"body": st["body"], "date": st["date"], "extra_meeting": true})
		}
		c["route"] = steps
		return c
	}
	withApprover := func(email string) map[string]any {
		c := newCase()
		c["approvers"] = []map[string]string{{"email": email}}
		return c
	}
	cases := []struct {
		name, who, method, path string
		body                    any
		status                  int
		detail                  string // a word the detail must contain
	}{
		{"unknown action", officer, "POST", draft + "/actions", map[string]any{"action": "publish", "version": v}, 422, "publish"},
		{"wrong stage", secretary, "POST", draft + "/actions", map[string]any{"action": "advance", "version": v}, 409, "Utkast"},
		{"wrong role", secretary, "POST", draft + "/actions", map[string]any{"action": "submit", "version": v}, 403, "handläggaren"},
		{"approver out of turn", katarina, "POST", draft + "/actions", map[string]any{"action": "approve", "version": v}, 409, "För godkännande"},
		{"stale version", officer, "POST", draft + "/actions", map[string]any{"action": "submit", "version": v - 1}, 409, "version"},
		{"missing reason", officer, "POST", draft + "/actions", map[string]any{"action": "withdraw", "version": v}, 422, "skäl"},
		{"blank reason", secretary, "POST", presidium + "/actions", map[string]any{"action": "return", "version": pv, "reason": "   "}, 422, "skäl"},
		{"postpone without date", secretary, "POST", presidium + "/actions", map[string]any{"action": "postpone", "version": pv}, 422, "datum"},
		{"postpone to an earlier date", secretary, "POST", presidium + "/actions", map[string]any{"action": "postpone", "version": pv, "date": "2026-02-27"}, 422, "senare än"},
		{"malformed JSON", officer, "POST", draft + "/actions", `{"action": "submit", "version": `, 400, "JSON"},
		{"not JSON at all", officer, "POST", draft + "/actions", `action=submit`, 400, "JSON"},
		{"two JSON values", officer, "POST", draft + "/actions", `{"action": "submit", "version": 4} {}`, 400, "JSON"},
		{"empty body", officer, "POST", draft + "/actions", ``, 400, "JSON"},
		{"unknown field", officer, "POST", draft + "/actions", map[string]any{"action": "submit", "version": v, "force": true}, 422, "force"},
		{"version as text", officer, "POST", draft + "/actions", map[string]any{"action": "submit", "version": "4"}, 422, "version"},
		{"date that is not a date", secretary, "POST", presidium + "/actions", map[string]any{"action": "postpone", "version": pv, "date": "30 mars 2026"}, 422, "ÅÅÅÅ-MM-DD"},
		{"date that does not exist", secretary, "POST", presidium + "/actions", map[string]any{"action": "postpone", "version": pv, "date": "2026-02-30"}, 422, "2026-02-30"},
		{"date as a number", secretary, "POST", presidium + "/actions", map[string]any{"action": "postpone", "version": pv, "date": 20260330}, 422, "ÅÅÅÅ-MM-DD"},
		{"unknown case, action", officer, "POST", "/api/v1/cases/ASN-2026-999/actions", map[string]any{"action": "submit", "version": 1}, 404, "ASN-2026-999"},
		{"unknown case", officer, "GET", "/api/v1/cases/ASN-2026-999", nil, 404, "ASN-2026-999"},
		{"unknown case, events", officer, "GET", "/api/v1/cases/ASN-2026-999/events", nil, 404, "ASN-2026-999"},
		{"route out of date order", officer, "POST", "/api/v1/cases", withRoute(map[string]string{"body": "ASN-AU", "date": "2026-04-02"},
			map[string]string{"body": "ASN", "date": "2026-03-19"}), 422, "datumordning"},
		{"route date not a date", officer, "POST", "/api/v1/cases", withRoute(map[string]string{"body": "ASN", "date": "2026-04-31"}), 422, "2026-04-31"},
		{"route body unknown", officer, "POST", "/api/v1/cases", withRoute(map[string]string{"body": "ASN-XX", "date": "2026-04-02"}), 422, "ASN-XX"},
		{"approver not a user", officer, "POST", "/api/v1/cases", withApprover("okand@kommun.example"), 422, "okand@kommun.example"},
		{"approver not an approver", officer, "POST", "/api/v1/cases", withApprover(secretary), 422, "ansvarig chef"},
		{"new case, unknown field", officer, "POST", "/api/v1/cases", map[string]any{"board": "ASN", "title": "x", "priority": 1}, 422, "priority"},
		{"new case, proposals not a list", officer, "POST", "/api/v1/cases", map[string]any{"board": "ASN", "title": "x", "proposals": "godkänn"}, 422, "proposals"},
		{"new case, taken number", secretary, "POST", "/api/v1/cases", func() map[string]any { c := newCase(); c["number"], c["officer"] = demo.SeedNumber, officer; return c }(), 409, demo.SeedNumber},
		{"new case by an approver", jonas, "POST", "/api/v1/cases", newCase(), 403, "handläggare"},
	}
	for _, who := range []string{officer, secretary, katarina, jonas} {
		s.Token(who)
	}
	before := s.Fingerprint(demo.DraftNumber)
	beforePresidium := s.Fingerprint("ASN-2026-2")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := wantProblem(t, s.As(tc.who, tc.method, tc.path, tc.body), tc.status)
			if d := p["detail"].(string); !strings.Contains(d, tc.detail) {
				t.Errorf("detail %q does not mention %q", d, tc.detail)
			}
		})
	}
	if after := s.Fingerprint(demo.DraftNumber); after != before {
		t.Errorf("bad input changed the database:\n%s\n%s", before, after)
	}
	if after := s.Fingerprint("ASN-2026-2"); after != beforePresidium {
		t.Errorf("bad input changed ASN-2026-2:\n%s\n%s", beforePresidium, after)
	}
}

func TestWrongContentType(t *testing.T) {
	s := startServer(t)
	req, _ := http.NewRequest("POST", s.Base+"/api/v1/cases/"+demo.DraftNumber+"/actions", strings.NewReader(`{"action":"submit","version":4}`))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Authorization", "Bearer "+s.Token(officer))
	before := s.Fingerprint(demo.DraftNumber)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("text/plain body: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if s.Fingerprint(demo.DraftNumber) != before {
		t.Error("the database changed")
	}
}
