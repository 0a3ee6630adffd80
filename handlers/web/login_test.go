package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers"
)

func TestLoginPageAndSecurityHeaders(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	p := b.Get("/login")
	if p.Status != http.StatusOK {
		t.Fatalf("GET /login: %d", p.Status)
	}
	p.Has(t, `<html lang="sv">`, `<label for="email">E-postadress</label>`, `name="_csrf"`)
	p.HasNot(t, "<script>", "style=") // scripts only as files, no inline style
	for header, want := range map[string]string{
		"Content-Security-Policy": "script-src 'self'; style-src 'self'",
		"Referrer-Policy":         "same-origin",
		"X-Frame-Options":         "DENY",
		"X-Content-Type-Options":  "nosniff",
		"Cache-Control":           "no-store",
	} {
		if got := p.Header.Get(header); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", header, got, want)
		}
	}
	// The form's token is kept in the session: one cookie.
	cookies := p.Header.Values("Set-Cookie")
	if len(cookies) != 1 || !strings.HasPrefix(cookies[0], "beslutsgang_session=") {
		t.Fatalf("want the session cookie, got %q", cookies)
	}
	for _, c := range cookies {
		if !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") || strings.Contains(c, "Secure") {
			t.Errorf("cookie over plain HTTP should be HttpOnly, SameSite=Lax and not Secure: %s", c)
		}
	}
}

func TestCookiesAreSecureBehindTLS(t *testing.T) {
	s := newSite(t)
	app := handlers.New(s.Store, handlers.Config{BaseURL: "https://beslut.kommun.example"})
	resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/login", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	cookies := resp.Header.Values("Set-Cookie")
	if len(cookies) != 1 {
		t.Fatalf("want the session cookie, got %q", cookies)
	}
	for _, c := range cookies {
		if !strings.Contains(c, "secure") && !strings.Contains(c, "Secure") {
			t.Errorf("cookie of a service reached over HTTPS is not Secure: %s", c)
		}
	}
}

func TestLogin(t *testing.T) {
	s := newSite(t)
	b := s.Browser()

	// A page needs a login, and comes back after it.
	p := b.Get("/cases?stage=board")
	if p.Status != http.StatusSeeOther || p.Location != "/login?next="+url.QueryEscape("/cases?stage=board") {
		t.Fatalf("GET /cases logged out: %d %q", p.Status, p.Location)
	}
	b.Get(p.Location)

	p = b.Post("/login", url.Values{"email": {"handlaggare@kommun.example"}, "password": {"fel lösenord"}, "next": {"/cases"}})
	if p.Status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", p.Status)
	}
	p.Has(t, "Fel e-postadress eller lösenord")
	if v, _ := p.InputValue("email"); v != "handlaggare@kommun.example" {
		t.Errorf("the e-mail was not kept: %q", v)
	}

	p = b.Post("/login", url.Values{"email": {"handlaggare@kommun.example"}, "password": {"demo"}, "next": {"/cases?stage=board"}})
	if p.Status != http.StatusSeeOther || p.Location != "/cases?stage=board" {
		t.Fatalf("login: %d %q", p.Status, p.Location)
	}
	p = b.Get("/")
	if p.Status != http.StatusOK {
		t.Fatalf("start page after login: %d", p.Status)
	}
	p.Has(t, "Sara Lindqvist", "Mina ärenden")

	// Logging out ends the session on the server, not just the cookie.
	p = b.Post("/logout", nil)
	if p.Status != http.StatusSeeOther || p.Location != "/login?done=logout" {
		t.Fatalf("logout: %d %q", p.Status, p.Location)
	}
	if p := b.Get("/"); p.Status != http.StatusSeeOther {
		t.Errorf("start page after logout: %d, want a redirect to login", p.Status)
	}
}

