package handlers_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/kommun/beslutsgang/workflow"
)

// newCase is the body of POST /cases: an ASN report with dates after now,
// each a nytt extra sammanträde (the demo's plan has other days).
func newCase() map[string]any {
	return map[string]any{
		"board":      "ASN",
		"title":      "Redovisning av internationellt arbete 2026",
		"summary":    "Nämnden redovisar förvaltningens internationella arbete.",
		"proposals":  []string{"Nämnden föreslås besluta att godkänna redovisningen"},
		"background": "Varje förvaltning har fått i uppdrag att göra en sammanställning.",
		"route": []map[string]any{{"body": "ASN-AU", "date": "2026-03-19", "extra_meeting": true},
			{"body": "ASN", "date": "2026-04-02", "extra_meeting": true}, {"body": "KS"}},
		"approvers":  []map[string]string{{"email": jonas, "position": "Enhetschef"}, {"email": britt, "position": "Förvaltningschef"}},
		"recipients": []map[string]string{{"name": "Kommunstyrelsen", "email": "kommunstyrelsen@kommun.example"}},
	}
}

func apiCreate(s *server, body map[string]any) caseJSON {
	s.T.Helper()
	r := s.As(officer, "POST", "/api/v1/cases", body)
	if r.Status != http.StatusCreated {
		s.T.Fatalf("POST /cases: %d %s", r.Status, r.Body)
	}
	var c caseJSON
	r.Decode(s.T, &c)
	if loc := r.Header.Get("Location"); loc != "/api/v1/cases/"+c.Number {
		s.T.Errorf("Location %q for %s", loc, c.Number)
	}
	return c
}

func TestCreateAndGetCase(t *testing.T) {
	s := startServer(t)
	// The demo has used ASN-2026-1 to -11 this year (-11 is the
	// recurring assignment's Internationell redovisning).
	c := apiCreate(s, newCase())
	if c.Number != "ASN-2026-12" || c.Stage != "draft" || c.Version != 1 || c.Officer.Email != officer || c.Board != "ASN" {
		t.Errorf("created %s %s v%d by %s", c.Number, c.Stage, c.Version, c.Officer.Email)
	}
	if next := apiCreate(s, newCase()); next.Number != "ASN-2026-13" {
		t.Errorf("next number %s, want ASN-2026-13", next.Number)
	}
	got := s.GetCase(officer, c.Number)
	if got.Title != "Redovisning av internationellt arbete 2026" || len(got.Route) != 3 || got.Route[2].Date != nil ||
		got.Route[0].BodyName != "ASN arbetsutskott" || got.Route[0].Kind != "working_committee" || got.Route[0].Status != "planned" ||
		len(got.Approvers) != 2 || got.Approvers[1].Position != "Förvaltningschef" || got.Approvers[1].Title != "Förvaltningschef" ||
		got.Recipients[0].Email != "kommunstyrelsen@kommun.example" || got.Decision != nil || len(got.Attachments) != 0 {
		t.Errorf("GET %s = %+v", c.Number, got)
	}
	if !slices.Equal(got.AllowedActions, []string{"submit", "withdraw"}) {
		t.Errorf("allowed_actions = %q", got.AllowedActions)
	}
	// A secretary may register a case for an officer; the number is kept when given.
	body := newCase()
	body["number"], body["officer"] = "ASN-2026-500", officer
	r := s.As(secretary, "POST", "/api/v1/cases", body)
	var kept caseJSON
	r.Decode(t, &kept)
	if r.Status != http.StatusCreated || kept.Number != "ASN-2026-500" || kept.Officer.Email != officer {
		t.Errorf("explicit number: %d %s", r.Status, r.Body)
	}
	if next := apiCreate(s, newCase()); next.Number != "ASN-2026-501" {
		t.Errorf("after ASN-2026-500 the series gave %s", next.Number)
	}
}

