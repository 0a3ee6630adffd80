package workflow

import (
	"reflect"
	"testing"
	"time"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func openDeadline(kind DeadlineKind, due string) Deadline {
	return Deadline{CaseNumber: "ASN-2026-12", Kind: kind, Due: MustDate(due), State: DeadlineOpen,
		Responsible: officer.Person()}
}

// The reminder times are written in UTC, so the tests show the DST change:
// 08:00 in Stockholm is 07:00Z in winter and 06:00Z in summer. In 2026 summer
// time starts on Sunday 29 March and ends on Sunday 25 October.
func TestPlanRemindersPerKindAcrossDST(t *testing.T) {
	tests := []struct {
		name string
		d    Deadline
		now  time.Time
		want []Reminder
	}{
		{"submission due the Monday after summer time starts", openDeadline(DeadlineSubmission, "2026-03-30"), utc("2026-03-01T12:00:00Z"), []Reminder{
			{Slot: "2026-03-30/before-5", On: MustDate("2026-03-23"), At: utc("2026-03-23T07:00:00Z"), Offset: -5},
			{Slot: "2026-03-30/before-1", On: MustDate("2026-03-27"), At: utc("2026-03-27T07:00:00Z"), Offset: -1},
			{Slot: "2026-03-30/due", On: MustDate("2026-03-30"), At: utc("2026-03-30T06:00:00Z"), Offset: 0},
			{Slot: "2026-03-30/overdue-2026-03-31", On: MustDate("2026-03-31"), At: utc("2026-03-31T06:00:00Z"), Offset: 1},
		}},
		{"approval due the Monday after summer time ends", openDeadline(DeadlineApproval, "2026-10-26"), utc("2026-10-01T12:00:00Z"), []Reminder{
			{Slot: "2026-10-26/before-1", On: MustDate("2026-10-23"), At: utc("2026-10-23T06:00:00Z"), Offset: -1},
			{Slot: "2026-10-26/due", On: MustDate("2026-10-26"), At: utc("2026-10-26T07:00:00Z"), Offset: 0},
			{Slot: "2026-10-26/overdue-2026-10-27", On: MustDate("2026-10-27"), At: utc("2026-10-27T07:00:00Z"), Offset: 1},
		}},
		{"stage due on the day summer time ends is a Sunday: due slot kept, overdue on Monday",
			openDeadline(DeadlineStage, "2026-10-25"), utc("2026-10-20T12:00:00Z"), []Reminder{
				{Slot: "2026-10-25/due", On: MustDate("2026-10-25"), At: utc("2026-10-25T07:00:00Z"), Offset: 0},
				{Slot: "2026-10-25/overdue-2026-10-26", On: MustDate("2026-10-26"), At: utc("2026-10-26T07:00:00Z"), Offset: 1},
			}},
		{"custom, five work days back over Easter 2026", openDeadline(DeadlineCustom, "2026-04-09"), utc("2026-03-20T12:00:00Z"), []Reminder{
			// 8, 7 April, then annandag påsk 6 April and långfredagen 3 April are skipped: 2, 1, 31 March.
			{Slot: "2026-04-09/before-5", On: MustDate("2026-03-31"), At: utc("2026-03-31T06:00:00Z"), Offset: -5},
			{Slot: "2026-04-09/before-1", On: MustDate("2026-04-08"), At: utc("2026-04-08T06:00:00Z"), Offset: -1},
			{Slot: "2026-04-09/due", On: MustDate("2026-04-09"), At: utc("2026-04-09T06:00:00Z"), Offset: 0},
			{Slot: "2026-04-09/overdue-2026-04-10", On: MustDate("2026-04-10"), At: utc("2026-04-10T06:00:00Z"), Offset: 1},
		}},
		{"opened after the early slots have passed", openDeadline(DeadlineSubmission, "2026-03-30"), utc("2026-03-27T08:00:00Z"), []Reminder{
			{Slot: "2026-03-30/due", On: MustDate("2026-03-30"), At: utc("2026-03-30T06:00:00Z"), Offset: 0},
			{Slot: "2026-03-30/overdue-2026-03-31", On: MustDate("2026-03-31"), At: utc("2026-03-31T06:00:00Z"), Offset: 1},
		}},
		{"opened when already overdue: the next work day's slot, manager copied", openDeadline(DeadlineSubmission, "2026-03-30"),
			utc("2026-04-01T10:00:00Z"), []Reminder{
				{Slot: "2026-03-30/overdue-2026-04-02", On: MustDate("2026-04-02"), At: utc("2026-04-02T06:00:00Z"), Offset: 3, CopyManager: true},
			}},
		{"closed deadline has none", func() Deadline {
			d := openDeadline(DeadlineCustom, "2026-04-09")
			d.State = DeadlineAcknowledged
			return d
		}(), utc("2026-03-20T12:00:00Z"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PlanReminders(tt.d, tt.now)
			if !sameReminders(got, tt.want) {
				t.Errorf("PlanReminders =\n%+v\nwant\n%+v", got, tt.want)
			}
			for _, r := range got {
				if DueFromSlot(r.Slot) != tt.d.Due {
					t.Errorf("DueFromSlot(%q) = %v, want %v", r.Slot, DueFromSlot(r.Slot), tt.d.Due)
				}
			}
		})
	}
}

func sameReminders(a, b []Reminder) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if !x.At.Equal(y.At) {
			return false
		}
		x.At, y.At = time.Time{}, time.Time{}
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

func TestNextOverdue(t *testing.T) {
	spring := openDeadline(DeadlineSubmission, "2026-03-30")
	tests := []struct {
		name  string
		d     Deadline
		after string
		now   time.Time
		want  Reminder
	}{
		{"sent on time on Tuesday: Wednesday, two work days late, manager copied", spring, "2026-03-31", utc("2026-03-31T06:01:00Z"),
			Reminder{Slot: "2026-03-30/overdue-2026-04-01", On: MustDate("2026-04-01"), At: utc("2026-04-01T06:00:00Z"), Offset: 2, CopyManager: true}},
		{"Thursday before Easter: långfredagen and annandag påsk skipped", spring, "2026-04-02", utc("2026-04-02T06:01:00Z"),
			Reminder{Slot: "2026-03-30/overdue-2026-04-07", On: MustDate("2026-04-07"), At: utc("2026-04-07T06:00:00Z"), Offset: 4, CopyManager: true}},
		{"Tuesday's slot sent three days late: the missed days are not replayed", spring, "2026-03-31", utc("2026-04-02T10:00:00Z"),
			Reminder{Slot: "2026-03-30/overdue-2026-04-07", On: MustDate("2026-04-07"), At: utc("2026-04-07T06:00:00Z"), Offset: 4, CopyManager: true}},
		{"sent late but before today's slot: today's slot is next", spring, "2026-03-31", utc("2026-04-02T05:00:00Z"),
			Reminder{Slot: "2026-03-30/overdue-2026-04-02", On: MustDate("2026-04-02"), At: utc("2026-04-02T06:00:00Z"), Offset: 3, CopyManager: true}},
		{"Friday before summer time ends: Monday, in winter time", openDeadline(DeadlineStage, "2026-10-22"), "2026-10-23", utc("2026-10-23T06:01:00Z"),
			Reminder{Slot: "2026-10-22/overdue-2026-10-26", On: MustDate("2026-10-26"), At: utc("2026-10-26T07:00:00Z"), Offset: 2, CopyManager: true}},
		{"started before the due day: the first work day after it", spring, "2026-03-01", utc("2026-03-01T00:00:00Z"),
			Reminder{Slot: "2026-03-30/overdue-2026-03-31", On: MustDate("2026-03-31"), At: utc("2026-03-31T06:00:00Z"), Offset: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NextOverdue(tt.d, MustDate(tt.after), tt.now)
			if !ok || !sameReminders([]Reminder{got}, []Reminder{tt.want}) {
				t.Errorf("NextOverdue = %+v, %v; want %+v", got, ok, tt.want)
			}
			if !got.Overdue() {
				t.Errorf("Overdue() = false for %+v", got)
			}
		})
	}
	t.Run("a kind without an overdue series has none", func(t *testing.T) {
		old := ReminderPolicies[DeadlineCustom]
		ReminderPolicies[DeadlineCustom] = ReminderPolicy{OnDue: true}
		defer func() { ReminderPolicies[DeadlineCustom] = old }()
		if r, ok := NextOverdue(openDeadline(DeadlineCustom, "2026-03-30"), MustDate("2026-03-30"), utc("2026-03-01T00:00:00Z")); ok {
			t.Errorf("NextOverdue = %+v, want none", r)
		}
	})
}

func TestEscalationFollowsThePolicy(t *testing.T) {
	d := openDeadline(DeadlineCustom, "2026-06-01")
	old := ReminderPolicies[DeadlineCustom]
	defer func() { ReminderPolicies[DeadlineCustom] = old }()
	for _, tt := range []struct {
		after     int
		late      string
		wantCopy  bool
		wantDelay int
	}{
		{0, "2026-06-10", false, 7},
		{3, "2026-06-03", false, 2},
		{3, "2026-06-04", true, 3},
	} {
		ReminderPolicies[DeadlineCustom] = ReminderPolicy{Overdue: true, EscalateAfter: tt.after}
		prev := AddWorkdays(MustDate(tt.late), -1)
		r, ok := NextOverdue(d, prev, prev.At(9, 0))
		if !ok || r.On != MustDate(tt.late) || r.CopyManager != tt.wantCopy || r.Offset != tt.wantDelay {
			t.Errorf("EscalateAfter %d, reminder on %s = %+v; want copy %v, %d work days late", tt.after, tt.late, r, tt.wantCopy, tt.wantDelay)
		}
	}
}
