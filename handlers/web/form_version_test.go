package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/kommun/beslutsgang/demo"
)

// A draft edit or an action whose form carries a version that is no number
// is refused as a form without a valid version, and saves nothing: it was
// read as version 0 and answered that someone had changed the case since.
func TestFormWithoutAValidVersion(t *testing.T) {
	s := newSite(t)
	b := s.Browser()
	b.Login("handlaggare@kommun.example")
	draft := "/cases/" + demo.DraftNumber
	before := s.Fingerprint()
	for path, form := range map[string]url.Values{
		draft + "/edit":           {"title": {"Ändrad rubrik"}, "version": {"abc"}, "action": {"save"}},
		draft + "/actions/submit": {"version": {"4x"}},
	} {
		p := b.Post(path, form)
		if p.Status != http.StatusConflict {
			t.Errorf("POST %s: %d, want 409", path, p.Status)
		}
		p.Has(t, "Formuläret har inget giltigt versionsnummer")
		p.HasNot(t, "har ändrats sedan du öppnade det")
	}
	s.Unchanged(before)
}
