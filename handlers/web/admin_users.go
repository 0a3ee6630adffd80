package web

import (
	"context"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// usersPage lists every user with roles per board.
type usersPage struct {
	Users []workflow.User
}

// grantChoices is the board × role grid of checkboxes, with what is ticked.
type grantChoices struct {
	Boards []workflow.Board
	Roles  []workflow.Role
	Grants []workflow.Grant
}

// Checked reports whether a box of the grid is ticked.
func (g *grantChoices) Checked(board string, role workflow.Role) bool {
	return slices.Contains(g.Grants, workflow.Grant{Board: board, Role: role})
}

// userForm is the new user form.
type userForm struct {
	grantChoices
	Email, Name, Title string
}

// showUsersPage is GET /admin/users.
func (w *web) showUsersPage(c *fiber.Ctx) error {
	users, err := w.Store.Users(c.UserContext())
	if err != nil {
		return err
	}
	v := &httpx.View{Title: "Användare", Section: "admin", Page: &usersPage{Users: users}}
	if c.Query("done") == "created" {
		v.Notice = "Användaren är skapad."
	}
	return w.Render(c, fiber.StatusOK, "admin_users", v)
}

// showNewUserPage is GET /admin/users/new.
func (w *web) showNewUserPage(c *fiber.Ctx) error {
	f := &userForm{}
	if err := w.loadGrantChoices(c.UserContext(), &f.grantChoices); err != nil {
		return err
	}
	return w.Render(c, fiber.StatusOK, "admin_user_new", &httpx.View{Title: "Ny användare", Section: "admin", Page: f})
}

// submitNewUser is POST /admin/users.
func (w *web) submitNewUser(c *fiber.Ctx) error {
	f := &userForm{Email: value(c, "email"), Name: value(c, "name"), Title: value(c, "title")}
	f.Grants = readGrants(c)
	if err := w.loadGrantChoices(c.UserContext(), &f.grantChoices); err != nil {
		return err
	}
	err := w.checkGrantChange(c, nil, f.Grants)
	if err == nil {
		_, err = w.Store.CreateUser(db.ByActor(c.UserContext(), httpx.CurrentUser(c)), db.NewUser{Email: f.Email, Name: f.Name, Title: f.Title,
			Password: value(c, "password"), Grants: f.Grants})
	}
	if err != nil {
		code := workflow.ErrorCode(err)
		if code != workflow.EINVALID && code != workflow.ECONFLICT && code != workflow.EFORBIDDEN {
			return err
		}
		errs, alert := httpx.ErrorsOf(err)
		if code == workflow.ECONFLICT { // the e-mail is taken
			errs, alert = httpx.FormErrors{{Field: "email", Message: alert}}, ""
		}
		return w.Render(c, httpx.StatusOf[code], "admin_user_new",
			&httpx.View{Title: "Ny användare", Section: "admin", Page: f, Errors: errs, Alert: alert})
	}
	return c.Redirect("/admin/users?done=created", fiber.StatusSeeOther)
}

func (w *web) loadGrantChoices(ctx context.Context, g *grantChoices) error {
	boards, err := w.Store.Boards(ctx)
	g.Boards, g.Roles = boards, workflow.Roles
	return err
}

// readGrants reads the ticked boxes, each "BOARD:role".
func readGrants(c *fiber.Ctx) []workflow.Grant {
	var out []workflow.Grant
	for _, v := range formValues(c, "grant") {
		board, role, ok := strings.Cut(v, ":")
		if ok {
			out = append(out, workflow.Grant{Board: board, Role: workflow.Role(role)})
		}
	}
	return out
}
