package e2e

import (
	"net/http"
	"testing"
)

// TestAnslagstavla: a member of the public reads the anslagstavla, opens the
// instructions for an appeal, a notice and the archive; a secretary's form
// with its errors. Every page passes axe-core.
func TestAnslagstavla(t *testing.T) {
	axe := axeSource(t)
	base := startServer(t)
	b := newBrowser(t, base)

	if st := b.open("/anslagstavla"); st != http.StatusOK {
		t.Fatalf("GET /anslagstavla when logged out: %d", st)
	}
	b.expect("h1", "Anslagstavla")
	b.expect("main", "Justerade protokoll", "Anslaget tas ned tidigast", "Kommunfullmäktige sammanträder")
	b.click("details.appeal-details summary")
	b.expect("details.appeal-details", "förvaltningsrätten", "inom tre veckor")
	b.checkAccessibility(axe, "anslagstavla")
	b.screenshot("anslagstavla")

	if st := b.submit(`article.anslag h3 a[href^="/anslagstavla/justering-"]`); st != http.StatusOK {
		t.Fatalf("a notice: %d", st)
	}
	b.expect("main", "Hur man överklagar", "Förvaringsplats för protokollet")
	b.checkAccessibility(axe, "a notice of justering")

	if st := b.open("/anslagstavla/arkiv"); st != http.StatusOK {
		t.Fatalf("the archive: %d", st)
	}
	b.expect("h1", "Anslagstavlans arkiv")
	b.checkAccessibility(axe, "the anslagstavla's archive")
	b.submit(`main table a[href^="/anslagstavla/"]`)
	b.expect("main", "Nedtagen")
	b.checkAccessibility(axe, "a notice taken down")

	b.open("/login")
	b.login("sekreterare@kommun.example", "demo", http.StatusOK)
	b.open("/anslagstavla/new")
	b.expect("h1", "Anslå ett meddelande")
	b.set("#down_on", "")
	b.set("#board", "ASN")
	if st := b.submit(`main form button[type=submit]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("an empty notice: %d", st)
	}
	b.expect(".error-summary", "Ange en rubrik")
	b.checkAccessibility(axe, "the form of a notice, with errors")
}
