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
// deadlines of kinds are reconciled with plan, and the reminders of those it
// opened, moved or closed are synced (syncRemindersFor): a closed deadline
// loses its unsent reminders, an open one drops those for another due date
// and gets what PlanReminders plans.
func (k *bulkBook) change(kinds []workflow.DeadlineKind, plan []workflow.Deadline, at time.Time) {
	k.scan(at)
	existing := map[string]*bulkDeadline{}
	for _, d := range k.open {
		if slices.Contains(kinds, d.kind) {
			existing[string(d.kind)+"/"+d.ref] = d
		}
	}
	var touched []*bulkDeadline
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
			touched = append(touched, d)
		case d.due != p.Due || d.responsible != p.Responsible.ID:
			d.due, d.responsible = p.Due, p.Responsible.ID
			touched = append(touched, d)
		}
	}
	for _, d := range existing {
		t := at
		d.state, d.closedAt = workflow.DeadlineDone, &t
		touched = append(touched, d)
	}
	k.open = slices.DeleteFunc(k.open, func(d *bulkDeadline) bool { return d.state != workflow.DeadlineOpen })
	for _, d := range touched {
		if d.state != workflow.DeadlineOpen {
			d.reminders = slices.DeleteFunc(d.reminders, func(r *bulkReminder) bool { return r.sentAt == nil })
			continue
		}
		d.reminders = slices.DeleteFunc(d.reminders, func(r *bulkReminder) bool {
			return r.sentAt == nil && workflow.DueFromSlot(r.Slot) != d.due
		})
		for _, r := range workflow.PlanReminders(d.plain(), at) {
			d.plan(r)
		}
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
