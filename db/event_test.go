package db

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

func TestEventsAreAppendOnly(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	c := mustCreate(t, s, p, "Internationell redovisning 2019")
	mustAct(t, s, c.Number, p.officer, workflow.Command{Action: workflow.ActSubmit})
	before := dump(t, s.Path())
	raw := rawDB(t, s.Path())
	for _, q := range []string{
		`UPDATE events SET reason = 'ändrat i efterhand' WHERE seq = 2`,
		`UPDATE events SET hash = hash`,
		`DELETE FROM events WHERE seq = 2`,
		`DELETE FROM events`,
	} {
		_, err := raw.Exec(q)
		if err == nil || !strings.Contains(err.Error(), "events are append-only") {
			t.Errorf("%s: err = %v, want the trigger's \"events are append-only\"", q, err)
		}
	}
	// The case row cannot be removed from under its history either.
	if _, err := raw.Exec(`DELETE FROM cases`); err == nil {
		t.Error("a case with events could be deleted")
	}
	wantUnchanged(t, s, before)
}

// walk takes a case through every kind of event and returns its number.
func walk(t *testing.T, s *Store, p people) string {
	t.Helper()
	c := mustCreate(t, s, p, "Internationell redovisning 2019")
	mustAct(t, s, c.Number, p.officer, workflow.Command{Action: workflow.ActSubmit})
	mustAct(t, s, c.Number, p.approver1, workflow.Command{Action: workflow.ActReject, Reason: "Bilagan saknas"})
	mustAct(t, s, c.Number, p.officer, workflow.Command{Action: workflow.ActSubmit})
	mustAct(t, s, c.Number, p.approver1, workflow.Command{Action: workflow.ActApprove})
	mustAct(t, s, c.Number, p.approver2, workflow.Command{Action: workflow.ActApprove})
	return c.Number
}

func TestVerifyDetectsAlteredRow(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	other := walk(t, s, p)
	number := walk(t, s, p)
	ctx := context.Background()
	checked, broken, err := s.Verify(ctx)
	if err != nil || len(broken) != 0 || checked != 12 {
		t.Fatalf("Verify on a clean database = %d, %v, %v; want 12 events, none broken", checked, broken, err)
	}
	raw := rawDB(t, s.Path())
	// Someone with the file drops the guard and rewrites the rejection's reason.
	if _, err := raw.Exec(dropTrigger("events_no_update", "events")); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE events SET reason = 'Inget att anmärka' WHERE seq = 3 AND case_id = (SELECT id FROM cases WHERE number = ?)`, number); err != nil {
		t.Fatal(err)
	}
	_, broken, err = s.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(broken) != 1 || broken[0].Case != number || broken[0].Seq != 3 {
		t.Fatalf("Verify = %+v, want case %s event 3 only (not %s)", broken, number, other)
	}
	if msg := broken[0].Error(); !strings.Contains(msg, number) || !strings.Contains(msg, "händelse 3") {
		t.Errorf("message %q does not name the case and the event", msg)
	}
}

func TestVerifyDetectsRehashedRow(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	number := walk(t, s, p)
	ctx := context.Background()
	evs, err := s.Events(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	// A careful forger recomputes the altered row's own hash: the next row no
	// longer links to it.
	forged := evs[2]
	forged.Reason = "Inget att anmärka"
	raw := rawDB(t, s.Path())
	if _, err := raw.Exec(dropTrigger("events_no_update", "events")); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE events SET reason = ?, hash = ? WHERE seq = 3 AND case_id = (SELECT id FROM cases WHERE number = ?)`,
		forged.Reason, forged.ComputeHash(forged.PrevHash), number); err != nil {
		t.Fatal(err)
	}
	_, broken, err := s.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(broken) != 1 || broken[0].Case != number || broken[0].Seq != 4 {
		t.Fatalf("Verify = %+v, want case %s event 4 (no longer linked)", broken, number)
	}
}

func TestVerifyDetectsDeletedRow(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	number := walk(t, s, p)
	raw := rawDB(t, s.Path())
	if _, err := raw.Exec(dropTrigger("events_no_delete", "events")); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM events WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	_, broken, err := s.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(broken) != 1 || broken[0].Case != number || broken[0].Seq != 3 || !strings.Contains(broken[0].Why, "lucka") {
		t.Fatalf("Verify = %+v, want a sequence gap at case %s event 3", broken, number)
	}
}

