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
	"github.com/kommun/beslutsgang/handlers/api"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/handlers/public"
)

// Config is what the HTTP layer needs besides the store (httpx.Config).
type Config = httpx.Config

// Server holds what the staff API and pages share: the audiences' common
// server.
type Server struct {
	*httpx.Server
}

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
	s := &Server{Server: httpx.NewServer(store, cfg)}
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
		// The client address comes from X-Forwarded-For only when a trusted
		// proxy sent it.
		EnableTrustedProxyCheck: len(cfg.TrustedProxies) > 0,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg.TrustedProxies),
	})
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: s.logPanic}))
	app.Use(securityHeaders())
	app.Use(httpx.CheckInputText)
	app.Use(s.ReadDeadline)
	app.Get("/healthz", s.Healthz)
	app.Get("/readyz", s.Readyz)
	p := public.New(s.Server)
	p.Routes(app)
	api.New(s.Server).Routes(app)
	s.routesMeetingDocuments(app)
	s.routesUI(app, p)
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
	s.Config.Log.Error("panic in handler", "method", c.Method(), "path", c.Path(), "panic", e)
}
