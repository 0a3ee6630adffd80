package db

import (
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
	tasks, err := w.s.As(&w.secretary).Tasks(w.ctx, goodFriday)
	if err != nil {
		t.Fatal(err)
	}
	var notices []int64
	for _, task := range tasks {
		if task.Kind == TaskNotice {
			notices = append(notices, task.Meeting.ID)
		}
	}
	if len(notices) != 1 || notices[0] != due.ID {
		t.Errorf("notice tasks for meetings %v, want only %d (not %d)", notices, due.ID, later.ID)
	}
}
