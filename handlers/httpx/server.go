// Package httpx is the HTTP plumbing the audiences of Beslutsgång share: the
// server every handler hangs off; who is logged in (bearer tokens, password
// logins within the login limits, the pages' sessions) and the CSRF guard;
// the check of input text and strict JSON decoding; problem+json errors,
// Read limits, paging links, and rendering pages in the layout; and what
// both the staff's API and pages serve (uploads, the meeting PDFs, the
// meeting plan, mail files, health checks).
package httpx

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/metrics"
	"github.com/kommun/beslutsgang/workflow"
)

// ExampleAccessibilityContact is the accessibility statement's address when
// none is set: an example (RFC 2606 keeps .example unused), for the demo.
const ExampleAccessibilityContact = "tillganglighet@kommun.example"

// Config is what the HTTP layer needs besides the store.
type Config struct {
	BaseURL string // for links in pages and mail, e.g. https://beslut.kommun.se
	MailDir string // where .eml files are written when no SMTP server is set; empty: none
	// ExportDir is where the admin page writes e-archive packages
	// (arkivleveranser), one folder per delivery; empty: the page starts none.
	ExportDir string
	// SecrecyGround is the lagrum on the restriction of each secret case in
	// the admin page's deliveries (serve --secrecy-ground); empty:
	// earchive.DefaultSecrecyGround.
	SecrecyGround string
	Log           *slog.Logger
	// The login limits, each per LoginWindow; zero means the default (see
	// logins.go for the numbers and why). LoginLimit is the failed logins an
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
	// JSONEncoder writes the JSON answers (fiber.Config.JSONEncoder); nil:
	// goccy/go-json's Marshal, which writes what encoding/json's does.
	JSONEncoder func(v any) ([]byte, error)
	// Leader reports whether this instance leads the scheduled work
	// (schedule.Scheduler.Leader), for /healthz; nil: it does not.
	Leader func() bool
	// AccessibilityContact is the e-mail address the accessibility
	// statement gives for reports of deficiencies and requests for content
	// in another format (lag 2018:1937 om tillgänglighet till digital
	// offentlig service, 15 §; serve --accessibility-contact); empty:
	// ExampleAccessibilityContact, an example that is no real address.
	AccessibilityContact string
	// FeedAuthority is the authority of the tag URIs (RFC 4151) that
	// identify the Atom feed's entries: a domain name or e-mail address the
	// kommun owns (--feed-authority). Empty: the host name of BaseURL when
	// that is a domain name (see public.FeedAuthority).
	FeedAuthority string
	// Metrics counts the requests (Observe); nil counts nothing.
	Metrics *metrics.Metrics
	// MetricsToken, when set, serves Metrics at /metrics on the main port
	// to requests with it as bearer token; empty: /metrics is not there
	// (serve it on its own address instead, --metrics-addr).
	MetricsToken string
}

// Server holds what every handler shares, whichever audience it serves.
type Server struct {
	Store  *db.Store
	Config Config
	public chan struct{} // the readers' share of public requests (read_limits.go)
	logins *limiter      // the brake on password guessing (logins.go)
	routeSet
}

// NewServer is the shared server over store; cfg has its defaults filled in
// (the login limits among them: see DefaultLoginLimit).
func NewServer(store *db.Store, cfg Config) *Server {
	return &Server{Store: store, Config: cfg, public: make(chan struct{}, publicReaders(store, cfg.PublicReaders)),
		logins: newLimiter(store, cfg)}
}

// Today is the store's current day in Stockholm.
func (s *Server) Today() workflow.Date { return workflow.Today(s.Store.Now()) }

// UserKey is the c.Locals key of the logged-in user (workflow.User), set by
// the token check of the API and the session of the pages.
const UserKey = "user"

// CurrentUser is the logged-in user set by the auth middleware (the zero
// User for an anonymous request).
func CurrentUser(c *fiber.Ctx) workflow.User {
	u, _ := c.Locals(UserKey).(workflow.User)
	return u
}
