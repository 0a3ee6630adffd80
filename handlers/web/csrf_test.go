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

// A form refused for its security code (one left open past the session's
// 12 hours) shows back what was typed, to copy: never a password, nor the
// short values of choices and versions.
func TestRefusedFormShowsTheTextBack(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	b.Login("handlaggare@kommun.example")
	background := "Förvaltningen har under hösten <b>gått igenom</b> alla avtal.\n\nDet tog tre veckor."
	p := b.PostRaw("/cases/"+demo.DraftNumber+"/edit", url.Values{"_csrf": {"utgången"}, "version": {"4"},
		"title": {"Avtalsuppföljning 2026"}, "background": {background}, "action": {"save"}})
	if p.Status != http.StatusForbidden {
		t.Fatalf("a wrong token: %d, want 403", p.Status)
	}
	for _, want := range []string{"Det du skrev", ">Rubrik</label>", "Avtalsuppföljning 2026", ">Ärendet</label>",
		"Förvaltningen har under hösten &lt;b&gt;gått igenom&lt;/b&gt; alla avtal.\n\nDet tog tre veckor."} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("the 403 page does not show %q:\n%s", want, p.Body)
		}
	}
	if strings.Contains(p.Body, ">save<") || strings.Contains(p.Body, "utgången") {
		t.Errorf("the 403 page shows a choice or the token:\n%s", p.Body)
	}
	login := s.Browser().PostRaw("/login", url.Values{"_csrf": {"utgången"}, "email": {"handlaggare@kommun.example"},
		"password": {"ett mycket hemligt lösenord"}})
	if login.Status != http.StatusForbidden || strings.Contains(login.Body, "hemligt") {
		t.Errorf("a refused login: %d, and shows its password: %v", login.Status, strings.Contains(login.Body, "hemligt"))
	}
}
