package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
)

// loginPage is the login form's values.
type loginPage struct {
	Email string
	Next  string
}

// showLoginPage is GET /login.
func (w *web) showLoginPage(c *fiber.Ctx) error {
	next := localPath(c.Query("next"))
	if httpx.CurrentUser(c).ID != 0 {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	v := &httpx.View{Title: "Logga in", Page: &loginPage{Next: next}}
	if c.Query("done") == "logout" {
		v.Notice = "Du är utloggad."
	}
	return w.Render(c, fiber.StatusOK, "login", v)
}

// submitLogin is POST /login. A wrong e-mail or password gets the form back
// with the e-mail kept; too many attempts are refused for a while.
func (w *web) submitLogin(c *fiber.Ctx) error {
	p := &loginPage{Email: c.FormValue("email"), Next: localPath(c.FormValue("next"))}
	u, err := w.Login(c, p.Email, c.FormValue("password"))
	if err != nil {
		pr := httpx.ToProblem(err)
		if pr.Status >= 500 {
			return err
		}
		return w.Render(c, pr.Status, "login", &httpx.View{Title: "Logga in", Page: p, Alert: pr.Detail})
	}
	if err := w.sessions.Start(c, u); err != nil {
		return err
	}
	return c.Redirect(p.Next, fiber.StatusSeeOther)
}

// submitLogout is POST /logout.
func (w *web) submitLogout(c *fiber.Ctx) error {
	if err := w.sessions.End(c); err != nil {
		return err
	}
	return c.Redirect("/login?done=logout", fiber.StatusSeeOther)
}
