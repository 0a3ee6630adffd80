package api_test

import (
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/internal/apitest"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/notify"
	"github.com/kommun/beslutsgang/notify/notifytest"
	"github.com/kommun/beslutsgang/workflow"
)

// mailAPI is the service on a loopback port over a notifytest world.
type mailAPI struct {
	t    *testing.T
	w    *notifytest.World
	base string
	dir  string // the .eml folder
}

func startMailAPI(t *testing.T) *mailAPI {
	t.Helper()
	w := notifytest.NewWorld(t)
	dir := filepath.Join(t.TempDir(), "mail")
	app := handlers.New(w.Store, handlers.Config{BaseURL: "http://beslut.test", MailDir: dir, Log: slog.New(slog.DiscardHandler)})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	// Closing the listener ends the server. app.Shutdown would race in
	// fasthttp with a query still watching the request's context.
	t.Cleanup(func() { ln.Close(); http.DefaultClient.CloseIdleConnections() })
	return &mailAPI{t: t, w: w, base: "http://" + ln.Addr().String() + "/api/v1", dir: dir}
}

func (a *mailAPI) token(u workflow.User) string {
	a.t.Helper()
	var out struct{ Token string }
	if code := a.do("", "POST", "/sessions", map[string]string{"email": u.Email, "password": notifytest.Password}, &out); code != 201 {
		a.t.Fatalf("login %s: %d", u.Email, code)
	}
	return out.Token
}

// do sends a JSON request and decodes the answer into out; it returns the status.
func (a *mailAPI) do(token, method, path string, body, out any) int {
	a.t.Helper()
	r := apitest.Send(a.t, http.DefaultClient, method, a.base+path, token, body)
	if r.Status >= 400 && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
		a.t.Errorf("%s %s: %d with Content-Type %q, want problem+json", method, path, r.Status, r.Header.Get("Content-Type"))
	}
	if out != nil {
		json.Unmarshal(r.Body, out)
	}
	return r.Status
}

type problemBody struct {
	Detail string                `json:"detail"`
	Errors []workflow.FieldError `json:"errors"`
}

