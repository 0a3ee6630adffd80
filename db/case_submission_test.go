package db

import (
	"context"
	"sync"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// The same submission twice registers one case: a double click on Skapa
// ärendet made two, with two diarienummer, both in the public diary. Sent
// again later, or at the same moment, it returns the first one's case.
func TestCreateCaseOnce(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	count := func() int {
		t.Helper()
		var n int
		if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	in := caseInput(p, "Riktlinjer för föreningsbidrag")
	first, created, err := s.CreateCaseOnce(ctx, "web:0123456789abcdef0123456789abcdef", in, p.officer)
	if err != nil || !created {
		t.Fatalf("first: %v, created %v", err, created)
	}
	before := count()
	again, created, err := s.CreateCaseOnce(ctx, "web:0123456789abcdef0123456789abcdef", in, p.officer)
	if err != nil || created || again.Number != first.Number || again.Title != "" || count() != before {
		t.Errorf("again: %s, created %v, %v; %d cases, want %d", again.Number, created, err, count(), before)
	}
	// At the same moment: one case, and both get it.
	var wg sync.WaitGroup
	numbers := make([]string, 4)
	for i := range numbers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, _, err := s.CreateCaseOnce(ctx, "api:order-17", caseInput(p, "Riktlinjer för föreningsbidrag"), p.officer)
			if err != nil {
				t.Errorf("at once: %v", err)
			}
			numbers[i] = c.Number
		}()
	}
	wg.Wait()
	if count() != before+1 || numbers[0] == "" || numbers[0] != numbers[1] || numbers[1] != numbers[2] || numbers[2] != numbers[3] {
		t.Errorf("four at once: %q, %d cases, want %d", numbers, count(), before+1)
	}
	// The same key with another request, and a malformed key, register
	// nothing.
	if _, _, err := s.CreateCaseOnce(ctx, "web:0123456789abcdef0123456789abcdef", caseInput(p, "Annat"), p.officer); workflow.ErrorCode(err) != workflow.EINVALID {
		t.Errorf("the key with another request: %v", err)
	}
	if _, _, err := s.CreateCaseOnce(ctx, "api:två ord", in, p.officer); workflow.ErrorCode(err) != workflow.EINVALID {
		t.Errorf("a malformed key: %v", err)
	}
	if count() != before+1 {
		t.Errorf("%d cases after the refusals, want %d", count(), before+1)
	}
	// The caller's input is left as it was sent (its recipients were
	// trimmed in place, so the same input sent again hashed otherwise).
	spaced := caseInput(p, "Riktlinjer för lokalbidrag")
	spaced.Recipients = []workflow.Recipient{{Name: " Kommunstyrelsen ", Email: "ks@kommun.example"}}
	if _, _, err := s.CreateCaseOnce(ctx, "api:spaced-1", spaced, p.officer); err != nil {
		t.Fatal(err)
	}
	if spaced.Recipients[0].Name != " Kommunstyrelsen " {
		t.Errorf("the caller's recipient became %q", spaced.Recipients[0].Name)
	}
	if _, created, err := s.CreateCaseOnce(ctx, "api:spaced-1", spaced, p.officer); err != nil || created {
		t.Errorf("the same input again: created %v, %v", created, err)
	}
	// Keys are each user's own: another's same key is a case of its own.
	other, created, err := s.CreateCaseOnce(ctx, "web:0123456789abcdef0123456789abcdef", in, p.officer2)
	if err != nil || !created || other.Number == first.Number {
		t.Errorf("another user's same key: %s, created %v, %v", other.Number, created, err)
	}
}
