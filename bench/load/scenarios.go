package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/kommun/beslutsgang/bench/fill"
	"github.com/kommun/beslutsgang/db"
)

// setupInfo is what the tool learns before measuring.
type setupInfo struct {
	officer, approver, secretary string   // tokens
	numbers                      []string // cases to read, at random
	total                        int      // cases in the list, as the secretary sees it
	totalCapped                  bool     // total is a cap: there are more
	last                         string   // the address of the list's last page
	transitions                  []string // the fixtures' drafts
	short, long                  string
	dbBytes                      int64      // the file and its WAL, or pg_database_size
	pgCPUs                       string     // a PostgreSQL backend's cores, when on this machine
	outbox                       outboxWait // the mail left from earlier runs (waitQuiet)
	personas                     personas   // the users with long histories (findPersonas)
	manager, holder              string     // their tokens
}

// setup logs in the bench users, samples case numbers and finds the fixtures.
func (t *tool) setup(ctx context.Context) error {
	type login struct {
		email string
		token *string
	}
	logins := []login{{fill.BenchOfficer, &t.env.officer}, {fill.BenchApprover, &t.env.approver}, {fill.BenchSecretary, &t.env.secretary}}
	if p := t.env.personas; p.manager != "" {
		logins = append(logins, login{p.manager, &t.env.manager}, login{p.holder, &t.env.holder})
	}
	for _, l := range logins {
		var body []byte
		req, _ := json.Marshal(map[string]string{"email": l.email, "password": t.o.password})
		if err := t.srv.do("POST", "/api/v1/sessions", "", req, 201, &body); err != nil {
			return fmt.Errorf("logga in %s (är databasen gjord av bench/gen?): %w", l.email, err)
		}
		var out struct{ Token string }
		if err := json.Unmarshal(body, &out); err != nil {
			return err
		}
		*l.token = out.Token
	}
	var page casePage
	var body []byte
	var link string
	if err := t.srv.doLink("GET", "/api/v1/cases", t.env.secretary, nil, 200, &body, &link); err != nil {
		return err
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return err
	}
	t.env.total, t.env.totalCapped = page.Total, page.TotalCapped
	// The last page: where the list's Link header says it is (a cursor), or
	// by its number when the list has no such link.
	t.env.last = lastLink(link)
	if t.env.last == "" {
		t.env.last = fmt.Sprintf("/api/v1/cases?page=%d", max(1, (page.Total+49)/50))
	}
	if err := t.sample(); err != nil {
		return err
	}
	var short string
	for p := 1; p <= 50; p++ {
		var mine casePage
		if err := t.getJSON(fmt.Sprintf("/api/v1/cases?per_page=200&page=%d&officer=%s", p, url.QueryEscape(fill.BenchOfficer)), t.env.officer, &mine); err != nil {
			return err
		}
		for _, c := range mine.Items {
			switch {
			case strings.HasPrefix(c.Title, fill.FixtureTransition):
				t.env.transitions = append(t.env.transitions, c.Number)
			case c.Title == fill.FixtureShort:
				short = c.Number
			case c.Title == fill.FixtureLong:
				t.env.long = c.Number
			}
		}
		if len(mine.Items) < 200 {
			break
		}
	}
	if len(t.env.transitions) == 0 || short == "" || t.env.long == "" {
		return errors.New("lasttestets ärenden saknas; skapa databasen med go run ./bench/gen (med -fixtures)")
	}
	// Each run's short history is a new copy of the fixture with as many
	// events: the fixture itself grows with every run.
	// (A database older than its fixtures' meeting dates cannot take a new
	// case on them: then the fixture serves, its history as long as it is.)
	var err error
	if t.env.short, err = t.copyCase(short, fill.ShortHistory); err != nil {
		fmt.Fprintf(t.log, "en ny kort historik gick inte att skapa (%v); %s används som den är\n", err, short)
		t.env.short = short
	}
	switch {
	case t.o.postgres():
		d, err := db.OpenRaw(t.o.db)
		if err != nil {
			return err
		}
		defer d.Close()
		if err := d.QueryRowContext(ctx, `SELECT pg_database_size(current_database())`).Scan(&t.env.dbBytes); err != nil {
			return err
		}
		// Where PostgreSQL runs: the core of this connection's backend,
		// when the server is on this machine (it is not started by the tool).
		var pid int
		if err := d.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err == nil {
			if u, err := url.Parse(t.o.db); err == nil && loopback(u.Hostname()) {
				t.env.pgCPUs = allowedCPUs(pid)
			}
		}
	case t.o.db != "":
		for _, suffix := range []string{"", "-wal"} {
			if fi, err := os.Stat(t.o.db + suffix); err == nil {
				t.env.dbBytes += fi.Size()
			}
		}
	}
	return nil
}

