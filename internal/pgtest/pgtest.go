// Package pgtest gives tests a real PostgreSQL server on loopback.
//
// Start runs a private server (initdb + pg_ctl) in a temporary directory,
// listening only on 127.0.0.1, with durability switched off for speed. If
// the environment variable BESLUTSGANG_TEST_POSTGRES holds a postgres:// URL
// of an existing server (connecting as a superuser), that server is used
// instead and nothing is started.
//
// Most tests only need DatabaseURL, which shares one server per test binary.
// A package that uses it should stop that server from its TestMain:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		pgtest.Shutdown()
//		os.Exit(code)
//	}
//
// A missing PostgreSQL is an error, never a reason to skip: install Debian's
// postgresql package or set BESLUTSGANG_TEST_POSTGRES.
//
// PostgreSQL refuses to run as root, so when the tests run as root the
// server is run as the "postgres" system user (via runuser).
//
// If a test binary dies without calling Shutdown (a panic, a -timeout), its
// server keeps running; the next Start on the same machine stops such
// servers and removes their directories.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the environment variable that, when set to the postgres://
// URL of an existing server, makes Start use that server.
const EnvURL = "BESLUTSGANG_TEST_POSTGRES"

// dbPrefix starts the name of every database NewDatabase creates;
// DropDatabase refuses to drop any other.
const dbPrefix = "pgtest_"

// dirPrefix starts the name of the temporary directory of every server
// Start starts.
const dirPrefix = "pgtest-"

// startTimeout bounds how long Start waits for the server to accept
// connections.
const startTimeout = 30 * time.Second

// Server is a private PostgreSQL server for one test binary, or an external
// server named by BESLUTSGANG_TEST_POSTGRES.
type Server struct {
	adminURL string // URL of the "postgres" database (or the external URL)
	external bool   // true if the server was not started by Start

	// The rest is only set for a server Start started.
	dir    string // temporary directory holding everything below
	data   string // data directory
	logf   string // server log file
	binDir string // directory of initdb and pg_ctl
	runAs  string // system user to run PostgreSQL as, "" for the current one
	port   int

	stopOnce sync.Once
	stopErr  error
}

// Start finds initdb and pg_ctl (on PATH, else in the highest version of
// /usr/lib/postgresql/*/bin), creates a cluster in a new temporary directory
// (superuser "postgres", trust authentication, UTF8, C locale) and starts a
// server listening only on 127.0.0.1 on a free port, with its unix socket in
// the temporary directory and fsync, synchronous_commit and
// full_page_writes off. It returns once the server accepts connections, or
// an error after 30 seconds; a startup error includes the tail of the
// server's log.
//
// If BESLUTSGANG_TEST_POSTGRES is set, Start only checks that it can connect
// to that server and starts nothing.
//
// The caller must call Stop.
func Start() (*Server, error) {
	if raw := os.Getenv(EnvURL); raw != "" {
		return startExternal(raw)
	}

	binDir, err := findBinDir()
	if err != nil {
		return nil, err
	}
	s := &Server{binDir: binDir}
	var uid, gid int = -1, -1
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("pgtest: running as root, and PostgreSQL refuses to run as root, but there is no \"postgres\" system user to run it as (%v): install Debian's postgresql package (apt-get install postgresql) or set %s", err, EnvURL)
		}
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
		s.runAs = "postgres"
	}

	reapStale(binDir, s.runAs)

	s.dir, err = os.MkdirTemp("", dirPrefix)
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(s.dir)
		}
	}()
	if err := writeOwner(s.dir); err != nil {
		return nil, err
	}
	if s.runAs != "" {
		if err := os.Chown(s.dir, uid, gid); err != nil {
			return nil, fmt.Errorf("pgtest: %w", err)
		}
	}
	s.data = filepath.Join(s.dir, "data")
	s.logf = filepath.Join(s.dir, "server.log")

	if out, err := s.pgCommand("initdb",
		"-D", s.data, "-U", "postgres", "--auth=trust",
		"--encoding=UTF8", "--no-locale", "--no-sync",
	).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pgtest: initdb in %s failed: %v\n%s", s.dir, err, out)
	}

	// The socket path must fit in sockaddr_un (107 bytes); the package
	// itself only uses TCP, so with a very long TMPDIR go without a socket.
	sockDir := s.dir
	if len(sockDir)+len("/.s.PGSQL.65535") > 100 {
		sockDir = ""
	}
	conf := fmt.Sprintf(`
# Added by pgtest: a throwaway server for tests.
listen_addresses = '127.0.0.1'
unix_socket_directories = '%s'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
`, strings.ReplaceAll(sockDir, "'", "''"))
	if err := appendFile(filepath.Join(s.data, "postgresql.conf"), conf); err != nil {
		return nil, err
	}

	// Another process may take the free port between picking and binding
	// it; then try again with another one.
	for attempt := 1; ; attempt++ {
		s.port, err = freePort()
		if err != nil {
			return nil, err
		}
		if err := appendFile(filepath.Join(s.data, "postgresql.conf"), fmt.Sprintf("port = %d\n", s.port)); err != nil {
			return nil, err
		}
		out, err := s.pgCommand("pg_ctl", "start", "-D", s.data, "-l", s.logf,
			"-w", "-t", strconv.Itoa(int(startTimeout/time.Second))).CombinedOutput()
		if err == nil {
			break
		}
		s.pgCommand("pg_ctl", "stop", "-D", s.data, "-m", "immediate", "-w").Run()
		log := s.logTail()
		if attempt < 3 && strings.Contains(log, "could not bind") {
			continue
		}
		return nil, fmt.Errorf("pgtest: starting PostgreSQL in %s failed: %v\n%s\nserver log (tail):\n%s", s.dir, err, out, log)
	}

	s.adminURL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
	if err := waitReady(s.adminURL); err != nil {
		s.pgCommand("pg_ctl", "stop", "-D", s.data, "-m", "immediate", "-w").Run()
		return nil, fmt.Errorf("pgtest: PostgreSQL in %s does not accept connections: %v\nserver log (tail):\n%s", s.dir, err, s.logTail())
	}
	ok = true
	return s, nil
}

