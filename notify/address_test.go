package notify_test

import (
	"database/sql"
	"net/mail"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/notify/notifytest"
	"github.com/kommun/beslutsgang/workflow"
	"golang.org/x/net/idna"
)

// The A-label of åkerö, checked against idna here and against Python's codec
// when the test was written.
const akero = "xn--ker-tla2g.example"

// rawSQL changes the database behind the store's back: rows stored before the
// address check existed.
func rawSQL(t *testing.T, w *notifytest.World, query string, args ...any) {
	t.Helper()
	d, err := sql.Open("sqlite3", "file:"+w.Path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(query, args...); err != nil {
		t.Fatal(err)
	}
}

// headerLine is one header of a raw message, unfolded, as it was sent.
func headerLine(t *testing.T, raw, name string) string {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("the raw message cannot be read: %v\n%s", err, raw)
	}
	return msg.Header.Get(name)
}

// Mail to and from a domain that is not ASCII goes out with the domain as
// A-labels, in the envelope and in the headers: an encoded-word in an
// addr-spec (RFC 2047 section 5) is refused by mail servers.
func TestMailToAnInternationalDomain(t *testing.T) {
	if a, err := idna.Lookup.ToASCII("åkerö.example"); err != nil || a != akero {
		t.Fatalf("idna: åkerö.example = %q, %v, want %q", a, err, akero)
	}
	// The server takes only ASCII recipients, as one without SMTPUTF8 does.
	mp := notifytest.StartMailpit(t, "--smtp-allowed-recipients", `^[a-z.]+@(kommun|xn--ker-tla2g)\.example$`)
	w := mailWorld(t)
	anna := w.User("anna@ÅKERÖ.example", "Anna Åkerö", workflow.RoleApprover)
	if anna.Email != "anna@åkerö.example" {
		t.Errorf("stored address %q, want the domain in lower-case U-labels", anna.Email)
	}
	if u, err := w.Store.UserByEmail(w.Ctx, "Anna@"+akero); err != nil || u.ID != anna.ID {
		t.Errorf("UserByEmail by the A-label = %+v, %v, want Anna", u, err)
	}
	c := w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30", anna)
	w.Act(c, w.Officer, workflow.Command{Action: workflow.ActSubmit})
	rawSQL(t, w, `UPDATE outbox SET cc_addr = 'bo@åkerö.example'`) // a copy, as an escalated reminder has

	server, err := notify.ParseSMTPURL(mp.SMTPURL())
	if err != nil {
		t.Fatal(err)
	}
	d, err := notify.NewSMTPDelivery(w.Store, server, "Beslutsgång på Åkerö <beslut@åkerö.example>")
	if err != nil {
		t.Fatal(err)
	}
	d.Now = w.Clock.Now
	if res := drain(t, w, d); res.Sent != 1 || res.Failed+res.Retried != 0 {
		t.Fatalf("drain = %+v, want one sent", res)
	}
	msgs := mp.Messages()
	if len(msgs) != 1 {
		t.Fatalf("Mailpit has %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if len(m.To) != 1 || m.To[0].Address != "anna@"+akero {
		t.Errorf("To %+v, want anna@%s", m.To, akero)
	}
	if len(m.Cc) != 1 || m.Cc[0].Address != "bo@"+akero {
		t.Errorf("Cc %+v, want bo@%s", m.Cc, akero)
	}
	if m.From.Address != "beslut@"+akero || m.From.Name != "Beslutsgång på Åkerö" {
		t.Errorf("From %+v, want Beslutsgång på Åkerö <beslut@%s>", m.From, akero)
	}
	if m.ReturnPath != "beslut@"+akero {
		t.Errorf("MAIL FROM %q, want beslut@%s", m.ReturnPath, akero)
	}
	if want := notify.MessageID(w.Outbox()[0].Key, akero); "<"+m.MessageID+">" != want {
		t.Errorf("Message-ID %q, want %q", m.MessageID, want)
	}
	raw := mp.Raw(m.ID)
	for _, h := range []string{"To", "Cc"} {
		if v := headerLine(t, raw, h); strings.Contains(v, "=?") || !strings.Contains(v, "@"+akero) {
			t.Errorf("raw %s: %q, want the A-label and no encoded-word", h, v)
		}
	}
	// The display name is encoded (RFC 2047), the address after it never.
	from := headerLine(t, raw, "From")
	name, addr, ok := strings.Cut(from, "<")
	if !ok || !strings.Contains(name, "=?") || addr != "beslut@"+akero+">" {
		t.Errorf("raw From: %q, want an encoded name and <beslut@%s>", from, akero)
	}
}

// wantRefused checks the Swedish message for åsa@kommun.example.
func wantRefused(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: åsa@kommun.example was accepted", what)
		return
	}
	if msg := err.Error(); !strings.Contains(msg, `E-postadressen "åsa@kommun.example" kan inte ta emot e-post`) ||
		!strings.Contains(msg, "delen före @") {
		t.Errorf("%s: %q, want the Swedish reason", what, msg)
	}
}

