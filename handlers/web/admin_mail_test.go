package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
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

// lateBevakning is what a service that was down for some days finds: a
// bevakning the secretary set ten days ago for the officer on the demo's
// draft, due two work days ago, whose reminders fell due while nothing
// scanned. The demo itself has none (its first start mails no missed
// reminder), so the tests of the mail pages make their own. It runs before
// the service starts, as it moves the store's clock.
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
		Note: "Skicka utkastet till ekonomienheten"}, sec); err != nil {
		t.Fatal(err)
	}
}

// mailSite is the demo site with mail composed into the outbox and written
// as .eml files: the demo's due reminders are queued and delivered to the
// folder, and one message more waits in the outbox as failed.
type mailSite struct {
	*site
	dir    string
	failed db.OutboxMail
}

func newMailSite(t *testing.T) *mailSite {
	t.Helper()
	ctx := context.Background()
	composer, err := notify.NewComposer(notify.Templates(), "http://beslutsgang.test", workflow.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := newSiteWith(t, handlers.Config{MailDir: dir}, func(store *db.Store) {
		store.Composer = composer
		lateBevakning(t, store)
	})
	if sent, err := s.Store.SendDueReminders(ctx, time.Now(), db.ScanOptions{Compose: composer}); err != nil || len(sent) == 0 {
		t.Fatalf("reminder scan: %d, %v; the late bevakning has reminders due", len(sent), err)
	}
	d, err := notify.NewFolderDelivery(s.Store, dir, "Beslutsgång <beslut@kommun.example>")
	if err != nil {
		t.Fatal(err)
	}
	if res, err := d.Drain(ctx); err != nil || res.Sent == 0 {
		t.Fatalf("drain: %+v, %v", res, err)
	}
	// One more message, which the server refuses for good.
	u, _ := s.Store.UserByEmail(ctx, "handlaggare@kommun.example")
	page, err := s.Store.Cases(ctx, db.CaseFilter{Query: "feriearbete"})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("the demo case about feriearbete: %+v, %v", page.Items, err)
	}
	number := page.Items[0].Number
	if _, err := s.Store.AddDeadline(ctx, number, db.DeadlineInput{Due: soon(2), Note: "Ring regionen"}, u); err != nil {
		t.Fatal(err)
	}
	queued, err := s.Store.SendDueReminders(ctx, workflow.Today(time.Now()).AddDays(2).At(9, 0), db.ScanOptions{Compose: composer})
	if err != nil || len(queued) == 0 {
		t.Fatalf("second scan: %d, %v", len(queued), err)
	}
	due, err := s.Store.DueMail(ctx, time.Now().Add(72*time.Hour), 1)
	if err != nil || len(due) != 1 {
		t.Fatalf("queued mail: %+v, %v", due, err)
	}
	now := time.Now()
	if err := s.Store.MarkMailFailed(ctx, due[0].ID, now, "550 5.1.1 <"+due[0].To+">: mailbox unavailable", now, true); err != nil {
		t.Fatal(err)
	}
	failed, _ := s.Store.MailByID(ctx, due[0].ID)
	return &mailSite{site: s, dir: dir, failed: failed}
}

func TestMailAdminPagesOnlyForAdmins(t *testing.T) {
	s := newMailSite(t)
	b := s.Browser()
	b.Login("sekreterare@kommun.example")
	for _, path := range []string{"/admin/outbox", "/admin/outbox/" + itoa(s.failed.ID), "/admin/mail-files",
		"/admin/mail-gaps", "/admin/recurring"} {
		if p := b.Get(path); p.Status != http.StatusForbidden {
			t.Errorf("GET %s as secretary: %d, want 403", path, p.Status)
		}
	}
	b.Get("/")
	before := s.Fingerprint()
	if p := b.Post("/admin/outbox/"+itoa(s.failed.ID)+"/resend", nil); p.Status != http.StatusForbidden {
		t.Errorf("re-send as secretary: %d", p.Status)
	}
	if p := b.Post("/admin/recurring", validRecurring()); p.Status != http.StatusForbidden {
		t.Errorf("new recurring assignment as secretary: %d", p.Status)
	}
	s.Unchanged(before)
	// The administrator sees the sub-menu with the mail pages.
	admin := s.Browser()
	admin.Login("admin@kommun.example")
	admin.Get("/admin/users").Has(t, `href="/admin/outbox"`, `href="/admin/mail-files"`, `href="/admin/mail-gaps"`, `href="/admin/recurring"`)
}

