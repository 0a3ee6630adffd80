package web_test

import (
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/handlers/internal/handlertest"
)

// oldSessionData is a session row as the previous release (Fiber's csrf
// middleware with Session: store) wrote it after a login: gob of
// map[string]interface{}{"uid": int64(2), "fiber.csrf.token": &csrf.Token{...}},
// made with gob.Register(csrf.Token{}) as csrf.New did. It is made in a
// separate process so that this test binary does not register the type.
const oldSessionData = "0d7f040102ff8000010c01100000ff88ff8000020375696405696e743634040200041066696265722e637372662e746f6b656e316769746875622e636f6d2f676f66696265722f66696265722f76322f6d6964646c65776172652f637372662e546f6b656eff8103010105546f6b656e01ff8200010301034b6579010c000103526177010a00010a45787069726174696f6e01ff8400000010ff830501010454696d6501ff8400000026ff822301086f6c64746f6b656e010564756d6d79010f010000000ee2a0adc000000000ffff00"

// (Both found by a review of the CSRF guard.)
//
// A person whose session was written by the previous release (it holds a
// csrf.Token, a type nothing registers with gob any more) is not locked out
// of every page after the upgrade: the pages, the login page and the logout
// answer, and the person can log in again.
func TestSessionOfThePreviousReleaseStillWorks(t *testing.T) {
	s := handlertest.NewSite(t)
	raw, err := hex.DecodeString(oldSessionData)
	if err != nil {
		t.Fatal(err)
	}
	const id = "0123456789abcdef0123456789abcdef"
	if err := s.Store.Sessions().Set(id, raw, 12*time.Hour); err != nil {
		t.Fatal(err)
	}
	b := s.Browser()
	base, _ := url.Parse(s.Base)
	b.C.Jar.SetCookies(base, []*http.Cookie{{Name: "beslutsgang_session", Value: id, Path: "/"}})
	for _, path := range []string{"/", "/login", "/diarium"} {
		if p := b.Get(path); p.Status >= 500 {
			t.Errorf("GET %s with a session of the previous release: %d", path, p.Status)
		}
	}
	// Nothing but clearing cookies gets this browser anywhere: logging in fails too.
	b.Get("/login")
	if p := b.Post("/login", url.Values{"email": {"handlaggare@kommun.example"}, "password": {"demo"}, "next": {"/"}}); p.Status != http.StatusSeeOther {
		t.Errorf("logging in again with a session of the previous release: %d", p.Status)
	}
}

// Pages read at the same time right after a login (two tabs, a restored
// window) each make "the" token of the new session, and only the last one
// written is kept: the forms of the other pages are refused as if their
// security code had run out. (Before, the token survived the login.)
func TestPagesOpenedAtOnceAfterLoginShareOneToken(t *testing.T) {
	s := handlertest.NewSite(t)
	b := s.Browser()
	csrfInput := regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	const n = 8
	for round := range 40 { // the race is timing-dependent: a few logins show it
		b.Get("/login")
		if p := b.Post("/login", url.Values{"email": {"handlaggare@kommun.example"}, "password": {"demo"}, "next": {"/"}}); p.Status != http.StatusSeeOther {
			t.Fatalf("login: %d", p.Status)
		}
		tokens := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := b.C.Get(s.Base + "/cases")
				if err != nil {
					t.Error(err)
					return
				}
				defer resp.Body.Close()
				body, _ := io.ReadAll(resp.Body)
				if m := csrfInput.FindSubmatch(body); m != nil {
					tokens[i] = string(m[1])
				}
			}()
		}
		wg.Wait()
		refused := 0
		for _, tok := range tokens {
			// A harmless form: a search-free post that is refused only for its token.
			if p := b.PostRaw("/cases/"+demo.DraftNumber+"/actions/submit", url.Values{"_csrf": {tok}, "version": {"x"}}); p.Status == http.StatusForbidden && strings.Contains(p.Body, "säkerhetskoden") {
				refused++
			}
		}
		if refused > 0 {
			t.Fatalf("login %d: of %d pages of one session read at once, %d carry a token that is refused", round+1, n, refused)
		}
	}
}
