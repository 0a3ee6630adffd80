package db_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// scan runs the reminder scan and returns what it sent for case deadlines;
// the meetings' own deadlines are tested in meeting_deadline_test.go.
func (f *mailFixture) scan(opt db.ScanOptions) []db.SentReminder {
	f.t.Helper()
	sent, err := f.s.SendDueReminders(f.ctx, f.now, opt)
	if err != nil {
		f.t.Fatal(err)
	}
	return slices.DeleteFunc(sent, func(s db.SentReminder) bool { return s.Deadline.MeetingID != 0 })
}

func days(sent []db.SentReminder) []string {
	var out []string
	for _, s := range sent {
		out = append(out, s.On.String())
	}
	return out
}

// The officer's submission day is Tuesday 31 March 2026. The service runs on
// 24 March, then is down from the 25th until Thursday 2 April at 10:00.
func TestReminderScanAfterDowntime(t *testing.T) {
	f := newMailFixture(t)
	c := f.newCase("Internationell redovisning 2025", "2026-04-16", "2026-04-30", f.approver)
	opt := db.ScanOptions{Compose: plainComposer{}}

	f.at("2026-03-24", 7, 59)
	if sent := f.scan(opt); len(sent) != 0 {
		t.Fatalf("a minute early the scan sent %+v", sent)
	}
	f.at("2026-03-24", 8, 0)
	sent := f.scan(opt)
	if !slices.Equal(days(sent), []string{"2026-03-24"}) || sent[0].Channel != "mail" || sent[0].To != f.officer.Email || sent[0].Late() {
		t.Fatalf("24 March sent %+v, want the five-day reminder to the officer", sent)
	}
	f.now = f.now.Add(30 * time.Second)
	if again := f.scan(opt); len(again) != 0 {
		t.Fatalf("the next tick sent %+v again", again)
	}

	f.at("2026-04-02", 10, 0)
	sent = f.scan(opt)
	// Each missed reminder once, with its own day; the overdue series is not
	// replayed for 2 April, it goes on after Easter.
	if got := days(sent); !slices.Equal(got, []string{"2026-03-30", "2026-03-31", "2026-04-01"}) {
		t.Fatalf("after downtime sent %q", got)
	}
	for _, s := range sent {
		if !s.Late() || s.Manager != nil {
			t.Errorf("%s: late %v, manager %+v; want late and no copy yet", s.On, s.Late(), s.Manager)
		}
	}
	if again := f.scan(opt); len(again) != 0 {
		t.Fatalf("a second scan sent %+v", again)
	}
	sub := openOfKind(f.deadlines(c.Number), workflow.DeadlineSubmission)[0]
	if got := reminderSlots(t, f, sub.ID, false); !slices.Equal(got, []string{"2026-03-31/overdue-2026-04-07"}) {
		t.Errorf("planned after the scan = %q, want the Tuesday after Easter", got)
	}

	// Three work days late the manager, the case's first approver, is copied.
	f.at("2026-04-07", 8, 1)
	sent = f.scan(opt)
	if len(sent) != 1 || sent[0].Manager == nil || sent[0].Manager.ID != f.approver.ID ||
		!slices.Equal(sent[0].Cc, []string{f.approver.Email}) || sent[0].Offset != 3 {
		t.Fatalf("7 April sent %+v, want one copied to the approver", sent)
	}

	var keys, subjects []string
	for _, m := range f.outbox() {
		keys = append(keys, m.Key)
		subjects = append(subjects, m.Subject)
		if m.Kind != "reminder" || m.State != db.MailQueued || m.To != f.officer.Email {
			t.Errorf("outbox row %+v", m)
		}
	}
	wantSubjects := []string{c.Number + " submission 2026-03-24", c.Number + " submission 2026-03-30",
		c.Number + " submission 2026-03-31", c.Number + " submission 2026-04-01", c.Number + " submission 2026-04-07"}
	if !slices.Equal(subjects, wantSubjects) {
		t.Errorf("outbox subjects = %q, want %q", subjects, wantSubjects)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(keys)))) != len(keys) {
		t.Errorf("dedupe keys repeat: %q", keys)
	}

	// Once submitted and signed, the submission day is met: nothing more is sent.
	f.at("2026-04-07", 9, 0)
	c = f.act(c, f.officer, workflow.ActSubmit)
	f.act(c, f.approver, workflow.ActApprove)
	f.at("2026-04-08", 8, 5)
	if sent := f.scan(opt); len(sent) != 0 {
		t.Errorf("after approval the scan sent %+v", sent)
	}
}

