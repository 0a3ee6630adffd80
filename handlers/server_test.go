package handlers_test

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

// maxUpload is the attachment limit of the tests; the app's body limit is
// derived from it when the app is built.
const maxUpload = 64 << 10

func TestMain(m *testing.M) {
	db.BcryptCost = bcrypt.MinCost
	db.MaxAttachmentSize = maxUpload
	os.Exit(pgtest.Run(m))
}

// now is the fixed time of the store: Monday 2 March 2026, 09:00 in Stockholm.
var now = time.Date(2026, time.March, 2, 9, 0, 0, 0, workflow.Stockholm)

// server is the app with the demo data, listening on loopback.
type server struct {
	t      *testing.T
	base   string
	store  *db.Store
	tokens map[string]string
	clock  *atomic.Pointer[time.Time] // the store's time: now, until a test moves it
}

// at moves the store's clock, for a test that lives through meetings ahead;
// everyone logs in afresh, as tokens from weeks before may have run out.
func (s *server) at(t time.Time) {
	s.clock.Store(&t)
	clear(s.tokens)
}

func startServer(t *testing.T) *server {
	t.Helper()
	return startServerWith(t, handlers.Config{})
}

// startServerWith starts the demo server with cfg (its logger is replaced).
func startServerWith(t *testing.T, cfg handlers.Config) *server {
	t.Helper()
	s, err := db.Open(pgtest.DSN(t, "beslutsgang.db"))
	if err != nil {
		t.Fatal(err)
	}
	clock := &atomic.Pointer[time.Time]{}
	clock.Store(&now)
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
	return &server{t: t, base: base, store: s, tokens: map[string]string{}, clock: clock}
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

// response is what a request brought back.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// request sends body (a string is sent as it is, anything else as JSON) with
// the bearer token, if any.
func (s *server) request(method, path, token string, body any) response {
	s.t.Helper()
	return s.send(http.DefaultClient, method, path, token, body)
}

func (s *server) send(client *http.Client, method, path, token string, body any) response {
	s.t.Helper()
	return responseOf(apitest.Send(s.t, client, method, s.base+path, token, body))
}

func (s *server) do(req *http.Request) response {
	s.t.Helper()
	return s.doWith(http.DefaultClient, req)
}

func (s *server) doWith(client *http.Client, req *http.Request) response {
	s.t.Helper()
	return responseOf(apitest.Do(s.t, client, req))
}

func responseOf(r apitest.Response) response {
	return response{status: r.Status, header: r.Header, body: r.Body}
}

// token logs in as a demo user once and keeps the token.
func (s *server) token(email string) string {
	s.t.Helper()
	if tok, ok := s.tokens[email]; ok {
		return tok
	}
	r := s.request("POST", "/api/v1/sessions", "", map[string]string{"email": email, "password": demo.Password})
	if r.status != http.StatusCreated {
		s.t.Fatalf("login %s: %d %s", email, r.status, r.body)
	}
	var out struct{ Token string }
	r.decode(s.t, &out)
	s.tokens[email] = out.Token
	return out.Token
}

// as sends a request as a demo user.
func (s *server) as(email, method, path string, body any) response {
	s.t.Helper()
	return s.request(method, path, s.token(email), body)
}

const (
	officer   = "handlaggare@kommun.example"
	manager   = "chef@kommun.example"
	secretary = "sekreterare@kommun.example"
	admin     = "admin@kommun.example"
	jonas     = "jonas.magnusson@kommun.example"
	katarina  = "katarina.lindeberg@kommun.example"
	britt     = "britt-marie.pettersson@kommun.example"
)

// caseJSON is the part of a case in JSON the tests look at.
type caseJSON struct {
	Number      string     `json:"number"`
	Board       string     `json:"board"`
	Title       string     `json:"title"`
	Summary     string     `json:"summary"`
	Proposals   []string   `json:"proposals"`
	Background  string     `json:"background"`
	Stage       string     `json:"stage"`
	Version     int        `json:"version"`
	Officer     personJSON `json:"officer"`
	Route       []stepJSON `json:"route"`
	Approvers   []approverJSON
	Recipients  []personJSON     `json:"recipients"`
	Attachments []attachmentJSON `json:"attachments"`
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

type personJSON struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Title string `json:"title"`
}

type stepJSON struct {
	Body     string  `json:"body"`
	BodyName string  `json:"body_name"`
	Kind     string  `json:"kind"`
	Date     *string `json:"date"`
	Status   string  `json:"status"`
	Meeting  int64   `json:"meeting_id"`
}

type approverJSON struct {
	personJSON
	Position string     `json:"position"`
	SignedAt *time.Time `json:"signed_at"`
}

type attachmentJSON struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	HasContent  bool   `json:"has_content"`
}

// getJSON reads path as a demo user into v; anything but 200 ends the test.
func (s *server) getJSON(email, path string, v any) {
	s.t.Helper()
	r := s.as(email, "GET", path, nil)
	if r.status != http.StatusOK {
		s.t.Fatalf("GET %s: %d %s", path, r.status, r.body)
	}
	r.decode(s.t, v)
}

func (s *server) getCase(email, number string) caseJSON {
	s.t.Helper()
	var c caseJSON
	s.getJSON(email, "/api/v1/cases/"+number, &c)
	return c
}

// wantProblem fails unless r is an RFC 9457 problem with the status.
func wantProblem(t *testing.T, r response, status int) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var p map[string]any
	r.decode(t, &p)
	for _, field := range []string{"type", "title", "detail"} {
		if s, _ := p[field].(string); strings.TrimSpace(s) == "" {
			t.Errorf("problem has no %s: %s", field, r.body)
		}
	}
	if st, _ := p["status"].(float64); int(st) != status {
		t.Errorf("problem status %v, want %d", p["status"], status)
	}
	return p
}

// count runs a counting query on a read-only connection of its own.
func (s *server) count(query string, args ...any) int {
	s.t.Helper()
	raw, err := db.OpenRaw(s.store.Path())
	if err != nil {
		s.t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(query, args...).Scan(&n); err != nil {
		s.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// fingerprint is what a refused request must leave as it was: the number of
// rows of every table a request can write, and the case's version and time.
type fingerprint string

func (s *server) fingerprint(number string) fingerprint {
	s.t.Helper()
	var b strings.Builder
	for _, table := range []string{"cases", "events", "attachments", "blobs", "deadlines", "outbox", "case_series",
		"case_proposals", "route_steps", "case_approvers", "case_recipients", "users", "api_tokens"} {
		fmt.Fprintf(&b, "%s=%d ", table, s.count(`SELECT COUNT(*) FROM `+table))
	}
	fmt.Fprintf(&b, "version=%d ", s.count(`SELECT COALESCE(MAX(version), 0) FROM cases WHERE number = ?`, number))
	fmt.Fprintf(&b, "open deadlines=%d ", s.count(`SELECT COUNT(*) FROM deadlines WHERE state = 'open'`))
	fmt.Fprintf(&b, "changed=%d", s.count(`SELECT COUNT(*) FROM cases WHERE updated_at > ?`, workflow.FormatTime(now.Add(-time.Minute))))
	return fingerprint(b.String())
}
