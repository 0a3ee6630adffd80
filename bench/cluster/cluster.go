// Package cluster proves the service on several instances of the real binary
// sharing one PostgreSQL database: clients spread over the instances take
// actions on shared cases, while reminders fall due; the instance that leads
// the scheduled work is killed with SIGKILL in the middle. Afterwards every
// action a client was told had succeeded is in its case's history, no
// version of a case had two winners, every reminder due in the window was
// mailed exactly once, another instance leads, and `beslutsgang verify`
// passes (issue 11's proof).
package cluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/kommun/beslutsgang/bench/rig"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// Config is one run.
type Config struct {
	Binary    string // a built beslutsgang
	DB        string // an empty PostgreSQL database, postgres://…
	SMTPURL   string // where the instances deliver mail (Mailpit)
	Instances int    // 3 if 0
	Clients   int    // 6 if 0
	// Reminders fall due spread over the first Window of the run (40 s if
	// 0); the leader is killed a third of the way into it.
	Reminders int // 8 if 0
	Window    time.Duration
	// Mailed counts the reminder mails received, by subject.
	Mailed func() map[string]int
	Log    func(format string, args ...any)
}

// Report says what a run did.
type Report struct {
	Acked     int           // acknowledged changes, each found in its history
	Refused   int           // stale versions refused (409): the other writer won
	Unknown   int           // requests cut off by the kill
	Reminders int           // reminder mails, each received once
	Failover  time.Duration // from the kill until another instance led
	Verified  int           // events verify checked
}

const (
	password  = "klustertest-2026"
	officer   = "handlaggare@kluster.example"
	approver  = "chef@kluster.example"
	secretary = "sekreterare@kluster.example"
	// reminderTitle starts the titles of the cases whose reminders the run
	// watches; the reminder's subject carries it.
	reminderTitle = "Bevakningstest"
)

