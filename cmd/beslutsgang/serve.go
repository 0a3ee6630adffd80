package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/mail"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/demo"
	"github.com/kommun/beslutsgang/handlers"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/handlers/public"
	"github.com/kommun/beslutsgang/metrics"
	"github.com/kommun/beslutsgang/observe"
	"github.com/kommun/beslutsgang/schedule"
	"github.com/kommun/beslutsgang/workflow"
)

func cmdServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	f := newFlags("serve", stderr)
	addr := f.String("addr", env("ADDR", "127.0.0.1:8080"), "adress att lyssna på (BESLUTSGANG_ADDR)")
	proxies := f.String("trusted-proxies", env("TRUSTED_PROXIES", ""), "omvända proxyer (IP eller CIDR, kommaseparerade) vars X-Forwarded-For anger klientens adress (BESLUTSGANG_TRUSTED_PROXIES)")
	baseURL := f.String("base-url", env("BASE_URL", ""), "tjänstens publika adress för länkar (BESLUTSGANG_BASE_URL); utan: http://ADDR")
	ground := secrecyGroundFlag(f)
	exportDir := f.String("export-dir", env("EXPORT_DIR", ""), "mapp för arkivleveranser som startas från administrationssidan (BESLUTSGANG_EXPORT_DIR); utan: arkivleveranser/ bredvid en SQLite-databas, annars i arbetsmappen")
	feedAuthority := f.String("feed-authority", env("FEED_AUTHORITY", ""), "domännamn eller e-postadress som anslagstavlans Atom-flöde identifierar sina poster med (tag-URI, RFC 4151; BESLUTSGANG_FEED_AUTHORITY); utan: --base-url:s domännamn")
	contact := f.String("accessibility-contact", env("ACCESSIBILITY_CONTACT", ""), "e-postadress som tillgänglighetsredogörelsen anger för att rapportera brister (BESLUTSGANG_ACCESSIBILITY_CONTACT); utan: --mail-from:s adress")
	listCacheFlag := f.String("list-cache", env("LIST_CACHE", env("SEARCH_CACHE", strconv.Itoa(db.DefaultListCachePages))), "så många sidor av ärendelistan, diariet och deras sökträffar som hålls i minnet tills databasen ändras, utöver ärenden som personalen läser (BESLUTSGANG_LIST_CACHE); 0: inga sidor och inga ärenden")
	oldListCache := f.String("search-cache", "", "äldre namn på --list-cache (BESLUTSGANG_SEARCH_CACHE)")
	withDemo := f.Bool("demo", envBool("DEMO"), "fyll en tom databas med demodata (BESLUTSGANG_DEMO=1)")
	metricsAddr := f.String("metrics-addr", env("METRICS_ADDR", ""), "egen adress för /metrics, t.ex. 127.0.0.1:9464 (BESLUTSGANG_METRICS_ADDR); utan: inga mätvärden där")
	profiles := f.Bool("pprof", envBool("PPROF"), "visa Go:s profiler under /debug/pprof/ på --metrics-addr (BESLUTSGANG_PPROF=1); den som når adressen kan starta profiler")
	metricsToken := f.String("metrics-token", env("METRICS_TOKEN", ""), "token som ger /metrics på huvudadressen som Bearer-token (BESLUTSGANG_METRICS_TOKEN); utan: /metrics finns inte där")
	logFormat := f.logFlag()
	mf := addMailFlags(f)
	if err := f.parse(args, 0); err != nil {
		return err
	}
	for _, b := range [][2]string{{"demo", "DEMO"}, {"pprof", "PPROF"}} {
		if err := f.badEnvBool(b[0], b[1]); err != nil {
			return err
		}
	}
	// Log lines go out in batches from a goroutine of their own: a request
	// does not wait for its line's write(2).
	lines := observe.NewBatchWriter(stderr)
	defer lines.Close()
	log, err := logger(lines, *logFormat, slog.LevelInfo)
	if err != nil {
		return err
	}
	trusted, err := handlers.ParseTrustedProxies(*proxies)
	if err != nil {
		return exitError{2, "--trusted-proxies: " + err.Error()}
	}
	if *feedAuthority != "" {
		if err := public.CheckFeedAuthority(*feedAuthority); err != nil {
			return exitError{2, "--feed-authority: " + err.Error()}
		}
	}
	if err := checkAddr(*addr); err != nil {
		return exitError{2, "--addr: " + err.Error()}
	}
	if *contact != "" {
		addr, err := workflow.CheckEmail(*contact)
		if err != nil {
			return exitError{2, "--accessibility-contact: " + err.Error()}
		}
		*contact = addr
	}
	// Where the value came from, to name it in a refusal.
	listCacheName := "--list-cache"
	switch fromEnv := !f.given("list-cache"); {
	case *oldListCache != "" && !fromEnv:
		return exitError{2, "--search-cache är ett äldre namn på --list-cache; ange bara en av dem"}
	case *oldListCache != "":
		listCacheName, *listCacheFlag = "--search-cache", *oldListCache
	case fromEnv && env("LIST_CACHE", "") != "" && env("SEARCH_CACHE", "") != "":
		return exitError{2, "BESLUTSGANG_SEARCH_CACHE är ett äldre namn på BESLUTSGANG_LIST_CACHE; ange bara en av dem"}
	case fromEnv && env("LIST_CACHE", "") != "":
		listCacheName = "BESLUTSGANG_LIST_CACHE"
	case fromEnv && env("SEARCH_CACHE", "") != "":
		listCacheName = "BESLUTSGANG_SEARCH_CACHE"
	}
	listCache, err := strconv.Atoi(strings.TrimSpace(*listCacheFlag))
	if err != nil || listCache < 0 || listCache > 100_000 {
		return exitError{2, fmt.Sprintf("%s: %q är inget antal sidor; ange 0–100000 (0: ingen)", listCacheName, *listCacheFlag)}
	}
	if *metricsAddr != "" {
		if err := checkAddr(*metricsAddr); err != nil {
			return exitError{2, "--metrics-addr: " + err.Error()}
		}
	}
	if *profiles && *metricsAddr == "" {
		return exitError{2, "--pprof: profilerna visas bara på --metrics-addr; ange den också"}
	}
	if *metricsToken != "" && len(*metricsToken) < 16 {
		return exitError{2, "--metrics-token: en token ska ha minst 16 tecken"}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("lyssna på %s: %w", *addr, err)
	}
	defer ln.Close()
	var mln net.Listener
	if *metricsAddr != "" {
		if mln, err = net.Listen("tcp", *metricsAddr); err != nil {
			return fmt.Errorf("lyssna på %s (--metrics-addr): %w", *metricsAddr, err)
		}
		defer mln.Close()
	}
	if *baseURL == "" {
		*baseURL = "http://" + ln.Addr().String()
	}
	// Mail settings are checked before the database is opened: a bad one
	// changes nothing.
	ms, err := mf.check(*baseURL)
	if err != nil {
		return err
	}
	accessibility := accessibilityContact(*contact, *mf.from) // as given: not the .eml files' default
	s, err := f.open()
	if err != nil {
		return err
	}
	defer s.Close()
	s.Log = log
	s.ListCachePages = listCache
	if listCache == 0 {
		s.ListCachePages = -1
	}
	if !s.FullTextSearch() {
		log.Warn("fulltextsökning kräver byggtaggen sqlite_fts5 (go run -tags sqlite_fts5 ...); utan den söker listorna bara i diarienummer och rubrik")
	}
	if *withDemo {
		seeded, err := demo.Seed(ctx, s)
		if err != nil {
			return err
		}
		if seeded {
			fmt.Fprintln(stdout, "Demodata skapad.")
		}
	}
	if err := ms.deliver(s, log); err != nil {
		return err
	}
	s.Composer = ms.composer
	m := metrics.New(s, log)
	s.Actions = m.Action
	sched, err := schedule.New(schedule.Config{Store: s, Composer: ms.composer, Delivery: ms.delivery,
		ManagerAddress: ms.escalate, Log: log, Observer: m})
	if err != nil {
		return err
	}
	sched.Start()
	defer func() {
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		sched.Stop(stop)
	}()
	secrecyGround, err := checkSecrecyGround("serve", *ground)
	if err != nil {
		return err
	}
	if *exportDir == "" {
		*exportDir = "arkivleveranser"
		if db.EngineOf(*f.db) == db.SQLite {
			*exportDir = filepath.Join(filepath.Dir(strings.TrimPrefix(*f.db, "sqlite:")), "arkivleveranser")
		}
	}
	app := handlers.New(s, handlers.Config{BaseURL: *baseURL, MailDir: ms.dir, Log: log, TrustedProxies: trusted,
		Leader: sched.Leader, ExportDir: *exportDir, SecrecyGround: secrecyGround, FeedAuthority: *feedAuthority,
		Metrics: m, MetricsToken: *metricsToken, AccessibilityContact: accessibility})
	if accessibility == "" {
		log.Warn("tillgänglighetsredogörelsen anger exempeladressen " + httpx.ExampleAccessibilityContact +
			"; ange kommunens adress med --accessibility-contact (lag 2018:1937, 15 §)")
	}
	if mln != nil {
		ms := serveMetrics(mln, m, *profiles, log)
		defer ms.Close()
		fmt.Fprintf(stdout, "Mätvärden på http://%s/metrics\n", mln.Addr())
	}
	fmt.Fprintf(stdout, "Beslutsgång kör på %s (databas %s)\n", *baseURL, s.Name())
	if ms.dir != "" {
		fmt.Fprintf(stdout, "Ingen SMTP-server angiven: e-post sparas som .eml-filer i %s\n", ms.dir)
	} else {
		fmt.Fprintf(stdout, "E-post skickas via %s\n", ms.smtp)
	}
	if *withDemo {
		fmt.Fprintf(stdout, "Demoinloggningar (lösenord %q):\n", demo.Password)
		for _, l := range demo.Logins {
			fmt.Fprintf(stdout, "  %-40s %s\n", l.Email, l.Role)
		}
	}
	done := make(chan error, 1)
	go func() { done <- app.Listener(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	log.Info("stopping")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return app.ShutdownWithContext(shutdown)
}

// serveMetrics serves m at /metrics on ln (--metrics-addr); with profiles
// (--pprof) Go's runtime profiles at /debug/pprof/ too (net/http/pprof,
// never on the main port: anyone who reaches them can make the service
// spend a core on profiling); nothing else there (404).
func serveMetrics(ln net.Listener, m *metrics.Metrics, profiles bool, log *slog.Logger) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	if profiles {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener stopped", "err", err)
		}
	}()
	return srv
}

// checkAddr says what is wrong with a listen address written as HOST:PORT
// (net.JoinHostPort's form; the host may be empty), before anything is
// opened. An address that is well formed but taken fails later, at listen.
func checkAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q är ingen adress av formen VÄRD:PORT, t.ex. 127.0.0.1:8080", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("porten %q i %q ska vara ett tal 0–65535", port, addr)
	}
	if host != "" && net.ParseIP(host) == nil && !validHostName(host) {
		return fmt.Errorf("värden %q i %q är varken en IP-adress eller ett värdnamn", host, addr)
	}
	return nil
}

// validHostName accepts the letters, digits, dots and hyphens of a DNS name
// (RFC 1123).
func validHostName(h string) bool {
	for _, r := range h {
		if !(r == '.' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return len(h) <= 253
}

// accessibilityContact is the address the accessibility statement gives:
// the flag's (checked already), else the address of --mail-from, else ""
// (the example).
func accessibilityContact(flag, from string) string {
	if flag != "" {
		return flag
	}
	if a, err := mail.ParseAddress(from); err == nil {
		return a.Address
	}
	return ""
}
