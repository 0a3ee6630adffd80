package handlertest

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

// Site is the real service on a loopback port over a fresh SQLite file with
// the demo data, and the path of that file for checks behind the service's back.
type Site struct {
	T     *testing.T
	Base  string
	Store *db.Store
	File  string
	Cfg   handlers.Config // what serve starts apps with, besides the address
}

func NewSite(t *testing.T) *Site {
	t.Helper()
	return NewSiteWith(t, handlers.Config{}, nil)
}

// NewSiteWith is newSite with a configuration, and setup run on the seeded
// Store before the service starts.
func NewSiteWith(t *testing.T, cfg handlers.Config, setup func(*db.Store)) *Site {
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
	s := &Site{T: t, Store: store, File: file, Cfg: cfg}
	s.Base = s.Serve(store, "")
	return s
}

// Serve starts an app on store and returns its address; baseURL empty means
// the loopback address itself.
func (s *Site) Serve(store *db.Store, baseURL string) string {
	s.T.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.T.Fatal(err)
	}
	addr := "http://" + ln.Addr().String()
	if baseURL == "" {
		baseURL = addr
	}
	cfg := s.Cfg
	cfg.BaseURL, cfg.Log = baseURL, slog.New(slog.NewTextHandler(io.Discard, nil))
	app := handlers.New(store, cfg)
	done := make(chan error, 1)
	go func() { done <- app.Listener(ln) }()
	s.T.Cleanup(func() {
		app.Shutdown()
		ln.Close() // a Listener that had not started yet returns at once
		<-done
	})
	return addr
}

// Browser is one person's HTTP client with its cookies; it follows no
// redirect by itself, so tests see every 303.
type Browser struct {
	T    *testing.T
	Base string
	C    *http.Client
	CSRF string // the token of the last page that had a form
}

func (s *Site) Browser() *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{T: s.T, Base: s.Base, C: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Page is a response as the tests read it.
type Page struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (b *Browser) Do(req *http.Request) Page {
	b.T.Helper()
	resp, err := b.C.Do(req)
	if err != nil {
		b.T.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.T.Fatal(err)
	}
	p := Page{Status: resp.StatusCode, Body: string(body), Location: resp.Header.Get("Location"), Header: resp.Header}
	if m := csrfInput.FindStringSubmatch(p.Body); m != nil {
		b.CSRF = m[1]
	}
	return p
}

func (b *Browser) Get(path string) Page {
	b.T.Helper()
	req, err := http.NewRequest(http.MethodGet, b.Base+path, nil)
	if err != nil {
		b.T.Fatal(err)
	}
	return b.Do(req)
}

// Post sends a form with the CSRF token of the last page seen.
func (b *Browser) Post(path string, form url.Values) Page {
	b.T.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	if f.Get("_csrf") == "" {
		f.Set("_csrf", b.CSRF)
	}
	return b.PostRaw(path, f)
}

// PostRaw sends the form exactly as given.
func (b *Browser) PostRaw(path string, form url.Values) Page {
	b.T.Helper()
	req, err := http.NewRequest(http.MethodPost, b.Base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.T.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.Do(req)
}

// Upload is one file of a multipart form.
type Upload struct {
	Field, Name string
	Data        []byte
}

// PostMultipart sends a multipart form with files, and the CSRF token.
func (b *Browser) PostMultipart(path string, form url.Values, files ...Upload) Page {
	b.T.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if form.Get("_csrf") == "" {
		w.WriteField("_csrf", b.CSRF)
	}
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile(f.Field, f.Name)
		if err != nil {
			b.T.Fatal(err)
		}
		fw.Write(f.Data)
	}
	w.Close()
	req, err := http.NewRequest(http.MethodPost, b.Base+path, &buf)
	if err != nil {
		b.T.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.Do(req)
}

// Login logs in with the demo password and fails the test if that does not work.
func (b *Browser) Login(email string) {
	b.T.Helper()
	if p := b.Get("/login"); p.Status == http.StatusSeeOther {
		b.Get(p.Location) // logged in already: the form's token is on the pages
	}
	p := b.Post("/login", url.Values{"email": {email}, "password": {demo.Password}, "next": {"/"}})
	if p.Status != http.StatusSeeOther || p.Location != "/" {
		b.T.Fatalf("login as %s: %d %q", email, p.Status, p.Location)
	}
	// As a browser goes on to the start page: a login makes a new session,
	// with a new token for its forms.
	b.Get(p.Location)
}

// Has fails the test unless the page contains every string (as HTML source).
func (p Page) Has(t *testing.T, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(p.Body, w) {
			t.Errorf("the page (status %d) does not contain %q", p.Status, w)
		}
	}
}

// HasNot fails the test if the page contains any of the strings.
func (p Page) HasNot(t *testing.T, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(p.Body, w) {
			t.Errorf("the page (status %d) contains %q", p.Status, w)
		}
	}
}

