package db

import (
	"slices"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// A kallelse due at the longest notice period, moved back over Easter to a
// day before today, is still the secretary's task; a meeting whose kallelse
// is not due yet is not. The start page reads planned meetings only up to
// the horizon a notice can reach (maxNoticeDays and the days off before it).
func TestNoticeTaskAtTheLongestNotice(t *testing.T) {
	w := newMeetingWorld(t)
	w.must(w.s.CreateBody(w.ctx, workflow.Body{Code: "ASN-BU", Name: "ASN beredningsutskott", Kind: workflow.KindWorkingCommittee,
		Board: "ASN", NoticeDays: maxNoticeDays}))
	goodFriday := workflow.MustDate("2026-04-03")
	w.at(goodFriday, 9)
	// 60 days before 5 June is Easter Monday: the kallelse was due on
	// Maundy Thursday, 63 days before the meeting.
	due, err := w.s.CreateMeeting(w.ctx, NewMeetingInput{Body: "ASN-BU", Date: workflow.MustDate("2026-06-05")}, w.secretary)
	if err != nil {
		t.Fatal(err)
	}
	if got := due.Dates().NoticeDue; got != workflow.MustDate("2026-04-02") {
		t.Fatalf("NoticeDue = %s, want 2026-04-02", got)
	}
	later, err := w.s.CreateMeeting(w.ctx, NewMeetingInput{Body: "ASN-BU", Date: workflow.MustDate("2026-06-10")}, w.secretary)
	if err != nil {
		t.Fatal(err)
	}
	var notices []int64
	tasks, _ := tasksOf(t, w, goodFriday, TaskNotice)
	for _, task := range tasks {
		notices = append(notices, task.Meeting.ID)
	}
	if len(notices) != 1 || notices[0] != due.ID {
		t.Errorf("notice tasks for meetings %v, want only %d (not %d)", notices, due.ID, later.ID)
	}
}

// Decisions waiting for dispatch are listed up to MaxDispatchTasks, those
// justerat first, and the rest are counted, not read: a newer case decided
// at an earlier meeting comes before older cases decided later.
func TestDispatchTasksCapped(t *testing.T) {
	defer func(n int) { MaxDispatchTasks = n }(MaxDispatchTasks)
	MaxDispatchTasks = 2
	w := newMeetingWorld(t)
	var numbers []string
	for i, title := range []string{"Internationell redovisning 2025", "Delårsrapport", "Riktlinjer för bistånd"} {
		board := meetingDay(42)
		if i == 2 {
			board = meetingDay(28) // the newest case, decided first
		}
		c, err := w.s.CreateCase(w.ctx, CaseInput{Board: "ASN", Title: title,
			Proposals: []string{"Nämnden föreslås besluta att godkänna"},
			Route:     []StepInput{{Body: "ASN-AU", Date: meetingDay(14).String()}, {Body: "ASN", Date: board.String()}},
			Approvers: []ApproverInput{{Email: w.approver.Email}}}, w.officer)
		if err != nil {
			t.Fatal(err)
		}
		c = w.act(c, w.officer, workflow.ActSubmit)
		w.handle(w.act(c, w.approver, workflow.ActApprove)) // at the AU
		numbers = append(numbers, c.Number)
	}
	justera := func(day workflow.Date, cases ...string) {
		m := w.hold(w.meetingAt("ASN", day))
		for _, n := range cases {
			w.decide(m, n, workflow.DecisionApproved)
		}
		if _, err := w.s.SetAttendance(w.ctx, m.ID, w.secretary, []AttendanceInput{{Member: w.chairMember.ID, Present: true, Adjuster: true}}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Sign(w.ctx, m.ID, w.chair); err != nil {
			t.Fatal(err)
		}
	}
	justera(meetingDay(28), numbers[2])
	justera(meetingDay(42), numbers[0], numbers[1])
	var listed []string
	tasks, more := tasksOf(t, w, meetingDay(43), TaskDispatch)
	for _, task := range tasks {
		listed = append(listed, task.Case.Number)
	}
	if want := []string{numbers[2], numbers[0]}; !slices.Equal(listed, want) || more != 1 {
		t.Errorf("dispatch tasks %q and %d more, want %q and 1 more", listed, more, want)
	}
}

// tasksOf are the secretary's tasks of kind on the day today, and how many
// more decisions wait for dispatch.
func tasksOf(t *testing.T, w *meetingWorld, today workflow.Date, kind TaskKind) ([]Task, int) {
	t.Helper()
	tasks, more, err := w.s.As(&w.secretary).Tasks(w.ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(tasks, func(task Task) bool { return task.Kind != kind }), more
}
