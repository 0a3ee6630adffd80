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

// Mail is one composed message for the outbox.
type Mail struct {
	To      string // one address; a message goes to one person
	Cc      []string
	Subject string
	Text    string
	HTML    string
}

// Composer writes the mail for a workflow notification. It is called inside the
// action's transaction, so a message exists exactly when its cause committed.
type Composer interface {
	Compose(c *workflow.Case, ev workflow.Event, n workflow.Notification) (Mail, error)
}

// DedupeKey names a notification uniquely: a retry of the same cause never
// queues a second message, and the key becomes the mail's Message-ID.
func DedupeKey(number string, seq int, n workflow.Notification) string {
	return fmt.Sprintf("%s/%d/%s/%s", number, seq, n.Kind, strings.ToLower(n.To.Email))
}

func (s *Store) queueNotifications(ctx context.Context, tx *sql.Tx, c *workflow.Case, ev workflow.Event, ns []workflow.Notification) error {
	if s.Composer == nil {
		return nil
	}
	for _, n := range ns {
		if n.To.Email == "" {
			continue // no address: the person sees it in the UI only
		}
		var m Mail
		composed := false
		var err error
		if n.Kind == workflow.NotifyDispatched {
			m, composed, err = s.composeDispatch(ctx, tx, c, ev, n)
		}
		if err == nil && !composed {
			m, err = s.Composer.Compose(c, ev, n)
		}
		if err != nil {
			return fmt.Errorf("compose %s mail: %w", n.Kind, err)
		}
		if _, err := queueMail(ctx, tx, DedupeKey(c.Number, ev.Seq, n), c.ID, string(n.Kind), m, ev.At); err != nil {
			return err
		}
	}
	return nil
}

