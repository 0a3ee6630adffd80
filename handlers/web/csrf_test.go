package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/demo"
)

// Every form is refused without the session's CSRF token, and the refusal
// changes nothing.
func TestFormsRefuseMissingCSRFToken(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	b.Login("admin@kommun.example") // admin, and officer-free: nothing but the token stops these
	draft := "/cases/" + demo.DraftNumber
	forms := map[string]url.Values{
		"/login":                  {"email": {"admin@kommun.example"}, "password": {"demo"}},
		"/logout":                 nil,
		"/cases":                  {"board": {"ASN"}, "title": {"Nytt"}},
		draft + "/edit":           {"title": {"Ändrat"}, "version": {"4"}},
		draft + "/actions/submit": {"version": {"4"}},
		draft + "/attachments":    nil,
		"/admin/users":            {"email": {"ny@kommun.example"}, "name": {"Ny"}, "password": {"ett långt lösenord"}},
		"/admin/users/1/roles":    {"grant": {"ASN:admin"}},
		"/admin/users/1/active":   {"active": {"0"}},
		"/admin/users/1/password": {"password": {"ett långt lösenord"}},
		"/admin/boards":           {"code": {"GN"}, "name": {"Grundskolenämnden"}},
		"/admin/bodies":           {"code": {"ASN-X"}, "name": {"X"}, "kind": {"board"}, "board": {"ASN"}},
	}
	before := s.Fingerprint()
	for path, form := range forms {
		for _, token := range []string{"", "not-the-token"} {
			f := url.Values{"_csrf": {token}}
			for k, v := range form {
				f[k] = v
			}
			if token == "" {
				f.Del("_csrf")
			}
			p := b.PostRaw(path, f)
			if p.Status != http.StatusForbidden {
				t.Errorf("POST %s with token %q: %d, want 403", path, token, p.Status)
			}
			if !strings.Contains(p.Body, "säkerhetskoden") {
				t.Errorf("POST %s: the 403 page does not explain itself", path)
			}
		}
	}
	s.Unchanged(before)
	if p := b.Get("/"); p.Status != http.StatusOK {
		t.Errorf("the refused logout logged out anyway: %d", p.Status)
	}
}

// A token from another person's session does not work either.
func TestCSRFTokenBelongsToItsSession(t *testing.T) {
	s := newSite(t)
	alice, mallory := s.Browser(), s.Browser()
	alice.Login("handlaggare@kommun.example")
	mallory.Login("sekreterare@kommun.example")
	before := s.Fingerprint()
	p := alice.PostRaw("/cases/"+demo.DraftNumber+"/actions/submit", url.Values{"_csrf": {mallory.CSRF}, "version": {"4"}})
	if p.Status != http.StatusForbidden {
		t.Errorf("a token of another session: %d, want 403", p.Status)
	}
	s.Unchanged(before)
}
