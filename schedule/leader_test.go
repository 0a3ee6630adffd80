package schedule_test

import (
	"os"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/internal/pgtest"
	"github.com/kommun/beslutsgang/notify/notifytest"
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