// copyCase registers a new draft with the content of number (as its
// officer) and takes transitions on it until its history has events events.
func (t *tool) copyCase(number string, events int) (string, error) {
	var c struct {
		Board      string            `json:"board"`
		Title      string            `json:"title"`
		Summary    string            `json:"summary"`
		Proposals  []string          `json:"proposals"`
		Background string            `json:"background"`
		Recipients []json.RawMessage `json:"recipients"`
		Approvers  []struct {
			Email    string `json:"email"`
			Position string `json:"position"`
		} `json:"approvers"`
		Route []struct {
			Body string  `json:"body"`
			Date *string `json:"date"`
		} `json:"route"`
	}
	if err := t.getJSON("/api/v1/cases/"+url.PathEscape(number), t.env.officer, &c); err != nil {
		return "", err
	}
	in := map[string]any{"board": c.Board, "title": c.Title, "summary": c.Summary, "proposals": c.Proposals,
		"background": c.Background, "recipients": c.Recipients}
	var route []map[string]string
	for _, st := range c.Route {
		step := map[string]string{"body": st.Body}
		if st.Date != nil {
			step["date"] = *st.Date
		}
		route = append(route, step)
	}
	var approvers []map[string]string
	for _, a := range c.Approvers {
		approvers = append(approvers, map[string]string{"email": a.Email, "position": a.Position})
	}
	in["route"], in["approvers"] = route, approvers
	req, _ := json.Marshal(in)
	var body []byte
	if err := t.srv.do("POST", "/api/v1/cases", t.env.officer, req, 201, &body); err != nil {
		return "", err
	}
	var made caseState
	var ref struct {
		Number string `json:"number"`
	}
	if err := json.Unmarshal(body, &made); err != nil {
		return "", err
	}
	if err := json.Unmarshal(body, &ref); err != nil {
		return "", err
	}
	cy := &cycle{t: t, number: ref.Number, version: made.Version, stage: made.Stage}
	for cy.version < events {
		if err := cy.step(); err != nil {
			return "", err
		}
	}
	return ref.Number, nil
}

type caseSummary struct {
	Number string `json:"number"`
	Title  string `json:"title"`
}

type casePage struct {
	Items       []caseSummary `json:"items"`
	Total       int           `json:"total"`
	TotalCapped bool          `json:"total_capped"`
}

// lastLink is the path and query of the rel="last" address in a Link header.
func lastLink(header string) string {
	for _, part := range strings.Split(header, ",") {
		ref, params, ok := strings.Cut(strings.TrimSpace(part), ";")
		if !ok || !strings.Contains(params, `rel="last"`) {
			continue
		}
		u, err := url.Parse(strings.Trim(strings.TrimSpace(ref), "<>"))
		if err != nil {
			return ""
		}
		return u.RequestURI()
	}
	return ""
}

func (t *tool) getJSON(path, token string, v any) error {
	var body []byte
	if err := t.srv.do("GET", path, token, nil, 200, &body); err != nil {
		return err
	}
	return json.Unmarshal(body, v)
}

