package db

import (
	"slices"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

func parsedPlan(t *testing.T, text string) []workflow.PlannedMeeting {
	t.Helper()
	lines, err := workflow.ParseMeetingPlan(text)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// A plan with one line refused creates nothing at all: not the good lines'
// meetings, their agendas or their bevakningar.
func TestPlanMeetingsAllOrNothing(t *testing.T) {
	w := newMeetingWorld(t)
	taken, err := w.s.CreateMeeting(w.ctx, NewMeetingInput{Body: "ASN", Date: meetingDay(38)}, w.secretary) // Thursday 9 April
	if err != nil {
		t.Fatal(err)
	}
	good := "2026-03-12 13:00 Stadshuset, sal Malmöhus\n2026-03-26 13:00–16:00 Stadshuset\n"
	tests := []struct {
		name, text string
		confirmed  bool
		want       string
	}{
		{"a day the body meets already", good + "2026-04-09 13:00\n", true, "Rad 3: Arbetsmarknads- och socialnämnden har redan ett sammanträde den " + taken.Date.String()},
		{"a day in the past", "2026-02-26 13:00\n" + good, true, "Rad 1: 2026-02-26 har redan passerat"},
		{"a Saturday not confirmed", good + "2026-04-11 10:00\n", false, "Rad 3: 2026-04-11 är en lördag"},
		{"a day twice", good + "2026-03-12 09:00\n", true, "Rad 3: 2026-03-12 står redan på rad 1"},
		{"långfredagen not confirmed", good + "2026-04-03\n", false, "Rad 3: 2026-04-03 är långfredagen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := dump(t, w.s.Path())
			lines := parsedPlan(t, tt.text)
			if err := w.s.CheckMeetingPlan(w.ctx, "ASN", lines, w.secretary, tt.confirmed); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("check: %v, want %q", err, tt.want)
			}
			ms, err := w.s.PlanMeetings(w.ctx, "ASN", lines, w.secretary, tt.confirmed)
			wantMeetingErr(t, err, workflow.EINVALID)
			if ms != nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, %v; want %q", ms, err, tt.want)
			}
			wantUnchanged(t, w.s, before)
		})
	}

	before := dump(t, w.s.Path())
	_, err = w.s.PlanMeetings(w.ctx, "ASN", parsedPlan(t, good), w.officer, true)
	wantMeetingErr(t, err, workflow.EFORBIDDEN)
	_, err = w.s.PlanMeetings(w.ctx, "XYZ", parsedPlan(t, good), w.secretary, true)
	wantMeetingErr(t, err, workflow.ENOTFOUND)
	wantUnchanged(t, w.s, before)
}

// A good plan creates every meeting, each with the fixed items of its agenda
// and its kallelse bevakning for the board's secretary; a confirmed weekend
// day is planned like the others.
func TestPlanMeetingsCreatesAll(t *testing.T) {
	w := newMeetingWorld(t)
	text := "# ASN våren 2026\n" +
		"2026-03-12 13:00 Stadshuset, sal Malmöhus\n" +
		"2026-03-26 13.00–16.00 Stadshuset\n" +
		"\n" +
		"2026-04-11 10:00 Rådhuset\n" +
		"2026-04-23\n"
	lines := parsedPlan(t, text)
	if _, err := w.s.PlanMeetings(w.ctx, "ASN", lines, w.secretary, false); err == nil || !strings.Contains(err.Error(), "Rad 5: 2026-04-11 är en lördag") {
		t.Fatalf("the Saturday unconfirmed: %v", err)
	}
	ms, err := w.s.PlanMeetings(w.ctx, "ASN", lines, w.secretary, true)
	if err != nil {
		t.Fatal(err)
	}
	wantDays := []string{"2026-03-12", "2026-03-26", "2026-04-11", "2026-04-23"}
	wantNotice := []string{"2026-03-06", "2026-03-20", "2026-04-02", "2026-04-17"} // 5 days before, back to a work day (over Easter)
	if len(ms) != len(wantDays) {
		t.Fatalf("got %d meetings: %+v", len(ms), ms)
	}
	for i, m := range ms {
		stored := w.meetingAt("ASN", workflow.MustDate(wantDays[i]))
		if m.ID == 0 || stored.ID != m.ID || stored.Status != workflow.MeetingPlanned || stored.Body.Code != "ASN" {
			t.Errorf("meeting %s: %+v, stored %+v", wantDays[i], m, stored)
		}
		if got := w.openMeetingDeadlines(m.ID); !slices.Equal(got, []string{"notice " + wantNotice[i]}) {
			t.Errorf("meeting %s: open deadlines %q, want the kallelse by %s", wantDays[i], got, wantNotice[i])
		}
		items, err := w.s.Agenda(w.ctx, m.ID)
		if err != nil || len(items) != 3 || items[0].Kind != ItemOpening {
			t.Errorf("meeting %s: agenda %+v, %v", wantDays[i], items, err)
		}
	}
	first, second := w.meetingAt("ASN", meetingDay(10)), w.meetingAt("ASN", meetingDay(24))
	if first.Start != "13:00" || first.End != "" || first.Place != "Stadshuset, sal Malmöhus" ||
		second.Start != "13:00" || second.End != "16:00" || second.Place != "Stadshuset" {
		t.Errorf("times and places: %+v, %+v", first, second)
	}

	// The same plan again: every day is taken now, and nothing more is made.
	before := dump(t, w.s.Path())
	_, err = w.s.PlanMeetings(w.ctx, "ASN", lines, w.secretary, true)
	if err == nil || strings.Count(err.Error(), "har redan ett sammanträde") != 4 {
		t.Errorf("the plan twice: %v", err)
	}
	wantUnchanged(t, w.s, before)
}