// Run runs the harness; an error says what was lost, doubled or broken.
func Run(ctx context.Context, cfg Config) (Report, error) {
	var rep Report
	if cfg.Instances <= 0 {
		cfg.Instances = 3
	}
	if cfg.Clients <= 0 {
		cfg.Clients = 6
	}
	if cfg.Reminders <= 0 {
		cfg.Reminders = 8
	}
	if cfg.Window <= 0 {
		cfg.Window = 40 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	start := time.Now()
	route, err := setup(ctx, cfg, start)
	if err != nil {
		return rep, fmt.Errorf("setup: %w", err)
	}
	h := &harness{cfg: cfg, route: route, http: &http.Client{Timeout: 30 * time.Second}, votes: map[vote]int{}}
	defer h.stopAll()
	for range cfg.Instances {
		if err := h.startInstance(ctx); err != nil {
			return rep, err
		}
	}
	for _, l := range []struct {
		email string
		token *string
	}{{officer, &h.officer}, {approver, &h.approver}, {secretary, &h.secretary}} {
		if *l.token, err = h.login(l.email); err != nil {
			return rep, err
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for c := range cfg.Clients {
		wg.Go(func() { h.client(cctx, rand.New(rand.NewPCG(uint64(c), 7))) })
	}

	// The leader dies a third of the way into the window.
	time.Sleep(time.Until(start.Add(cfg.Window / 3)))
	leader, err := h.leader()
	if err != nil {
		cancel()
		wg.Wait()
		return rep, err
	}
	h.kill(leader)
	killed := time.Now()
	cfg.Log("killed the leader, instance %d", leader)
	for {
		if next, err := h.leader(); err == nil && next != leader {
			rep.Failover = time.Since(killed)
			cfg.Log("instance %d leads after %v", next, rep.Failover.Round(100*time.Millisecond))
			break
		}
		if time.Since(killed) > time.Minute {
			cancel()
			wg.Wait()
			return rep, errors.New("no other instance led within a minute of the kill")
		}
		time.Sleep(200 * time.Millisecond)
	}

	// Every reminder was due by the end of the window; the leader's scan runs
	// every minute. Wait for all, then a little longer for any second copy.
	deadline := start.Add(cfg.Window + 3*time.Minute)
	for sum(cfg.Mailed()) < cfg.Reminders && time.Now().Before(deadline) {
		time.Sleep(3 * time.Second)
	}
	time.Sleep(3 * time.Second)
	cancel()
	wg.Wait()
	mailed := cfg.Mailed()
	for subject, n := range mailed {
		if n != 1 {
			return rep, fmt.Errorf("the reminder %q was mailed %d times", subject, n)
		}
	}
	if rep.Reminders = len(mailed); rep.Reminders != cfg.Reminders {
		return rep, fmt.Errorf("%d of the %d reminders due in the window were mailed: %v; %s", rep.Reminders, cfg.Reminders, mailed, h.reminderState(ctx))
	}
	h.stopAll()
	return rep, h.check(ctx, &rep)
}

func sum(m map[string]int) (n int) {
	for _, v := range m {
		n += v
	}
	return n
}

// harness is the instances and what the clients were told.
type harness struct {
	cfg                          Config
	route                        []db.StepInput
	http                         *http.Client
	officer, approver, secretary string

	mu      sync.Mutex
	procs   []*instance
	acks    []rig.Ack
	votes   map[vote]int // acknowledged changes per case and version acted on
	refused int
	unknown int
}

type instance struct {
	addr   string
	cmd    *exec.Cmd
	exited chan struct{}
	dead   bool
}

// vote is a case at a version some client acted on.
type vote struct {
	number  string
	version int
}

func (h *harness) startInstance(ctx context.Context) error {
	addr, err := rig.FreePort()
	if err != nil {
		return err
	}
	cmd := exec.Command(h.cfg.Binary, "serve", "--db", h.cfg.DB, "--addr", addr,
		"--smtp-url", h.cfg.SMTPURL, "--mail-from", "Beslutsgång <beslut@kluster.example>")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return err
	}
	in := &instance{addr: addr, cmd: cmd, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(in.exited) }()
	for end := time.Now().Add(time.Minute); ; {
		if resp, err := h.http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-in.exited:
			return fmt.Errorf("an instance exited: %s", out.String())
		case <-ctx.Done():
			cmd.Process.Kill()
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(end) {
			cmd.Process.Kill()
			return errors.New("an instance was not ready within a minute")
		}
	}
	h.mu.Lock()
	h.procs = append(h.procs, in)
	h.mu.Unlock()
	return nil
}

// kill sends SIGKILL to instance i and waits until it is gone.
func (h *harness) kill(i int) {
	h.mu.Lock()
	in := h.procs[i]
	in.dead = true
	h.mu.Unlock()
	in.cmd.Process.Signal(syscall.SIGKILL)
	<-in.exited
}

func (h *harness) stopAll() {
	h.mu.Lock()
	procs := h.procs
	h.mu.Unlock()
	for _, in := range procs {
		in.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-in.exited:
		case <-time.After(15 * time.Second):
			in.cmd.Process.Kill()
			<-in.exited
		}
	}
}

// live is the address of a running instance, chosen by r.
func (h *harness) live(r *rand.Rand) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var addrs []string
	for _, in := range h.procs {
		if !in.dead {
			addrs = append(addrs, in.addr)
		}
	}
	return addrs[r.IntN(len(addrs))]
}

// leader is the running instance whose /healthz says it leads.
func (h *harness) leader() (int, error) {
	h.mu.Lock()
	procs := append([]*instance(nil), h.procs...)
	h.mu.Unlock()
	found := -1
	for i, in := range procs {
		if in.dead {
			continue
		}
		var health struct{ Leader bool }
		if _, err := h.call(in.addr, "GET", "/healthz", "", nil, &health); err != nil {
			return 0, err
		}
		if health.Leader {
			if found >= 0 {
				return 0, fmt.Errorf("instances %d and %d both lead", found, i)
			}
			found = i
		}
	}
	if found < 0 {
		return 0, errors.New("no instance leads")
	}
	return found, nil
}

