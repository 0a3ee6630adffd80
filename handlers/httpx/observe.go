package httpx

import (
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/observe"
)

// RequestIDKey is the c.Locals key of the request's id (Observe).
const RequestIDKey = "request_id"

// Observe is the app's outermost middleware. It gives the request its id:
// a well-formed X-Request-Id from the client or a proxy
// (observe.ValidRequestID), else a new one; the id is sent back in
// X-Request-Id, rides in the request's context to every log line (Log) and
// to the audit events the request writes (db, events.request_id). When the
// request is answered it is counted in the metrics by its route pattern and
// status, and logged in one line (at debug level for a health check or a
// scrape that succeeded): method, route pattern, status and duration, never
// the path itself (a personal calendar feed carries its token in the path)
// nor the query (a search's words).
func (s *Server) Observe(c *fiber.Ctx) error {
	id := c.Get(observe.HeaderRequestID)
	if observe.ValidRequestID(id) {
		id = strings.Clone(id) // fasthttp reuses the header's bytes
	} else {
		id = observe.NewRequestID()
	}
	c.Set(observe.HeaderRequestID, id)
	c.Locals(RequestIDKey, id)
	c.Locals(serverKey, s)
	c.SetUserContext(observe.WithRequestID(c.UserContext(), id))
	start := time.Now()
	if err := c.Next(); err != nil {
		// Answer the error here, so its status is what is counted.
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	took := time.Since(start)
	status := c.Response().StatusCode()
	route := s.RouteLabel(c)
	// The metrics keep their label values: no string over fasthttp's
	// reused buffers.
	method := strings.Clone(c.Method())
	s.Config.Metrics.Request(method, route, status, took)
	level := slog.LevelInfo
	if probes[route] && status < 400 {
		level = slog.LevelDebug // a load balancer's or Prometheus' every few seconds
	}
	Log(c).Log(c.UserContext(), level, "request", "method", method, "route", route, "status", status,
		"duration_ms", float64(took.Microseconds())/1000)
	return nil
}

// probes are the routes machines ask all the time; their answers are
// logged at debug level unless they fail.
var probes = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// Log is the server's logger with the request's id on every line.
func Log(c *fiber.Ctx) *slog.Logger {
	log := slog.Default()
	if s, ok := c.Locals(serverKey).(*Server); ok {
		log = s.Config.Log
	}
	return observe.Logger(log, c.UserContext())
}

// serverKey is the c.Locals key of the Server, set by Observe so Log finds
// the configured logger.
const serverKey = "httpx.server"

// RouteLabel is the route pattern the request matched, as registered
// (/cases/:number), for metrics and logs: never the raw path, so no case
// number, token or title reaches a label. A request that matched no route
// (only middleware, such as the pages' or the API's not-found handler) is
// "unmatched" when answered 404, else the middleware's prefix.
func (s *Server) RouteLabel(c *fiber.Ctx) string {
	s.routesOnce.Do(func() {
		// A route's copy from GetRoutes shares its Handlers array with the
		// route itself, which tells the routes from the middleware.
		s.routes = map[*fiber.Handler]bool{}
		for _, r := range c.App().GetRoutes(true) {
			if len(r.Handlers) > 0 {
				s.routes[&r.Handlers[0]] = true
			}
		}
	})
	r := c.Route()
	if len(r.Handlers) > 0 && s.routes[&r.Handlers[0]] {
		return r.Path
	}
	if c.Response().StatusCode() == fiber.StatusNotFound {
		return "unmatched"
	}
	return r.Path
}

// MetricsAuth lets a request to /metrics on the main port through only with
// the configured token as a bearer token (RFC 6750), compared in constant
// time; any other is 401.
func (s *Server) MetricsAuth(c *fiber.Ctx) error {
	got := BearerToken(c)
	want := sha256.Sum256([]byte(s.Config.MetricsToken))
	have := sha256.Sum256([]byte(got))
	if got == "" || s.Config.MetricsToken == "" || subtle.ConstantTimeCompare(want[:], have[:]) != 1 {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
		return WriteProblem(c, Problem{Type: "about:blank", Title: Titles[fiber.StatusUnauthorized], Status: fiber.StatusUnauthorized,
			Detail: "Mätvärdena kräver mättoken (--metrics-token) som Bearer-token i Authorization", Instance: "/metrics"})
	}
	return c.Next()
}

// routeSet is embedded in Server: the handler arrays of the app's routes
// (RouteLabel).
type routeSet struct {
	routesOnce sync.Once
	routes     map[*fiber.Handler]bool
}
