package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kommun/beslutsgang/workflow"
)

// Mail is one composed message for the outbox.
type Mail struct {
	To          string // one address; a message goes to one person
	Cc          []string
	Subject     string
	Text        string
	HTML        string
	Attachments []MailAttachment // written with the message, in its transaction
}

// MailAttachment is a file a message carries, such as a protokollsutdrag.
// In lists of the outbox only its name, type and size are read; Data is
// read for delivery (DueMail).
type MailAttachment struct {
	Name        string `json:"name"` // the file name the recipient sees
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
	Data        []byte `json:"-"`
}

// Bounds on what one message carries. A protokollsutdrag or a
// föredragningslista is tens of kilobytes; the bound keeps a message well
// under what mail servers accept (commonly 10 MB after base64's third more).
const (
	MaxMailAttachments     = 10
	MaxMailAttachmentBytes = 5 << 20 // all the files of one message together
	maxAttachmentName      = 200     // bytes
)

// checkAttachments refuses files a message should not carry: too many, too
// large together, or a name or content type that cannot go in a MIME header.
func checkAttachments(as []MailAttachment) error {
	if len(as) > MaxMailAttachments {
		return fmt.Errorf("e-postmeddelandet har %d bilagor; högst %d får följa med", len(as), MaxMailAttachments)
	}
	total := 0
	for _, a := range as {
		total += len(a.Data)
		if a.Name == "" || len(a.Name) > maxAttachmentName || !utf8.ValidString(a.Name) ||
			strings.ContainsAny(a.Name, `/\"`) || strings.IndexFunc(a.Name, unicode.IsControl) >= 0 {
			return fmt.Errorf("bilagans namn %q duger inte som filnamn i ett e-postmeddelande", a.Name)
		}
		if _, _, err := mime.ParseMediaType(a.ContentType); err != nil || strings.ContainsAny(a.ContentType, ";\r\n") {
			return fmt.Errorf("bilagan %s har ingen giltig innehållstyp (%q)", a.Name, a.ContentType)
		}
	}
	if total > MaxMailAttachmentBytes {
		return fmt.Errorf("bilagorna till e-postmeddelandet är på %d kB; högst %d kB får följa med", (total+1023)/1024, MaxMailAttachmentBytes>>10)
	}
	return nil
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
	if err := checkAttachments(m.Attachments); err != nil {
		return false, err
	}
	// No row comes back when the key is already queued: the message is not queued twice.
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO outbox(dedupe_key, case_id, kind, to_addr, cc_addr, subject, text_body, html_body,
		created_at, next_attempt_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(dedupe_key) DO NOTHING RETURNING id`,
		key, cid, kind, m.To, strings.Join(m.Cc, ", "), m.Subject, m.Text, m.HTML, fmtTime(at), fmtTime(at)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for i, a := range m.Attachments {
		sum := sha256.Sum256(a.Data)
		hash := hex.EncodeToString(sum[:])
		if _, err := tx.ExecContext(ctx, `INSERT INTO blobs(sha256, data) VALUES (?,?) ON CONFLICT DO NOTHING`, hash, a.Data); err != nil {
			return false, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox_attachments(outbox_id, pos, name, content_type, size, sha256)
			VALUES (?,?,?,?,?,?)`, id, i+1, a.Name, a.ContentType, len(a.Data), hash); err != nil {
			return false, err
		}
	}
	return true, nil
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
	// Attachments are the files the message carries, in order; their
	// content is read only for delivery (DueMail).
	Attachments []MailAttachment `json:"attachments,omitempty"`
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

// listOutbox reads messages with their attachments, the attachments'
// content only when withData is set.
func listOutbox(ctx context.Context, q queryer, withData bool, where string, args ...any) ([]OutboxMail, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+outboxCols+where, args...)
	if err != nil {
		return nil, err
	}
	out := []OutboxMail{}
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, readAttachments(ctx, q, out, withData)
}

