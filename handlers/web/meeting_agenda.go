package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// submitAgendaItem is POST /meetings/:id/agenda: a fixed or free item at the end.
func (w *web) submitAgendaItem(c *fiber.Ctx) error {
	id, err := httpx.MeetingID(c)
	if err != nil {
		return err
	}
	f := itemForm{Kind: value(c, "kind"), Title: value(c, "title")}
	if _, err := w.Store.AddAgendaItem(c.UserContext(), id, httpx.CurrentUser(c), f.Kind, f.Title); err != nil {
		return w.meetingFailed(c, &meetingPage{Item: f}, "item_", err)
	}
	return c.Redirect(meetingPath(id, "agenda")+"#agenda-title", fiber.StatusSeeOther)
}

// submitAgendaMove is POST /meetings/:id/agenda/:item/move with dir up or
// down: the item trades places with its neighbour.
func (w *web) submitAgendaMove(c *fiber.Ctx) error {
	id, item, err := agendaItemOf(c)
	if err != nil {
		return err
	}
	step := map[string]int{"up": -1, "down": 1}[value(c, "dir")]
	if step == 0 {
		return workflow.Errorf(workflow.EINVALID, "Ange riktningen up eller down")
	}
	items, err := w.Read(c).Agenda(c.UserContext(), id)
	if err != nil {
		return err
	}
	order := make([]int64, len(items))
	at := -1
	for i, it := range items {
		order[i] = it.ID
		if it.ID == item {
			at = i
		}
	}
	switch {
	case at < 0:
		return workflow.Errorf(workflow.ENOTFOUND, "Punkten %d finns inte på föredragningslistan", item)
	case at+step < 0 || at+step >= len(order):
		return w.meetingFailed(c, &meetingPage{}, "", workflow.Errorf(workflow.ECONFLICT, "Punkten står redan %s på listan",
			map[int]string{-1: "först", 1: "sist"}[step]))
	}
	order[at], order[at+step] = order[at+step], order[at]
	if _, err := w.Store.ReorderAgenda(c.UserContext(), id, httpx.CurrentUser(c), order); err != nil {
		return w.meetingFailed(c, &meetingPage{}, "", err)
	}
	return c.Redirect(meetingPath(id, "agenda")+"#agenda-title", fiber.StatusSeeOther)
}

// submitAgendaRemove is POST /meetings/:id/agenda/:item/remove.
func (w *web) submitAgendaRemove(c *fiber.Ctx) error {
	id, item, err := agendaItemOf(c)
	if err != nil {
		return err
	}
	if _, err := w.Store.RemoveAgendaItem(c.UserContext(), id, item, httpx.CurrentUser(c)); err != nil {
		if workflow.ErrorCode(err) == workflow.ENOTFOUND {
			return err
		}
		return w.meetingFailed(c, &meetingPage{}, "", err)
	}
	return c.Redirect(meetingPath(id, "agenda")+"#agenda-title", fiber.StatusSeeOther)
}

func agendaItemOf(c *fiber.Ctx) (meeting, item int64, err error) {
	if meeting, err = httpx.MeetingID(c); err != nil {
		return 0, 0, err
	}
	item, err = strconv.ParseInt(c.Params("item"), 10, 64)
	if err != nil || item < 1 {
		return 0, 0, workflow.Errorf(workflow.ENOTFOUND, "Punkten %q finns inte", c.Params("item"))
	}
	return meeting, item, nil
}
