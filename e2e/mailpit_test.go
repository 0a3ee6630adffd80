package e2e

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/notify/notifytest"
)

// deliver sends the service's outbox over SMTP to Mailpit on loopback, as
// the delivery job of a running service does, at the service's time.
func (ms *meetingServer) deliver(t *testing.T, mp *notifytest.Mailpit) notify.DrainResult {
	t.Helper()
	server, err := notify.ParseSMTPURL(mp.SMTPURL())
	if err != nil {
		t.Fatal(err)
	}
	d, err := notify.NewSMTPDelivery(ms.store, server, "Beslutsgång <beslut@kommun.example>")
	if err != nil {
		t.Fatal(err)
	}
	d.Now = ms.now
	d.Log = slog.New(slog.DiscardHandler)
	res, err := d.Drain(context.Background())
	if err != nil || res.Retried > 0 || res.Failed > 0 {
		t.Fatalf("delivering the outbox to Mailpit: %+v, %v", res, err)
	}
	return res
}

// receivedMail is the one message Mailpit received for to whose subject
// starts with subject.
func receivedMail(t *testing.T, mp *notifytest.Mailpit, to, subject string) notifytest.Message {
	t.Helper()
	var found []notifytest.Message
	for _, m := range mp.Messages() {
		if strings.HasPrefix(m.Subject, subject) && len(m.To) == 1 && m.To[0].Address == to {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("Mailpit has %d messages to %s with subject %q, want 1 (all to: %q)", len(found), to, subject,
			notifytest.Recipients(mp.Messages()))
	}
	return found[0]
}
