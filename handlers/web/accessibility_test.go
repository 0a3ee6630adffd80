package web_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// sectionOf is the HTML from the h2 with this id up to the next h2.
func sectionOf(t *testing.T, body, id string) string {
	t.Helper()
	start := strings.Index(body, `<h2 id="`+id+`">`)
	if start < 0 {
		t.Errorf("the statement has no section %q", id)
		return ""
	}
	rest := body[start+1:]
	if end := strings.Index(rest, "<h2"); end >= 0 {
		rest = rest[:end]
	}
	return rest
}

// The statement follows Digg's model: how accessible the service is (status
// in the law's words and the standard), the known deficiencies, how to report
// them (e-mail, response time), the supervisory authority's form, how it was
// assessed and when, and when it was last updated.
func TestAccessibilityStatementFollowsDiggsModel(t *testing.T) {
	s := newSite(t)
	p := s.Browser().Get("/tillganglighet")
	if p.Status != http.StatusOK {
		t.Fatalf("accessibility statement without login: %d", p.Status)
	}
	p.Has(t, "<h1>Tillgänglighetsredogörelse för Beslutsgång</h1>", "(2018:1937)")

	status := sectionOf(t, p.Body, "status")
	if got := regexp.MustCompile(`är (helt|delvis|inte) förenlig med lagen`).FindAllString(status, -1); len(got) != 1 {
		t.Errorf("the status says %q, want exactly one of helt, delvis or inte förenlig", got)
	}
	for _, want := range []string{"Hur tillgänglig är tjänsten?", "EN 301 549", "WCAG) 2.1", "nivå AA"} {
		if !strings.Contains(status, want) {
			t.Errorf("the status section does not say %q", want)
		}
	}

	flaws := sectionOf(t, p.Body, "brister")
	if n := strings.Count(flaws, "<li>"); n < 3 {
		t.Errorf("the known deficiencies list %d items", n)
	}
	for _, want := range []string{"Kända brister", "filer", "webbläsarens språk", "rullar i sidled", "PDF", "12 timmar",
		"Oskäligt betungande anpassning", "Innehåll som inte omfattas av lagen"} {
		if !strings.Contains(flaws, want) {
			t.Errorf("the known deficiencies do not mention %q", want)
		}
	}

	contact := sectionOf(t, p.Body, "kontakt")
	m := regexp.MustCompile(`<a href="mailto:([^"]+)">`).FindStringSubmatch(contact)
	if m == nil {
		t.Error("no e-mail address to report deficiencies to")
	} else if _, err := workflow.CheckEmail(m[1]); err != nil {
		t.Errorf("the contact address %q: %v", m[1], err)
	}
	if !regexp.MustCompile(`Vi svarar inom \d+ arbetsdagar`).MatchString(contact) || !strings.Contains(contact, "Rapportera brister") {
		t.Error("the statement does not say how to report deficiencies and how soon we answer")
	}

	if !strings.Contains(sectionOf(t, p.Body, "tillsyn"), `<a href="https://www.digg.se/tdosanmalan">`) {
		t.Error("the supervision section does not link to Digg's form")
	}

	method := sectionOf(t, p.Body, "metod")
	for _, want := range []string{"självskattning", "axe-core " + axeVersion(t), "WCAG 2.1 nivå A och AA", "320 pixlar", "400 %", "Manuell"} {
		if !strings.Contains(method, want) {
			t.Errorf("how the service was assessed does not say %q", want)
		}
	}

	dates := sectionOf(t, p.Body, "datum")
	var days []workflow.Date
	for _, label := range []string{"bedömningen gjordes den", "uppdaterades senast den"} {
		m := regexp.MustCompile(regexp.QuoteMeta(label) + ` <time datetime="([0-9-]+)">[^<]+</time>`).FindStringSubmatch(dates)
		if m == nil {
			t.Errorf("the statement does not say when %s", label)
			continue
		}
		d, err := workflow.ParseDate(m[1])
		if err != nil || d.After(workflow.Today(time.Now())) {
			t.Errorf("%s %q: %v", label, m[1], err)
		}
		days = append(days, d)
	}
	if len(days) == 2 && days[1].Before(days[0]) {
		t.Errorf("the statement was updated (%s) before the assessment it reports (%s)", days[1], days[0])
	}
}

// axeVersion is the axe-core version package.json pins, which the statement names.
func axeVersion(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	return pkg.DevDependencies["axe-core"]
}