func TestDeadlineAPI(t *testing.T) {
	a := startMailAPI(t)
	c := a.w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30", a.w.Approver)
	officer, outsider, secretary := a.token(a.w.Officer), a.token(a.w.Outsider), a.token(a.w.Secretary)

	var list []db.DeadlineItem
	if code := a.do(officer, "GET", "/cases/"+c.Number+"/deadlines", nil, &list); code != 200 || len(list) != 1 || list[0].Kind != workflow.DeadlineSubmission {
		t.Fatalf("GET deadlines: %d %+v", code, list)
	}
	if code := a.do(officer, "GET", "/cases/ASN-2026-999/deadlines", nil, nil); code != 404 {
		t.Errorf("unknown case: %d, want 404", code)
	}

	// Bad input: 422 with the fields named, nothing added.
	var p problemBody
	if code := a.do(outsider, "POST", "/cases/"+c.Number+"/deadlines", map[string]string{"due": "2026-02-30", "responsible": "vem@kommun.example"}, &p); code != 422 || len(p.Errors) != 3 {
		t.Errorf("bad deadline: %d %+v, want 422 naming due, responsible and note", code, p)
	}
	if code := a.do(outsider, "POST", "/cases/"+c.Number+"/deadlines", map[string]any{"due": "2026-03-20", "note": "x", "extra": 1}, &p); code != 422 {
		t.Errorf("unknown field: %d, want 422", code)
	}
	if code := a.do(outsider, "POST", "/cases/"+c.Number+"/deadlines", "{", nil); code != 422 && code != 400 {
		t.Errorf("not an object: %d", code)
	}
	a.do(officer, "GET", "/cases/"+c.Number+"/deadlines", nil, &list)
	if len(list) != 1 {
		t.Fatalf("refused input added deadlines: %+v", list)
	}

	var d db.DeadlineItem
	if code := a.do(outsider, "POST", "/cases/"+c.Number+"/deadlines",
		map[string]string{"due": "2026-03-16", "responsible": a.w.Secretary.Email, "note": "Kontrollera remissvaret"}, &d); code != 201 {
		t.Fatalf("POST deadline: %d", code)
	}
	var full struct {
		db.DeadlineItem
		Reminders []db.ReminderState `json:"reminders"`
	}
	id := "/deadlines/" + itoa(d.ID)
	if code := a.do(outsider, "GET", id, nil, &full); code != 200 || len(full.Reminders) != 4 || full.Responsible.ID != a.w.Secretary.ID {
		t.Errorf("GET deadline: %d %+v", code, full)
	}
	var mine []db.DeadlineItem
	if code := a.do(secretary, "GET", "/me/deadlines?until=2026-03-31", nil, &mine); code != 200 || len(mine) != 1 || mine[0].ID != d.ID {
		t.Errorf("GET /me/deadlines: %d %+v", code, mine)
	}
	if code := a.do(secretary, "GET", "/me/deadlines?until=i%20morgon", nil, &p); code != 422 || p.Errors[0].Field != "until" {
		t.Errorf("bad until: %d %+v", code, p)
	}

	if code := a.do(a.token(a.w.Approver), "POST", id+"/acknowledge", nil, &p); code != 403 {
		t.Errorf("acknowledge by an unrelated approver: %d, want 403", code)
	}
	var acked db.DeadlineItem
	if code := a.do(secretary, "POST", id+"/acknowledge", nil, &acked); code != 200 || acked.State != workflow.DeadlineAcknowledged {
		t.Errorf("acknowledge: %d %+v", code, acked)
	}
	if code := a.do(secretary, "POST", id+"/acknowledge", nil, &p); code != 409 {
		t.Errorf("acknowledge twice: %d, want 409", code)
	}
	for _, bad := range []string{"/deadlines/abc", "/deadlines/0", "/deadlines/99999"} {
		if code := a.do(secretary, "GET", bad, nil, nil); code != 404 {
			t.Errorf("GET %s: %d, want 404", bad, code)
		}
	}
	if code := a.do("", "GET", "/me/deadlines", nil, nil); code != 401 {
		t.Errorf("without a token: %d, want 401", code)
	}
}

