package handlers

import "github.com/gofiber/fiber/v2"

// routesUIMail registers the pages of bevakningar, reminders and mail: in is
// the logged-in group, admin the administrators'.
func (w *web) routesUIMail(in, admin fiber.Router) {
	in.Get("/deadlines", w.showDeadlinesPage)
	in.Post("/deadlines/:id/acknowledge", w.submitAcknowledge)
	in.Post("/cases/:number/deadlines", w.submitDeadline)
}
