// Command load measures the service under load, in one run, side by side
// with its floors, and prints the ratios issue 10 sets targets for:
//
//	go run -tags sqlite_fts5 ./bench/gen -db bench.db -cases 100000
//	go run -tags sqlite_fts5 ./bench/load -db bench.db
//
// It builds the real binary (or takes -bin; with the build tags the tool was
// built with), starts it on 127.0.0.1 against
// the database, pins it to one core and itself to another (sched_setaffinity
// through golang.org/x/sys/unix), and runs keep-alive clients (32 by
// default) against: a bare Fiber "hello" server (a child of this tool with
// the service's Fiber settings, on the server's core), bare SQLite one-row
// commits (through the store's own writer, on the server's core), a case
// read, the case list (first and last page, ?stage=board), search
// (?q=EU-projekt), the public diary (API and /diarium), workflow transitions
// (submit and reject over the API, each client on a draft of its own), and
// the cost of one transition on a case with 10 and with 10,000 events. The
// cases it acts on are the ones bench/gen adds for it (-fixtures), which it
// finds as the bench officer's; each run adds events to them.
//
// -db is a SQLite file or a postgres:// URL (a database bench/gen made,
// moved there with beslutsgang copy). On PostgreSQL, -instances N starts N
// serve processes on the one database, all pinned to the server's core, and
// spreads the clients over them in turn; PostgreSQL itself is not started
// nor pinned by the tool (the report says where it runs, when it can see).
//
// With -url it measures a service already running on this machine
// (loopback only) and does not pin it. Every scenario is bounded in time
// (-duration after -warmup) and in requests (-max).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/kommun/beslutsgang/db"
)

func main() {
	// The children: the tool re-runs itself as the floors it measures.
	if len(os.Args) > 1 && os.Args[1] == "child" {
		if err := child(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "load child:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "load:", err)
		}
		os.Exit(2)
	}
}

func child(args []string) error {
	f := flag.NewFlagSet("child", flag.ContinueOnError)
	mode := f.String("mode", "", "hello or bare-commit")
	addr := f.String("addr", "127.0.0.1:0", "")
	path := f.String("db", "", "")
	n := f.Int("max", 0, "")
	d := f.Duration("duration", 0, "")
	if err := f.Parse(args); err != nil {
		return err
	}
	switch *mode {
	case "hello":
		return serveHello(*addr, os.Stdout)
	case "bare-commit":
		return runBareCommits(*path, *n, *d, os.Stdout)
	}
	return fmt.Errorf("okänt läge %q", *mode)
}

