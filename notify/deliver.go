package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"time"

	gomail "github.com/go-mail/mail"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// transport hands one message on: to an SMTP server, or to a folder.
type transport interface {
	send(m *db.OutboxMail, from string, rcpt []string, msg *gomail.Message) error
	Close() error
}

// Delivery drains the outbox: it sends due messages, marks them sent once the
// server has accepted them, and retries failures with exponential backoff
// until MaxAttempts, after which a message is failed and waits on the admin
// page for a re-send. One drain runs at a time, over one connection.
type Delivery struct {
	store     *db.Store
	transport transport
	from      *mail.Address // its address in ASCII (workflow.ASCIIEmail)
	host      string        // the right-hand side of Message-IDs, ASCII too

	MaxAttempts int           // default 8
	Backoff     time.Duration // the first wait; it doubles per attempt (default 30s)
	MaxBackoff  time.Duration // default 1h
	Batch       int           // messages read per query (default 100)
	Now         func() time.Time
	Log         *slog.Logger

	mu sync.Mutex
}

// NewSMTPDelivery delivers over SMTP from the given sender address.
func NewSMTPDelivery(store *db.Store, server SMTP, from string) (*Delivery, error) {
	return newDelivery(store, newSMTPTransport(server), from)
}

// NewFolderDelivery writes each message as an .eml file in dir instead: the
// mode of a demo or a test installation without an SMTP server.
func NewFolderDelivery(store *db.Store, dir, from string) (*Delivery, error) {
	t, err := newFolderTransport(dir)
	if err != nil {
		return nil, err
	}
	return newDelivery(store, t, from)
}

func newDelivery(store *db.Store, t transport, from string) (*Delivery, error) {
	addr, err := ParseFrom(from)
	if err != nil {
		return nil, err
	}
	if addr.Address, err = workflow.ASCIIEmail(addr.Address); err != nil {
		return nil, err
	}
	host := addr.Address[strings.LastIndexByte(addr.Address, '@')+1:]
	return &Delivery{store: store, transport: t, from: addr, host: host, MaxAttempts: 8, Backoff: 30 * time.Second,
		MaxBackoff: time.Hour, Batch: 100, Now: time.Now, Log: slog.Default()}, nil
}

// ParseFrom reads the sender, "Beslutsgång <beslut@kommun.se>" or a bare
// address (a mailbox, RFC 5322 3.4). The address must be one the service can
// send from, as workflow.CheckEmail says: an ASCII local part, since MAIL FROM
// without SMTPUTF8 is ASCII (RFC 5321 4.1.2), and a domain that is a valid
// IDNA name (RFC 5890/5891). It is returned in CheckEmail's normal form, the
// domain as U-labels; delivery sends it as A-labels.
func ParseFrom(from string) (*mail.Address, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(from))
	if err != nil || !strings.Contains(a.Address, "@") {
		return nil, fmt.Errorf("avsändaradressen %q är ingen giltig e-postadress (BESLUTSGANG_MAIL_FROM), t.ex. \"Beslutsgång <beslut@kommun.se>\"", from)
	}
	if a.Address, err = workflow.CheckEmail(a.Address); err != nil {
		return nil, fmt.Errorf("avsändaradressen (BESLUTSGANG_MAIL_FROM): %w", err)
	}
	if a.Name == "" {
		a.Name = "Beslutsgång"
	}
	return a, nil
}

// MessageID is the Message-ID of the message with a dedupe key: the same for
// every attempt, so a message sent again after a crash is recognisable.
func MessageID(key, host string) string {
	sum := sha256.Sum256([]byte(key))
	return "<" + hex.EncodeToString(sum[:]) + "@" + host + ">"
}

// DrainResult counts what one drain did.
type DrainResult struct {
	Sent    int `json:"sent"`
	Retried int `json:"retried"` // failed, will be tried again
	Failed  int `json:"failed"`  // given up
}

// Drain sends every message due now. It stops early, leaving the rest queued,
// when the server cannot be reached at all. Each batch is claimed first
// (db.ClaimMail), so the drains of several instances send each message once;
// what a drain claims but does not try, it gives back.
func (d *Delivery) Drain(ctx context.Context) (DrainResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	defer d.transport.Close() // an idle connection would be dropped by the server anyway
	var res DrainResult
	seen := map[int64]bool{}
	for {
		due, err := d.store.ClaimMail(ctx, d.Now(), d.Batch)
		if err != nil {
			return res, err
		}
		var untried []int64 // claimed, given back when the batch ends
		giveBack := func(rest []db.OutboxMail) error {
			for _, m := range rest {
				untried = append(untried, m.ID)
			}
			return d.store.ReleaseMail(context.WithoutCancel(ctx), untried, d.Now())
		}
		progress := false
		for i := range due {
			m := &due[i]
			if seen[m.ID] {
				untried = append(untried, m.ID) // retried in this drain already: it waits for its backoff
				continue
			}
			seen[m.ID] = true
			progress = true
			if err := ctx.Err(); err != nil {
				return res, errors.Join(err, giveBack(due[i:]))
			}
			err := d.sendOne(m)
			if err == nil {
				if err := d.store.MarkMailSent(ctx, m.ID, d.Now()); err != nil {
					return res, err
				}
				res.Sent++
				continue
			}
			gaveUp, merr := d.recordFailure(ctx, m, err)
			if merr != nil {
				return res, merr
			}
			if gaveUp {
				res.Failed++
			} else {
				res.Retried++
			}
			if errors.As(err, new(connError)) {
				return res, giveBack(due[i+1:])
			}
		}
		if err := giveBack(nil); err != nil {
			return res, err
		}
		if !progress || len(due) < d.Batch {
			return res, nil
		}
	}
}