func TestVerifyDetectsDeletedLastEvent(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	number := walk(t, s, p)
	raw := rawDB(t, s.Path())
	if _, err := raw.Exec(dropTrigger("events_no_delete", "events")); err != nil {
		t.Fatal(err)
	}
	var last int
	if err := raw.QueryRow(`SELECT MAX(seq) FROM events`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM events WHERE seq = ?`, last); err != nil {
		t.Fatal(err)
	}
	_, broken, err := s.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(broken) != 1 || broken[0].Case != number || broken[0].Seq != last || !strings.Contains(broken[0].Why, "saknas") {
		t.Fatalf("Verify = %+v, want the missing event %d of case %s", broken, last, number)
	}
}

// version counts the events of a case: create is version 1 and every later
// event bumps it once.
func TestEachActionAppendsExactlyOneEvent(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	c := mustCreate(t, s, p, "Internationell redovisning 2019")
	raw := rawDB(t, s.Path())
	steps := []struct {
		actor    workflow.User
		cmd      workflow.Command
		from, to workflow.Stage
	}{
		{p.officer, workflow.Command{Action: workflow.ActSubmit}, "draft", "approval"},
		{p.approver2, workflow.Command{Action: workflow.ActReject, Reason: "Sammanfattningen är för lång"}, "approval", "draft"},
		{p.officer, workflow.Command{Action: workflow.ActSubmit}, "draft", "approval"},
		{p.approver1, workflow.Command{Action: workflow.ActApprove}, "approval", "approval"},
		{p.approver2, workflow.Command{Action: workflow.ActApprove}, "approval", "presidium"},
		{p.secretary, workflow.Command{Action: workflow.ActPostpone, Date: workflow.MustDate("2026-03-24")}, "presidium", "presidium"},
		{p.secretary, workflow.Command{Action: actHandle}, "presidium", "working_committee"},
		{p.secretary, workflow.Command{Action: workflow.ActReturn, Reason: "Konsekvenserna ska beskrivas"}, "working_committee", "draft"},
		{p.officer, workflow.Command{Action: workflow.ActSubmit}, "draft", "approval"},
		{p.approver1, workflow.Command{Action: workflow.ActApprove}, "approval", "approval"},
		{p.approver2, workflow.Command{Action: workflow.ActApprove}, "approval", "presidium"},
		// Back at the presidium, whose meeting has handled it once: on to a later one.
		{p.secretary, workflow.Command{Action: workflow.ActPostpone, Date: workflow.MustDate("2026-03-25")}, "presidium", "presidium"},
		{p.secretary, workflow.Command{Action: actHandle}, "presidium", "working_committee"},
		{p.secretary, workflow.Command{Action: actHandle}, "working_committee", "board"},
		{p.secretary, workflow.Command{Action: actHandle}, "board", "board"},
		{p.approver1, workflow.Command{Action: actJustera}, "board", "board"},
		{p.secretary, workflow.Command{Action: workflow.ActDispatch}, "board", "executive_board"},
		{p.secretary, workflow.Command{Action: workflow.ActClose}, "executive_board", "closed"},
	}
	for i, st := range steps {
		before := count(t, raw, `SELECT COUNT(*) FROM events`)
		got := mustStep(t, s, p, c.Number, st.actor, st.cmd)
		evs, err := s.Events(ctx, c.Number)
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, raw, `SELECT COUNT(*) FROM events`); n != before+1 {
			t.Fatalf("step %d (%s): %d events appended, want 1", i, st.cmd.Action, n-before)
		}
		last := evs[len(evs)-1]
		want := st.cmd.Action
		switch want { // what the meeting did, as the history names it
		case actHandle:
			want = map[bool]workflow.Action{true: workflow.ActDecide, false: workflow.ActAdvance}[st.from == st.to]
		case actJustera:
			want = "justering"
		}
		if last.Action != string(want) || last.From != st.from || last.To != st.to || last.Actor.ID != st.actor.ID {
			t.Errorf("step %d: event %s %s→%s by %d, want %s %s→%s by %d", i, last.Action, last.From, last.To, last.Actor.ID,
				want, st.from, st.to, st.actor.ID)
		}
		if got.Stage != st.to || got.Version != len(evs) || last.Seq != len(evs) {
			t.Errorf("step %d: stage %s version %d seq %d with %d events", i, got.Stage, got.Version, last.Seq, len(evs))
		}
		if !last.At.Equal(got.UpdatedAt) {
			t.Errorf("step %d: event at %v, case updated at %v; one change has one time", i, last.At, got.UpdatedAt)
		}
	}
	evs, _ := s.Events(ctx, c.Number)
	if evs[2].Reason != "Sammanfattningen är för lång" || evs[8].Reason != "Konsekvenserna ska beskrivas" {
		t.Errorf("reasons not recorded: %q, %q", evs[2].Reason, evs[8].Reason)
	}
	if checked, broken, err := s.Verify(ctx); err != nil || len(broken) > 0 || checked != len(steps)+1 {
		t.Errorf("Verify = %d, %v, %v", checked, broken, err)
	}
}

func TestRefusedActionChangesNothing(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	ctx := context.Background()
	c := mustCreate(t, s, p, "Internationell redovisning 2019")
	c = mustReach(t, s, p, c.Number, workflow.StagePresidium)
	later := workflow.MustDate("2026-03-23")
	cases := []struct {
		name  string
		actor workflow.User
		cmd   workflow.Command
		code  string
	}{
		{"unknown action", p.secretary, workflow.Command{Action: "publish", Version: c.Version}, workflow.EINVALID},
		{"wrong stage", p.officer, workflow.Command{Action: workflow.ActSubmit, Version: c.Version}, workflow.ECONFLICT},
		{"decide before the nämnd", p.secretary, workflow.Command{Action: workflow.ActDecide, Version: c.Version, Decision: "x"}, workflow.ECONFLICT},
		{"advance past the meeting", p.secretary, workflow.Command{Action: workflow.ActAdvance, Version: c.Version}, workflow.ECONFLICT},
		{"wrong role", p.officer, workflow.Command{Action: workflow.ActPostpone, Version: c.Version, Date: later}, workflow.EFORBIDDEN},
		{"other board's secretary", p.ksSecretary, workflow.Command{Action: workflow.ActPostpone, Version: c.Version, Date: later}, workflow.EFORBIDDEN},
		{"stale version", p.secretary, workflow.Command{Action: workflow.ActPostpone, Version: c.Version - 1, Date: later}, workflow.ECONFLICT},
		{"future version", p.secretary, workflow.Command{Action: workflow.ActPostpone, Version: c.Version + 1, Date: later}, workflow.ECONFLICT},
		{"missing reason", p.secretary, workflow.Command{Action: workflow.ActReturn, Version: c.Version, Reason: "  "}, workflow.EINVALID},
		{"postpone without date", p.secretary, workflow.Command{Action: workflow.ActPostpone, Version: c.Version}, workflow.EINVALID},
		{"postpone to an earlier date", p.secretary, workflow.Command{Action: workflow.ActPostpone, Version: c.Version, Date: workflow.MustDate("2026-03-19")}, workflow.EINVALID},
		{"unknown case", p.secretary, workflow.Command{Action: workflow.ActAdvance, Version: c.Version}, workflow.ENOTFOUND},
	}
	before := dump(t, s.Path())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			number := c.Number
			if tc.code == workflow.ENOTFOUND {
				number = "ASN-2026-999"
			}
			_, err := s.Act(ctx, number, tc.actor, tc.cmd)
			wantCode(t, err, tc.code)
			wantUnchanged(t, s, before)
		})
	}
}

// A failure late in the transaction, after the case row and the event were
// written, takes them back with it: case, event, deadlines and mail commit
// together or not at all.
func TestFailureAfterTheEventRollsEverythingBack(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	c := mustCreate(t, s, p, "Internationell redovisning 2019")
	before := dump(t, s.Path())
	s.Composer = failingComposer{}
	_, err := s.Act(context.Background(), c.Number, p.officer, workflow.Command{Action: workflow.ActSubmit, Version: c.Version})
	if err == nil || !strings.Contains(err.Error(), "mallen saknas") {
		t.Fatalf("Act with a failing composer = %v", err)
	}
	wantUnchanged(t, s, before)
	s.Composer = mailComposer{}
	got := mustAct(t, s, c.Number, p.officer, workflow.Command{Action: workflow.ActSubmit})
	if got.Version != 2 || got.Stage != workflow.StageApproval {
		t.Errorf("after the failure the action works again: version %d stage %s", got.Version, got.Stage)
	}
}

type failingComposer struct{}

func (failingComposer) Compose(*workflow.Case, workflow.Event, workflow.Notification) (Mail, error) {
	return Mail{}, errors.New("mallen saknas")
}

func TestActionsQueueMailInTheirTransaction(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	c := mustCreate(t, s, p, "Internationell redovisning 2019")
	raw := rawDB(t, s.Path())
	mustAct(t, s, c.Number, p.officer, workflow.Command{Action: workflow.ActSubmit})
	var to, key string
	if err := raw.QueryRow(`SELECT to_addr, dedupe_key FROM outbox`).Scan(&to, &key); err != nil {
		t.Fatal(err)
	}
	if to != p.approver1.Email || key != c.Number+"/2/submitted/"+p.approver1.Email {
		t.Errorf("submit queued mail to %s with key %s; want the first approver, key of event 2", to, key)
	}
	mustAct(t, s, c.Number, p.approver1, workflow.Command{Action: workflow.ActApprove})
	mustAct(t, s, c.Number, p.approver2, workflow.Command{Action: workflow.ActApprove})
	// Approval by the last approver tells the board's secretaries.
	if n := count(t, raw, `SELECT COUNT(*) FROM outbox WHERE to_addr = ? AND subject LIKE '%approved'`, p.secretary.Email); n != 1 {
		t.Errorf("%d approved mails to the secretary, want 1", n)
	}
	if n := count(t, raw, `SELECT COUNT(*) FROM outbox`); n != 3 {
		t.Errorf("outbox has %d rows, want 3 (approver 1, approver 2, secretary)", n)
	}
}
