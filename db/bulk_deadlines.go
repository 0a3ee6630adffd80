package db

import (
	"slices"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// A deadline book follows the deadlines of one case or meeting through its
// changes as reconcileDeadlines, syncReminders and the reminder scan
// (SendDueReminders) would, and writes where they end up.
type bulkBook struct {
	b                 *BulkLoader
	caseID, meetingID int64
	all               []*bulkDeadline
	open              []*bulkDeadline // those of all still open: a long history closes many
}

type bulkDeadline struct {
	id          int64
	kind        workflow.DeadlineKind
	ref         string
	due         workflow.Date
	responsible int64
	state       workflow.DeadlineState
	createdAt   time.Time
	closedAt    *time.Time
	reminders   []*bulkReminder
	// plannedDue is the due date the reminders were last planned for, and
	// overdueAt when its first overdue reminder falls due: planning again
	// for the same date before then adds nothing.
	plannedDue workflow.Date
	overdueAt  time.Time
}

type bulkReminder struct {
	workflow.Reminder
	sentAt  *time.Time
	channel string
}

func (b *BulkLoader) newBook(caseID, meetingID int64) *bulkBook {
	return &bulkBook{b: b, caseID: caseID, meetingID: meetingID}
}

func (d *bulkDeadline) plain() workflow.Deadline {
	return workflow.Deadline{ID: d.id, Kind: d.kind, Ref: d.ref, Due: d.due, State: d.state}
}

// change is one change at at: the scan has run until then, then the
// deadlines of kinds are reconciled with plan and the reminders synced.
func (k *bulkBook) change(kinds []workflow.DeadlineKind, plan []workflow.Deadline, at time.Time) {
	k.scan(at)
	existing := map[string]*bulkDeadline{}
	for _, d := range k.open {
		if slices.Contains(kinds, d.kind) {
			existing[string(d.kind)+"/"+d.ref] = d
		}
	}
	for _, p := range plan {
		key := string(p.Kind) + "/" + p.Ref
		d, ok := existing[key]
		delete(existing, key)
		switch {
		case !ok:
			k.b.nextDeadline++
			d = &bulkDeadline{id: k.b.nextDeadline, kind: p.Kind, ref: p.Ref, due: p.Due,
				responsible: p.Responsible.ID, state: workflow.DeadlineOpen, createdAt: at}
			k.all = append(k.all, d)
			k.open = append(k.open, d)
		case d.due != p.Due || d.responsible != p.Responsible.ID:
			d.due, d.responsible = p.Due, p.Responsible.ID
		}
	}
	for _, d := range existing {
		t := at
		d.state, d.closedAt = workflow.DeadlineDone, &t
		// A closed deadline loses its unsent reminders, once: it stays closed.
		d.reminders = slices.DeleteFunc(d.reminders, func(r *bulkReminder) bool { return r.sentAt == nil })
	}
	k.open = slices.DeleteFunc(k.open, func(d *bulkDeadline) bool { return d.state != workflow.DeadlineOpen })
	for _, d := range k.open {
		d.reminders = slices.DeleteFunc(d.reminders, func(r *bulkReminder) bool {
			return r.sentAt == nil && workflow.DueFromSlot(r.Slot) != d.due
		})
		if d.plannedDue == d.due && at.Before(d.overdueAt) {
			continue
		}
		for _, r := range workflow.PlanReminders(d.plain(), at) {
			d.plan(r)
		}
		d.plannedDue, d.overdueAt = d.due, workflow.AddWorkdays(d.due, 1).At(workflow.ReminderHour, workflow.ReminderMinute)
	}
}

// plan adds a reminder unless its slot is there already, sent or not.
func (d *bulkDeadline) plan(r workflow.Reminder) {
	if !slices.ContainsFunc(d.reminders, func(o *bulkReminder) bool { return o.Slot == r.Slot }) {
		d.reminders = append(d.reminders, &bulkReminder{Reminder: r})
	}
}

// scan sends, oldest first, every unsent reminder of an open deadline due by
// until, at its own time, as the scan running every minute does; an overdue
// one plans the next of its series.
func (k *bulkBook) scan(until time.Time) {
	for {
		var due *bulkReminder
		var of *bulkDeadline
		for _, d := range k.open {
			for _, r := range d.reminders {
				if r.sentAt == nil && !r.At.After(until) && (due == nil || r.At.Before(due.At)) {
					due, of = r, d
				}
			}
		}
		if due == nil {
			return
		}
		at := due.At.UTC()
		due.sentAt, due.channel = &at, "ui"
		if u := k.b.users[of.responsible]; u.active && u.email != "" {
			due.channel = "mail"
		}
		if due.Overdue() || due.Offset == 0 {
			if next, ok := workflow.NextOverdue(of.plain(), due.On, at); ok {
				of.plan(next)
			}
		}
	}
}

// finish runs the scan until AsOf and writes the deadlines and reminders.
func (k *bulkBook) finish(asOf time.Time, rows *bulkRows) {
	k.scan(asOf)
	for _, d := range k.all {
		k.b.writeDeadline(rows, k.caseID, k.meetingID, d)
		for _, r := range d.reminders {
			k.b.writeReminder(rows, d.id, r)
		}
	}
}
