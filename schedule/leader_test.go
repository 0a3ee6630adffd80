package schedule_test

import (
	"os"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/internal/pgtest"
	"github.com/kommun/beslutsgang/notify/notifytest"
	"github.com/kommun/beslutsgang/schedule"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// Two instances on one PostgreSQL database: one leads the scheduled work.
// When it dies (its lease is not renewed), the other takes over within
// 30 s and at once makes up what fell due in the gap, once: a recurring
// assignment due in the gap makes one case, and the old leader, come back,
// does not lead while the new one renews.
func TestLeaderFailover(t *testing.T) {
	w := notifytest.NewWorldAt(t, pgtest.DatabaseURL(t))
	w.Clock.At("2026-03-02", 8, 0)
	a, b := start(t, w, nil), start(t, w, nil)
	if _, err := w.Store.CreateRecurring(w.Ctx, db.RecurringInput{Title: "Internationell redovisning", Board: "ASN",
		Officer: w.Officer.Email, Schedule: "5 9 2 3 *"}, w.Secretary); err != nil {
		t.Fatal(err)
	}
	a.sched.LeaseJob()
	b.sched.LeaseJob()
	if !a.sched.Leader() || b.sched.Leader() {
		t.Fatalf("leaders: a %v, b %v; want a alone", a.sched.Leader(), b.sched.Leader())
	}
	// a renews for the last time at 09:04:50 and dies; the assignment falls
	// due at 09:05, while b's lease job still finds a's lease running.
	w.Clock.Set(w.Clock.At("2026-03-02", 9, 4).Add(50 * time.Second))
	a.sched.LeaseJob()
	died := w.Clock.Now()
	for !b.sched.Leader() {
		w.Clock.Set(w.Clock.Now().Add(5 * time.Second)) // the lease job's interval
		b.sched.LeaseJob()
		if w.Clock.Now().Sub(died) > time.Minute {
			t.Fatal("b never took over")
		}
	}
	if gap := w.Clock.Now().Sub(died); gap > 30*time.Second {
		t.Errorf("b took over %v after a's last renewal, want within 30 s", gap)
	}
	cases := func() int {
		page, err := w.Store.Cases(w.Ctx, db.CaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return page.Total
	}
	if n := cases(); n != 1 {
		t.Errorf("%d cases after b took over, want the one the assignment fell due for in the gap", n)
	}
	w.Clock.Set(w.Clock.Now().Add(5 * time.Second))
	b.sched.LeaseJob()
	a.sched.LeaseJob() // a is back
	if a.sched.Leader() || !b.sched.Leader() {
		t.Errorf("leaders after a came back: a %v, b %v; want b alone", a.sched.Leader(), b.sched.Leader())
	}
	if n := cases(); n != 1 {
		t.Errorf("%d cases after a came back, want still 1", n)
	}
}

// The leader renews its lease once half of it has passed, not at every run
// of the lease job: each renewal is a commit, which empties the store's
// caches. Between renewals the lease stays where the last one put it, and
// a second instance still cannot take it.
func TestLeaderRenewsAtHalfTheLease(t *testing.T) {
	w := notifytest.NewWorld(t)
	w.Clock.At("2026-03-02", 10, 0)
	a, b := start(t, w, nil), start(t, w, nil)
	until := func() time.Time {
		t.Helper()
		h, until, err := w.Store.LeaseHolder(w.Ctx, db.LeaseScheduler)
		if err != nil || h != a.sched.Instance() {
			t.Fatalf("lease holder %q, %v; want a", h, err)
		}
		return until
	}
	a.sched.LeaseJob()
	taken := until()
	for i := 1; i <= 3; i++ {
		w.Clock.Set(w.Clock.Now().Add(3 * time.Second))
		a.sched.LeaseJob()
		b.sched.LeaseJob()
		if got := until(); !got.Equal(taken) {
			t.Fatalf("the lease moved to %v at the run %d s after it was taken, want it kept until %v", got, 3*i, taken)
		}
		if !a.sched.Leader() || b.sched.Leader() {
			t.Fatalf("leaders: a %v, b %v; want a alone", a.sched.Leader(), b.sched.Leader())
		}
	}
	w.Clock.Set(w.Clock.Now().Add(time.Second)) // 10 s: half the lease
	a.sched.LeaseJob()
	if got, want := until(), w.Clock.Now().Add(schedule.LeaseTTL); !got.Equal(want.UTC()) {
		t.Errorf("after half the lease it runs until %v, want %v", got, want.UTC())
	}
}
