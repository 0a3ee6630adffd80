package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/internal/docfixture"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
)

// euTable is the seed report's table of EU funds.
const euTable = docfixture.EUTable

// hasTable checks that body sets euTable as a real table.
func hasTable(t *testing.T, where, body string) {
	t.Helper()
	for _, want := range []string{
		`<div class="table-wrap" role="region" aria-label="Tabell: Utbetalda EU-medel 2019" tabindex="0">`,
		`<caption>Utbetalda EU-medel 2019</caption>`,
		`<th scope="col">Projektnamn</th>`, `<th scope="col" class="num">Utbetalt till ASF 2019</th>`,
		`<td class="num">1 680 158 SEK</td>`, `<td>Konsekvenspedagogisk vägledning/KRAMI</td>`, `<td>Erasmus&#43;</td>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("%s lacks %s", where, want)
		}
	}
	if !regexp.MustCompile(`<tbody>\s*<tr>\s*<td>Hela familjen</td>`).MatchString(body) {
		t.Errorf("%s: the first body row is not Hela familjen", where)
	}
	if !regexp.MustCompile(`<tfoot>\s*<tr>\s*<th scope="row">TOTALT</th>\s*<td></td>\s*<td class="num">4 029 253 SEK</td>`).MatchString(body) {
		t.Errorf("%s: no total row in tfoot", where)
	}
	if strings.Contains(body, "| Hela familjen") || strings.Contains(body, "| --- |") {
		t.Errorf("%s shows the table's pipes as text", where)
	}
}

// A table in the case's text is a table on the case page; a line with a
// pipe that is no table stays a paragraph.
func TestCaseTextTable(t *testing.T) {
	_, b := loggedIn(t, "handlaggare@kommun.example")
	form := validCase()
	form.Set("background", "Inledning.\n\n"+euTable+"\n\nVälj ja | nej i formuläret.\n\n| inte | en tabell |")
	number := createCase(t, b, form)
	p := b.Get("/cases/" + number)
	if p.Status != http.StatusOK {
		t.Fatalf("case page: %d", p.Status)
	}
	hasTable(t, "the case page", p.Body)
	p.Has(t, "<p>Inledning.</p>", "<p>Välj ja | nej i formuläret.</p>", "<p>| inte | en tabell |</p>")
	if n := strings.Count(p.Body, "<table class=\"text-table\""); n != 1 {
		t.Errorf("%d text tables on the case page, want 1", n)
	}
}

// The public diary sets a table in the report as a table.
func TestDiaryTextTable(t *testing.T) {
	s := newSite(t)
	raw, err := db.OpenRaw(s.File)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE cases SET background = ? WHERE number = ?`, "Inledning.\n\n"+euTable, demo.SeedNumber); err != nil {
		t.Fatal(err)
	}
	p := s.Browser().Get("/diarium/" + url.PathEscape(demo.SeedNumber))
	if p.Status != http.StatusOK {
		t.Fatalf("diary case page: %d", p.Status)
	}
	hasTable(t, "the diary's case page", p.Body)
}

// A table in a decision's text is a table in the protokoll's page.
func TestMinutesTextTable(t *testing.T) {
	ms := newMeetingSite(t)
	m, number := ms.BoardMeeting()
	sec := ms.Held(m)
	path := meetingURL(m.ID) + "/decisions/" + number
	version := formOf(sec.Get(path)).Get("version")
	text := "Nämnden godkänner redovisningen av EU-medlen.\n\n" + euTable
	if p := sec.Post(path, url.Values{"version": {version}, "type": {"approved"}, "text": {text}}); p.Status != http.StatusSeeOther {
		t.Fatalf("the decision: %d\n%s", p.Status, p.Body)
	}
	p := sec.Get(meetingURL(m.ID) + "/protokoll")
	hasTable(t, "the protokoll page", p.Body)
	p.Has(t, "<p>Nämnden godkänner redovisningen av EU-medlen.</p>")
}
