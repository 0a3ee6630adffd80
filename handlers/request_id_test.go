package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// Every answer carries X-Request-Id: the client's own when well formed,
// else a new one; the audit events a request writes keep it (on either
// engine), and the case's history in the API does not show it.
func TestRequestID(t *testing.T) {
	s := startServer(t)
	newID := regexp.MustCompile(`^[0-9a-f]{32}$`)
	send := func(method, path, token, id string, body any) response {
		t.Helper()
		var b []byte
		if body != nil {
			b, _ = json.Marshal(body)
		}
		req, err := http.NewRequest(method, s.Base+path, bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if id != "" {
			req.Header.Set("X-Request-Id", id)
		}
		return s.Do(req)
	}
	if got := send("GET", "/diarium", "", "", nil).Header.Get("X-Request-Id"); !newID.MatchString(got) {
		t.Errorf("no id asked for: X-Request-Id %q", got)
	}
	a, b := send("GET", "/healthz", "", "", nil).Header.Get("X-Request-Id"), send("GET", "/healthz", "", "", nil).Header.Get("X-Request-Id")
	if a == b {
		t.Errorf("two requests share the id %q", a)
	}
	for _, id := range []string{"0f8fad5b-d9cb-469f-a165-70867728950e", "Root=1-67891233-abcdef012345678912345678", "a"} {
		if got := send("GET", "/api/v1/diary", "", id, nil).Header.Get("X-Request-Id"); got != id {
			t.Errorf("the client's %q came back as %q", id, got)
		}
	}
	for _, id := range []string{strings.Repeat("7", 65), "två ord", "<script>", "a/b"} {
		if got := send("GET", "/api/v1/diary", "", id, nil).Header.Get("X-Request-Id"); !newID.MatchString(got) {
			t.Errorf("the client's %q came back as %q, want a new id", id, got)
		}
	}
	// Refused requests carry it too.
	if r := send("GET", "/api/v1/cases", "", "obehorig-1", nil); r.Status != http.StatusUnauthorized || r.Header.Get("X-Request-Id") != "obehorig-1" {
		t.Errorf("401: %d, X-Request-Id %q", r.Status, r.Header.Get("X-Request-Id"))
	}

	r := send("POST", "/api/v1/cases", s.Token(officer), "skapa-7", newCase())
	if r.Status != http.StatusCreated {
		t.Fatalf("POST /cases: %d %s", r.Status, r.Body)
	}
	var c caseJSON
	r.Decode(t, &c)
	r = send("POST", "/api/v1/cases/"+c.Number+"/actions", s.Token(officer), "lamna-in-7",
		map[string]any{"action": "submit", "version": c.Version})
	if r.Status != http.StatusOK {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	for seq, want := range map[int]string{1: "skapa-7", 2: "lamna-in-7"} {
		if got, err := s.Store.EventRequestID(context.Background(), c.Number, seq); err != nil || got != want {
			t.Errorf("event %d: request id %q, %v; want %q", seq, got, err, want)
		}
	}
	if ev := s.As(officer, "GET", "/api/v1/cases/"+c.Number+"/events", nil); bytes.Contains(ev.Body, []byte("lamna-in-7")) {
		t.Errorf("the history shows the request id: %s", ev.Body)
	}
}
