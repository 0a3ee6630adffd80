package handlers_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/internal/pgtest"
	"golang.org/x/crypto/bcrypt"
)

// site is the real service on a loopback port over a fresh SQLite file with
// the demo data, and the path of that file for checks behind the service's back.
type site struct {
	t     *testing.T
	base  string
	store *db.Store
	file  string
	cfg   handlers.Config // what serve starts apps with, besides the address
}

func newSite(t *testing.T) *site {
	t.Helper()
	return newSiteWith(t, handlers.Config{}, nil)
}

// newSiteWith is newSite with a configuration, and setup run on the seeded
// store before the service starts.
func newSiteWith(t *testing.T, cfg handlers.Config, setup func(*db.Store)) *site {
	t.Helper()
	db.BcryptCost = bcrypt.MinCost
	file := pgtest.DSN(t, "ui.db")
	store, err := db.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := demo.Seed(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(store)
	}
	s := &site{t: t, store: store, file: file, cfg: cfg}
	s.base = s.serve(store, "")
	return s
}

// serve starts an app on store and returns its address; baseURL empty means
// the loopback address itself.
func (s *site) serve(store *db.Store, baseURL string) string {
	s.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.t.Fatal(err)
	}
	addr := "http://" + ln.Addr().String()
	if baseURL == "" {
		baseURL = addr
	}
	cfg := s.cfg
	cfg.BaseURL, cfg.Log = baseURL, slog.New(slog.NewTextHandler(io.Discard, nil))
	app := handlers.New(store, cfg)
	done := make(chan error, 1)
	go func() { done <- app.Listener(ln) }()
	s.t.Cleanup(func() {
		app.Shutdown()
		ln.Close() // a Listener that had not started yet returns at once
		<-done
	})
	return addr
}

// browser is one person's HTTP client with its cookies; it follows no
// redirect by itself, so tests see every 303.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string // the token of the last page that had a form
}

func (s *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: s.t, base: s.base, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is a response as the tests read it.
type page struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	p := page{Status: resp.StatusCode, Body: string(body), Location: resp.Header.Get("Location"), Header: resp.Header}
	if m := csrfInput.FindStringSubmatch(p.Body); m != nil {
		b.csrf = m[1]
	}
	return p
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form with the CSRF token of the last page seen.
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	if f.Get("_csrf") == "" {
		f.Set("_csrf", b.csrf)
	}
	return b.postRaw(path, f)
}

// postRaw sends the form exactly as given.
func (b *browser) postRaw(path string, form url.Values) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// upload is one file of a multipart form.
type upload struct {
	field, name string
	data        []byte
}

// postMultipart sends a multipart form with files, and the CSRF token.
func (b *browser) postMultipart(path string, form url.Values, files ...upload) page {
	b.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if form.Get("_csrf") == "" {
		w.WriteField("_csrf", b.csrf)
	}
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile(f.field, f.name)
		if err != nil {
			b.t.Fatal(err)
		}
		fw.Write(f.data)
	}
	w.Close()
	req, err := http.NewRequest(http.MethodPost, b.base+path, &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

// login logs in with the demo password and fails the test if that does not work.
func (b *browser) login(email string) {
	b.t.Helper()
	b.get("/login")
	p := b.post("/login", url.Values{"email": {email}, "password": {demo.Password}, "next": {"/"}})
	if p.Status != http.StatusSeeOther || p.Location != "/" {
		b.t.Fatalf("login as %s: %d %q", email, p.Status, p.Location)
	}
}

// has fails the test unless the page contains every string (as HTML source).
func (p page) has(t *testing.T, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(p.Body, w) {
			t.Errorf("the page (status %d) does not contain %q", p.Status, w)
		}
	}
}

// hasNot fails the test if the page contains any of the strings.
func (p page) hasNot(t *testing.T, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(p.Body, w) {
			t.Errorf("the page (status %d) contains %q", p.Status, w)
		}
	}
}

