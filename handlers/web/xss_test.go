package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// Script typed into title, summary and reason is shown as text on every page
// that shows it, and never as markup.
func TestTextWithScriptIsShownAsText(t *testing.T) {
	const script = "<script>alert(1)</script>"
	const shown = "&lt;script&gt;alert(1)&lt;/script&gt;"
	s := newSite(t)
	officer := s.Browser()
	officer.Login("handlaggare@kommun.example")
	form := validCase()
	form.Set("title", "Rubrik "+script)
	form.Set("summary", "Sammanfattning "+script)
	form.Set("background", "- punkt "+script+"\n\nRad ett "+script+"\nRad två")
	form.Set("recipient_name", "Mottagare "+script)
	number := createCase(t, officer, form)
	if p := act(t, officer, number, workflow.ActSubmit, nil); p.Status != http.StatusSeeOther {
		t.Fatalf("submit: %d", p.Status)
	}
	chef := s.Browser()
	chef.Login("chef@kommun.example")
	if p := act(t, chef, number, workflow.ActReject, url.Values{"reason": {"Skäl " + script}}); p.Status != http.StatusSeeOther {
		t.Fatalf("reject: %d", p.Status)
	}

	pages := map[string]page{
		"case page":     officer.Get("/cases/" + number),
		"case list":     officer.Get("/cases?q=Rubrik"),
		"start page":    officer.Get("/"),
		"edit form":     officer.Get("/cases/" + number + "/edit"),
		"withdraw form": officer.Get("/cases/" + number + "/actions/withdraw"),
	}
	// A refused form shows the typed values again: as text too.
	bad := validCase()
	bad.Set("title", "")
	bad.Set("summary", "Sammanfattning "+script)
	officer.Get("/cases/new")
	pages["refused form"] = officer.Post("/cases", bad)
	reject := chef.Get("/cases/" + number) // the reason in the history, as the manager sees it
	pages["history"] = reject

	for name, p := range pages {
		if p.Status >= 300 && p.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", name, p.Status)
			continue
		}
		p.HasNot(t, script, "<script>alert")
		p.Has(t, shown)
	}
	pages["case page"].Has(t, "Rubrik "+shown, "Sammanfattning "+shown, "punkt "+shown, "Skäl: Skäl "+shown, "Mottagare "+shown)
}
