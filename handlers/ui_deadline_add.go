package handlers

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// submitDeadline is POST /cases/:number/deadlines: set a bevakning on the case.
func (w *web) submitDeadline(c *fiber.Ctx) error {
	number := c.Params("number")
	in := db.DeadlineInput{Due: value(c, "due"), Responsible: value(c, "responsible"), Note: value(c, "note")}
	_, err := w.store.AddDeadline(c.UserContext(), number, in, currentUser(c))
	if err == nil {
		return c.Redirect("/cases/"+number+"?done=deadline#bevakningar", fiber.StatusSeeOther)
	}
	switch workflow.ErrorCode(err) {
	case workflow.EINVALID:
		errs, alert := errorsOf(err)
		for i := range errs {
			errs[i].Field = deadlineFieldPrefix + errs[i].Field
		}
		return w.renderCaseWith(c, fiber.StatusUnprocessableEntity, number, &view{Errors: errs, Alert: alert}, in)
	case workflow.EFORBIDDEN, workflow.ECONFLICT:
		return w.renderCaseWith(c, statusOf[workflow.ErrorCode(err)], number, &view{Alert: workflow.ErrorMessage(err)}, in)
	}
	return err
}
