package handlers

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// planYearAhead is a year with no demo meetings: the demo plans around today.
func planYearAhead() int { return time.Now().Year() + 2 }

// weekdayOf is the n-th (from 0) weekday wd of month in year.
func weekdayOf(year int, month time.Month, wd time.Weekday, n int) workflow.Date {
	d := workflow.NewDate(year, month, 1)
	return d.AddDays((int(wd)-int(d.Weekday())+7)%7 + 7*n)
}

type planProblemOut struct {
	Status   int                   `json:"status"`
	Detail   string                `json:"detail"`
	Errors   []workflow.FieldError `json:"errors"`
	Warnings []workflow.FieldError `json:"warnings"`
}

// The sammanträdesplan through the API: the secretary posts the year's
// meetings as text; bad lines are 422 naming each line, a weekend day is a
// warning until confirmed, others are 403, and a good plan is 201 with every
// meeting, each in the body's year and .ics feed with its kallelse deadline.
func TestMeetingPlanThroughTheAPI(t *testing.T) {
	ms := startMeetingServer(t)
	sec := ms.login("sekreterare@kommun.example")
	officer := ms.login("handlaggare@kommun.example")
	chair := ms.login("ordforande@kommun.example")
	y := planYearAhead()
	path := "/api/v1/bodies/ASN/plan"
	yearPath := fmt.Sprintf("%s?year=%d", path, y)
	var none []meetingOut
	ms.ok(200, "GET", yearPath, sec, nil, &none)
	if len(none) != 0 {
		t.Fatalf("the year ahead has meetings already: %+v", none)
	}

	thu1, thu2, thu3 := weekdayOf(y, time.February, time.Thursday, 0), weekdayOf(y, time.February, time.Thursday, 2), weekdayOf(y, time.March, time.Thursday, 0)
	sat := weekdayOf(y, time.February, time.Saturday, 1)
	julafton := workflow.NewDate(y, time.December, 24)
	good := fmt.Sprintf("# ASN %d\n%s 13:00 Stadshuset, sal Malmöhus\n%s 13.00–16.00 Stadshuset\n\n%s\n", y, thu1, thu2, thu3)

	// Only the board's secretary plans, whatever the text.
	for _, tok := range []string{officer, chair} {
		status, out, _ := ms.call("POST", path, tok, map[string]any{"text": good, "confirm": true})
		var p planProblemOut
		json.Unmarshal(out, &p)
		if status != 403 || !strings.Contains(p.Detail, "Bara nämndsekreteraren för ASN") {
			t.Errorf("someone else plans: %d %s", status, out)
		}
		if status, out, _ := ms.call("POST", path, tok, map[string]any{"text": "inget datum"}); status != 403 {
			t.Errorf("someone else with a bad plan: %d %s", status, out)
		}
	}
	if status, out, _ := ms.call("POST", "/api/v1/bodies/NOPE/plan", sec, map[string]any{"text": good}); status != 404 {
		t.Errorf("no such body: %d %s", status, out)
	}

	// Every bad line at once, in line order; the weekend day and julafton are
	// warnings listed with the errors until confirmed, and also on their own.
	bad := good + fmt.Sprintf("%d-02-30 13:00\n%s 13:00 Rådhuset\n%s 25:00\n%s\n", y, sat, thu3.AddDays(7), julafton)
	status, out, h := ms.call("POST", path, sec, map[string]any{"text": bad})
	var p planProblemOut
	if err := json.Unmarshal(out, &p); err != nil || status != 422 || !strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("a bad plan: %d %s (%v)", status, out, err)
	}
	want := []workflow.FieldError{
		{Field: "line-6", Message: fmt.Sprintf("Rad 6: %d-02-30 finns inte", y)},
		{Field: "line-7", Message: fmt.Sprintf("Rad 7: %s är en lördag", sat)},
		{Field: "line-8", Message: "Rad 8: 25:00 är ingen tid på dygnet"},
		{Field: "line-9", Message: fmt.Sprintf("Rad 9: %s är julafton", julafton)},
	}
	if len(p.Errors) != len(want) {
		t.Fatalf("errors %+v, want %d", p.Errors, len(want))
	}
	for i, w := range want {
		if p.Errors[i].Field != w.Field || !strings.HasPrefix(p.Errors[i].Message, w.Message) {
			t.Errorf("error %d: %+v, want %+v", i, p.Errors[i], w)
		}
	}
	if len(p.Warnings) != 2 || p.Warnings[0] != p.Errors[1] || p.Warnings[1] != p.Errors[3] {
		t.Errorf("warnings %+v", p.Warnings)
	}
	// Confirmed, the warnings go and the errors stay.
	status, out, _ = ms.call("POST", path, sec, map[string]any{"text": bad, "confirm": true})
	p = planProblemOut{}
	json.Unmarshal(out, &p)
	if status != 422 || len(p.Errors) != 2 || p.Errors[0].Field != "line-6" || p.Errors[1].Field != "line-8" || len(p.Warnings) != 0 {
		t.Errorf("confirmed with bad lines: %d %s", status, out)
	}
	var still []meetingOut
	ms.ok(200, "GET", yearPath, sec, nil, &still)
	if len(still) != 0 {
		t.Fatalf("a refused plan made meetings: %+v", still)
	}

	// The Saturday unconfirmed is refused alone; confirmed, the plan is made.
	withSat := good + sat.String() + " 10:00 Rådhuset\n"
	status, out, _ = ms.call("POST", path, sec, map[string]any{"text": withSat})
	p = planProblemOut{}
	json.Unmarshal(out, &p)
	if status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "line-6" || len(p.Warnings) != 1 {
		t.Fatalf("the Saturday: %d %s", status, out)
	}
	var created []meetingOut
	status, out, h = ms.call("POST", path, sec, map[string]any{"text": withSat, "confirm": true})
	if status != 201 || json.Unmarshal(out, &created) != nil {
		t.Fatalf("the plan: %d %s", status, out)
	}
	if h.Get("Location") != yearPath {
		t.Errorf("Location %q, want %q", h.Get("Location"), yearPath)
	}
	days := []workflow.Date{thu1, thu2, thu3, sat}
	slices.SortFunc(days, workflow.Date.Compare) // by date, the Saturday among them
	if len(created) != len(days) {
		t.Fatalf("created %+v", created)
	}
	var listed []meetingOut
	ms.ok(200, "GET", yearPath, sec, nil, &listed)
	_, ics, _ := ms.call("GET", "/calendar/ASN.ics", "", nil)
	for i, m := range created {
		if m.Date != days[i] || m.Status != workflow.MeetingPlanned || m.ID == 0 {
			t.Errorf("meeting %d: %+v", i, m)
		}
		if m.Dates.NoticeDue != workflow.NoticeDue(days[i], 5) {
			t.Errorf("meeting %s: kallelse by %s", m.Date, m.Dates.NoticeDue)
		}
		var full struct {
			Deadlines []workflow.MeetingDeadline `json:"deadlines"`
			Time      string                     `json:"time"`
			Place     string                     `json:"place"`
		}
		ms.ok(200, "GET", fmt.Sprintf("/api/v1/meetings/%d", m.ID), sec, nil, &full)
		if len(full.Deadlines) != 1 || full.Deadlines[0].Kind != workflow.DeadlineNotice {
			t.Errorf("meeting %s: deadlines %+v", m.Date, full.Deadlines)
		}
		if m.Date == thu1 && (full.Time != "13:00" || full.Place != "Stadshuset, sal Malmöhus") {
			t.Errorf("the first meeting: %+v", full)
		}
		if i >= len(listed) || listed[i].ID != m.ID {
			t.Errorf("GET plan lists %+v", listed)
		}
		if !strings.Contains(string(ics), fmt.Sprintf("UID:meeting-%d@", m.ID)) {
			t.Errorf("the body's .ics feed lacks meeting %d", m.ID)
		}
	}

	// The same days again: each is taken now.
	status, out, _ = ms.call("POST", path, sec, map[string]any{"text": good, "confirm": true})
	if status != 422 || strings.Count(string(out), "har redan ett sammanträde") != 3 {
		t.Errorf("the plan twice: %d %s", status, out)
	}
	if status, out, _ := ms.call("GET", path+"?year=tjugo", sec, nil); status != 422 || !strings.Contains(string(out), "Ange året") {
		t.Errorf("a year that is not one: %d %s", status, out)
	}
	if status, out, _ := ms.call("POST", path, sec, map[string]any{"text": "\n# tomt\n"}); status != 422 || !strings.Contains(string(out), "minst ett sammanträde") {
		t.Errorf("an empty plan: %d %s", status, out)
	}
}
