package db

import (
	"context"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// The service's bookkeeping changes no page: a session written and
// removed, the scheduler's lease taken and renewed, a login failure, an API
// token made and revoked, a reminder scan that finds nothing due, mail
// claimed and marked sent leave the list cache and the case records as they
// are (the lease alone emptied them every 5 s when the cache followed every
// commit). A change after them is seen at the next read, as before.
func TestListCacheOutlivesBookkeeping(t *testing.T) {
	f := newSearchFixture(t)
	ctx := f.ctx
	c, err := f.s.CreateCase(ctx, caseInput(f.p, "Bidrag till föreningar"), f.p.officer)
	if err != nil {
		t.Fatal(err)
	}
	number := c.Number
	// A mail to claim: the case's submission queues one to its approver.
	if c, err = f.s.Act(ctx, number, f.p.officer, workflow.Command{Action: workflow.ActSubmit, Version: c.Version}); err != nil {
		t.Fatal(err)
	}
	read := func() {
		t.Helper()
		if _, _, err := f.s.As(&f.p.officer).CaseRecord(ctx, number); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Cases(ctx, CaseFilter{Viewer: &f.p.officer, PerPage: 10}); err != nil {
			t.Fatal(err)
		}
	}
	read()
	before := f.s.ListCacheStats()

	ss := f.s.Sessions()
	if err := ss.Set("sessionsnyckel", []byte("data"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := ss.Delete("sessionsnyckel"); err != nil {
		t.Fatal(err)
	}
	for range 2 { // taken, then renewed
		if ok, err := f.s.TryLease(ctx, LeaseScheduler, "instans-1", time.Minute); err != nil || !ok {
			t.Fatalf("lease: %v, %v", ok, err)
		}
	}
	id, _, err := f.s.LoginFailures().Attempt(ctx, "någon@kommun.example", "127.0.0.1", time.Hour,
		func(LoginFailureCounts) time.Duration { return 0 })
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.LoginFailures().Failed(ctx, id); err != nil {
		t.Fatal(err)
	}
	token, err := f.s.CreateToken(ctx, f.p.officer.ID) // a login through the API
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.RevokeToken(ctx, token); err != nil {
		t.Fatal(err)
	}
	// The reminder scan, with nothing due (a reminder's day is days ahead).
	if sent, err := f.s.SendDueReminders(ctx, f.s.now(), ScanOptions{}); err != nil || len(sent) != 0 {
		t.Fatalf("the scan sent %d: %v", len(sent), err)
	}
	mail, err := f.s.ClaimMail(ctx, f.s.now().Add(time.Hour), 10)
	if err != nil || len(mail) == 0 {
		t.Fatalf("claimed %d mail: %v", len(mail), err)
	}
	if err := f.s.MarkMailSent(ctx, mail[0].ID, f.s.now()); err != nil {
		t.Fatal(err)
	}

	read()
	if after := f.s.ListCacheStats(); after.Hits != before.Hits+2 || after.Misses != before.Misses {
		t.Errorf("after bookkeeping: %d hits and %d misses, want 2 and 0", after.Hits-before.Hits, after.Misses-before.Misses)
	}

	// A change: the approver's rejection is read at once.
	if _, err := f.s.Act(ctx, number, f.p.approver1, workflow.Command{Action: workflow.ActReject, Version: c.Version, Reason: "Komplettera"}); err != nil {
		t.Fatal(err)
	}
	got, _, err := f.s.As(&f.p.officer).CaseRecord(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	if got.Stage != workflow.StageDraft {
		t.Errorf("after the approval the case is still read as %s", got.Stage)
	}
}
