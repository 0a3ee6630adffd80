package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kommun/beslutsgang/db"
	"github.com/kommun/beslutsgang/workflow"
)

// apiCaseJSON is a case in JSON with what the extra meetings add.
type apiCaseJSON struct {
	Number   string   `json:"number"`
	Version  int      `json:"version"`
	Warnings []string `json:"warnings"`
	Route    []struct {
		Body         string `json:"body"`
		Date         string `json:"date"`
		MeetingID    int64  `json:"meeting_id"`
		ExtraMeeting bool   `json:"extra_meeting"`
	} `json:"route"`
}

// nextWeekday is the first day from d (d itself included) that is wd.
func nextWeekday(d workflow.Date, wd time.Weekday) workflow.Date {
	return d.AddDays((int(wd) - int(d.Weekday()) + 7) % 7)
}

// meetingsAndCases is a count of what a refused request must not add.
func meetingsAndCases(t *testing.T, store *db.Store) string {
	t.Helper()
	ms, err := store.Meetings(context.Background(), db.MeetingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	page, err := store.Cases(context.Background(), db.CaseFilter{PerPage: 1})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d meetings, %d cases", len(ms), page.Total)
}

// Through the API a route date must be one of the body's meetings: another
// is 422 naming the field and the nearest meetings, and changes nothing;
// with "extra_meeting": true the meeting is made, marked extra, and a
// Saturday comes back as a warning. A bordläggning ("postpone") is the same.
func TestExtraMeetingThroughTheAPI(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	today := workflow.Today(now)
	au, err := s.Store.Meetings(ctx, db.MeetingFilter{Body: "ASN-AU", From: today.AddDays(1)})
	if err != nil || len(au) < 2 {
		t.Fatalf("the arbetsutskott's coming meetings: %v, %v", au, err)
	}
	off := freeWorkday(t, s.Store, "ASN-AU", au[0].Date.AddDays(1))
	body := newCase()
	body["route"] = []map[string]any{{"body": "ASN-AU", "date": off.String()}, {"body": "ASN"}}
	before := meetingsAndCases(t, s.Store)
	p := wantProblem(t, s.As(officer, "POST", "/api/v1/cases", body), http.StatusUnprocessableEntity)
	errs, _ := p["errors"].([]any)
	first, _ := errs[0].(map[string]any)
	if len(errs) != 1 || first["field"] != "route[0]" || !strings.Contains(first["detail"].(string), "ASN arbetsutskott har inget sammanträde "+off.String()) ||
		!strings.Contains(first["detail"].(string), au[0].Date.String()) {
		t.Errorf("problem %v", p)
	}
	if after := meetingsAndCases(t, s.Store); after != before {
		t.Errorf("the refused case changed the store: %s, then %s", before, after)
	}

	sat := nextWeekday(au[0].Date, time.Saturday)
	body["route"] = []map[string]any{{"body": "ASN-AU", "date": sat.String(), "extra_meeting": true}, {"body": "ASN"}}
	r := s.As(officer, "POST", "/api/v1/cases", body)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST /cases with an extra meeting: %d %s", r.Status, r.Body)
	}
	var c apiCaseJSON
	r.Decode(t, &c)
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "ASN arbetsutskott "+sat.String()+" hålls en lördag") ||
		!c.Route[0].ExtraMeeting || c.Route[1].ExtraMeeting {
		t.Errorf("the new case: %+v", c)
	}
	var m struct {
		Origin string `json:"origin"`
		Date   string `json:"date"`
	}
	s.GetJSON(officer, fmt.Sprintf("/api/v1/meetings/%d", c.Route[0].MeetingID), &m)
	if m.Origin != "extra" || m.Date != sat.String() {
		t.Errorf("the meeting made: %+v", m)
	}
	var again apiCaseJSON
	s.GetJSON(officer, "/api/v1/cases/"+c.Number, &again)
	if len(again.Warnings) != 0 || !again.Route[0].ExtraMeeting {
		t.Errorf("read again, the case warns: %+v", again)
	}

	// A case at the arbetsutskott's planned meeting, postponed.
	officerU, _ := s.Store.UserByEmail(ctx, officer)
	chef, _ := s.Store.UserByEmail(ctx, manager)
	cs, err := s.Store.CreateCase(ctx, db.CaseInput{Board: "ASN", Title: "Avgifter", Proposals: []string{"Nämnden föreslås besluta att anta avgifterna"},
		Route: []db.StepInput{{Body: "ASN-AU", Date: au[0].Date.String()}, {Body: "ASN"}}, Approvers: []db.ApproverInput{{Email: manager}},
		Recipients: []workflow.Recipient{{Name: "Kommunstyrelsen", Email: "ks@kommun.example"}}}, officerU)
	if err == nil {
		cs, err = s.Store.Act(ctx, cs.Number, officerU, workflow.Command{Action: workflow.ActSubmit, Version: cs.Version})
	}
	if err == nil {
		cs, err = s.Store.Act(ctx, cs.Number, chef, workflow.Command{Action: workflow.ActApprove, Version: cs.Version})
	}
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/cases/" + cs.Number + "/actions"
	offLater := freeWorkday(t, s.Store, "ASN-AU", au[0].Date.AddDays(1))
	before = meetingsAndCases(t, s.Store)
	p = wantProblem(t, s.As(secretary, "POST", path, map[string]any{"action": "postpone", "version": cs.Version, "date": offLater.String()}),
		http.StatusUnprocessableEntity)
	errs, _ = p["errors"].([]any)
	first, _ = errs[0].(map[string]any)
	if first["field"] != "date" || !strings.Contains(first["detail"].(string), "Närmaste planerade: ") {
		t.Errorf("problem %v", p)
	}
	if after := meetingsAndCases(t, s.Store); after != before {
		t.Errorf("the refused postponement changed the store: %s, then %s", before, after)
	}
	if got, _ := s.Store.Case(ctx, cs.Number); got.Version != cs.Version {
		t.Errorf("the refused postponement changed the case to version %d", got.Version)
	}
	sun := nextWeekday(au[0].Date, time.Sunday)
	r = s.As(secretary, "POST", path, map[string]any{"action": "postpone", "version": cs.Version, "date": sun.String(), "extra_meeting": true})
	if r.Status != http.StatusOK {
		t.Fatalf("postpone to an extra meeting: %d %s", r.Status, r.Body)
	}
	c = apiCaseJSON{}
	r.Decode(t, &c)
	if c.Route[0].Date != sun.String() || !c.Route[0].ExtraMeeting || len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "hålls en söndag") {
		t.Errorf("postponed: %+v", c)
	}
	// The planned meeting two weeks on needs no flag and warns of nothing.
	r = s.As(secretary, "POST", path, map[string]any{"action": "postpone", "version": c.Version, "date": au[1].Date.String()})
	if r.Status != http.StatusOK {
		t.Fatalf("postpone to a planned meeting: %d %s", r.Status, r.Body)
	}
	var planned apiCaseJSON
	r.Decode(t, &planned)
	if planned.Route[0].Date != au[1].Date.String() || planned.Route[0].ExtraMeeting || len(planned.Warnings) != 0 {
		t.Errorf("postponed to the plan: %+v", planned)
	}
}