func TestOutboxFilterAndResend(t *testing.T) {
	s := newMailSite(t)
	b := s.Browser()
	b.Login("admin@kommun.example")
	all := b.Get("/admin/outbox")
	all.Has(t, "Utkorg", "Skickat", "Kunde inte skickas", "Påminnelse", "550 5.1.1")
	if n := strings.Count(all.Body, `/resend"`); n != 1 {
		t.Errorf("%d re-send buttons, want 1 for the failed message", n)
	}
	failed := b.Get("/admin/outbox?state=failed")
	failed.Has(t, `<option value="failed" selected>Kunde inte skickas (1)</option>`, s.failed.To, "1 meddelande")
	failed.HasNot(t, `<span class="mail-state">Skickat</span>`)
	if p := b.Get("/admin/outbox?state=sent"); strings.Contains(p.Body, `/resend"`) || !strings.Contains(p.Body, "Skickat") {
		t.Error("the sent filter shows a failed message, or no sent one")
	}
	bad := b.Get("/admin/outbox?state=<b>x</b>")
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.FieldError("state"), "inget läge") {
		t.Errorf("an unknown state: %d %q", bad.Status, bad.FieldError("state"))
	}
	bad.HasNot(t, "<b>x</b>")

	one := b.Get("/admin/outbox/" + itoa(s.failed.ID))
	one.Has(t, s.failed.Subject, "550 5.1.1", "Skicka igen", "Hej ", "&lt;!doctype html&gt;")
	one.HasNot(t, "<!doctype html>")
	if p := b.Get("/admin/outbox/999999"); p.Status != http.StatusNotFound {
		t.Errorf("a message that does not exist: %d", p.Status)
	}

	b.Get("/admin/outbox?state=failed")
	p := b.Post("/admin/outbox/"+itoa(s.failed.ID)+"/resend", nil)
	if p.Status != http.StatusSeeOther || p.Location != "/admin/outbox?state=failed&done=resent" {
		t.Fatalf("re-send: %d %q", p.Status, p.Location)
	}
	b.Get(p.Location).Has(t, "Meddelandet är köat igen")
	m, _ := s.Store.MailByID(context.Background(), s.failed.ID)
	if m.State != db.MailQueued || m.Attempts != 0 {
		t.Errorf("after re-send: %+v", m)
	}
	before := s.Fingerprint()
	p = b.Post("/admin/outbox/"+itoa(s.failed.ID)+"/resend", nil)
	if p.Status != http.StatusConflict || !strings.Contains(p.Body, "Bara meddelanden som inte kunde skickas") {
		t.Errorf("re-send of a queued message: %d", p.Status)
	}
	if p := b.Post("/admin/outbox/999999/resend", nil); p.Status != http.StatusNotFound {
		t.Errorf("re-send of a message that does not exist: %d", p.Status)
	}
	s.Unchanged(before)
}