// options are the tool's flags.
type options struct {
	db, url, bin       string
	clients            int
	warmup, duration   time.Duration
	max, historyMax    int
	serverCPU, loadCPU int
	instances          int // serve processes on the one database (PostgreSQL only when over 1)
	only               string
	listCache          int    // serve --list-cache; -1: the service's default
	email, password    string // the bench logins' password; emails are fill's
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	f := flag.NewFlagSet("load", flag.ContinueOnError)
	f.SetOutput(stderr)
	f.StringVar(&o.db, "db", "", "databasen att mäta mot (gjord av bench/gen): en SQLite-fil eller postgres://…")
	f.StringVar(&o.url, "url", "", "en redan startad tjänst på 127.0.0.1, t.ex. http://127.0.0.1:8080 (startas annars av verktyget)")
	f.StringVar(&o.bin, "bin", "", "en byggd beslutsgang (byggs annars från ./cmd/beslutsgang)")
	f.IntVar(&o.clients, "clients", 32, "samtidiga klienter med keep-alive")
	f.DurationVar(&o.warmup, "warmup", time.Second, "uppvärmning per scenario, räknas inte")
	f.DurationVar(&o.duration, "duration", 10*time.Second, "mättid per scenario")
	f.IntVar(&o.max, "max", 500_000, "högst så många anrop per scenario")
	f.IntVar(&o.historyMax, "history-max", 100, "så många övergångar per historikfall (utan uppvärmning)")
	f.IntVar(&o.serverCPU, "server-cpu", 0, "kärnan tjänsten och golven körs på (-1: ingen låsning)")
	f.IntVar(&o.loadCPU, "load-cpu", 1, "kärnan verktyget kör på (-1: ingen låsning)")
	f.IntVar(&o.instances, "instances", 1, "så många serve-processer mot samma databas (fler än 1 bara med PostgreSQL); klienterna fördelas på dem i tur och ordning")
	f.StringVar(&o.only, "only", "", "bara dessa scenarier, kommaseparerade (t.ex. hello,case,transitions)")
	f.IntVar(&o.listCache, "list-cache", -1, "sidor av listor och sökträffar i tjänstens cache (serve --list-cache); 0: ingen, utan: tjänstens standard")
	f.StringVar(&o.password, "password", "lasttest-2026", "lösenordet för lasttestets inloggningar")
	if err := f.Parse(args); err != nil {
		return o, err
	}
	switch {
	case o.db == "" && o.url == "":
		return o, errors.New("ange -db FIL (verktyget startar tjänsten) eller -url ADRESS")
	case o.clients < 1 || o.clients > 1024:
		return o, errors.New("-clients ska vara 1–1024")
	case o.duration <= 0 || o.duration > time.Hour || o.warmup < 0 || o.warmup > time.Minute:
		return o, errors.New("-duration ska vara över 0 och högst en timme, -warmup högst en minut")
	case o.max < 1 || o.historyMax < 1:
		return o, errors.New("-max och -history-max ska vara minst 1")
	case o.instances < 1 || o.instances > 16:
		return o, errors.New("-instances ska vara 1–16")
	case o.instances > 1 && o.url != "":
		return o, errors.New("-instances gäller tjänster som verktyget startar; utelämna -url")
	case o.listCache > 100_000 || o.listCache < -1:
		return o, errors.New("-list-cache ska vara 0–100000")
	case o.listCache >= 0 && o.url != "":
		return o, errors.New("-list-cache gäller tjänster som verktyget startar; utelämna -url")
	case o.instances > 1 && !o.postgres():
		return o, errors.New("-instances över 1 kräver PostgreSQL (-db postgres://…): en SQLite-fil ska bara ha en serve-process")
	}
	if n := runtime.NumCPU(); o.serverCPU >= n || o.loadCPU >= n {
		return o, fmt.Errorf("maskinen har %d kärnor (0–%d); välj -server-cpu och -load-cpu bland dem, eller -1", n, n-1)
	}
	if o.url != "" {
		u, err := url.Parse(o.url)
		if err != nil || u.Scheme != "http" || !loopback(u.Hostname()) {
			return o, fmt.Errorf("-url %q: bara http på 127.0.0.1, ::1 eller localhost", o.url)
		}
	}
	if o.db != "" && !o.postgres() {
		if _, err := os.Stat(o.db); err != nil {
			return o, fmt.Errorf("databasen %s finns inte; skapa den med go run ./bench/gen -db %s", o.db, o.db)
		}
	}
	return o, nil
}

// postgres tells whether -db is a PostgreSQL URL.
func (o options) postgres() bool { return o.db != "" && db.EngineOf(o.db) == db.PostgreSQL }