func (d *Delivery) sendOne(m *db.OutboxMail) error {
	to, err := wireAddress(m.To)
	if err != nil {
		return err
	}
	msg := gomail.NewMessage()
	msg.SetAddressHeader("From", d.from.Address, d.from.Name)
	msg.SetAddressHeader("To", to.Address, to.Name)
	rcpt := []string{to.Address}
	if len(m.Cc) > 0 {
		cc := make([]string, len(m.Cc))
		for i, s := range m.Cc {
			a, err := wireAddress(s)
			if err != nil {
				return err
			}
			cc[i] = msg.FormatAddress(a.Address, a.Name)
			rcpt = append(rcpt, a.Address)
		}
		// FormatAddress wrote ASCII only, which SetHeader leaves as it is:
		// it encodes only values that need it (mime.WordEncoder.Encode).
		msg.SetHeader("Cc", cc...)
	}
	msg.SetHeader("Subject", m.Subject)
	msg.SetHeader("Message-ID", MessageID(m.Key, d.host))
	msg.SetHeader("Auto-Submitted", "auto-generated")
	msg.SetDateHeader("Date", m.CreatedAt)
	msg.SetBody("text/plain", m.Text)
	if m.HTML != "" {
		msg.AddAlternative("text/html", m.HTML)
	}
	for _, a := range m.Attachments {
		attach(msg, a)
	}
	return d.transport.send(m, d.from.Address, rcpt, msg)
}

// attach adds a file to the message as an attachment, base64-encoded, with
// its name in the Content-Type and Content-Disposition headers (RFC 2231
// encoding for a name that is not plain ASCII, which go-mail would write raw).
func attach(msg *gomail.Message, a db.MailAttachment) {
	ct := mime.FormatMediaType(a.ContentType, map[string]string{"name": a.Name})
	if ct == "" {
		ct = "application/octet-stream"
	}
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})
	if disp == "" {
		disp = "attachment"
	}
	msg.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.SetHeader(map[string][]string{
		"Content-Type": {ct}, "Content-Disposition": {disp}, "Content-Transfer-Encoding": {string(gomail.Base64)},
	}))
}

// wireAddress reads a stored recipient, a bare address or "Name <address>",
// and returns it with the address as it goes on the wire: the domain as
// A-labels (RFC 5890/5891), the only form allowed in RCPT TO without SMTPUTF8
// (RFC 5321 4.1.2) and in a header's addr-spec, where an RFC 2047
// encoded-word is forbidden. The display name stays as it is, for
// FormatAddress to encode. An address that cannot be sent, such as one from
// before workflow.CheckEmail with å in its local part, is a permanentError:
// no retry sends it.
func wireAddress(s string) (*mail.Address, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, permanentError{fmt.Errorf("mottagaren %q är ingen giltig e-postadress", s)}
	}
	if a.Address, err = workflow.ASCIIEmail(a.Address); err != nil {
		return nil, permanentError{fmt.Errorf("mottagaren: %w", err)}
	}
	return a, nil
}

// permanentError is a message no retry can send.
type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

// isPermanent reports whether the server refused the message for good (a 5xx
// reply) or the message itself cannot be sent.
func isPermanent(err error) bool {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code >= 500
	}
	return errors.As(err, new(permanentError))
}

func (d *Delivery) recordFailure(ctx context.Context, m *db.OutboxMail, cause error) (bool, error) {
	now := d.Now()
	attempts := m.Attempts + 1
	giveUp := attempts >= d.MaxAttempts || isPermanent(cause)
	wait := d.Backoff << min(attempts-1, 30)
	if wait <= 0 || wait > d.MaxBackoff {
		wait = d.MaxBackoff
	}
	d.Log.Warn("mail not sent", "id", m.ID, "to", m.To, "attempt", attempts, "gave_up", giveUp, "err", cause)
	return giveUp, d.store.MarkMailFailed(ctx, m.ID, now, cause.Error(), now.Add(wait), giveUp)
}