func TestOutboxAPIIsForAdministrators(t *testing.T) {
	a := startMailAPI(t)
	admin, officer := a.token(a.w.Admin), a.token(a.w.Officer)
	for _, path := range []string{"/outbox", "/outbox/1", "/admin/mail-gaps", "/admin/mail-files"} {
		if code := a.do(officer, "GET", path, nil, nil); code != 403 {
			t.Errorf("GET %s by an officer: %d, want 403", path, code)
		}
	}
	if code := a.do(officer, "POST", "/outbox/1/resend", nil, nil); code != 403 {
		t.Errorf("resend by an officer: %d, want 403", code)
	}
	// The guard is on these routes only: elsewhere an officer is not turned away.
	if code := a.do(officer, "GET", "/finns-inte", nil, nil); code != 404 {
		t.Errorf("unknown path for an officer: %d, want 404", code)
	}
	if code := a.do(officer, "GET", "/boards", nil, nil); code != 200 {
		t.Errorf("GET /boards for an officer: %d, want 200", code)
	}

	// A message the server refused for good, as the worker records it.
	composer, err := notify.NewComposer(notify.Templates(), "http://beslut.test", workflow.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	a.w.Store.Composer = composer
	c := a.w.Case("Internationell redovisning 2025", "2026-04-16", "2026-04-30", a.w.Approver)
	a.w.Act(c, a.w.Officer, workflow.Command{Action: workflow.ActSubmit})
	m := a.w.Outbox()[0]
	now := a.w.Clock.Now()
	if err := a.w.Store.MarkMailFailed(a.w.Ctx, m.ID, now, "550 mailbox unavailable", now, true); err != nil {
		t.Fatal(err)
	}

	var page db.OutboxPage
	if code := a.do(admin, "GET", "/outbox?state=failed", nil, &page); code != 200 || page.Total != 1 || page.Items[0].ID != m.ID || page.Counts["failed"] != 1 {
		t.Fatalf("GET /outbox?state=failed: %d %+v", code, page)
	}
	var p problemBody
	if code := a.do(admin, "GET", "/outbox?state=lost", nil, &p); code != 422 || p.Errors[0].Field != "state" {
		t.Errorf("bad state: %d %+v", code, p)
	}
	var gaps []db.MailGap
	if code := a.do(admin, "GET", "/admin/mail-gaps", nil, &gaps); code != 200 || len(gaps) != 1 || gaps[0].Kind != "failed_mail" || gaps[0].Email != a.w.Approver.Email {
		t.Errorf("GET /admin/mail-gaps: %d %+v", code, gaps)
	}
	var resent db.OutboxMail
	if code := a.do(admin, "POST", "/outbox/"+itoa(m.ID)+"/resend", nil, &resent); code != 200 || resent.State != db.MailQueued {
		t.Errorf("resend: %d %+v", code, resent)
	}
	if code := a.do(admin, "POST", "/outbox/"+itoa(m.ID)+"/resend", nil, &p); code != 409 {
		t.Errorf("resend a queued message: %d, want 409", code)
	}
	if code := a.do(admin, "POST", "/outbox/424242/resend", nil, &p); code != 404 {
		t.Errorf("resend an unknown message: %d, want 404", code)
	}

	// The .eml folder: listed, downloadable, and no path leaves it.
	if err := os.MkdirAll(a.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	name := "20260302T080000Z-0123456789abcdef.eml"
	os.WriteFile(filepath.Join(a.dir, name), []byte("To: sara@kommun.example\r\nSubject: =?UTF-8?q?P=C3=A5minnelse?=\r\n\r\nHej\r\n"), 0o644)
	var files []struct{ Name, To, Subject string }
	if code := a.do(admin, "GET", "/admin/mail-files", nil, &files); code != 200 || len(files) != 1 || files[0].Subject != "Påminnelse" {
		t.Errorf("GET /admin/mail-files: %d %+v", code, files)
	}
	if code := a.do(admin, "GET", "/admin/mail-files/"+name, nil, nil); code != 200 {
		t.Errorf("download: %d", code)
	}
	for _, bad := range []string{"..%2Fbeslutsgang.db", "x.eml", "20260302T080000Z-0123456789abcdee.eml"} {
		if code := a.do(admin, "GET", "/admin/mail-files/"+bad, nil, nil); code != 404 {
			t.Errorf("download %s: %d, want 404", bad, code)
		}
	}
}

func TestRecurringAPI(t *testing.T) {
	a := startMailAPI(t)
	secretary := a.token(a.w.Secretary)
	var p problemBody
	bad := map[string]any{"title": "Internationell redovisning {year}", "board": "ASN", "officer": a.w.Officer.Email, "schedule": "varje januari", "lead_days": 20}
	if code := a.do(secretary, "POST", "/recurring", bad, &p); code != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "schedule" {
		t.Fatalf("bad schedule: %d %+v", code, p)
	}
	if code := a.do(a.token(a.w.Officer), "POST", "/recurring", bad, &p); code != 403 {
		t.Errorf("by an officer: %d", code)
	}
	var list []workflow.Recurring
	a.do(secretary, "GET", "/recurring", nil, &list)
	if len(list) != 0 {
		t.Fatalf("refused input saved %+v", list)
	}
	bad["schedule"] = "0 8 15 1 *"
	var r workflow.Recurring
	if code := a.do(secretary, "POST", "/recurring", bad, &r); code != 201 || r.ID == 0 || r.NextRun.IsZero() {
		t.Fatalf("create: %d %+v", code, r)
	}
	if code := a.do(secretary, "GET", "/recurring", nil, &list); code != 200 || len(list) != 1 {
		t.Errorf("list: %d %+v", code, list)
	}
}
