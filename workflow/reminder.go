package workflow

import (
	"fmt"
	"slices"
	"time"
)

// ReminderPolicy says when the responsible person of a deadline is reminded.
// It is data, one per deadline kind, so a municipality can change it without
// touching the code that plans and sends reminders.
type ReminderPolicy struct {
	Before  []int // work days before the due day, e.g. 5 and 1
	OnDue   bool  // on the due day itself
	Overdue bool  // every work day while the deadline stays open after its day
	// EscalateAfter is how many work days overdue a reminder must be before the
	// responsible person's manager is copied; 0 never copies.
	EscalateAfter int
}

// ReminderPolicies is the policy of each deadline kind.
var ReminderPolicies = map[DeadlineKind]ReminderPolicy{
	// The officer has a report to write and get signed: warn early.
	DeadlineSubmission: {Before: []int{5, 1}, OnDue: true, Overdue: true, EscalateAfter: 2},
	// An approver's turn shares the submission day; a day's notice is enough
	// on top of the mail that told them it was their turn.
	DeadlineApproval: {Before: []int{1}, OnDue: true, Overdue: true, EscalateAfter: 2},
	// Due the work day after the meeting: nothing to warn about beforehand.
	DeadlineStage:  {OnDue: true, Overdue: true, EscalateAfter: 2},
	DeadlineCustom: {Before: []int{5, 1}, OnDue: true, Overdue: true, EscalateAfter: 2},
	// A meeting's deadlines are the secretary's: the agenda needs a few days
	// before the kallelse goes out, the justerare a nudge before the legal
	// limit. Anslag is due two days after justering: on the day is enough.
	DeadlineNotice:    {Before: []int{3, 1}, OnDue: true, Overdue: true, EscalateAfter: 2},
	DeadlineJustering: {Before: []int{3, 1}, OnDue: true, Overdue: true, EscalateAfter: 2},
	DeadlineAnslag:    {OnDue: true, Overdue: true, EscalateAfter: 1},
}

// ReminderHour and ReminderMinute are when, in Stockholm, a reminder's day
// starts for it: at the start of office hours, after the 07:00 digest.
const (
	ReminderHour   = 8
	ReminderMinute = 0
)

// Reminder is one reminder of a deadline. Each slot of a deadline is sent at
// most once.
type Reminder struct {
	Slot string    `json:"slot"` // unique per deadline, e.g. "2026-03-30/before-5"
	On   Date      `json:"on"`   // the day the reminder is for
	At   time.Time `json:"at"`   // when it falls due
	// Offset is work days relative to the due day: -5 before, 0 on the day,
	// 2 when two work days overdue.
	Offset      int  `json:"offset"`
	CopyManager bool `json:"copy_manager"`
}

// Overdue reports whether the reminder is for a day after the due day.
func (r Reminder) Overdue() bool { return r.Offset > 0 }

// DueFromSlot is the due date a reminder's slot was planned for; a reminder
// whose deadline has since moved is stale.
func DueFromSlot(slot string) Date {
	if len(slot) < len(DateLayout) {
		return Date{}
	}
	d, _ := ParseDate(slot[:len(DateLayout)])
	return d
}

// PlanReminders returns the reminders of d that are still to come at now: the
// fixed slots of its kind's policy, and the first overdue slot after now. Later
// overdue slots are planned one at a time as each is sent (NextOverdue), so
// the series is never longer than one row.
func PlanReminders(d Deadline, now time.Time) []Reminder {
	p, ok := ReminderPolicies[d.Kind]
	if !ok || d.State != DeadlineOpen || d.Due.IsZero() {
		return nil
	}
	var out []Reminder
	add := func(r Reminder) {
		if r.At.After(now) && !slices.ContainsFunc(out, func(o Reminder) bool { return o.On == r.On }) {
			out = append(out, r)
		}
	}
	before := slices.Clone(p.Before)
	slices.Sort(before)
	for i := len(before) - 1; i >= 0; i-- {
		on := AddWorkdays(d.Due, -before[i])
		add(Reminder{Slot: fmt.Sprintf("%s/before-%d", d.Due, before[i]), On: on, At: reminderTime(on), Offset: -before[i]})
	}
	if p.OnDue {
		add(Reminder{Slot: d.Due.String() + "/due", On: d.Due, At: reminderTime(d.Due)})
	}
	if r, ok := NextOverdue(d, d.Due, now); ok {
		add(r)
	}
	return out
}

// NextOverdue returns the overdue reminder of d that follows one sent for the
// day after (or, to start the series, the due day): the first work day after
// it whose reminder time is still to come at now. Days that passed while the
// service was down are not replayed one by one: the reminder that was missed
// is sent once, with its own date, and the series goes on from the next day
// still ahead.
func NextOverdue(d Deadline, after Date, now time.Time) (Reminder, bool) {
	p := ReminderPolicies[d.Kind]
	if !p.Overdue || d.State != DeadlineOpen || d.Due.IsZero() {
		return Reminder{}, false
	}
	if after.Before(d.Due) {
		after = d.Due
	}
	on := AddWorkdays(after, 1)
	for !reminderTime(on).After(now) {
		on = AddWorkdays(on, 1)
	}
	late := WorkdaysBetween(d.Due, on)
	return Reminder{Slot: fmt.Sprintf("%s/overdue-%s", d.Due, on), On: on, At: reminderTime(on), Offset: late,
		CopyManager: p.EscalateAfter > 0 && late >= p.EscalateAfter}, true
}

func reminderTime(d Date) time.Time { return d.At(ReminderHour, ReminderMinute) }
