package api_test

import (
	"fmt"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// A meeting's deadlines are bevakningar of the secretary in the API: listed
// with the meeting, readable with their reminders, and not acknowledgeable.
func TestMeetingDeadlinesInTheAPI(t *testing.T) {
	a := startMailAPI(t)
	c := a.w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30")
	sec := a.token(a.w.Secretary)
	var mine []db.DeadlineItem
	if code := a.do(sec, "GET", "/me/deadlines", nil, &mine); code != 200 {
		t.Fatalf("GET /me/deadlines: %d", code)
	}
	var notice *db.DeadlineItem
	for i, d := range mine {
		if d.MeetingID == c.Route[0].MeetingID {
			notice = &mine[i]
		}
	}
	if notice == nil || notice.Kind != workflow.DeadlineNotice || notice.MeetingTitle != "ASN arbetsutskott 2026-04-16" ||
		notice.CaseNumber != "" || notice.Due != workflow.MustDate("2026-04-10") {
		t.Fatalf("the secretary's deadlines lack the AU's kallelse: %+v", mine)
	}
	var one struct {
		db.DeadlineItem
		Reminders []db.ReminderState `json:"reminders"`
	}
	if code := a.do(sec, "GET", fmt.Sprintf("/deadlines/%d", notice.ID), nil, &one); code != 200 || len(one.Reminders) == 0 {
		t.Errorf("GET the kallelse deadline: %d, %+v", code, one)
	}
	var problem struct{ Detail string }
	if code := a.do(sec, "POST", fmt.Sprintf("/deadlines/%d/acknowledge", notice.ID), map[string]any{}, &problem); code != 409 {
		t.Errorf("acknowledging a meeting's deadline: %d %q", code, problem.Detail)
	}
	var after db.DeadlineItem
	a.do(sec, "GET", fmt.Sprintf("/deadlines/%d", notice.ID), nil, &after)
	if after.State != workflow.DeadlineOpen {
		t.Errorf("the refused acknowledgement closed it: %s", after.State)
	}
}
