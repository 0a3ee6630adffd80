package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/handlers/internal/handlertest"
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

// A form refused for its security code (one posted after its session
// ended) shows back what was typed, to copy, when a page of this service
// posted it: never a password, an address or a choice, and nothing at all
// for a post from another site.
func TestRefusedFormShowsTheTextBack(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	b.Login("handlaggare@kommun.example")
	background := "Förvaltningen har under hösten <b>gått igenom</b> alla avtal.\n\nDet tog tre veckor."
	post := func(b *handlertest.Browser, path string, form url.Values, header, value string) handlertest.Page {
		req, err := http.NewRequest(http.MethodPost, b.Base+path, strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(header, value)
		return b.Do(req)
	}
	edit := url.Values{"_csrf": {"utgången"}, "version": {"4"}, "approver_email": {"chef@kommun.example"},
		"background": {background}, "title": {"Avtal"}, "action": {"save"}}
	p := post(b, "/cases/"+demo.DraftNumber+"/edit", edit, "Sec-Fetch-Site", "same-origin")
	if p.Status != http.StatusForbidden {
		t.Fatalf("a wrong token: %d, want 403", p.Status)
	}
	kept := p.Body[strings.Index(p.Body, "Det du skrev"):]
	for _, want := range []string{">Rubrik</label>", "Avtal</textarea>", ">Ärendet</label>",
		"Förvaltningen har under hösten &lt;b&gt;gått igenom&lt;/b&gt; alla avtal.\n\nDet tog tre veckor."} {
		if !strings.Contains(kept, want) {
			t.Errorf("the 403 page does not show %q:\n%s", want, p.Body)
		}
	}
	if strings.Index(kept, "Rubrik") > strings.Index(kept, "Ärendet") {
		t.Errorf("the texts are not in the form's order:\n%s", kept)
	}
	for _, not := range []string{"save", "utgången", "chef@kommun.example"} {
		if strings.Contains(kept, not) {
			t.Errorf("the 403 page shows %q:\n%s", not, kept)
		}
	}
	// The session ended: the post of the same page, now without a login,
	// still gets its text back (as Origin, for a browser without Fetch
	// Metadata).
	anon := s.Browser()
	host := strings.TrimPrefix(s.Base, "http://")
	if p := post(anon, "/cases/"+demo.DraftNumber+"/edit", edit, "Origin", "http://"+host); !strings.Contains(p.Body, "tre veckor") {
		t.Errorf("a same-origin post without a session: %d, no text back", p.Status)
	}
	// Another site's post puts nothing on this site's page.
	for _, h := range [][2]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
		if p := post(anon, "/login", url.Values{"_csrf": {"x"}, "reason": {"Ring IT-support och uppge ditt lösenord"}}, h[0], h[1]); p.Status != http.StatusForbidden ||
			strings.Contains(p.Body, "IT-support") {
			t.Errorf("a post with %s %s: %d, shows its text: %v", h[0], h[1], p.Status, strings.Contains(p.Body, "IT-support"))
		}
	}
	login := post(s.Browser(), "/login", url.Values{"_csrf": {"utgången"}, "email": {"handlaggare@kommun.example"},
		"password": {"ett mycket hemligt lösenord"}}, "Sec-Fetch-Site", "same-origin")
	if login.Status != http.StatusForbidden || strings.Contains(login.Body, "hemligt") || strings.Contains(login.Body, "Det du skrev") {
		t.Errorf("a refused login: %d, and shows its fields: %v", login.Status, strings.Contains(login.Body, "Det du skrev"))
	}
}

// Reading pages writes nothing: the session, with its form token, is written
// when the token is made and then at most every ten minutes. Fiber's csrf
// middleware saved the session on every page view, a database write each,
// and so a logged-in person's every click emptied the list cache: their
// own search asked again, and the public diary's, were read anew.
func TestPageViewsWriteNothing(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	b.Login("handlaggare@kommun.example")
	visitor := s.Browser()
	// Each page twice: the second round finds every list and search the
	// first one read still in the cache, as nothing was written between.
	var before db.ListCacheStats
	for round := range 2 {
		if round == 1 {
			before = s.Store.ListCacheStats()
		}
		for _, path := range []string{"/", "/cases?q=avgifter", "/deadlines", "/cases/" + demo.DraftNumber, "/diarium?q=avgifter"} {
			if p := b.Get(path); p.Status != http.StatusOK {
				t.Fatalf("GET %s: %d", path, p.Status)
			}
		}
		visitor.Get("/diarium?q=avgifter")
	}
	if after := s.Store.ListCacheStats(); after.Hits < before.Hits+4 || after.Misses != before.Misses {
		t.Errorf("the same pages again: %d hits and %d misses, want at least 4 (three searches and the start page's list) and 0",
			after.Hits-before.Hits, after.Misses-before.Misses)
	}
	// The forms still carry the session's token, and it still works.
	form := b.Get("/cases/" + demo.DraftNumber)
	if !strings.Contains(form.Body, `name="_csrf" value="`+b.CSRF+`"`) {
		t.Errorf("the page's forms do not carry the session's token %q", b.CSRF)
	}
}

// A login makes a new token: the one of the login page, which whoever
// planted the session before the login could know, no longer posts a form.
func TestLoginMakesANewCSRFToken(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	b.Get("/login")
	before := b.CSRF
	if p := b.Post("/login", url.Values{"email": {"handlaggare@kommun.example"}, "password": {"demo"}, "next": {"/"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("login: %d", p.Status)
	}
	fp := s.Fingerprint()
	if p := b.PostRaw("/cases/"+demo.DraftNumber+"/actions/submit", url.Values{"_csrf": {before}, "version": {"4"}}); p.Status != http.StatusForbidden {
		t.Errorf("the login page's token after the login: %d, want 403", p.Status)
	}
	s.Unchanged(fp)
	if b.Get("/"); b.CSRF == before || b.CSRF == "" {
		t.Errorf("the pages after the login carry the token of before it")
	}
}

// The safe methods (RFC 9110) need no token: OPTIONS on a page is not
// refused as a form without its security code.
func TestSafeMethodsNeedNoCSRFToken(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	b.Login("handlaggare@kommun.example")
	req, err := http.NewRequest(http.MethodOptions, s.Base+"/cases", nil)
	if err != nil {
		t.Fatal(err)
	}
	if p := b.Do(req); p.Status == http.StatusForbidden || strings.Contains(p.Body, "säkerhetskoden") {
		t.Errorf("OPTIONS /cases: %d %s", p.Status, p.Body)
	}
}
