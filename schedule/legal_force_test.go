package schedule_test

import (
	"context"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/notify/notifytest"
	"github.com/kommun/beslutsgang/workflow"
)

// The start-up run notes a decision whose appeal period ended while the
// service was down; the daily run is at 06:15 Stockholm time.
func TestLegalForceIsNotedAtStart(t *testing.T) {
	w := notifytest.NewWorld(t)
	if _, err := w.Store.AddMember(w.Ctx, "ASN", w.Secretary, db.MemberInput{Role: workflow.MemberChair, User: w.Approver.Email}); err != nil {
		t.Fatal(err)
	}
	c := w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30", w.Approver)
	c = w.Act(c, w.Officer, workflow.Command{Action: workflow.ActSubmit})
	c = w.Act(c, w.Approver, workflow.Command{Action: workflow.ActApprove})
	c = w.Handle(c, workflow.DecisionApproved, "Arbetsutskottet föreslår nämnden att godkänna förslaget.")
	id := c.Route[1].MeetingID
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.Store.MarkNoticeSent(w.Ctx, id, w.Secretary))
	w.Clock.At("2026-04-30", 19, 0)
	must(w.Store.MarkHeld(w.Ctx, id, w.Secretary))
	members, _ := w.Store.Members(w.Ctx, "ASN")
	must(w.Store.SetAttendance(w.Ctx, id, w.Secretary, []db.AttendanceInput{{Member: members[0].ID, Present: true, Adjuster: true}}))
	_, _, err := w.Store.Decide(w.Ctx, id, w.Secretary, db.DecisionInput{Case: c.Number, Type: workflow.DecisionApproved, Text: "Nämnden godkänner."})
	must(nil, err)
	must(w.Store.Sign(w.Ctx, id, w.Approver))
	w.Clock.At("2026-05-04", 9, 0)
	must(w.Store.Post(w.Ctx, id, w.Secretary, workflow.MustDate("2026-05-04")))

	svc := start(t, w, nil)
	if got, want := svc.sched.Next("meetings", time.Date(2026, 5, 25, 12, 0, 0, 0, workflow.Stockholm)),
		time.Date(2026, 5, 26, 6, 15, 0, 0, workflow.Stockholm); !got.Equal(want) {
		t.Errorf("the laga-kraft job runs %v, want %v", got, want)
	}
	w.Clock.At("2026-05-28", 10, 0) // appeal period ended Monday 25 May; laga kraft the 26th
	svc.sched.Start()
	svc.sched.Stop(context.Background())
	evs, err := svc.store.Events(w.Ctx, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	if last := evs[len(evs)-1]; last.Action != "legal_force" {
		t.Errorf("the case's history ends with %s, want legal_force", last.Action)
	}
	if notes, err := svc.sched.LegalForce(w.Ctx, w.Clock.Now()); err != nil || len(notes) != 0 {
		t.Errorf("a second run noted %+v, %v", notes, err)
	}
}