// startExternal returns a Server for the existing server at raw.
func startExternal(raw string) (*Server, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("pgtest: %s must be a postgres:// URL, is %q", EnvURL, raw)
	}
	if err := waitReady(raw); err != nil {
		return nil, fmt.Errorf("pgtest: cannot connect to %s=%s: %v", EnvURL, u.Redacted(), err)
	}
	return &Server{adminURL: raw, external: true}, nil
}

// Stop stops a server Start started (pg_ctl stop -m immediate) and removes
// its directory. For an external server it does nothing. Calling it again
// returns the first call's result.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		if s.external {
			return
		}
		out, err := s.pgCommand("pg_ctl", "stop", "-D", s.data, "-m", "immediate", "-w").CombinedOutput()
		if err != nil {
			s.stopErr = fmt.Errorf("pgtest: stopping PostgreSQL in %s failed: %v\n%s", s.dir, err, out)
			return
		}
		if err := os.RemoveAll(s.dir); err != nil {
			s.stopErr = fmt.Errorf("pgtest: %w", err)
		}
	})
	return s.stopErr
}

// URL returns the URL of the server's "postgres" database, for admin work.
// For an external server it is the value of BESLUTSGANG_TEST_POSTGRES.
func (s *Server) URL() string { return s.adminURL }

// NewDatabase creates a fresh, empty database with a unique name (from
// template0, encoding UTF8, collation and character type C) and returns its
// postgres:// URL. It is safe for concurrent use.
func (s *Server) NewDatabase(ctx context.Context) (string, error) {
	var b [8]byte
	rand.Read(b[:])
	name := dbPrefix + hex.EncodeToString(b[:])
	conn, err := pgx.Connect(ctx, s.adminURL)
	if err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+
		" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"); err != nil {
		return "", fmt.Errorf("pgtest: creating database %s: %w", name, err)
	}
	return s.databaseURL(name), nil
}

// DropDatabase drops a database NewDatabase created, given its URL,
// disconnecting its sessions (WITH (FORCE), PostgreSQL 13 and later). It is
// not an error if the database no longer exists; it is one if the URL does
// not name a database NewDatabase could have created.
func (s *Server) DropDatabase(ctx context.Context, dbURL string) error {
	u, err := url.Parse(dbURL)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if !strings.HasPrefix(name, dbPrefix) {
		return fmt.Errorf("pgtest: refusing to drop %q: not a database made by NewDatabase", name)
	}
	conn, err := pgx.Connect(ctx, s.adminURL)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("pgtest: dropping database %s: %w", name, err)
	}
	return nil
}

// databaseURL returns the URL of the database name on s.
func (s *Server) databaseURL(name string) string {
	if !s.external {
		return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, name)
	}
	u, _ := url.Parse(s.adminURL) // parsed in startExternal
	u.Path = "/" + name
	u.RawPath = ""
	return u.String()
}

var shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Shared returns the one Server of this process, starting it with Start on
// the first call, or the error that first call got. It stays running until
// Shutdown; a test binary that uses it should call Shutdown from TestMain.
func Shared() (*Server, error) {
	shared.once.Do(func() { shared.srv, shared.err = Start() })
	return shared.srv, shared.err
}

// Shutdown stops the Server of Shared if it was started. Shared must not be
// called after Shutdown; it then returns an error.
func Shutdown() error {
	shared.once.Do(func() { shared.err = errors.New("pgtest: Shared called after Shutdown") })
	if shared.srv == nil {
		return nil
	}
	return shared.srv.Stop()
}

