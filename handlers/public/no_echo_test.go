package public_test

import (
	"strings"
	"testing"
)

// A public address holding a character that turns the writing direction or
// a control character answers 404 without echoing it: an official page of
// the kommun must not show text a link's author reversed ("‮" makes what
// follows read backwards), the rule OParl already keeps for its paths.
func TestPublicNotFoundDoesNotEchoDirectionOrControlCharacters(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	for _, path := range []string{
		"/diarium/%E2%80%AEABC-2026-1",
		"/api/v1/diary/%E2%80%AEABC-2026-1",
		"/api/v1/diary/ABC%00-2026-1",
		"/anslagstavla/%E2%81%A6notice-1",
		"/protokoll/%E2%80%AEASN/2026-01-01",
		"/calendar/%E2%80%AEASN.ics",
	} {
		p := b.Get(path)
		if p.Status != 404 {
			t.Errorf("GET %s: %d, want 404", path, p.Status)
		}
		for _, bad := range []string{"\u202e", "\u2066", "\x00", `\u0000`} {
			if strings.Contains(p.Body, bad) {
				t.Errorf("GET %s echoes %q:\n%s", path, bad, p.Body)
			}
		}
	}
}
