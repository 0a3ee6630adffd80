package web_test

import (
	"net/http"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/internal/handlertest"
)

// sessionRows counts the sessions table behind the service's back.
func sessionRows(t *testing.T, s *handlertest.Site) int {
	t.Helper()
	raw, err := db.OpenRaw(s.File)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// An anonymous visitor reading public pages writes nothing: no session row
// per request (the second trial counted one for every 404 and every poll
// of the Atom feed, a database write per crawler hit). The login page, the
// one form for visitors, still gets its session and token, and logging in
// works.
func TestAnonymousReadingWritesNoSession(t *testing.T) {
	s := handlertest.NewSite(t)
	before := sessionRows(t, s)
	for range 3 {
		for _, path := range []string{"/anslagstavla", "/anslagstavla.atom", "/anslagstavla/arkiv", "/diarium", "/finnsinte"} {
			resp, err := http.Get(s.Base + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			for _, c := range resp.Cookies() {
				t.Errorf("GET %s set the cookie %s", path, c.Name)
			}
		}
	}
	if n := sessionRows(t, s); n != before {
		t.Errorf("anonymous reading wrote %d session rows", n-before)
	}
	b := s.Browser()
	b.Login("sekreterare@kommun.example")
	if p := b.Get("/cases"); p.Status != http.StatusOK {
		t.Errorf("after login: %d", p.Status)
	}
}
