// Package web is the staff's pages: server-rendered Swedish HTML over the
// same store as the API, for a logged-in browser session (httpx.Sessions),
// every form guarded against CSRF.
package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/handlers/public"
)

// Pages are the staff's pages, to register on the app (Routes).
type Pages struct {
	w *web
}

// New is the staff's pages over s.
func New(s *httpx.Server) *Pages { return &Pages{w: newWeb(s)} }

// Routes registers the pages, the public ones (p) among them, in the group
// that reads the session and guards forms. They come after the API, whose
// routes and catch-all under /api/v1 answer first, and after
// RoutesDocuments.
func (p *Pages) Routes(app *fiber.App, pub *public.Server) { p.w.routesUI(app, pub) }

// RoutesDocuments serves the meeting's PDFs at the pages' addresses to API
// clients that send a bearer token; a request without one goes on to the
// page routes of the same addresses. Register it before Routes.
func (p *Pages) RoutesDocuments(app *fiber.App) { p.w.routesMeetingDocuments(app) }

// web is the browser UI: server-rendered pages over the same store as the API.
type web struct {
	*httpx.Server
	sessions *httpx.Sessions
	archive  *archiveJob // the e-archive delivery started from the admin page
}

func newWeb(s *httpx.Server) *web {
	return &web{Server: s, sessions: httpx.NewSessions(s), archive: &archiveJob{}}
}

// pageInputText refuses, inside the pages' group and so as a page in
// Swedish, the form httpx.CheckInputText found text in that nobody types:
// the form's handler runs on the form as typed less those characters, under
// a veto that keeps none of its changes (db.WithVeto), so it shows the form
// again with its other problems; Render adds these messages beside their
// fields and answers 422.
func pageInputText(c *fiber.Ctx) error {
	if len(httpx.InputTextProblems(c)) == 0 {
		return c.Next()
	}
	p := httpx.PageInputProblems(c, func(field string) string {
		if l, ok := fieldLabels[field]; ok {
			return httpx.Capitalize(l)
		}
		return ""
	})
	httpx.SetFormTextProblems(c, p)
	c.SetUserContext(db.WithVeto(c.UserContext(), p.Err()))
	return c.Next()
}