func TestMailFilesPages(t *testing.T) {
	s := newMailSite(t)
	b := s.Browser()
	b.Login("admin@kommun.example")
	files, err := notify.MailFiles(s.dir)
	if err != nil || len(files) == 0 {
		t.Fatalf("files: %d, %v", len(files), err)
	}
	list := b.Get("/admin/mail-files")
	list.Has(t, s.dir, files[0].Name, html.EscapeString(files[0].To), html.EscapeString(files[0].Subject))
	// A message about a case (which one is newest depends on today's date).
	f := files[0]
	for _, g := range files {
		if raw, err := os.ReadFile(filepath.Join(s.dir, g.Name)); err == nil && strings.Contains(string(raw), "beslutsgang.test/cases/") {
			f = g
			break
		}
	}
	one := b.Get("/admin/mail-files/" + f.Name)
	one.Has(t, "Till", f.To, "Message-ID", "http://beslutsgang.test/cases/", "&lt;!doctype html&gt;", `href="/admin/mail-files/`+f.Name+`/raw"`)
	one.HasNot(t, "<!doctype html>", "=C3")

	// A message written by anything else is shown as text all the same.
	const name = "29991231T235959Z-0123456789abcdef.eml"
	eml := "From: x@kommun.example\r\nTo: <script>alert(1)</script>@kommun.example\r\nSubject: <img src=x onerror=alert(1)>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n<script>alert(2)</script>\r\n" +
		"--b\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<script>alert(3)</script>\r\n--b--\r\n"
	if err := os.WriteFile(filepath.Join(s.dir, name), []byte(eml), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []page{b.Get("/admin/mail-files"), b.Get("/admin/mail-files/" + name)} {
		p.HasNot(t, "<script>alert", "<img src=x")
		p.Has(t, "&lt;img src=x onerror=alert(1)&gt;")
	}
	b.Get("/admin/mail-files/"+name).Has(t, "&lt;script&gt;alert(2)&lt;/script&gt;", "&lt;script&gt;alert(3)&lt;/script&gt;")

	raw := b.Get("/admin/mail-files/" + name + "/raw")
	if raw.Status != http.StatusOK || raw.Header.Get("Content-Type") != "message/rfc822" ||
		!strings.HasPrefix(raw.Header.Get("Content-Disposition"), "attachment") || raw.Body != eml {
		t.Errorf("raw file: %d %q %q", raw.Status, raw.Header.Get("Content-Type"), raw.Header.Get("Content-Disposition"))
	}
	for _, bad := range []string{"notes.eml", "..%2Fui.db", "29991231T235959Z-0123456789abcdee.eml"} {
		if p := b.Get("/admin/mail-files/" + bad); p.Status != http.StatusNotFound {
			t.Errorf("GET /admin/mail-files/%s: %d, want 404", bad, p.Status)
		}
	}
}

// Without a mail folder (mail goes over SMTP) the page says so.
func TestMailFilesWithSMTP(t *testing.T) {
	_, b := loggedIn(t, "admin@kommun.example")
	b.Get("/admin/mail-files").Has(t, "via en SMTP-server")
	if p := b.Get("/admin/mail-files/29991231T235959Z-0123456789abcdef.eml"); p.Status != http.StatusNotFound {
		t.Errorf("a file without a folder: %d", p.Status)
	}
}

func TestMailGapsPage(t *testing.T) {
	s := newSiteWith(t, handlers.Config{}, func(store *db.Store) { lateBevakning(t, store) })
	b := s.Browser()
	b.Login("admin@kommun.example")
	ctx := context.Background()
	if _, err := s.Store.SendDueReminders(ctx, time.Now(), db.ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.CreateBoard(ctx, workflow.Board{Code: "GN", Name: "Grundskolenämnden"}); err != nil {
		t.Fatal(err)
	}
	p := b.Get("/admin/mail-gaps")
	p.Has(t, "Påminnelser som bara visades i tjänsten", "Sara Lindqvist", "visades bara i tjänsten",
		"Nämnder utan aktiv nämndsekreterare", "Grundskolenämnden", "Ge någon rollen nämndsekreterare")
}

func validRecurring() url.Values {
	return url.Values{"title": {"Internationell redovisning {last_year}"}, "board": {"ASN"}, "officer": {"handlaggare@kommun.example"},
		"schedule": {"0 8 15 1 *"}, "lead_days": {"20"}, "summary": {"Varje år sammanställs det internationella arbetet."}, "do": {"save"}}
}

func TestRecurringCheckAndSave(t *testing.T) {
	s, b := loggedIn(t, "admin@kommun.example")
	// The demo has the yearly international report for each board; ASN's
	// has made this year's case.
	b.Get("/admin/recurring").Has(t, "Internationell redovisning {last_year}", "Internationell redovisning {year}", `value="0 8 15 1 *"`)
	demoList, err := s.Store.Recurrings(context.Background())
	if err != nil || len(demoList) != 2 {
		t.Fatalf("the demo's recurring assignments: %+v, %v", demoList, err)
	}
	before := s.Fingerprint()

	form := validRecurring()
	form.Set("do", "check")
	p := b.Post("/admin/recurring", form)
	if p.Status != http.StatusOK {
		t.Fatalf("check: %d", p.Status)
	}
	now := time.Now().In(workflow.Stockholm)
	year := now.Year()
	if !now.Before(time.Date(year, 1, 15, 8, 0, 0, 0, workflow.Stockholm)) {
		year++
	}
	p.Has(t, "Schemat betyder:", "Kl. 08.00 den 15 januari varje år.",
		fmt.Sprintf("Nästa gånger: %d-01-15 08:00, %d-01-15 08:00, %d-01-15 08:00.", year, year+1, year+2),
		fmt.Sprintf("Nästa ärende får rubriken ”Internationell redovisning %d”.", year-1))
	if v, _ := p.InputValue("title"); v != "Internationell redovisning {last_year}" {
		t.Errorf("the title was not kept: %q", v)
	}

	form.Set("schedule", "30 2 * * *")
	p = b.Post("/admin/recurring", form)
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.FieldError("schedule"), "02.00 och 02.59") {
		t.Errorf("check of a DST-hour schedule: %d %q", p.Status, p.FieldError("schedule"))
	}
	if v, _ := p.InputValue("schedule"); v != "30 2 * * *" {
		t.Errorf("the schedule was not kept: %q", v)
	}
	s.Unchanged(before)

	bad := validRecurring()
	bad.Set("title", "")
	bad.Set("schedule", "varje måndag")
	bad.Set("summary", "Text <script>alert(1)</script>")
	p = b.Post("/admin/recurring", bad)
	if p.Status != http.StatusUnprocessableEntity || p.FieldError("title") == "" ||
		!strings.Contains(p.FieldError("schedule"), "inget giltigt schema") {
		t.Errorf("invalid assignment: %d, title %q, schedule %q", p.Status, p.FieldError("title"), p.FieldError("schedule"))
	}
	if v := p.TextareaValue("summary"); v != "Text <script>alert(1)</script>" {
		t.Errorf("the summary was not kept: %q", v)
	}
	p.HasNot(t, "<script>alert(1)")
	bad = validRecurring()
	bad.Set("lead_days", "tjugo")
	if p := b.Post("/admin/recurring", bad); p.Status != http.StatusUnprocessableEntity || p.FieldError("lead_days") == "" {
		t.Errorf("a lead time that is not a number: %d %q", p.Status, p.FieldError("lead_days"))
	}
	bad = validRecurring()
	bad.Set("officer", "chef@kommun.example")
	bad.Set("schedule", "0 8 30 2 *")
	p = b.Post("/admin/recurring", bad)
	if !strings.Contains(p.FieldError("officer"), "inte handläggare") || !strings.Contains(p.FieldError("schedule"), "inträffar aldrig") {
		t.Errorf("not an officer, a day that never comes: officer %q, schedule %q", p.FieldError("officer"), p.FieldError("schedule"))
	}
	s.Unchanged(before)

	good := validRecurring()
	good.Set("title", "Internationell redovisning {last_year} <script>alert(1)</script>")
	p = b.Post("/admin/recurring", good)
	if p.Status != http.StatusSeeOther || p.Location != "/admin/recurring?done=created" {
		t.Fatalf("save: %d %q\n%s", p.Status, p.Location, p.Body)
	}
	p = b.Get(p.Location)
	p.Has(t, "Det återkommande uppdraget är sparat.", "Kl. 08.00 den 15 januari varje år.", "Sara Lindqvist",
		"Internationell redovisning {last_year} &lt;script&gt;", "20 arbetsdagar")
	p.HasNot(t, "<script>alert(1)")
	list, err := s.Store.Recurrings(context.Background())
	if err != nil || len(list) != 3 {
		t.Fatalf("after saving: %+v, %v", list, err)
	}
	var saved workflow.Recurring
	for _, r := range list {
		if strings.Contains(r.Title, "<script>") {
			saved = r
		}
	}
	if saved.Schedule != "0 8 15 1 *" || saved.LeadDays != 20 || saved.Board != "ASN" || saved.Officer.Email != "handlaggare@kommun.example" {
		t.Errorf("saved: %+v", saved)
	}

	// The runs it makes are listed with their cases: it runs with
	// kommunstyrelsen's on 15 January, and with ASN's demo assignment only if
	// that one's day of the year (four weeks before the demo was made) comes first.
	due := 0
	for _, r := range list {
		if !r.NextRun.After(saved.NextRun) {
			due++
		}
	}
	runs, err := s.Store.RunRecurring(context.Background(), saved.NextRun)
	if err != nil || len(runs) != due || due < 2 {
		t.Fatalf("run: %+v, %v", runs, err)
	}
	p = b.Get("/admin/recurring")
	p.Has(t, "Senast skapade")
	for _, run := range runs {
		if run.Case == "" {
			t.Errorf("run %+v made no case", run)
		}
		p.Has(t, `href="/cases/`+run.Case+`"`)
	}
}

// Every form of the mail pages is refused without the session's CSRF token,
// and the refusal changes nothing.
func TestMailFormsRefuseMissingCSRFToken(t *testing.T) {
	s := newMailSite(t)
	b := s.Browser()
	b.Login("admin@kommun.example")
	number := findCase(t, b, "feriearbete")
	ds, _ := s.Store.CaseDeadlines(context.Background(), number)
	forms := map[string]url.Values{
		"/cases/" + number + "/deadlines":                {"due": {soon(3)}, "responsible": {"admin@kommun.example"}, "note": {"x"}},
		"/admin/outbox/" + itoa(s.failed.ID) + "/resend": nil,
		"/admin/recurring":                               validRecurring(),
		"/deadlines/" + itoa(ds[0].ID) + "/acknowledge":  {"back": {"/"}},
	}
	before := s.Fingerprint()
	for path, form := range forms {
		for _, token := range []string{"", "not-the-token"} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if token != "" {
				f.Set("_csrf", token)
			}
			if p := b.PostRaw(path, f); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "säkerhetskoden") {
				t.Errorf("POST %s with token %q: %d, want 403 with the reason", path, token, p.Status)
			}
		}
	}
	s.Unchanged(before)
}
