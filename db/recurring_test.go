package db_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

func TestCreateRecurringRefusesBadInput(t *testing.T) {
	f := newMailFixture(t)
	valid := db.RecurringInput{Title: "Internationell redovisning {year}", Board: "ASN", Officer: f.officer.Email, Schedule: "0 8 15 1 *", LeadDays: 20}
	bad := []struct {
		name   string
		edit   func(*db.RecurringInput)
		fields []string
	}{
		{"invalid cron", func(in *db.RecurringInput) { in.Schedule = "0 8 31 2 * *" }, []string{"schedule"}},
		{"DST hour", func(in *db.RecurringInput) { in.Schedule = "30 2 * * 1" }, []string{"schedule"}},
		{"unknown board", func(in *db.RecurringInput) { in.Board = "XYZ" }, []string{"board", "officer"}},
		{"unknown officer", func(in *db.RecurringInput) { in.Officer = "vem@kommun.example" }, []string{"officer"}},
		{"not an officer", func(in *db.RecurringInput) { in.Officer = f.approver.Email }, []string{"officer"}},
		{"no title, negative lead", func(in *db.RecurringInput) { in.Title, in.LeadDays = "", -3 }, []string{"title", "lead_days"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			in := valid
			tt.edit(&in)
			_, err := f.s.CreateRecurring(f.ctx, in, f.admin)
			wantFields(t, err, tt.fields...)
		})
	}
	_, err := f.s.CreateRecurring(f.ctx, valid, f.officer)
	wantCode(t, err, workflow.EFORBIDDEN)
	if list, _ := f.s.Recurrings(f.ctx); len(list) != 0 {
		t.Fatalf("refused input saved %+v", list)
	}
}

// A monthly assignment that has not run for three months makes up each
// missed month once; one whose officer has lost the role records why.
func TestRunRecurringCatchesUpOncePerPeriod(t *testing.T) {
	f := newMailFixture(t)
	f.at("2026-01-01", 9, 0)
	r, err := f.s.CreateRecurring(f.ctx, db.RecurringInput{Title: "Månadsrapport {month} {year}", Board: "ASN",
		Officer: f.officer.Email, Schedule: "0 9 1 * *"}, f.secretary)
	if err != nil {
		t.Fatal(err)
	}
	if !r.NextRun.Equal(workflow.MustDate("2026-02-01").At(9, 0)) || !r.Active || r.Officer.ID != f.officer.ID {
		t.Fatalf("CreateRecurring = %+v", r)
	}
	f.at("2026-04-15", 12, 0)
	runs, err := f.s.RunRecurring(f.ctx, f.now)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, run := range runs {
		titles = append(titles, run.Title)
		if run.Case == "" || run.Error != "" {
			t.Errorf("run %+v, want a case", run)
		}
	}
	want := []string{"Månadsrapport februari 2026", "Månadsrapport mars 2026", "Månadsrapport april 2026"}
	if len(titles) != 3 || titles[0] != want[0] || titles[1] != want[1] || titles[2] != want[2] {
		t.Fatalf("runs %q, want %q", titles, want)
	}
	if again, _ := f.s.RunRecurring(f.ctx, f.now.Add(time.Hour)); len(again) != 0 {
		t.Fatalf("a second run made %+v", again)
	}
	page, err := f.s.Cases(f.ctx, db.CaseFilter{Query: "Månadsrapport"})
	if err != nil || page.Total != 3 {
		t.Fatalf("cases %d, %v; want 3", page.Total, err)
	}
	// The history says the assignment made the case, not its officer.
	if evs, err := f.s.Events(f.ctx, runs[0].Case); err != nil || evs[0].Action != "create" || !strings.Contains(evs[0].Reason, "återkommande uppdrag") {
		t.Errorf("the case's first event: %+v, %v", evs[0], err)
	}

	// The officer loses the role: May's run records the reason, makes no case, and moves on.
	if err := f.s.SetGrants(f.ctx, f.officer.ID, nil); err != nil {
		t.Fatal(err)
	}
	f.at("2026-05-01", 9, 0)
	runs, err = f.s.RunRecurring(f.ctx, f.now)
	if err != nil || len(runs) != 1 || runs[0].Case != "" || runs[0].Error == "" {
		t.Fatalf("May's run = %+v, %v; want the reason and no case", runs, err)
	}
	if page, _ := f.s.Cases(f.ctx, db.CaseFilter{Query: "Månadsrapport"}); page.Total != 3 {
		t.Errorf("cases %d after a refused run, want 3", page.Total)
	}
	list, _ := f.s.Recurrings(f.ctx)
	if !list[0].NextRun.Equal(workflow.MustDate("2026-06-01").At(9, 0)) {
		t.Errorf("next run %v, want 1 June", list[0].NextRun)
	}

	// The list of runs, newest first, says what each period made.
	listed, err := f.s.RecurringRuns(f.ctx, 10)
	if err != nil || len(listed) != 4 {
		t.Fatalf("RecurringRuns = %+v, %v; want 4", listed, err)
	}
	if l := listed[0]; l.Period != "2026-05-01T09:00" || l.Title != "Månadsrapport maj 2026" || l.Case != "" || l.Error != runs[0].Error ||
		!l.At.Equal(f.now) {
		t.Errorf("newest run %+v", l)
	}
	if l := listed[3]; l.Title != "Månadsrapport februari 2026" || l.Case == "" || l.Error != "" {
		t.Errorf("oldest run %+v", l)
	}
	if few, _ := f.s.RecurringRuns(f.ctx, 2); len(few) != 2 {
		t.Errorf("RecurringRuns with limit 2 = %d rows", len(few))
	}
}
