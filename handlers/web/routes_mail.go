package web

import "github.com/gofiber/fiber/v2"

// routesUIMail registers the pages of bevakningar, reminders and mail: in is
// the logged-in group, admin the administrators'.
func (w *web) routesUIMail(in, admin fiber.Router) {
	in.Get("/deadlines", w.showDeadlinesPage)
	in.Post("/deadlines/:id/acknowledge", w.submitAcknowledge)
	in.Post("/cases/:number/deadlines", w.submitDeadline)

	admin.Get("/outbox", w.showOutboxPage)
	admin.Get("/outbox/:id", w.showOutboxMailPage)
	admin.Post("/outbox/:id/resend", w.submitResendMail)
	admin.Get("/mail-files", w.showMailFilesPage)
	admin.Get("/mail-files/:name", w.showMailFilePage)
	admin.Get("/mail-files/:name/raw", w.SendMailFile) // the file itself, as the API sends it
	admin.Get("/mail-gaps", w.showMailGapsPage)
	admin.Get("/recurring", w.showRecurringPage)
	admin.Post("/recurring", w.submitRecurring)
}
