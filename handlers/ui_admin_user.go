package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/workflow"
)

// userPage is one user: roles per board, active or not, a new password.
type userPage struct {
	grantChoices
	Account workflow.User
	Self    bool // the administrator is looking at their own account
}

var userNotices = map[string]string{
	"roles":       "Rollerna är sparade.",
	"activated":   "Användaren är aktiverad.",
	"deactivated": "Användaren är inaktiverad och kan inte logga in.",
	"password":    "Lösenordet är bytt.",
}

// showUserPage is GET /admin/users/:id.
func (w *web) showUserPage(c *fiber.Ctx) error {
	return w.renderUser(c, fiber.StatusOK, &view{Notice: userNotices[c.Query("done")]}, nil)
}

func (w *web) renderUser(c *fiber.Ctx, status int, v *view, grants []workflow.Grant) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return workflow.Errorf(workflow.ENOTFOUND, "Användaren finns inte")
	}
	u, err := w.store.User(c.UserContext(), id)
	if err != nil {
		return err
	}
	p := &userPage{Account: u, Self: u.ID == currentUser(c).ID}
	if err := w.loadGrantChoices(c.UserContext(), &p.grantChoices); err != nil {
		return err
	}
	p.Grants = u.Grants
	if grants != nil { // a refused change shows what was ticked
		p.Grants = grants
	}
	v.Title, v.Section, v.Page = u.Name, "admin", p
	return w.render(c, status, "admin_user", v)
}

// submitUserRoles is POST /admin/users/:id/roles.
func (w *web) submitUserRoles(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	grants := readGrants(c)
	if id == currentUser(c).ID && !hasRole(grants, workflow.RoleAdmin) {
		return w.renderUser(c, fiber.StatusConflict, &view{Alert: "Du kan inte ta bort din egen administratörsroll; be en annan administratör om det."}, grants)
	}
	if err := w.store.SetGrants(c.UserContext(), id, grants); err != nil {
		if code := workflow.ErrorCode(err); code == workflow.EINVALID {
			return w.renderUser(c, statusOf[code], &view{Alert: workflow.ErrorMessage(err)}, grants)
		}
		return err
	}
	return c.Redirect("/admin/users/"+strconv.FormatInt(id, 10)+"?done=roles", fiber.StatusSeeOther)
}

func hasRole(grants []workflow.Grant, r workflow.Role) bool {
	for _, g := range grants {
		if g.Role == r {
			return true
		}
	}
	return false
}

// submitUserActive is POST /admin/users/:id/active with active=1 or 0.
func (w *web) submitUserActive(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	active := c.FormValue("active") == "1"
	if id == currentUser(c).ID && !active {
		return w.renderUser(c, fiber.StatusConflict, &view{Alert: "Du kan inte inaktivera dig själv."}, nil)
	}
	if err := w.store.SetActive(c.UserContext(), id, active); err != nil {
		return err
	}
	done := "deactivated"
	if active {
		done = "activated"
	}
	return c.Redirect("/admin/users/"+strconv.FormatInt(id, 10)+"?done="+done, fiber.StatusSeeOther)
}

// submitUserPassword is POST /admin/users/:id/password.
func (w *web) submitUserPassword(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	if _, err := w.store.User(c.UserContext(), id); err != nil {
		return err
	}
	if err := w.store.SetPassword(c.UserContext(), id, c.FormValue("password")); err != nil {
		if code := workflow.ErrorCode(err); code == workflow.EINVALID {
			errs, alert := errorsOf(err)
			return w.renderUser(c, statusOf[code], &view{Errors: errs, Alert: alert}, nil)
		}
		return err
	}
	return c.Redirect("/admin/users/"+strconv.FormatInt(id, 10)+"?done=password", fiber.StatusSeeOther)
}
