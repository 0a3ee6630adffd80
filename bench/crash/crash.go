// Package crash proves the service's crash safety on the real binary:
// clients create cases, edit drafts and take workflow actions over the API
// while the server is killed with SIGKILL at random moments and started
// again, and after every kill the database must hold every action a client
// was told had succeeded (a 2xx answer), in the case and in its history;
// `beslutsgang verify` must pass and case numbers must have no gaps.
//
// go test ./bench/crash runs it with 10 kills; BESLUTSGANG_CRASH_KILLS=100
// makes it 100 (see the README's "Benchmarks and load").
package crash

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/kommun/beslutsgang/bench/rig"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
	_ "github.com/mattn/go-sqlite3"
)

// Config is one run.
type Config struct {
	Binary  string // a built beslutsgang
	Dir     string // for the database and the mail files
	Kills   int
	Clients int
	Seed    uint64
	// Up is how long the server runs, at most, between two kills; each kill
	// comes at a random moment within it.
	Up  time.Duration
	Log func(format string, args ...any)
}

// Report says what a run did.
type Report struct {
	Kills    int
	Acked    int // acknowledged changes, each found after every kill
	Unknown  int // requests cut off by a kill: they may or may not have happened
	Cases    int
	Events   int
	Checks   int // checks after kills
	Verified int // events verify checked at the end
}

// The org every run uses: one nämnd with its arbetsutskott, the staff, and
// meetings far enough ahead for a route.
const (
	password  = "kraschtest-2026"
	officer   = "handlaggare@krasch.example"
	approver  = "chef@krasch.example"
	secretary = "sekreterare@krasch.example"
)

// Run runs the harness: it sets up a database in cfg.Dir, starts the server,
// and kills and restarts it cfg.Kills times under the clients' load, checking
// after each kill. An error says what was lost or broken.
func Run(ctx context.Context, cfg Config) (Report, error) {
	var rep Report
	if cfg.Clients <= 0 {
		cfg.Clients = 8
	}
	if cfg.Up <= 0 {
		cfg.Up = 600 * time.Millisecond
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	path := filepath.Join(cfg.Dir, "krasch.db")
	route, err := setup(ctx, path)
	if err != nil {
		return rep, fmt.Errorf("setup: %w", err)
	}
	addr, err := rig.FreePort()
	if err != nil {
		return rep, err
	}
	h := &harness{cfg: cfg, path: path, addr: addr, route: route, http: &http.Client{Timeout: 30 * time.Second},
		up: make(chan struct{})}
	if err := h.start(ctx); err != nil {
		return rep, err
	}
	defer h.kill()
	for _, l := range []struct {
		email string
		token *string
	}{{officer, &h.officer}, {approver, &h.approver}, {secretary, &h.secretary}} {
		if *l.token, err = h.login(l.email); err != nil {
			return rep, err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for c := range cfg.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.client(ctx, rand.New(rand.NewPCG(cfg.Seed, uint64(c))))
		}()
	}
	r := rand.New(rand.NewPCG(cfg.Seed, 1<<40))
	for k := 1; k <= cfg.Kills; k++ {
		select {
		case <-time.After(time.Duration(r.Int64N(int64(cfg.Up)))):
		case <-ctx.Done():
			return rep, ctx.Err()
		}
		h.kill()
		rep.Kills++
		if err := h.check(ctx, &rep); err != nil {
			cancel()
			wg.Wait()
			return rep, fmt.Errorf("after kill %d: %w", k, err)
		}
		cfg.Log("kill %d: %d acknowledged changes, all there", k, h.acked())
		if err := h.start(ctx); err != nil {
			cancel()
			wg.Wait()
			return rep, fmt.Errorf("restart after kill %d: %w", k, err)
		}
	}
	cancel()
	wg.Wait()
	h.kill()
	if err := h.check(context.Background(), &rep); err != nil {
		return rep, fmt.Errorf("at the end: %w", err)
	}
	h.mu.Lock()
	rep.Acked, rep.Unknown = len(h.acks), h.unknown
	h.mu.Unlock()
	return rep, nil
}

// harness is the server process and what the clients were told.
type harness struct {
	cfg                          Config
	path, addr                   string
	route                        []db.StepInput
	http                         *http.Client
	officer, approver, secretary string

	mu      sync.Mutex
	proc    *exec.Cmd
	exited  chan struct{} // closed when proc has been reaped
	up      chan struct{} // closed while the server runs; replaced at each kill
	acks    []rig.Ack
	unknown int
}

func (h *harness) acked() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.acks)
}