// dbName is -db as the report shows it: a PostgreSQL URL without its password.
func (o options) dbName() string {
	if !o.postgres() {
		return o.db
	}
	if u, err := url.Parse(o.db); err == nil {
		return u.Redacted()
	}
	return "postgres://…"
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "beslutsgang-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// The tool and its children (their stderr is copied by os/exec's own
	// goroutines) write to one log.
	t := &tool{o: o, tmp: tmp, log: &lockedWriter{w: stderr}}
	defer t.stopAll()
	addrs := []string{strings.TrimPrefix(o.url, "http://")}
	if o.url == "" {
		// Before the service starts, so the tool is the database's only user.
		if t.env.personas, err = findPersonas(ctx, o.db, o.password); err != nil {
			return err
		}
		if addrs, err = t.startServers(ctx); err != nil {
			return err
		}
	}
	for i, addr := range addrs {
		c := newHTTPClient(addr, o.clients)
		t.srvs = append(t.srvs, c)
		if err := t.waitHealthy(ctx, c, t.proc(i), 2*time.Minute); err != nil {
			return err
		}
	}
	t.srv = t.srvs[0]
	helloAddr, err := t.startHello(ctx)
	if err != nil {
		return err
	}
	t.hello = newHTTPClient(helloAddr, o.clients)
	if o.loadCPU >= 0 {
		if err := pinSelf(o.loadCPU); err != nil {
			return err
		}
	}
	if err := t.setup(ctx); err != nil {
		return err
	}
	if o.url == "" {
		if err := t.waitQuiet(ctx); err != nil {
			return err
		}
	}
	var results []result
	for _, sc := range t.scenarios() {
		if !t.wanted(sc.name) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		fmt.Fprintf(t.log, "%s …\n", sc.name)
		r, err := sc.run(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
		results = append(results, r)
	}
	t.report(stdout, results)
	return nil
}

// tool is one run: its options, its processes and what it learned.
type tool struct {
	o          options
	tmp        string
	log        io.Writer
	procs      []*exec.Cmd
	servers    []*exec.Cmd // the -instances serve processes
	helloProc  *exec.Cmd
	srv, hello *httpClient   // srv: the first instance, for setup
	srvs       []*httpClient // every instance; client i uses srvs[i%len(srvs)]
	env        setupInfo
}

// proc is the i-th serve process, nil when the tool did not start it.
func (t *tool) proc(i int) *exec.Cmd {
	if i < len(t.servers) {
		return t.servers[i]
	}
	return nil
}

// instance is the service client number client talks to: the instances
// in turn, so the clients are spread evenly over them.
func (t *tool) instance(client int) *httpClient { return t.srvs[client%len(t.srvs)] }

// startServers builds (unless -bin) and starts -instances serve processes
// on free loopback ports, all pinned to the server core, all on the one
// database; mail goes to files in tmp.
func (t *tool) startServers(ctx context.Context) ([]string, error) {
	bin := t.o.bin
	if bin == "" {
		bin = filepath.Join(t.tmp, "beslutsgang")
		fmt.Fprintln(t.log, "bygger cmd/beslutsgang …")
		build := exec.CommandContext(ctx, "go", "build", "-tags", buildTags(), "-o", bin, "github.com/kommun/beslutsgang/cmd/beslutsgang")
		build.Stdout, build.Stderr = t.log, t.log
		if err := build.Run(); err != nil {
			return nil, fmt.Errorf("go build: %w (kör verktyget från modulens katalog, eller ange -bin)", err)
		}
	}
	var addrs []string
	for range t.o.instances {
		addr, err := freePort()
		if err != nil {
			return nil, err
		}
		args := []string{"serve", "--db", t.o.db, "--addr", addr}
		if t.o.listCache >= 0 {
			args = append(args, "--list-cache", strconv.Itoa(t.o.listCache))
		}
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "BESLUTSGANG_MAIL_DIR="+filepath.Join(t.tmp, "mail"))
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		if err := startPinned(cmd, t.o.serverCPU); err != nil {
			return nil, fmt.Errorf("starta tjänsten: %w", err)
		}
		t.servers = append(t.servers, cmd)
		t.procs = append(t.procs, cmd)
		addrs = append(addrs, addr)
	}
	return addrs, nil
}

// startHello starts the bare Fiber server, pinned like the service.
func (t *tool) startHello(ctx context.Context) (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	cmd := exec.Command(self, "child", "-mode", "hello", "-addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	cmd.Stderr = t.log
	if err := startPinned(cmd, t.o.serverCPU); err != nil {
		return "", err
	}
	t.helloProc = cmd
	t.procs = append(t.procs, cmd)
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		io.Copy(io.Discard, out)
	}()
	select {
	case addr, ok := <-line:
		if !ok {
			return "", errors.New("hello-servern startade inte")
		}
		return addr, nil
	case <-time.After(30 * time.Second):
		return "", errors.New("hello-servern svarade inte inom 30 s")
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// waitHealthy waits (bounded) until the instance c (its process server,
// when the tool started it) answers /healthz.
func (t *tool) waitHealthy(ctx context.Context, c *httpClient, server *exec.Cmd, limit time.Duration) error {
	end := time.Now().Add(limit)
	for {
		err := c.do("GET", "/healthz", "", nil, 200, nil)
		if err == nil {
			return nil
		}
		if time.Now().After(end) {
			return fmt.Errorf("tjänsten svarade inte på /healthz inom %s: %v", limit, err)
		}
		if server != nil && server.ProcessState != nil {
			return errors.New("tjänsten avslutades innan den svarade")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// stopAll stops what the tool started: SIGTERM, then SIGKILL after 10 s.
func (t *tool) stopAll() {
	for _, cmd := range t.procs {
		if cmd.Process == nil {
			continue
		}
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}
}

func (t *tool) wanted(name string) bool {
	if t.o.only == "" {
		return true
	}
	for _, n := range strings.Split(t.o.only, ",") {
		if strings.TrimSpace(n) == name {
			return true
		}
	}
	return false
}

// lockedWriter lets several goroutines write to one writer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