// readAttachments fills in the attachments of ms, in one query.
func readAttachments(ctx context.Context, q queryer, ms []OutboxMail, withData bool) error {
	if len(ms) == 0 {
		return nil
	}
	at := map[int64]int{}
	args := make([]any, len(ms))
	for i, m := range ms {
		at[m.ID], args[i] = i, m.ID
	}
	data := `NULL`
	if withData {
		data = `b.data`
	}
	rows, err := q.QueryContext(ctx, `SELECT a.outbox_id, a.name, a.content_type, a.size, `+data+`
		FROM outbox_attachments a LEFT JOIN blobs b ON b.sha256 = a.sha256
		WHERE a.outbox_id IN (?`+strings.Repeat(",?", len(ms)-1)+`) ORDER BY a.outbox_id, a.pos`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a MailAttachment
		if err := rows.Scan(&id, &a.Name, &a.ContentType, &a.Size, &a.Data); err != nil {
			return err
		}
		if withData && len(a.Data) != a.Size {
			return fmt.Errorf("bilagan %s till meddelande %d saknar sitt innehåll", a.Name, id)
		}
		i := at[id]
		ms[i].Attachments = append(ms[i].Attachments, a)
	}
	return rows.Err()
}

// DueMail lists queued messages whose next attempt is due at now, oldest first.
func (s *Store) DueMail(ctx context.Context, now time.Time, limit int) ([]OutboxMail, error) {
	return listOutbox(ctx, s.r, true, `WHERE o.state = 'queued' AND o.next_attempt_at <= ? ORDER BY o.next_attempt_at, o.id LIMIT ?`,
		fmtTime(now.UTC()), limit)
}

// MailClaim is how long a message claimed for sending stays out of other
// drains: far longer than one SMTP conversation. Should the instance die
// meanwhile, the message is due again after it and goes out with the same
// Message-ID (notify.MessageID), which receivers use to see it as one.
const MailClaim = 2 * time.Minute

