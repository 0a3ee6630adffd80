package web

import "github.com/gofiber/fiber/v2"

// routesMeetingDocuments serves the PDFs also outside the API, at the
// addresses the issue names: to API clients by bearer token here, to the
// browser's session by the page routes of the same addresses (routesUIMeetings).
func (w *web) routesMeetingDocuments(app *fiber.App) {
	app.Get("/meetings/:id/agenda.pdf", w.withToken(w.AgendaPDF))
	app.Get("/meetings/:id/protokoll.pdf", w.withToken(w.MinutesPDF))
	app.Get("/meetings/:id/paragraphs/:n/utdrag.pdf", w.withToken(w.ExtractPDF))
}
