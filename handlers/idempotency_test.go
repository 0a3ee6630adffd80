package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/kommun/beslutsgang/internal/apitest"
	"github.com/kommun/beslutsgang/workflow"
)

// POST /api/v1/cases with an Idempotency-Key, sent again after a lost
// answer, returns the case it made (200) instead of registering a second
// one; a malformed key is refused (422) and registers nothing.
func TestCreateCaseIdempotencyKey(t *testing.T) {
	s := startServer(t)
	tok := s.Token(officer)
	body, _ := json.Marshal(map[string]any{"board": "ASN", "title": "Riktlinjer för föreningsbidrag", "summary": "Sammanfattning.",
		"proposals": []string{"Nämnden föreslås besluta att anta riktlinjerna."}})
	post := func(key string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", s.Base+"/api/v1/cases", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		r := apitest.Do(t, http.DefaultClient, req)
		var c struct{ Number string }
		json.Unmarshal(r.Body, &c)
		return r.Status, c.Number
	}
	st1, n1 := post("order-4711")
	st2, n2 := post("order-4711")
	if st1 != http.StatusCreated || st2 != http.StatusOK || n1 == "" || n2 != n1 {
		t.Fatalf("sent twice: %d %s, then %d %s; want 201, then 200 with the same case", st1, n1, st2, n2)
	}
	if st, _ := post("två ord"); st != http.StatusUnprocessableEntity {
		t.Errorf("a malformed key: %d, want 422", st)
	}
	if st, n3 := post(""); st != http.StatusCreated || n3 == n1 {
		t.Errorf("without a key: %d %s, want a new case", st, n3)
	}
	if st, n4 := post(`"order-4711"`); st != http.StatusOK || n4 != n1 {
		t.Errorf("the key as a Structured Field string: %d %s, want 200 %s", st, n4, n1)
	}
	// The same key with another request is refused.
	body, _ = json.Marshal(map[string]any{"board": "ASN", "title": "Något annat"})
	if st, _ := post("order-4711"); st != http.StatusUnprocessableEntity {
		t.Errorf("the key with another request: %d, want 422", st)
	}
}

// A request sent again answers with the case as the caller may see it now,
// not as it was made: a secretary who made a secret case and lost the
// board's role got its title and text back through the key.
func TestCreateCaseAgainFollowsSecrecy(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	tok := s.Token(secretary)
	in := map[string]any{"board": "ASN", "title": "Skyddad placering av barn", "secret": true, "officer": officer,
		"summary": "Sammanfattning.", "background": "Känsliga uppgifter om familjen.", "proposals": []string{"Nämnden föreslås besluta."}}
	body, _ := json.Marshal(in)
	send := func() apitest.Response {
		req, _ := http.NewRequest("POST", s.Base+"/api/v1/cases", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "sec1")
		return apitest.Do(t, http.DefaultClient, req)
	}
	if r := send(); r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	u, err := s.Store.UserByEmail(ctx, secretary)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SetGrants(ctx, u.ID, []workflow.Grant{{Board: "KS", Role: workflow.RoleSecretary}}); err != nil {
		t.Fatal(err)
	}
	r := send()
	if r.Status != http.StatusOK || bytes.Contains(r.Body, []byte("Skyddad placering")) || bytes.Contains(r.Body, []byte("Känsliga")) {
		t.Errorf("sent again without the role: %d %s", r.Status, r.Body)
	}
}
