// Package web is the staff's pages: server-rendered Swedish HTML over the
// same store as the API, for a logged-in browser session (httpx.Sessions),
// every form guarded against CSRF.
package web

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/handlers/public"
	"github.com/kommun/beslutsgang/workflow"
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
// Swedish, the form httpx.CheckInputText found text in that nobody types.
// Nothing of such a request reaches a handler.
func pageInputText(c *fiber.Ctx) error {
	p := httpx.InputTextProblems(c)
	if len(p) == 0 {
		return c.Next()
	}
	// The page's text is the messages themselves, in the words of the labels.
	var msgs []string
	for _, f := range p {
		msgs = append(msgs, strings.Replace(f.Message, fmt.Sprintf("Fältet %q", f.Field), fmt.Sprintf("Fältet ”%s”", fieldLabel(f.Field)), 1))
	}
	return workflow.Errorf(workflow.EINVALID,
		"Formuläret sparades inte: %s. Gå tillbaka, ta bort tecknet och skicka formuläret igen.", strings.Join(msgs, "; "))
}