func (h *harness) login(email string) (string, error) {
	var out struct{ Token string }
	status, err := h.call(h.procs[0].addr, "POST", "/api/v1/sessions", "", map[string]string{"email": email, "password": password}, &out)
	if err != nil || status != http.StatusCreated {
		return "", fmt.Errorf("log in %s: %d %v", email, status, err)
	}
	return out.Token, nil
}

// call sends one request to the instance at addr (rig.Call), noting a
// refusal other than a lost race.
func (h *harness) call(addr, method, path, token string, body, out any) (int, error) {
	status, err := rig.Call(h.http, "http://"+addr, method, path, token, body, out)
	if status/100 == 4 && status != http.StatusConflict {
		h.cfg.Log("%s %s: %d", method, path, status)
	}
	return status, err
}

// caseState is what the clients know of a case.
type caseState struct {
	Number  string `json:"number"`
	Version int    `json:"version"`
	Stage   string `json:"stage"`
}

// shared are the cases every client acts on, so two clients often act on
// the same version at once through different instances.
var shared struct {
	sync.Mutex
	cases []string
}

// client registers cases and acts on shared ones through random instances
// until ctx ends, bounded in count.
func (h *harness) client(ctx context.Context, r *rand.Rand) {
	for n := 0; ctx.Err() == nil && n < 100_000; n++ {
		addr := h.live(r)
		shared.Lock()
		var number string
		if k := len(shared.cases); k > 0 && (k >= 12 || r.IntN(4) > 0) {
			number = shared.cases[r.IntN(k)]
		}
		shared.Unlock()
		if number == "" {
			var out caseState
			in := db.CaseInput{Board: "ASN", Title: fmt.Sprintf("Klustertest %d", r.IntN(1_000_000)), Summary: "Skapat under klustertestet.",
				Proposals: []string{"Nämnden föreslås besluta att godkänna förslaget."}, Route: h.route,
				Approvers: []db.ApproverInput{{Email: approver}}, Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen"}}}
			status, err := h.call(addr, "POST", "/api/v1/cases", h.officer, in, &out)
			switch {
			case err != nil:
				h.note(func() { h.unknown++ })
			case status != http.StatusCreated && n < 3:
				h.cfg.Log("registering a case: %d", status)
			case status == http.StatusCreated:
				h.note(func() { h.acks = append(h.acks, rig.Ack{Number: out.Number, Seq: out.Version, Action: "create"}) })
				shared.Lock()
				shared.cases = append(shared.cases, out.Number)
				shared.Unlock()
			}
			continue
		}
		var c caseState
		if status, err := h.call(addr, "GET", "/api/v1/cases/"+url.PathEscape(number), h.officer, nil, &c); err != nil || status != http.StatusOK {
			continue
		}
		action, token, body := next(c, r, h)
		if action == "" {
			continue
		}
		var out caseState
		status, err := h.call(h.live(r), "POST", "/api/v1/cases/"+url.PathEscape(number)+"/actions", token, body, &out)
		switch {
		case err != nil:
			h.note(func() { h.unknown++ })
		case status == http.StatusOK:
			h.note(func() {
				h.acks = append(h.acks, rig.Ack{Number: number, Seq: out.Version, Action: action})
				h.votes[vote{number, c.Version}]++
			})
		case status == http.StatusConflict:
			h.note(func() { h.refused++ })
		}
	}
}

func (h *harness) note(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f()
}

// next is an action on c, with the token and body to send.
func next(c caseState, r *rand.Rand, h *harness) (action, token string, body any) {
	v := c.Version
	switch c.Stage {
	case "draft":
		return "submit", h.officer, map[string]any{"action": "submit", "version": v}
	case "approval":
		if r.IntN(2) == 0 {
			return "reject", h.approver, map[string]any{"action": "reject", "version": v, "reason": "Klustertest"}
		}
		return "approve", h.approver, map[string]any{"action": "approve", "version": v}
	case "working_committee":
		return "return", h.secretary, map[string]any{"action": "return", "version": v, "reason": "Klustertest"}
	}
	return "", "", nil
}

// reminderState tells where the window's reminders stand, for an error.
func (h *harness) reminderState(ctx context.Context) string {
	d, err := db.OpenRaw(h.cfg.DB)
	if err != nil {
		return err.Error()
	}
	defer d.Close()
	var planned, sent, queued, delivered int
	d.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(sent_at) FROM reminders WHERE slot LIKE '%/kluster'`).Scan(&planned, &sent)
	d.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(sent_at) FROM outbox WHERE subject LIKE '%`+reminderTitle+`%'`).Scan(&queued, &delivered)
	return fmt.Sprintf("reminders planned %d, marked sent %d; their mail queued %d, delivered %d", planned, sent, queued, delivered)
}

