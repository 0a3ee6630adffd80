package db

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// deadlineRows lists a case's deadlines as "kind/ref due state responsible", by id.
func deadlineRows(t *testing.T, s *Store, number string) []string {
	t.Helper()
	rows, err := rawDB(t, s.Path()).Query(`SELECT kind, ref, due, state, COALESCE(responsible_id, 0) FROM deadlines
		WHERE case_id = (SELECT id FROM cases WHERE number = ?) ORDER BY id`, number)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var kind, ref, due, state string
		var responsible int64
		if err := rows.Scan(&kind, &ref, &due, &state, &responsible); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s/%s %s %s %d", kind, ref, due, state, responsible))
	}
	return out
}

func TestDeadlinesFollowTheCase(t *testing.T) {
	s, clk := mustOpenClock(t)
	p := mustOrg(t, s)
	c := mustCreate(t, s, p, "Internationell redovisning 2019")
	// Inlämningsdag: ten work days before the presidium of 20 March.
	submitBy := workflow.AddWorkdays(datePB, -workflow.DefaultPolicy.SubmissionLeadDays)
	if submitBy != workflow.MustDate("2026-03-06") {
		t.Fatalf("fixture: submission day %s", submitBy)
	}
	sub := fmt.Sprintf("submission/submit %s", submitBy)
	ap1 := fmt.Sprintf("approval/approver:%d %s", p.approver1.ID, submitBy)
	ap2 := fmt.Sprintf("approval/approver:%d %s", p.approver2.ID, submitBy)
	steps := []struct {
		actor workflow.User
		cmd   workflow.Command
		want  []string
	}{
		{want: []string{sub + fmt.Sprintf(" open %d", p.officer.ID)}},
		{p.officer, workflow.Command{Action: workflow.ActSubmit}, []string{
			sub + fmt.Sprintf(" open %d", p.officer.ID),
			ap1 + fmt.Sprintf(" open %d", p.approver1.ID)}},
		{p.approver1, workflow.Command{Action: workflow.ActApprove}, []string{
			sub + fmt.Sprintf(" open %d", p.officer.ID),
			ap1 + fmt.Sprintf(" done %d", p.approver1.ID),
			ap2 + fmt.Sprintf(" open %d", p.approver2.ID)}},
		{p.approver2, workflow.Command{Action: workflow.ActApprove}, []string{
			sub + fmt.Sprintf(" done %d", p.officer.ID),
			ap1 + fmt.Sprintf(" done %d", p.approver1.ID),
			ap2 + fmt.Sprintf(" done %d", p.approver2.ID),
			// The step should have moved on the work day after its meeting.
			fmt.Sprintf("stage/step:0 2026-03-23 open %d", p.secretary.ID)}},
		// Postponed to Friday 27 March: the same deadline moves to Monday 30 March.
		{p.secretary, workflow.Command{Action: workflow.ActPostpone, Date: workflow.MustDate("2026-03-27")}, []string{
			sub + fmt.Sprintf(" done %d", p.officer.ID),
			ap1 + fmt.Sprintf(" done %d", p.approver1.ID),
			ap2 + fmt.Sprintf(" done %d", p.approver2.ID),
			fmt.Sprintf("stage/step:0 2026-03-30 open %d", p.secretary.ID)}},
		{p.secretary, workflow.Command{Action: actHandle}, []string{
			sub + fmt.Sprintf(" done %d", p.officer.ID),
			ap1 + fmt.Sprintf(" done %d", p.approver1.ID),
			ap2 + fmt.Sprintf(" done %d", p.approver2.ID),
			fmt.Sprintf("stage/step:0 2026-03-30 done %d", p.secretary.ID),
			// The AU of 27 March was pushed along a week, past Easter
			// (långfredagen 3 April, annandag påsk 6 April) to Tuesday 7 April.
			fmt.Sprintf("stage/step:1 2026-04-08 open %d", p.secretary.ID)}},
		{p.officer, workflow.Command{Action: workflow.ActWithdraw, Reason: "Uppdraget är återkallat"}, []string{
			sub + fmt.Sprintf(" done %d", p.officer.ID),
			ap1 + fmt.Sprintf(" done %d", p.approver1.ID),
			ap2 + fmt.Sprintf(" done %d", p.approver2.ID),
			fmt.Sprintf("stage/step:0 2026-03-30 done %d", p.secretary.ID),
			fmt.Sprintf("stage/step:1 2026-04-08 done %d", p.secretary.ID)}},
	}
	for i, st := range steps {
		if st.cmd.Action != "" {
			clk.Set(start.Add(time.Duration(i) * time.Hour))
			mustStep(t, s, p, c.Number, st.actor, st.cmd)
		}
		if got := deadlineRows(t, s, c.Number); !slices.Equal(got, st.want) {
			t.Fatalf("after step %d (%s) deadlines are\n  %s\nwant\n  %s", i, st.cmd.Action,
				strings.Join(got, "\n  "), strings.Join(st.want, "\n  "))
		}
	}
	cs, _ := s.Case(context.Background(), c.Number)
	if cs.Route[1].Date != workflow.MustDate("2026-04-07") {
		t.Errorf("AU moved to %s, want 2026-04-07", cs.Route[1].Date)
	}
	// A deadline is closed at the time of the action that closed it.
	var closed string
	rawDB(t, s.Path()).QueryRow(`SELECT closed_at FROM deadlines WHERE ref = 'step:1'`).Scan(&closed)
	if want := workflow.FormatTime(clk.Now()); closed != want {
		t.Errorf("step:1 closed at %s, want %s", closed, want)
	}
}

// Deadlines set by a person are not the workflow's to close.
func TestCustomDeadlineIsLeftAlone(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	c := mustCreate(t, s, p, "Internationell redovisning 2019")
	raw := rawDB(t, s.Path())
	if _, err := raw.Exec(`INSERT INTO deadlines(case_id, kind, ref, due, responsible_id, state, created_at)
		SELECT id, 'custom', 'note:1', '2026-04-01', ?, 'open', '2026-03-02T08:00:00.000000Z' FROM cases WHERE number = ?`,
		p.officer.ID, c.Number); err != nil {
		t.Fatal(err)
	}
	mustReach(t, s, p, c.Number, workflow.StagePresidium)
	mustAct(t, s, c.Number, p.officer, workflow.Command{Action: workflow.ActWithdraw, Reason: "Uppdraget är återkallat"})
	if n := count(t, raw, `SELECT COUNT(*) FROM deadlines WHERE kind = 'custom' AND state = 'open'`); n != 1 {
		t.Errorf("the custom deadline was closed by the workflow")
	}
	if n := count(t, raw, `SELECT COUNT(*) FROM deadlines WHERE kind <> 'custom' AND state = 'open' AND case_id IS NOT NULL`); n != 0 {
		t.Errorf("%d workflow deadlines open on a withdrawn case", n)
	}
}

// A draft with no dated first meeting has nothing to count back from.
func TestNoDeadlineWithoutMeetingDate(t *testing.T) {
	s := mustOpen(t)
	p := mustOrg(t, s)
	in := caseInput(p, "Odaterat")
	in.Route = []StepInput{{Body: "ASN"}, {Body: "KS"}}
	c, err := s.CreateCase(context.Background(), in, p.officer)
	if err != nil {
		t.Fatal(err)
	}
	if got := deadlineRows(t, s, c.Number); len(got) != 0 {
		t.Errorf("deadlines = %q, want none", got)
	}
}
