package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// submitDeadline is POST /cases/:number/deadlines: set a bevakning on the case.
func (w *web) submitDeadline(c *fiber.Ctx) error {
	number := c.Params("number")
	in := db.DeadlineInput{Due: value(c, "due"), Responsible: value(c, "responsible"), Note: value(c, "note")}
	_, err := w.Store.AddDeadline(c.UserContext(), number, in, httpx.CurrentUser(c))
	if err == nil {
		return c.Redirect("/cases/"+number+"?done=deadline#bevakningar", fiber.StatusSeeOther)
	}
	switch workflow.ErrorCode(err) {
	case workflow.EINVALID:
		errs, alert := httpx.ErrorsOf(err)
		for i := range errs {
			errs[i].Field = deadlineFieldPrefix + errs[i].Field
		}
		return w.renderCaseWith(c, fiber.StatusUnprocessableEntity, number, &httpx.View{Errors: errs, Alert: alert}, in)
	case workflow.EFORBIDDEN, workflow.ECONFLICT:
		return w.renderCaseWith(c, httpx.StatusOf[workflow.ErrorCode(err)], number, &httpx.View{Alert: workflow.ErrorMessage(err)}, in)
	}
	return err
}
