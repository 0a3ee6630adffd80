package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/workflow"
)

// ReminderComposer writes the mail of reminders and digests; notify.Composer
// implements it. It is called inside the transaction that marks them sent.
type ReminderComposer interface {
	ComposeReminder(r DueReminder) (Mail, error)
	ComposeDigest(d Digest) (Mail, error)
}

// DueReminder is a reminder whose time has come, with what its mail says.
type DueReminder struct {
	ID int64 `json:"id"`
	workflow.Reminder
	Deadline     workflow.Deadline `json:"deadline"`
	CaseTitle    string            `json:"case_title"`
	MeetingTitle string            `json:"meeting_title,omitempty"` // a meeting's deadline
	Secret       bool              `json:"secret"`
	Board        workflow.Board    `json:"board"`
	// Manager is copied when the policy escalates and there is someone to copy.
	Manager *workflow.Person `json:"manager,omitempty"`
	// SentAt is when the scan sends it; later than At after downtime, and the
	// mail then says which day the reminder was for.
	SentAt time.Time `json:"sent_at"`
}

// Late reports whether the reminder goes out on a later day than its own.
func (r DueReminder) Late() bool { return workflow.Today(r.SentAt) != r.On }

// SentReminder is what one scan did with one reminder.
type SentReminder struct {
	DueReminder
	Channel string   `json:"channel"` // mail, or ui when there is no address to mail
	To      string   `json:"to,omitempty"`
	Cc      []string `json:"cc,omitempty"`
}

// ScanOptions configure a reminder scan.
type ScanOptions struct {
	Compose ReminderComposer // nil: reminders are only shown in the UI
	// ManagerAddress is copied on escalation when the case has no approver
	// other than the responsible person to copy.
	ManagerAddress string
	Batch          int // reminders per transaction; default 500
}

