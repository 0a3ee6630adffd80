// Package public is what Beslutsgång shows everyone without a login: the
// public diary (page and JSON), the digital anslagstavla and its Atom feed,
// the protokoll published on the web, OParl 1.1, and the calendar feeds.
package public

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
)

// Server answers the public's requests.
type Server struct {
	*httpx.Server
}

// New is the public side over the shared server s.
func New(s *httpx.Server) *Server { return &Server{Server: s} }

// Routes registers the feeds and the public JSON: the calendar feeds, the
// diary's API and OParl. They go on the app before the staff API.
func (s *Server) Routes(app *fiber.App) {
	s.routesCalendar(app)
	s.routesDiary(app)
	s.routesOParl(app)
}

// RoutesPages registers the public pages on the pages' group ui, whose
// middleware reads the session (a logged-in visitor sees the pages as
// themselves). Staff routes under /anslagstavla come after them, and
// RoutesNotice after those.
func (s *Server) RoutesPages(ui fiber.Router) {
	ui.Get("/diarium", s.PublicShare, s.showDiaryPage)
	ui.Get("/diarium/:number", s.PublicShare, s.showDiaryCasePage)
	s.routesPublicProtokoll(ui)
	s.routesAnslag(ui)
}

// RoutesNotice registers a notice's permanent page, /anslagstavla/{id}. It
// comes after the staff's /anslagstavla/new, which it would otherwise take
// for a notice.
func (s *Server) RoutesNotice(ui fiber.Router) {
	s.routesAnslagNotice(ui)
}
