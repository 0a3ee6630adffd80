package notify_test

import (
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/notify/notifytest"
	"github.com/kommun/beslutsgang/workflow"
)

const baseURL = "http://beslut.test"

// mailWorld is a world whose actions queue real Swedish mail.
func mailWorld(t *testing.T) *notifytest.World {
	t.Helper()
	w := notifytest.NewWorld(t)
	c, err := notify.NewComposer(mailTemplates(t), baseURL, workflow.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	w.Store.Composer = c
	return w
}

func smtpDelivery(t *testing.T, w *notifytest.World, smtpURL string) *notify.Delivery {
	t.Helper()
	server, err := notify.ParseSMTPURL(smtpURL)
	if err != nil {
		t.Fatal(err)
	}
	d, err := notify.NewSMTPDelivery(w.Store, server, "Beslutsgång <beslut@kommun.example>")
	if err != nil {
		t.Fatal(err)
	}
	d.Now = w.Clock.Now
	d.Log = slog.New(slog.DiscardHandler)
	return d
}

func drain(t *testing.T, w *notifytest.World, d *notify.Delivery) notify.DrainResult {
	t.Helper()
	res, err := d.Drain(w.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestActionMailArrivesOverSMTP(t *testing.T) {
	mp := notifytest.StartMailpit(t)
	w := mailWorld(t)
	c := w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30", w.Approver)
	c = w.Act(c, w.Officer, workflow.Command{Action: workflow.ActSubmit})

	d := smtpDelivery(t, w, mp.SMTPURL())
	if res := drain(t, w, d); res.Sent != 1 || res.Retried+res.Failed != 0 {
		t.Fatalf("drain = %+v, want one sent", res)
	}
	msgs := mp.Messages()
	if len(msgs) != 1 {
		t.Fatalf("Mailpit has %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if len(m.To) != 1 || m.To[0].Address != w.Approver.Email || m.From.Address != "beslut@kommun.example" || m.From.Name != "Beslutsgång" {
		t.Errorf("from %+v to %+v, want from Beslutsgång to the approver", m.From, m.To)
	}
	if want := "Att godkänna: " + c.Number + " Internationell redovisning 2025"; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	link := baseURL + "/cases/" + c.Number
	if !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, `href="`+link+`"`) {
		t.Errorf("the mail lacks the link %s:\n%s", link, m.Text)
	}
	row := w.Outbox()[0]
	if want := notify.MessageID(row.Key, "kommun.example"); "<"+m.MessageID+">" != want {
		t.Errorf("Message-ID %q, want %q from the dedupe key", m.MessageID, want)
	}
	if row.State != db.MailSent || row.SentAt == nil || row.Attempts != 1 {
		t.Errorf("outbox row %+v, want sent", row)
	}
	if res := drain(t, w, d); res.Sent != 0 {
		t.Errorf("a second drain sent %d", res.Sent)
	}
	if n := len(mp.Messages()); n != 1 {
		t.Errorf("Mailpit has %d messages after a second drain, want 1", n)
	}
}

// With the SMTP server down, mail queues; when it is back every message
// arrives, none twice.
func TestMailWaitsForTheServer(t *testing.T) {
	mp := notifytest.StartMailpit(t)
	mp.Stop()
	w := mailWorld(t)
	d := smtpDelivery(t, w, mp.SMTPURL())

	c := w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30", w.Approver, w.Director)
	c = w.Act(c, w.Officer, workflow.Command{Action: workflow.ActSubmit})
	c = w.Act(c, w.Approver, workflow.Command{Action: workflow.ActApprove})
	c = w.Act(c, w.Director, workflow.Command{Action: workflow.ActApprove})
	w.Act(c, w.Secretary, workflow.Command{Action: workflow.ActReturn, Reason: "Komplettera med ekonomin"})
	queued := w.Outbox()
	if len(queued) != 4 {
		t.Fatalf("outbox has %d messages, want 4 (two approvers, the secretary, the officer)", len(queued))
	}

	for range 3 {
		res := drain(t, w, d)
		if res.Sent != 0 || res.Retried != 1 {
			t.Fatalf("drain with the server down = %+v, want one retried and the rest left alone", res)
		}
		w.Clock.Add(time.Minute)
	}
	for _, m := range w.Outbox() {
		if m.State != db.MailQueued {
			t.Errorf("message %d is %s while the server is down, want queued", m.ID, m.State)
		}
	}

	mp.Start()
	w.Clock.Add(2 * time.Hour) // past every backoff
	if res := drain(t, w, d); res.Sent != 4 {
		t.Fatalf("drain with the server back = %+v, want all 4 sent", res)
	}
	drain(t, w, d)
	msgs := mp.Messages()
	got := slices.Sorted(slices.Values(notifytest.Recipients(msgs)))
	want := slices.Sorted(slices.Values([]string{w.Approver.Email, w.Director.Email, w.Secretary.Email, w.Officer.Email}))
	if !slices.Equal(got, want) {
		t.Errorf("recipients %q, want %q, each once", got, want)
	}
	ids := map[string]bool{}
	for _, m := range msgs {
		if ids[m.MessageID] {
			t.Errorf("Message-ID %s arrived twice", m.MessageID)
		}
		ids[m.MessageID] = true
	}
	for _, m := range msgs {
		if m.To[0].Address == w.Officer.Email && !strings.Contains(m.Text, "Skäl: Komplettera med ekonomin") {
			t.Errorf("the return mail lacks the reason:\n%s", m.Text)
		}
	}
}

func TestRefusedMailFailsAndCanBeResent(t *testing.T) {
	mp := notifytest.StartMailpit(t, "--smtp-allowed-recipients", `@kommun\.example$`)
	w := mailWorld(t)
	d := smtpDelivery(t, w, mp.SMTPURL())
	c := w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30", w.Approver)
	c = w.Act(c, w.Officer, workflow.Command{Action: workflow.ActSubmit})
	c = w.Act(c, w.Approver, workflow.Command{Action: workflow.ActApprove})
	c = w.Handle(c, workflow.DecisionApproved, "Arbetsutskottet föreslår nämnden att godkänna redovisningen.")
	c = w.Handle(c, workflow.DecisionApproved, "Nämnden godkänner redovisningen.")
	c = w.Justera(c)
	// The decision goes to kommunstyrelsen, an address the server accepts.
	if _, err := w.Store.Act(w.Ctx, c.Number, w.Secretary, workflow.Command{Action: workflow.ActDispatch, Version: c.Version}); err != nil {
		t.Fatal(err)
	}
	res := drain(t, w, d)
	if res.Failed != 0 || res.Sent != 4 {
		t.Fatalf("drain = %+v, want all four sent (ks@kommun.example is allowed)", res)
	}
	// A message to an address the server refuses: a 5xx, given up at once.
	c2 := w.Case("Delårsrapport", "2026-05-21", "2026-06-04", w.Approver)
	extern := w.User("extern@annan.example", "Extern Chef", workflow.RoleApprover)
	in := db.InputOf(&c2)
	in.Approvers = []db.ApproverInput{{Email: extern.Email}}
	c2, err := w.Store.EditDraft(w.Ctx, c2.Number, c2.Version, in, w.Officer)
	if err != nil {
		t.Fatal(err)
	}
	w.Act(c2, w.Officer, workflow.Command{Action: workflow.ActSubmit})
	res = drain(t, w, d)
	if res.Failed != 1 || res.Sent != 0 {
		t.Fatalf("drain = %+v, want the refused message failed at once", res)
	}
	page, err := w.Store.Outbox(w.Ctx, db.OutboxFilter{State: db.MailFailed})
	if err != nil || len(page.Items) != 1 || page.Items[0].To != extern.Email || !strings.Contains(page.Items[0].LastError, "550") {
		t.Fatalf("failed messages = %+v, %v", page.Items, err)
	}
	resent, err := w.Store.ResendMail(w.Ctx, page.Items[0].ID)
	if err != nil || resent.State != db.MailQueued || resent.Attempts != 0 {
		t.Fatalf("ResendMail = %+v, %v", resent, err)
	}
	if _, err := w.Store.ResendMail(w.Ctx, page.Items[0].ID); workflow.ErrorCode(err) != workflow.ECONFLICT {
		t.Errorf("re-sending a queued message: %v, want a conflict", err)
	}
}

func TestSMTPAuthIsUsed(t *testing.T) {
	mp := notifytest.StartMailpit(t, "--smtp-auth-accept-any", "--smtp-auth-allow-insecure")
	w := mailWorld(t)
	c := w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30", w.Approver)
	w.Act(c, w.Officer, workflow.Command{Action: workflow.ActSubmit})
	url := strings.Replace(mp.SMTPURL(), "smtp://", "smtp://beslut:hemligt@", 1)
	if res := drain(t, w, smtpDelivery(t, w, url)); res.Sent != 1 {
		t.Fatalf("drain with login = %+v", res)
	}
	if n := len(mp.Messages()); n != 1 {
		t.Errorf("Mailpit has %d messages, want 1", n)
	}
}

func TestFolderDeliveryWritesEML(t *testing.T) {
	w := mailWorld(t)
	dir := t.TempDir()
	d, err := notify.NewFolderDelivery(w.Store, dir, "beslut@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	d.Now = w.Clock.Now
	c := w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30", w.Approver)
	w.Act(c, w.Officer, workflow.Command{Action: workflow.ActSubmit})
	if res := drain(t, w, d); res.Sent != 1 {
		t.Fatalf("drain = %+v", res)
	}
	files, err := notify.MailFiles(dir)
	if err != nil || len(files) != 1 {
		t.Fatalf("MailFiles = %+v, %v", files, err)
	}
	if files[0].To != w.Approver.Email || files[0].Subject != "Att godkänna: "+c.Number+" Internationell redovisning 2025" {
		t.Errorf("file %+v", files[0])
	}
	if files[0].Name != notify.FileName(&w.Outbox()[0]) {
		t.Errorf("file name %q, want the one derived from the key", files[0].Name)
	}
	for _, bad := range []string{"../beslutsgang.db", "x.eml", ""} {
		if _, err := notify.MailFilePath(dir, bad); err == nil {
			t.Errorf("MailFilePath(%q) accepted", bad)
		}
	}
}