func TestReminderScanWithoutAddressShowsInUI(t *testing.T) {
	f := newMailFixture(t)
	c := f.newCase("Delårsrapport", "2026-04-16", "2026-04-30", f.approver)
	f.at("2026-03-24", 9, 0)
	sent := f.scan(db.ScanOptions{}) // no composer: nowhere to mail
	if len(sent) != 1 || sent[0].Channel != "ui" || sent[0].To != "" {
		t.Fatalf("sent %+v, want one shown in the UI only", sent)
	}
	if n := len(f.outbox()); n != 0 {
		t.Errorf("outbox has %d messages, want none", n)
	}
	for _, channel := range []string{"", "ui"} {
		mine, err := f.s.UserReminders(f.ctx, f.officer.ID, f.now.Add(-24*time.Hour), channel)
		if err != nil || len(mine) != 1 || mine[0].Channel != "ui" || mine[0].Deadline.CaseNumber != c.Number {
			t.Fatalf("UserReminders(%q) = %+v, %v", channel, mine, err)
		}
	}
	if mailed, err := f.s.UserReminders(f.ctx, f.officer.ID, f.now.Add(-24*time.Hour), "mail"); err != nil || len(mailed) != 0 {
		t.Errorf("UserReminders(mail) = %+v, %v; want none", mailed, err)
	}
	gaps, err := f.s.MailGaps(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(gaps, func(g db.MailGap) bool {
		return g.Kind == "reminder_in_ui_only" && g.Email == f.officer.Email && g.Case == c.Number
	}) {
		t.Errorf("MailGaps = %+v, want the UI-only reminder", gaps)
	}
	// Its deadline closed after the reminder went out: the reminder stays
	// listed until the cutoff passes it (UserReminders reads the deadlines
	// closed since the cutoff, as well as the open ones).
	f.at("2026-03-24", 10, 0)
	f.act(f.act(c, f.officer, workflow.ActSubmit), f.approver, workflow.ActApprove)
	mine, err := f.s.UserReminders(f.ctx, f.officer.ID, f.now.Add(-24*time.Hour), "ui")
	if err != nil || len(mine) != 1 || mine[0].Deadline.State == workflow.DeadlineOpen {
		t.Fatalf("after the deadline closed: UserReminders = %+v, %v; want the one, its deadline closed", mine, err)
	}
	if later, err := f.s.UserReminders(f.ctx, f.officer.ID, f.now.Add(time.Minute), ""); err != nil || len(later) != 0 {
		t.Errorf("UserReminders since after it = %+v, %v; want none", later, err)
	}
}

func TestEscalationFallsBackToTheConfiguredAddress(t *testing.T) {
	f := newMailFixture(t)
	f.newCase("Utan ansvariga chefer", "2026-04-16", "2026-04-30")
	opt := db.ScanOptions{Compose: plainComposer{}, ManagerAddress: "forvaltning@kommun.example"}
	f.at("2026-04-01", 8, 30)
	for _, s := range f.scan(opt) {
		if len(s.Cc) != 0 {
			t.Errorf("reminder for %s copied %q before two work days overdue", s.On, s.Cc)
		}
	}
	f.at("2026-04-02", 8, 30)
	sent := f.scan(opt)
	if len(sent) != 1 || sent[0].Offset != 2 || !slices.Equal(sent[0].Cc, []string{"forvaltning@kommun.example"}) {
		t.Errorf("2 April sent %+v, want one copied to the configured address", sent)
	}
}

func TestDigest(t *testing.T) {
	f := newMailFixture(t)
	f.newCase("Internationell redovisning 2025", "2026-04-16", "2026-04-30", f.approver)
	c2 := f.newCase("Riktlinjer för ekonomiskt bistånd", "2026-05-21", "2026-06-04", f.approver)
	if _, err := f.s.AddDeadline(f.ctx, c2.Number, db.DeadlineInput{Due: "2026-03-27", Note: "Stäm av med ekonomi"}, f.officer); err != nil {
		t.Fatal(err)
	}
	// Saturday: no digest.
	f.at("2026-03-28", 7, 0)
	if n, err := f.s.QueueDigests(f.ctx, f.now, plainComposer{}); err != nil || n != 0 {
		t.Fatalf("Saturday digest = %d, %v", n, err)
	}
	// Wednesday 25 March: the custom deadline (27th) and the submission day (31st) are within the week.
	f.at("2026-03-25", 7, 0)
	n, err := f.s.QueueDigests(f.ctx, f.now, plainComposer{})
	if err != nil || n != 1 {
		t.Fatalf("digest = %d, %v; want one, for the officer", n, err)
	}
	out := f.outbox()
	if len(out) != 1 || out[0].To != f.officer.Email || out[0].Subject != "digest 2026-03-25 2" || out[0].Kind != "digest" {
		t.Fatalf("outbox = %+v", out)
	}
	if n, _ := f.s.QueueDigests(f.ctx, f.now.Add(time.Hour), plainComposer{}); n != 0 {
		t.Errorf("second digest the same day queued %d", n)
	}
	if !strings.HasPrefix(out[0].Key, "digest/") {
		t.Errorf("key = %q", out[0].Key)
	}
}
