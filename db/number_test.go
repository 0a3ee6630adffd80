package db

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

func TestNumbersCountPerBoardAndYear(t *testing.T) {
	s, clk := mustOpenClock(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	create := func(board string) string {
		t.Helper()
		in := caseInput(p, "Ärende för "+board)
		if board == "KS" {
			in.Board, in.Route = "KS", []StepInput{{Body: "KS", Date: "2027-02-10"}}
			in.Approvers = []ApproverInput{{Email: p.approver1.Email}}
		}
		c, err := s.CreateCase(ctx, in, p.officer)
		if err != nil {
			t.Fatalf("CreateCase %s: %v", board, err)
		}
		return c.Number
	}
	var got []string
	for _, b := range []string{"ASN", "ASN", "KS", "ASN", "KS"} {
		got = append(got, create(b))
	}
	// New Year's night: 00:30 in Stockholm is still 2026 in UTC, but the
	// series is the Swedish year.
	clk.Set(time.Date(2027, time.January, 1, 0, 30, 0, 0, workflow.Stockholm))
	in := caseInput(p, "Nytt år")
	in.Route = []StepInput{{Body: "ASN", Date: "2027-01-28"}}
	c, err := s.CreateCase(ctx, in, p.officer)
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, c.Number, create("KS"))
	want := []string{"ASN-2026-1", "ASN-2026-2", "KS-2026-1", "ASN-2026-3", "KS-2026-2", "ASN-2027-1", "KS-2027-1"}
	if !slices.Equal(got, want) {
		t.Errorf("numbers = %q, want %q", got, want)
	}
}

func TestConcurrentCreateGivesNoDuplicatesNoGaps(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	const n = 40
	numbers := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := s.CreateCase(context.Background(), caseInput(p, fmt.Sprintf("Ärende %d", i)), p.officer)
			numbers[i], errs[i] = c.Number, err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("CreateCase %d: %v", i, err)
		}
	}
	seen := map[string]bool{}
	for _, num := range numbers {
		if seen[num] {
			t.Errorf("number %s handed out twice", num)
		}
		seen[num] = true
	}
	for i := 1; i <= n; i++ {
		if num := workflow.FormatNumber("ASN", 2026, i); !seen[num] {
			t.Errorf("%s is missing: the series has a gap", num)
		}
	}
	// Each number went to the case with the title it was created with.
	for i, num := range numbers {
		c, err := s.Case(context.Background(), num)
		if err != nil || c.Title != fmt.Sprintf("Ärende %d", i) {
			t.Errorf("%s: title %q, %v; want Ärende %d", num, c.Title, err, i)
		}
	}
}

func TestExplicitNumberIsKeptAndMovesTheSeries(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	first := mustCreate(t, s, p, "Före importen")
	in := caseInput(p, "Importerat ärende")
	in.Number = "ASN-2026-100"
	in.Route[0].Date = "2026-01-15" // an imported case may have met already
	imported, err := s.ImportCase(ctx, in, p.officer)
	if err != nil {
		t.Fatalf("ImportCase: %v", err)
	}
	if imported.Number != "ASN-2026-100" {
		t.Errorf("imported number = %s, want ASN-2026-100", imported.Number)
	}
	// A lower explicit number is kept too, but does not pull the series back.
	in.Number = "ASN-2026-50"
	if c, err := s.ImportCase(ctx, in, p.officer); err != nil || c.Number != "ASN-2026-50" {
		t.Fatalf("ImportCase ASN-2026-50 = %s, %v", c.Number, err)
	}
	// Another year's number moves that year's series only.
	in.Number = "ASN-2019-17886"
	if _, err := s.ImportCase(ctx, in, p.officer); err != nil {
		t.Fatal(err)
	}
	next := mustCreate(t, s, p, "Efter importen")
	if first.Number != "ASN-2026-1" || next.Number != "ASN-2026-101" {
		t.Errorf("numbers around the import = %s, %s; want ASN-2026-1, ASN-2026-101", first.Number, next.Number)
	}
	raw := rawDB(t, s.Path())
	if last := count(t, raw, `SELECT last FROM case_series JOIN boards ON boards.id = board_id WHERE code = 'ASN' AND year = 2019`); last != 17886 {
		t.Errorf("2019 series last = %d, want 17886", last)
	}
}

func TestDuplicateNumberIsConflictAndChangesNothing(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	mustCreate(t, s, p, "Första")
	before := dump(t, s.Path())
	in := caseInput(p, "Samma nummer")
	in.Number = "ASN-2026-1"
	for name, create := range map[string]func(context.Context, CaseInput, workflow.User) (workflow.Case, error){
		"ImportCase": s.ImportCase, "CreateCase": s.CreateCase} {
		_, err := create(ctx, in, p.officer)
		wantCode(t, err, workflow.ECONFLICT)
		t.Logf("%s: %v", name, err)
	}
	wantUnchanged(t, s, before)
}

func TestBadExplicitNumberIsInvalid(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	before := dump(t, s.Path())
	for _, number := range []string{"KS-2026-5", "ASN-2026-0", "ASN-26-5", "asn-2026-5", "ASN-2026-05"} {
		in := caseInput(p, "Fel nummer")
		in.Number = number
		_, err := s.ImportCase(context.Background(), in, p.officer)
		wantCode(t, err, workflow.EINVALID)
	}
	wantUnchanged(t, s, before)
}
