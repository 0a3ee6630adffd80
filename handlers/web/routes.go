package web

import (
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/handlers/public"
	"github.com/kommun/beslutsgang/templates"
)

// routesUI registers the web pages, the public ones (p) among them. They come after the API, whose routes and
// catch-all under /api/v1 answer first.
func (w *web) routesUI(app *fiber.App, p *public.Server) {
	app.Use("/static", filesystem.New(filesystem.Config{
		Root:   http.FS(templates.Static()),
		MaxAge: int((365 * 24 * time.Hour).Seconds()), // URLs carry the files' version
	}))
	ui := app.Group("/", w.pageErrors, w.sessions.Load, pageInputText, w.sessions.CSRFGuard())
	ui.Get("/login", w.showLoginPage)
	ui.Post("/login", w.submitLogin)
	ui.Get("/tillganglighet", w.showAccessibilityPage)
	p.RoutesPages(ui)
	w.routesUIAnslag(ui)
	p.RoutesNotice(ui)

	// Only the addresses of these routes ask for a login: any other address
	// is 404, with or without one (guarded).
	in := guard(ui, httpx.RequireLogin)
	in.Post("/logout", w.submitLogout)
	in.Get("/", w.showHomePage)
	in.Get("/cases", w.showCaseListPage)
	in.Post("/cases", w.submitNewCase)
	in.Get("/cases/new", w.showNewCasePage)
	in.Get("/cases/new/document", w.showDocumentPage)
	in.Post("/cases/new/document", w.submitDocument)
	in.Get("/cases/new/document/:id", w.showReviewPage)
	in.Post("/cases/new/document/:id", w.submitReview)
	in.Get("/cases/:number", w.showCasePage)
	in.Get("/cases/:number/edit", w.showEditCasePage)
	in.Post("/cases/:number/edit", w.submitEditCase)
	in.Get("/cases/:number/actions/:action", w.showActionPage)
	in.Post("/cases/:number/actions/:action", w.submitAction)
	in.Post("/cases/:number/attachments", w.submitAttachment)
	in.Get("/cases/:number/attachments/:id", w.downloadAttachment)
	w.routesUIMeetings(in)

	admin := in.Group("/admin", httpx.RequireAdmin)
	admin.Get("/", func(c *fiber.Ctx) error { return c.Redirect("/admin/users", fiber.StatusSeeOther) })
	admin.Get("/users", w.showUsersPage)
	admin.Get("/users/new", w.showNewUserPage)
	admin.Post("/users", w.submitNewUser)
	admin.Get("/users/:id", w.showUserPage)
	admin.Post("/users/:id/roles", w.submitUserRoles)
	admin.Post("/users/:id/active", w.submitUserActive)
	admin.Post("/users/:id/password", w.submitUserPassword)
	admin.Get("/boards", w.showBoardsPage)
	admin.Post("/boards", w.submitNewBoard)
	admin.Post("/bodies", w.submitNewBody)
	admin.Get("/arkivleverans", w.showArchivePage)
	admin.Post("/arkivleverans", w.submitArchive)
	w.routesUIMail(in, admin)

	ui.Use(w.notFoundPage)
}
