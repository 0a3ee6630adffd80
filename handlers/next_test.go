package handlers_test

import (
	"net/http"
	"net/url"
	"testing"
	"unicode"
	"unicode/utf8"
)

// hostileNext are return addresses that are not plain local paths. Each is
// what the form or query value holds after decoding: "/\t/evil.example" is
// sent as next=/%09/evil.example, and browsers drop the tab and go to
// //evil.example.
var hostileNext = []string{
	"/\t/evil.example", "\t//evil.example", "/\t", "\t", "/\r\n/evil.example", "/ok\r\nSet-Cookie: x=1",
	"\r\n", "/\n/evil.example", "//evil.example", "//evil.example/", "///evil.example", "/\\evil.example",
	"\\\\evil.example", "/cases\\..\\evil", "/\u00a0/evil.example", "/\u3000/evil.example", "/\u2028/evil.example",
	"/\u202e/evil.example", "/\x00/evil.example", "/\x7f", " /cases", "/cases ", "/cases?q=a b",
	"https://evil.example", "https:/evil.example", "HTTPS://evil.example", "javascript:alert(1)",
	"JaVaScRiPt:alert(1)", "evil.example", "cases", "./cases", "?next=//evil", "#x", "/\xff/evil.example",
	"/%zz",
}

// wantHome fails unless p sends the browser to the start page. Text no
// person could type (NUL, DEL, bidirectional controls, broken UTF-8) may
// instead be refused before any handler sees it; such a refusal redirects
// nowhere either.
func wantHome(t *testing.T, what, next string, p page) {
	t.Helper()
	if p.Status == http.StatusSeeOther && p.Location == "/" {
		return
	}
	if untypeable(next) && p.Status >= 400 && p.Status < 500 && p.Location == "" {
		return
	}
	t.Errorf("%s with next=%q: %d to %q, want 303 to /", what, next, p.Status, p.Location)
}

// untypeable is text that the service may refuse outright: broken UTF-8, a
// control character other than tab, CR and LF, or a format character such as
// the bidirectional overrides.
func untypeable(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if (unicode.IsControl(r) && r != '\t' && r != '\r' && r != '\n') || unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}

// After a login through the real form, a next that is not a plain local path
// sends the browser to the start page, not elsewhere.
func TestLoginNextOnlyPlainLocalPath(t *testing.T) {
	s := newSite(t)
	for _, next := range hostileNext {
		b := s.Browser()
		b.Get("/login")
		p := b.Post("/login", url.Values{"email": {"handlaggare@kommun.example"}, "password": {"demo"}, "next": {next}})
		wantHome(t, "login", next, p)
		// Logged in, GET /login?next=... redirects at once: the same rule.
		b.Login("handlaggare@kommun.example")
		wantHome(t, "GET /login logged in", next, b.Get("/login?next="+url.QueryEscape(next)))
	}
}

// The tab of the issue, exactly as a link would carry it.
func TestLoginNextTabInQuery(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	p := b.Get("/login?next=/%09/evil.example")
	p.HasNot(t, "evil.example")
	p = b.Post("/login", url.Values{"email": {"handlaggare@kommun.example"}, "password": {"demo"}, "next": {"/\t/evil.example"}})
	if p.Status != http.StatusSeeOther || p.Location != "/" {
		t.Errorf("login with next=/%%09/evil.example: %d to %q, want 303 to /", p.Status, p.Location)
	}
}

// Plain local paths, with a query, a fragment or å, ä and ö, are kept.
func TestLoginNextKeepsLocalPath(t *testing.T) {
	s := newSite(t)
	for _, next := range []string{"/", "/cases?stage=board", "/cases?stage=board&page=2", "/cases/MÖN-2026-1",
		"/cases/ASN-2026-1#bevakningar", "/meetings/3/justering?done=signed", "/a/b//c", "/?q=x//y"} {
		b := s.Browser()
		b.Get("/login")
		p := b.Post("/login", url.Values{"email": {"handlaggare@kommun.example"}, "password": {"demo"}, "next": {next}})
		if p.Status != http.StatusSeeOther || p.Location != next {
			t.Errorf("login with next=%q: %d to %q", next, p.Status, p.Location)
		}
	}
}