// DatabaseURL returns the URL of a new, empty database on the Shared server,
// dropped when t and its subtests finish. It fails t, never skips it, if
// there is no server.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	s, err := Shared()
	if err != nil {
		t.Fatal(err)
	}
	dbURL, err := s.NewDatabase(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.DropDatabase(ctx, dbURL); err != nil {
			t.Error(err)
		}
	})
	return dbURL
}

// findBinDir returns the directory holding both initdb and pg_ctl.
func findBinDir() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		dir := filepath.Dir(p)
		if isExecutable(filepath.Join(dir, "initdb")) {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		return versionLess(filepath.Base(filepath.Dir(dirs[j])), filepath.Base(filepath.Dir(dirs[i])))
	})
	for _, dir := range dirs {
		if isExecutable(filepath.Join(dir, "pg_ctl")) && isExecutable(filepath.Join(dir, "initdb")) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("pgtest: PostgreSQL not found (no initdb and pg_ctl on PATH or in /usr/lib/postgresql/*/bin): install Debian's postgresql package (apt-get install postgresql) or set %s to the postgres:// URL of a server", EnvURL)
}

// versionLess reports whether version a ("9.6", "15") is lower than b.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

// isExecutable reports whether path is an executable regular file.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// pgCommand returns a command running the PostgreSQL program name from
// s.binDir, as s.runAs if set, in s.dir, with the C locale so that messages
// are in English.
func (s *Server) pgCommand(name string, args ...string) *exec.Cmd {
	return pgCommand(s.binDir, s.runAs, s.dir, name, args...)
}

// pgCommand returns a command running the PostgreSQL program name from
// binDir, as runAs if not "", in dir.
func pgCommand(binDir, runAs, dir, name string, args ...string) *exec.Cmd {
	path := filepath.Join(binDir, name)
	var cmd *exec.Cmd
	if runAs == "" {
		cmd = exec.Command(path, args...)
	} else {
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			runuser = "/usr/sbin/runuser"
		}
		cmd = exec.Command(runuser, append([]string{"-u", runAs, "--", path}, args...)...)
	}
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANG=C")
	// pg_ctl start leaves the server running; should it keep our output
	// pipes open, do not wait for it forever.
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// logTail returns the last lines of the server log.
func (s *Server) logTail() string {
	b, err := os.ReadFile(s.logf)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return strings.Join(lines, "\n")
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady waits until the server at dbURL answers a ping, for at most
// startTimeout.
func waitReady(dbURL string) error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		err := ping(ctx, dbURL)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// ping connects to dbURL and pings the server.
func ping(ctx context.Context, dbURL string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.Ping(ctx)
}

// appendFile appends text to the existing file path.
func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return fmt.Errorf("pgtest: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	return nil
}

// ownerFile names the file in a server's directory that records the process
// that started it, as "pid hostname".
const ownerFile = "owner"

// writeOwner records the current process as the owner of dir.
func writeOwner(dir string) error {
	host, _ := os.Hostname()
	err := os.WriteFile(filepath.Join(dir, ownerFile), fmt.Appendf(nil, "%d %s\n", os.Getpid(), host), 0o644)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	return nil
}

var ownerRE = regexp.MustCompile(`^(\d+) (.*)\n$`)

// reapStale stops the servers, and removes the directories, that Start left
// behind in test binaries that have since died without calling Stop. Only
// directories recorded as started on this host by a process that no longer
// exists are touched; failures are ignored.
func reapStale(binDir, runAs string) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	host, _ := os.Hostname()
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		m := ownerRE.FindSubmatch(b)
		if m == nil || string(m[2]) != host {
			continue
		}
		pid, err := strconv.Atoi(string(m[1]))
		if err != nil || processAlive(pid) {
			continue
		}
		data := filepath.Join(dir, "data")
		if _, err := os.Stat(filepath.Join(data, "postmaster.pid")); err == nil {
			pgCommand(binDir, runAs, dir, "pg_ctl", "stop", "-D", data, "-m", "immediate", "-w").Run()
		}
		os.RemoveAll(dir)
	}
}

// processAlive reports whether a process with the given id exists.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || !(errors.Is(err, os.ErrProcessDone) || errors.Is(err, syscall.ESRCH))
}

// EngineEnv names the environment variable that chooses the engine of a
// test run: "postgres" for PostgreSQL, anything else SQLite.
const EngineEnv = "BESLUTSGANG_TEST_ENGINE"

// DSN is a new, empty database for one test on the engine EngineEnv names:
// a SQLite file called name in t.TempDir(), or a fresh PostgreSQL database
// (DatabaseURL).
func DSN(t testing.TB, name string) string {
	t.Helper()
	if os.Getenv(EngineEnv) == "postgres" {
		return DatabaseURL(t)
	}
	return filepath.Join(t.TempDir(), name)
}

// Run runs a test binary's tests and then stops the shared server, for a
// TestMain: os.Exit(pgtest.Run(m)).
func Run(m *testing.M) int {
	code := m.Run()
	if err := Shutdown(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
	}
	return code
}