// ClaimMail takes up to limit messages due at now, with their attachments,
// for one instance's drain: their next attempt moves to now+MailClaim, so
// no other drain (of this instance or another) takes them meanwhile. The
// sender marks each sent or failed (MarkMailSent, MarkMailFailed), or gives
// back what it did not try (ReleaseMail). On PostgreSQL the rows are locked
// FOR UPDATE SKIP LOCKED, so drains of several instances never wait for or
// take each other's messages.
func (s *Store) ClaimMail(ctx context.Context, now time.Time, limit int) ([]OutboxMail, error) {
	var out []OutboxMail
	err := s.txBookkeeping(ctx, func(tx *sql.Tx) error {
		claimed, err := ids(ctx, tx, `SELECT id FROM outbox WHERE state = 'queued' AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT ?`+s.skipLocked(), fmtTime(now.UTC()), limit)
		if err != nil || len(claimed) == 0 {
			return err
		}
		marks := "?" + strings.Repeat(",?", len(claimed)-1)
		args := []any{fmtTime(now.Add(MailClaim).UTC())}
		for _, id := range claimed {
			args = append(args, id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = ? WHERE id IN (`+marks+`)`, args...); err != nil {
			return err
		}
		out, err = listOutbox(ctx, tx, true, `WHERE o.id IN (`+marks+`) ORDER BY o.id`, args[1:]...)
		return err
	})
	return out, err
}

// ReleaseMail gives back claimed messages a drain did not try: they are due
// at now again.
func (s *Store) ReleaseMail(ctx context.Context, ids []int64, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{fmtTime(now.UTC())}
	for _, id := range ids {
		args = append(args, id)
	}
	return s.txBookkeeping(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = ? WHERE state = 'queued' AND id IN (?`+
			strings.Repeat(",?", len(ids)-1)+`)`, args...)
		return err
	})
}

// MailByID finds one message.
func (s *Store) MailByID(ctx context.Context, id int64) (OutboxMail, error) {
	ms, err := listOutbox(ctx, s.r, false, `WHERE o.id = ?`, id)
	if err != nil {
		return OutboxMail{}, err
	}
	if len(ms) == 0 {
		return OutboxMail{}, notFound("Meddelandet %d finns inte i utkorgen", id)
	}
	return ms[0], nil
}

// MarkMailSent records that the server accepted a message.
func (s *Store) MarkMailSent(ctx context.Context, id int64, at time.Time) error {
	return s.txBookkeeping(ctx, func(tx *sql.Tx) error {
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
	return s.txBookkeeping(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, last_attempt_at = ?,
			next_attempt_at = ? WHERE id = ? AND state = 'queued'`, state, reason, fmtTime(at), fmtTime(next), id)
		return err
	})
}

// OutboxFilter narrows the outbox list.
type OutboxFilter struct {
	State   string // queued, sent or failed; empty: all
	Page    int    // from 1; ignored with a Cursor
	PerPage int
	// Cursor reads the page after (or before) a place in the outbox
	// (OutboxPage.Next, Prev); its sort is "id", newest first.
	Cursor *Cursor
}

// OutboxPage is one page of the outbox, newest first. Total and Counts
// count up to the store's CountCap: TotalCapped, and CountsCapped naming the
// states, say where they stopped.
type OutboxPage struct {
	Items        []OutboxMail   `json:"items"`
	Total        int            `json:"total"`
	TotalCapped  bool           `json:"total_capped"`
	Page         int            `json:"page"` // 0 for a page read from a cursor
	PerPage      int            `json:"per_page"`
	Counts       map[string]int `json:"counts"`
	CountsCapped []string       `json:"counts_capped,omitempty"`
	// The neighbours, as in CasePage.
	Next, Prev, Last *Cursor `json:"-"`
}

// outboxSort is the outbox's one order: newest message first.
const outboxSort = "id"

// Outbox lists messages, newest first, with how many are in each state: one
// walk of the rowid (or outbox_state), and counts that stop at the cap.
func (s *Store) Outbox(ctx context.Context, f OutboxFilter) (OutboxPage, error) {
	return s.outbox(ctx, s.r, f)
}

func (s *Store) outbox(ctx context.Context, q queryer, f OutboxFilter) (OutboxPage, error) {
	if f.State != "" && f.State != MailQueued && f.State != MailSent && f.State != MailFailed {
		return OutboxPage{}, &workflow.Error{Code: workflow.EINVALID, Message: "Uppgifterna behöver rättas",
			Fields: []workflow.FieldError{{Field: "state", Message: fmt.Sprintf("Okänt läge %q; välj queued, sent eller failed", f.State)}}}
	}
	offset, err := pageWindow(&f.Page, &f.PerPage)
	if err != nil {
		return OutboxPage{}, err
	}
	var where []string
	var args []any
	if f.State != "" {
		where, args = []string{"outbox.state = ?"}, []any{f.State}
	}
	list := keyset{table: "outbox", id: "outbox.id", desc: true, parts: []listPart{{{where: where, args: args, key: "outbox.id"}}}}
	w := window{limit: f.PerPage, offset: offset}
	if c := f.Cursor; c != nil {
		if err := c.Fits(outboxSort, true); err != nil {
			return OutboxPage{}, err
		}
		if c.Key != "" {
			return OutboxPage{}, badCursor("Sidmarkören (cursor) är felaktig; börja om från första sidan")
		}
		if c.ID != 0 {
			w.pos = &listRow{ID: c.ID}
		}
		w.offset, w.back, f.Page = 0, c.Back, 0
	}
	page := OutboxPage{Page: f.Page, PerPage: f.PerPage, Counts: map[string]int{}}
	cap := s.countCap()
	for _, st := range []string{MailQueued, MailSent, MailFailed} {
		n, capped, err := countUpTo(ctx, q, "outbox", []string{"outbox.state = ?"}, []any{st}, cap)
		if err != nil {
			return page, err
		}
		page.Counts[st] = n
		if capped {
			page.CountsCapped = append(page.CountsCapped, st)
		}
	}
	if page.Total, page.TotalCapped, _, err = s.countPage(ctx, q, "outbox", where, args, f.Cursor == nil, f.Page, offset); err != nil {
		return page, err
	}
	rows, next, prev, err := list.pageOf(ctx, q, w, func(r listRow, back bool) *Cursor {
		return &Cursor{Sort: outboxSort, Desc: true, ID: r.ID, Back: back}
	})
	if err != nil {
		return page, err
	}
	page.Next, page.Prev = next, prev
	if next != nil {
		page.Last = &Cursor{Sort: outboxSort, Desc: true, Back: true}
	}
	page.Items = []OutboxMail{}
	if len(rows) == 0 {
		return page, nil
	}
	ids := make([]any, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	// The rows' order is the page's: newest first.
	page.Items, err = listOutbox(ctx, q, false, `WHERE o.id IN (?`+strings.Repeat(",?", len(ids)-1)+`) ORDER BY o.id DESC`, ids...)
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
