package web

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
// the days each body meets this year and on, so that a route date on no
// meeting is pointed out beside it before the case is saved, as the store
// would refuse it (workflow.ChooseMeeting), and a date that makes a meeting
// says so.
type routePlan struct {
	today  workflow.Date
	days   map[string][]workflow.MeetingDay // by body code, in date order
	bodies map[string]workflow.Body         // by code
}

// routePlanOf loads, from the start of this year, the meetings of the
// bodies the route's steps name.
func (w *web) routePlanOf(ctx context.Context, bodies []workflow.Body, route []db.StepInput) (*routePlan, error) {
	p := &routePlan{today: w.Today(), days: map[string][]workflow.MeetingDay{}, bodies: map[string]workflow.Body{}}
	ids := []int64{}
	for _, b := range bodies {
		p.bodies[b.Code] = b
		if slices.ContainsFunc(route, func(s db.StepInput) bool { return s.Body == b.Code }) {
			ids = append(ids, b.ID)
		}
	}
	ms, err := w.Store.Meetings(ctx, db.MeetingFilter{From: workflow.Date{Year: p.today.Year, Month: 1, Day: 1}, Bodies: ids})
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		p.days[m.Body.Code] = append(p.days[m.Body.Code], workflow.MeetingDay{Date: m.Date, Origin: m.Origin, Status: m.Status})
	}
	return p, nil
}

// RouteHint says, beside route step i, what saving would do about its date:
// that it is no meeting of the body (naming the nearest), or that it makes a
// new meeting, an extra one or one in a year without a plan; empty when the
// date is a meeting, not a date, past, or not yet chosen.
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
	body, ok := p.bodies[s.Body]
	d, err := workflow.ParseDate(strings.TrimSpace(s.Date))
	if !ok || err != nil || d.Before(p.today) {
		return ""
	}
	choice, refusal := workflow.ChooseMeeting(body, d, s.ExtraMeeting, p.days[s.Body], p.today)
	switch {
	case refusal != "":
		return refusal + "."
	case choice.New == workflow.OriginExtra && choice.DayOff != "":
		return "Sparas ärendet planeras ett nytt extra sammanträde med " + body.Name + " den " + d.String() +
			". Obs! Det är " + choice.DayOff + ", som inte är en arbetsdag."
	case choice.New == workflow.OriginExtra:
		return "Sparas ärendet planeras ett nytt extra sammanträde med " + body.Name + " den " + d.String() + "."
	case choice.New == workflow.OriginUnplanned:
		return body.Name + " har ingen sammanträdesplan för " + strconv.Itoa(d.Year) +
			"; sparas ärendet planeras ett sammanträde den " + d.String() + "."
	}
	return ""
}