// check looks at the database with every instance stopped.
func (h *harness) check(ctx context.Context, rep *Report) error {
	h.mu.Lock()
	acks := append([]rig.Ack(nil), h.acks...)
	votes := h.votes
	rep.Refused, rep.Unknown = h.refused, h.unknown
	h.mu.Unlock()
	for v, n := range votes {
		if n > 1 {
			return fmt.Errorf("%d actions on %s at version %d were acknowledged, want one winner", n, v.number, v.version)
		}
	}
	d, err := db.OpenRaw(h.cfg.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := rig.CheckAcks(ctx, d, acks); err != nil {
		return err
	}
	rep.Acked = len(acks)
	out, err := exec.CommandContext(ctx, h.cfg.Binary, "verify", "--db", h.cfg.DB).CombinedOutput()
	if err != nil {
		return fmt.Errorf("beslutsgang verify: %v: %s", err, out)
	}
	fmt.Sscanf(string(out), "OK: %d", &rep.Verified)
	return nil
}

// setup makes the organisation, the meetings every case is routed to, and
// cfg.Reminders cases with a bevakning each, whose reminder falls due at a
// moment within the window from start.
func setup(ctx context.Context, cfg Config, start time.Time) ([]db.StepInput, error) {
	s, err := db.Open(cfg.DB)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	route, users, err := rig.Org(ctx, s, rig.Staff{Officer: officer, Approver: approver, Secretary: secretary, Password: password})
	if err != nil {
		return nil, err
	}
	raw, err := db.OpenRaw(cfg.DB)
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	due := workflow.NextWorkday(workflow.Today(time.Now()).AddDays(14))
	for i := range cfg.Reminders {
		c, err := s.CreateCase(ctx, db.CaseInput{Board: "ASN", Title: fmt.Sprintf("%s %d", reminderTitle, i+1),
			Summary: "Ett ärende med en bevakning.", Proposals: []string{"Nämnden föreslås besluta att godkänna förslaget."},
			Route: route, Approvers: []db.ApproverInput{{Email: approver}}, Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen"}}},
			users[officer])
		if err != nil {
			return nil, err
		}
		d, err := s.AddDeadline(ctx, c.Number, db.DeadlineInput{Due: due.String(), Note: "Klustertestets bevakning"}, users[officer])
		if err != nil {
			return nil, err
		}
		// One more reminder of this bevakning, due within the window; its
		// slot names the due date, as the planner's do, so nothing replans it.
		at := start.Add(5*time.Second + time.Duration(i)*(cfg.Window-5*time.Second)/time.Duration(cfg.Reminders))
		if _, err := raw.ExecContext(ctx, `INSERT INTO reminders(deadline_id, slot, on_date, remind_at, offset_days, copy_manager)
			VALUES (?,?,?,?,?,FALSE)`, d.ID, due.String()+"/kluster", workflow.Today(at).String(), workflow.FormatTime(at.UTC()), -5); err != nil {
			return nil, err
		}
	}
	return route, nil
}

// Mailed counts subjects that carry the reminder cases' title, for
// Config.Mailed.
func Mailed(subjects []string) map[string]int {
	out := map[string]int{}
	for _, s := range subjects {
		if strings.Contains(s, reminderTitle) {
			out[s]++
		}
	}
	return out
}
