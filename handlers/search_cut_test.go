package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/internal/apitest"
)

// A filtered search that stopped at its walk before it had read every match
// says so, with what to do, on the case list and in the diary, and in the
// API as search_cut; a search that counted past the cap but read every
// match does not. Before, both said only "Fler än N", and N could be small.
func TestSearchCutIsExplained(t *testing.T) {
	s := newSiteWith(t, handlers.Config{}, func(st *db.Store) {
		st.CountCap = 1 // two candidates a branch: a filtered search reads the newest 10 matches
		u, err := st.UserByEmail(context.Background(), officer)
		if err != nil {
			t.Fatal(err)
		}
		// KS's two lie at both ends, ASN's fifteen between them.
		for i := range 17 {
			board := "ASN"
			if i == 0 || i == 16 {
				board = "KS"
			}
			if _, err := st.CreateCase(context.Background(), db.CaseInput{Board: board, Title: fmt.Sprintf("Provsökning %02d", i)}, u); err != nil {
				t.Fatal(err)
			}
		}
	})
	const hint = "Sökningen gick igenom de senaste ärendena som matchar och stannade där"
	b := s.Browser()
	b.Login(admin)
	cut := b.Get("/cases?q=Provsökning&board=KS")
	cut.Has(t, "Fler än 1 ärende,", hint, "Provsökning 16")
	cut.HasNot(t, "Provsökning 00")
	all := b.Get("/cases?q=Provsökning")
	all.Has(t, "Fler än 1 ärende,")
	all.HasNot(t, hint)
	// One hit is "1 ärende", not "1 ärenden".
	b.Get("/cases?q=Provsökning+16&board=KS").Has(t, ">1 ärende, de som bäst")
	b.Get("/diarium?q=Provsökning+16&board=KS").Has(t, ">1 ärende.<")
	// In the diary, a year chosen already is no advice.
	b.Get("/diarium?q=Provsökning&board=KS").Has(t, hint, "eller välj ett år")
	inYear := b.Get("/diarium?q=Provsökning&year=2026")
	inYear.Has(t, hint, "eller välj en nämnd")
	inYear.HasNot(t, "välj ett år")

	token := apiToken(t, s.Base, admin)
	for path, want := range map[string]bool{"/api/v1/cases?q=Provsökning&board=KS": true, "/api/v1/cases?q=Provsökning": false} {
		r := apitest.Send(t, http.DefaultClient, "GET", s.Base+path, token, nil)
		var page struct {
			TotalCapped bool `json:"total_capped"`
			SearchCut   bool `json:"search_cut"`
		}
		if err := json.Unmarshal(r.Body, &page); err != nil || r.Status != http.StatusOK || !page.TotalCapped || page.SearchCut != want {
			t.Errorf("%s: %d %s, want search_cut %v", path, r.Status, r.Body, want)
		}
	}
}
