package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/workflow"
)

// TestDeadlinesAndMailPages visits the pages of bevakningar and mail in a real
// browser, as the officer and the administrator use them, with mail written as
// .eml files the way a demo without an SMTP server does: the start page's
// bevakningar with the overdue ones marked, setting a bevakning on a case
// (wrong first), kvittera, the outbox with a re-send, the mail files, the mail
// gaps and a recurring assignment. Each page is checked with axe-core against
// WCAG 2.1 A and AA and saved as a screenshot.
func TestDeadlinesAndMailPages(t *testing.T) {
	axe := axeSource(t)
	ctx := context.Background()
	base, store, dir, composer := startMailService(t)
	// What the scheduler does when the service starts: the reminders that fell
	// due are queued, and the delivery writes them to the folder.
	if sent, err := store.SendDueReminders(ctx, time.Now(), db.ScanOptions{Compose: composer}); err != nil || len(sent) == 0 {
		t.Fatalf("reminder scan: %d, %v", len(sent), err)
	}
	delivery, err := notify.NewFolderDelivery(store, dir, "Beslutsgång <beslut@kommun.example>")
	if err != nil {
		t.Fatal(err)
	}
	if res, err := delivery.Drain(ctx); err != nil || res.Sent == 0 {
		t.Fatalf("delivery: %+v, %v", res, err)
	}
	// Reminders of the next days are queued too; the server refuses the first
	// one about a case for good (by the date, the first due may be a meeting's).
	later := time.Now().Add(72 * time.Hour)
	if _, err := store.SendDueReminders(ctx, later, db.ScanOptions{Compose: composer}); err != nil {
		t.Fatal(err)
	}
	due, err := store.DueMail(ctx, later, 100)
	if err != nil {
		t.Fatal(err)
	}
	var refused int64
	for _, m := range due {
		if m.CaseNumber != "" {
			refused = m.ID
			break
		}
	}
	if refused == 0 {
		t.Fatalf("no queued mail about a case: %+v", due)
	}
	if err := store.MarkMailFailed(ctx, refused, time.Now(), "550 5.1.1 mailbox unavailable", time.Now(), true); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, base)
	today := workflow.Today(time.Now())
	note := "Stäm av EU-medlen med ekonomienheten " + xss

	// The officer's start page lists her bevakningar, overdue ones marked in words.
	b.open("/login")
	b.login("handlaggare@kommun.example", "demo", http.StatusOK)
	b.expect("#deadlines-title", "Mina bevakningar")
	b.expect("table.deadlines", "Inlämningsdag", "Försenad", demo.DraftNumber, lateNote)
	if b.count("table.deadlines tr.overdue") == 0 {
		t.Error("no overdue bevakning is marked on the start page")
	}
	b.checkAccessibility(axe, "start page with bevakningar")
	b.screenshot("mail-start-deadlines")

	// A bevakning on her draft: a date in the past first.
	b.open("/cases/" + demo.DraftNumber)
	b.expect("#bevakningar", "Bevakningar")
	b.set("#deadline_due", "2020-01-01")
	b.set("#deadline_note", note)
	if st := b.submit(`form[action$="/deadlines"] button[type=submit]`); st != http.StatusUnprocessableEntity {
		t.Errorf("a bevakning in the past: status %d, want 422", st)
	}
	b.expect(".error-summary", "har redan passerat")
	b.expect(".field.has-error", "har redan passerat")
	if got := b.value("#deadline_note"); got != note {
		t.Errorf("the note was not kept: %q", got)
	}
	b.checkAccessibility(axe, "case page, bevakning with errors")
	b.screenshot("mail-case-deadline-errors")
	due5 := today.AddDays(5).String()
	b.set("#deadline_due", due5)
	b.set("#deadline_responsible", "handlaggare@kommun.example")
	if st := b.submit(`form[action$="/deadlines"] button[type=submit]`); st != http.StatusOK {
		t.Fatalf("setting the bevakning: status %d", st)
	}
	b.expect("[role=status]", "Bevakningen är satt")
	b.expect(".deadline-list", note, due5, "Om 5 dagar", "Satt av Sara Lindqvist")
	b.checkAccessibility(axe, "case page with bevakningar")
	b.screenshot("mail-case-deadlines")

	// She kvitterar it on her start page.
	var id int64
	ds, err := store.CaseDeadlines(ctx, demo.DraftNumber)
	for _, d := range ds {
		if d.Kind == workflow.DeadlineCustom && d.Note == note {
			id = d.ID
		}
	}
	if err != nil || id == 0 {
		t.Fatalf("the bevakning is not stored: %+v, %v", ds, err)
	}
	b.open("/")
	b.expect("table.deadlines", note, "Stäm av yttrandet med fritidsförvaltningen")
	if st := b.submit(fmt.Sprintf(`form[action="/deadlines/%d/acknowledge"] button`, id)); st != http.StatusOK {
		t.Fatalf("kvittera: status %d", st)
	}
	b.expect("[role=status]", "Bevakningen är kvitterad")
	b.refuse("main", "Stäm av EU-medlen")
	b.open("/deadlines")
	b.expect("h1", "Mina bevakningar")
	b.expect("table.deadlines", "Stäm av yttrandet med fritidsförvaltningen", "Inlämningsdag")
	b.checkAccessibility(axe, "all my bevakningar")
	b.logout()

	// The administrator's mail pages.
	b.login("admin@kommun.example", "demo", http.StatusOK)
	b.submit(`a[href="/admin/users"]`)
	b.submit(`a[href="/admin/mail-gaps"]`)
	b.expect("h1", "E-postluckor")
	b.expect("#gap-failed_mail", "E-post som inte gick fram (1)")
	b.expect("main", "550 5.1.1 mailbox unavailable", "skickas om från utkorgen")
	b.checkAccessibility(axe, "mail gaps")
	b.screenshot("mail-gaps")
	b.submit(`a[href="/admin/outbox"]`)
	b.expect("h1", "Utkorg")
	b.expect("table.outbox", "Påminnelse", "Skickat", "Kunde inte skickas", "550 5.1.1")
	b.checkAccessibility(axe, "outbox")
	b.screenshot("mail-outbox")
	b.set("#state", "failed")
	b.submit(`form.filters button`)
	if n := b.count("table.outbox tbody tr"); n != 1 {
		t.Errorf("the failed filter lists %d messages, want 1", n)
	}
	b.submit(`table.outbox a`)
	b.expect("main", "550 5.1.1", "Text")
	b.expect("pre.mail-text", base+"/cases/")
	b.checkAccessibility(axe, "outbox message")
	b.screenshot("mail-outbox-message")
	b.submit(`main form[action$="/resend"] button`)
	b.expect("[role=status]", "köat igen")
	b.refuse("main", "550 5.1.1")

	b.submit(`a[href="/admin/mail-files"]`)
	b.expect("main", "E-postfiler", dir)
	b.checkAccessibility(axe, "mail files")
	b.screenshot("mail-files")
	// A reminder about a case (the newest file may be another kind, by date).
	b.open("/admin/mail-files/" + mailFileWith(t, dir, "Hej ", base+"/cases/"))
	b.expect("dl.meta", "Från", "Beslutsgång <beslut@kommun.example>", "Till", "Message-ID")
	b.expect("pre.mail-text", "Hej ", base+"/cases/")
	if b.count("main iframe, main .mail-text p, main .mail-text div") != 0 {
		t.Error("the message's HTML is rendered, not shown as text")
	}
	b.checkAccessibility(axe, "mail file")
	b.screenshot("mail-file")

	b.submit(`a[href="/admin/recurring"]`)
	b.set("#title", "Internationell redovisning {last_year}")
	b.set("#schedule", "30 2 15 1 *")
	if st := b.submit(`button[value=check]`); st != http.StatusUnprocessableEntity {
		t.Errorf("a schedule in the DST hour: status %d, want 422", st)
	}
	b.expect(".error-summary", "02.00 och 02.59")
	b.checkAccessibility(axe, "recurring assignment with errors")
	b.set("#schedule", "0 8 15 1 *")
	if st := b.submit(`button[value=check]`); st != http.StatusOK {
		t.Errorf("checking the schedule: status %d", st)
	}
	b.expect(".schedule-check", "Kl. 08.00 den 15 januari varje år.", "-01-15 08:00", "Internationell redovisning ")
	b.checkAccessibility(axe, "recurring assignment checked")
	b.screenshot("mail-recurring-check")
	if st := b.submit(`.actions-row button[value=save]`); st != http.StatusOK {
		t.Fatalf("saving the recurring assignment: status %d", st)
	}
	b.expect("[role=status]", "sparat")
	b.expect("table", "Internationell redovisning {last_year}", "Kl. 08.00 den 15 januari varje år.", "Sara Lindqvist")
	if !strings.Contains(b.text("table"), "-01-15 08:00") {
		t.Error("the next run is not shown")
	}
	b.screenshot("mail-recurring")
}

