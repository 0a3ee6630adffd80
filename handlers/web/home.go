package web

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/handlers/httpx"
	"github.com/kommun/beslutsgang/workflow"
)

// homePage is "Mina ärenden": what waits for me (cases and meetings), my own
// cases by stage, and all open cases per stage.
type homePage struct {
	Waiting []waitingCase
	// MoreInvolved says the viewer is involved in more open cases than the
	// page looked through (homeInvolved): the rest are in the case list.
	MoreInvolved bool
	Limit        int
	Tasks        []taskRow // meetings: protokoll to justera, kallelse, anslag, decisions to dispatch
	// MoreDispatch is how many more decisions wait for dispatch than Tasks
	// lists (db.MaxDispatchTasks, the oldest cases).
	MoreDispatch int
	Deadlines    *myDeadlines
	Mine         []stageGroup
	Chart        stageChart
}

// waitingCase is a case where a step forward is the viewer's to take.
type waitingCase struct {
	Case    workflow.Case
	Actions []workflow.Action
	Next    string // the current meeting, e.g. "ASN arbetsutskott 2020-01-16"
}

type stageGroup struct {
	Stage workflow.Stage
	Cases []db.CaseSummary
}

// forward are the actions that move a case on. Withdrawing, rejecting,
// returning and postponing are always at hand for some people, and would make
// every case look like it waits for them.
var forward = []workflow.Action{workflow.ActSubmit, workflow.ActApprove, workflow.ActAdvance,
	workflow.ActDecide, workflow.ActDispatch, workflow.ActClose}

// homeInvolved bounds the open cases the start page looks through for what
// waits for the viewer, the most recently changed first: a secretary of many
// boards is involved in thousands.
const homeInvolved = 100

// showHomePage is GET /.
func (w *web) showHomePage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	u := httpx.CurrentUser(c)
	p := &homePage{}
	involved, more, err := w.Store.CasesInvolving(ctx, u.ID, homeInvolved)
	if err != nil {
		return err
	}
	p.MoreInvolved, p.Limit = more, homeInvolved
	for _, cs := range involved {
		acts := slices.DeleteFunc(workflow.Allowed(&cs, u), func(a workflow.Action) bool { return !slices.Contains(forward, a) })
		if len(acts) == 0 {
			continue
		}
		wc := waitingCase{Case: cs, Actions: acts}
		if st := cs.CurrentStep(); st != nil {
			wc.Next = st.Body.Name + " " + httpx.FormatDate(st.Date)
		}
		p.Waiting = append(p.Waiting, wc)
	}
	if p.Tasks, p.MoreDispatch, err = w.loadTasks(c); err != nil {
		return err
	}
	p.Waiting = withoutTasks(p.Waiting, p.Tasks)
	mine, err := w.Read(c).Cases(ctx, db.CaseFilter{OfficerID: u.ID, OpenOnly: true, Sort: "date", PerPage: db.MaxPerPage})
	if err != nil {
		return err
	}
	for _, cs := range mine.Items {
		i := slices.IndexFunc(p.Mine, func(g stageGroup) bool { return g.Stage == cs.Stage })
		if i < 0 {
			p.Mine = append(p.Mine, stageGroup{Stage: cs.Stage})
			i = len(p.Mine) - 1
		}
		p.Mine[i].Cases = append(p.Mine[i].Cases, cs)
	}
	slices.SortStableFunc(p.Mine, func(a, b stageGroup) int {
		return slices.Index(workflow.Stages, a.Stage) - slices.Index(workflow.Stages, b.Stage)
	})
	counts, err := w.Store.OpenCasesByStage(ctx, 0)
	if err != nil {
		return err
	}
	p.Chart = chartOf(counts)
	if p.Deadlines, err = w.loadMyDeadlines(c, false, "/"); err != nil {
		return err
	}
	return w.Render(c, fiber.StatusOK, "home", &httpx.View{Title: "Mina ärenden", Section: "home", Page: p, Notice: doneNotice(c)})
}

// stageChart is the bar chart of open cases per stage, drawn as inline SVG
// with the same numbers in a table beside it.
type stageChart struct {
	Bars        []chartBar
	Width       int
	Height      int
	Description string // the chart in words, for the SVG's <desc>
	Total       int
}

type chartBar struct {
	Stage    workflow.Stage
	Label    string
	Count    int
	Y        int // top of the row
	TextY    int // baseline of the row's text
	BarWidth int
	CountX   int // where the count is written, just past the bar
}

const (
	chartLabelWidth = 175
	chartBarMax     = 190
	chartRow        = 32
)

func chartOf(counts []db.StageCount) stageChart {
	ch := stageChart{Width: chartLabelWidth + chartBarMax + 40, Height: len(counts)*chartRow + 8}
	most := 1
	for _, sc := range counts {
		most = max(most, sc.Count)
		ch.Total += sc.Count
	}
	var words []string
	for i, sc := range counts {
		b := chartBar{Stage: sc.Stage, Label: sc.Stage.Label(), Count: sc.Count, Y: i*chartRow + 4}
		b.TextY = b.Y + chartRow/2 + 5
		b.BarWidth = sc.Count * chartBarMax / most
		if sc.Count > 0 {
			b.BarWidth = max(b.BarWidth, 3) // a case is never invisible
		}
		b.CountX = chartLabelWidth + b.BarWidth + 8
		ch.Bars = append(ch.Bars, b)
		words = append(words, fmt.Sprintf("%s %d", b.Label, b.Count))
	}
	ch.Description = fmt.Sprintf("Totalt %d öppna ärenden: %s.", ch.Total, strings.Join(words, ", "))
	return ch
}

// LabelWidth is where the bars start, for the template.
func (stageChart) LabelWidth() int { return chartLabelWidth }

// BarMax is the width of a full bar, for the template.
func (stageChart) BarMax() int { return chartBarMax }