// start starts the server and waits (bounded) until it answers.
func (h *harness) start(ctx context.Context) error {
	cmd := exec.Command(h.cfg.Binary, "serve", "--db", h.path, "--addr", h.addr)
	cmd.Env = append(os.Environ(), "BESLUTSGANG_MAIL_DIR="+filepath.Join(h.cfg.Dir, "mail"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	end := time.Now().Add(time.Minute)
	for {
		resp, err := h.http.Get("http://" + h.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-exited:
			return fmt.Errorf("the server exited: %s", out.String())
		case <-ctx.Done():
			cmd.Process.Kill()
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(end) {
			cmd.Process.Kill()
			return errors.New("the server did not answer /healthz within a minute")
		}
	}
	h.mu.Lock()
	h.proc, h.exited = cmd, exited
	close(h.up)
	h.mu.Unlock()
	return nil
}

// kill sends SIGKILL and waits for the process to be gone.
func (h *harness) kill() {
	h.mu.Lock()
	cmd, exited := h.proc, h.exited
	h.proc = nil
	if cmd != nil {
		h.up = make(chan struct{})
	}
	h.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited
}

// waitUp blocks until the server runs again (or ctx ends).
func (h *harness) waitUp(ctx context.Context) bool {
	h.mu.Lock()
	up := h.up
	h.mu.Unlock()
	select {
	case <-up:
		return true
	case <-ctx.Done():
		return false
	}
}

func (h *harness) login(email string) (string, error) {
	var out struct{ Token string }
	status, err := h.call("POST", "/api/v1/sessions", "", map[string]string{"email": email, "password": password}, &out)
	if err != nil || status != http.StatusCreated {
		return "", fmt.Errorf("log in %s: %d %v", email, status, err)
	}
	return out.Token, nil
}

// call sends one request; err is set when no answer came (the server died).
func (h *harness) call(method, path, token string, body any, out any) (int, error) {
	return rig.Call(h.http, "http://"+h.addr, method, path, token, body, out)
}

// caseState is what a client knows of one of its cases.
type caseState struct {
	Number  string `json:"number"`
	Version int    `json:"version"`
	Stage   string `json:"stage"`
}

// client creates cases and takes actions on them until ctx ends, recording
// each acknowledged change. After a failed request it waits for the server
// and reloads the case: the request may or may not have happened.
func (h *harness) client(ctx context.Context, r *rand.Rand) {
	var mine []*caseState
	for n := 0; ctx.Err() == nil && n < 1_000_000; n++ {
		if !h.waitUp(ctx) {
			return
		}
		var c *caseState
		if len(mine) > 0 && r.IntN(5) > 0 {
			c = mine[r.IntN(len(mine))]
		}
		if c == nil {
			var out caseState
			in := db.CaseInput{Board: "ASN", Title: fmt.Sprintf("Kraschtest %d", r.IntN(1_000_000)), Summary: "Skapat under kraschtestet.",
				Proposals: []string{"Nämnden föreslås besluta att godkänna förslaget."}, Route: h.route,
				Approvers: []db.ApproverInput{{Email: approver}}, Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen"}}}
			status, err := h.call("POST", "/api/v1/cases", h.officer, in, &out)
			switch {
			case err != nil:
				h.lost()
			case status == http.StatusCreated:
				h.record(rig.Ack{Number: out.Number, Seq: out.Version, Action: "create"})
				mine = append(mine, &out)
			}
			continue
		}
		action, token, body := h.next(c, r)
		if action == "" {
			continue
		}
		var out caseState
		method, path := "POST", "/api/v1/cases/"+url.PathEscape(c.Number)+"/actions"
		if action == "update" {
			method, path = "PATCH", "/api/v1/cases/"+url.PathEscape(c.Number)
		}
		status, err := h.call(method, path, token, body, &out)
		switch {
		case err != nil:
			h.lost()
			h.reload(ctx, c)
		case status == http.StatusOK:
			h.record(rig.Ack{Number: c.Number, Seq: out.Version, Action: action})
			c.Version, c.Stage = out.Version, out.Stage
		default: // refused (a stale version after a lost answer): look again
			h.reload(ctx, c)
		}
	}
}

// next is the action a client takes on c, with the token and body to send.
func (h *harness) next(c *caseState, r *rand.Rand) (action, token string, body any) {
	v := c.Version
	switch c.Stage {
	case "draft":
		switch k := r.IntN(10); {
		case k < 6:
			return "submit", h.officer, map[string]any{"action": "submit", "version": v}
		case k < 9:
			return "update", h.officer, map[string]any{"version": v, "title": fmt.Sprintf("Kraschtest, ändrad %d", r.IntN(1000))}
		default:
			return "withdraw", h.officer, map[string]any{"action": "withdraw", "version": v, "reason": "Kraschtest"}
		}
	case "approval":
		if r.IntN(3) == 0 {
			return "reject", h.approver, map[string]any{"action": "reject", "version": v, "reason": "Kraschtest"}
		}
		return "approve", h.approver, map[string]any{"action": "approve", "version": v}
	case "working_committee":
		return "return", h.secretary, map[string]any{"action": "return", "version": v, "reason": "Kraschtest"}
	}
	return "", "", nil
}

func (h *harness) reload(ctx context.Context, c *caseState) {
	for range 1000 {
		if !h.waitUp(ctx) {
			return
		}
		var out caseState
		status, err := h.call("GET", "/api/v1/cases/"+url.PathEscape(c.Number), h.officer, nil, &out)
		if err == nil && status == http.StatusOK {
			c.Version, c.Stage = out.Version, out.Stage
			return
		}
		if err == nil {
			return // the case is gone?: check will say so
		}
		if ctx.Err() != nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (h *harness) record(a rig.Ack) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.acks = append(h.acks, a)
}

func (h *harness) lost() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.unknown++
}

// check looks at the database while the server is down: every acknowledged
// change is the event at its place in its case's history, every case stands
// where its last event left it, numbers run without gaps, and verify passes.
func (h *harness) check(ctx context.Context, rep *Report) error {
	rep.Checks++
	h.mu.Lock()
	acks := append([]rig.Ack(nil), h.acks...)
	h.mu.Unlock()
	d, err := db.OpenRaw(h.path)
	if err != nil {
		return err
	}
	defer d.Close()
	if rep.Events, err = rig.CheckAcks(ctx, d, acks); err != nil {
		return err
	}
	var bad string
	err = d.QueryRowContext(ctx, `SELECT c.number FROM cases c
		LEFT JOIN events e ON e.case_id = c.id AND e.seq = c.version
		WHERE e.id IS NULL OR e.to_stage <> c.stage
			OR c.version <> (SELECT COUNT(*) FROM events x WHERE x.case_id = c.id) LIMIT 1`).Scan(&bad)
	if err == nil {
		return fmt.Errorf("case %s does not stand where its last event left it", bad)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	err = d.QueryRowContext(ctx, `SELECT b.code || '-' || g.year FROM (SELECT board_id, year, COUNT(*) n, MIN(serial) low, MAX(serial) top
		FROM cases GROUP BY board_id, year) g JOIN boards b ON b.id = g.board_id
		LEFT JOIN case_series s ON s.board_id = g.board_id AND s.year = g.year
		WHERE g.n <> g.top OR g.low <> 1 OR s.last IS NOT g.top LIMIT 1`).Scan(&bad)
	if err == nil {
		return fmt.Errorf("the case numbers of %s have a gap", bad)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases`).Scan(&rep.Cases); err != nil {
		return err
	}
	d.Close()
	out, err := exec.CommandContext(ctx, h.cfg.Binary, "verify", "--db", h.path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("beslutsgang verify: %v: %s", err, out)
	}
	var checked int
	fmt.Sscanf(string(out), "OK: %d", &checked)
	rep.Verified = checked
	return nil
}

// setup makes the database with the organisation every run uses.
func setup(ctx context.Context, path string) ([]db.StepInput, error) {
	s, err := db.Open(path)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	route, _, err := rig.Org(ctx, s, rig.Staff{Officer: officer, Approver: approver, Secretary: secretary, Password: password})
	return route, err
}
