// Package handlertest is what the HTTP tests of the handlers' packages share:
// the demo server on loopback (Server, for the API), a browser with cookies
// and CSRF tokens (Site, Browser, Page, for the pages), and a site whose
// clock a test moves through meetings (MeetingSite).
package handlertest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/internal/apitest"
	"github.com/kommun/beslutsgang/internal/pgtest"
	"github.com/kommun/beslutsgang/workflow"
	"golang.org/x/crypto/bcrypt"
)

// MaxUpload is the attachment limit of the tests; the app's body limit is
// derived from it when the app is built.
const MaxUpload = 64 << 10

// Main runs a test package's tests (call it from TestMain): passwords hash
// at bcrypt's lowest cost, attachments are limited to MaxUpload, and the
// store is SQLite or, with BESLUTSGANG_TEST_ENGINE=postgres, PostgreSQL.
func Main(m *testing.M) {
	db.BcryptCost = bcrypt.MinCost
	db.MaxAttachmentSize = MaxUpload
	os.Exit(pgtest.Run(m))
}

// Now is the fixed time of the store: Monday 2 March 2026, 09:00 in Stockholm.
var Now = time.Date(2026, time.March, 2, 9, 0, 0, 0, workflow.Stockholm)

// Server is the app with the demo data, listening on loopback.
type Server struct {
	T      *testing.T
	Base   string
	Store  *db.Store
	tokens map[string]string
	Clock  *atomic.Pointer[time.Time] // the store's time: now, until a test moves it
}

// at moves the store's clock, for a test that lives through meetings ahead;
// everyone logs in afresh, as tokens from weeks before may have run out.
func (s *Server) At(t time.Time) {
	s.Clock.Store(&t)
	clear(s.tokens)
}

func StartServer(t *testing.T) *Server {
	t.Helper()
	return StartServerWith(t, handlers.Config{})
}

// StartServerWith starts the demo server with cfg (its logger is replaced).
func StartServerWith(t *testing.T, cfg handlers.Config) *Server {
	t.Helper()
	s, err := db.Open(pgtest.DSN(t, "beslutsgang.db"))
	if err != nil {
		t.Fatal(err)
	}
	clock := &atomic.Pointer[time.Time]{}
	clock.Store(&Now)
	s.Now = func() time.Time { return *clock.Load() }
	s.Composer = mailComposer{}
	if ok, err := demo.Seed(context.Background(), s); err != nil || !ok {
		t.Fatalf("demo.Seed = %v, %v", ok, err)
	}
	cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	app := handlers.New(s, cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	t.Cleanup(func() {
		if err := app.Shutdown(); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("Listener: %v", err)
		}
		s.Close()
	})
	base := "http://" + ln.Addr().String()
	waitServing(t, base)
	return &Server{T: t, Base: base, Store: s, tokens: map[string]string{}, Clock: clock}
}

// waitServing returns once the app at base answers, so a test that fails at
// once does not shut the app down before it serves (Shutdown then leaves
// Listener running for good).
func waitServing(t *testing.T, base string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if r, err := http.Get(base + "/healthz"); err == nil {
			r.Body.Close()
			return
		}
	}
	t.Fatal("the app does not answer on " + base)
}

// mailComposer queues one plain message per notification, so the outbox is
// part of what a refused request must leave alone.
type mailComposer struct{}

func (mailComposer) Compose(c *workflow.Case, ev workflow.Event, n workflow.Notification) (db.Mail, error) {
	return db.Mail{To: n.To.Email, Subject: c.Number + ": " + string(n.Kind), Text: ev.Action}, nil
}

// Response is what a request brought back.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r Response) Decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Request sends body (a string is sent as it is, anything else as JSON) with
// the bearer token, if any.
func (s *Server) Request(method, path, token string, body any) Response {
	s.T.Helper()
	return s.Send(http.DefaultClient, method, path, token, body)
}

func (s *Server) Send(client *http.Client, method, path, token string, body any) Response {
	s.T.Helper()
	return ResponseOf(apitest.Send(s.T, client, method, s.Base+path, token, body))
}

func (s *Server) Do(req *http.Request) Response {
	s.T.Helper()
	return s.DoWith(http.DefaultClient, req)
}

func (s *Server) DoWith(client *http.Client, req *http.Request) Response {
	s.T.Helper()
	return ResponseOf(apitest.Do(s.T, client, req))
}

// ResponseOf is an apitest response as the tests read it.
func ResponseOf(r apitest.Response) Response {
	return Response{Status: r.Status, Header: r.Header, Body: r.Body}
}

// Token logs in as a demo user once and keeps the token.
func (s *Server) Token(email string) string {
	s.T.Helper()
	if tok, ok := s.tokens[email]; ok {
		return tok
	}
	r := s.Request("POST", "/api/v1/sessions", "", map[string]string{"email": email, "password": demo.Password})
	if r.Status != http.StatusCreated {
		s.T.Fatalf("login %s: %d %s", email, r.Status, r.Body)
	}
	var out struct{ Token string }
	r.Decode(s.T, &out)
	s.tokens[email] = out.Token
	return out.Token
}

