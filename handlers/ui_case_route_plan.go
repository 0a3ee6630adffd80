package handlers

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// routePlan is what the case form knows of the bodies' sammanträdesplaner:
// the days of each body's coming meetings, so that a route date on no
// planned meeting is pointed out beside it. Saving still creates the
// meeting on that date (an extra sammanträde).
type routePlan struct {
	today workflow.Date
	days  map[string][]workflow.Date // by body code, in date order
	names map[string]string          // body names by code
}

// routePlanShown is how many planned days a hint names.
const routePlanShown = 3

// routePlanOf loads the coming meetings of every body.
func (w *web) routePlanOf(ctx context.Context, bodies []workflow.Body) (*routePlan, error) {
	p := &routePlan{today: w.today(), days: map[string][]workflow.Date{}, names: map[string]string{}}
	ms, err := w.store.Meetings(ctx, db.MeetingFilter{From: p.today})
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		p.days[m.Body.Code] = append(p.days[m.Body.Code], m.Date)
	}
	for _, b := range bodies {
		p.names[b.Code] = b.Name
	}
	return p, nil
}

// RouteHint says, beside route step i, that its date matches no planned
// meeting of its body, and names the body's planned days nearest it; empty
// when the date is a planned day, not a date, past, or not yet chosen.
func (f *caseForm) RouteHint(i int) string {
	rows := f.RouteRows()
	if f.plan == nil || i >= len(rows) {
		return ""
	}
	return f.plan.hint(rows[i])
}

// RoutePlanLink is the plan page of step i's body, for the year of its date.
func (f *caseForm) RoutePlanLink(i int) string {
	rows := f.RouteRows()
	if i >= len(rows) {
		return "/meetings/plan"
	}
	link := "/meetings/plan?body=" + url.QueryEscape(rows[i].Body)
	if d, err := workflow.ParseDate(strings.TrimSpace(rows[i].Date)); err == nil {
		link += "&year=" + strconv.Itoa(d.Year)
	}
	return link
}

func (p *routePlan) hint(s db.StepInput) string {
	name, ok := p.names[s.Body]
	d, err := workflow.ParseDate(strings.TrimSpace(s.Date))
	if !ok || err != nil || d.Before(p.today) {
		return ""
	}
	days := p.days[s.Body]
	if slices.Contains(days, d) {
		return ""
	}
	msg := name + " har inget planerat sammanträde den " + d.String() + "; sparas ärendet planeras ett extra sammanträde den dagen."
	if len(days) == 0 {
		return msg + " Organet har inga planerade sammanträden framåt."
	}
	// The planned days around d: the last one before it, then those after.
	from, _ := slices.BinarySearchFunc(days, d, workflow.Date.Compare)
	from = max(0, min(from-1, len(days)-routePlanShown))
	near := days[from:min(from+routePlanShown, len(days))]
	words := make([]string, len(near))
	for i, x := range near {
		words[i] = x.String()
	}
	return msg + " Närmaste planerade: " + joinSwedish(words) + "."
}
