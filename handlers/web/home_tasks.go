package web

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// taskRow is a step of a meeting that waits for the viewer, as the start
// page lists it under "Väntar på mig": what to do, where, and by when.
type taskRow struct {
	db.Task
	Label   string // "Justera protokollet"
	Link    string // where it is done
	Date    string // "Senast 2026-02-03", "Justerat 2026-01-29"
	When    string // "Försenad 2 dagar", "I dag", "Om 3 dagar"; "" for a dispatch
	Urgency string // overdue, today, soon: the CSS class
}

var taskLabels = map[db.TaskKind]string{
	db.TaskJustering: "Justera protokollet",
	db.TaskNotice:    "Skicka kallelsen",
	db.TaskAnslag:    "Registrera anslaget",
	db.TaskDispatch:  "Expediera beslutet",
}

// loadTasks reads the viewer's meeting tasks through the request's reader,
// so a secret case's title shows only to people it involves.
// more is how many decisions wait for dispatch beyond those listed.
func (w *web) loadTasks(c *fiber.Ctx) (rows []taskRow, more int, err error) {
	tasks, more, err := w.Read(c).Tasks(c.UserContext(), w.Today())
	if err != nil {
		return nil, 0, err
	}
	today := w.Today()
	out := make([]taskRow, len(tasks))
	for i, t := range tasks {
		r := taskRow{Task: t, Label: taskLabels[t.Kind]}
		meeting := "/meetings/" + strconv.FormatInt(t.Meeting.ID, 10)
		switch t.Kind {
		case db.TaskJustering:
			r.Link = meeting + "/justering"
		case db.TaskAnslag:
			r.Link = meeting + "#anslag-title"
		case db.TaskDispatch:
			r.Link = "/cases/" + t.Case.Number + "/actions/" + string(workflow.ActDispatch)
		default:
			r.Link = meeting
		}
		if t.Kind == db.TaskDispatch {
			r.Date = "Justerat " + httpx.FormatDate(t.Due)
		} else {
			r.Date = "Senast " + httpx.FormatDate(t.Due)
			switch days := today.DaysUntil(t.Due); {
			case days < 0:
				r.Urgency, r.When = "overdue", fmt.Sprintf("Försenad %d %s", -days, dayWord(-days))
			case days == 0:
				r.Urgency, r.When = "today", "I dag"
			default:
				r.Urgency, r.When = "soon", fmt.Sprintf("Om %d %s", days, dayWord(days))
			}
		}
		out[i] = r
	}
	return out, more, nil
}

// withoutTasks drops from the waiting cases the dispatches the tasks list
// with their protokoll, and the cases left with nothing else to do.
func withoutTasks(waiting []waitingCase, tasks []taskRow) []waitingCase {
	var out []waitingCase
	for _, wc := range waiting {
		if slices.ContainsFunc(tasks, func(t taskRow) bool { return t.Case != nil && t.Case.Number == wc.Case.Number }) {
			wc.Actions = slices.DeleteFunc(slices.Clone(wc.Actions), func(a workflow.Action) bool { return a == workflow.ActDispatch })
			if len(wc.Actions) == 0 {
				continue
			}
		}
		out = append(out, wc)
	}
	return out
}