// mailFileWith is the name of a .eml file in dir whose text holds every string.
func mailFileWith(t *testing.T, dir string, want ...string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil || !strings.HasSuffix(e.Name(), ".eml") {
			continue
		}
		decoded, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
		text := string(decoded)
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(text, w)
		}
		if ok {
			return e.Name()
		}
	}
	t.Fatalf("no mail file in %s holds %q", dir, want)
	return ""
}

// startMailService is the demo service writing mail as .eml files to a
// folder of its own, as a demo without SMTP does, with a late bevakning whose
// reminders are due; it returns the address, the store, the folder and the
// composer the service uses.
func startMailService(t *testing.T) (string, *db.Store, string, *notify.Composer) {
	t.Helper()
	dir := t.TempDir()
	var composer *notify.Composer
	base, store := startService(t, handlers.Config{MailDir: dir, ExportDir: t.TempDir()}, nil, func(s *db.Store, base string) {
		c, err := notify.NewComposer(notify.Templates(), base, workflow.DefaultPolicy)
		if err != nil {
			t.Fatal(err)
		}
		s.Composer, composer = c, c
		lateBevakning(t, s)
	})
	return base, store, dir, composer
}

// lateNote is the note of the bevakning lateBevakning sets.
const lateNote = "Skicka utkastet till ekonomienheten"

// lateBevakning is what a service that was down for some days finds: a
// bevakning the secretary set ten days ago for the officer on the demo's
// draft, due two work days ago, whose reminders fell due while nothing
// scanned. The demo itself has none (its first start mails no missed
// reminder), so the pages of overdue bevakningar and of mail get their own.
// It runs before the service starts, as it moves the store's clock.
func lateBevakning(t *testing.T, store *db.Store) {
	t.Helper()
	ctx := context.Background()
	realNow := store.Now
	defer func() { store.Now = realNow }()
	set := time.Now().AddDate(0, 0, -10)
	store.Now = func() time.Time { return set }
	sec, err := store.UserByEmail(ctx, "sekreterare@kommun.example")
	if err != nil {
		t.Fatal(err)
	}
	due := workflow.AddWorkdays(workflow.Today(time.Now()), -2)
	if _, err := store.AddDeadline(ctx, demo.DraftNumber, db.DeadlineInput{Due: due.String(), Responsible: "handlaggare@kommun.example",
		Note: lateNote}, sec); err != nil {
		t.Fatal(err)
	}
}
