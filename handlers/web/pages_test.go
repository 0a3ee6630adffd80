package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/workflow"
)

func TestStartPage(t *testing.T) {
	s := newSite(t)
	for _, tc := range []struct {
		email   string
		waiting []string // case titles waiting for this person
		not     []string
	}{
		{"handlaggare@kommun.example", []string{"Handlingsplan mot hemlöshet 2027–2030", "Lokal överenskommelse med idéburen sektor"},
			[]string{"Yttrande över motion om feriearbete", "Internationell redovisning"}},
		{"chef@kommun.example", []string{"Yttrande över motion om feriearbete"}, []string{"Handlingsplan mot hemlöshet", "Internationell redovisning"}},
		// This year's Internationell redovisning waits for its second signature.
		{"katarina.lindeberg@kommun.example", []string{fmt.Sprintf("Internationell redovisning %d", demo.ReportRun(workflow.Today(time.Now())).Year)},
			[]string{"Handlingsplan mot hemlöshet"}},
		// Cases at a body that meets wait for its meeting, not for the
		// secretary's button: the meeting tasks list them.
		{"sekreterare@kommun.example", nil,
			[]string{"Delårsrapport augusti 2026", "Revidering av riktlinjer för ekonomiskt bistånd", "Yttrande över motion om feriearbete", "Internationell redovisning"}},
	} {
		b := s.Browser()
		b.Login(tc.email)
		p := b.Get("/")
		if p.Status != http.StatusOK {
			t.Fatalf("%s: start page %d", tc.email, p.Status)
		}
		waiting := section(t, p.Body, "waiting-title")
		for _, w := range tc.waiting {
			if !strings.Contains(waiting, w) {
				t.Errorf("%s: %q does not wait for them", tc.email, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(waiting, w) {
				t.Errorf("%s: %q is listed as waiting for them", tc.email, w)
			}
		}
		// The chart has a text alternative and the same numbers in a table.
		p.Has(t, `<svg role="img" aria-labelledby="chart-svg-title chart-svg-desc"`, `<desc id="chart-svg-desc">Totalt 11 öppna ärenden: Utkast 2, För godkännande 2`,
			`<a href="/cases?stage=draft">Utkast</a></th><td class="num">2</td>`)
	}
}

// section is the HTML of the <section> labelled by the heading with this id.
func section(t *testing.T, body, headingID string) string {
	t.Helper()
	i := strings.Index(body, `aria-labelledby="`+headingID+`"`)
	if i < 0 {
		t.Fatalf("no section %s", headingID)
	}
	rest := body[i:]
	return rest[:strings.Index(rest, "</section>")]
}

func TestCaseList(t *testing.T) {
	_, b := loggedIn(t, "sekreterare@kommun.example")
	rows := regexp.MustCompile(`<td><a href="/cases/([A-Z]+-\d+-\d+)">`)

	p := b.Get("/cases")
	if n := len(rows.FindAllString(p.Body, -1)); n != 14 {
		t.Errorf("all cases: %d rows, want the 14 demo cases", n)
	}
	p = b.Get("/cases?stage=working_committee")
	p.Has(t, "Uppföljning av internkontrollplan 2026", "Samverkansavtal med Region Skåne")
	p.HasNot(t, "Delårsrapport augusti 2026")
	p = b.Get("/cases?board=KS")
	if got := rows.FindAllStringSubmatch(p.Body, -1); len(got) != 1 || !strings.HasPrefix(got[0][1], "KS-") {
		t.Errorf("board KS: %v", got)
	}
	p = b.Get("/cases?officer=chef@kommun.example")
	p.Has(t, "Inga ärenden matchar urvalet")

	// Sorting, and the header says which way.
	p = b.Get("/cases?sort=number&order=asc")
	first := rows.FindStringSubmatch(p.Body)
	if first == nil || first[1] != demo.SeedNumber {
		t.Errorf("sorted by number, the first row is %v", first)
	}
	p.Has(t, `aria-sort="ascending"`)

	// Pages of 25: the demo data fits one page; the links keep the filter.
	p = b.Get("/cases?stage=draft&page=2")
	p.Has(t, "Inga ärenden matchar urvalet")

	// Unknown filters are named, and the list is shown without them.
	p = b.Get("/cases?stage=nonsense&officer=ingen@kommun.example")
	if p.Status != http.StatusUnprocessableEntity {
		t.Errorf("unknown filter values: %d, want 422", p.Status)
	}
	p.Has(t, "Det finns inget steg som heter ”nonsense”", "ingen@kommun.example")
	if n := len(rows.FindAllString(p.Body, -1)); n != 14 {
		t.Errorf("with unknown filters left out: %d rows, want 14", n)
	}
}

func TestNotFoundPages(t *testing.T) {
	_, b := loggedIn(t, "handlaggare@kommun.example")
	for _, path := range []string{"/cases/ASN-1999-1", "/no/such/page", "/cases/" + demo.SeedNumber + "/attachments/999"} {
		p := b.Get(path)
		if p.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, p.Status)
		}
		p.Has(t, `<html lang="sv">`, "Finns inte")
		if ct := p.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: Content-Type %q", path, ct)
		}
	}
	// The API keeps its own problem+json answers.
	p := b.Get("/api/v1/nothing")
	if ct := p.Header.Get("Content-Type"); p.Status < 400 || !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("API 404: %d %q", p.Status, ct)
	}
}

func TestAccessibilityStatementIsPublic(t *testing.T) {
	s := newSite(t)
	p := s.Browser().Get("/tillganglighet")
	if p.Status != http.StatusOK {
		t.Fatalf("accessibility statement: %d", p.Status)
	}
	p.Has(t, "Tillgänglighetsredogörelse", "2018:1937", "WCAG 2.1")
}