// A local part outside ASCII can only be sent with SMTPUTF8, which the
// service does not use: every way an address enters refuses it.
func TestNonASCIILocalPartIsRefusedAtInput(t *testing.T) {
	w := mailWorld(t)
	const asa = "åsa@kommun.example"

	_, err := w.Store.CreateUser(w.Ctx, db.NewUser{Email: asa, Name: "Åsa Öberg", Password: notifytest.Password})
	wantRefused(t, "CreateUser", err)
	if workflow.ErrorCode(err) != workflow.EINVALID {
		t.Errorf("CreateUser: %v, want invalid", err)
	}

	_, err = w.Store.AddMember(w.Ctx, "ASN", w.Secretary, db.MemberInput{Name: "Åsa Öberg", Email: asa, Role: workflow.MemberRegular})
	wantRefused(t, "AddMember", err)
	if workflow.ErrorCode(err) != workflow.EINVALID {
		t.Errorf("AddMember: %v, want invalid", err)
	}

	in := db.CaseInput{Board: "ASN", Title: "Delårsrapport", Proposals: []string{"Nämnden föreslås besluta att godkänna delårsrapporten"},
		Recipients: []workflow.Recipient{{Name: "Åsa Öberg", Email: asa}}}
	_, err = w.Store.CreateCase(w.Ctx, in, w.Officer)
	wantRefused(t, "CreateCase recipient", err)
	if workflow.ErrorCode(err) != workflow.EINVALID {
		t.Errorf("CreateCase: %v, want invalid", err)
	}

	_, err = notify.ParseFrom("Beslutsgång <" + asa + ">")
	wantRefused(t, "ParseFrom", err)
	if err != nil && !strings.Contains(err.Error(), "BESLUTSGANG_MAIL_FROM") {
		t.Errorf("ParseFrom: %q, want it to name the setting", err)
	}

	// The same member on a Unicode domain is welcome.
	m, err := w.Store.AddMember(w.Ctx, "ASN", w.Secretary, db.MemberInput{Name: "Åsa Öberg", Email: "asa@ÅKERÖ.example", Role: workflow.MemberRegular})
	if err != nil || m.Email != "asa@åkerö.example" {
		t.Errorf("AddMember on åkerö.example = %+v, %v", m, err)
	}
}

// A row stored before the check, with such an address, fails in delivery at
// once with the reason, and nothing reaches the server.
func TestStoredNonASCIILocalPartFailsInDelivery(t *testing.T) {
	mp := notifytest.StartMailpit(t)
	w := mailWorld(t)
	asa := w.User("asa@kommun.example", "Åsa Öberg", workflow.RoleApprover)
	rawSQL(t, w, `UPDATE users SET email = 'åsa@kommun.example' WHERE id = ?`, asa.ID)
	asa.Email = "åsa@kommun.example"
	c := w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30", asa)
	w.Act(c, w.Officer, workflow.Command{Action: workflow.ActSubmit})
	if out := w.Outbox(); len(out) != 1 || out[0].To != asa.Email {
		t.Fatalf("outbox %+v, want one message to %s", out, asa.Email)
	}

	d := smtpDelivery(t, w, mp.SMTPURL())
	if res := drain(t, w, d); res.Failed != 1 || res.Sent+res.Retried != 0 {
		t.Fatalf("drain = %+v, want the message failed at once", res)
	}
	if n := len(mp.Messages()); n != 0 {
		t.Errorf("Mailpit has %d messages, want none", n)
	}
	row := w.Outbox()[0]
	if row.State != db.MailFailed || row.Attempts != 1 || !strings.Contains(row.LastError, "delen före @") ||
		!strings.Contains(row.LastError, "åsa@kommun.example") {
		t.Errorf("outbox row %+v, want failed with the Swedish reason", row)
	}
}
