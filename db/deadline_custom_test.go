package db_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

func reminderSlots(t *testing.T, f *mailFixture, deadlineID int64, sent bool) []string {
	t.Helper()
	rs, err := f.s.Reminders(f.ctx, deadlineID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		if (r.SentAt != nil) == sent {
			out = append(out, r.Slot)
		}
	}
	return out
}

func openOfKind(ds []db.DeadlineItem, kind workflow.DeadlineKind) []db.DeadlineItem {
	var out []db.DeadlineItem
	for _, d := range ds {
		if d.Kind == kind && d.State == workflow.DeadlineOpen {
			out = append(out, d)
		}
	}
	return out
}

// The submission day of a case whose AU meets Thursday 16 April 2026 is ten
// work days before: långfredagen and annandag påsk are skipped, so Tuesday 31 March.
func TestWorkflowDeadlinesCarryTheirReminders(t *testing.T) {
	f := newMailFixture(t)
	c := f.newCase("Internationell redovisning 2025", "2026-04-16", "2026-04-30", f.approver)

	sub := openOfKind(f.deadlines(c.Number), workflow.DeadlineSubmission)
	if len(sub) != 1 || sub[0].Due != workflow.MustDate("2026-03-31") || sub[0].Responsible.ID != f.officer.ID {
		t.Fatalf("submission deadlines = %+v, want one for the officer due 2026-03-31", sub)
	}
	want := []string{"2026-03-31/before-5", "2026-03-31/before-1", "2026-03-31/due", "2026-03-31/overdue-2026-04-01"}
	if got := reminderSlots(t, f, sub[0].ID, false); !slices.Equal(got, want) {
		t.Errorf("planned reminders = %q, want %q", got, want)
	}
	if sub[0].NextReminder == nil || !sub[0].NextReminder.Equal(time.Date(2026, 3, 24, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("next reminder = %v, want 2026-03-24 08:00 in Stockholm", sub[0].NextReminder)
	}

	f.at("2026-03-10", 10, 0)
	c = f.act(c, f.officer, workflow.ActSubmit)
	appr := openOfKind(f.deadlines(c.Number), workflow.DeadlineApproval)
	if len(appr) != 1 || appr[0].Responsible.ID != f.approver.ID || appr[0].Due != workflow.MustDate("2026-03-31") {
		t.Fatalf("approval deadlines = %+v, want Jonas's turn due 2026-03-31", appr)
	}
	if got := reminderSlots(t, f, appr[0].ID, false); !slices.Equal(got, []string{"2026-03-31/before-1", "2026-03-31/due", "2026-03-31/overdue-2026-04-01"}) {
		t.Errorf("approval reminders = %q", got)
	}

	f.at("2026-03-11", 10, 0)
	c = f.act(c, f.approver, workflow.ActApprove)
	for _, id := range []int64{sub[0].ID, appr[0].ID} {
		d, err := f.s.Deadline(f.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if d.State != workflow.DeadlineDone {
			t.Errorf("deadline %d is %s after approval, want done", id, d.State)
		}
		if got := reminderSlots(t, f, id, false); len(got) != 0 {
			t.Errorf("closed deadline %d keeps unsent reminders %q", id, got)
		}
	}
	stage := openOfKind(f.deadlines(c.Number), workflow.DeadlineStage)
	if len(stage) != 1 || stage[0].Responsible.ID != f.secretary.ID || stage[0].Due != workflow.MustDate("2026-04-17") {
		t.Fatalf("stage deadlines = %+v, want the secretary's due the day after the AU", stage)
	}
	if got := reminderSlots(t, f, stage[0].ID, false); !slices.Equal(got, []string{"2026-04-17/due", "2026-04-17/overdue-2026-04-20"}) {
		t.Errorf("stage reminders = %q", got)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := workflow.ErrorCode(err); err == nil || got != code {
		t.Fatalf("err = %v (%s), want %s", err, got, code)
	}
}

func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	wantCode(t, err, workflow.EINVALID)
	var we *workflow.Error
	errors.As(err, &we)
	var got []string
	for _, fe := range we.Fields {
		got = append(got, fe.Field)
	}
	if !slices.Equal(got, fields) {
		t.Fatalf("fields = %q, want %q (%v)", got, fields, err)
	}
}

func TestCustomDeadline(t *testing.T) {
	f := newMailFixture(t)
	c := f.newCase("Yttrande över motion om feriearbete", "2026-04-16", "2026-04-30", f.approver)
	before, beforeEvents := f.deadlines(c.Number), f.events(c.Number)

	bad := []struct {
		name   string
		in     db.DeadlineInput
		fields []string
	}{
		{"nothing", db.DeadlineInput{}, []string{"due", "note"}},
		{"not a date", db.DeadlineInput{Due: "31/3", Note: "x"}, []string{"due"}},
		{"passed", db.DeadlineInput{Due: "2026-03-01", Note: "x"}, []string{"due"}},
		{"unknown person", db.DeadlineInput{Due: "2026-03-20", Responsible: "vem@kommun.example", Note: "x"}, []string{"responsible"}},
		{"unknown person and no note", db.DeadlineInput{Due: "2026-03-20", Responsible: "vem@kommun.example"}, []string{"responsible", "note"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.s.AddDeadline(f.ctx, c.Number, tt.in, f.outsider)
			wantFields(t, err, tt.fields...)
		})
	}
	if _, err := f.s.AddDeadline(f.ctx, "ASN-2026-999", db.DeadlineInput{Due: "2026-03-20", Note: "x"}, f.outsider); workflow.ErrorCode(err) != workflow.ENOTFOUND {
		t.Errorf("unknown case: %v, want not found", err)
	}
	if got := f.deadlines(c.Number); len(got) != len(before) {
		t.Fatalf("refused input changed the deadlines: %+v", got)
	}
	if got := f.events(c.Number); len(got) != len(beforeEvents) {
		t.Fatalf("refused input added events")
	}

	// Anyone may set one for anyone; Monday 16 March.
	d, err := f.s.AddDeadline(f.ctx, c.Number, db.DeadlineInput{Due: "2026-03-16", Responsible: f.secretary.Email,
		Note: "Kontrollera att KS remissvar kommit in"}, f.outsider)
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != workflow.DeadlineCustom || d.Responsible.ID != f.secretary.ID || d.CreatedBy == nil || d.CreatedBy.ID != f.outsider.ID ||
		d.CaseTitle != c.Title || d.Ref == "" {
		t.Errorf("AddDeadline = %+v", d)
	}
	want := []string{"2026-03-16/before-5", "2026-03-16/before-1", "2026-03-16/due", "2026-03-16/overdue-2026-03-17"}
	if got := reminderSlots(t, f, d.ID, false); !slices.Equal(got, want) {
		t.Errorf("reminders = %q, want %q", got, want)
	}
	evs := f.events(c.Number)
	if last := evs[len(evs)-1]; last.Action != "deadline" || last.Actor.ID != f.outsider.ID {
		t.Errorf("last event = %+v, want the bevakning", last)
	}
	if now, _ := f.s.Case(f.ctx, c.Number); now.Version != c.Version+1 || len(evs) != now.Version {
		t.Errorf("case at version %d with %d events, want %d and as many events", now.Version, len(evs), c.Version+1)
	}
	if checked, broken, err := f.s.Verify(f.ctx); err != nil || len(broken) > 0 || checked == 0 {
		t.Errorf("Verify = %d, %v, %v", checked, broken, err)
	}
	mine, err := f.s.UserDeadlines(f.ctx, f.secretary.ID, workflow.MustDate("2026-03-20"))
	if err != nil || len(mine) != 1 || mine[0].ID != d.ID {
		t.Errorf("UserDeadlines = %+v, %v; want the new one", mine, err)
	}
	if later, _ := f.s.UserDeadlines(f.ctx, f.secretary.ID, workflow.MustDate("2026-03-13")); len(later) != 0 {
		t.Errorf("UserDeadlines up to 13 March = %+v, want none", later)
	}

	// Only the responsible person, the one who set it and the board's staff acknowledge.
	_, err = f.s.AcknowledgeDeadline(f.ctx, d.ID, f.approver)
	wantCode(t, err, workflow.EFORBIDDEN)
	if got, _ := f.s.Deadline(f.ctx, d.ID); got.State != workflow.DeadlineOpen {
		t.Fatalf("refused acknowledgement changed the deadline: %+v", got)
	}
	f.at("2026-03-12", 14, 0)
	ack, err := f.s.AcknowledgeDeadline(f.ctx, d.ID, f.secretary)
	if err != nil {
		t.Fatal(err)
	}
	if ack.State != workflow.DeadlineAcknowledged || ack.ClosedBy == nil || ack.ClosedBy.ID != f.secretary.ID || ack.ClosedAt == nil {
		t.Errorf("AcknowledgeDeadline = %+v", ack)
	}
	if got := reminderSlots(t, f, d.ID, false); len(got) != 0 {
		t.Errorf("acknowledged deadline keeps unsent reminders %q", got)
	}
	_, err = f.s.AcknowledgeDeadline(f.ctx, d.ID, f.secretary)
	wantCode(t, err, workflow.ECONFLICT)
	_, err = f.s.AcknowledgeDeadline(f.ctx, 9999, f.secretary)
	wantCode(t, err, workflow.ENOTFOUND)
	sub := openOfKind(f.deadlines(c.Number), workflow.DeadlineSubmission)
	_, err = f.s.AcknowledgeDeadline(f.ctx, sub[0].ID, f.officer)
	wantCode(t, err, workflow.ECONFLICT)
}