// A request that read the session before a logout and saves it after (a
// page's notice, the CSRF guard's keep-alive; Fiber's Save also sets the
// cookie again) does not undo the logout.
func TestLogoutIsNotUndoneByALateSave(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	b.Login("handlaggare@kommun.example")
	id := sessionCookie(t, b)
	late, err := s.Store.Sessions().Get(id) // what the slow request read
	if err != nil || late == nil {
		t.Fatalf("the session of the login: %q, %v", late, err)
	}
	if p := b.Post("/logout", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("logout: %d", p.Status)
	}
	if err := s.Store.Sessions().Set(id, late, 12*time.Hour); err != nil { // its save
		t.Fatal(err)
	}
	u, _ := url.Parse(b.Base)
	b.C.Jar.SetCookies(u, []*http.Cookie{{Name: "beslutsgang_session", Value: id, Path: "/"}})
	if p := b.Get("/"); p.Status != http.StatusSeeOther {
		t.Errorf("start page with the old session after logout and a late save: %d, want a redirect to login", p.Status)
	}
}

func TestLoginOnlyReturnsToThisSite(t *testing.T) {
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		s := newSite(t)
		b := s.Browser()
		b.Get("/login")
		p := b.Post("/login", url.Values{"email": {"handlaggare@kommun.example"}, "password": {"demo"}, "next": {next}})
		if p.Status != http.StatusSeeOther || p.Location != "/" {
			t.Errorf("next=%q: redirected to %q, want /", next, p.Location)
		}
	}
}

func TestLoginNewSessionID(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	b.Get("/login")
	before := sessionCookie(t, b)
	b.Post("/login", url.Values{"email": {"handlaggare@kommun.example"}, "password": {"demo"}})
	if after := sessionCookie(t, b); after == "" || after == before {
		t.Errorf("the session id before login (%q) is still used after it (%q)", before, after)
	}
}

func sessionCookie(t *testing.T, b *browser) string {
	t.Helper()
	u, _ := url.Parse(b.Base)
	for _, c := range b.C.Jar.Cookies(u) {
		if c.Name == "beslutsgang_session" {
			return c.Value
		}
	}
	return ""
}

func TestSessionSurvivesRestart(t *testing.T) {
	s, b := loggedIn(t, "sekreterare@kommun.example")

	// The session is a row in the database, under its hash only.
	conn, err := db.OpenRaw(s.File)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow(`SELECT COUNT(*) FROM sessions WHERE key_hash = ?`, sessionCookie(t, b)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Error("the session id is stored in clear")
	}

	// A new process: the store opened again from the file, a new app.
	s.Store.Close()
	store, err := db.Open(s.File)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	restarted := s.Serve(store, "")
	jar := b.C.Jar
	old, _ := url.Parse(b.Base)
	now, _ := url.Parse(restarted)
	jar.SetCookies(now, jar.Cookies(old)) // same host, new port: the browser would send the same cookies
	b.Base = restarted
	p := b.Get("/")
	if p.Status != http.StatusOK {
		t.Fatalf("after the restart: %d %q", p.Status, p.Location)
	}
	p.Has(t, "Erik Nyström")
}

func TestDeactivatedUserIsLoggedOut(t *testing.T) {
	s, b := loggedIn(t, "handlaggare@kommun.example")
	u, err := s.Store.UserByEmail(context.Background(), "handlaggare@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SetActive(context.Background(), u.ID, false); err != nil {
		t.Fatal(err)
	}
	if p := b.Get("/"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/login") {
		t.Errorf("a deactivated user's session still works: %d %q", p.Status, p.Location)
	}
}

func TestLoginAttemptsAreLimited(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	b.Get("/login")
	for i := range 5 {
		if p := b.Post("/login", url.Values{"email": {"chef@kommun.example"}, "password": {"gissning"}}); p.Status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i+1, p.Status)
		}
	}
	// Now even the right password waits, and the page says for how long.
	p := b.Post("/login", url.Values{"email": {"chef@kommun.example"}, "password": {"demo"}})
	if p.Status != http.StatusTooManyRequests {
		t.Fatalf("after five wrong passwords: %d, want 429", p.Status)
	}
	p.Has(t, "För många misslyckade inloggningar")
	if p.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}