// FieldError returns the message shown beside the input with this id.
func (p Page) FieldError(id string) string {
	re := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `-error"><span class="visually-hidden">Fel: </span>([^<]*)</span>`)
	if m := re.FindStringSubmatch(p.Body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// InputValue returns the value attribute of the input with this id.
func (p Page) InputValue(id string) (string, bool) {
	re := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*value="([^"]*)"`)
	if m := re.FindStringSubmatch(p.Body); m != nil {
		return html.UnescapeString(m[1]), true
	}
	return "", false
}

// TextareaValue returns the content of the textarea with this id.
func (p Page) TextareaValue(id string) string {
	re := regexp.MustCompile(`(?s)<textarea id="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</textarea>`)
	if m := re.FindStringSubmatch(p.Body); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// Fingerprint hashes every table the UI can change, read straight from the
// file; web sessions are left out, since every page view refreshes its session.
func (s *Site) Fingerprint() string {
	s.T.Helper()
	conn, err := db.OpenRaw(s.File)
	if err != nil {
		s.T.Fatal(err)
	}
	defer conn.Close()
	h := sha256.New()
	HashTables(s.T, conn, h, "boards", "bodies", "users", "user_roles", "cases", "case_proposals", "route_steps",
		"case_approvers", "case_recipients", "attachments", "blobs", "events", "deadlines", "outbox", "case_series",
		"reminders", "recurring", "recurring_runs")
	return hex.EncodeToString(h.Sum(nil))
}

// Unchanged fails the test if the database differs from the fingerprint.
func (s *Site) Unchanged(before string) {
	s.T.Helper()
	if after := s.Fingerprint(); after != before {
		s.T.Error("the database changed, but the refused input should have changed nothing")
	}
}

var (
	formElement = regexp.MustCompile(`(?s)<input ([^>]*)>|<textarea ([^>]*)>(.*?)</textarea>|<select ([^>]*)>(.*?)</select>`)
	attribute   = regexp.MustCompile(`([a-z-]+)(?:="([^"]*)")?`)
	option      = regexp.MustCompile(`<option value="([^"]*)"( selected)?>`)
)

// FormOf reads the values of the main form on a page as a browser would send
// them: inputs, textareas, the selected options; no buttons, files or the
// header's logout form.
func FormOf(p Page) url.Values {
	body := p.Body
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	out := url.Values{}
	for _, m := range formElement.FindAllStringSubmatch(body, -1) {
		switch {
		case m[1] != "":
			a := Attrs(m[1])
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
			out.Add(Attrs(m[2])["name"], html.UnescapeString(m[3]))
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
			out.Add(Attrs(m[4])["name"], html.UnescapeString(v))
		}
	}
	return out
}

func Attrs(s string) map[string]string {
	out := map[string]string{}
	for _, m := range attribute.FindAllStringSubmatch(s, -1) {
		out[m[1]] = m[2]
	}
	return out
}

func Itoa(n int64) string { return fmt.Sprint(n) }

// SetMaxAttachment lowers the upload limit for a test.
func SetMaxAttachment(t *testing.T, n int64) func() {
	t.Helper()
	old := db.MaxAttachmentSize
	db.MaxAttachmentSize = n
	return func() { db.MaxAttachmentSize = old }
}

func RegexpMust(p string) *regexp.Regexp { return regexp.MustCompile(p) }

// LoggedIn starts a site and logs one person in.
func LoggedIn(t *testing.T, email string) (*Site, *Browser) {
	t.Helper()
	s := NewSite(t)
	b := s.Browser()
	b.Login(email)
	return s, b
}

// FindCase is the number of the one case whose title has these words.
func FindCase(t *testing.T, b *Browser, words string) string {
	t.Helper()
	p := b.Get("/cases?q=" + url.QueryEscape(words))
	return RegexpFind(t, p.Body, `href="/cases/([A-Z]+-\d+-\d+)"`)
}

// RegexpFind is the first group of pattern's first match in s; no match ends the test.
func RegexpFind(t *testing.T, s, pattern string) string {
	t.Helper()
	m := RegexpMust(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("%s not found", pattern)
	}
	return m[1]
}
