package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// An address no page has is a Swedish 404 page, with a login or without;
// the address of a staff page still sends a visitor without a login to log
// in, the public pages answer, and a logged-in person gets the same 404.
func TestUnknownAddressIsNotFound(t *testing.T) {
	s, staff := loggedIn(t, "sekreterare@kommun.example")
	anon := s.Browser()
	for _, path := range []string{"/finnsinte", "/anslagstavla/xyz/abc", "/cases/ASN-2019-17886/nonsense/deeper",
		"/admin/finnsinte", "/meetings/1/finnsinte", "/diarium/x/y/z", "/static/finnsinte.css"} {
		for who, b := range map[string]*browser{"anonymous": anon, "staff": staff} {
			p := b.Get(path)
			if p.Status != http.StatusNotFound || !strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
				t.Errorf("%s GET %s: %d %s %q, want a 404 page", who, path, p.Status, p.Header.Get("Content-Type"), p.Location)
				continue
			}
			p.Has(t, "Sidan finns inte", `lang="sv"`)
		}
	}
	anon.Get("/finnsinte").Has(t, "anslagstavlan eller diariet")
	for _, path := range []string{"/", "/cases", "/cases/ASN-2019-17886", "/meetings", "/admin/users", "/anslagstavla/new",
		"/meetings/1/justering", "/deadlines", "/admin/outbox/1"} {
		if p := anon.Get(path); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/login?next=") {
			t.Errorf("anonymous GET %s: %d %q, want to log in", path, p.Status, p.Location)
		}
	}
	for _, path := range []string{"/anslagstavla", "/diarium", "/login", "/tillganglighet"} {
		if p := anon.Get(path); p.Status != http.StatusOK {
			t.Errorf("anonymous GET %s: %d", path, p.Status)
		}
	}
	// A staff page a person may not see is still 403, not 404.
	_, officer := loggedIn(t, "handlaggare@kommun.example")
	if p := officer.Get("/admin/users"); p.Status != http.StatusForbidden {
		t.Errorf("an officer on /admin/users: %d", p.Status)
	}
}
