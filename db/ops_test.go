package db

import (
	"context"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/observe"
	"github.com/kommun/beslutsgang/workflow"
)

// An event keeps the request id of the context that wrote it, outside its
// hash: the chain verifies, and an event written without one has "".
// Store.Actions hears of every action with its result.
func TestEventRequestID(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	type heard struct {
		action string
		code   string
	}
	var actions []heard
	s.Actions = func(action string, err error) {
		code := "ok"
		if err != nil {
			code = workflow.ErrorCode(err)
		}
		actions = append(actions, heard{action, code})
	}
	c := mustCreate(t, s, p, "Utan begäran")
	ctx := observe.WithRequestID(context.Background(), "begaran-42")
	if _, err := s.Act(ctx, c.Number, p.officer, workflow.Command{Action: workflow.ActSubmit, Version: c.Version}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(ctx, c.Number, p.officer, workflow.Command{Action: workflow.ActSubmit, Version: c.Version}); workflow.ErrorCode(err) != workflow.ECONFLICT {
		t.Fatalf("a stale submit: %v", err)
	}
	for seq, want := range map[int]string{1: "", 2: "begaran-42"} {
		if got, err := s.EventRequestID(context.Background(), c.Number, seq); err != nil || got != want {
			t.Errorf("event %d: request id %q, %v; want %q", seq, got, err, want)
		}
	}
	if _, err := s.EventRequestID(context.Background(), c.Number, 9); workflow.ErrorCode(err) != workflow.ENOTFOUND {
		t.Errorf("a missing event: %v", err)
	}
	if checked, broken, err := s.Verify(context.Background()); err != nil || len(broken) != 0 || checked != 2 {
		t.Errorf("Verify = %d, %v, %v", checked, broken, err)
	}
	if _, err := s.EditDraft(ctx, c.Number, c.Version, caseInput(p, "Ändrad"), p.officer); workflow.ErrorCode(err) != workflow.ECONFLICT {
		t.Fatalf("editing a submitted case on an old version: %v", err)
	}
	if len(actions) != 4 || actions[0] != (heard{"create", "ok"}) || actions[1] != (heard{"submit", "ok"}) ||
		actions[2] != (heard{"submit", workflow.ECONFLICT}) || actions[3] != (heard{"update", workflow.ECONFLICT}) {
		t.Errorf("Actions heard %v", actions)
	}
}

// OpsStats counts the outbox's queued and failed mail, dates its oldest
// queued message and counts the reminders due, as the rows say.
func TestOpsStats(t *testing.T) {
	s, clk := mustOpenClock(t)
	ctx := context.Background()
	empty, err := s.OpsStats(ctx, s.Now())
	if err != nil || len(empty.Outbox) != 2 || empty.Outbox["queued"] != 0 || empty.Outbox["failed"] != 0 ||
		!empty.OldestQueued.IsZero() || empty.RemindersDue != 0 {
		t.Fatalf("an empty store: %+v, %v", empty, err)
	}
	p := mustOrg(t, s)
	c := mustCreate(t, s, p, "Utkorgen räknas")
	mustAct(t, s, c.Number, p.officer, workflow.Command{Action: workflow.ActSubmit})
	first := s.Now()
	clk.Set(first.Add(time.Hour))
	d := mustCreate(t, s, p, "Ännu ett")
	mustAct(t, s, d.Number, p.officer, workflow.Command{Action: workflow.ActSubmit})
	page, err := s.Outbox(ctx, OutboxFilter{PerPage: MaxPerPage})
	if err != nil || len(page.Items) < 2 {
		t.Fatalf("the outbox: %d messages, %v", len(page.Items), err)
	}
	// The oldest message is sent, the newest given up on.
	oldest, newest := page.Items[len(page.Items)-1], page.Items[0]
	if err := s.MarkMailSent(ctx, oldest.ID, s.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkMailFailed(ctx, newest.ID, s.Now(), "550", s.Now(), true); err != nil {
		t.Fatal(err)
	}
	st, err := s.OpsStats(ctx, s.Now())
	if err != nil {
		t.Fatal(err)
	}
	queued := len(page.Items) - 2
	if len(st.Outbox) != 2 || st.Outbox["queued"] != queued || st.Outbox["failed"] != 1 {
		t.Errorf("outbox %v; want %d queued, 1 failed (the sent one not counted)", st.Outbox, queued)
	}
	wantOldest := first
	if page.Items[len(page.Items)-2].CreatedAt.After(first) {
		wantOldest = first.Add(time.Hour)
	}
	if queued > 0 && !st.OldestQueued.Equal(wantOldest) {
		t.Errorf("oldest queued %v, want %v", st.OldestQueued, wantOldest)
	}
	unsent := count(t, s.r, `SELECT COUNT(*) FROM reminders WHERE sent_at IS NULL`)
	later, err := s.OpsStats(ctx, s.Now().AddDate(5, 0, 0))
	if err != nil || unsent == 0 || later.RemindersDue != unsent || st.RemindersDue != 0 {
		t.Errorf("reminders due now %d, in five years %d (%v); %d unsent", st.RemindersDue, later.RemindersDue, err, unsent)
	}
}
