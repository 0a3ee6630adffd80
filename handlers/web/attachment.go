package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// submitAttachment is POST /cases/:number/attachments from the case page. A
// refused upload shows the case again with the reason.
func (w *web) submitAttachment(c *fiber.Ctx) error {
	number := c.Params("number")
	a, err := httpx.ReadUpload(c)
	if workflow.ErrorCode(err) == workflow.EINVALID {
		return w.renderCase(c, fiber.StatusUnprocessableEntity, number, &httpx.View{Alert: "Välj en fil att ladda upp."})
	}
	if err == nil {
		_, err = w.Store.AddAttachment(c.UserContext(), number, httpx.CurrentUser(c), a)
	}
	switch code := workflow.ErrorCode(err); {
	case err == nil:
		return c.Redirect("/cases/"+number+"?done=attached#underlag", fiber.StatusSeeOther)
	case code == workflow.EINVALID || code == workflow.ETOOLARGE || code == workflow.EFORBIDDEN || code == workflow.ECONFLICT:
		return w.renderCase(c, httpx.StatusOf[code], number, &httpx.View{Alert: workflow.ErrorMessage(err)})
	}
	return err
}

// downloadAttachment is GET /cases/:number/attachments/:id: always a download,
// under the name it was uploaded with.
func (w *web) downloadAttachment(c *fiber.Ctx) error {
	return w.SendAttachment(c)
}
