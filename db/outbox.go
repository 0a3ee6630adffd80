package db

import (
	"context"
	"database/sql"
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
		m, err := s.Composer.Compose(c, ev, n)
		if err != nil {
			return fmt.Errorf("compose %s mail: %w", n.Kind, err)
		}
		if err := queueMail(ctx, tx, DedupeKey(c.Number, ev.Seq, n), c.ID, m, ev.At); err != nil {
			return err
		}
	}
	return nil
}

// queueMail puts one message in the outbox; a message with the same key already
// there is left as it is.
func queueMail(ctx context.Context, tx *sql.Tx, key string, caseID int64, m Mail, at time.Time) error {
	var cid any
	if caseID != 0 {
		cid = caseID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox(dedupe_key, case_id, to_addr, cc_addr, subject, text_body, html_body,
		created_at, next_attempt_at) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(dedupe_key) DO NOTHING`,
		key, cid, m.To, strings.Join(m.Cc, ", "), m.Subject, m.Text, m.HTML, fmtTime(at), fmtTime(at))
	return err
}