// as sends a request as a demo user.
func (s *Server) As(email, method, path string, body any) Response {
	s.T.Helper()
	return s.Request(method, path, s.Token(email), body)
}

const (
	Officer   = "handlaggare@kommun.example"
	Manager   = "chef@kommun.example"
	Secretary = "sekreterare@kommun.example"
	Admin     = "admin@kommun.example"
	Jonas     = "jonas.magnusson@kommun.example"
	Katarina  = "katarina.lindeberg@kommun.example"
	Britt     = "britt-marie.pettersson@kommun.example"
)

// CaseJSON is the part of a case in JSON the tests look at.
type CaseJSON struct {
	Number      string     `json:"number"`
	Board       string     `json:"board"`
	Title       string     `json:"title"`
	Summary     string     `json:"summary"`
	Proposals   []string   `json:"proposals"`
	Background  string     `json:"background"`
	Stage       string     `json:"stage"`
	Version     int        `json:"version"`
	Officer     PersonJSON `json:"officer"`
	Route       []StepJSON `json:"route"`
	Approvers   []ApproverJSON
	Recipients  []PersonJSON     `json:"recipients"`
	Attachments []AttachmentJSON `json:"attachments"`
	Decision    *struct {
		Text         string     `json:"text"`
		DecidedAt    time.Time  `json:"decided_at"`
		Paragraph    string     `json:"paragraph"`
		DispatchedAt *time.Time `json:"dispatched_at"`
	} `json:"decision"`
	AllowedActions []string  `json:"allowed_actions"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

type PersonJSON struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Title string `json:"title"`
}

type StepJSON struct {
	Body     string  `json:"body"`
	BodyName string  `json:"body_name"`
	Kind     string  `json:"kind"`
	Date     *string `json:"date"`
	Status   string  `json:"status"`
	Meeting  int64   `json:"meeting_id"`
}

type ApproverJSON struct {
	PersonJSON
	Position string     `json:"position"`
	SignedAt *time.Time `json:"signed_at"`
}

type AttachmentJSON struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	HasContent  bool   `json:"has_content"`
}

// GetJSON reads path as a demo user into v; anything but 200 ends the test.
func (s *Server) GetJSON(email, path string, v any) {
	s.T.Helper()
	r := s.As(email, "GET", path, nil)
	if r.Status != http.StatusOK {
		s.T.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	r.Decode(s.T, v)
}

func (s *Server) GetCase(email, number string) CaseJSON {
	s.T.Helper()
	var c CaseJSON
	s.GetJSON(email, "/api/v1/cases/"+number, &c)
	return c
}

// WantProblem fails unless r is an RFC 9457 problem with the status.
func WantProblem(t *testing.T, r Response, status int) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var p map[string]any
	r.Decode(t, &p)
	for _, field := range []string{"type", "title", "detail"} {
		if s, _ := p[field].(string); strings.TrimSpace(s) == "" {
			t.Errorf("problem has no %s: %s", field, r.Body)
		}
	}
	if st, _ := p["status"].(float64); int(st) != status {
		t.Errorf("problem status %v, want %d", p["status"], status)
	}
	return p
}

// Count runs a counting query on a read-only connection of its own.
func (s *Server) Count(query string, args ...any) int {
	s.T.Helper()
	raw, err := db.OpenRaw(s.Store.Path())
	if err != nil {
		s.T.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(query, args...).Scan(&n); err != nil {
		s.T.Fatalf("%s: %v", query, err)
	}
	return n
}

// Fingerprint is what a refused request must leave as it was: the number of
// rows of every table a request can write, and the case's version and time.
type Fingerprint string

func (s *Server) Fingerprint(number string) Fingerprint {
	s.T.Helper()
	var b strings.Builder
	for _, table := range []string{"cases", "events", "attachments", "blobs", "deadlines", "outbox", "case_series",
		"case_proposals", "route_steps", "case_approvers", "case_recipients", "users", "api_tokens"} {
		fmt.Fprintf(&b, "%s=%d ", table, s.Count(`SELECT COUNT(*) FROM `+table))
	}
	fmt.Fprintf(&b, "version=%d ", s.Count(`SELECT COALESCE(MAX(version), 0) FROM cases WHERE number = ?`, number))
	fmt.Fprintf(&b, "open deadlines=%d ", s.Count(`SELECT COUNT(*) FROM deadlines WHERE state = 'open'`))
	fmt.Fprintf(&b, "changed=%d", s.Count(`SELECT COUNT(*) FROM cases WHERE updated_at > ?`, workflow.FormatTime(Now.Add(-time.Minute))))
	return Fingerprint(b.String())
}