// fieldError returns the message shown beside the input with this id.
func (p page) fieldError(id string) string {
	re := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `-error"><span class="visually-hidden">Fel: </span>([^<]*)</span>`)
	if m := re.FindStringSubmatch(p.Body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// inputValue returns the value attribute of the input with this id.
func (p page) inputValue(id string) (string, bool) {
	re := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*value="([^"]*)"`)
	if m := re.FindStringSubmatch(p.Body); m != nil {
		return html.UnescapeString(m[1]), true
	}
	return "", false
}

// textareaValue returns the content of the textarea with this id.
func (p page) textareaValue(id string) string {
	re := regexp.MustCompile(`(?s)<textarea id="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</textarea>`)
	if m := re.FindStringSubmatch(p.Body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// fingerprint hashes every table the UI can change, read straight from the
// file; web sessions are left out, since every page view refreshes its session.
func (s *site) fingerprint() string {
	s.t.Helper()
	conn, err := db.OpenRaw(s.file)
	if err != nil {
		s.t.Fatal(err)
	}
	defer conn.Close()
	h := sha256.New()
	hashTables(s.t, conn, h, "boards", "bodies", "users", "user_roles", "cases", "case_proposals", "route_steps",
		"case_approvers", "case_recipients", "attachments", "blobs", "events", "deadlines", "outbox", "case_series",
		"reminders", "recurring", "recurring_runs")
	return hex.EncodeToString(h.Sum(nil))
}

// unchanged fails the test if the database differs from the fingerprint.
func (s *site) unchanged(before string) {
	s.t.Helper()
	if after := s.fingerprint(); after != before {
		s.t.Error("the database changed, but the refused input should have changed nothing")
	}
}

var (
	formElement = regexp.MustCompile(`(?s)<input ([^>]*)>|<textarea ([^>]*)>(.*?)</textarea>|<select ([^>]*)>(.*?)</select>`)
	attribute   = regexp.MustCompile(`([a-z-]+)(?:="([^"]*)")?`)
	option      = regexp.MustCompile(`<option value="([^"]*)"( selected)?>`)
)

// formOf reads the values of the main form on a page as a browser would send
// them: inputs, textareas, the selected options; no buttons, files or the
// header's logout form.
func formOf(p page) url.Values {
	body := p.Body
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	out := url.Values{}
	for _, m := range formElement.FindAllStringSubmatch(body, -1) {
		switch {
		case m[1] != "":
			a := attrs(m[1])
			switch a["type"] {
			case "file", "submit":
				continue
			case "checkbox":
				if _, checked := a["checked"]; !checked {
					continue
				}
				if a["value"] == "" {
					a["value"] = "on"
				}
			}
			out.Add(a["name"], html.UnescapeString(a["value"]))
		case m[2] != "":
			out.Add(attrs(m[2])["name"], html.UnescapeString(m[3]))
		case m[4] != "":
			opts := option.FindAllStringSubmatch(m[5], -1)
			v := ""
			if len(opts) > 0 {
				v = opts[0][1]
			}
			for _, o := range opts {
				if o[2] != "" {
					v = o[1]
				}
			}
			out.Add(attrs(m[4])["name"], html.UnescapeString(v))
		}
	}
	return out
}

func attrs(s string) map[string]string {
	out := map[string]string{}
	for _, m := range attribute.FindAllStringSubmatch(s, -1) {
		out[m[1]] = m[2]
	}
	return out
}

func itoa(n int64) string { return fmt.Sprint(n) }

// setMaxAttachment lowers the upload limit for a test.
func setMaxAttachment(t *testing.T, n int64) func() {
	t.Helper()
	old := db.MaxAttachmentSize
	db.MaxAttachmentSize = n
	return func() { db.MaxAttachmentSize = old }
}

func regexpMust(p string) *regexp.Regexp { return regexp.MustCompile(p) }

// loggedIn starts a site and logs one person in.
func loggedIn(t *testing.T, email string) (*site, *browser) {
	t.Helper()
	s := newSite(t)
	b := s.browser()
	b.login(email)
	return s, b
}

// findCase is the number of the one case whose title has these words.
func findCase(t *testing.T, b *browser, words string) string {
	t.Helper()
	p := b.get("/cases?q=" + url.QueryEscape(words))
	return regexpFind(t, p.Body, `href="/cases/([A-Z]+-\d+-\d+)"`)
}
