package handlers

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/workflow"
)

// errorPage is what the error page says.
type errorPage struct {
	Status int
	Detail string
}

// pageErrors turns any error from a page handler into a page in Swedish with
// the right status code, instead of the API's problem+json. A request that is
// not logged in goes to the login page.
func (w *web) pageErrors(c *fiber.Ctx) error {
	err := c.Next()
	if err == nil {
		return nil
	}
	p := toProblem(err)
	if p.Status >= 500 {
		w.cfg.Log.Error("page failed", "method", c.Method(), "path", c.Path(), "err", err)
	}
	if p.Status == fiber.StatusUnauthorized {
		return w.requireLogin(c)
	}
	v := &view{Title: p.Title, Page: &errorPage{Status: p.Status, Detail: p.Detail}}
	if rerr := w.render(c, p.Status, "error", v); rerr != nil {
		w.cfg.Log.Error("rendering the error page", "err", rerr)
		c.Status(p.Status)
		return c.SendString(p.Title + ": " + p.Detail)
	}
	return nil
}

// notFoundPage answers an address no page has.
func (w *web) notFoundPage(c *fiber.Ctx) error {
	return workflow.Errorf(workflow.ENOTFOUND, "Sidan finns inte. Kontrollera adressen, eller gå till Mina ärenden.")
}
