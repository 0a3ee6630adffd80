package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// membersPage is a body's member list: the kallelse goes to those with an
// address, and those with a user account can be named justerare. The board's
// secretary or administrator keeps it.
type membersPage struct {
	Body      workflow.Body
	Members   []workflow.Member
	Roles     []workflow.MemberRole
	CanManage bool
	New       db.MemberInput
}

var memberNotices = map[string]string{"added": "Ledamoten är tillagd.", "removed": "Ledamoten är borttagen från listan."}

// showMembersPage is GET /bodies/:code/members.
func (w *web) showMembersPage(c *fiber.Ctx) error {
	return w.renderMembers(c, fiber.StatusOK, &membersPage{New: db.MemberInput{Role: workflow.MemberRegular}},
		&httpx.View{Notice: memberNotices[c.Query("done")]})
}

func (w *web) renderMembers(c *fiber.Ctx, status int, p *membersPage, v *httpx.View) error {
	var err error
	if p.Body, err = w.Store.Body(c.UserContext(), c.Params("code")); err != nil {
		return err
	}
	if p.Members, err = w.Store.Members(c.UserContext(), p.Body.Code); err != nil {
		return err
	}
	u := httpx.CurrentUser(c)
	p.Roles = workflow.MemberRoles
	p.CanManage = u.Has(p.Body.Board, workflow.RoleSecretary) || u.Has(p.Body.Board, workflow.RoleAdmin)
	v.Title, v.Section, v.Page = "Ledamöter – "+p.Body.Name, "meetings", p
	return w.Render(c, status, "body_members", v)
}

// submitNewMember is POST /bodies/:code/members.
func (w *web) submitNewMember(c *fiber.Ctx) error {
	in := db.MemberInput{Name: value(c, "name"), Email: value(c, "email"), Role: workflow.MemberRole(value(c, "role")), User: value(c, "user")}
	code := c.Params("code")
	if _, err := w.Store.AddMember(c.UserContext(), code, httpx.CurrentUser(c), in); err != nil {
		ec := workflow.ErrorCode(err)
		if ec != workflow.EINVALID && ec != workflow.ECONFLICT && ec != workflow.EFORBIDDEN {
			return err
		}
		errs, alert := httpx.ErrorsOf(err)
		return w.renderMembers(c, httpx.StatusOf[ec], &membersPage{New: in}, &httpx.View{Errors: errs, Alert: alert})
	}
	return c.Redirect("/bodies/"+code+"/members?done=added", fiber.StatusSeeOther)
}

// submitRemoveMember is POST /bodies/:code/members/:member/remove.
func (w *web) submitRemoveMember(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("member"), 10, 64)
	if err != nil {
		return workflow.Errorf(workflow.ENOTFOUND, "Ledamoten %q finns inte", c.Params("member"))
	}
	code := c.Params("code")
	if err := w.Store.RemoveMember(c.UserContext(), code, id, httpx.CurrentUser(c)); err != nil {
		if workflow.ErrorCode(err) != workflow.EFORBIDDEN {
			return err
		}
		return w.renderMembers(c, fiber.StatusForbidden, &membersPage{New: db.MemberInput{Role: workflow.MemberRegular}},
			&httpx.View{Alert: workflow.ErrorMessage(err)})
	}
	return c.Redirect("/bodies/"+code+"/members?done=removed", fiber.StatusSeeOther)
}
