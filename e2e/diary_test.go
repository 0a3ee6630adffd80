package e2e

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestPublicDiary: a member of the public, not logged in, searches the diary
// and opens a decided case and a secret one; both pages pass axe-core.
func TestPublicDiary(t *testing.T) {
	axe := axeSource(t)
	base := startServer(t)
	b := newBrowser(t, base)

	if st := b.open("/diarium"); st != http.StatusOK {
		t.Fatalf("GET /diarium when logged out: %d", st)
	}
	b.expect("h1", "Diarium")
	b.expect("main", "ASN-2019-17886", "Internationell redovisning 2019", "Uppgiften omfattas av sekretess")
	b.checkAccessibility(axe, "diary")
	b.screenshot("diary")

	b.set("#q", "hemtjänsten")
	b.submit(`form[role=search] button`)
	b.expect("[role=status]", "1 ärende.")
	b.submit(`a[href^="/diarium/ASN-"]`)
	b.expect("h1", "Avgifter inom hemtjänsten 2027")
	b.expect("main", "§ ", "Bifall enligt förslaget", "Laga kraft", "Tjänsteskrivelse")
	b.checkAccessibility(axe, "diary case")
	b.screenshot("diary-case")

	b.open("/diarium/" + secretCase(t, base))
	b.expect("h1", "Uppgiften omfattas av sekretess")
	b.refuse("main", "förvaltningsrätten", "Förvaltningsrätten")
	b.checkAccessibility(axe, "secret diary case")
}

// secretCase finds the demo's secret case in the diary's JSON, whatever year
// the demo numbered it in.
func secretCase(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/diary?per_page=200")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var d struct {
		Items []struct {
			Number   string
			Withheld bool
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		t.Fatal(err)
	}
	for _, e := range d.Items {
		if e.Withheld {
			return e.Number
		}
	}
	t.Fatal("the demo has no secret case")
	return ""
}
