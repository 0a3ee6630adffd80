package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// submitAcknowledge is POST /deadlines/:id/acknowledge: kvittera a
// bevakning, then go back to the page it was pressed on.
func (w *web) submitAcknowledge(c *fiber.Ctx) error {
	id, err := httpx.PathID(c, "Bevakningen")
	if err != nil {
		return err
	}
	_, err = w.Store.AcknowledgeDeadline(c.UserContext(), id, httpx.CurrentUser(c))
	if err == nil {
		return c.Redirect(withDone(value(c, "back"), "acknowledged"), fiber.StatusSeeOther)
	}
	switch workflow.ErrorCode(err) {
	case workflow.EFORBIDDEN, workflow.ECONFLICT:
		// The case page shows the bevakning as it is now, and why nothing changed.
		d, lerr := w.Store.Deadline(c.UserContext(), id)
		if lerr != nil {
			return lerr
		}
		return w.renderCase(c, httpx.StatusOf[workflow.ErrorCode(err)], d.CaseNumber, &httpx.View{Alert: workflow.ErrorMessage(err)})
	}
	return err
}
