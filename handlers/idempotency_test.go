package handlers_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/kommun/beslutsgang/internal/apitest"
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
}