// sample picks case numbers to read: straight from the database when
// there is one (reads only, through db.OpenRaw: a SQLite file or
// PostgreSQL), else from the first pages of the list.
func (t *tool) sample() error {
	r := rand.New(rand.NewPCG(1, 2))
	if t.o.db != "" {
		d, err := db.OpenRaw(t.o.db)
		if err != nil {
			return err
		}
		defer d.Close()
		var top int64
		if err := d.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM cases`).Scan(&top); err != nil {
			return err
		}
		for range 5000 {
			var n string
			if err := d.QueryRow(`SELECT number FROM cases WHERE id >= ? ORDER BY id LIMIT 1`, 1+r.Int64N(max(top, 1))).Scan(&n); err == nil {
				t.env.numbers = append(t.env.numbers, n)
			}
		}
	} else {
		for p := 1; p <= 5; p++ {
			var page casePage
			if err := t.getJSON(fmt.Sprintf("/api/v1/cases?per_page=200&page=%d", p), t.env.secretary, &page); err != nil {
				return err
			}
			for _, c := range page.Items {
				t.env.numbers = append(t.env.numbers, c.Number)
			}
		}
	}
	if len(t.env.numbers) == 0 {
		return errors.New("databasen har inga ärenden att läsa")
	}
	return nil
}

// scenario is one measurement.
type scenario struct {
	name string
	run  func(ctx context.Context) (result, error)
}

func (t *tool) lim() limits { return limits{warmup: t.o.warmup, dur: t.o.duration, max: t.o.max} }

// get is a scenario of GET requests to path(client), wanting 200; c is
// the client's server (hello, or the service's instances in turn).
func (t *tool) get(name string, c func(client int) *httpClient, token string, path func(r *rand.Rand) string) scenario {
	return scenario{name: name, run: func(context.Context) (result, error) {
		rs := make([]*rand.Rand, t.o.clients)
		for i := range rs {
			rs[i] = rand.New(rand.NewPCG(uint64(i), 7))
		}
		return drive(name, t.o.clients, t.lim(), func(client int) error {
			return c(client).do("GET", path(rs[client]), token, nil, 200, nil)
		}), nil
	}}
}

func (t *tool) scenarios() []scenario {
	all := t.allScenarios()
	if t.env.manager == "" {
		all = slices.DeleteFunc(all, func(sc scenario) bool { return sc.name == "list-manager" || sc.name == "reminders" })
	}
	return all
}

func (t *tool) allScenarios() []scenario {
	sec := t.env.secretary
	fixed := func(p string) func(*rand.Rand) string { return func(*rand.Rand) string { return p } }
	hello := func(int) *httpClient { return t.hello }
	return []scenario{
		t.get("hello", hello, "", fixed("/hello")),
		{name: "bare-commit", run: t.bareCommits},
		t.get("case", t.instance, sec, func(r *rand.Rand) string {
			return "/api/v1/cases/" + url.PathEscape(t.env.numbers[r.IntN(len(t.env.numbers))])
		}),
		t.get("list-first", t.instance, sec, fixed("/api/v1/cases?page=1")),
		t.get("list-last", t.instance, sec, fixed(t.env.last)),
		t.get("list-board", t.instance, sec, fixed("/api/v1/cases?stage=board")),
		t.get("search", t.instance, sec, fixed("/api/v1/cases?q=EU-projekt")),
		t.get("diary", t.instance, "", fixed("/api/v1/diary")),
		t.get("diarium", t.instance, "", fixed("/diarium")),
		// As the personas with long histories (findPersonas; none with
		// -url), and the public OParl lists of a board.
		t.get("list-manager", t.instance, t.env.manager, fixed("/api/v1/cases?page=1")),
		t.get("reminders", t.instance, t.env.holder, fixed("/api/v1/me/reminders")),
		t.get("oparl-meetings", t.instance, "", fixed("/oparl/v1.1/body/ASN/meeting")),
		t.get("oparl-items", t.instance, "", fixed("/oparl/v1.1/body/ASN/agendaItem")),
		{name: "transitions", run: t.transitions},
		{name: "history-10", run: func(ctx context.Context) (result, error) { return t.history("history-10", t.env.short) }},
		{name: "history-10000", run: func(ctx context.Context) (result, error) { return t.history("history-10000", t.env.long) }},
	}
}

// bareCommits runs the commit floor as a child on the server's core: one
// writer, so one client.
func (t *tool) bareCommits(ctx context.Context) (result, error) {
	self, err := os.Executable()
	if err != nil {
		return result{}, err
	}
	cmd := exec.CommandContext(ctx, self, "child", "-mode", "bare-commit", "-db", filepath.Join(t.tmp, "bare.db"),
		"-max", strconv.Itoa(t.o.max), "-duration", t.o.duration.String())
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, t.log
	if err := startPinned(cmd, t.o.serverCPU); err != nil {
		return result{}, err
	}
	if err := cmd.Wait(); err != nil {
		return result{}, err
	}
	var res bareCommitResult
	if err := json.Unmarshal([]byte(out.String()), &res); err != nil {
		return result{}, err
	}
	r := result{name: "bare-commit", clients: 1, n: len(res.Times), lat: res.Times}
	for _, d := range res.Times {
		r.window += d
	}
	slices.Sort(r.lat)
	return r, nil
}

// cycle is one draft going round submit (by the officer) and reject (by the
// approver): a repeatable pair of workflow transitions.
type cycle struct {
	t       *tool
	srv     *httpClient // the instance it talks to; nil: the first
	number  string
	version int
	stage   string
	body    []byte
}

type caseState struct {
	Version int    `json:"version"`
	Stage   string `json:"stage"`
}

// server is the instance the cycle talks to.
func (c *cycle) server() *httpClient {
	if c.srv != nil {
		return c.srv
	}
	return c.t.srv
}

func (c *cycle) load() error {
	if err := c.server().do("GET", "/api/v1/cases/"+url.PathEscape(c.number), c.t.env.officer, nil, 200, &c.body); err != nil {
		return err
	}
	var st caseState
	if err := json.Unmarshal(c.body, &st); err != nil {
		return err
	}
	c.version, c.stage = st.Version, st.Stage
	return nil
}

// step takes the next transition; after a failure it reloads the case.
func (c *cycle) step() error {
	action, token, reason := "submit", c.t.env.officer, ""
	if c.stage == "approval" {
		action, token, reason = "reject", c.t.env.approver, "Lasttest"
	}
	req, _ := json.Marshal(map[string]any{"action": action, "version": c.version, "reason": reason})
	if err := c.server().do("POST", "/api/v1/cases/"+url.PathEscape(c.number)+"/actions", token, req, 200, &c.body); err != nil {
		if lerr := c.load(); lerr != nil {
			return errors.Join(err, lerr)
		}
		return err
	}
	var st caseState
	if err := json.Unmarshal(c.body, &st); err != nil {
		return err
	}
	c.version, c.stage = st.Version, st.Stage
	return nil
}

// transitions: every client takes transitions on a draft of its own.
func (t *tool) transitions(context.Context) (result, error) {
	clients := min(t.o.clients, len(t.env.transitions))
	cycles := make([]*cycle, clients)
	for i := range cycles {
		cycles[i] = &cycle{t: t, srv: t.instance(i), number: t.env.transitions[i]}
		if err := cycles[i].load(); err != nil {
			return result{}, err
		}
	}
	r := drive("transitions", clients, t.lim(), func(client int) error { return cycles[client].step() })
	if clients < t.o.clients {
		r.note = fmt.Sprintf("%d klienter: lasttestet har %d utkast", clients, len(t.env.transitions))
	}
	return r, nil
}

// history: one client, one case, so the time is the transition's own; no
// warm-up, so the history grows by at most -history-max.
func (t *tool) history(name, number string) (result, error) {
	c := &cycle{t: t, number: number}
	if err := c.load(); err != nil {
		return result{}, err
	}
	before := c.version
	r := drive(name, 1, limits{dur: t.o.duration, max: t.o.historyMax}, func(int) error { return c.step() })
	r.note = fmt.Sprintf("%s: %d händelser före", number, before)
	return r, nil
}
