package e2e

import (
	"net/http"
	"testing"
)

// TestAccessibilityStatementPage: the statement, open to everyone, passes
// axe-core and its headings go h1, h2, h3 without a level skipped, so the
// sections of Digg's model can be found by heading.
func TestAccessibilityStatementPage(t *testing.T) {
	axe := axeSource(t)
	base := startServer(t)
	b := newBrowser(t, base)
	if st := b.open("/tillganglighet"); st != http.StatusOK {
		t.Fatalf("GET /tillganglighet: %d", st)
	}
	b.expect("h1", "Tillgänglighetsredogörelse")
	b.expect("main", "Hur tillgänglig är tjänsten?", "Kända brister", "Rapportera brister", "Tillsyn", "Hur vi har testat tjänsten",
		"Den senaste bedömningen gjordes den", "Redogörelsen uppdaterades senast den")
	levels := eval[[]int](b, `Array.from(document.querySelectorAll("main h1, main h2, main h3, main h4")).map(function (h) { return +h.tagName[1]; })`)
	for i := 1; i < len(levels); i++ {
		if levels[i] > levels[i-1]+1 {
			t.Errorf("heading levels %v skip a level at %d", levels, i)
		}
	}
	if b.count(`a[href="https://www.digg.se/tdosanmalan"]`) != 1 || b.count(`a[href^="mailto:"]`) != 1 {
		t.Error("the statement lacks the link to Digg's form or the e-mail address")
	}
	b.checkAccessibility(axe, "accessibility statement")
	b.screenshot("accessibility-statement")
}