// insertReminder plans one reminder; a slot already there, sent or not, is kept.
func insertReminder(ctx context.Context, tx *sql.Tx, deadlineID int64, r workflow.Reminder) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO reminders(deadline_id, slot, on_date, remind_at, offset_days, copy_manager)
		VALUES (?,?,?,?,?,?) ON CONFLICT(deadline_id, slot) DO NOTHING`,
		deadlineID, r.Slot, r.On.String(), fmtTime(r.At), r.Offset, r.CopyManager)
	return err
}

// syncReminders brings the unsent reminders of a case's deadlines in line with
// the deadlines, in the transaction that changed them: a closed deadline loses
// its unsent reminders, a moved one is planned anew, a new one is planned.
func syncReminders(ctx context.Context, tx *sql.Tx, caseID int64, now time.Time) error {
	return syncRemindersOf(ctx, tx, "case_id", caseID, now)
}

// syncRemindersOf is syncReminders for the deadlines whose owner column
// (case_id or meeting_id) is id.
func syncRemindersOf(ctx context.Context, tx *sql.Tx, owner string, id int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM reminders WHERE sent_at IS NULL AND deadline_id IN
		(SELECT id FROM deadlines WHERE `+owner+` = ? AND state <> 'open')`, id); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, kind, due FROM deadlines WHERE `+owner+` = ? AND state = 'open'`, id)
	if err != nil {
		return err
	}
	var open []workflow.Deadline
	for rows.Next() {
		d := workflow.Deadline{State: workflow.DeadlineOpen}
		var due string
		if err := rows.Scan(&d.ID, &d.Kind, &due); err != nil {
			rows.Close()
			return err
		}
		d.Due = parseDate(due)
		open = append(open, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range open {
		if err := planDeadlineReminders(ctx, tx, d, now); err != nil {
			return err
		}
	}
	return nil
}

// planDeadlineReminders replans the unsent reminders of one open deadline.
func planDeadlineReminders(ctx context.Context, tx *sql.Tx, d workflow.Deadline, now time.Time) error {
	// A slot names the due date it was planned for: one for another date is stale.
	if _, err := tx.ExecContext(ctx, `DELETE FROM reminders WHERE deadline_id = ? AND sent_at IS NULL AND substr(slot, 1, 10) <> ?`,
		d.ID, d.Due.String()); err != nil {
		return err
	}
	for _, r := range workflow.PlanReminders(d, now) {
		if err := insertReminder(ctx, tx, d.ID, r); err != nil {
			return err
		}
	}
	return nil
}

// syncRemindersFor is syncRemindersOf for the deadlines ids only, those an
// action opened, moved or closed: it reads no other row, so an action's cost
// does not grow with the deadlines its case closed long ago.
func syncRemindersFor(ctx context.Context, tx *sql.Tx, ids []int64, now time.Time) error {
	for _, id := range ids {
		d := workflow.Deadline{ID: id}
		var due string
		if err := tx.QueryRowContext(ctx, `SELECT kind, due, state FROM deadlines WHERE id = ?`, id).Scan(&d.Kind, &due, &d.State); err != nil {
			return err
		}
		if d.State != workflow.DeadlineOpen {
			if _, err := tx.ExecContext(ctx, `DELETE FROM reminders WHERE deadline_id = ? AND sent_at IS NULL`, id); err != nil {
				return err
			}
			continue
		}
		d.Due = parseDate(due)
		if err := planDeadlineReminders(ctx, tx, d, now); err != nil {
			return err
		}
	}
	return nil
}

// dueRemindersQuery selects due unsent reminders through the partial index
// reminders_due; everything else is joined by primary key, so the cost follows
// the number of due rows.
const dueRemindersQuery = `SELECT r.id, r.slot, r.on_date, r.remind_at, r.offset_days, r.copy_manager,
	d.id, d.kind, d.ref, d.due, d.note, d.state, COALESCE(c.id, 0), COALESCE(c.number, ''), COALESCE(c.title, ''),
	COALESCE(c.secret, FALSE), COALESCE(d.meeting_id, 0), ` + deadlineMeetingTitle + `, b.code, b.name,
	COALESCE(u.id, 0), COALESCE(u.name, ''), COALESCE(u.email, ''), COALESCE(u.title, ''), COALESCE(u.active, FALSE),
	COALESCE(m.id, 0), COALESCE(m.name, ''), COALESCE(m.email, ''), COALESCE(m.active, FALSE)
	FROM reminders r INDEXED BY reminders_due
	JOIN deadlines d ON d.id = r.deadline_id` + deadlineOwner + `
	LEFT JOIN users u ON u.id = d.responsible_id
	LEFT JOIN case_approvers ca ON ca.case_id = c.id AND ca.pos = 0
	LEFT JOIN users m ON m.id = ca.user_id
	WHERE r.sent_at IS NULL AND r.remind_at <= ?
	ORDER BY r.remind_at, r.id LIMIT ?`

type dueRow struct {
	DueReminder
	caseID          int64
	active          bool
	manager         workflow.Person
	managerIsActive bool
}

// SendDueReminders sends every reminder due at now: each is composed into the
// outbox in the same transaction that marks it sent, so a crash either sends
// it later or has already queued it, never both. A reminder missed while the
// service was down is sent once, with its own date; an overdue one plans the
// next in its series.
func (s *Store) SendDueReminders(ctx context.Context, now time.Time, opt ScanOptions) ([]SentReminder, error) {
	if opt.Batch <= 0 {
		opt.Batch = 500
	}
	now = now.UTC().Truncate(time.Microsecond)
	var out []SentReminder
	for {
		var n int
		err := s.tx(ctx, func(tx *sql.Tx) error {
			rows, err := dueReminders(ctx, tx, now, opt.Batch)
			if err != nil {
				return err
			}
			n = len(rows)
			if n == 0 {
				// Undone, as nothing was written: a scan that finds
				// nothing due (every minute) leaves the list cache.
				return errNothingDue
			}
			for _, row := range rows {
				sent, ok, err := sendReminder(ctx, tx, row, now, opt)
				if err != nil {
					return fmt.Errorf("reminder %d (%s, %s): %w", row.ID, row.Deadline.CaseNumber, row.Slot, err)
				}
				if ok {
					out = append(out, sent)
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, errNothingDue) {
			return out, err
		}
		if n < opt.Batch {
			return out, nil
		}
	}
}

// errNothingDue ends a scan's transaction that found nothing due.
var errNothingDue = errors.New("inga påminnelser att skicka")

func dueReminders(ctx context.Context, tx *sql.Tx, now time.Time, limit int) ([]dueRow, error) {
	rows, err := tx.QueryContext(ctx, dueRemindersQuery, fmtTime(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dueRow
	for rows.Next() {
		var r dueRow
		d := &r.Deadline
		var on, at, due string
		if err := rows.Scan(&r.ID, &r.Slot, &on, &at, &r.Offset, &r.CopyManager,
			&d.ID, &d.Kind, &d.Ref, &due, &d.Note, &d.State, &r.caseID, &d.CaseNumber, &r.CaseTitle, &r.Secret,
			&d.MeetingID, &r.MeetingTitle, &r.Board.Code, &r.Board.Name,
			&d.Responsible.ID, &d.Responsible.Name, &d.Responsible.Email, &d.Responsible.Title, &r.active,
			&r.manager.ID, &r.manager.Name, &r.manager.Email, &r.managerIsActive); err != nil {
			return nil, err
		}
		r.On, r.At, d.Due = parseDate(on), parseTime(at), parseDate(due)
		r.SentAt = now
		out = append(out, r)
	}
	return out, rows.Err()
}

// sendReminder queues one reminder and marks it sent; ok is false for a stale
// reminder (its deadline closed or moved), which is dropped instead.
func sendReminder(ctx context.Context, tx *sql.Tx, row dueRow, now time.Time, opt ScanOptions) (SentReminder, bool, error) {
	d := row.Deadline
	if d.State != workflow.DeadlineOpen || workflow.DueFromSlot(row.Slot) != d.Due {
		_, err := tx.ExecContext(ctx, `DELETE FROM reminders WHERE id = ?`, row.ID)
		return SentReminder{}, false, err
	}
	if row.CopyManager {
		switch {
		case row.manager.ID != 0 && row.manager.ID != d.Responsible.ID && row.managerIsActive:
			m := row.manager
			row.Manager = &m
		case opt.ManagerAddress != "":
			row.Manager = &workflow.Person{Name: "Ansvarig chef", Email: opt.ManagerAddress}
		}
	}
	sent := SentReminder{DueReminder: row.DueReminder, Channel: "ui"}
	if opt.Compose != nil && row.active && d.Responsible.Email != "" {
		m, err := opt.Compose.ComposeReminder(row.DueReminder)
		if err != nil {
			return sent, false, err
		}
		key := fmt.Sprintf("reminder/%d/%s", d.ID, row.Slot)
		if _, err := queueMail(ctx, tx, key, row.caseID, "reminder", m, now); err != nil {
			return sent, false, err
		}
		sent.Channel, sent.To, sent.Cc = "mail", m.To, m.Cc
	}
	if _, err := tx.ExecContext(ctx, `UPDATE reminders SET sent_at = ?, channel = ? WHERE id = ?`, fmtTime(now), sent.Channel, row.ID); err != nil {
		return sent, false, err
	}
	if row.Overdue() || row.Offset == 0 {
		// The series goes on from the reminder just sent; the first overdue
		// slot was planned with the deadline, so this only adds what follows.
		if next, ok := workflow.NextOverdue(d, row.On, now); ok {
			if err := insertReminder(ctx, tx, d.ID, next); err != nil {
				return sent, false, err
			}
		}
	}
	return sent, true, nil
}

// Digest is one person's morning summary: their open deadlines up to a week ahead.
type Digest struct {
	To        workflow.Person
	Day       workflow.Date
	Deadlines []DeadlineItem
}

// DigestDays is how far ahead the digest looks.
const DigestDays = 7

// QueueDigests queues the day's digest for everyone with an open deadline due
// within DigestDays (or overdue), on work days only. The dedupe key names the
// person and the day, so a second run on the same day queues nothing new.
func (s *Store) QueueDigests(ctx context.Context, now time.Time, compose ReminderComposer) (int, error) {
	today := workflow.Today(now)
	if !workflow.IsWorkday(today) || compose == nil {
		return 0, nil
	}
	items, err := queryDeadlines(ctx, s.r, `WHERE d.state = 'open' AND d.due <= ? AND u.active AND u.email <> ''
		ORDER BY d.responsible_id, d.due, d.id`, today.AddDays(DigestDays).String())
	if err != nil {
		return 0, err
	}
	var digests []Digest
	for _, it := range items {
		if n := len(digests); n == 0 || digests[n-1].To.ID != it.Responsible.ID {
			digests = append(digests, Digest{To: it.Responsible, Day: today})
		}
		last := &digests[len(digests)-1]
		last.Deadlines = append(last.Deadlines, it)
	}
	queued := 0
	at := now.UTC().Truncate(time.Microsecond)
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for _, dg := range digests {
			m, err := compose.ComposeDigest(dg)
			if err != nil {
				return fmt.Errorf("digest for %s: %w", dg.To.Email, err)
			}
			added, err := queueMail(ctx, tx, fmt.Sprintf("digest/%d/%s", dg.To.ID, today), 0, "digest", m, at)
			if err != nil {
				return err
			}
			if added {
				queued++
			}
		}
		return nil
	})
	return queued, err
}

// remindersOf lists a deadline's reminders, for the API: sent and planned.
func remindersOf(ctx context.Context, q queryer, deadlineID int64) ([]ReminderState, error) {
	rows, err := q.QueryContext(ctx, `SELECT slot, on_date, remind_at, offset_days, copy_manager, sent_at, channel
		FROM reminders WHERE deadline_id = ? ORDER BY remind_at`, deadlineID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ReminderState{}
	for rows.Next() {
		var r ReminderState
		var on, at string
		var sent sql.NullString
		if err := rows.Scan(&r.Slot, &on, &at, &r.Offset, &r.CopyManager, &sent, &r.Channel); err != nil {
			return nil, err
		}
		r.On, r.At, r.SentAt = parseDate(on), parseTime(at), timePtr(sent)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReminderState is a reminder as the API lists it.
type ReminderState struct {
	workflow.Reminder
	SentAt  *time.Time `json:"sent_at"`
	Channel string     `json:"channel,omitempty"`
}

// Reminders lists a deadline's reminders, sent and planned.
func (s *Store) Reminders(ctx context.Context, deadlineID int64) ([]ReminderState, error) {
	return remindersOf(ctx, s.r, deadlineID)
}

// UserReminder is a reminder sent to a person, as the UI lists it.
type UserReminder struct {
	ReminderState
	Deadline DeadlineItem `json:"deadline"`
}

// userRemindersSQL reads UserReminders: ?1 the user, ?2 the cutoff, ?3 the
// channel, or empty for all. Only those few rows are sorted.
const userRemindersSQL = `SELECT r.deadline_id, r.slot, r.on_date, r.remind_at, r.offset_days, r.copy_manager, r.sent_at, r.channel
	FROM (SELECT id FROM deadlines WHERE responsible_id = ?1 AND state = 'open'
		UNION ALL SELECT id FROM deadlines WHERE responsible_id = ?1 AND state <> 'open' AND closed_at >= ?2) mine
	JOIN reminders r ON r.deadline_id = mine.id
	WHERE r.sent_at IS NOT NULL AND r.sent_at >= ?2 AND (?3 = '' OR r.channel = ?3)
	ORDER BY r.sent_at DESC, r.id DESC LIMIT 200`

// UserReminders lists the reminders sent for a user's deadlines since a time,
// newest first, at most 200: how a person without a working address still
// gets them. channel "ui" keeps those shown in the service only; "" all.
//
// A reminder is sent only while its deadline is open (sendReminder), so the
// reminders sent since then belong to the user's deadlines that are open or
// were closed since: those are read, each by its index, not every deadline
// the user ever had (migration 0025; a secretary's 41,000 took 60 ms).
func (s *Store) UserReminders(ctx context.Context, userID int64, since time.Time, channel string) ([]UserReminder, error) {
	cutoff := fmtTime(since)
	rows, err := s.r.QueryContext(ctx, userRemindersSQL, userID, cutoff, channel)
	if err != nil {
		return nil, err
	}
	type ref struct {
		id int64
		r  ReminderState
	}
	var refs []ref
	for rows.Next() {
		var x ref
		var on, at string
		var sent sql.NullString
		if err := rows.Scan(&x.id, &x.r.Slot, &on, &at, &x.r.Offset, &x.r.CopyManager, &sent, &x.r.Channel); err != nil {
			rows.Close()
			return nil, err
		}
		x.r.On, x.r.At, x.r.SentAt = parseDate(on), parseTime(at), timePtr(sent)
		refs = append(refs, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []UserReminder{}
	if len(refs) == 0 {
		return out, nil
	}
	args := make([]any, len(refs))
	for i, x := range refs {
		args[i] = x.id
	}
	deadlines, err := queryDeadlines(ctx, s.r, `WHERE d.id IN (?`+strings.Repeat(",?", len(refs)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]DeadlineItem, len(deadlines))
	for _, d := range deadlines {
		byID[d.ID] = d
	}
	for _, x := range refs {
		d, ok := byID[x.id]
		if !ok {
			return nil, notFound("Bevakningen %d finns inte", x.id)
		}
		out = append(out, UserReminder{ReminderState: x.r, Deadline: d})
	}
	return out, nil
}

// ReplanReminders drops the unsent reminders that fell due before since and
// plans the open deadlines' reminders afresh from now. It is for data written
// under another clock, such as the demo's replayed history: reminders from
// before since are not news to anyone, while those after it still go out
// (a reminder of an earlier day than the scan's as a missed one).
func (s *Store) ReplanReminders(ctx context.Context, since, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM reminders WHERE sent_at IS NULL AND remind_at < ?`, fmtTime(since)); err != nil {
			return err
		}
		for _, owner := range []string{"case_id", "meeting_id"} {
			owners, err := ids(ctx, tx, `SELECT DISTINCT `+owner+` FROM deadlines WHERE state = 'open' AND `+owner+` IS NOT NULL`)
			if err != nil {
				return err
			}
			for _, id := range owners {
				if err := syncRemindersOf(ctx, tx, owner, id, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
