package db

import (
	"slices"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// A nämnd's decision is noted as having gained legal force once, on the day
// after the appeal period; an arbetsutskott's proposal is not a decision that
// gains legal force.
func TestNoteLegalForce(t *testing.T) {
	w := newMeetingWorld(t)
	other := w.caseOn("Riktlinjer", meetingDay(4), meetingDay(24))
	m, c, _ := justeratBoardMeeting(t, w)
	w.at(meetingDay(14), 9) // anslag Monday 16 March: laga kraft Wednesday 8 April, after Easter
	w.must(w.s.Post(w.ctx, m.ID, w.secretary, meetingDay(14)))

	// The AU's meeting, justerat and posted the same day: its paragraph is a
	// proposal to the nämnd.
	au := w.hold(w.meetingAt("ASN-AU", meetingDay(4)))
	w.member("ASN-AU", MemberInput{Role: workflow.MemberChair, User: w.chair.Email})
	members, _ := w.s.Members(w.ctx, "ASN-AU")
	w.must(w.s.SetAttendance(w.ctx, au.ID, w.secretary, []AttendanceInput{{Member: members[0].ID, Present: true, Adjuster: true}}))
	w.decide(au, other.Number, workflow.DecisionApproved)
	w.must(w.s.Sign(w.ctx, au.ID, w.chair))
	w.at(meetingDay(14), 10)
	w.must(w.s.Post(w.ctx, au.ID, w.secretary, meetingDay(14)))

	version := func() int {
		cs, err := w.s.Case(w.ctx, c.Number)
		if err != nil {
			t.Fatal(err)
		}
		return cs.Version
	}
	before := version()

	w.at(workflow.MustDate("2026-04-07"), 23)
	if notes, err := w.s.NoteLegalForce(w.ctx, w.now); err != nil || len(notes) != 0 {
		t.Fatalf("on the last day of the appeal period: %+v, %v", notes, err)
	}
	w.at(workflow.MustDate("2026-04-08"), 6)
	notes, err := w.s.NoteLegalForce(w.ctx, w.now)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || notes[0].Case != c.Number || notes[0].Paragraph != "§ 1" || notes[0].LegalForce != workflow.MustDate("2026-04-08") {
		t.Fatalf("notes %+v", notes)
	}
	if v := version(); v != before+1 {
		t.Errorf("version %d after the note, want %d: every event is a version", v, before+1)
	}
	evs, _ := w.s.Events(w.ctx, c.Number)
	last := evs[len(evs)-1]
	if last.Action != "legal_force" || last.Actor != System || !strings.Contains(string(last.Payload), `"legal_force":"2026-04-08"`) {
		t.Errorf("last event %+v %s", last, last.Payload)
	}
	if again, err := w.s.NoteLegalForce(w.ctx, w.now.AddDate(0, 0, 3)); err != nil || len(again) != 0 {
		t.Errorf("a second run noted %+v, %v", again, err)
	}
	if _, broken, err := w.s.Verify(w.ctx); err != nil || len(broken) > 0 {
		t.Errorf("verify after the note: %v %v", broken, err)
	}
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
	}
	if n := len(slices.DeleteFunc(actions, func(a string) bool { return a != "legal_force" })); n != 1 {
		t.Errorf("%d legal_force events", n)
	}
}

// The laga-kraft job reads its pending decisions by body through the partial
// index, not every decision ever taken (it did, in the write transaction).
func TestLegalForcePlan(t *testing.T) {
	sqliteOnly(t, "SQLite's query plans (EXPLAIN QUERY PLAN)")
	s := mustOpen(t)
	rows, err := s.r.Query(`EXPLAIN QUERY PLAN ` + pendingLegalForce)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	plan := strings.Join(steps, "\n")
	if !strings.Contains(plan, "SEARCH d USING INDEX decisions_legal_force_pending (body_id=?)") || strings.Contains(plan, "SCAN d") {
		t.Errorf("plan:\n%s", plan)
	}
}
