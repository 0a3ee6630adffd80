// Package handlers is the HTTP face of Beslutsgång: the JSON API under /api/v1
// and the Swedish web pages, on one Fiber app.
package handlers

import (
	"cmp"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/kommun/beslutsgang/db"
)

// Config is what the HTTP layer needs besides the store.
type Config struct {
	BaseURL string // for links in pages and mail, e.g. https://beslut.kommun.se
	MailDir string // where .eml files are written when no SMTP server is set; empty: none
	Log     *slog.Logger
	// The login limits, each per LoginWindow; zero means the default (see
	// limiter.go for the numbers and why). LoginLimit is the failed logins an
	// account gets from one address, LoginAccountLimit those it gets from all
	// addresses together, and LoginSprayLimit how many distinct accounts may
	// fail from one address.
	LoginLimit        int
	LoginAccountLimit int
	LoginSprayLimit   int
	LoginWindow       time.Duration
	// TrustedProxies are the addresses (IP or CIDR) of reverse proxies whose
	// X-Forwarded-For names the client; without them every client behind a
	// proxy shares the proxy's address, and its login limit.
	TrustedProxies []string
	// ReadDeadline bounds the database work of one GET request; 0 is
	// DefaultReadDeadline. PublicReaders is how many public requests (diary,
	// calendar feeds) may read at once; 0 is half the store's readers.
	ReadDeadline  time.Duration
	PublicReaders int
	// Leader reports whether this instance leads the scheduled work
	// (schedule.Scheduler.Leader), for /healthz; nil: it does not.
	Leader func() bool
}

// Server holds what every handler shares.
type Server struct {
	store  *db.Store
	cfg    Config
	logins *limiter
	public chan struct{} // the readers' share of public requests (read_limits.go)
}

// New builds the Fiber app with every route.
func New(store *db.Store, cfg Config) *fiber.App {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	cfg.LoginLimit = cmp.Or(cfg.LoginLimit, DefaultLoginLimit)
	cfg.LoginAccountLimit = cmp.Or(cfg.LoginAccountLimit, DefaultLoginAccountLimit)
	cfg.LoginSprayLimit = cmp.Or(cfg.LoginSprayLimit, DefaultLoginSprayLimit)
	cfg.LoginWindow = cmp.Or(cfg.LoginWindow, DefaultLoginWindow)
	cfg.ReadDeadline = cmp.Or(cfg.ReadDeadline, DefaultReadDeadline)
	s := &Server{store: store, cfg: cfg, logins: newLimiter(store, cfg),
		public: make(chan struct{}, publicReaders(store, cfg.PublicReaders))}
	app := fiber.New(fiber.Config{
		AppName:               "Beslutsgång",
		ErrorHandler:          s.handleError,
		BodyLimit:             int(db.MaxAttachmentSize) + 1<<20,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		// Case numbers may hold Å, Ä and Ö (MÖN-2026-1); clients send them
		// percent-encoded, and the store knows them decoded.
		UnescapePath: true,
		Views:        pageViews(),
		// The client address comes from X-Forwarded-For only when a trusted
		// proxy sent it.
		EnableTrustedProxyCheck: len(cfg.TrustedProxies) > 0,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg.TrustedProxies),
	})
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: s.logPanic}))
	app.Use(securityHeaders())
	app.Use(checkInputText)
	app.Use(s.readDeadline)
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	s.routesCalendar(app)
	s.routesDiary(app)
	s.routesOParl(app)
	s.routesAPI(app)
	s.routesMeetingDocuments(app)
	s.routesUI(app)
	return app
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// ParseTrustedProxies checks a comma-separated list of IP addresses and CIDR ranges.
func ParseTrustedProxies(list string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return nil, fmt.Errorf("%q är varken en IP-adress eller ett CIDR-intervall", p)
		}
		out = append(out, p)
	}
	return out, nil
}

func (s *Server) logPanic(c *fiber.Ctx, e any) {
	s.cfg.Log.Error("panic in handler", "method", c.Method(), "path", c.Path(), "panic", e)
}

// healthz says whether this instance answers and its database too, and
// whether it leads the scheduled work (schedule/leader.go).
func (s *Server) healthz(c *fiber.Ctx) error {
	if err := s.store.Ping(c.UserContext()); err != nil {
		return fiber.NewError(fiber.StatusServiceUnavailable, "Databasen svarar inte")
	}
	v, err := s.store.SchemaVersion(c.UserContext())
	if err != nil {
		return err
	}
	leader := s.cfg.Leader != nil && s.cfg.Leader()
	return c.JSON(fiber.Map{"status": "ok", "schema_version": v, "engine": s.store.Engine().String(), "leader": leader})
}

// readyz says whether this instance may take requests: its database answers
// and has this program's whole schema. The port opens only after Open has
// migrated, so while migrations run (on this instance or, on PostgreSQL,
// another one that holds the migration lock) a load balancer's check of
// /readyz fails; an instance of an older program on a newer schema is ready.
func (s *Server) readyz(c *fiber.Ctx) error {
	if err := s.store.Ping(c.UserContext()); err != nil {
		return fiber.NewError(fiber.StatusServiceUnavailable, "Databasen svarar inte")
	}
	ok, err := s.store.Migrated(c.UserContext())
	if err != nil {
		return err
	}
	if !ok {
		return fiber.NewError(fiber.StatusServiceUnavailable, "Databasens schema är inte uppdaterat")
	}
	return c.JSON(fiber.Map{"status": "ready"})
}