// queueMail puts one message in the outbox and reports whether it is new; a
// message with the same key already there is left as it is.
func queueMail(ctx context.Context, tx *sql.Tx, key string, caseID int64, kind string, m Mail, at time.Time) (bool, error) {
	var cid any
	if caseID != 0 {
		cid = caseID
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO outbox(dedupe_key, case_id, kind, to_addr, cc_addr, subject, text_body, html_body,
		created_at, next_attempt_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(dedupe_key) DO NOTHING`,
		key, cid, kind, m.To, strings.Join(m.Cc, ", "), m.Subject, m.Text, m.HTML, fmtTime(at), fmtTime(at))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Outbox states.
const (
	MailQueued = "queued"
	MailSent   = "sent"
	MailFailed = "failed"
)

// OutboxMail is one message in the outbox.
type OutboxMail struct {
	ID            int64      `json:"id"`
	Key           string     `json:"dedupe_key"`
	Kind          string     `json:"kind"`
	CaseNumber    string     `json:"case,omitempty"`
	To            string     `json:"to"`
	Cc            []string   `json:"cc"`
	Subject       string     `json:"subject"`
	Text          string     `json:"text,omitempty"`
	HTML          string     `json:"html,omitempty"`
	State         string     `json:"state"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LastAttemptAt *time.Time `json:"last_attempt_at"`
	SentAt        *time.Time `json:"sent_at"`
}

const outboxCols = `o.id, o.dedupe_key, o.kind, COALESCE(c.number, ''), o.to_addr, o.cc_addr, o.subject, o.text_body, o.html_body,
	o.state, o.attempts, o.last_error, o.created_at, o.next_attempt_at, o.last_attempt_at, o.sent_at
	FROM outbox o LEFT JOIN cases c ON c.id = o.case_id `

func scanOutbox(sc interface{ Scan(...any) error }) (OutboxMail, error) {
	var m OutboxMail
	var cc, created, next string
	var last, sent sql.NullString
	err := sc.Scan(&m.ID, &m.Key, &m.Kind, &m.CaseNumber, &m.To, &cc, &m.Subject, &m.Text, &m.HTML,
		&m.State, &m.Attempts, &m.LastError, &created, &next, &last, &sent)
	m.Cc = splitAddresses(cc)
	m.CreatedAt, m.NextAttemptAt, m.LastAttemptAt, m.SentAt = parseTime(created), parseTime(next), timePtr(last), timePtr(sent)
	return m, err
}

func splitAddresses(s string) []string {
	out := []string{}
	for _, a := range strings.Split(s, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

func listOutbox(ctx context.Context, q queryer, where string, args ...any) ([]OutboxMail, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+outboxCols+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []OutboxMail{}
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// DueMail lists queued messages whose next attempt is due at now, oldest first.
func (s *Store) DueMail(ctx context.Context, now time.Time, limit int) ([]OutboxMail, error) {
	return listOutbox(ctx, s.r, `WHERE o.state = 'queued' AND o.next_attempt_at <= ? ORDER BY o.next_attempt_at, o.id LIMIT ?`,
		fmtTime(now.UTC()), limit)
}

// MailByID finds one message.
func (s *Store) MailByID(ctx context.Context, id int64) (OutboxMail, error) {
	m, err := scanOutbox(s.r.QueryRowContext(ctx, `SELECT `+outboxCols+`WHERE o.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, notFound("Meddelandet %d finns inte i utkorgen", id)
	}
	return m, err
}

// MarkMailSent records that the server accepted a message.
func (s *Store) MarkMailSent(ctx context.Context, id int64, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'sent', sent_at = ?, last_attempt_at = ?, attempts = attempts + 1,
			last_error = '' WHERE id = ? AND state = 'queued'`, fmtTime(at), fmtTime(at), id)
		return err
	})
}

// MarkMailFailed records a failed attempt: the message waits until next, or
// is given up (state failed) when giveUp is set.
func (s *Store) MarkMailFailed(ctx context.Context, id int64, at time.Time, reason string, next time.Time, giveUp bool) error {
	state := MailQueued
	if giveUp {
		state = MailFailed
	}
	if len(reason) > 1000 {
		reason = reason[:1000]
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, last_attempt_at = ?,
			next_attempt_at = ? WHERE id = ? AND state = 'queued'`, state, reason, fmtTime(at), fmtTime(next), id)
		return err
	})
}

// OutboxFilter narrows the outbox list.
type OutboxFilter struct {
	State   string // queued, sent or failed; empty: all
	Page    int
	PerPage int
}

// OutboxPage is one page of the outbox, newest first.
type OutboxPage struct {
	Items   []OutboxMail   `json:"items"`
	Total   int            `json:"total"`
	Page    int            `json:"page"`
	PerPage int            `json:"per_page"`
	Counts  map[string]int `json:"counts"`
}

// Outbox lists messages, newest first, with how many are in each state.
func (s *Store) Outbox(ctx context.Context, f OutboxFilter) (OutboxPage, error) {
	if f.State != "" && f.State != MailQueued && f.State != MailSent && f.State != MailFailed {
		return OutboxPage{}, &workflow.Error{Code: workflow.EINVALID, Message: "Uppgifterna behöver rättas",
			Fields: []workflow.FieldError{{Field: "state", Message: fmt.Sprintf("Okänt läge %q; välj queued, sent eller failed", f.State)}}}
	}
	offset, err := pageWindow(&f.Page, &f.PerPage)
	if err != nil {
		return OutboxPage{}, err
	}
	page := OutboxPage{Page: f.Page, PerPage: f.PerPage, Counts: map[string]int{MailQueued: 0, MailSent: 0, MailFailed: 0}}
	rows, err := s.r.QueryContext(ctx, `SELECT state, COUNT(*) FROM outbox GROUP BY state`)
	if err != nil {
		return page, err
	}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			rows.Close()
			return page, err
		}
		page.Counts[st] = n
		if f.State == "" || f.State == st {
			page.Total += n
		}
	}
	rows.Close()
	where, args := "", []any{}
	if f.State != "" {
		where, args = "WHERE o.state = ? ", append(args, f.State)
	}
	page.Items, err = listOutbox(ctx, s.r, where+"ORDER BY o.id DESC LIMIT ? OFFSET ?", append(args, f.PerPage, offset)...)
	return page, err
}

// ResendMail queues a failed message again, with a fresh count of attempts.
func (s *Store) ResendMail(ctx context.Context, id int64) (OutboxMail, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var state, to string
		err := tx.QueryRowContext(ctx, `SELECT state, to_addr FROM outbox WHERE id = ?`, id).Scan(&state, &to)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Meddelandet %d finns inte i utkorgen", id)
		}
		if err != nil {
			return err
		}
		if state != MailFailed {
			return workflow.Errorf(workflow.ECONFLICT, "Bara meddelanden som inte kunde skickas kan skickas om; det här är %s", stateLabel(state))
		}
		now := fmtTime(s.now())
		_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ? WHERE id = ?`, now, id)
		return err
	})
	if err != nil {
		return OutboxMail{}, err
	}
	return s.MailByID(ctx, id)
}

func stateLabel(state string) string {
	switch state {
	case MailQueued:
		return "köat"
	case MailSent:
		return "skickat"
	}
	return state
}
