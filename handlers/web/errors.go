package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// pageErrors turns any error from a page handler into a page in Swedish with
// the right status code, instead of the API's problem+json. A request that is
// not logged in goes to the login page.
func (w *web) pageErrors(c *fiber.Ctx) error {
	err := c.Next()
	if err == nil {
		return nil
	}
	p := httpx.ToProblem(err)
	if p.Status >= 500 {
		httpx.Log(c).Error("page failed", "method", c.Method(), "route", c.Route().Path, "err", err)
	}
	if p.Status == fiber.StatusUnauthorized {
		return httpx.RequireLogin(c)
	}
	v := &httpx.View{Title: p.Title, Page: httpx.NewErrorPage(c, p.Status, p.Detail)}
	if rerr := w.Render(c, p.Status, "error", v); rerr != nil {
		httpx.Log(c).Error("rendering the error page", "err", rerr)
		c.Status(p.Status)
		return c.SendString(p.Title + ": " + p.Detail)
	}
	return nil
}

// notFoundPage answers an address no page has.
// for a visitor without a login too: only the addresses of staff pages send
// one to log in (guarded).
func (w *web) notFoundPage(c *fiber.Ctx) error {
	if httpx.CurrentUser(c).ID == 0 {
		return workflow.Errorf(workflow.ENOTFOUND, "Sidan finns inte. Kontrollera adressen, eller gå till anslagstavlan eller diariet.")
	}
	return workflow.Errorf(workflow.ENOTFOUND, "Sidan finns inte. Kontrollera adressen, eller gå till Mina ärenden.")
}

// withFieldError puts msg on field in place of whatever err says about that
// field, keeping err's other field errors: a form whose date could not be read
// asks the store without it and shows the date's own message together with
// every other problem. An err that is not about fields stays as it is.
func withFieldError(err error, field, msg string) error {
	var we *workflow.Error
	if err == nil || !errors.As(err, &we) || (we.Code == workflow.EINVALID && len(we.Fields) == 0) {
		return httpx.FieldError(field, msg)
	}
	if we.Code != workflow.EINVALID {
		return err
	}
	out := &workflow.Error{Code: we.Code, Message: we.Message}
	placed := false
	for _, f := range we.Fields {
		if f.Field != field {
			out.Fields = append(out.Fields, f)
		} else if !placed {
			out.Fields, placed = append(out.Fields, workflow.FieldError{Field: field, Message: msg}), true
		}
	}
	if !placed {
		out.Fields = append(out.Fields, workflow.FieldError{Field: field, Message: msg})
	}
	return out
}