func TestPatchDraft(t *testing.T) {
	s := startServer(t)
	c := apiCreate(s, newCase())
	path := "/api/v1/cases/" + c.Number
	r := s.As(officer, "PATCH", path, map[string]any{"version": c.Version, "title": "Ny rubrik",
		"proposals": []string{"Första förslaget", "Andra förslaget"}})
	var got caseJSON
	r.Decode(t, &got)
	if r.Status != http.StatusOK || got.Title != "Ny rubrik" || len(got.Proposals) != 2 || got.Version != c.Version+1 {
		t.Fatalf("PATCH = %d %s", r.Status, r.Body)
	}
	// Fields not sent keep their value.
	if got.Summary != "Nämnden redovisar förvaltningens internationella arbete." || len(got.Route) != 3 || len(got.Approvers) != 2 {
		t.Errorf("PATCH lost fields it did not send: %+v", got)
	}
	s.Token(jonas) // logging in is a change of its own
	before := s.Fingerprint(c.Number)
	wantProblem(t, s.As(officer, "PATCH", path, map[string]any{"version": c.Version, "title": "Gammal version"}), http.StatusConflict)
	wantProblem(t, s.As(officer, "PATCH", path, map[string]any{"title": "Utan version"}), http.StatusUnprocessableEntity)
	wantProblem(t, s.As(jonas, "PATCH", path, map[string]any{"version": got.Version, "title": "Chefens rubrik"}), http.StatusForbidden)
	wantProblem(t, s.As(officer, "PATCH", path, map[string]any{"version": got.Version, "route": []map[string]string{{"body": "ASN", "date": "2026-13-01"}}}), http.StatusUnprocessableEntity)
	wantProblem(t, s.As(officer, "PATCH", path, map[string]any{"version": got.Version, "number": "ASN-2026-99"}), http.StatusUnprocessableEntity)
	wantProblem(t, s.As(officer, "PATCH", "/api/v1/cases/ASN-2026-999", map[string]any{"version": 1, "title": "x"}), http.StatusNotFound)
	if after := s.Fingerprint(c.Number); after != before {
		t.Errorf("refused PATCHes changed the database:\n%s\n%s", before, after)
	}
	if s.GetCase(officer, c.Number).Title != "Ny rubrik" {
		t.Error("the title changed")
	}
	// A PATCH that changes nothing (the same title, or no field) is the case
	// as it is: 200, the same version, nothing written.
	for _, same := range []map[string]any{{"version": got.Version}, {"version": got.Version, "title": "Ny rubrik"}} {
		var again caseJSON
		r := s.As(officer, "PATCH", path, same)
		r.Decode(t, &again)
		if r.Status != http.StatusOK || again.Version != got.Version || again.Title != "Ny rubrik" {
			t.Errorf("PATCH %v: %d, version %d (was %d)", same, r.Status, again.Version, got.Version)
		}
	}
	if after := s.Fingerprint(c.Number); after != before {
		t.Errorf("PATCHes that change nothing changed the database:\n%s\n%s", before, after)
	}
	// Once submitted, the report is no longer a draft.
	r = s.As(officer, "POST", path+"/actions", map[string]any{"action": "submit", "version": got.Version})
	if r.Status != http.StatusOK {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	before = s.Fingerprint(c.Number)
	wantProblem(t, s.As(officer, "PATCH", path, map[string]any{"version": got.Version + 1, "title": "För sent"}), http.StatusConflict)
	if after := s.Fingerprint(c.Number); after != before {
		t.Errorf("PATCH on a submitted case changed the database")
	}
}

// Board codes may hold Å, Ä and Ö, and so may case numbers; clients send them
// percent-encoded in the path.
func TestCaseNumberWithSwedishLetters(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	if _, err := s.Store.CreateBoard(ctx, workflow.Board{Code: "MÖN", Name: "Miljö- och naturnämnden"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.CreateBody(ctx, workflow.Body{Code: "MÖN", Name: "Miljö- och naturnämnden", Kind: workflow.KindBoard, Board: "MÖN"}); err != nil {
		t.Fatal(err)
	}
	u, err := s.Store.UserByEmail(ctx, officer)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SetGrants(ctx, u.ID, append(u.Grants, workflow.Grant{Board: "MÖN", Role: workflow.RoleOfficer})); err != nil {
		t.Fatal(err)
	}
	body := newCase()
	body["board"], body["route"], body["approvers"] = "MÖN", []map[string]string{{"body": "MÖN", "date": "2026-04-02"}}, []map[string]string{}
	r := s.As(officer, "POST", "/api/v1/cases", body)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST /cases: %d %s", r.Status, r.Body)
	}
	if loc := r.Header.Get("Location"); loc != "/api/v1/cases/M%C3%96N-2026-1" {
		t.Errorf("Location %q, want the number percent-encoded", loc)
	}
	if c := s.GetCase(officer, "M%C3%96N-2026-1"); c.Number != "MÖN-2026-1" || c.Board != "MÖN" {
		t.Errorf("GET = %s of %s", c.Number, c.Board)
	}
	r = uploadFile(s, officer, "M%C3%96N-2026-1", "file", "bilaga.txt", []byte("text"))
	if r.Status != http.StatusCreated || !strings.HasPrefix(r.Header.Get("Location"), "/api/v1/cases/M%C3%96N-2026-1/attachments/") {
		t.Errorf("upload: %d %s, Location %q", r.Status, r.Body, r.Header.Get("Location"))
	}
	r = s.As(officer, "POST", "/api/v1/cases/M%C3%96N-2026-1/actions", map[string]any{"action": "withdraw", "version": 2, "reason": "Fel nämnd"})
	if r.Status != http.StatusOK {
		t.Errorf("action: %d %s", r.Status, r.Body)
	}
}
