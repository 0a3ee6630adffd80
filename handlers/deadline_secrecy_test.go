package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/workflow"
)

// What a bevakning on a secret case is about shows only to the people on it:
// on the case page and in the API. Its date and kind stay for everyone.
func TestSecretCaseDeadlinesAreWithheld(t *testing.T) {
	ctx := context.Background()
	s, outsider := loggedIn(t, "ordforande@kommun.example") // no role on any board
	officer, _ := s.Store.UserByEmail(ctx, "handlaggare@kommun.example")
	const note = "Begär in journalanteckningarna från enheten"
	numbers := map[bool]string{}
	for _, secret := range []bool{true, false} {
		c, err := s.Store.CreateCase(ctx, db.CaseInput{Board: "ASN", Title: "Utredning om enskild", Secret: secret}, officer)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Store.AddDeadline(ctx, c.Number, db.DeadlineInput{Due: soon(4), Note: note}, officer); err != nil {
			t.Fatal(err)
		}
		numbers[secret] = c.Number
	}
	// The case page's history is the case's to withhold; this is about the panel.
	p := deadlinePanel(t, outsider.Get("/cases/"+numbers[true]))
	p.Has(t, soon(4), "Bevakning · Uppgiften omfattas av sekretess")
	p.HasNot(t, note, "Sara Lindqvist")
	// An outsider may not set one there, so no form is offered.
	if strings.Contains(outsider.Get("/cases/"+numbers[true]).Body, `id="new-deadline-title"`) {
		t.Error("the bevakning form is offered on a secret case to an outsider")
	}
	deadlinePanel(t, outsider.Get("/cases/"+numbers[false])).Has(t, note)

	secretary := s.Browser()
	secretary.Login("sekreterare@kommun.example")
	deadlinePanel(t, secretary.Get("/cases/"+numbers[true])).Has(t, note)
	officerPage := s.Browser()
	officerPage.Login("handlaggare@kommun.example")
	officerPage.Get("/").Has(t, note, "Utredning om enskild")

	token := apiToken(t, s.Base, "ordforande@kommun.example")
	var items []db.DeadlineItem
	apiGet(t, s.Base, token, "/cases/"+numbers[true]+"/deadlines", &items)
	if len(items) == 0 {
		t.Fatal("the API lists no bevakningar on the secret case")
	}
	var custom int64
	for _, it := range items {
		if strings.Contains(it.Note, "journal") || it.CaseTitle != "Uppgiften omfattas av sekretess" || it.Due.IsZero() {
			t.Errorf("API item for an outsider: %+v", it)
		}
		if it.Kind == workflow.DeadlineCustom {
			custom = it.ID
		}
	}
	var one struct{ Note string }
	apiGet(t, s.Base, token, "/deadlines/"+itoa(custom), &one)
	if one.Note != "Uppgiften omfattas av sekretess" {
		t.Errorf("GET /deadlines/{id} for an outsider: note %q", one.Note)
	}
}

// deadlinePanel is the case page's list of bevakningar, without the form.
func deadlinePanel(t *testing.T, p page) page {
	t.Helper()
	_, rest, ok := strings.Cut(p.Body, `id="bevakningar"`)
	panel, _, _ := strings.Cut(rest, `id="new-deadline-title"`) // the form, where there is one
	if !ok {
		t.Fatalf("the page (status %d) has no bevakningar panel", p.Status)
	}
	p.Body = panel
	return p
}

// apiToken logs a demo user in to the API.
func apiToken(t *testing.T, base, email string) string {
	t.Helper()
	body := `{"email":"` + email + `","password":"` + demo.Password + `"}`
	resp, err := http.Post(base+"/api/v1/sessions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("API login as %s: %d, %v", email, resp.StatusCode, err)
	}
	return out.Token
}

// apiGet reads an API path into v; anything but 200 ends the test.
func apiGet(t *testing.T, base, token, path string, v any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1"+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}
