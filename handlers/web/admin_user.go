package web

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// userPage is one user: roles per board, active or not, a new password, and
// the recorded changes to the account.
type userPage struct {
	grantChoices
	Account workflow.User
	Self    bool // the administrator is looking at their own account
	Changes []accountChange
}

// accountChange is one recorded change to an account, as the page lists it.
type accountChange struct {
	At, By, What string
}

// accountChanges writes the recorded changes to an account in Swedish.
func accountChanges(entries []db.UserAuditEntry) []accountChange {
	out := make([]accountChange, len(entries))
	for i, e := range entries {
		by := "Utan inloggad användare (kommandoraden eller demodatan)"
		if e.Actor != nil {
			by = e.Actor.Name
		}
		var what string
		switch e.Action {
		case db.AuditCreate:
			what = "Kontot skapat med rollerna " + rolesText(e.Roles)
		case db.AuditGrants:
			what = "Rollerna ändrade från " + rolesText(e.PreviousRoles) + " till " + rolesText(e.Roles)
		case db.AuditDeactivate:
			what = "Inaktiverat"
		case db.AuditActivate:
			what = "Aktiverat"
		case db.AuditPassword:
			what = "Lösenordet satt"
		default:
			what = e.Action
		}
		out[i] = accountChange{At: httpx.FormatTime(e.At), By: by, What: what}
	}
	return out
}

// rolesText is a list of roles as a sentence reads it: "nämndsekreterare
// i ASN, administratör i KS", or "inga".
func rolesText(grants []workflow.Grant) string {
	if len(grants) == 0 {
		return "inga"
	}
	parts := make([]string, len(grants))
	for i, g := range grants {
		parts[i] = strings.ToLower(g.Role.Label()) + " i " + g.Board
	}
	return strings.Join(parts, ", ")
}

var userNotices = map[string]string{
	"roles":       "Rollerna är sparade.",
	"activated":   "Användaren är aktiverad.",
	"deactivated": "Användaren är inaktiverad och kan inte logga in.",
	"password":    "Lösenordet är bytt.",
}

// showUserPage is GET /admin/users/:id.
func (w *web) showUserPage(c *fiber.Ctx) error {
	return w.renderUser(c, fiber.StatusOK, &httpx.View{Notice: userNotices[c.Query("done")]}, nil)
}

func (w *web) renderUser(c *fiber.Ctx, status int, v *httpx.View, grants []workflow.Grant) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return workflow.Errorf(workflow.ENOTFOUND, "Användaren finns inte")
	}
	u, err := w.Store.User(c.UserContext(), id)
	if err != nil {
		return err
	}
	p := &userPage{Account: u, Self: u.ID == httpx.CurrentUser(c).ID}
	entries, err := w.Store.UserAudit(c.UserContext(), id)
	if err != nil {
		return err
	}
	p.Changes = accountChanges(entries)
	if err := w.loadGrantChoices(c.UserContext(), &p.grantChoices); err != nil {
		return err
	}
	p.Grants = u.Grants
	if grants != nil { // a refused change shows what was ticked
		p.Grants = grants
	}
	v.Title, v.Section, v.Page = u.Name, "admin", p
	return w.Render(c, status, "admin_user", v)
}

// submitUserRoles is POST /admin/users/:id/roles.
func (w *web) submitUserRoles(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	grants := readGrants(c)
	if id == httpx.CurrentUser(c).ID && !hasRole(grants, workflow.RoleAdmin) {
		return w.renderUser(c, fiber.StatusConflict, &httpx.View{Alert: "Du kan inte ta bort din egen administratörsroll; be en annan administratör om det."}, grants)
	}
	u, err := w.Store.User(c.UserContext(), id)
	if err != nil {
		return err
	}
	if err := w.checkGrantChange(c, u.Grants, grants); err != nil {
		return w.renderUser(c, fiber.StatusForbidden, &httpx.View{Alert: workflow.ErrorMessage(err)}, grants)
	}
	if err := w.Store.SetGrants(db.ByActor(c.UserContext(), httpx.CurrentUser(c)), id, grants); err != nil {
		if code := workflow.ErrorCode(err); code == workflow.EINVALID {
			return w.renderUser(c, httpx.StatusOf[code], &httpx.View{Alert: workflow.ErrorMessage(err)}, grants)
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
	if v := c.FormValue("active"); v != "0" && v != "1" {
		return workflow.Errorf(workflow.EINVALID, "Ogiltigt val %q: 1 aktiverar, 0 inaktiverar", v)
	}
	active := c.FormValue("active") == "1"
	if id == httpx.CurrentUser(c).ID && !active {
		return w.renderUser(c, fiber.StatusConflict, &httpx.View{Alert: "Du kan inte inaktivera dig själv."}, nil)
	}
	if err := w.mayChangeAccount(c, id); err != nil {
		return err
	}
	if err := w.Store.SetActive(db.ByActor(c.UserContext(), httpx.CurrentUser(c)), id, active); err != nil {
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
	if err := w.mayChangeAccount(c, id); err != nil {
		return err
	}
	if err := w.Store.SetPassword(db.ByActor(c.UserContext(), httpx.CurrentUser(c)), id, c.FormValue("password")); err != nil {
		if code := workflow.ErrorCode(err); code == workflow.EINVALID {
			errs, alert := httpx.ErrorsOf(err)
			return w.renderUser(c, httpx.StatusOf[code], &httpx.View{Errors: errs, Alert: alert}, nil)
		}
		return err
	}
	return c.Redirect("/admin/users/"+strconv.FormatInt(id, 10)+"?done=password", fiber.StatusSeeOther)
}

// mayChangeAccount refuses (EFORBIDDEN) a change of password or active state
// unless the administrator administers every board the user has a role on.
func (w *web) mayChangeAccount(c *fiber.Ctx, id int64) error {
	u, err := w.Store.User(c.UserContext(), id)
	if err != nil {
		return err
	}
	return workflow.CheckAccountChange(httpx.CurrentUser(c), u.Grants)
}

// checkGrantChange is workflow.CheckGrantChange over the boards that exist:
// a grant on an unknown board is the store's to refuse as invalid input.
func (w *web) checkGrantChange(c *fiber.Ctx, current, next []workflow.Grant) error {
	boards, err := w.Store.Boards(c.UserContext())
	if err != nil {
		return err
	}
	known := func(g workflow.Grant) bool {
		return slices.ContainsFunc(boards, func(b workflow.Board) bool { return b.Code == g.Board })
	}
	return workflow.CheckGrantChange(httpx.CurrentUser(c), slices.DeleteFunc(slices.Clone(current), func(g workflow.Grant) bool { return !known(g) }),
		slices.DeleteFunc(slices.Clone(next), func(g workflow.Grant) bool { return !known(g) }))
}
