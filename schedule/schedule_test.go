package schedule_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/notify/notifytest"
	"github.com/kommun/beslutsgang/schedule"
	"github.com/kommun/beslutsgang/workflow"
)

// service is what serve wires together, on the world's database file.
type service struct {
	store *db.Store
	sched *schedule.Scheduler
}

// start opens the database (again, after a restart) and builds the jobs as
// serve does: real templates, delivery to Mailpit when given.
func start(t *testing.T, w *notifytest.World, mp *notifytest.Mailpit) service {
	t.Helper()
	s, err := db.Open(w.Path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = w.Clock.Now
	c, err := notify.NewComposer(notify.Templates(), "http://beslut.test", workflow.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	s.Composer = c
	cfg := schedule.Config{Store: s, Composer: c, Now: w.Clock.Now, Log: slog.New(slog.DiscardHandler)}
	if mp != nil {
		server, err := notify.ParseSMTPURL(mp.SMTPURL())
		if err != nil {
			t.Fatal(err)
		}
		cfg.Delivery, err = notify.NewSMTPDelivery(s, server, "beslut@kommun.example")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Delivery.Now, cfg.Delivery.Log = w.Clock.Now, cfg.Log
	}
	sched, err := schedule.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return service{store: s, sched: sched}
}

func TestJobsRunInStockholmOutsideTheDSTHour(t *testing.T) {
	for name, spec := range schedule.Specs {
		if err := schedule.CheckSpec(spec); err != nil {
			t.Errorf("job %s: %v", name, err)
		}
	}
	for _, spec := range []string{"30 2 * * *", "0 0-3 * * *", "@hourly"} {
		if err := schedule.CheckSpec(spec); err == nil || !strings.Contains(err.Error(), "02:00") {
			t.Errorf("CheckSpec(%q) = %v, want refused", spec, err)
		}
	}
	w := notifytest.NewWorld(t)
	svc := start(t, w, nil)
	for _, tt := range []struct{ after, want time.Time }{
		// Friday before summer time starts: Monday 07:00 CEST is 05:00Z.
		{time.Date(2026, 3, 27, 8, 0, 0, 0, workflow.Stockholm), time.Date(2026, 3, 30, 5, 0, 0, 0, time.UTC)},
		// Friday before it ends: Monday 07:00 CET is 06:00Z.
		{time.Date(2026, 10, 23, 8, 0, 0, 0, workflow.Stockholm), time.Date(2026, 10, 26, 6, 0, 0, 0, time.UTC)},
	} {
		if got := svc.sched.Next("digest", tt.after); !got.Equal(tt.want) {
			t.Errorf("digest after %v runs %v, want %v", tt.after, got.UTC(), tt.want)
		}
	}
	// Långfredagen is a weekday but no work day: the digest job sends nothing.
	w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30")
	for day, want := range map[string]int{"2026-04-03": 0, "2026-04-02": 1} {
		n, err := svc.sched.Digest(w.Ctx, workflow.MustDate(day).At(7, 0))
		if err != nil || n != want {
			t.Errorf("digest on %s = %d, %v; want %d", day, n, err, want)
		}
	}
}

// The officer's submission day is Tuesday 31 March 2026. The service stops on
// Monday 30 March at 07:00 and starts again on Thursday 2 April at 07:30: the
// reminders of Monday, Tuesday and Wednesday each go out once, saying their own day.
func TestRestartAfterThreeDaysSendsEachMissedReminderOnce(t *testing.T) {
	mp := notifytest.StartMailpit(t)
	w := notifytest.NewWorld(t)
	c := w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30", w.Approver)

	svc := start(t, w, mp)
	w.Clock.At("2026-03-24", 10, 0) // after the digest's hours
	svc.sched.Start()
	svc.sched.Stop(context.Background()) // the start-up scan has run
	if _, err := svc.sched.Deliver(w.Ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(mp.Messages()); n != 1 {
		t.Fatalf("on 24 March Mailpit got %d messages, want the five-day reminder", n)
	}
	svc.store.Close()

	w.Clock.At("2026-04-02", 7, 30)
	svc = start(t, w, mp)
	svc.sched.Start()
	svc.sched.Stop(context.Background())
	again, err := svc.sched.Scan(w.Ctx, w.Clock.Now())
	if err != nil || len(again.Reminders) != 0 {
		t.Fatalf("a second scan sent %+v, %v", again.Reminders, err)
	}
	if _, err := svc.sched.Deliver(w.Ctx); err != nil {
		t.Fatal(err)
	}
	var reminders, digests []notifytest.Message
	for _, m := range mp.Messages()[1:] {
		if strings.HasPrefix(m.Subject, "Dina bevakningar") {
			digests = append(digests, m)
		} else {
			reminders = append(reminders, m)
		}
	}
	// Started at 07:30, the service makes up the 07:00 digest as well.
	if len(reminders) != 3 || len(digests) != 1 {
		t.Fatalf("after the restart Mailpit got %d reminders and %d digests, want 3 and 1", len(reminders), len(digests))
	}
	for _, day := range []string{"måndag 30 mars 2026", "tisdag 31 mars 2026", "onsdag 1 april 2026"} {
		i := slices.IndexFunc(reminders, func(m notifytest.Message) bool { return strings.Contains(m.Text, "Påminnelse för "+day) })
		if i < 0 {
			t.Errorf("no reminder for %s", day)
			continue
		}
		m := reminders[i]
		if m.To[0].Address != w.Officer.Email || !strings.Contains(m.Text, "Påminnelse för "+day+" (skickad torsdag 2 april 2026") ||
			!strings.Contains(m.Text, "http://beslut.test/cases/"+c.Number) {
			t.Errorf("message %d to %v:\n%s\nwant the reminder for %s, sent late", i+1, m.To, m.Text, day)
		}
	}

	// Thursday's own reminder comes at 08:00, two work days late: the approver is copied.
	w.Clock.At("2026-04-02", 8, 0)
	r, err := svc.sched.Scan(w.Ctx, w.Clock.Now())
	if err != nil || len(r.Reminders) != 1 {
		t.Fatalf("Thursday's scan = %+v, %v", r.Reminders, err)
	}
	svc.sched.Deliver(w.Ctx)
	msgs := mp.Messages()
	last := msgs[len(msgs)-1]
	if len(msgs) != 6 || len(last.Cc) != 1 || last.Cc[0].Address != w.Approver.Email || strings.Contains(last.Text, "senare än avsett") {
		t.Errorf("Thursday's reminder %+v, want one on time, copied to the approver", last)
	}
}

func TestRecurringAssignmentAcrossRestart(t *testing.T) {
	w := notifytest.NewWorld(t)
	svc := start(t, w, nil)
	w.Clock.At("2026-01-10", 9, 0)
	tmpl, err := svc.store.CreateRecurring(w.Ctx, db.RecurringInput{Title: "Internationell redovisning {last_year}", Board: "ASN",
		Officer: w.Officer.Email, Schedule: "0 8 15 1 *", LeadDays: 20}, w.Secretary)
	if err != nil {
		t.Fatal(err)
	}
	w.Clock.At("2026-01-15", 8, 0)
	r, err := svc.sched.Scan(w.Ctx, w.Clock.Now())
	if err != nil || len(r.Recurring) != 1 || r.Recurring[0].Case == "" || r.Recurring[0].Title != "Internationell redovisning 2025" {
		t.Fatalf("scan = %+v, %v; want one case", r.Recurring, err)
	}
	c, err := svc.store.Case(w.Ctx, r.Recurring[0].Case)
	if err != nil || c.Stage != workflow.StageDraft || c.Officer.ID != w.Officer.ID || c.Title != "Internationell redovisning 2025" {
		t.Fatalf("case %+v, %v", c, err)
	}
	ds, _ := svc.store.CaseDeadlines(w.Ctx, c.Number)
	// Twenty work days from Thursday 15 January 2026: Thursday 12 February.
	if len(ds) != 1 || ds[0].Kind != workflow.DeadlineCustom || ds[0].Due != workflow.MustDate("2026-02-12") || ds[0].Note != db.RecurringNote {
		t.Errorf("deadlines %+v, want the officer's bevakning due 2026-02-12", ds)
	}
	svc.store.Close()

	svc = start(t, w, nil)
	w.Clock.Add(time.Minute)
	if r, err := svc.sched.Scan(w.Ctx, w.Clock.Now()); err != nil || len(r.Recurring) != 0 {
		t.Fatalf("after a restart the scan ran %+v, %v", r.Recurring, err)
	}
	list, _ := svc.store.Recurrings(w.Ctx)
	if len(list) != 1 || list[0].ID != tmpl.ID || !list[0].NextRun.Equal(time.Date(2027, 1, 15, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("recurring %+v, want next run on 15 January 2027 at 08:00 in Stockholm", list)
	}
}
