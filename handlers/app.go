// Package handlers is the HTTP face of Beslutsgång: it wires the audiences'
// packages onto one Fiber app: the staff's JSON API under /api/v1 (api), the
// staff's pages (web) and the public side (public), over the shared plumbing
// of httpx.
package handlers

import (
	"cmp"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/api"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/handlers/public"
	"github.com/kommun/beslutsgang/handlers/web"
)

// Config is what the HTTP layer needs besides the store (httpx.Config).
type Config = httpx.Config

// New builds the Fiber app with every route.
func New(store *db.Store, cfg Config) *fiber.App {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	cfg.LoginLimit = cmp.Or(cfg.LoginLimit, httpx.DefaultLoginLimit)
	cfg.LoginAccountLimit = cmp.Or(cfg.LoginAccountLimit, httpx.DefaultLoginAccountLimit)
	cfg.LoginSprayLimit = cmp.Or(cfg.LoginSprayLimit, httpx.DefaultLoginSprayLimit)
	cfg.LoginWindow = cmp.Or(cfg.LoginWindow, httpx.DefaultLoginWindow)
	cfg.ReadDeadline = cmp.Or(cfg.ReadDeadline, httpx.DefaultReadDeadline)
	if cfg.JSONEncoder == nil {
		// goccy/go-json writes what encoding/json writes (a drop-in
		// replacement; TestJSONAnswersAsEncodingJSON), in about two thirds
		// of the time: a case's JSON was a fifth of a case read from the
		// cache (bench/load, December 2026).
		cfg.JSONEncoder = gojson.Marshal
	}
	s := httpx.NewServer(store, cfg)
	app := fiber.New(fiber.Config{
		AppName:               "Beslutsgång",
		ErrorHandler:          s.HandleError,
		BodyLimit:             int(db.MaxAttachmentSize) + 1<<20,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		// Case numbers may hold Å, Ä and Ö (MÖN-2026-1); clients send them
		// percent-encoded, and the store knows them decoded.
		UnescapePath: true,
		Views:        httpx.PageViews(),
		JSONEncoder:  cfg.JSONEncoder,
		// The client address comes from X-Forwarded-For only when a trusted
		// proxy sent it.
		EnableTrustedProxyCheck: len(cfg.TrustedProxies) > 0,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg.TrustedProxies),
	})
	app.Use(s.Observe)
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: logPanic}))
	app.Use(securityHeaders())
	app.Use(httpx.CheckInputText)
	app.Use(s.ReadDeadline)
	app.Get("/healthz", s.Healthz)
	app.Get("/readyz", s.Readyz)
	if cfg.Metrics != nil && cfg.MetricsToken != "" {
		app.Get("/metrics", s.MetricsAuth, adaptor.HTTPHandler(cfg.Metrics.Handler()))
	} else {
		// Not a page behind the login either: metrics are off here.
		app.Get("/metrics", func(*fiber.Ctx) error {
			return fiber.NewError(fiber.StatusNotFound, "Mätvärdena finns inte på den här adressen")
		})
	}
	p := public.New(s)
	p.Routes(app)
	api.New(s).Routes(app)
	pages := web.New(s)
	pages.RoutesDocuments(app)
	pages.Routes(app, p)
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

// logPanic logs a recovered panic with the request's id and route pattern.
func logPanic(c *fiber.Ctx, e any) {
	httpx.Log(c).Error("panic in handler", "method", c.Method(), "route", c.Route().Path, "panic", e)
}

// securityHeaders are helmet's headers with a policy that lets the pages load
// only their own stylesheet, script and images: no inline script or style.
// Referrer-Policy is same-origin, not no-referrer, because the CSRF check
// compares the Referer with the host over HTTPS.
func securityHeaders() fiber.Handler {
	return helmet.New(helmet.Config{
		ContentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
			"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
		ReferrerPolicy: "same-origin",
		XFrameOptions:  "DENY",
		HSTSMaxAge:     int((365 * 24 * time.Hour).Seconds()),
	})
}
